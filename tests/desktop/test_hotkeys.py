"""Global hotkeys on a real X server: key grabs, clashes with other programs, and the app's
timer toggled by a key press through the real path (X server → grab → app → store)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from Xlib import XK, X, display, error

from tests.desktop.harness import AppProcess, key, tray_host, wait_for
from tracker.integrations.hotkeys import clash
from tracker.integrations.hotkeys.x11 import X11Backend
from tracker.services import preferences
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool")


class OtherProgram:
    """Another X client holding Ctrl+Alt+T, as a desktop shortcut daemon would."""

    def __init__(self) -> None:
        self.dpy = display.Display()
        self.closed = False
        root = self.dpy.screen().root
        self.keycode = self.dpy.keysym_to_keycode(XK.string_to_keysym("t"))
        catch = error.CatchError(error.BadAccess)
        root.grab_key(
            self.keycode, X.ControlMask | X.Mod1Mask, True, X.GrabModeAsync, X.GrabModeAsync,
            onerror=catch,
        )  # fmt: skip
        self.dpy.sync()
        assert catch.get_error() is None, "Ctrl+Alt+T was already grabbed before the test"

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.dpy.close()


@pytest.fixture
def other_program() -> Iterator[OtherProgram]:
    other = OtherProgram()
    try:
        yield other
    finally:
        other.close()


# --- the backend --------------------------------------------------------------------------------


def test_a_grabbed_key_reports_its_action(qtbot: QtBot) -> None:
    pressed: list[str] = []
    backend = X11Backend(pressed.append)
    try:
        assert backend.register("toggle", "Ctrl+Alt+T") is None
        assert backend.register("today", "Meta+F9") is None
        key("ctrl+alt+t")
        qtbot.waitUntil(lambda: pressed == ["toggle"], timeout=5000)
        key("super+F9")
        qtbot.waitUntil(lambda: pressed == ["toggle", "today"], timeout=5000)
    finally:
        backend.close()


def test_the_grab_holds_with_caps_lock_on(qtbot: QtBot) -> None:
    pressed: list[str] = []
    backend = X11Backend(pressed.append)
    try:
        assert backend.register("popup", "Ctrl+Shift+P") is None
        key("Caps_Lock")
        try:
            key("ctrl+shift+p")
            qtbot.waitUntil(lambda: pressed == ["popup"], timeout=5000)
        finally:
            key("Caps_Lock")
    finally:
        backend.close()


def test_a_key_another_program_holds_is_reported_and_freed_keys_can_be_taken(
    qtbot: QtBot, other_program: OtherProgram
) -> None:
    backend = X11Backend(lambda _action: None)
    try:
        assert backend.register("toggle", "Ctrl+Alt+T") == clash("Ctrl+Alt+T")
        assert "already taken by another program" in clash("Ctrl+Alt+T")
        other_program.close()
        assert backend.register("toggle", "Ctrl+Alt+T") is None
    finally:
        backend.close()


def test_unregister_gives_the_key_back(qtbot: QtBot) -> None:
    first = X11Backend(lambda _action: None)
    second = X11Backend(lambda _action: None)
    try:
        assert first.register("toggle", "Ctrl+Alt+Y") is None
        assert second.register("toggle", "Ctrl+Alt+Y") == clash("Ctrl+Alt+Y")
        first.unregister_all()
        assert second.register("toggle", "Ctrl+Alt+Y") is None
    finally:
        first.close()
        second.close()


def test_a_key_used_twice_here_names_the_other_action(qtbot: QtBot) -> None:
    backend = X11Backend(lambda _action: None)
    try:
        assert backend.register("toggle", "Ctrl+Alt+U") is None
        assert (
            backend.register("popup", "Ctrl+Alt+U")
            == "Ctrl+Alt+U is already used for 'toggle' here"
        )
    finally:
        backend.close()


# --- the real app -------------------------------------------------------------------------------


def _home_with_hotkey(home: Path) -> dict[str, str]:
    """A store with one stopped entry (something to continue) and Ctrl+Alt+T for toggle."""
    env = {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"}
    full = {**os.environ, **env, "TRACKER_HOME": str(home)}
    for args in (["start", "Reading mail"], ["stop"]):
        subprocess.run(
            [sys.executable, "-m", "tracker", *args], env=full, check=True, capture_output=True
        )
    store = Store(home / "tracker.sqlite3")
    try:
        prefs = preferences.load(store).with_changes(hotkeys=(("toggle", "Ctrl+Alt+T"),))
        preferences.save(store, prefs)
    finally:
        store.close()
    return env


@pytest.fixture
def app_with_hotkey(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppProcess]:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    env = _home_with_hotkey(tmp_path)
    with tray_host():
        app = AppProcess(tmp_path, env)
        try:
            yield app
        finally:
            assert app.stop() == 0, app.output()


@pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer")
def test_the_hotkey_toggles_the_timer_in_the_app(app_with_hotkey: AppProcess) -> None:
    app = app_with_hotkey
    app.start()
    assert app.probe()["hotkeys"] == {"toggle": "ok"}
    assert not app.probe()["running"]
    key("ctrl+alt+t")
    wait_for(lambda: app.probe()["running"], what="the timer to start on Ctrl+Alt+T")
    key("ctrl+alt+t")
    wait_for(lambda: not app.probe()["running"], what="the timer to stop on Ctrl+Alt+T")


@pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer")
def test_the_app_reports_a_key_another_program_holds(
    app_with_hotkey: AppProcess, other_program: OtherProgram
) -> None:
    app = app_with_hotkey
    app.start()
    assert app.probe()["hotkeys"] == {"toggle": clash("Ctrl+Alt+T")}
    key("ctrl+alt+t")  # goes to the other program, not the app
    assert not app.probe()["running"]
