"""The week timesheet in the real app on a real X server: opened from the tray menu ("Timesheet…")
and from the today window (Ctrl+W), a duration typed in a cell lands in the store; light,
dark, and at scale 2.

Screenshots: ``week-{light,dark,light-scale2}`` (the week with rows made with the CLI) and
``week-typed-*`` (after typing in a cell) in ``TRACKER_SCREENSHOTS``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.harness import AppProcess, click, key, screenshot, type_text, wait_for
from tracker.services.preferences import Preferences, save
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _cli(app: AppProcess, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout


def _week(app: AppProcess) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_cli(app, "week", "--json"))
    return data


@pytest.mark.parametrize(
    ("look", "scale"),
    [("light", "1"), ("dark", "1"), ("light", "2")],
    ids=["light", "dark", "scale2"],
)
def test_timesheet_from_the_tray_menu(
    tray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, look: str, scale: str
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    with Store(tmp_path / "tracker.sqlite3") as store:
        save(store, Preferences(appearance=look))
    app = AppProcess(
        tmp_path,
        {
            "CLOCKIFY_API_KEY": "",
            "TRACKER_API_URL": "http://127.0.0.1:9/api",
            "QT_SCALE_FACTOR": scale,
        },
    )
    app.start()
    try:
        _cli(app, "projects", "add", "Website")
        _cli(app, "projects", "add", "Internal")
        for argv in (
            ("add", "mon 9:00", "-d", "2h", "Design", "-p", "Website"),
            ("add", "mon 11:00", "-d", "45m", "Standup", "-p", "Internal"),
            ("add", "-2h", "-d", "1h15", "Review"),
        ):
            _cli(app, *argv)
        x, y = app.tray_center()
        click(x * int(scale), y * int(scale), 3)
        wait_for(lambda: app.probe()["menu"], what="the tray menu")
        # Start, Continue, (today's total is disabled), Open today, Reports, Timesheet
        key("Down", "Down", "Down", "Down", "Down", "Return")
        wait_for(lambda: app.probe()["week"], what="the timesheet")
        suffix = look if scale == "1" else f"{look}-scale{scale}"
        shot = screenshot(f"week-{suffix}", settle=1.0)
        assert shot.stat().st_size > 10_000
        # The cursor starts on the first row (Internal - Standup), in today's column.
        today = date.fromisoformat(json.loads(_cli(app, "status", "--json"))["now"][:10])
        column = (today - date.fromisoformat(_week(app)["week_start"])).days
        type_text("1h")
        key("Return")
        wait_for(
            lambda: _week(app)["rows"][0]["seconds"][column] == 3600,
            what="the typed hour in the store",
        )
        screenshot(f"week-typed-{suffix}", settle=0.5)
    finally:
        code = app.stop()
    assert code == 0, app.output()


def test_ctrl_w_opens_the_timesheet_from_today(
    tray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    app = AppProcess(
        tmp_path, {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"}
    )
    app.start()
    try:
        _cli(app, "add", "-2h", "-d", "1h", "Review")
        app.ask("today")
        wait_for(lambda: app.probe()["today"], what="the today window")
        key("ctrl+w")
        wait_for(lambda: app.probe()["week"], what="the timesheet")
    finally:
        code = app.stop()
    assert code == 0, app.output()
