"""Idle detection on a real X server: the XScreenSaver counter against xdotool input, the
screen saver's lock signal over a real session bus, and the real app asking about time away
and applying each answer chosen with the keyboard."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from pytestqt.qtbot import QtBot

from tests.desktop.harness import AppProcess, key, screenshot, tray_host, wait_for, xdotool
from tracker.integrations.idle.x11 import X11Idle
from tracker.services import preferences
from tracker.services.idle import IDLE_DESCRIPTION
from tracker.store import Store

THRESHOLD_MINUTES = 0.05
"""Three seconds: long enough that the app's own start-up is not mistaken for an absence."""

_positions = itertools.count(100, 37)


def move_pointer() -> None:
    """Real pointer motion (to a new place each time: moving to where it is does nothing)."""
    spot = next(_positions) % 700 + 50
    xdotool("mousemove", str(spot), str(spot))


@pytest.fixture
def x11() -> Iterator[X11Idle]:
    backend = X11Idle()
    try:
        yield backend
    finally:
        backend.close()


@pytest.mark.desktop("display", "cmd:xdotool")
def test_the_x11_counter_grows_without_input_and_restarts_on_input(x11: X11Idle) -> None:
    move_pointer()
    first = x11.idle_seconds()
    assert first is not None
    grown = wait_for(
        lambda: v if (v := x11.idle_seconds() or 0) >= first + 1.0 else None,
        what="the idle counter to grow by a second",
    )
    move_pointer()
    after_move = x11.idle_seconds()
    assert after_move is not None
    assert after_move < grown
    wait_for(lambda: (x11.idle_seconds() or 0) >= 1.0, what="another idle second")
    key("shift")
    after_key = x11.idle_seconds()
    assert after_key is not None
    assert after_key < 1.0


@pytest.mark.desktop("dbus")
def test_the_screen_savers_lock_signal_reaches_the_watch(qtbot: QtBot) -> None:
    from tracker.integrations.power import PowerWatch

    watch = PowerWatch()
    assert "org.freedesktop.ScreenSaver" in watch.sources
    # Another client owns the screen saver's name and announces a lock, as the desktop would.
    other = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, "screensaver")
    try:
        assert other.registerService("org.freedesktop.ScreenSaver")
        for active in (True, False):
            signal = QDBusMessage.createSignal(
                "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"
            )
            signal.setArguments([active])
            with qtbot.waitSignal(watch.locked) as locked:
                QTimer.singleShot(0, lambda s=signal: other.send(s))
            assert locked.args == [active]
    finally:
        other.unregisterService("org.freedesktop.ScreenSaver")
        QDBusConnection.disconnectFromBus("screensaver")


# --- the real app -----------------------------------------------------------------------------


