"""Creating a project from the timer popup's picker with no account, in the real app: type a
name nobody has, create it with a new client in the form over the picker, start the timer on
it. Screenshots: the picker's Create row (light and dark) and the project form."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.harness import AppProcess, key, screenshot, type_text, wait_for
from tracker.integrations.paths import STORE_FILE
from tracker.services.preferences import Preferences, save
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _cli(app: AppProcess, *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args, "--json"],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)


def _local_app(home: Path, appearance: str) -> AppProcess:
    """The app with no account at all, in the given appearance."""
    with Store(home / STORE_FILE) as store:
        save(store, Preferences(appearance=appearance))
    app = AppProcess(home, {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"})
    app.start()
    return app


def _popup_with_project_query(app: AppProcess, query: str) -> None:
    app.ask("popup")
    wait_for(lambda: app.probe()["popup"], what="the timer popup")
    key("Tab")  # from the description to the project picker
    type_text(query)


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_a_project_is_created_from_the_popup_and_timed_without_an_account(
    tray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, appearance: str
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    app = _local_app(tmp_path, appearance)
    try:
        assert _cli(app, "projects") == []
        _popup_with_project_query(app, "web fr")
        screenshot(f"picker-create-row-{appearance}")
        key("Return")  # the only row: Create project "web fr"…
        screenshot(f"project-form-{appearance}")
        # The form: the name (typed text, selected), then the client, colour, billable.
        type_text("Website Redesign")
        key("Tab")
        type_text("Acme")
        screenshot(f"project-form-filled-{appearance}")
        key("Return")
        projects = wait_for(lambda: _cli(app, "projects"), what="the new project")
        assert [p["name"] for p in projects] == ["Website Redesign"]
        clients = _cli(app, "clients")
        assert [c["name"] for c in clients] == ["Acme"]
        assert app.probe()["popup"]  # the popup stayed open under the form
        type_text("Hero section")
        key("Return")
        wait_for(lambda: app.probe()["running"], what="a running timer")
        status = _cli(app, "status")
        assert status["running"]["project"] == "Website Redesign"
        assert status["running"]["description"] == "Hero section"
    finally:
        code = app.stop()
    assert code == 0, app.output()


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_tags_and_the_project_cell_use_the_same_pickers(
    tray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, appearance: str
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    app = _local_app(tmp_path, appearance)
    try:
        for name in ("design", "deep work", "meeting"):
            _cli(app, "tags", "add", name)
        _cli(app, "projects", "add", "Website Redesign")
        app.ask("popup")
        wait_for(lambda: app.probe()["popup"], what="the timer popup")
        key("Tab", "Tab", "space")  # description, project, then the tags button opens
        type_text("de")
        key("Return")  # ticks the first match and stays open
        screenshot(f"tags-panel-{appearance}")
        key("Escape", "Escape")  # the panel, then the popup
        wait_for(lambda: not app.probe()["popup"], what="the popup to close")

        app.ask("today")
        wait_for(lambda: app.probe()["today"], what="the today window")
        key("ctrl+n")  # a manual entry; its description cell opens for typing
        type_text("Review")
        key("Tab")  # committed; the project cell is next and opens its picker
        type_text("web re")
        screenshot(f"today-project-cell-{appearance}")
        key("Return")
        entry = wait_for(
            lambda: next(
                (
                    e
                    for e in _cli(app, "today")["entries"]
                    if e["description"] == "Review" and e.get("project")
                ),
                None,
            ),
            what="the project picked in the cell",
        )
        assert entry["project"] == "Website Redesign"
    finally:
        code = app.stop()
    assert code == 0, app.output()
