"""The tray app as a person uses it: a real X server, a real tray host, xdotool input, and the
Clockify test server receiving what was done.

Screenshots of each state land in ``artifacts/screenshots`` (``TRACKER_SCREENSHOTS``) for a
person to look at.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.harness import (
    AppProcess,
    click,
    key,
    screenshot,
    type_text,
    wait_for,
)
from tests.fakeclockify import FakeClockify, Fault

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def start_app(home: Path, clockify: FakeClockify | None) -> AppProcess:
    env = {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"}
    if clockify is not None:
        env = {"CLOCKIFY_API_KEY": clockify.api_key, "TRACKER_API_URL": clockify.base_url}
    app = AppProcess(home, env)
    app.start()
    return app


@pytest.fixture
def app(
    tray: None, clockify: FakeClockify, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppProcess]:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    process = start_app(tmp_path, clockify)
    try:
        yield process
    finally:
        code = process.stop()
        assert code == 0, process.output()


def cli(app: AppProcess, *args: str) -> Any:
    """A CLI call on the app's store, as a person in a terminal would make it."""
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args, "--json"],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)


def server_entries(clockify: FakeClockify) -> list[dict[str, Any]]:
    return clockify.state.time_entries(clockify.workspace_id, clockify.user_id)


def find_on_server(clockify: FakeClockify, description: str) -> list[dict[str, Any]]:
    return [e for e in server_entries(clockify) if e.get("description") == description]


def test_tray_clicks_start_and_stop_a_timer_that_reaches_clockify(
    app: AppProcess, clockify: FakeClockify
) -> None:
    x, y = app.tray_center()
    click(x, y, 1)
    wait_for(lambda: app.probe()["popup"], what="the timer popup")
    type_text("Desktop tray test")
    screenshot("popup-typing")
    key("Return")
    wait_for(lambda: app.probe()["running"], what="a running timer")

    started = wait_for(
        lambda: find_on_server(clockify, "Desktop tray test"),
        timeout=20,
        what="the new entry on the server",
    )
    assert len(started) == 1
    assert started[0]["timeInterval"]["end"] is None

    click(x, y, 3)
    wait_for(lambda: app.probe()["menu"], what="the tray menu")
    screenshot("tray-menu-running")
    key("Down", "Return")  # the first item: Stop
    wait_for(lambda: not app.probe()["running"], what="the timer to stop")

    stopped = wait_for(
        lambda: [
            e for e in find_on_server(clockify, "Desktop tray test") if e["timeInterval"]["end"]
        ],
        timeout=20,
        what="the stop on the server",
    )
    assert len(stopped) == 1
    assert len(find_on_server(clockify, "Desktop tray test")) == 1  # stopped, not duplicated


def test_the_today_window_is_edited_by_keyboard(app: AppProcess, clockify: FakeClockify) -> None:
    app.ask("today")
    wait_for(lambda: app.probe()["today"], what="the today window")
    key("ctrl+n")  # a manual entry; its description cell opens for typing
    type_text("Keyboard entry")
    key("Return")
    entry = wait_for(
        lambda: next(
            (e for e in cli(app, "today")["entries"] if e["description"] == "Keyboard entry"),
            None,
        ),
        what="the added entry in the store",
    )
    key("End", "F2", "ctrl+a")  # the duration column of the new row
    type_text("20m")  # shorter than the half hour it was: it still ends before now
    key("Return")
    edited = wait_for(
        lambda: next(
            (
                e
                for e in cli(app, "today")["entries"]
                if e["id"] == entry["id"] and e["duration_seconds"] == 1200
            ),
            None,
        ),
        what="the duration edit in the store",
    )
    assert edited["description"] == "Keyboard entry"
    screenshot("today-busy")
    on_server = wait_for(
        lambda: [
            e
            for e in find_on_server(clockify, "Keyboard entry")
            if e["timeInterval"].get("duration") == "PT20M"
        ],
        timeout=20,
        what="the edited entry on the server",
    )
    assert len(on_server) == 1