def run_cli(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    try:
        return json.loads(done.stdout)
    except ValueError:
        raise AssertionError(
            f"tracker {' '.join(args)} exited {done.returncode}: {done.stdout!r} {done.stderr}"
        ) from None


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppProcess]:
    """The app with a three-second idle threshold (the timer is started by the test)."""
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    env = {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"}
    store = Store(tmp_path / "tracker.sqlite3")
    try:
        prefs = preferences.load(store).with_changes(idle_threshold_minutes=THRESHOLD_MINUTES)
        preferences.save(store, prefs)
    finally:
        store.close()
    with tray_host():
        process = AppProcess(tmp_path, env)
        try:
            process.start()
            yield process
        finally:
            assert process.stop() == 0, process.output()


def entries(app: AppProcess) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = run_cli(dict(app.env), "today")["entries"]
    return sorted(found, key=lambda e: e["start"])


def when(text: str | None) -> datetime:
    assert text is not None
    return datetime.fromisoformat(text)


@pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")
@pytest.mark.parametrize("choice", ["keep", "discard", "discard_continue", "add_as_new"])
def test_coming_back_asks_and_each_answer_writes_the_right_entries(
    app: AppProcess, x11: X11Idle, choice: str
) -> None:
    assert app.probe()["idle"] == "x11"
    assert not app.probe()["idle_prompt"]
    run_cli(dict(app.env), "start", "Write report")  # the CLI tells the running app
    wait_for(lambda: app.probe()["running"], what="the app to see the timer")

    # Work (input) for two seconds first: times are whole seconds, and an absence from the
    # timer's first second would discard all of it (clamping is the unit tests' business).
    def worked() -> list[dict[str, Any]]:
        move_pointer()
        return [e for e in entries(app) if e["duration_seconds"] >= 2]

    (started,) = wait_for(worked, what="two seconds of work")
    # The absence begins at the last input, so that one must come after the two seconds were
    # seen. The input before the answer can lie in the timer's first second when the CLI
    # call takes over a second (a loaded machine): the entry then vanished, all of it idle.
    move_pointer()
    # No input for well over the threshold (and over one of the app's polls after it).
    wait_for(lambda: (x11.idle_seconds() or 0) > 6, timeout=20, what="six idle seconds")
    assert not app.probe()["idle_prompt"]  # nothing is asked while the person is away
    move_pointer()
    wait_for(lambda: app.probe()["idle_prompt"], what="the idle prompt after the return")
    screenshot(f"idle-prompt-{choice}")
    key({"keep": "alt+k", "discard": "alt+d", "discard_continue": "alt+c"}.get(choice, "alt+a"))
    wait_for(lambda: not app.probe()["idle_prompt"], what="the prompt to close")

    if choice == "keep":
        kept = entries(app)  # one reading: under load a second ticks between two CLI calls
        assert kept == [{**started, **_times(kept[0])}]
        assert app.probe()["running"]
        return
    expected = {"discard": 1, "discard_continue": 2, "add_as_new": 3}[choice]
    try:
        found = wait_for(
            lambda: e if len(e := entries(app)) == expected and not e[0]["running"] else None,
            what=f"{expected} entries after {choice}",
        )
    except AssertionError as problem:
        raise AssertionError(f"{problem}: {entries(app)}\n{app.output()}") from None
    first = found[0]
    assert first["id"] == started["id"]
    assert first["description"] == "Write report"
    left = when(first["end"])
    assert when(started["start"]) < left
    if choice == "discard":
        assert not app.probe()["running"]
        return
    resumed = found[-1]
    assert resumed["running"]
    assert resumed["description"] == "Write report"
    back = when(resumed["start"])
    assert (back - left).total_seconds() >= THRESHOLD_MINUTES * 60
    if choice == "add_as_new":
        idle = found[1]
        assert idle["description"] == IDLE_DESCRIPTION
        assert (when(idle["start"]), when(idle["end"])) == (left, back)
        assert not idle["running"]


def _times(entry: dict[str, Any]) -> dict[str, Any]:
    """The fields of an entry that move while it runs."""
    moving = ("duration", "duration_seconds", "in_day_seconds")
    return {name: entry[name] for name in moving if name in entry}


@pytest.mark.desktop("display")
def test_connections_load_only_the_extension_the_app_uses() -> None:
    """Opening the idle and hotkey connections imports python-xlib's screen-saver extension
    and none of the twenty others the X server offers (each kept about 2 MiB for nothing)."""
    probe = (
        "import sys, json\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from tracker.integrations.idle.x11 import X11Idle\n"
        "from tracker.integrations.hotkeys.x11 import X11Backend\n"
        "idle = X11Idle(); keys = X11Backend(lambda name: None)\n"
        "offered = idle._display.list_extensions()\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('Xlib.ext.'))\n"
        "print(json.dumps({'offered': offered, 'loaded': loaded, 'idle': idle.idle_seconds()}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert "RANDR" in found["offered"]  # the server offers more than the app uses
    # ge is imported by python-xlib's display module itself, whatever is set up
    assert set(found["loaded"]) <= {"Xlib.ext.ge", "Xlib.ext.screensaver"}
    assert "Xlib.ext.screensaver" in found["loaded"]
    assert found["idle"] is not None
