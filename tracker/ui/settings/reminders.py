"""The Reminders page of the settings: remind to track, the long-running warning, stop at a
time of day, and Pomodoro. Every reminder is off until set here."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker.services.preferences import MAX_LONG_RUNNING_HOURS, MAX_REMIND_MINUTES, Preferences
from tracker.ui.settings.common import error_label, note, show_text

__all__ = ["DAY_NAMES", "RemindersPage"]

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TIME_FORMAT = "HH:mm"


def _minutes(special: str = "Off") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, MAX_REMIND_MINUTES)
    spin.setSuffix(" min")
    spin.setSpecialValueText(special)
    return spin


_CLOCK = re.compile(r"(\d{1,2})(?:\s*[:.h]?\s*(\d{2}))?")


def read_clock(text: str) -> QTime | None:
    """A typed time of day: ``9``, ``09:30``, ``9.30``, ``930`` or ``0930``; ``None`` when
    it is not one."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    time = QTime(hours, minutes)
    return time if time.isValid() else None


class TimeField(QLineEdit):
    """A time of day typed as text, taken when the person leaves the field or presses Enter
    and, until then, whenever what is typed is already a time (so OK right after typing
    takes it). Unreadable or out-of-range text says why and keeps the last good time.

    Signals:
        timeChanged: a new time was taken.
    """

    timeChanged = Signal(QTime)

    def __init__(self, error: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._time = QTime(0, 0)
        self._lowest = QTime(0, 0)
        self._highest = QTime(23, 59)
        self._error = error
        self.setPlaceholderText("HH:MM")
        self.setMaxLength(8)
        metrics = self.fontMetrics()
        self.setFixedWidth(metrics.horizontalAdvance("00:00") + 4 * metrics.averageCharWidth())
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._finished)

    def time(self) -> QTime:
        """The time taken (the last good one while the text is not a time)."""
        return self._time

    def problem(self) -> str | None:
        """Why the text in the field is not taken (``None``: it is)."""
        typed = read_clock(self.text())
        if typed is None:
            return f"“{self.text().strip()}” is not a time of day such as 09:30"
        if typed < self._lowest:
            return f"{self.text().strip()} is before {self._lowest.toString(TIME_FORMAT)}"
        if typed > self._highest:
            return f"{self.text().strip()} is after {self._highest.toString(TIME_FORMAT)}"
        return None

    def setTime(self, time: QTime) -> None:
        """Show and take ``time`` (kept inside the range)."""
        time = max(self._lowest, min(time, self._highest))
        self.setText(time.toString(TIME_FORMAT))
        self._take(time)

    def setMinimumTime(self, time: QTime) -> None:
        """The earliest time taken; a time before it moves up to it."""
        self._lowest = time
        if self._time < time:
            self.setTime(time)

    def setMaximumTime(self, time: QTime) -> None:
        """The latest time taken."""
        self._highest = time

    def _take(self, time: QTime) -> None:
        show_text(self._error, "")
        if time != self._time:
            self._time = time
            self.timeChanged.emit(time)

    def _typed(self, text: str) -> None:
        typed = read_clock(text)
        if typed is not None and self.problem() is None:
            self._take(typed)

    def _finished(self) -> None:
        problem = self.problem()
        if problem is not None:
            show_text(self._error, problem)
            return
        typed = read_clock(self.text())
        assert typed is not None  # no problem: it reads
        self.setTime(typed)


def _row(*widgets: QWidget | str) -> QWidget:
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        line.addWidget(QLabel(widget) if isinstance(widget, str) else widget)
    line.addStretch(1)
    return row


