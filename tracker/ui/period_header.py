"""The header the day and week windows share: ◀, a "here" button and ▶ beside a bold title
that shortens with "…" instead of pushing what stands beside it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

__all__ = ["ElidedLabel", "PeriodHeader"]


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" when narrow (the whole text in its
    tooltip) instead of asking for the room, so texts beside it never overlap."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self.hint = ""
        """The tooltip (the whole text goes before it while the text is cut)."""

    def full_text(self) -> str:
        """The text as set, before eliding."""
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 2, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("Mon…"), super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)
        cut = "\n".join(t for t in (self._full, self.hint) if t)
        self.setToolTip(cut if shown != self._full else self.hint)


class PeriodHeader(QHBoxLayout):
    """◀ (``prev_button``), the "here" button (``here_button``) and ▶ (``next_button``),
    then the bold ``title``; the window adds what goes beside it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__()
        self.prev_button = QToolButton(parent)
        self.here_button = QToolButton(parent)
        self.next_button = QToolButton(parent)
        for button in (self.prev_button, self.here_button, self.next_button):
            button.setAutoRaise(True)
            self.addWidget(button)
        self.addSpacing(8)
        self.title = ElidedLabel(parent)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
