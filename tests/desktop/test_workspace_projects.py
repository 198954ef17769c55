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

from pathlib import Path

import pytest

from tests.desktop.apps import app_for, cli, page_key
from tests.desktop.harness import key, screenshot, type_text, wait_for
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.admin_base import admin_key
from tracker.store import Store
from tracker.store.report_cache import ReportCache

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _kept(home: Path, area: str, workspace_id: str) -> bool:
    with Store(home / STORE_FILE) as store:
        return ReportCache(store.conn).get(admin_key(area, workspace_id)) is not None


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
    reports = {"TRACKER_REPORTS_URL": clockify.reports_url}
    app = app_for(home, clockify, look=look, scale=scale, env=reports)
    estimate = ("--time", "400", "--budget", "90000")
    cli(app, "admin", "projects", "estimate", "Website Redesign", *estimate)
    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        key(page_key("Projects"))
        wait_for(lambda: _kept(home, "projects", ws), timeout=20, what="the projects fetched")
        screenshot(f"workspace-projects-{suffix}", settle=1.5)
        key("Tab", "ctrl+f")  # into the page, then its filter
        type_text("web")
        screenshot(f"workspace-projects-filtered-{suffix}", settle=1.0)
        key(page_key("Clients, tags, fields"))
        wait_for(lambda: _kept(home, "fields:clients", ws), timeout=20, what="the clients")
        screenshot(f"workspace-clients-{suffix}", settle=1.0)
    finally:
        code = app.stop()
        assert code == 0, app.output()
