"""The timer popup as a person uses it, on a real X server with a real tray host: edits to the
running timer are saved as they are made, a suggestion brings its project back, and the
popup's recent list, undo bar and start-time error, screenshotted in light and dark (and once
at scale 2) for a person to look at.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.harness import AppProcess, click, key, screenshot, type_text, wait_for
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.preferences import Preferences
from tracker.services.preferences import save as save_preferences
from tracker.store import Store
from tracker.ui.popup import DESCRIPTION_PAUSE_MS

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def start_app(
    home: Path, clockify: FakeClockify | None, extra: dict[str, str] | None = None
) -> AppProcess:
    """The app on ``home``, connected to ``clockify`` (or local-only)."""
    env = {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"}
    if clockify is not None:
        env = {"CLOCKIFY_API_KEY": clockify.api_key, "TRACKER_API_URL": clockify.base_url}
    app = AppProcess(home, {**env, **(extra or {})})
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


def running(app: AppProcess) -> dict[str, Any] | None:
    """The running entry as ``tracker status`` shows it."""
    found: dict[str, Any] | None = cli(app, "status").get("running")
    return found


def internal_id(app: AppProcess) -> str:
    """The id of the demo workspace's "Internal" project, once the first sync brought it."""
    found: str = wait_for(
        lambda: next((p["id"] for p in cli(app, "projects") if p["name"] == "Internal"), None),
        timeout=20,
        what="the Internal project from the first sync",
    )
    return found


def open_popup(app: AppProcess, *, by_click: bool = True) -> None:
    """Open the popup with a click on the tray icon, or as ``tracker popup`` does (the
    icon's geometry is in logical pixels, which xdotool does not use at scale 2)."""
    if by_click:
        x, y = app.tray_center()
        click(x, y, 1)
    else:
        app.ask("popup")
    wait_for(lambda: app.probe()["popup"], what="the timer popup")


def on_server(clockify: FakeClockify, description: str) -> list[dict[str, Any]]:
    return [
        e
        for e in clockify.state.time_entries(clockify.workspace_id, clockify.user_id)
        if e.get("description") == description
    ]


def test_edits_to_the_running_timer_are_saved_as_made_and_sent_once(
    app: AppProcess, clockify: FakeClockify
) -> None:
    project = internal_id(app)
    cli(app, "start", "Roadmap")
    wait_for(lambda: on_server(clockify, "Roadmap"), timeout=20, what="the start on the server")
    time.sleep(3)  # anything else the start stirred up is sent
    sent_before = len(clockify.exchanges)
    open_popup(app)
    key("Tab")  # from the description to the project
    type_text("intern")
    key("Return")  # picks Internal: saved at once
    now = running(app)
    assert now is not None
    assert now["project_id"] == project, now
    key("End")  # the pick put the focus back in the description
    type_text(" review")
    time.sleep(DESCRIPTION_PAUSE_MS / 1000 + 3)  # a pause in typing saves; longer than a push wait
    paused = running(app)
    assert paused is not None
    assert paused["description"] == "Roadmap review"
    type_text(" notes")
    key("Escape")  # closes; never discards
    wait_for(lambda: not app.probe()["popup"], what="the popup to close")
    now = running(app)
    assert now is not None
    assert (now["description"], now["project_id"]) == ("Roadmap review notes", project)
    open_popup(app)
    screenshot("popup-saved-as-you-go")
    key("Escape")
    internal = [
        p["id"] for p in clockify.state.projects(clockify.workspace_id) if p["name"] == "Internal"
    ]
    sent = wait_for(
        lambda: [
            e for e in on_server(clockify, "Roadmap review notes") if e.get("projectId") in internal
        ],
        timeout=20,
        what="the edits on the server",
    )
    assert len(sent) == 1
    time.sleep(3)  # nothing more follows
    writes = [x for x in clockify.exchanges[sent_before:] if x.method != "GET"]
    assert [(x.method, x.status) for x in writes] == [("PUT", 200)]  # one request for it all


def test_a_chosen_suggestion_starts_on_its_project(app: AppProcess) -> None:
    project = internal_id(app)
    cli(app, "add", "yesterday 9:00", "yesterday 10:00", "Planning", "-p", "Internal")
    open_popup(app)
    type_text("pla")
    screenshot("popup-suggestions")
    key("Down", "Return")
    now = wait_for(lambda: running(app), what="a running timer")
    assert (now["description"], now["project_id"]) == ("Planning", project)


@pytest.mark.parametrize(("appearance", "scale"), [("light", "1"), ("dark", "1"), ("light", "2")])
def test_popup_screenshots(
    tray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, appearance: str, scale: str
) -> None:
    """Recent entries, suggestions, the undo bar and a start-time error, to look at."""
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    with Store(tmp_path / STORE_FILE) as store:
        save_preferences(store, Preferences(appearance=appearance))
    app = start_app(tmp_path, None, {"QT_SCALE_FACTOR": scale})
    name = f"{appearance}" + ("" if scale == "1" else f"-x{scale}")
    try:
        cli(app, "projects", "add", "Internal", "--color", "#8bc34a")
        cli(app, "add", "yesterday 9:00", "yesterday 10:00", "Planning", "-p", "Internal")
        cli(app, "add", "yesterday 10:00", "yesterday 11:00", "Code review")
        cli(app, "add", "yesterday 11:00", "yesterday 12:30", "Write the quarterly report")
        open_popup(app, by_click=False)
        screenshot(f"popup-recent-{name}")
        type_text("pla")
        screenshot(f"popup-suggestions-{name}")
        key("Escape", "Escape")
        wait_for(lambda: not app.probe()["popup"], what="the popup to close")

        cli(app, "start", "Oops")
        open_popup(app, by_click=False)
        key("alt+a", "ctrl+a")
        type_text("half past lunch")
        key("Return")
        screenshot(f"popup-start-error-{name}")
        key("alt+d")  # Discard: the popup stays with Undo
        wait_for(lambda: running(app) is None, what="the discard")
        screenshot(f"popup-undo-{name}")
        key("alt+u")
        now = wait_for(lambda: running(app), what="the undone discard")
        assert now["description"] == "Oops"
    finally:
        assert app.stop() == 0, app.output()
