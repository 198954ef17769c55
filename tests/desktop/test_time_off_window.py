"""Time off in the real app on a real X server, against the Clockify test server: a member
asks for a day off from the time-off window (opened from the tray menu) and sees it pending;
the timesheet marks last week's holiday and a day taken off; the manager, in their own app,
approves the request from the keyboard; the member's window, refreshed, shows it approved.
Light, dark, and at scale 2.

Screenshots in ``TRACKER_SCREENSHOTS``: ``timeoff-form-*`` (the request with its cost),
``timeoff-member-pending-*``, ``timeoff-week-*`` (the timesheet), ``timeoff-manager-*`` and
``timeoff-member-approved-*``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.desktop.apps import app_for, cli
from tests.desktop.harness import AppProcess, click, key, screenshot, type_text, wait_for
from tests.fakeclockify import FakeClockify
from tests.fakeclockify.timeoff import book
from tests.fakeclockify.timeoff_seed import HOLIDAY_NAME
from tracker.integrations.paths import STORE_FILE
from tracker.services.timeoff_kept import kept_requests
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")

BERLIN = ZoneInfo("Europe/Berlin")
"""Priya's zone on the test server (days are hers)."""


def _person(server: FakeClockify, name: str) -> tuple[str, str]:
    found = next(u for u in server.users if u.name == name)
    return found.user_id, found.api_key


def _kept_states(home: Path, workspace_id: str, user_id: str) -> dict[date, str]:
    with Store(home / STORE_FILE) as store:
        kept = kept_requests(store, workspace_id, user_id)
    return {r.first: r.status for r in kept.value} if kept else {}


def _state(app: AppProcess) -> dict[str, Any]:
    found: dict[str, Any] = app.probe()["timeoff_state"] or {}
    return found


def _stopped(app: AppProcess) -> None:
    code = app.stop()
    assert code == 0, app.output()


@pytest.mark.parametrize(
    ("look", "scale"),
    [("light", "1"), ("dark", "1"), ("light", "2")],
    ids=["light", "dark", "scale2"],
)
def test_a_day_off_asked_approved_and_shown(
    tray: None, tmp_path: Path, clockify: FakeClockify, look: str, scale: str
) -> None:
    suffix = look if scale == "1" else f"{look}-scale{scale}"
    ws = clockify.workspace_id
    priya, priya_key = _person(clockify, "Priya Shah")
    _sam, sam_key = _person(clockify, "Sam Rivera")
    member = app_for(tmp_path / "priya", clockify, key=priya_key, look=look, scale=scale)
    manager = app_for(tmp_path / "sam", clockify, key=sam_key, look=look, scale=scale)

    # Last week: the seeded holiday on Wednesday, and Thursday off (asked, then approved).
    today = datetime.now(BERLIN).date()
    thursday = today - timedelta(days=today.weekday() + 4)
    asked = json.loads(
        cli(member, "timeoff", "request", "vacation", str(thursday), str(thursday), "--json")
    )
    cli(manager, "timeoff", "approve", asked["id"])

    member.start()
    try:
        wait_for(lambda: member.probe()["sync"] == "synced", timeout=30, what="the first sync")
        x, y = member.tray_center()
        click(x * int(scale), y * int(scale), 3)
        wait_for(lambda: member.probe()["menu"], what="the tray menu")
        # Start, Continue, Open today, Reports, Timesheet, Approvals, Time off
        key(*["Down"] * 7, "Return")
        wait_for(lambda: member.probe()["timeoff"], what="the time-off window")
        wait_for(lambda: not _state(member).get("busy", True), timeout=20, what="a first fetch")
        key("ctrl+n")  # the form, on its policy
        key("v")  # Vacation
        key("alt+o")  # the note
        type_text("Lisbon")
        screenshot(f"timeoff-form-{suffix}")
        key("Return")
        wait_for(
            lambda: _state(member)["pending"] == 1 and not _state(member)["busy"],
            timeout=20,
            what="the request pending",
        )
        screenshot(f"timeoff-member-pending-{suffix}", settle=1.0)

        member.ask("week")
        wait_for(lambda: member.probe()["week"], what="the timesheet")
        assert _kept_states(member.home, ws, priya).get(thursday) == "APPROVED"
        key("ctrl+Left")
        week = json.loads(cli(member, "week", "last", "--json"))
        assert HOLIDAY_NAME in json.dumps(week)
        screenshot(f"timeoff-week-{suffix}", settle=1.0)
    finally:
        _stopped(member)
    made = [r for r in book(clockify.state.workspaces[ws]).requests.values() if r.note == "Lisbon"]
    assert [r.status for r in made] == ["PENDING"]

    manager.start()
    try:
        wait_for(lambda: manager.probe()["sync"] == "synced", timeout=30, what="Sam's sync")
        manager.ask("timeoff")
        wait_for(lambda: _state(manager).get("to_approve") == 1, timeout=20, what="to approve")
        key("alt+a")
        wait_for(lambda: _state(manager)["tab"] == 2, what="the To approve tab")
        screenshot(f"timeoff-manager-{suffix}", settle=1.0)
        key("ctrl+Return")
        wait_for(lambda: made[0].status == "APPROVED", timeout=20, what="the approval")
        wait_for(lambda: _state(manager)["to_approve"] == 0, what="the list emptied")
    finally:
        _stopped(manager)

    member.start()
    try:
        member.ask("timeoff")
        wait_for(lambda: member.probe()["timeoff"], what="the time-off window again")
        key("F5")
        wait_for(
            lambda: _state(member)["approved"] == 2 and not _state(member)["busy"],
            timeout=20,
            what="the request approved",
        )
        screenshot(f"timeoff-member-approved-{suffix}", settle=1.0)
    finally:
        _stopped(member)
