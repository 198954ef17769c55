"""Idle backends without a desktop: the choice per session, the doctor probe, the Windows and
macOS backends against faked OS calls, the D-Bus backends against faked replies, and the sleep
and lock signals."""

from __future__ import annotations

import ctypes
import logging
import os
import subprocess
import sys
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pytestqt.qtbot import QtBot

from tracker.integrations.idle import IdleBackend, candidates, probe
from tracker.integrations.idle.choose import choose_backend
from tracker.integrations.idle.dbus import DBusError
from tracker.integrations.idle.logind import LogindIdle
from tracker.integrations.idle.macos import K_CF_NUMBER_SINT64, MacCalls, MacIdle
from tracker.integrations.idle.mutter import MutterIdle
from tracker.integrations.idle.null import NullBackend
from tracker.integrations.idle.screensaver import ScreenSaverIdle
from tracker.integrations.idle.windows import LASTINPUTINFO, Win32, WindowsIdle
from tracker.integrations.power import PowerWatch

# --- the choice -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "platform", "first"),
    [
        (
            {"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "GNOME"},
            "linux",
            "mutter",
        ),
        ({"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE"}, "linux", "screensaver"),
        ({"DISPLAY": ":0"}, "linux", "x11"),
        ({}, "linux", "logind"),
        ({"DISPLAY": ":0"}, "win32", "windows"),
        ({}, "darwin", "macos"),
    ],
)
def test_the_session_decides_the_order(env: dict[str, str], platform: str, first: str) -> None:
    order = candidates(env, platform)
    assert order[0] == first
    assert probe(env, platform).name == first
    if platform == "linux":
        assert order[-1] == "logind"  # the coarse fallback comes last everywhere


def test_the_probe_line_names_the_backend_and_why() -> None:
    assert probe({"DISPLAY": ":0"}, "linux").line() == "x11 (ok)"
    assert "logind idle hint" in probe({}, "linux").line()


class Fixed:
    def __init__(self, name: str, idle: float | None) -> None:
        self.name = name
        self.idle = idle

    def idle_seconds(self) -> float | None:
        return self.idle


def test_the_first_backend_that_answers_is_used() -> None:
    def build(name: str) -> IdleBackend:
        if name == "mutter":
            raise DBusError("org.gnome.Mutter.IdleMonitor is not running")
        return Fixed(name, None if name == "screensaver" else 3.0)

    chosen = choose_backend(["mutter", "screensaver", "logind"], build)
    assert chosen.name == "logind"


def test_without_any_the_null_backend_says_why_each_failed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Expected: the fallback is logged.
    caplog.set_level(logging.WARNING, logger="tracker.integrations.idle")

    def build(name: str) -> IdleBackend:
        raise RuntimeError(f"{name} is missing")

    chosen = choose_backend(["x11", "logind"], build)
    assert isinstance(chosen, NullBackend)
    assert chosen.idle_seconds() is None
    assert chosen.unavailable == "x11: x11 is missing; logind: logind is missing"


