"""``tracker audit`` against the test server's audit host, as people with their own stores
and keys: the owner reads what was changed (filtered, as a table, JSON and CSV, into a file);
members and plans without the audit log are told in one sentence, without a request when it
is known; a read cut short keeps what it read and says why."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import Cli, Person, people_of
from tracker.services.abilities import ACCESS_KEY
from tracker.store import Store

OWNER = "Alex Morgan"


@pytest.fixture
def enterprise(clockify_factory: Callable[..., FakeClockify]) -> FakeClockify:
    return clockify_factory(seed="demo", plan="ENTERPRISE")


@pytest.fixture
def people(
    cli: Cli, enterprise: FakeClockify, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[[str], Person]:
    monkeypatch.setenv("TRACKER_AUDIT_URL", enterprise.audit_url)
    return people_of(cli, enterprise, monkeypatch, tmp_path)


def audit_requests(server: FakeClockify) -> int:
    return sum(1 for e in server.exchanges if e.path.endswith("/audit-log"))


def test_the_owner_sees_who_changed_what(
    cli: Cli, enterprise: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people(OWNER)
    made = alex("projects", "add", "Audit trail")
    assert made.code == 0, made.err
    assert alex("sync").code == 0
    shown = alex("audit")
    assert shown.code == 0, shown.err
    assert "CREATE_PROJECT " in shown.out
    assert "Audit trail" in shown.out
    assert "Clockify (system)" in shown.out  # the seeded imports
    mine = alex("audit", "--author", "me", "--action", "create-project", "--json")
    events = mine.json()["events"]
    assert [e["action"] for e in events] == ["CREATE_PROJECT"]
    assert events[0]["author"] == OWNER
    assert mine.json()["complete"] is True
    system = alex("audit", "--author", "system", "--json").json()["events"]
    assert system
    assert {e["author id"] for e in system} == {"SYSTEM"}
    assert all(e.host == "audit" for e in enterprise.exchanges if "audit-log" in e.path)


def test_csv_to_the_screen_and_json_to_a_file(
    cli: Cli, people: Callable[[str], Person], tmp_path: Path
) -> None:
    alex = people(OWNER)
    printed = alex("audit", "--csv", "--action", "CREATE_PROJECT_IMPORT")
    assert printed.code == 0, printed.err
    rows = list(csv.reader(io.StringIO(printed.out)))
    assert rows[0][:3] == ["time", "action", "author"]
    assert len(rows) > 1
    assert {r[1] for r in rows[1:]} == {"CREATE_PROJECT_IMPORT"}
    target = tmp_path / "audit.json"
    written = alex("audit", "--out", str(target))
    assert written.code == 0, written.err
    assert "Wrote" in written.err
    saved = json.loads(target.read_text())
    assert saved["rows"]
    assert saved["subtitle" if "subtitle" in saved else "period"] == "complete"
    assert not list(tmp_path.glob(".audit.json.*"))


def test_a_named_author_is_looked_up(
    cli: Cli, enterprise: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people(OWNER)
    found = alex("audit", "--author", "Jordan", "--json")
    assert found.code == 0, found.err
    assert found.json()["events"] == []
    nobody = alex("audit", "--author", "Nobody At All")
    assert nobody.code == 1
    assert "No one in this workspace is called 'Nobody At All'" in nobody.err


def test_bad_filters_are_refused_before_any_request(
    cli: Cli, enterprise: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people(OWNER)
    before = audit_requests(enterprise)
    unknown = alex("audit", "--action", "project")
    assert unknown.code == 1
    assert "no action 'project'" in unknown.err
    assert "CREATE_PROJECT" in unknown.err
    backwards = alex("audit", "--from", "today", "--to", "-3")
    assert backwards.code == 1
    assert "before --from" in backwards.err
    odd = alex("audit", "--out", "audit.xlsx")
    assert odd.code == 1
    assert ".csv or .json" in odd.err
    assert audit_requests(enterprise) == before


def test_members_are_refused_by_clockify_then_without_a_request(
    cli: Cli, enterprise: FakeClockify, people: Callable[[str], Person], tmp_path: Path
) -> None:
    priya = people("Priya Shah")
    asked = priya("audit")
    assert asked.code == 1
    assert "does not let you read the audit log" in asked.err
    assert "Traceback" not in asked.err
    with Store(tmp_path / "Priya-Shah" / "tracker.sqlite3") as store:
        store.meta.set(
            ACCESS_KEY + enterprise.workspace_id,
            {"role": "member", "sees_team": False, "at": cli.now.timestamp()},
        )
    before = audit_requests(enterprise)
    known = priya("audit")
    assert known.code == 1
    assert "Only the workspace's owner and admins" in known.err
    assert audit_requests(enterprise) == before


def test_a_plan_without_the_audit_log_is_told_without_a_request(
    cli: Cli, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    alex = people_of(cli, clockify, monkeypatch, tmp_path)(OWNER)
    refused = alex("audit")
    assert refused.code == 1
    assert "no audit log (it is an Enterprise feature)" in refused.err
    assert audit_requests(clockify) == 0


def test_a_read_cut_short_keeps_what_it_read_and_says_why(
    cli: Cli, enterprise: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people(OWNER)
    tags = f"{enterprise.base_url}/v1/workspaces/{enterprise.workspace_id}/tags"
    with httpx.Client(headers={"X-Api-Key": enterprise.api_key}) as web:
        for n in range(45):  # someone else at work in the web app
            assert web.post(tags, json={"name": f"batch {n}"}).status_code == 201
    everything = alex("audit", "--json").json()["events"]
    assert len(everything) > 50  # more than one page: the seed's imports and the changes
    before = audit_requests(enterprise)
    cut = alex("audit", "--json", "--max-requests", "1")
    assert cut.code == 0, cut.err
    assert len(cut.json()["events"]) == 50
    assert cut.json()["complete"] is False
    assert "Stopped after 1 requests" in cut.err
    assert audit_requests(enterprise) - before == 1


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal, to see the progress line."""

    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_a_progress_line_that_is_cleared_after(
    cli: Cli,
    enterprise: FakeClockify,
    people: Callable[[str], Person],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alex = people(OWNER)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    shown = alex("audit", "--json")
    assert shown.code == 0
    written = terminal.getvalue()
    count = len(shown.json()["events"])
    assert f"\rReading the audit log: 1 request, {count} events\x1b[K" in written
    assert written.endswith("\r\x1b[K")
    assert "Reading" not in shown.out


def test_the_time_an_invoice_bills_is_in_the_log_by_its_author(
    cli: Cli, enterprise: FakeClockify, people: Callable[[str], Person]
) -> None:
    """The invoices scenario on a workspace with the audit log: the billable entries that
    became an invoice's lines are listed as created by the person who tracked them."""
    state, ws = enterprise.state, enterprise.workspace_id
    client = state.add_client(ws, "Acme Audit", currency_code="EUR")
    state.add_project(ws, "Acme Audit Site", client_id=client.id)
    alex = people(OWNER)
    assert alex("sync").code == 0
    for start, end in (("09:00", "10:30"), ("11:00", "11:45")):
        added = alex("add", start, end, "Billed", "-p", "Acme Audit Site", "--billable")
        assert added.code == 0, added.err
    assert alex("sync").code == 0
    made = alex("invoice", "create", "Acme Audit", "--json")
    assert made.code == 0, made.err
    imported = alex("invoice", "import-time", made.json()["number"], "today", "--json")
    assert imported.code == 0, imported.err
    assert imported.json()["entries_added"] == 2
    shown = alex("audit", "--author", "me", "--json")
    assert shown.code == 0, shown.err
    created = [e for e in shown.json()["events"] if e["action"].startswith("CREATE_TIME_PERSONAL")]
    assert len(created) == 2
    assert {e["author"] for e in created} == {OWNER}
