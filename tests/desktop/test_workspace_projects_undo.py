"""Taking a member off a project and putting them back, by keyboard in the real app on a real
X server: Alt+M goes to the members, Del takes the chosen one off, the page says how Ctrl+Z
takes it back (with the rates they had), and Ctrl+Z does. Light, and at scale 2.

Screenshots in ``TRACKER_SCREENSHOTS``: ``workspace-projects-member-off-*`` (the undo line
above the table) and ``workspace-projects-member-back-*``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop.apps import cli, page_key
from tests.desktop.harness import AppProcess, key, screenshot, type_text, wait_for
from tests.desktop.test_workspace_projects import _kept
from tests.fakeclockify import FakeClockify

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


@pytest.mark.parametrize("scale", ["1", "2"], ids=["light", "scale2"])
def test_a_member_taken_off_is_put_back_with_ctrl_z(
    tray: None, tmp_path: Path, clockify: FakeClockify, scale: str
) -> None:
    suffix = "light" if scale == "1" else "light-scale2"
    ws = clockify.workspace_id
    home = tmp_path / "alex"
    home.mkdir()
    app = AppProcess(
        home,
        {
            "CLOCKIFY_API_KEY": clockify.api_key,
            "TRACKER_API_URL": clockify.base_url,
            "TRACKER_REPORTS_URL": clockify.reports_url,
            "QT_SCALE_FACTOR": scale,
        },
    )
    project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
    chen = next(u.user_id for u in clockify.users if u.name == "Chen Wei")
    with clockify.state.lock:
        project.member_ids = []
    cli(app, "admin", "projects", "members", project.name, "add", "Chen Wei", "--rate", "45")
    assert project.member_ids == [chen]
    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        key(page_key("Projects"))
        wait_for(lambda: _kept(home, "projects", ws), timeout=20, what="the projects fetched")
        key("Tab", "ctrl+f")
        type_text(project.name)
        key("Tab", "alt+m", "Down", "Delete")
        wait_for(lambda: chen not in project.member_ids, timeout=20, what="Chen taken off")
        screenshot(f"workspace-projects-member-off-{suffix}", settle=1.0)
        key("ctrl+z")
        wait_for(lambda: chen in project.member_ids, timeout=20, what="Chen put back")
        assert project.member_rates[chen]["hourly"] == {"amount": 4500, "currency": "EUR"}
        screenshot(f"workspace-projects-member-back-{suffix}", settle=1.0)
    finally:
        code = app.stop()
        assert code == 0, app.output()
