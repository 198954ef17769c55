"""Wayland hotkeys: the XDG desktop portal's GlobalShortcuts interface, where offered.

Wayland gives no client a global key grab; the desktop binds shortcuts on the app's behalf
(and may ask the person first) and signals ``Activated``. Desktops without the interface get
the Null backend, whose reason lists the commands to bind in the desktop's own keyboard
settings.

The D-Bus calls go through jeepney (already installed with keyring's Secret Service support)
rather than QtDBus: ``BindShortcuts`` takes an ``a(sa{sv})`` argument, which PySide6's
QDBusArgument cannot write (its ``<<`` writes Python strings as bytes). The connection's
socket is watched by a ``QSocketNotifier``, so nothing polls.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, MessageType, Properties, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from tracker.integrations.hotkeys import COMMANDS, Activated, HotkeyBackend, fallback_text
from tracker.integrations.hotkeys.keys import KeyProblem, parse, x11_key
from tracker.integrations.hotkeys.null import NullBackend

__all__ = ["PortalBackend", "create", "trigger"]

log = logging.getLogger(__name__)

PORTAL = DBusAddress(
    "/org/freedesktop/portal/desktop",
    bus_name="org.freedesktop.portal.Desktop",
    interface="org.freedesktop.portal.GlobalShortcuts",
)
REQUEST = "org.freedesktop.portal.Request"
SESSION = "org.freedesktop.portal.Session"
TIMEOUT = 5.0
LABELS = {
    "toggle": "Start or stop the timer",
    "popup": "Open the timer popup",
    "today": "Open today",
    "reports": "Open reports",
}

_TRIGGER_MODIFIERS = {"ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT", "meta": "LOGO"}


def trigger(sequence: str) -> str:
    """``Ctrl+Alt+T`` in the XDG shortcuts notation the portal's ``preferred_trigger`` takes."""
    chord = parse(sequence)
    keysym, _mask = x11_key(chord)
    mods = [_TRIGGER_MODIFIERS[m] for m in ("ctrl", "alt", "shift", "meta") if m in chord.modifiers]
    return "+".join([*mods, keysym])


def create(on_activated: Activated) -> HotkeyBackend:
    """The portal backend when the desktop offers GlobalShortcuts, else the Null backend."""
    try:
        connection = open_dbus_connection(bus="SESSION")
    except (OSError, KeyError, ValueError) as problem:
        return NullBackend(f"no D-Bus session bus ({problem}); " + fallback_text())
    try:
        reply = connection.send_and_get_reply(Properties(PORTAL).get("version"), timeout=TIMEOUT)
    except (OSError, TimeoutError) as problem:
        connection.close()
        return NullBackend(f"the desktop portal did not answer ({problem}); " + fallback_text())
    if reply.header.message_type == MessageType.error:
        connection.close()
        return NullBackend("this desktop offers no global shortcuts portal; " + fallback_text())
    return PortalBackend(connection, on_activated)


class PortalBackend(QObject):
    """Shortcuts bound through one portal session; registrations are sent as one batch."""

    name = "portal"
    unavailable: str | None = None

    def __init__(self, connection: DBusConnection, on_activated: Activated) -> None:
        super().__init__()
        self._connection = connection
        self._on_activated = on_activated
        self._session: str | None = None
        self._wanted: dict[str, str] = {}
        self.declined: str | None = None
        """Why the desktop did not bind the last batch, if it said."""
        for rule in (
            MatchRule(type="signal", interface=PORTAL.interface, member="Activated"),
            MatchRule(type="signal", interface=REQUEST, member="Response"),
        ):
            connection.send_and_get_reply(_add_match(rule), timeout=TIMEOUT)
        self._notifier = QSocketNotifier(connection.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)
        self._pending: dict[str, Any] = {}

    def register(self, action: str, sequence: str) -> str | None:
        """Ask the desktop for ``sequence``; it may propose another key or ask the person."""
        try:
            trigger(sequence)
        except KeyProblem as problem:
            return str(problem)
        self._wanted[action] = sequence
        QTimer.singleShot(0, self._bind)
        return None

    def unregister_all(self) -> None:
        """Close the session: the desktop drops its shortcuts with it."""
        self._wanted.clear()
        if self._session is not None:
            close = new_method_call(DBusAddress(self._session, PORTAL.bus_name, SESSION), "Close")
            self._connection.send(close)
            self._session = None

    def _bind(self) -> None:
        if not self._wanted:
            return
        try:
            if self._session is None:
                token = _token()
                results = self._request(
                    "CreateSession",
                    "a{sv}",
                    ({"handle_token": ("s", _token()), "session_handle_token": ("s", token)},),
                )
                self._session = str(results.get("session_handle", ("s", ""))[1])
            shortcuts = [
                (
                    action,
                    {
                        "description": ("s", LABELS.get(action, COMMANDS.get(action, action))),
                        "preferred_trigger": ("s", trigger(sequence)),
                    },
                )
                for action, sequence in self._wanted.items()
            ]
            self._request(
                "BindShortcuts",
                "oa(sa{sv})sa{sv}",
                (self._session, shortcuts, "", {"handle_token": ("s", _token())}),
            )
            self.declined = None
        except (OSError, TimeoutError, RuntimeError) as problem:
            self.declined = str(problem)
            log.warning("the desktop portal did not bind the shortcuts: %s", problem)
        self._wanted.clear()

    def _request(self, method: str, signature: str, body: tuple[Any, ...]) -> dict[str, Any]:
        """Call a portal method and wait (briefly) for its Request's Response."""
        call = new_method_call(PORTAL, method, signature, body)
        reply = self._connection.send_and_get_reply(call, timeout=TIMEOUT)
        if reply.header.message_type == MessageType.error:
            raise RuntimeError(f"{method}: {reply.body[0] if reply.body else 'refused'}")
        handle = str(reply.body[0])
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = self._connection.receive(timeout=max(0.0, deadline - time.monotonic()))
            if (
                message.header.fields.get(HeaderFields.member) == "Response"
                and message.header.fields.get(HeaderFields.path) == handle
            ):
                code, results = message.body
                if code != 0:
                    raise RuntimeError(f"{method}: the desktop declined (response {code})")
                return dict(results)
            self._dispatch(message)
        raise TimeoutError(f"{method}: no answer from the desktop portal")

    def _read(self) -> None:
        try:
            message = self._connection.receive(timeout=0)
        except (TimeoutError, OSError):
            return
        self._dispatch(message)

    def _dispatch(self, message: Any) -> None:
        fields = message.header.fields
        if fields.get(HeaderFields.member) != "Activated":
            return
        session, action = message.body[0], message.body[1]
        if session == self._session:
            self._on_activated(str(action))


def _token() -> str:
    return "tracker_" + secrets.token_hex(6)


def _add_match(rule: MatchRule) -> Any:
    from jeepney.bus_messages import message_bus  # noqa: PLC0415 - only here

    return message_bus.AddMatch(rule)
