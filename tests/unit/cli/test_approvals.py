"""Timesheet approvals from the command line, as two people on the test server: a member
submits last week, her manager rejects it with a note, she reads the note, fixes the week and
submits it again, the manager approves, and her edits of that week are refused with the
reason: by the app before any request, and by Clockify when the app's copy was out of date."""

from __future__ import annotations

import io
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.fakeclockify import FakeClockify
from tests.fakeclockify.model import Fault
from tests.helpers.keyrings import keep_key
from tests.unit.cli.conftest import Cli, Result
from tracker.domain.model import Profile
from tracker.integrations.secrets import MemorySecretStore
from tracker.store import Store

BERLIN = ZoneInfo("Europe/Berlin")


class Person:
    """One person's own tracker: their folder, their key, the CLI run as them."""

    def __init__(self, cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cli = cli
        self.home = home
        self.monkeypatch = monkeypatch
        self.secrets = MemorySecretStore()

    def __call__(self, *argv: str) -> Result:
        self.monkeypatch.setenv("TRACKER_HOME", str(self.home))
        self.cli.secrets = self.secrets
        return self.cli(*argv)

    def store(self) -> Store:
        return Store(self.home / "tracker.sqlite3")


def connect(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch, folder: Path, name: str
) -> tuple[Person, str]:
    """Log ``name`` in to the test server in their own folder, and sync once."""
    seeded = next(u for u in server.users if u.name.startswith(name))
    folder.mkdir()
    with Store(folder / "tracker.sqlite3") as store:
        store.meta.save_profile(Profile(time_zone="UTC"))
    person = Person(cli, folder, monkeypatch)
    monkeypatch.setenv("TRACKER_HOME", str(folder))
    with person.store() as store:
        keep_key(person.secrets, store, server.base_url, seeded.user_id, seeded.api_key)
    monkeypatch.setattr(sys, "stdin", io.StringIO(seeded.api_key + "\n"))
    assert person("login").code == 0
    synced = person("sync", "--json")
    assert synced.code == 0, synced.err
    return person, seeded.user_id


@pytest.fixture
def two(
    cli: Cli,
    clockify: FakeClockify,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> tuple[Person, Person]:
    monkeypatch.setenv("TRACKER_API_URL", clockify.base_url)
    monkeypatch.setenv("TRACKER_REPORTS_URL", clockify.reports_url)
    cli.now = datetime.now(UTC).replace(microsecond=0)
    priya, _ = connect(cli, clockify, monkeypatch, tmp_path / "priya", "Priya")
    sam, _ = connect(cli, clockify, monkeypatch, tmp_path / "sam", "Sam")
    return priya, sam


def last_week(cli: Cli) -> tuple[date, date]:
    today = cli.now.astimezone(BERLIN).date()
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def requests_sent(server: FakeClockify) -> int:
    return len(server.exchanges)


def test_a_week_from_submission_to_the_lock(
    cli: Cli, clockify: FakeClockify, two: tuple[Person, Person]
) -> None:
    priya, sam = two
    monday, sunday = last_week(cli)

    submitted = priya("submit", "last", "--json")
    assert submitted.code == 0, submitted.err
    request = submitted.json()["request"]
    assert (request["first_day"], request["last_day"]) == (str(monday), str(sunday))
    assert request["state"] == "PENDING"
    again = priya("submit", "last")
    assert again.code == 1
    assert "already waiting for approval" in again.err

    # Priya cannot decide on her own week.
    own = priya("approve", request["id"])
    assert own.code == 1
    assert "Clockify refused" in own.err

    waiting = sam("approvals", "--pending", "--json")
    assert waiting.code == 0, waiting.err
    [listed] = waiting.json()["requests"]
    assert listed["owner_name"].startswith("Priya")
    rejected = sam("reject", listed["id"][:8], "--note", "Tuesday is missing")
    assert rejected.code == 0, rejected.err
    assert "rejected" in rejected.out

    mine = priya("approvals", "--json")
    [seen] = mine.json()["requests"]
    assert (seen["state"], seen["note"]) == ("REJECTED", "Tuesday is missing")
    plain = priya("approvals")
    assert '"Tuesday is missing"' in plain.out

    tuesday = monday + timedelta(days=1)
    added = priya("add", f"{tuesday} 20:00", f"{tuesday} 21:00", "Evening review")
    assert added.code == 0, added.err
    assert priya("sync").code == 0
    resubmitted = priya("submit", str(tuesday), "--json")
    assert resubmitted.code == 0, resubmitted.err
    assert resubmitted.json()["request"]["state"] == "PENDING"

    assert sam("approve", listed["id"]).code == 0
    assert priya("approvals").code == 0  # the approval reaches Priya's computer

    before = requests_sent(clockify)
    refused = priya("add", f"{tuesday} 22:00", f"{tuesday} 22:30", "Late note")
    assert refused.code == 1
    assert f"{monday} to {sunday} is approved on Clockify" in refused.err
    assert "withdraw the approval" in refused.err
    listed_day = priya("day", str(tuesday), "--json").json()
    first = listed_day["entries"][0]["id"]
    assert priya("delete", first).code == 1
    assert priya("edit", first, "-m", "Changed").code == 1
    assert requests_sent(clockify) == before  # refused here, before any request


def test_clockify_refuses_what_an_out_of_date_copy_let_through(
    cli: Cli, clockify: FakeClockify, two: tuple[Person, Person]
) -> None:
    priya, sam = two
    monday, _sunday = last_week(cli)
    wednesday = monday + timedelta(days=2)
    added = priya("add", f"{wednesday} 07:00", f"{wednesday} 07:45", "Early call", "--json")
    assert added.code == 0, added.err
    entry = added.json()["id"]
    assert priya("sync").code == 0
    assert priya("submit", "last").code == 0
    waiting = sam("approvals", "--pending", "--json").json()["requests"]
    assert sam("approve", waiting[0]["id"]).code == 0
    # Priya's computer still holds "waiting for approval": the app lets the edit through,
    # and Clockify refuses it at the next sync; the entry is parked with Clockify's reason.
    assert priya("edit", entry, "-m", "Changed late").code == 0
    synced = priya("sync", "--json")
    assert synced.code in (0, 1), synced.err
    after = priya("day", str(wednesday), "--json").json()
    parked = next(e for e in after["entries"] if e["id"] == entry)
    assert "approved period" in (parked["parked"] or "")


@pytest.mark.slow  # three calls wait out the client's retries of a refused connection (~7 s)
def test_offline_a_rejection_keeps_its_note(
    cli: Cli, clockify: FakeClockify, two: tuple[Person, Person]
) -> None:
    priya, sam = two
    assert priya("submit", "last").code == 0
    [waiting] = sam("approvals", "--pending", "--json").json()["requests"]
    clockify.stop()
    try:
        down = sam("reject", waiting["id"], "--note", "Split the Friday meeting")
        assert down.code == 1
        assert "cannot be reached" in down.err
        assert "nothing was sent" in down.err
        assert "note is kept" in down.err
        kept = priya("approvals", "--json")  # offline: what was fetched, with when
        assert kept.code == 0
        assert "showing what was fetched at" in kept.err
        assert kept.json()["requests"][0]["state"] == "PENDING"
        team = sam("approvals", "--pending", "--json")
        assert team.code == 0
        assert [r["id"] for r in team.json()["requests"]] == [waiting["id"]]
    finally:
        clockify.start()
    sent = sam("reject", waiting["id"], "--json")  # the kept note goes out
    assert sent.code == 0, sent.err
    assert sent.json()["request"]["note"] == "Split the Friday meeting"
    assert priya("approvals", "--json").json()["requests"][0]["note"] == (
        "Split the Friday meeting"
    )


def test_an_unclear_decision_is_read_back(
    cli: Cli, clockify: FakeClockify, two: tuple[Person, Person]
) -> None:
    priya, sam = two
    assert priya("submit", "last").code == 0
    [waiting] = sam("approvals", "--pending", "--json").json()["requests"]
    # A 503 to a PATCH may or may not have been applied: it is looked up, not resent.
    clockify.add_fault(Fault(kind="status", status=503, method="PATCH", times=None))
    unclear = sam("approve", waiting["id"])
    assert unclear.code == 1
    assert "did not confirm" in unclear.err
    assert "not sent again before" in unclear.err  # it may still take: held to the horizon
    assert sam("approve", waiting["id"]).code == 1
    patches = [e for e in clockify.exchanges if e.method == "PATCH"]
    assert len(patches) == 1
    cli.now += timedelta(minutes=16)
    clockify.clear_faults()
    clockify.add_fault(Fault(kind="drop_after_commit", method="PATCH"))
    taken = sam("approve", waiting["id"], "--json")
    assert taken.code == 0, taken.err
    assert taken.json()["request"]["state"] == "APPROVED"
    assert len([e for e in clockify.exchanges if e.method == "PATCH"]) == 2


def test_a_lost_answer_is_read_back_not_resent(
    cli: Cli, clockify: FakeClockify, two: tuple[Person, Person]
) -> None:
    priya, _sam = two
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/approval-requests/"))
    done = priya("submit", "last", "--json")
    assert done.code == 0, done.err
    assert done.json()["request"]["state"] == "PENDING"
    posts = [e for e in clockify.exchanges if e.method == "POST" and "approval" in e.path]
    assert len(posts) == 1


def test_logging_out_forgets_the_periods_and_their_lock(
    cli: Cli, clockify: FakeClockify, two: tuple[Person, Person]
) -> None:
    from tracker.services.approval_locks import kept_approvals

    priya, sam = two
    assert priya("submit", "last").code == 0
    [waiting] = sam("approvals", "--pending", "--json").json()["requests"]
    assert sam("approve", waiting["id"], "--note", "Thanks").code == 0
    mine = priya("approvals", "--json").json()["requests"]
    assert (mine[0]["state"], mine[0]["note"], mine[0]["decided_by"]) == (
        "APPROVED",
        "Thanks",
        "Sam Rivera",
    )
    with priya.store() as store:
        account = store.meta.account() or {}
        workspace = store.meta.workspace_id() or ""
        assert kept_approvals(store.conn, workspace, account["user_id"]) is not None
    assert priya("logout").code == 0
    with priya.store() as store:
        assert kept_approvals(store.conn, workspace, account["user_id"]) is None


def test_withdrawing_a_submission_and_what_each_verb_costs(
    cli: Cli, clockify: FakeClockify, two: tuple[Person, Person]
) -> None:
    priya, sam = two
    sent = requests_sent(clockify)
    assert priya("submit").code == 0  # this period
    assert requests_sent(clockify) - sent == 2  # my periods read, then the submission
    sent = requests_sent(clockify)
    withdrawn = priya("withdraw", "--json")
    assert withdrawn.code == 0, withdrawn.err
    assert withdrawn.json()["request"]["state"] == "WITHDRAWN_SUBMISSION"
    assert requests_sent(clockify) - sent == 2
    again = priya("withdraw")
    assert again.code == 1
    assert "not waiting for approval (withdrawn)" in again.err
    assert priya("submit", "--json").json()["request"]["state"] == "PENDING"
    sent = requests_sent(clockify)
    listed = sam("approvals", "--pending", "--json").json()["requests"]
    assert requests_sent(clockify) - sent == 1
    sent = requests_sent(clockify)
    assert sam("approve", listed[0]["id"]).code == 0
    assert requests_sent(clockify) - sent == 1
