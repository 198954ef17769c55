"""The Schedule page in the real app on a real X server, against the Clockify test server:
Jordan (an admin) has booked Priya this week (over-booked on Monday) from the CLI, opens the
Workspace window, sees the week against capacity, moves a week on and back from the
keyboard, and publishes the week after the question. Light, dark, and at scale 2.

Screenshots in ``TRACKER_SCREENSHOTS``: ``schedule-week-*`` (this week),
``schedule-next-*`` (the week after) and ``schedule-publish-*`` (the question).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.desktop.apps import app_for, cli, key_of, page_key
from tests.desktop.harness import key, screenshot, wait_for
from tests.fakeclockify import FakeClockify
from tests.fakeclockify.schedule import schedule_book
from tracker.integrations.paths import STORE_FILE
from tracker.services.admin_schedule import Schedule
from tracker.services.context import Context
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _kept_week(home: Path, day: date) -> bool:
    with Store(home / STORE_FILE) as store:
        return Schedule(Context(store)).kept_week(day) is not None


@pytest.mark.parametrize(
    ("look", "scale"),
    [("light", "1"), ("dark", "1"), ("light", "2")],
    ids=["light", "dark", "scale2"],
)
def test_the_week_against_capacity_and_publishing_it(
    tray: None, tmp_path: Path, clockify: FakeClockify, look: str, scale: str
) -> None:
    suffix = look if scale == "1" else f"{look}-scale{scale}"
    jordan_key = key_of(clockify, "Jordan Lee")
    app = app_for(tmp_path / "jordan", clockify, key=jordan_key, look=look, scale=scale)
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    monday = today - timedelta(days=today.weekday())
    cli(app, "admin", "schedule", "add", "Priya", "Website", str(monday),
        str(monday + timedelta(days=4)), "--hours", "4", "--note", "launch")  # fmt: skip
    cli(app, "admin", "schedule", "add", "Priya", "Mobile App", str(monday), str(monday),
        "--hours", "5")  # fmt: skip
    book = schedule_book(clockify.state.workspaces[clockify.workspace_id])

    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        key(page_key("Schedule"))
        served = len(clockify.exchanges)
        key("F5")
        wait_for(
            lambda: any("/scheduling/" in e.path for e in clockify.exchanges[served:]),
            timeout=20,
            what="the week read",
        )
        wait_for(lambda: _kept_week(app.home, monday), timeout=20, what="the week kept")
        screenshot(f"schedule-week-{suffix}", settle=1.0)

        key("ctrl+Right")
        wait_for(
            lambda: _kept_week(app.home, monday + timedelta(days=7)),
            timeout=20,
            what="next week read",
        )
        screenshot(f"schedule-next-{suffix}", settle=1.0)
        key("ctrl+Home")

        key("ctrl+p")
        screenshot(f"schedule-publish-{suffix}", settle=1.0)
        assert any(not a.published for a in book.assignments.values())
        key("Return")
        wait_for(
            lambda: all(a.published for a in book.assignments.values() if a.first >= monday),
            timeout=20,
            what="the week published",
        )
    finally:
        code = app.stop()
        assert code == 0, app.output()
