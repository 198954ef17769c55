"""The Reports window in the real app on a real X server: it opens from the tray menu (the
test checks the menu and the window appear and the app exits cleanly), light, dark and at
scale 2, over three entries made with the CLI and no account, with only the Projects area's
kept copy holding Website's rates.

What the screenshots show, for a person to look at (not checked here; the offscreen report
tests check the figures): entries made with no account skip the person's team rate, so
Website's billable entry is priced at its kept project rate; Internal is not in the kept
copy and the entry without a project has no kept workspace rate, so their amounts are
unknown and the window says the amounts are for 1 of the 3 entries.

Screenshots: ``reports-tray-menu-*`` and ``reports-week-{light,dark,light-scale2}`` in
``TRACKER_SCREENSHOTS`` (the empty period is shot by the offscreen tests).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.harness import AppProcess, click, key, screenshot, wait_for
from tracker.domain.model import LOCAL_WORKSPACE
from tracker.services.admin_base import admin_key
from tracker.services.preferences import Preferences, save
from tracker.store import Store
from tracker.store.report_cache import ReportCache

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _cli(app: AppProcess, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=app.env,
        capture_output=True,
        timeout=30,
        check=True,
    )


def _keep_website_rates(home: Path) -> None:
    """Website's rates (60.00 billable, 25.00 cost an hour) in the Projects area's kept
    copy, by the local id the CLI gave it (there is no account, so no Clockify id)."""
    with Store(home / "tracker.sqlite3") as store:
        ws = store.meta.workspace_id() or LOCAL_WORKSPACE
        website = store.catalog.named("project", ws, "Website")[0]
        kept = {"id": website.id, "hourly_rate": 6000, "cost_rate": 2500, "members": []}
        ReportCache(store.conn).put(admin_key("projects", ws), ws, {"projects": [kept]}, 0.0)


@pytest.mark.parametrize(
    ("look", "scale"),
    [("light", "1"), ("dark", "1"), ("light", "2")],
    ids=["light", "dark", "scale2"],
)
def test_reports_from_the_tray_menu(
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
            ("add", "-5h", "-d", "2h", "Design", "-p", "Website", "--billable"),
            ("add", "-3h", "-d", "45m", "Standup", "-p", "Internal"),
            ("add", "-2h", "-d", "1h15", "Review"),
        ):
            _cli(app, *argv)
        _keep_website_rates(tmp_path)
        x, y = app.tray_center()  # in Qt's scaled pixels; xdotool clicks the screen's
        click(x * int(scale), y * int(scale), 3)
        wait_for(lambda: app.probe()["menu"], what="the tray menu")
        menu_shot = screenshot(f"reports-tray-menu-{look}-scale{scale}")
        # Start, Continue, (today's total is disabled and skipped), Open today, Reports
        key("Down", "Down", "Down", "Down", "Return")
        wait_for(lambda: app.probe()["reports"], what="the reports window")
        suffix = look if scale == "1" else f"{look}-scale{scale}"
        week = screenshot(f"reports-week-{suffix}", settle=1.0)
        assert week.stat().st_size > 10_000
        assert menu_shot.exists()
    finally:
        code = app.stop()
    assert code == 0, app.output()
