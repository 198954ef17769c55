"""``tracker timeoff`` and ``tracker holidays`` against the test server, as two people with
their own stores and keys: a member asks, the manager approves, the member's balance and week
follow; reads fall back to what was fetched; offline nothing is sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify
from tests.fakeclockify.model import Fault
from tests.fakeclockify.timeoff import book
from tests.fakeclockify.timeoff_seed import HOLIDAY_NAME, VACATION_POLICY
from tests.unit.cli.conftest import Cli, Person
from tracker.services.workdays import week_plans
from tracker.store import Store


def next_monday(cli: Cli) -> str:
    today = cli.now.date()
    return str(today - timedelta(days=today.weekday()) + timedelta(days=7))


def test_member_asks_manager_approves_and_the_week_follows(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person], tmp_path: Path
) -> None:
    priya, sam = people("Priya Shah"), people("Sam Rivera")
    monday = next_monday(cli)
    asked = priya("timeoff", "request", "vac", monday, "--note", "family", "--json")
    assert asked.code == 0, asked.err
    request = asked.json()
    assert (request["status"], request["first"], request["policy"]) == (
        "PENDING",
        monday,
        VACATION_POLICY,
    )
    held = priya("timeoff", "balance", "--json")
    assert held.code == 0, held.err
    vacation = next(b for b in held.json()["balances"] if b["policy"] == VACATION_POLICY)
    assert (vacation["balance"], vacation["pending"]) == (25, 1)
    shown = priya("timeoff", "balance")
    assert "Pending" in shown.out
    assert "1 day" in shown.out

    team = sam("timeoff", "list", "--team", "--json")
    assert team.code == 0, team.err
    assert [r["id"] for r in team.json()["requests"]] == [request["id"]]
    approved = sam("timeoff", "approve", request["id"][:8], "--note", "have fun")
    assert approved.code == 0, approved.err
    assert "Approved Priya Shah's Vacation" in approved.out
    again = sam("timeoff", "approve", request["id"], "--json")
    assert again.code == 0, again.err  # already approved: said, not sent again

    cli.advance(minutes=6)  # what Priya fetched is no longer fresh
    after = priya("timeoff", "balance", "--json")
    vacation = next(b for b in after.json()["balances"] if b["policy"] == VACATION_POLICY)
    assert (vacation["balance"], vacation["used"], vacation["pending"]) == (24, 1, 0)

    day = datetime.fromisoformat(monday).date()
    with Store(tmp_path / "Priya-Shah" / "tracker.sqlite3") as store:
        account = store.meta.account()
        assert account is not None
        plans = week_plans(store, clockify.workspace_id, account["user_id"], [day])
    plan = plans[day]
    assert plan.time_off[0].status == "APPROVED"
    assert plan.time_off[0].policy == VACATION_POLICY
    assert plan.capacity == 0 < plan.base_capacity
    assert plan.away

    week = priya("week", monday, "--json")  # the timesheet reads the same kept copy
    assert week.code == 0, week.err
    shown_day = week.json()["days"][0]
    assert shown_day["day"] == monday
    assert shown_day["capacity_seconds"] == 0 < shown_day["base_capacity_seconds"]
    assert [m["policy"] for m in shown_day["time_off"]] == [VACATION_POLICY]


def test_reject_needs_a_note_and_members_cannot_approve(
    cli: Cli, people: Callable[[str], Person]
) -> None:
    chen, priya = people("Chen Wei"), people("Priya Shah")
    asked = chen("timeoff", "request", "Vacation", next_monday(cli), "--half-day", "--json")
    assert asked.code == 0, asked.err
    assert asked.json()["half_day"] is True
    request_id = asked.json()["id"]
    refused = priya("timeoff", "approve", request_id)
    assert refused.code == 1
    assert "No time-off request" in refused.err
    assert "Traceback" not in refused.err
    no_note = people("Alex Morgan")("timeoff", "reject", request_id)
    assert no_note.code == 1
    assert "--note" in no_note.err
    rejected = people("Alex Morgan")("timeoff", "reject", request_id, "--note", "busy week")
    assert rejected.code == 0, rejected.err
    listed = chen("timeoff", "list", "--refresh", "--json")
    assert [r["status"] for r in listed.json()["requests"]] == ["REJECTED"]
    assert listed.json()["requests"][0]["status_note"] == "busy week"
    hostile = chen("timeoff", "withdraw", "../../../../etc/passwd?x=")
    assert hostile.code == 1
    assert "No time-off request" in hostile.err
    assert chen("timeoff", "list", "--team", "--json").json()["requests"] == []  # not own
    withdrawn = chen("timeoff", "withdraw", request_id)
    assert withdrawn.code == 0, withdrawn.err


def test_policies_and_holidays_for_admins_and_a_clear_refusal_for_members(
    cli: Cli, people: Callable[[str], Person]
) -> None:
    jordan, chen = people("Jordan Lee"), people("Chen Wei")
    made = jordan("timeoff", "policies", "add", "Study leave", "--half-day", "--json")
    assert made.code == 0, made.err
    assert made.json()["half_day"] is True
    edited = jordan("timeoff", "policies", "edit", "Study", "--name", "Study days", "--json")
    assert edited.json()["name"] == "Study days"
    archived = jordan("timeoff", "policies", "archive", "Study days")
    assert archived.code == 0, archived.err
    listed = chen("timeoff", "policies", "--json")
    states = {p["name"]: p["archived"] for p in listed.json()["policies"]}
    assert states["Study days"] is True
    refused = chen("timeoff", "policies", "add", "Mine")
    assert refused.code == 1
    assert "does not let you create a policy" in refused.err

    holidays = chen("holidays", "--json")
    assert [h["name"] for h in holidays.json()["holidays"]] == [HOLIDAY_NAME]
    added = jordan("holidays", "add", "Offsite", "2027-05-03", "2027-05-04", "--json")
    assert added.code == 0, added.err
    in_may = chen("holidays", "--from", "2027-05-01", "--to", "2027-05-31", "--refresh", "--json")
    assert in_may.code == 0, in_may.err
    assert [h["name"] for h in in_may.json()["holidays"]] == ["Offsite"]
    assert in_may.json()["holidays"][0]["days"] == ["2027-05-03", "2027-05-04"]
    holiday_id = added.json()["id"]
    assert jordan("holidays", "edit", holiday_id, "--name", "Offsite days").code == 0
    assert jordan("holidays", "delete", holiday_id).code == 0
    assert chen("holidays", "delete", holiday_id).code == 1


def test_offline_reads_show_what_was_fetched_and_requests_are_not_sent(
    cli: Cli,
    clockify: FakeClockify,
    people: Callable[[str], Person],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chen = people("Chen Wei")
    assert chen("timeoff", "balance").code == 0
    clockify.stop()  # Clockify cannot be reached
    cli.advance(minutes=10)
    kept = chen("timeoff", "balance", "--json")
    assert kept.code == 0, kept.err
    assert "showing what was fetched at" in kept.err
    assert kept.json()["balances"]
    offline = chen("timeoff", "request", "Vacation", next_monday(cli))
    assert offline.code == 1
    assert "Your request was not sent" in offline.err
    assert "Run the same command again" in offline.err
    assert "Traceback" not in offline.err
    assert not book(clockify.state.workspaces[clockify.workspace_id]).requests


def test_without_an_account_time_off_says_to_log_in(cli: Cli) -> None:
    result = cli("timeoff", "balance")
    assert result.code == 1
    assert "tracker login" in result.err
    bad = cli("timeoff", "request", "Vacation")
    assert bad.code == 2


def test_names_and_notes_from_clockify_cannot_add_lines_or_drive_the_terminal(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    hostile = "Vacation\ntracker: \x1b[2Jall requests approved"
    with clockify.state.lock:
        books = book(clockify.state.workspaces[clockify.workspace_id])
        next(p for p in books.policies.values() if p.name == VACATION_POLICY).name = hostile
    chen = people("Chen Wei")
    asked = chen("timeoff", "request", "Vacation", next_monday(cli))
    assert asked.code == 0, asked.err
    assert asked.out.count("\n") == 1, asked.out  # one line, whatever the name holds
    assert "\x1b" not in asked.out
    request_id = next(iter(book(clockify.state.workspaces[clockify.workspace_id]).requests))
    withdrawn = chen("timeoff", "withdraw", request_id[:8])
    assert withdrawn.code == 0, withdrawn.err
    assert withdrawn.out.count("\n") == 1, withdrawn.out
    for argv in (("timeoff", "balance"), ("timeoff", "policies")):
        shown = chen(*argv)
        assert shown.code == 0, shown.err
        assert not [line for line in shown.out.splitlines() if line.startswith("tracker:")]


def test_an_admin_changes_a_balance_once_even_when_the_answer_is_lost(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    jordan, priya, chen = people("Jordan Lee"), people("Priya Shah"), people("Chen Wei")
    changed = jordan(
        "timeoff",
        "balance",
        "--change",
        "2",
        "--policy",
        "vac",
        "--person",
        "Priya Shah",
        "--note",
        "overtime",
        "--json",
    )
    assert changed.code == 0, changed.err
    assert changed.json()["balance"] == 27
    mine = priya("timeoff", "balance", "--refresh", "--json")
    vacation = next(b for b in mine.json()["balances"] if b["policy"] == VACATION_POLICY)
    assert vacation["balance"] == 27

    refused = chen("timeoff", "balance", "--change", "1", "--policy", "vac")
    assert refused.code == 1
    assert "does not let you change this balance" in refused.err

    # The answer to the change is lost after Clockify made it: read back, not sent again.
    clockify.add_fault(Fault(kind="drop_after_commit", method="PATCH", path="/balance/"))
    again = jordan(
        "timeoff",
        "balance",
        "--change",
        "-1",
        "--policy",
        "vac",
        "--person",
        "Priya",
        "--json",
    )
    assert again.code == 0, again.err
    assert again.json()["balance"] == 26
    patches = [e for e in clockify.exchanges if e.method == "PATCH" and "/balance/" in e.path]
    assert len(patches) == 2  # one per change, none resent
