"""The Approvals window in the real app on a real X server, against the Clockify test server
with the seeded team's own keys (the startup ``users``):

- Priya (a member) opens "Approvals…" from the tray menu and submits last week with the
  keyboard: Clockify has it waiting (light, dark, and the window at scale 2);
- Sam (her manager) approves this week and rejects last week with a note from "To approve";
  Priya then sees the rejected week with Sam's note;
- with this week approved, Priya's today window shows Monday's entries locked.

Screenshots in ``TRACKER_SCREENSHOTS``: ``approvals-submit-{light,dark,light-scale2}`` (before)
and ``approvals-submitted-*`` (after), ``approvals-manager-{pending,decided}``,
``approvals-member-rejected``, ``today-locked``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.desktop.harness import AppProcess, click, key, screenshot, type_text, wait_for
from tests.fakeclockify import FakeClockify
from tracker.services.preferences import Preferences, save
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _env(server: FakeClockify, name: str) -> dict[str, str]:
    person = next(u for u in server.users if u.name.startswith(name))
    return {
        "CLOCKIFY_API_KEY": person.api_key,
        "TRACKER_API_URL": server.base_url,
        "TRACKER_REPORTS_URL": server.reports_url,
    }


def _cli(app: AppProcess, *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args, "--json"],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)


def _app(home: Path, env: dict[str, str], look: str = "light", scale: str = "1") -> AppProcess:
    home.mkdir(exist_ok=True)
    with Store(home / "tracker.sqlite3") as store:
        save(store, Preferences(appearance=look))
    app = AppProcess(home, {**env, "QT_SCALE_FACTOR": scale})
    app.start()
    wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
    return app


def _states(app: AppProcess) -> list[tuple[str, str]]:
    return [(r["state"], r["note"]) for r in _cli(app, "approvals")["requests"]]


@pytest.mark.parametrize(
    ("look", "scale"), [("light", "1"), ("dark", "1"), ("light", "2")], ids=str
)
def test_a_member_submits_last_week_from_the_tray_menu(
    tray: None, tmp_path: Path, clockify: FakeClockify, look: str, scale: str
) -> None:
    app = _app(tmp_path / "priya", _env(clockify, "Priya"), look, scale)
    suffix = look if scale == "1" else f"{look}-scale{scale}"
    try:
        x, y = app.tray_center()
        click(x * int(scale), y * int(scale), 3)
        wait_for(lambda: app.probe()["menu"], what="the tray menu")
        # Start, Continue, (today's total is disabled), Open today, Reports, Timesheet, Approvals
        key(*["Down"] * 6, "Return")
        wait_for(lambda: app.probe()["approvals"], what="the approvals window")
        screenshot(f"approvals-submit-{suffix}", settle=1.5)
        key("ctrl+Return")  # last week is selected: Submit
        wait_for(lambda: _states(app) == [("PENDING", "")], timeout=20, what="the submission")
        shot = screenshot(f"approvals-submitted-{suffix}", settle=1.0)
        assert shot.stat().st_size > 10_000
    finally:
        code = app.stop()
    assert code == 0, app.output()


def test_the_manager_approves_one_and_rejects_one_and_the_member_reads_the_note(
    tray: None, tmp_path: Path, clockify: FakeClockify
) -> None:
    priya_env = _env(clockify, "Priya")
    priya = AppProcess(tmp_path / "priya", priya_env)  # her CLI, on her own folder
    (tmp_path / "priya").mkdir()
    _cli(priya, "sync")
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()  # Priya's zone in the seed
    monday = today - timedelta(days=today.weekday())
    _cli(priya, "add", f"{monday} 07:00", f"{monday} 07:45", "Early review")
    _cli(priya, "sync")
    _cli(priya, "submit", "last")
    _cli(priya, "submit", "this")

    sam = _app(tmp_path / "sam", _env(clockify, "Sam"))
    try:
        sam.ask("approvals")
        wait_for(lambda: sam.probe()["approvals"], what="the approvals window")
        key("alt+t")  # "To approve": this week first, then last week
        screenshot("approvals-manager-pending", settle=1.5)
        key("alt+a")  # Approve this week
        wait_for(
            lambda: len(_cli(sam, "approvals", "--pending")["requests"]) == 1,
            timeout=20,
            what="the approval",
        )
        key("alt+n")
        type_text("Tuesday is missing")
        key("alt+r")  # Reject last week with the note
        wait_for(
            lambda: not _cli(sam, "approvals", "--pending")["requests"],
            timeout=20,
            what="the rejection",
        )
        screenshot("approvals-manager-decided", settle=1.0)
    finally:
        code = sam.stop()
    assert code == 0, sam.output()
    assert sorted(_states(priya)) == [("APPROVED", ""), ("REJECTED", "Tuesday is missing")]

    member = _app(tmp_path / "priya", priya_env)
    try:
        member.ask("approvals")
        wait_for(lambda: member.probe()["approvals"], what="the approvals window")
        shot = screenshot("approvals-member-rejected", settle=1.5)
        assert shot.stat().st_size > 10_000

        # This week is approved: Monday's entries show locked in the today window.
        member.ask("today")
        wait_for(lambda: member.probe()["today"], what="the today window")
        if today.weekday():
            key(*["alt+Left"] * today.weekday())
        key("Return")  # would edit the description: says why instead
        screenshot("today-locked", settle=1.0)
    finally:
        code = member.stop()
    assert code == 0, member.output()
