"""Notifications with buttons over D-Bus: ``org.freedesktop.Notifications``.

``Notify`` carries the buttons as ``[key, label, ...]`` and the service signals
``ActionInvoked(id, key)`` when one is pressed (``default`` for a click on the body). The calls
go through jeepney, like the portal hotkeys: ``Notify`` takes a ``uint32`` that PySide6's
QtDBus cannot write. The connection's socket is watched by a ``QSocketNotifier``, so nothing
polls. Bodies are escaped where the service reads markup (capability ``body-markup``): the
text may be an entry's description from the server, and is shown as written.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from typing import Any

from jeepney import HeaderFields, MatchRule
from jeepney.io.blocking import DBusConnection
from PySide6.QtCore import QObject, QSocketNotifier

from tracker.integrations.notify import NotifyBackend, OnAction
from tracker.integrations.notify.null import NullNotify
from tracker.integrations.notify.service import SERVICE, TIMEOUT, call, open_bus

__all__ = ["APP_NAME", "FreedesktopNotify", "create"]

log = logging.getLogger(__name__)

APP_NAME = "Tracker"
ICON = "io.github.tracker.Tracker"
EXPIRE_MS = -1
"""The service's default display time."""


def create(address: str | None = None) -> NotifyBackend:
    """The freedesktop backend when a notification service answers, else the Null one."""
    try:
        connection = open_bus(address)
    except (OSError, KeyError, ValueError) as problem:
        return NullNotify(f"no D-Bus session bus ({problem}); the tray balloon instead")
    try:
        capabilities = [str(c) for c in call(connection, "GetCapabilities")[0]]
    except (OSError, TimeoutError, RuntimeError) as problem:
        connection.close()
        return NullNotify(f"no notification service answers ({problem}); the tray balloon instead")
    return FreedesktopNotify(connection, capabilities)


class FreedesktopNotify(QObject):
    """Sends notifications and calls each one's ``on_action`` when a button is pressed."""

    name = "freedesktop"
    unavailable: str | None = None

    def __init__(self, connection: DBusConnection, capabilities: Sequence[str]) -> None:
        super().__init__()
        self._connection = connection
        self.capabilities = list(capabilities)
        self.buttons = "actions" in self.capabilities
        self._markup = "body-markup" in self.capabilities
        self._waiting: dict[int, OnAction] = {}
        from jeepney.bus_messages import message_bus  # noqa: PLC0415 - only here

        for member in ("ActionInvoked", "NotificationClosed"):
            rule = MatchRule(type="signal", interface=SERVICE.interface, member=member)
            connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=TIMEOUT)
        self._notifier = QSocketNotifier(connection.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)

    def notify(
        self, title: str, body: str, actions: Sequence[tuple[str, str]], on_action: OnAction
    ) -> bool:
        """Send the notification; the body's first action is also the ``default`` (a click
        on the body). ``False`` when the service refused or did not answer."""
        flat: list[str] = []
        if actions:
            flat += ["default", actions[0][1]]
        for key, label in actions:
            flat += [key, label]
        text = html.escape(body, quote=False) if self._markup else body
        hints = {"desktop-entry": ("s", ICON), "category": ("s", "presence")}
        try:
            reply = call(
                self._connection,
                "Notify",
                "susssasa{sv}i",
                (APP_NAME, 0, ICON, title, text, flat, hints, EXPIRE_MS),
            )
        except (OSError, TimeoutError, RuntimeError) as problem:
            log.warning("notification not shown: %s", problem)
            return False
        if actions:
            default = actions[0][0]
            self._waiting[int(reply[0])] = lambda key: on_action(
                default if key == "default" else key
            )
        return True

    @property
    def waiting(self) -> int:
        """Notifications shown whose buttons may still be pressed."""
        return len(self._waiting)

    def close(self) -> None:
        """Stop listening and close the connection."""
        self._notifier.setEnabled(False)
        self._waiting.clear()
        self._connection.close()

    def _read(self) -> None:
        while True:
            try:
                message = self._connection.receive(timeout=0)
            except (TimeoutError, OSError):
                return
            self._dispatch(message)

    def _dispatch(self, message: Any) -> None:
        member = message.header.fields.get(HeaderFields.member)
        if member == "ActionInvoked":
            ident, key = int(message.body[0]), str(message.body[1])
            callback = self._waiting.pop(ident, None)
            if callback is not None:
                callback(key)
        elif member == "NotificationClosed":
            self._waiting.pop(int(message.body[0]), None)