def test_the_probe_does_not_load_qt() -> None:
    code = (
        "import sys; from tracker.integrations.idle import probe; probe().line(); "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


# --- Windows ----------------------------------------------------------------------------------


def windows(last_input: int, ticks: int, ok: bool = True) -> WindowsIdle:
    def get_last_input_info(pointer: Any) -> int:
        info = ctypes.cast(pointer, ctypes.POINTER(LASTINPUTINFO)).contents
        assert info.cbSize == ctypes.sizeof(LASTINPUTINFO)  # Windows refuses a wrong size
        info.dwTime = last_input
        return int(ok)

    return WindowsIdle(Win32(get_last_input_info, lambda: ticks))


def test_windows_idle_is_ticks_since_the_last_input() -> None:
    assert windows(last_input=10_000, ticks=75_500).idle_seconds() == 65.5


def test_windows_tick_wrap_does_not_confuse_it() -> None:
    before_wrap = 2**32 - 1_000
    assert windows(last_input=before_wrap, ticks=2_000).idle_seconds() == 3.0


def test_windows_refusal_is_unknown() -> None:
    assert windows(0, 0, ok=False).idle_seconds() is None


# --- macOS ------------------------------------------------------------------------------------


class FakeIOKit:
    """IOKit and CoreFoundation as far as the backend uses them, counting releases."""

    def __init__(self, nanoseconds: int | None, service: int = 42) -> None:
        self.nanoseconds = nanoseconds
        self.service = service
        self.released: list[Any] = []
        self.objects_released: list[int] = []

    def release_object(self, service: int) -> int:
        self.objects_released.append(service)
        return 0

    def calls(self) -> MacCalls:
        def get_matching_service(port: int, matching: Any) -> int:
            assert (port, matching) == (0, "matching:IOHIDSystem")
            return self.service

        def create_cf_property(entry: int, key: Any, allocator: Any, options: int) -> Any:
            assert (entry, key) == (self.service, "cfstring:HIDIdleTime")
            return None if self.nanoseconds is None else "number"

        def number_value(number: Any, kind: int, pointer: Any) -> int:
            assert (number, kind) == ("number", K_CF_NUMBER_SINT64)
            ctypes.cast(pointer, ctypes.POINTER(ctypes.c_int64)).contents.value = (
                self.nanoseconds or 0
            )
            return 1

        return MacCalls(
            service_matching=lambda name: f"matching:{name.decode()}",
            get_matching_service=get_matching_service,
            create_cf_property=create_cf_property,
            cfstring=lambda alloc, text, enc: f"cfstring:{text.decode()}",
            number_value=number_value,
            release=self.released.append,
            object_release=self.release_object,
        )


def test_macos_idle_is_hid_idle_time_in_seconds() -> None:
    fake = FakeIOKit(nanoseconds=12_500_000_000)
    backend = MacIdle(fake.calls())
    assert backend.idle_seconds() == 12.5
    assert fake.released == ["number"]  # the property is released after each read
    backend.close()
    assert fake.objects_released == [42]
    assert fake.released == ["number", "cfstring:HIDIdleTime"]


def test_macos_without_the_property_is_unknown() -> None:
    assert MacIdle(FakeIOKit(nanoseconds=None).calls()).idle_seconds() is None


def test_macos_without_the_service_fails_to_build() -> None:
    with pytest.raises(RuntimeError, match="IOHIDSystem"):
        MacIdle(FakeIOKit(0, service=0).calls())


# --- D-Bus backends, with faked replies ------------------------------------------------------


class Replies:
    """A :data:`~tracker.integrations.idle.dbus.Caller` answering from a table."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, method: str, *args: Any) -> list[Any]:
        self.calls.append((method, *args))
        key = method if not args else args[-1]
        answer = self.answers[key]
        if isinstance(answer, Exception):
            raise answer
        return [answer]


def test_mutter_answers_milliseconds() -> None:
    replies = Replies(GetIdletime=90_500)
    assert MutterIdle(replies).idle_seconds() == 90.5


def test_mutter_stopping_to_answer_is_unknown() -> None:
    replies = Replies(GetIdletime=1_000)
    backend = MutterIdle(replies)
    replies.answers["GetIdletime"] = DBusError("gone")
    assert backend.idle_seconds() is None


def test_screensaver_seconds_per_spec_and_milliseconds_on_kde() -> None:
    assert ScreenSaverIdle(Replies(GetSessionIdleTime=42), milliseconds=False).idle_seconds() == 42
    kde = ScreenSaverIdle(Replies(GetSessionIdleTime=42_000), milliseconds=True)
    assert kde.idle_seconds() == 42


def test_a_missing_service_fails_to_build() -> None:
    with pytest.raises(DBusError):
        ScreenSaverIdle(Replies(GetSessionIdleTime=DBusError("no such name")))


def test_logind_idle_since_the_hint() -> None:
    replies = Replies(IdleHint=True, IdleSinceHint=1_000_000_000 * 1_000_000)
    backend = LogindIdle(replies, wall=lambda: 1_000_000_300.0)
    assert backend.idle_seconds() == 300
    assert ("Get", "org.freedesktop.login1.Session", "IdleSinceHint") in replies.calls
    replies.answers["IdleHint"] = False
    assert backend.idle_seconds() == 0


# --- sleep and lock ---------------------------------------------------------------------------


def test_sleep_and_lock_become_signals(qtbot: QtBot) -> None:
    watch = PowerWatch(connect_buses=False)
    with qtbot.waitSignal(watch.sleeping) as sleeping:
        watch._on_prepare(True)
    assert sleeping.args == [True]
    seen: list[bool] = []
    watch.locked.connect(seen.append)
    watch._on_lock()
    watch._on_unlock()
    watch._on_active(True)
    assert seen == [True, False, True]
    assert watch.unavailable == "no D-Bus here"
