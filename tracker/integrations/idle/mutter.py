"""GNOME idle time: Mutter's IdleMonitor, the compositor's own input clock (Wayland and X11)."""

from __future__ import annotations

from PySide6.QtDBus import QDBusConnection

from tracker.integrations.idle.dbus import Caller, DBusError, caller

__all__ = ["MutterIdle"]

SERVICE = "org.gnome.Mutter.IdleMonitor"
PATH = "/org/gnome/Mutter/IdleMonitor/Core"
INTERFACE = "org.gnome.Mutter.IdleMonitor"


class MutterIdle:
    """``GetIdletime`` (milliseconds) on the session bus; ``call`` is injectable for tests.

    Raises:
        DBusError: no session bus, or Mutter does not answer (not a GNOME session).
    """

    name = "mutter"

    def __init__(self, call: Caller | None = None) -> None:
        self._call = call or caller(QDBusConnection.sessionBus(), SERVICE, PATH, INTERFACE)
        self._call("GetIdletime")  # fails here, not later, where Mutter is not running

    def idle_seconds(self) -> float | None:
        """Seconds since the last input Mutter saw; ``None`` when it stops answering."""
        try:
            values = self._call("GetIdletime")
        except DBusError:
            return None
        return float(values[0]) / 1000.0 if values else None
