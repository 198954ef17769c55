"""Idle time from logind's idle hint: coarse, but present on nearly every Linux system.

The desktop (or logind itself, for text consoles) sets ``IdleHint`` after its own idle delay
and ``IdleSinceHint`` to when the idleness began (microseconds since the epoch). While the
hint is off, the session counts as active: zero seconds idle.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtDBus import QDBusConnection, QDBusVariant

from tracker.integrations.idle.dbus import Caller, DBusError, caller

__all__ = ["LogindIdle"]

SERVICE = "org.freedesktop.login1"
PATH = "/org/freedesktop/login1/session/auto"
"""logind resolves ``auto`` to the caller's own session."""
SESSION = "org.freedesktop.login1.Session"
PROPERTIES = "org.freedesktop.DBus.Properties"


class LogindIdle:
    """Reads the session's idle hint on the system bus; ``call`` and ``wall`` (seconds since
    the epoch) are injectable for tests.

    Raises:
        DBusError: no system bus, or logind does not know this process's session.
    """

    name = "logind"

    def __init__(self, call: Caller | None = None, wall: Callable[[], float] = time.time) -> None:
        self._call = call or caller(QDBusConnection.systemBus(), SERVICE, PATH, PROPERTIES)
        self._wall = wall
        self._get("IdleHint")  # fails here without logind or outside a session

    def idle_seconds(self) -> float | None:
        """Seconds since the session became idle (0 while active); ``None``: no answer."""
        try:
            if not self._get("IdleHint"):
                return 0.0
            since = self._get("IdleSinceHint")
        except DBusError:
            return None
        if not isinstance(since, int) or since <= 0:
            return None
        return max(0.0, self._wall() - since / 1_000_000)

    def _get(self, name: str) -> object:
        values = self._call("Get", SESSION, name)
        value = values[0] if values else None
        return value.variant() if isinstance(value, QDBusVariant) else value