class RemindersPage(QWidget):
    """Shows the reminder preferences (:meth:`load`) and gives the edited ones (:meth:`values`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remind_every = _minutes()
        self.remind_every.setObjectName("remind-every")
        self.time_error = error_label()
        self.remind_from = TimeField(self.time_error)
        self.remind_to = TimeField(self.time_error)
        self.remind_from.setMaximumTime(QTime(23, 58))
        self.remind_from.timeChanged.connect(self._keep_order)
        days = self._days()
        track = QGroupBox("Remind me to track when no timer runs")
        track_form = QFormLayout(track)
        track_form.addRow("Every:", _row(self.remind_every))
        track_form.addRow("On:", days)
        track_form.addRow("Between:", _row(self.remind_from, "and", self.remind_to))
        track_form.addRow("", self.time_error)

        self.long_running = QDoubleSpinBox()
        self.long_running.setObjectName("long-running")
        self.long_running.setRange(0, MAX_LONG_RUNNING_HOURS)
        self.long_running.setDecimals(1)
        self.long_running.setSingleStep(0.5)
        self.long_running.setSuffix(" h")
        self.long_running.setSpecialValueText("Off")
        self.stop_check = QCheckBox("Stop the running timer at")
        self.stop_at = TimeField(self.time_error)
        self.stop_check.toggled.connect(self.stop_at.setEnabled)
        timer = QGroupBox("Running timer")
        timer_form = QFormLayout(timer)
        timer_form.addRow("Warn when it has run:", _row(self.long_running))
        timer_form.addRow(_row(self.stop_check, self.stop_at))

        self.pomodoro = _minutes()
        self.pomodoro.setObjectName("pomodoro")
        self.break_minutes = _minutes("None")
        pomodoro = QGroupBox("Pomodoro")
        pomodoro_form = QFormLayout(pomodoro)
        pomodoro_form.addRow("Work blocks of:", _row(self.pomodoro))
        pomodoro_form.addRow("Breaks of:", _row(self.break_minutes))

        layout = QVBoxLayout(self)
        layout.addWidget(track)
        layout.addWidget(timer)
        layout.addWidget(pomodoro)
        layout.addWidget(
            note(
                "Hours are in your Clockify profile's time zone. A stopped timer is saved and "
                "synced like any other; a notification's Continue starts it again."
            )
        )
        layout.addStretch(1)

    def _days(self) -> QWidget:
        """A box per day of the week (:attr:`day_checks`), in a row."""
        self.day_checks: list[QCheckBox] = []
        days = QWidget()
        day_line = QHBoxLayout(days)
        day_line.setContentsMargins(0, 0, 0, 0)
        day_line.setSpacing(8)
        for name in DAY_NAMES:
            check = QCheckBox(name)
            check.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.day_checks.append(check)
            day_line.addWidget(check)
        day_line.addStretch(1)
        return days

    def load(self, prefs: Preferences) -> None:
        """Show ``prefs``."""
        self.remind_every.setValue(prefs.remind_every_minutes)
        for day, check in enumerate(self.day_checks):
            check.setChecked(day in prefs.remind_days)
        self.remind_from.setTime(QTime.fromString(prefs.remind_from, TIME_FORMAT))
        self.remind_to.setTime(QTime.fromString(prefs.remind_to, TIME_FORMAT))
        self.long_running.setValue(prefs.long_running_hours)
        self.stop_check.setChecked(bool(prefs.stop_at))
        self.stop_at.setEnabled(bool(prefs.stop_at))
        self.stop_at.setTime(QTime.fromString(prefs.stop_at or "18:00", TIME_FORMAT))
        self.pomodoro.setValue(prefs.pomodoro_minutes)
        self.break_minutes.setValue(prefs.break_minutes)

    def problem(self) -> str | None:
        """What is wrong with a typed time (shown under the hours), ``None`` when nothing."""
        fields = [self.remind_from, self.remind_to]
        if self.stop_check.isChecked():
            fields.append(self.stop_at)
        for field in fields:
            if (problem := field.problem()) is not None:
                show_text(self.time_error, problem)
                field.setFocus()
                return problem
        return None

    def values(self) -> dict[str, Any]:
        """The page's choices as ``Preferences`` fields."""
        return {
            "remind_every_minutes": self.remind_every.value(),
            "remind_days": tuple(d for d, check in enumerate(self.day_checks) if check.isChecked()),
            "remind_from": self.remind_from.time().toString(TIME_FORMAT),
            "remind_to": self.remind_to.time().toString(TIME_FORMAT),
            "long_running_hours": self.long_running.value(),
            "stop_at": self.stop_at.time().toString(TIME_FORMAT)
            if self.stop_check.isChecked()
            else "",
            "pomodoro_minutes": self.pomodoro.value(),
            "break_minutes": self.break_minutes.value(),
        }

    def _keep_order(self, start: QTime) -> None:
        """The end stays after the start (the preferences refuse an empty window)."""
        self.remind_to.setMinimumTime(start.addSecs(60))
