"""The Workspace window's Projects and Clients/tags/fields pages in the real app on a real X
server, against the Clockify test server: the owner opens the window, the Projects page
fetches the projects with their progress (time on one of them against a 400-hour estimate set
from the CLI), the filter narrows them, and the next page lists the clients. Light, dark,
and at scale 2.

Screenshots in ``TRACKER_SCREENSHOTS``: ``workspace-projects-*`` (the table with its bars and
the chosen project's form, members and tasks), ``workspace-projects-filtered-*`` and
``workspace-clients-*``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.harness import AppProcess, key, screenshot, type_text, wait_for
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.admin_base import admin_key
from tracker.services.preferences import load, save
from tracker.store import Store
from tracker.store.report_cache import ReportCache
from tracker.ui.workspace import PAGES

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _cli(app: AppProcess, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _kept(home: Path, area: str, workspace_id: str) -> bool:
    with Store(home / STORE_FILE) as store:
        return ReportCache(store.conn).get(admin_key(area, workspace_id)) is not None


def _page(title: str) -> str:
    number = next(n for n, (shown, _module, _name) in enumerate(PAGES) if shown == title)
    return f"ctrl+{number + 1}"


@pytest.mark.parametrize(
    ("look", "scale"),
    [("light", "1"), ("dark", "1"), ("light", "2")],
    ids=["light", "dark", "scale2"],
)
def test_projects_with_progress_and_the_clients_page(
    tray: None, tmp_path: Path, clockify: FakeClockify, look: str, scale: str
) -> None:
    suffix = look if scale == "1" else f"{look}-scale{scale}"
    ws = clockify.workspace_id
    home = tmp_path / "alex"
    home.mkdir()
    with Store(home / STORE_FILE) as store:
        save(store, load(store).with_changes(appearance=look))
    app = AppProcess(
        home,
        {
            "CLOCKIFY_API_KEY": clockify.api_key,
            "TRACKER_API_URL": clockify.base_url,
            "TRACKER_REPORTS_URL": clockify.reports_url,
            "QT_SCALE_FACTOR": scale,
        },
    )
    estimate = ("--time", "400", "--budget", "90000")
    _cli(app, "admin", "projects", "estimate", "Website Redesign", *estimate)
    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        key(_page("Projects"))
        wait_for(lambda: _kept(home, "projects", ws), timeout=20, what="the projects fetched")
        screenshot(f"workspace-projects-{suffix}", settle=1.5)
        key("Tab", "ctrl+f")  # into the page, then its filter
        type_text("web")
        screenshot(f"workspace-projects-filtered-{suffix}", settle=1.0)
        key(_page("Clients, tags, fields"))
        wait_for(lambda: _kept(home, "fields:clients", ws), timeout=20, what="the clients")
        screenshot(f"workspace-clients-{suffix}", settle=1.0)
    finally:
        code = app.stop()
        assert code == 0, app.output()
