"""The person's choices for the app (click behaviour, server, appearance), kept in the store.

They live in the store rather than a separate config file so the tray app and the CLI read
the same server choice, and a write is atomic like every other change. Secrets never go
here: the API key stays in the OS keyring.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import time
from typing import Any

from tracker.store import Store

__all__ = [
    "APPEARANCES",
    "LEFT_CLICK",
    "SERVER_KINDS",
    "Preferences",
    "load",
    "parse_clock",
    "save",
]

LEFT_CLICK = ("popup", "toggle")
"""What a left click on the tray icon does."""

SERVER_KINDS = ("global", "euc1", "use2", "euw2", "apse2", "custom")
"""The global Clockify hosts, a regional one, or a custom URL."""

APPEARANCES = ("system", "light", "dark")

KEY = "preferences"

MAX_IDLE_MINUTES = 24 * 60
"""The longest idle threshold: a day."""


@dataclass(frozen=True)
class Preferences:
    """Every app setting, with the default a new user gets.

    Attributes:
        left_click: ``popup`` opens the timer popup, ``toggle`` starts or stops the timer.
        server: one of :data:`SERVER_KINDS`.
        api_url: the main API base (without ``/v1``) when ``server`` is ``custom``.
        reports_url: the Reports API base when ``server`` is ``custom`` (empty: derived).
        appearance: the window palette.
        notify: whether to show desktop notifications for what needs the person.
        hotkeys: action name → key sequence in Qt's portable text form.
        autostart: start the app at login.
        idle_threshold_minutes: away this long with a timer running asks what to do with
            the time on return; ``0`` turns idle detection off. Fractions are allowed.
        remind_every_minutes: with no timer running, remind to track this often within the
            hours below on the days below; ``0`` turns the reminder off.
        remind_days: weekdays for that reminder, ``0`` = Monday.
        remind_from, remind_to: its hours (``"HH:MM"``, the profile's zone; ``to`` excluded).
        long_running_hours: warn once when a timer has run this long; ``0``: never.
        stop_at: stop a running timer at this time of day (``"HH:MM"``); empty: never.
        pomodoro_minutes: say "break" after each block this long of one running timer, and
            "back to work" ``break_minutes`` after stopping one; ``0`` turns it off.
        break_minutes: the Pomodoro break.
    """

    left_click: str = "popup"
    server: str = "global"
    api_url: str = ""
    reports_url: str = ""
    appearance: str = "system"
    notify: bool = True
    hotkeys: tuple[tuple[str, str], ...] = ()
    autostart: bool = False
    idle_threshold_minutes: float = 5.0
    remind_every_minutes: int = 0
    remind_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    remind_from: str = "09:00"
    remind_to: str = "17:00"
    long_running_hours: float = 0.0
    stop_at: str = ""
    pomodoro_minutes: int = 0
    break_minutes: int = 5

    def with_changes(self, **changes: Any) -> Preferences:
        """A copy with ``changes`` applied and checked."""
        return _checked(replace(self, **changes))

    def to_json(self) -> dict[str, Any]:
        """Plain values for the store and ``--json``."""
        data = asdict(self)
        data["hotkeys"] = dict(self.hotkeys)
        return data


def _checked(prefs: Preferences) -> Preferences:
    if prefs.left_click not in LEFT_CLICK:
        raise ValueError(f"left_click must be one of {', '.join(LEFT_CLICK)}")
    if prefs.server not in SERVER_KINDS:
        raise ValueError(f"server must be one of {', '.join(SERVER_KINDS)}")
    if prefs.server == "custom" and not prefs.api_url.strip():
        raise ValueError("a custom server needs its API URL")
    if prefs.appearance not in APPEARANCES:
        raise ValueError(f"appearance must be one of {', '.join(APPEARANCES)}")
    return _checked_reminders(_checked_idle(prefs))


def _checked_idle(prefs: Preferences) -> Preferences:
    minutes = prefs.idle_threshold_minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int | float):
        raise ValueError("idle_threshold_minutes must be a number of minutes")
    if not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise ValueError(f"idle_threshold_minutes must be from 0 (off) to {MAX_IDLE_MINUTES}")
    return replace(prefs, idle_threshold_minutes=float(minutes))


MAX_REMIND_MINUTES = 24 * 60
MAX_LONG_RUNNING_HOURS = 7 * 24


def parse_clock(text: str) -> time:
    """A time of day from ``"HH:MM"`` (``ValueError`` otherwise)."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or len(minutes) != 2 or not minutes.isdigit():
        raise ValueError(f"{text!r} is not a time of day such as 09:00")
    return time(int(hours), int(minutes))


def _whole(name: str, value: object, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(f"{name} must be a whole number")
    if not 0 <= value <= top:
        raise ValueError(f"{name} must be from 0 (off) to {top}")
    return int(value)


def _checked_reminders(prefs: Preferences) -> Preferences:
    """Reminder choices checked and normalised (the days sorted, the times as ``HH:MM``)."""
    days = tuple(sorted({_whole("remind_days", day, 6) for day in prefs.remind_days}))
    start, end = parse_clock(prefs.remind_from), parse_clock(prefs.remind_to)
    if prefs.remind_every_minutes and start >= end:
        raise ValueError("the reminder hours must end after they begin")
    stop_at = f"{parse_clock(prefs.stop_at):%H:%M}" if prefs.stop_at.strip() else ""
    hours = prefs.long_running_hours
    if isinstance(hours, bool) or not isinstance(hours, int | float):
        raise ValueError("long_running_hours must be a number of hours")
    if not 0 <= hours <= MAX_LONG_RUNNING_HOURS:
        raise ValueError(f"long_running_hours must be from 0 (off) to {MAX_LONG_RUNNING_HOURS}")
    return replace(
        prefs,
        remind_every_minutes=_whole(
            "remind_every_minutes", prefs.remind_every_minutes, MAX_REMIND_MINUTES
        ),
        remind_days=days,
        remind_from=f"{start:%H:%M}",
        remind_to=f"{end:%H:%M}",
        long_running_hours=float(hours),
        stop_at=stop_at,
        pomodoro_minutes=_whole("pomodoro_minutes", prefs.pomodoro_minutes, MAX_REMIND_MINUTES),
        break_minutes=_whole("break_minutes", prefs.break_minutes, MAX_REMIND_MINUTES),
    )


def load(store: Store) -> Preferences:
    """The saved preferences; unknown or invalid saved values fall back to the defaults."""
    saved = store.meta.get(KEY) or {}
    known = {f.name for f in fields(Preferences)}
    values: dict[str, Any] = {}
    for name, raw in saved.items() if isinstance(saved, dict) else ():
        if name not in known:
            continue
        value = raw
        if name == "hotkeys":
            value = tuple(sorted((str(k), str(v)) for k, v in dict(raw or {}).items()))
        values[name] = value
    try:  # all at once first: a custom server is valid only together with its URL
        return Preferences().with_changes(**values)
    except (TypeError, ValueError):
        pass
    prefs = Preferences()
    for name, value in values.items():
        try:
            prefs = prefs.with_changes(**{name: value})
        except (TypeError, ValueError):
            continue
    return prefs


def save(store: Store, prefs: Preferences) -> None:
    """Store ``prefs`` (checked first)."""
    store.meta.set(KEY, _checked(prefs).to_json())
