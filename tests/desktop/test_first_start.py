"""A first start as a new person meets it: a fresh home folder, a real X server and tray
host. The welcome says tracking works now and how to connect; the tray menu offers
"Connect Clockify…"; a refused key shows the same state on the account page as in the tray.

Screenshots land in ``TRACKER_SCREENSHOTS`` (light, dark, and scale 2 once).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.harness import AppProcess, click, key, screenshot, wait_for
from tests.fakeclockify import FakeClockify, Fault
from tracker.services.preferences import Preferences, save
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _fresh(tmp_path: Path, **env: str) -> AppProcess:
    """The app on a fresh home folder and data folder, local-only."""
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "data").mkdir(exist_ok=True)
    return AppProcess(
        tmp_path / "data",
        {
            "HOME": str(home),
            "CLOCKIFY_API_KEY": "",
            "TRACKER_API_URL": "http://127.0.0.1:9/api",
            **env,
        },
    )


def _welcomed(app: AppProcess, shot: str) -> None:
    app.start()
    try:
        wait_for(lambda: app.probe()["welcome"], what="the welcome window")
        screenshot(shot)
        assert app.probe()["account"] == "local"
    finally:
        assert app.stop() == 0, app.output()


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_the_first_start_shows_the_welcome_once(
    tray: None, tmp_path: Path, appearance: str
) -> None:
    app = _fresh(tmp_path)
    with Store(tmp_path / "data" / "tracker.sqlite3") as store:
        save(store, Preferences(appearance=appearance))
    _welcomed(app, f"welcome-{appearance}")
    app.start()  # the second start says nothing
    try:
        assert not app.probe()["welcome"]
        app.ask("welcome")  # reachable later
        wait_for(lambda: app.probe()["welcome"], what="the welcome again")
    finally:
        assert app.stop() == 0, app.output()


def test_the_welcome_at_scale_two(tray: None, tmp_path: Path) -> None:
    _welcomed(_fresh(tmp_path, QT_SCALE_FACTOR="2"), "welcome-light-scale2")


def test_connect_clockify_in_the_menu_opens_the_account_page(tray: None, tmp_path: Path) -> None:
    app = _fresh(tmp_path)
    app.start()
    try:
        wait_for(lambda: app.probe()["welcome"], what="the welcome window")
        app.ask("toggle")  # tracking works at once, offline
        x, y = app.tray_center()
        click(x, y, 3)
        wait_for(lambda: app.probe()["menu"], what="the tray menu")
        assert "connectClockify" in app.probe()["menu_items"]
        screenshot("menu-connect-clockify")
        key("Escape")
        app.ask("connect")
        wait_for(lambda: app.probe()["settings"], what="the settings")
        assert app.probe()["settings_tab"] == "Account"
        screenshot("settings-connect")
    finally:
        assert app.stop() == 0, app.output()


@pytest.mark.desktop("display", "secret-service", "cmd:xdotool", "cmd:trayer", "cmd:import")
def test_a_refused_key_shows_on_the_account_page_as_in_the_tray(
    tray: None, clockify: FakeClockify, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.integrations.secrets import choose_secret_store, key_account

    keys = choose_secret_store(environ={}).store
    assert keys is not None
    name = key_account(clockify.base_url, clockify.user_id)
    data = tmp_path / "data"
    monkeypatch.setenv("TRACKER_HOME", str(data))
    app = _fresh(tmp_path, TRACKER_API_URL=clockify.base_url)
    app.env.pop("CLOCKIFY_API_KEY")
    login = subprocess.run(
        [sys.executable, "-m", "tracker", "login"],
        env=app.env,
        input=clockify.api_key + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert login.returncode == 0, login.stderr
    clockify.state.revoke_key(clockify.api_key)  # the person regenerated it in Clockify
    app.start()
    try:
        wait_for(lambda: app.probe()["account"] == "refused", timeout=20, what="the refusal")
        assert app.probe()["icon"] == "attention"
        app.ask("connect")
        wait_for(lambda: app.probe()["settings"], what="the settings")
        assert app.probe()["settings_tab"] == "Account"
        screenshot("settings-key-refused")
    finally:
        assert app.stop() == 0, app.output()
        keys.delete(name)


def test_changes_that_waited_offline_are_confirmed_when_sent(
    tray: None, clockify_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = clockify_factory(seed="empty")
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "data"))
    app = _fresh(tmp_path, CLOCKIFY_API_KEY=server.api_key, TRACKER_API_URL=server.base_url)
    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=20, what="the first round")
        server.add_fault(Fault(kind="status", status=503, times=None))
        for n in range(3):
            _cli(app, "add", f"{8 + n}:00", f"{8 + n}:50", f"Offline task {n + 1}")
        app.ask("sync")
        wait_for(lambda: app.probe()["sync"] == "offline", timeout=20, what="offline")
        server.clear_faults()
        app.ask("sync", timeout=30)
        wait_for(lambda: app.probe()["confirmation"], timeout=20, what="the confirmation")
        assert app.probe()["confirmation"] == "3 changes sent to Clockify"
        assert not app.probe()["welcome"]  # a key was there from the start: no welcome
        screenshot("back-online")
        x, y = app.tray_center()
        click(x, y, 3)
        wait_for(lambda: app.probe()["menu"], what="the tray menu")
        screenshot("back-online-menu")
        key("Escape")
    finally:
        assert app.stop() == 0, app.output()


def _cli(app: AppProcess, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=app.env,
        capture_output=True,
        timeout=30,
        check=True,
    )
