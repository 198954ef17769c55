"""Sleep and screen lock as Qt signals: both count as time away from the computer.

Listens on D-Bus for logind's ``PrepareForSleep(bool)`` (the system suspends: ``True``; it
resumed: ``False``), the session's ``Lock``/``Unlock`` signals, and ``ActiveChanged(bool)``
of the screen saver services (org.freedesktop.ScreenSaver, GNOME's org.gnome.ScreenSaver).
Where a bus is missing (no logind in a container, Windows, macOS), the watch connects to what
there is and :attr:`PowerWatch.unavailable` says what is missing; it never fails.
"""

from __future__ import annotations

import logging
import os
from typing import cast

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage, QDBusObjectPath

__all__ = ["PowerWatch"]

log = logging.getLogger(__name__)

LOGIN1 = "org.freedesktop.login1"
MANAGER_PATH = "/org/freedesktop/login1"
MANAGER = "org.freedesktop.login1.Manager"
SESSION = "org.freedesktop.login1.Session"
SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)
TIMEOUT_MS = 500


class PowerWatch(QObject):
    """Says when the computer sleeps or wakes and when the screen locks or unlocks.

    Signals:
        sleeping(bool): ``True`` just before a suspend, ``False`` after the resume.
        locked(bool): ``True`` when the screen locks, ``False`` when it unlocks.

    Args:
        session_bus, system_bus: the buses to listen on (default: the user's and the
            system's; tests pass private connections). ``None`` skips that bus when
            ``connect_buses`` is false.
    """

    sleeping = Signal(bool)
    locked = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        session_bus: QDBusConnection | None = None,
        system_bus: QDBusConnection | None = None,
        connect_buses: bool = True,
    ) -> None:
        super().__init__(parent)
        self.sources: list[str] = []
        self._missing: list[str] = []
        if connect_buses:
            session_bus = session_bus or QDBusConnection.sessionBus()
            system_bus = system_bus or QDBusConnection.systemBus()
        if system_bus is not None:
            self._listen_logind(system_bus)
        if session_bus is not None:
            self._listen_screensavers(session_bus)

    @property
    def unavailable(self) -> str | None:
        """Why sleep or lock may go unnoticed here, or ``None`` when everything is heard."""
        if self._missing:
            return "; ".join(self._missing)
        return None if self.sources else "no D-Bus here"

    # --- connections ----------------------------------------------------------------------------

    def _listen_logind(self, bus: QDBusConnection) -> None:
        if not bus.isConnected():
            self._missing.append(f"no system bus ({bus.lastError().message()})")
            return
        if bus.connect(
            LOGIN1, MANAGER_PATH, MANAGER, "PrepareForSleep", self, _slot("_on_prepare(bool)")
        ):
            self.sources.append("logind sleep")
        session = _session_path(bus)
        if session is None:
            self._missing.append("logind does not know this process's session (lock)")
            return
        locks = bus.connect(LOGIN1, session, SESSION, "Lock", self, _slot("_on_lock()"))
        unlocks = bus.connect(LOGIN1, session, SESSION, "Unlock", self, _slot("_on_unlock()"))
        if locks and unlocks:
            self.sources.append("logind lock")

    def _listen_screensavers(self, bus: QDBusConnection) -> None:
        if not bus.isConnected():
            self._missing.append(f"no session bus ({bus.lastError().message()})")
            return
        for service, path, interface in SCREENSAVERS:
            if bus.connect(
                service, path, interface, "ActiveChanged", self, _slot("_on_active(bool)")
            ):
                self.sources.append(service)

    # --- slots (called by QtDBus by name) -------------------------------------------------------

    @Slot(bool)
    def _on_prepare(self, going: bool) -> None:
        log.info("system %s", "suspends" if going else "resumed")
        self.sleeping.emit(bool(going))

    @Slot()
    def _on_lock(self) -> None:
        self.locked.emit(True)

    @Slot()
    def _on_unlock(self) -> None:
        self.locked.emit(False)

    @Slot(bool)
    def _on_active(self, active: bool) -> None:
        self.locked.emit(bool(active))


def _session_path(bus: QDBusConnection) -> str | None:
    """This process's logind session object (signals come from its real path, not ``auto``)."""
    attempts: list[tuple[str, list[object]]] = [("GetSession", ["auto"])]
    if os.environ.get("XDG_SESSION_ID"):
        attempts.append(("GetSession", [os.environ["XDG_SESSION_ID"]]))
    attempts.append(("GetSessionByPID", [os.getpid()]))
    for method, args in attempts:
        message = QDBusMessage.createMethodCall(LOGIN1, MANAGER_PATH, MANAGER, method)
        message.setArguments(args)
        reply = bus.call(message, QDBus.CallMode.Block, TIMEOUT_MS)
        if reply.type() == QDBusMessage.MessageType.ReplyMessage and reply.arguments():
            found = reply.arguments()[0]
            return found.path() if isinstance(found, QDBusObjectPath) else str(found)
    return None


def _slot(signature: str) -> bytes:
    """A slot by its Qt signature, as QtDBus wants it: the binding accepts only the ``str``
    that ``SLOT`` gives, though its type stubs say ``bytes``."""
    return cast("bytes", SLOT(signature))
