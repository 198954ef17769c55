"""The Logs page: where the log is, and diagnostics for a bug report (never the API key)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from tracker.bridge.controller import Controller
from tracker.bridge.diagnostics import collect
from tracker.bridge.logs import log_dir, log_file
from tracker.bridge.status import SyncStatus
from tracker.integrations.secrets import SecretStore
from tracker.ui.settings.common import note, plain

__all__ = ["LogsPage"]


class LogsPage(QWidget):
    """The log folder (opened in the file manager) and "Copy diagnostics".

    Args:
        controller: the store the diagnostics describe.
        secrets: the key store, named (never read) in the diagnostics.
        status: the sync worker's status when the dialog opened, if known.
    """

    def __init__(
        self,
        controller: Controller,
        secrets: SecretStore | None,
        status: SyncStatus | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.secrets = secrets
        self._status = status
        self.log_path_label = plain()
        self.log_path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_folder = QPushButton("Open log folder")
        open_folder.setAutoDefault(False)
        open_folder.clicked.connect(self.open_log_folder)
        self.copy_button = QPushButton("Copy diagnostics")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_diagnostics)
        self.copied = note()
        buttons = QHBoxLayout()
        buttons.addWidget(open_folder)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.copied)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Log folder:", self.log_path_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(
            note(
                "Diagnostics describe your setup, the sync state and the end of the log, for a "
                "bug report. They never contain your API key."
            )
        )
        layout.addStretch(1)

    def load(self) -> None:
        """Show the folder the log is written to now."""
        current = log_file()
        self.log_path_label.setText(str(current.parent if current else log_dir()))

    def set_sync_status(self, status: object) -> None:
        """Remember the worker's latest status for the diagnostics."""
        if isinstance(status, SyncStatus):
            self._status = status

    def diagnostics(self) -> str:
        """The diagnostics text (redacted)."""
        backend = self.secrets.backend_name() if self.secrets is not None else None
        return collect(self.controller.tracker.store, secrets_backend=backend, status=self._status)

    def copy_diagnostics(self) -> None:
        """Put the diagnostics on the clipboard."""
        QGuiApplication.clipboard().setText(self.diagnostics())
        self.copied.setText("Copied to the clipboard.")

    def open_log_folder(self) -> None:
        """Show the log folder in the file manager."""
        current = log_file()
        folder = current.parent if current else log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
