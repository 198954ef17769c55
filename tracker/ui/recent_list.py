"""The popup's recent entries: one click continues one (a new timer with the same work)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from tracker.services.recent import RecentEntry
from tracker.ui import text

__all__ = ["SHOWN", "RecentList"]

SHOWN = 5
"""Recent entries listed, as many as the tray menu's Continue offers."""

ROW_STYLE = (
    "QPushButton { text-align: left; padding: 3px 6px; border: none; border-radius: 3px; }"
    "QPushButton:hover, QPushButton:focus "
    "{ background: palette(highlight); color: palette(highlighted-text); }"
)
"""Rows read as a list (left-aligned, flat) that lights up under the pointer or focus."""

WIDTH = 360
"""Pixels a row's label may take before it is shortened (the full one is in its tooltip)."""


class RecentList(QWidget):
    """A heading and one button per recent distinct entry; hidden when there is none.

    Signals:
        continue_requested(str): the local id of the entry whose work should start again.
    """

    continue_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("Recent")
        self.heading.setObjectName("recentHeading")
        self._rows = QVBoxLayout()
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addLayout(self._rows)
        self.buttons: list[QPushButton] = []

    def set_entries(self, recent: list[RecentEntry]) -> None:
        """Show these entries (newest first)."""
        for button in self.buttons:
            self._rows.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for item in recent:
            button = QPushButton()
            metrics = button.fontMetrics()
            button.setText(
                "▶  " + metrics.elidedText(item.label, Qt.TextElideMode.ElideRight, WIDTH)
            )
            button.setToolTip(text.tooltip(f"Continue: {item.label}"))
            button.setAccessibleName(f"Continue {item.label}")
            button.setFlat(True)
            button.setAutoDefault(False)
            button.setStyleSheet(ROW_STYLE)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            entry_id = item.entry.id
            button.clicked.connect(lambda _=False, e=entry_id: self.continue_requested.emit(e))
            self._rows.addWidget(button)
            self.buttons.append(button)
        self.setVisible(bool(recent))
