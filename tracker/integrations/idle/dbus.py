"""Short, bounded D-Bus method calls over QtDBus for the idle backends.

A plain ``QDBusMessage`` call rather than ``QDBusInterface``: the interface introspects the
remote object first (a blocking round trip more), and a backend asks often. Each call waits
at most :data:`TIMEOUT_MS`, so a hung desktop service cannot freeze the GUI thread for long.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

__all__ = ["TIMEOUT_MS", "Caller", "DBusError", "caller"]

TIMEOUT_MS = 500

Caller = Callable[..., list[Any]]
"""``call(method, *args)``: the reply's values; raises :class:`DBusError`."""


class DBusError(RuntimeError):
    """The bus or the service refused or did not answer."""


def caller(bus: QDBusConnection, service: str, path: str, interface: str) -> Caller:
    """A function calling ``interface``'s methods on ``service``'s object ``path``."""
    if not bus.isConnected():
        raise DBusError(f"no D-Bus connection: {bus.lastError().message() or 'not connected'}")

    def call(method: str, *args: Any) -> list[Any]:
        message = QDBusMessage.createMethodCall(service, path, interface, method)
        if args:
            message.setArguments(list(args))
        reply = bus.call(message, QDBus.CallMode.Block, TIMEOUT_MS)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            raise DBusError(f"{service} {method}: {reply.errorMessage() or reply.errorName()}")
        return list(reply.arguments())

    return call
