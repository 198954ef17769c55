"""What each reminder says, and the buttons it offers (plain text: labels are entry
descriptions from the server)."""

from __future__ import annotations

from datetime import tzinfo

from tracker.services.preferences import Preferences
from tracker.services.reminders import Reminder

__all__ = ["Message", "message"]

Message = tuple[str, str, list[tuple[str, str]]]
"""Title, body and ``(key, label)`` buttons; keys: ``start`` (open the popup), ``continue``
(start the latest entry again), ``stop`` (stop the timer)."""

LABEL_LIMIT = 40


def _short(label: str) -> str:
    flat = " ".join(label.split()) or "(no description)"
    return flat if len(flat) <= LABEL_LIMIT else flat[: LABEL_LIMIT - 1].rstrip() + "…"


def _hours(value: float) -> str:
    return f"{value:g} h" if value >= 1 else f"{round(value * 60)} min"


def message(reminder: Reminder, prefs: Preferences, zone: tzinfo) -> Message:
    """The notification for ``reminder``."""
    label = _short(reminder.label)
    again = [("continue", f"Continue {label}")] if reminder.label.strip() else []
    kind = reminder.kind
    if kind == "track":
        return "Not tracking", "No timer is running.", [*again, ("start", "Start timer")]
    if kind == "long_running":
        body = f"“{label}” has run for {_hours(prefs.long_running_hours)}."
        return "Timer still running", body, [("stop", "Stop timer"), ("start", "Open timer")]
    if kind == "stop_at":
        at = reminder.at.astimezone(zone)
        body = f"“{label}” stopped at {at:%H:%M}, as set in Settings."
        return "Timer stopped", body, [("continue", "Continue")]
    if kind == "break":
        minutes, pause = prefs.pomodoro_minutes, prefs.break_minutes
        body = f"{minutes} minutes of “{label}”: stop for a {pause}-minute break."
        return "Time for a break", body, [("stop", "Stop timer")]
    return "Break is over", "Back to work?", [*again, ("start", "Start timer")]
