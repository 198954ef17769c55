"""Notifications with buttons: the freedesktop backend against a tiny notification service
on a private, real D-Bus bus (Notify carries the buttons, ActionInvoked runs the action), the
Null fallback, and the doctor probe."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from jeepney import HeaderFields, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from pytestqt.qtbot import QtBot

from tracker.integrations.notify import TRAY_REASONS, probe
from tracker.integrations.notify.choose import choose_backend
from tracker.integrations.notify.freedesktop import FreedesktopNotify, create
from tracker.integrations.notify.null import NullNotify
from tracker.integrations.notify.service import SERVICE


@pytest.fixture
def bus_address(tmp_path: Any) -> Iterator[str]:
    """A private session bus for this test (no desktop's notification service on it)."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1", "--nopidfile"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    try:
        yield address
    finally:
        process.terminate()
        process.wait(timeout=5)
        process.stdout.close()


class NotificationService:
    """org.freedesktop.Notifications on its own connection and thread, recording calls."""

    def __init__(self, address: str, capabilities: tuple[str, ...] = ("actions", "body")) -> None:
        self.connection: DBusConnection = open_dbus_connection(bus=address)
        reply = self.connection.send_and_get_reply(
            message_bus.RequestName(SERVICE.bus_name), timeout=5
        )
        assert reply.body == (1,)  # primary owner
        self.capabilities = capabilities
        self.calls: list[tuple[Any, ...]] = []
        self.received = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._running = True
        self._thread.start()

    def _serve(self) -> None:
        while self._running:
            try:
                message = self.connection.receive(timeout=0.2)
            except TimeoutError:
                continue
            except OSError:
                return
            if message.header.message_type != MessageType.method_call:
                continue
            member = message.header.fields.get(HeaderFields.member)
            with self._lock:
                if member == "GetCapabilities":
                    answer = new_method_return(message, "as", (list(self.capabilities),))
                elif member == "GetServerInformation":
                    answer = new_method_return(
                        message, "ssss", ("fakenotify", "tests", "1.2", "1.2")
                    )
                elif member == "Notify":
                    signature = message.header.fields.get(HeaderFields.signature)
                    self.calls.append((signature, *message.body))
                    answer = new_method_return(message, "u", (len(self.calls),))
                    self.received.set()
                else:
                    answer = new_error(message, "org.freedesktop.DBus.Error.UnknownMethod")
                self.connection.send(answer)

    def invoke(self, ident: int, key: str) -> None:
        with self._lock:
            self.connection.send(new_signal(SERVICE, "ActionInvoked", "us", (ident, key)))

    def close(self, ident: int) -> None:
        with self._lock:
            self.connection.send(new_signal(SERVICE, "NotificationClosed", "uu", (ident, 2)))

    def stop(self) -> None:
        self._running = False
        self._thread.join(timeout=5)
        self.connection.close()


@pytest.fixture
def service(bus_address: str) -> Iterator[NotificationService]:
    found = NotificationService(bus_address)
    yield found
    found.stop()


def test_notify_carries_the_buttons_and_an_action_runs(
    qtbot: QtBot, bus_address: str, service: NotificationService
) -> None:
    backend = create(bus_address)
    assert isinstance(backend, FreedesktopNotify)
    assert backend.buttons
    pressed: list[str] = []
    body = "“Write <b>report</b>” has run for 8 h."
    actions = [("stop", "Stop timer"), ("dismiss", "Dismiss")]
    assert backend.notify("Timer still running", body, actions, pressed.append)
    [call] = service.calls
    signature, app, replaces, icon, summary, text, flat, _hints, expire = call
    assert signature == "susssasa{sv}i"
    assert (app, replaces, summary, text, expire) == ("Tracker", 0, "Timer still running", body, -1)
    assert flat == ["default", "Stop timer", "stop", "Stop timer", "dismiss", "Dismiss"]
    assert icon == "io.github.tracker.Tracker"
    assert backend.waiting == 1

    service.invoke(1, "stop")
    qtbot.waitUntil(lambda: pressed == ["stop"], timeout=5000)
    assert backend.waiting == 0
    service.invoke(1, "stop")  # pressed again after it was handled: nothing more
    assert backend.notify("Again", "x", actions, pressed.append)
    service.invoke(2, "default")  # a click on the body does the first action
    qtbot.waitUntil(lambda: pressed == ["stop", "stop"], timeout=5000)
    backend.close()


def test_a_closed_notification_forgets_its_buttons(
    qtbot: QtBot, bus_address: str, service: NotificationService
) -> None:
    backend = create(bus_address)
    assert isinstance(backend, FreedesktopNotify)
    backend.notify("Not tracking", "Start a timer?", [("start", "Start timer")], print)
    service.close(1)
    qtbot.waitUntil(lambda: backend.waiting == 0, timeout=5000)
    backend.close()


def test_a_markup_service_gets_the_body_escaped(bus_address: str) -> None:
    service = NotificationService(bus_address, ("actions", "body", "body-markup"))
    try:
        backend = create(bus_address)
        backend.notify("T", "a <i>b</i> & c", [], print)
        assert service.calls[0][5] == "a &lt;i&gt;b&lt;/i&gt; &amp; c"
        assert isinstance(backend, FreedesktopNotify)
        backend.close()
    finally:
        service.stop()


def test_no_service_on_the_bus_gives_the_null_backend_with_a_reason(bus_address: str) -> None:
    backend = create(bus_address)
    assert isinstance(backend, NullNotify)
    assert backend.unavailable is not None
    assert "no notification service answers" in backend.unavailable
    assert not backend.notify("T", "b", [("start", "Start")], print)


def test_no_bus_gives_the_null_backend() -> None:
    backend = create("unix:path=/nonexistent/bus")
    assert isinstance(backend, NullNotify)
    assert "no D-Bus session bus" in (backend.unavailable or "")


def test_probe_names_the_service(bus_address: str, service: NotificationService) -> None:
    env = {"DBUS_SESSION_BUS_ADDRESS": bus_address}
    assert probe(env, "linux").line() == "freedesktop (fakenotify 1.2, buttons)"


def test_probe_without_a_service_or_on_other_platforms(bus_address: str) -> None:
    assert probe({"DBUS_SESSION_BUS_ADDRESS": bus_address}, "linux").name == "tray"
    windows = probe({}, "win32")
    assert windows.name == "tray"
    assert "no buttons" in (windows.reason or "")
    assert "macOS" in (probe({}, "darwin").reason or "")


def test_probe_does_not_import_qt() -> None:
    code = (
        "import sys; from tracker.integrations.notify import probe; probe().line(); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_choose_backend_takes_the_service_on_the_session_bus(
    qtbot: QtBot, bus_address: str, service: NotificationService
) -> None:
    backend = choose_backend({"DBUS_SESSION_BUS_ADDRESS": bus_address}, "linux")
    assert isinstance(backend, FreedesktopNotify)
    assert backend.unavailable is None
    backend.close()


def test_choose_backend_says_why_there_is_none(bus_address: str) -> None:
    silent = choose_backend({"DBUS_SESSION_BUS_ADDRESS": bus_address}, "linux")
    assert "no notification service answers" in (silent.unavailable or "")
    no_bus = choose_backend({}, "linux")
    assert isinstance(no_bus, NullNotify)
    assert "no D-Bus session bus" in (no_bus.unavailable or "")
    for platform in ("win32", "darwin"):
        tray = choose_backend({"DBUS_SESSION_BUS_ADDRESS": bus_address}, platform)
        assert isinstance(tray, NullNotify)
        assert tray.unavailable == TRAY_REASONS[platform]
