"""Cancelling a slow refresh of the Projects page in the real app on a real X server: the
Clockify test server trickles the projects list one byte at a time (a refresh would wait for
the 30 s deadline), the page says it is reading and offers Cancel, Esc cancels the read (the
window stays, the kept copy is untouched), a refresh then works, and Esc closes the window.

Screenshots in ``TRACKER_SCREENSHOTS``: ``workspace-cancel-reading-*`` (the requests counted
on the message line, Cancel beside the disabled Refresh) and ``workspace-cancel-cancelled-*``
(the muted line that the refresh was cancelled and which copy is shown), light and at scale 2.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.desktop.apps import page_key
from tests.desktop.harness import AppProcess, key, screenshot, wait_for
from tests.fakeclockify import FakeClockify, Fault
from tracker.integrations.paths import STORE_FILE
from tracker.services.admin_base import admin_key
from tracker.services.preferences import load, save
from tracker.store import Store
from tracker.store.report_cache import ReportCache

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")

TRICKLE = Fault(kind="trickle", delay=0.2, method="GET", path=r"/projects$", times=None)


def _fetched(home: Path, workspace_id: str) -> float | None:
    """When the kept copy of the projects was fetched (``None``: nothing kept)."""
    with Store(home / STORE_FILE) as store:
        found = ReportCache(store.conn).get(admin_key("projects", workspace_id))
        return None if found is None else found.fetched_at


@pytest.mark.parametrize(
    ("look", "scale"), [("light", "1"), ("light", "2")], ids=["light", "scale2"]
)
def test_esc_cancels_a_slow_refresh_and_the_copy_stays(
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
    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        key(page_key("Projects"))
        wait_for(lambda: _fetched(home, ws) is not None, timeout=20, what="the projects fetched")
        fetched = _fetched(home, ws)
        clockify.add_fault(TRICKLE)
        key("Tab", "F5")  # into the page, then refresh
        screenshot(f"workspace-cancel-reading-{suffix}", settle=2.0)
        began = time.monotonic()
        key("Escape")
        screenshot(f"workspace-cancel-cancelled-{suffix}", settle=1.0)
        assert app.probe()["workspace"], "Esc while reading closed the window"
        assert _fetched(home, ws) == fetched  # the kept copy is untouched
        clockify.clear_faults()
        key("F5")  # a refresh works after the cancel
        wait_for(lambda: _fetched(home, ws) != fetched, timeout=20, what="the refresh after")
        assert time.monotonic() - began < 20  # not the trickle's 30 s deadline
        key("Escape")
        wait_for(lambda: not app.probe()["workspace"], timeout=10, what="the window closed")
    finally:
        code = app.stop()
        assert code == 0, app.output()
