"""Favourites in the real app: a project pinned from the CLI shows first in the timer popup's
picker, under "Favourites" with a star, and Ctrl+D there pins a task, which the CLI then
sees (one store). Screenshots of the list in light and dark."""

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


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_favourites_are_pinned_on_top_of_the_popups_picker(
    tray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, appearance: str
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    with Store(tmp_path / STORE_FILE) as store:
        save(store, Preferences(appearance=appearance))
    app = AppProcess(
        tmp_path, {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"}
    )
    app.start()
    try:
        _cli(app, "clients", "add", "Acme")
        _cli(app, "clients", "add", "Globex")
        _cli(app, "projects", "add", "Website Redesign", "-c", "Acme", "--color", "#03a9f4")
        _cli(app, "projects", "add", "Internal", "--color", "#8bc34a")
        _cli(app, "projects", "add", "Marketing", "-c", "Globex", "--color", "#e91e63")
        _cli(app, "tasks", "add", "-p", "Website Redesign", "Design")
        _cli(app, "tasks", "add", "-p", "Marketing", "Newsletter")
        assert _cli(app, "projects", "--favourite", "Internal")["favourite"] is True

        app.ask("popup")
        wait_for(lambda: app.probe()["popup"], what="the timer popup")
        key("Tab", "Down")  # to the project picker; Down opens the whole list
        screenshot(f"picker-favourites-{appearance}")

        type_text("newsl")
        key("ctrl+d")  # pins the highlighted "Marketing: Newsletter"
        task = wait_for(
            lambda: next(
                (t for t in _cli(app, "tasks") if t["name"] == "Newsletter" and t["favourite"]),
                None,
            ),
            what="the task pinned with Ctrl+D",
        )
        assert task["project"] == "Marketing"
        key("ctrl+a", "BackSpace")  # the whole list again, the new favourite on top
        screenshot(f"picker-favourites-pinned-{appearance}")
        key("Escape", "Escape")
        wait_for(lambda: not app.probe()["popup"], what="the popup to close")
    finally:
        code = app.stop()
    assert code == 0, app.output()
