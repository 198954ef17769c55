"""Global hotkeys without a desktop: key tables, the Windows and macOS backends against faked
OS calls, the Null fallback, the doctor probe, and the CLI verbs a desktop shortcut runs."""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tracker.cli import main
from tracker.cli.app_verbs import NOT_RUNNING
from tracker.cli.runtime import Runtime
from tracker.integrations.hotkeys import clash, fallback_text, probe
from tracker.integrations.hotkeys.keys import (
    KeyProblem,
    mac_key,
    parse,
    windows_key,
    x11_key,
)
from tracker.integrations.hotkeys.null import NullBackend

# --- keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mods", "key"),
    [
        ("Ctrl+Alt+T", {"ctrl", "alt"}, "T"),
        ("Meta+Shift+F5", {"meta", "shift"}, "F5"),
        ("Ctrl++", {"ctrl"}, "+"),
        ("Ctrl+Space", {"ctrl"}, "Space"),
        ("F9", set(), "F9"),
        ("ctrl+alt+t", {"ctrl", "alt"}, "T"),
    ],
)
def test_portable_text_is_read_as_one_chord(text: str, mods: set[str], key: str) -> None:
    chord = parse(text)
    assert chord.modifiers == frozenset(mods)
    assert chord.key == key


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "no key"),
        ("Ctrl+K, Ctrl+C", "several key presses"),
        ("T", "needs Ctrl, Alt, Shift or Meta"),
        ("Ctrl+Alt", "no key besides"),
        ("Hyper+T", "not a modifier"),
    ],
)
def test_what_cannot_be_a_hotkey_says_why(text: str, why: str) -> None:
    with pytest.raises(KeyProblem, match=why):
        parse(text)


def test_x11_keysyms_and_masks() -> None:
    assert x11_key(parse("Ctrl+Alt+T")) == ("t", 4 | 8)
    assert x11_key(parse("Meta+PgDown")) == ("Next", 64)
    assert x11_key(parse("Shift+Ctrl+,")) == ("comma", 1 | 4)
    assert x11_key(parse("Ctrl+F12")) == ("F12", 4)
    with pytest.raises(KeyProblem):
        x11_key(parse("Ctrl+Volume Up"))


def test_windows_virtual_keys_and_modifiers() -> None:
    norepeat = 0x4000
    assert windows_key(parse("Ctrl+Alt+T")) == (ord("T"), 0x2 | 0x1 | norepeat)
    assert windows_key(parse("Meta+F1")) == (0x70, 0x8 | norepeat)
    assert windows_key(parse("Ctrl+5")) == (ord("5"), 0x2 | norepeat)
    assert windows_key(parse("Ctrl+/")) == (0xBF, 0x2 | norepeat)


def test_mac_key_codes_with_ctrl_as_command() -> None:
    assert mac_key(parse("Ctrl+Alt+T")) == (0x11, 0x0100 | 0x0800)  # cmdKey | optionKey
    assert mac_key(parse("Meta+Space")) == (0x31, 0x1000)  # controlKey
    assert mac_key(parse("Shift+Ctrl+F5")) == (0x60, 0x0200 | 0x0100)


# --- Windows against fake user32 ----------------------------------------------------------------


class FakeUser32:
    def __init__(self, taken: set[tuple[int, int]] = frozenset()) -> None:  # type: ignore[assignment]
        self.taken = set(taken)
        self.registered: dict[int, tuple[int, int]] = {}
        self.error = 0

    def register(self, hwnd: Any, hotkey_id: int, mods: int, vk: int) -> int:
        assert hwnd is None
        if (vk, mods) in self.taken:
            self.error = 1409  # ERROR_HOTKEY_ALREADY_REGISTERED
            return 0
        self.registered[hotkey_id] = (vk, mods)
        return 1

    def unregister(self, hwnd: Any, hotkey_id: int) -> int:
        return 1 if self.registered.pop(hotkey_id, None) else 0

    def api(self) -> Any:
        from tracker.integrations.hotkeys.windows import User32

        return User32(self.register, self.unregister, lambda: self.error)


def wm_hotkey(hotkey_id: int) -> Any:
    from tracker.integrations.hotkeys.windows import MSG, WM_HOTKEY

    return MSG(None, WM_HOTKEY, hotkey_id, 0, 0)


def test_windows_registers_and_reports_wm_hotkey(qapp: Any) -> None:
    from tracker.integrations.hotkeys.windows import WindowsBackend

    fake = FakeUser32()
    pressed: list[str] = []
    backend = WindowsBackend(pressed.append, api=fake.api())
    assert backend.register("toggle", "Ctrl+Alt+T") is None
    assert backend.register("today", "Ctrl+Alt+Y") is None
    (toggle_id, (vk, mods)), _ = fake.registered.items()
    assert (vk, mods) == (ord("T"), 0x4003)
    msg = wm_hotkey(toggle_id)
    handled = backend.filter.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(msg))
    assert handled == (True, 0)
    assert pressed == ["toggle"]
    other = wm_hotkey(0x0100)
    other.message = 0x0100  # WM_KEYDOWN: not ours
    assert backend.filter.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(other)) == (
        False,
        0,
    )
    backend.unregister_all()
    assert fake.registered == {}
    backend.filter.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(msg))
    assert pressed == ["toggle"]


