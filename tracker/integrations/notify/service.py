"""The freedesktop notification service over jeepney, without Qt (``tracker doctor`` asks
it too)."""

from __future__ import annotations

from typing import Any

from jeepney import DBusAddress, MessageType, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

__all__ = ["SERVICE", "TIMEOUT", "call", "open_bus", "server_info"]

SERVICE = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)
TIMEOUT = 1.0
"""Seconds a call may wait: a hung notification service must not freeze the GUI for long."""


def open_bus(address: str | None) -> DBusConnection:
    """A connection to the bus at ``address`` (default: the session bus)."""
    return open_dbus_connection(bus=address or "SESSION")


def call(connection: DBusConnection, method: str, signature: str = "", body: Any = ()) -> Any:
    """Call the service's ``method``; its reply's values (``RuntimeError`` if refused)."""
    reply = connection.send_and_get_reply(
        new_method_call(SERVICE, method, signature, body), timeout=TIMEOUT
    )
    if reply.header.message_type == MessageType.error:
        raise RuntimeError(f"{method}: {reply.body[0] if reply.body else 'refused'}")
    return reply.body


def server_info(address: str | None = None, timeout: float = TIMEOUT) -> tuple[str, str, bool]:
    """The service's name, version and whether it shows buttons (Qt-free, for doctor)."""
    connection = open_bus(address)
    try:
        reply = connection.send_and_get_reply(
            new_method_call(SERVICE, "GetServerInformation"), timeout=timeout
        )
        if reply.header.message_type == MessageType.error:
            raise RuntimeError(str(reply.body[0]) if reply.body else "refused")
        name, _vendor, version, _spec = reply.body
        capabilities = call(connection, "GetCapabilities")[0]
        return str(name), str(version), "actions" in capabilities
    finally:
        connection.close()
