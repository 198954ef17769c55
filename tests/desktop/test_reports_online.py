"""The Reports window in the real app, connected to the Clockify test server: opened, it
shows Clockify's report fetched by the sync worker (kept in the store's report cache), light
and dark.

Screenshots: ``reports-clockify-{light,dark}`` in ``TRACKER_SCREENSHOTS``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop.harness import AppProcess, screenshot, wait_for
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.preferences import load, save
from tracker.store import Store
from tracker.store.report_cache import ReportCache

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _kept(home: Path) -> int:
    with Store(home / STORE_FILE) as store:
        return ReportCache(store.conn).count()


@pytest.mark.parametrize("look", ["light", "dark"])
def test_reports_show_clockify_through_the_worker(
    tray: None, tmp_path: Path, clockify: FakeClockify, look: str
) -> None:
    with Store(tmp_path / STORE_FILE) as store:
        save(store, load(store).with_changes(appearance=look))
    app = AppProcess(
        tmp_path, {"CLOCKIFY_API_KEY": clockify.api_key, "TRACKER_API_URL": clockify.base_url}
    )
    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        assert _kept(tmp_path) == 0
        app.ask("reports")
        wait_for(lambda: app.probe()["reports"], what="the reports window")
        wait_for(lambda: _kept(tmp_path) == 1, timeout=20, what="the report fetched and kept")
        shot = screenshot(f"reports-clockify-{look}", settle=1.0)
        assert shot.stat().st_size > 10_000
    finally:
        code = app.stop()
    assert code == 0, app.output()
