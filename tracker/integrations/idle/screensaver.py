"""Idle time from the desktop's screen saver service (org.freedesktop.ScreenSaver), which KDE
Plasma and several other desktops offer on Wayland and X11 alike.

The specification says ``GetSessionIdleTime`` answers seconds; KDE's implementation answers
milliseconds. The unit follows the desktop (``XDG_CURRENT_DESKTOP``).
"""

from __future__ import annotations

import os

from PySide6.QtDBus import QDBusConnection

from tracker.integrations.idle.dbus import Caller, DBusError, caller

__all__ = ["ScreenSaverIdle"]

SERVICE = "org.freedesktop.ScreenSaver"
PATH = "/org/freedesktop/ScreenSaver"
INTERFACE = "org.freedesktop.ScreenSaver"


class ScreenSaverIdle:
    """``GetSessionIdleTime`` on the session bus; ``call`` is injectable for tests.

    Raises:
        DBusError: no session bus, or no screen saver service answers the method.
    """

    name = "screensaver"

    def __init__(self, call: Caller | None = None, *, milliseconds: bool | None = None) -> None:
        self._call = call or caller(QDBusConnection.sessionBus(), SERVICE, PATH, INTERFACE)
        if milliseconds is None:
            milliseconds = "KDE" in os.environ.get("XDG_CURRENT_DESKTOP", "").upper()
        self._scale = 1000.0 if milliseconds else 1.0
        self._call("GetSessionIdleTime")  # fails here where the method is not offered

    def idle_seconds(self) -> float | None:
        """Seconds since the last input; ``None`` when the service stops answering."""
        try:
            values = self._call("GetSessionIdleTime")
        except DBusError:
            return None
        return float(values[0]) / self._scale if values else None
