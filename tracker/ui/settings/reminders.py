"""The Reminders page of the settings: remind to track, the long-running warning, stop at a
time of day, and Pomodoro. Every reminder is off until set here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.services.preferences import MAX_LONG_RUNNING_HOURS, MAX_REMIND_MINUTES, Preferences
from tracker.ui.settings.common import note

__all__ = ["DAY_NAMES", "RemindersPage"]

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TIME_FORMAT = "HH:mm"


def _minutes(special: str = "Off") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, MAX_REMIND_MINUTES)
    spin.setSuffix(" min")
    spin.setSpecialValueText(special)
    return spin


def _time_edit() -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat(TIME_FORMAT)
    return edit


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
        self.remind_from = _time_edit()
        self.remind_to = _time_edit()
        self.remind_from.setMaximumTime(QTime(23, 58))
        self.remind_from.timeChanged.connect(self._keep_order)
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
        track = QGroupBox("Remind me to track when no timer runs")
        track_form = QFormLayout(track)
        track_form.addRow("Every:", _row(self.remind_every))
        track_form.addRow("On:", days)
        track_form.addRow("Between:", _row(self.remind_from, "and", self.remind_to))

        self.long_running = QDoubleSpinBox()
        self.long_running.setObjectName("long-running")
        self.long_running.setRange(0, MAX_LONG_RUNNING_HOURS)
        self.long_running.setDecimals(1)
        self.long_running.setSingleStep(0.5)
        self.long_running.setSuffix(" h")
        self.long_running.setSpecialValueText("Off")
        self.stop_check = QCheckBox("Stop the running timer at")
        self.stop_at = _time_edit()
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