def test_screenshots_of_every_state(
    tray: None, clockify_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Empty, busy, offline and error states, for a person to look at."""
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    server = clockify_factory(seed="empty")
    app = start_app(tmp_path, server)
    try:
        app.ask("today")
        wait_for(lambda: app.probe()["today"], what="the today window")
        screenshot("today-empty")
        app.ask("popup")
        wait_for(lambda: app.probe()["popup"], what="the popup")
        screenshot("popup-stopped")
        key("Escape")

        for n in range(6):
            cli(app, "add", f"{8 + n}:00", f"{8 + n}:50", f"Task number {n + 1}")
        cli(app, "start", "Running now")
        server.add_fault(Fault(kind="status", status=503, times=None))
        app.ask("sync")
        wait_for(lambda: app.probe()["icon"] == "pending", timeout=20, what="the offline icon")
        app.ask("today")
        screenshot("today-offline")
        x, y = app.tray_center()
        click(x, y, 3)
        wait_for(lambda: app.probe()["menu"], what="the tray menu")
        screenshot("tray-menu-offline")
        key("Escape")

        server.clear_faults()
        server.revoke_key()
        app.ask("sync")
        wait_for(lambda: app.probe()["icon"] == "attention", timeout=20, what="auth required")
        app.ask("today")
        screenshot("today-auth-error")
    finally:
        assert app.stop() == 0, app.output()


def test_a_second_start_brings_the_first_forward(app: AppProcess) -> None:
    second = subprocess.run(
        [sys.executable, "-m", "tracker"],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    wait_for(lambda: app.probe()["popup"], what="the first app's popup")


def test_a_cli_verb_shows_in_the_running_app_at_once(app: AppProcess) -> None:
    assert not app.probe()["running"]
    cli(app, "start", "From the terminal")
    # The CLI tells the app; its tray reads the store again without waiting for a timer.
    wait_for(lambda: app.probe()["icon"] == "running", timeout=3, what="the running icon")
    cli(app, "stop")
    wait_for(lambda: app.probe()["icon"] != "running", timeout=3, what="the stopped icon")


@pytest.mark.desktop("display", "secret-service", "cmd:xdotool", "cmd:trayer")
def test_a_local_user_connects_an_account_in_settings(
    tray: None, clockify: FakeClockify, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline work first, then the key typed into Settings: it lands in the real Secret
    Service, and the local entries reach Clockify once."""
    from tracker.integrations.secrets import choose_secret_store, key_account

    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    keys = choose_secret_store(environ={}).store
    assert keys is not None
    name = key_account(clockify.base_url, clockify.user_id)
    keys.delete(name)
    app = AppProcess(tmp_path, {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": clockify.base_url})
    app.env.pop("CLOCKIFY_API_KEY")
    app.start()
    try:
        assert app.probe()["sync"] == "local"
        cli(app, "add", "9:00", "10:00", "Tracked before connecting")
        app.ask("settings")
        wait_for(lambda: app.probe()["settings"], what="the settings dialog")
        type_text(clockify.api_key)
        key("Return")  # Enter in the key field connects
        wait_for(lambda: keys.get(name) == clockify.api_key, what="the key stored")
        screenshot("settings-connected")
        uploaded = wait_for(
            lambda: find_on_server(clockify, "Tracked before connecting"),
            timeout=30,
            what="the local entry on Clockify",
        )
        assert len(uploaded) == 1
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=20, what="synced")
    finally:
        assert app.stop() == 0, app.output()
        keys.delete(name)


def test_an_unclear_create_is_shown_as_such_and_never_sent_twice(
    tray: None, clockify_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection breaks after a create went out: the today window says the entry is
    unclear, and the app looks for it instead of sending it again."""
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    server = clockify_factory(seed="empty")
    app = start_app(tmp_path, server)
    try:
        server.add_fault(Fault(kind="drop_before_commit", method="POST", times=None))
        cli(app, "add", "9:00", "10:15", "Sent without an answer")
        cli(app, "add", "10:30", "11:00", "Waiting behind it")
        app.ask("sync")
        wait_for(
            lambda: any(e["state"] == "unclear" for e in cli(app, "today")["entries"]),
            timeout=30,
            what="an unclear entry",
        )
        app.ask("today")
        wait_for(lambda: app.probe()["today"], what="the today window")
        screenshot("today-unclear")
        app.ask("sync")  # a look, not a second create
        wait_for(lambda: len([x for x in server.exchanges if x.method == "GET"]) > 3, timeout=20)
        sent = [
            json.loads(x.request_body)["description"]
            for x in server.exchanges
            if x.method == "POST"
        ]
        assert sorted(sent) == sorted(set(sent)), sent  # each create went out once
        assert server_entries(server) == []
    finally:
        assert app.stop() == 0, app.output()
