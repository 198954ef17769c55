"""The question asked when the person comes back to a running timer after being away.

Four answers, each a button with an Alt mnemonic (and Tab order) so the keyboard alone can
answer; Esc or closing the window keeps the time, the answer that changes nothing. The entry's
description is server text and is shown as plain text.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.services.idle import IdleChoice
from tracker.ui.screen import fit_to_screen

__all__ = ["BUTTONS", "IdlePrompt", "away_text"]

BUTTONS: tuple[tuple[IdleChoice, str, str], ...] = (
    (IdleChoice.KEEP, "&Keep", "Count the time away as work on the running entry"),
    (
        IdleChoice.DISCARD,
        "&Discard idle time",
        "Stop the timer when you left; the time away is not counted",
    ),
    (
        IdleChoice.DISCARD_CONTINUE,
        "Discard and &continue",
        "Stop the entry when you left and start the same work again from your return",
    ),
    (
        IdleChoice.ADD_AS_NEW,
        "&Add as new entry",
        "Record the time away as its own entry (\u201cIdle\u201d) and go on with the work",
    ),
)
"""Each answer, its button text (``&`` marks the Alt key) and its tooltip (our own text)."""


def _minutes(start: datetime, end: datetime) -> str:
    minutes = max(0, round((end - start).total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min"


def away_text(start: datetime, end: datetime, description: str, zone: tzinfo | None) -> str:
    """``You were away from 10:12 to 10:47 (35 min) while “Write report” was running.``"""
    first, last = start.astimezone(zone), end.astimezone(zone)
    until = f"{last:%H:%M}" if last.date() == first.date() else f"{last:%a %H:%M}"
    what = f"\u201c{description}\u201d" if description.strip() else "the timer"
    return (
        f"You were away from {first:%H:%M} to {until} ({_minutes(start, end)}) "
        f"while {what} was running."
    )


class IdlePrompt(QDialog):
    """Asks what to do with the time away; :attr:`chosen` carries the answer.

    Signals:
        chosen(str): an :class:`IdleChoice` value, once per question.
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("You were away")
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.start: datetime | None = None
        self.end: datetime | None = None
        self.entry_id: str | None = None
        self._answered = False
        self.message = QLabel()
        self.message.setObjectName("idle-message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(420)
        self.question = QLabel("What should happen to the time away?")
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons: dict[IdleChoice, QPushButton] = {}
        row = QHBoxLayout()
        for choice, text, tip in BUTTONS:
            button = QPushButton(text)
            button.setObjectName(f"idle-{choice.value}")
            button.setToolTip(tip)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, c=choice: self.answer(c))
            self.buttons[choice] = button
            row.addWidget(button)
        self.buttons[IdleChoice.KEEP].setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.question)
        layout.addSpacing(6)
        layout.addLayout(row)

    def ask(
        self,
        start: datetime,
        end: datetime,
        description: str,
        entry_id: str | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        """Show the question for an absence from ``start`` to ``end`` (local time: ``zone``)."""
        self.start, self.end, self.entry_id = start, end, entry_id
        self._answered = False
        self.message.setText(away_text(start, end, description, zone))
        self.adjustSize()
        fit_to_screen(self)
        self.show()
        self.raise_()
        self.activateWindow()
        self.buttons[IdleChoice.KEEP].setFocus()

    def answer(self, choice: IdleChoice) -> None:
        """Give ``choice`` (as the buttons do) and close."""
        if not self._answered:
            self._answered = True
            self.chosen.emit(choice.value)
        self.hide()

    def reject(self) -> None:
        """Esc keeps the time."""
        self.answer(IdleChoice.KEEP)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window keeps the time too."""
        if self.isVisible():
            self.answer(IdleChoice.KEEP)
        super().closeEvent(event)
