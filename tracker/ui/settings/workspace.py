"""The Workspace page: which of the account's workspaces new entries go to."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QVBoxLayout, QWidget

from tracker.bridge.controller import Controller
from tracker.ui.settings.common import note, select

__all__ = ["WorkspacePage"]


class WorkspacePage(QWidget):
    """The workspace list (known once an account is connected) and the current choice.

    Args:
        controller: lists the workspaces and says which one is in use.
    """

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.workspace_combo = QComboBox()
        self.workspace_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.workspace_combo.setMinimumContentsLength(24)
        self.workspace_note = note()
        form = QFormLayout()
        form.addRow("Workspace:", self.workspace_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.workspace_note)
        layout.addStretch(1)

    def refresh(self) -> None:
        """List the workspaces again, keeping a choice not applied yet."""
        combo = self.workspace_combo
        chosen = combo.currentData() if combo.count() else None
        current = chosen or self.controller.workspace_id()
        combo.blockSignals(True)
        combo.clear()
        for workspace in self.controller.workspaces():
            combo.addItem(workspace.name, workspace.id)  # item text is plain
        combo.blockSignals(False)
        select(combo, current)
        known = combo.count() > 0
        combo.setEnabled(known)
        self.workspace_note.setText(
            "New entries go to this workspace; its projects and entries are fetched at the "
            "next sync."
            if known
            else "Connect an account to choose one of its workspaces. Until then entries are "
            "kept on this computer."
        )

    def chosen(self) -> str | None:
        """The workspace chosen in the list (``None`` while there is none)."""
        data = self.workspace_combo.currentData()
        return str(data) if data else None
