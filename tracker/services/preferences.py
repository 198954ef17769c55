"""The person's choices for the app (click behaviour, server, appearance), kept in the store.

They live in the store rather than a separate config file so the tray app and the CLI read
the same server choice, and a write is atomic like every other change. Secrets never go
here: the API key stays in the OS keyring.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from tracker.store import Store

__all__ = ["APPEARANCES", "LEFT_CLICK", "SERVER_KINDS", "Preferences", "load", "save"]

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
    return _checked_idle(prefs)


def _checked_idle(prefs: Preferences) -> Preferences:
    minutes = prefs.idle_threshold_minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int | float):
        raise ValueError("idle_threshold_minutes must be a number of minutes")
    if not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise ValueError(f"idle_threshold_minutes must be from 0 (off) to {MAX_IDLE_MINUTES}")
    return replace(prefs, idle_threshold_minutes=float(minutes))


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