def test_windows_clash_and_other_refusals(qapp: Any) -> None:
    from tracker.integrations.hotkeys.windows import WindowsBackend

    fake = FakeUser32(taken={(ord("T"), 0x4003)})
    backend = WindowsBackend(lambda _a: None, api=fake.api())
    assert backend.register("toggle", "Ctrl+Alt+T") == clash("Ctrl+Alt+T")
    fake.taken.add((ord("P"), 0x4003))
    fake_error = fake.api()
    backend = WindowsBackend(
        lambda _a: None, api=type(fake_error)(fake.register, fake.unregister, lambda: 5)
    )
    assert (
        backend.register("popup", "Ctrl+Alt+P")
        == "Ctrl+Alt+P: Windows refused the hotkey (error 5)"
    )
    assert backend.register("today", "T") is not None  # no modifier: refused before any OS call


# --- macOS against fake Carbon ------------------------------------------------------------------


class FakeCarbon:
    def __init__(self, handler_status: int = 0) -> None:
        self.handler: Callable[[int], None] | None = None
        self.handler_status = handler_status
        self.taken: set[tuple[int, int]] = set()
        self.live: dict[object, int] = {}

    def install(self, handler: Callable[[int], None]) -> int:
        self.handler = handler
        return self.handler_status

    def register(self, code: int, mods: int, hotkey_id: int) -> tuple[int, Any]:
        if (code, mods) in self.taken:
            return -9878, None
        ref = object()
        self.live[ref] = hotkey_id
        return 0, ref

    def unregister(self, ref: Any) -> int:
        del self.live[ref]
        return 0

    def api(self) -> Any:
        from tracker.integrations.hotkeys.macos import Carbon

        return Carbon(self.install, self.register, self.unregister)


def test_mac_registers_reports_presses_and_clashes() -> None:
    from tracker.integrations.hotkeys.macos import MacBackend

    fake = FakeCarbon()
    fake.taken.add((0x23, 0x0100 | 0x0200))  # Cmd+Shift+P, held by another app
    pressed: list[str] = []
    backend = MacBackend(pressed.append, api=fake.api())
    assert backend.unavailable is None
    assert backend.register("toggle", "Ctrl+Alt+T") is None
    assert backend.register("popup", "Ctrl+Shift+P") == clash("Ctrl+Shift+P")
    assert fake.handler is not None
    (hotkey_id,) = fake.live.values()
    fake.handler(hotkey_id)
    fake.handler(999)
    assert pressed == ["toggle"]
    backend.unregister_all()
    assert fake.live == {}


def test_mac_without_a_handler_says_so() -> None:
    from tracker.integrations.hotkeys.macos import MacBackend

    backend = MacBackend(lambda _a: None, api=FakeCarbon(handler_status=-50).api())
    assert backend.unavailable is not None
    assert backend.register("toggle", "Ctrl+T") == backend.unavailable


# --- Null, probe, choose --------------------------------------------------------------------------


def test_null_backend_refuses_with_its_reason() -> None:
    backend = NullBackend("no X here")
    assert backend.register("toggle", "Ctrl+Alt+T") == "no X here"
    backend.unregister_all()


def test_fallback_names_the_exact_commands() -> None:
    text = fallback_text()
    for command in ("`tracker toggle`", "`tracker popup`", "`tracker open-today`"):
        assert command in text


def test_probe_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    assert probe().name == "none"
    assert "DISPLAY" in probe().line()
    monkeypatch.setenv("DISPLAY", ":0")
    assert probe().line() == "x11 (ok)"
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    info = probe()
    assert info.name == "portal"
    assert "`tracker open-today`" in (info.reason or "")


def test_probe_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert probe().name == "windows"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert probe().name == "macos"


def test_choose_falls_back_to_null_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(
        logging.WARNING, logger="tracker.integrations.hotkeys"
    )  # the fallback is logged
    from tracker.integrations.hotkeys.choose import choose_backend

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    monkeypatch.setenv("DISPLAY", ":4242")
    from tracker.integrations.hotkeys import x11

    def no_server(*_args: object) -> None:
        raise OSError('Can\'t connect to display ":4242"')

    monkeypatch.setattr(x11, "X11Backend", no_server)
    backend = choose_backend(lambda _a: None)
    assert backend.name == "none"
    assert backend.unavailable is not None
    assert "x11 hotkeys failed to start" in backend.unavailable
    assert "`tracker toggle`" in backend.unavailable


# --- the CLI verbs ----------------------------------------------------------------------------


@pytest.mark.parametrize(("verb", "message"), [("popup", "popup"), ("open-today", "today")])
def test_cli_verbs_ask_the_app(
    verb: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sent: list[str] = []

    def tell(_rt: Runtime, line: str, timeout: float = 0.5) -> str | None:
        sent.append(line)
        return '{"ok": true}'

    monkeypatch.setattr(Runtime, "tell_app", tell)
    assert main([verb]) == 0
    assert sent == [message]


def test_cli_verbs_say_when_no_app_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(Runtime, "tell_app", lambda *_a, **_k: None)
    assert main(["open-today"]) == 1
    assert NOT_RUNNING in capsys.readouterr().err
