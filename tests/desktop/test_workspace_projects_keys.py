"""The Projects page by keyboard in the real app on a real X server: Esc in a filter with text
clears it and the window stays; Esc again closes the window.

Screenshots in ``TRACKER_SCREENSHOTS``: ``workspace-projects-esc-cleared`` (the filter
cleared by Esc, every project listed again).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop.apps import page_key
from tests.desktop.harness import AppProcess, key, screenshot, type_text, wait_for
from tests.desktop.test_workspace_projects import _kept
from tests.fakeclockify import FakeClockify

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def test_esc_clears_the_filter_before_it_closes_the_window(
    tray: None, tmp_path: Path, clockify: FakeClockify
) -> None:
    home = tmp_path / "alex"
    home.mkdir()
    app = AppProcess(
        home,
        {
            "CLOCKIFY_API_KEY": clockify.api_key,
            "TRACKER_API_URL": clockify.base_url,
            "TRACKER_REPORTS_URL": clockify.reports_url,
        },
    )
    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        key(page_key("Projects"))
        ws = clockify.workspace_id
        wait_for(lambda: _kept(home, "projects", ws), timeout=20, what="the projects fetched")
        key("Tab", "ctrl+f")
        type_text("web")
        key("Escape")
        screenshot("workspace-projects-esc-cleared", settle=1.0)
        assert app.probe()["workspace"], "Esc in the filter closed the window"
        key("Escape")
        wait_for(lambda: not app.probe()["workspace"], timeout=10, what="the window closed")
    finally:
        code = app.stop()
        assert code == 0, app.output()
