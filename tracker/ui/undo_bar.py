"""An undo offer inside the popup: "Discarded …  [Undo]" for a few seconds.

A discard from the popup would otherwise be undone only from the today window; the bar
offers it where it happened, and only for that change (``Undo(touching=…)``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

__all__ = ["SHOW_MS", "UndoBar"]

SHOW_MS = 8000
"""How long the offer stays (milliseconds): time to notice a slip, short enough that the
change it undoes is still the latest one."""


class UndoBar(QFrame):
    """A one-line message with an Undo button that hides itself after :data:`SHOW_MS`.

    Signals:
        undo_requested(str): Undo was clicked for the change to this entry id.
        hidden(): the offer went away (the window may shrink).
    """

    undo_requested = Signal(str)
    hidden = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.button = QPushButton("&Undo")  # Alt+U
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self._undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.button)
        self._entry_id = ""
        self.show_ms = SHOW_MS
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    def offer(self, message: str, entry_id: str) -> None:
        """Show ``message`` with Undo for the change to ``entry_id``."""
        self._entry_id = entry_id
        elided = self.message.fontMetrics().elidedText(message, Qt.TextElideMode.ElideRight, 300)
        self.message.setText(elided)
        self.message.setToolTip(message)
        self.show()
        self._timer.start(self.show_ms)

    def dismiss(self) -> None:
        """Withdraw the offer."""
        self._timer.stop()
        self._entry_id = ""
        if not self.isHidden():
            self.hide()
            self.hidden.emit()

    def is_offered(self) -> bool:
        """Whether the offer shows."""
        return bool(self._entry_id) and not self.isHidden()

    def _undo(self) -> None:
        entry_id = self._entry_id
        self.dismiss()
        if entry_id:
            self.undo_requested.emit(entry_id)
