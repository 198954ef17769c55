"""``tracker report`` and ``tracker export`` read Clockify when an account is connected
(against the test server), agree with ``tracker log`` and the local store, cost what they
say, and offer others' time only to those allowed."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify
from tests.fakeclockify.access import ADMIN, MEMBER
from tests.fakeclockify.model import Fault
from tests.helpers.keyrings import keep_key
from tests.unit.cli.conftest import Cli
from tracker.integrations.secrets import MemorySecretStore
from tracker.store.report_cache import FRESH_SECONDS


def _connect(cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    """Log in with ``key`` and run one sync round, at the server's real time."""
    monkeypatch.setenv("TRACKER_API_URL", server.base_url)
    monkeypatch.setenv("TRACKER_REPORTS_URL", server.reports_url)
    cli.now = datetime.now(UTC).replace(microsecond=0)
    cli.secrets = MemorySecretStore()
    with cli.store() as store:
        keep_key(cli.secrets, store, server.base_url, server.user_id, key)
    monkeypatch.setattr(sys, "stdin", io.StringIO(key + "\n"))
    login = cli("login")
    assert login.code == 0, login.err
    synced = cli("sync", "--json")
    assert synced.code == 0, synced.err


def _period(cli: Cli) -> list[str]:
    """Five whole days before today: pulled by sync, no running timer in them."""
    today = cli.now.date()
    return ["--from", str(today - timedelta(days=5)), "--to", str(today - timedelta(days=1))]


@pytest.fixture
def server(clockify: FakeClockify) -> FakeClockify:
    return clockify


def test_online_report_equals_the_log_and_the_offline_report(
    cli: Cli, clockify_factory: Callable[..., FakeClockify], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = clockify_factory(seed="empty")
    _connect(cli, server, monkeypatch, server.api_key)
    period = _period(cli)
    first = cli.now.date() - timedelta(days=5)
    for day, start, end, text in (
        (first, "09:00", "12:30", "Planning"),
        (first, "13:15", "17:05", "Review"),
        (first + timedelta(days=2), "22:00", "23:59", "Late fix"),
        (first + timedelta(days=4), "08:10", "09:55", "Stand-up"),
    ):
        added = cli("add", f"{day} {start}", f"{day} {end}", text)
        assert added.code == 0, added.err
    assert cli("sync").code == 0
    logged = cli("log", *period, "--json")
    assert logged.code == 0, logged.err
    total = logged.json()["total_seconds"]
    assert total == (210 + 230 + 119 + 105) * 60

    online = cli("report", *period, "--json")
    assert online.code == 0, online.err
    data = online.json()
    assert data["source"] == "clockify"
    assert data["label"] == "Your time on Clockify"
    assert datetime.fromisoformat(data["as_of"]) == cli.now
    assert data["total_seconds"] == total
    assert sum(d["seconds"] for d in data["days"]) == total
    assert sum(g["seconds"] for g in data["groups"]) == total
    assert data["requests"] == 2  # grouped as asked, and by day for the chart
    assert data["amount"] is not None  # amounts come from Clockify, in cents

    offline = cli("report", *period, "--json", "--offline").json()
    assert offline["source"] == "local"
    assert offline["total_seconds"] == total

    # Asked again within minutes: the kept copy, no request.
    again = cli("report", *period, "--json").json()
    assert again["requests"] == 0
    assert again["total_seconds"] == total
    assert cli("report", *period, "--json", "--refresh").json()["requests"] == 2
    cli.advance(seconds=FRESH_SECONDS)
    assert cli("report", *period, "--json").json()["requests"] == 2


def test_an_online_csv_export_sums_to_the_report_total(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _connect(cli, server, monkeypatch, server.api_key)
    period = _period(cli)
    total = cli("report", *period, "--json").json()["total_seconds"]
    # Entries with seconds: the report counts them to the second, online and offline alike.
    assert cli("report", *period, "--json", "--offline").json()["total_seconds"] == total
    target = tmp_path / "week.csv"
    result = cli("export", str(target), *period, "--json")
    assert result.code == 0, result.err
    assert result.json()["source"] == "clockify"
    with target.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    seconds = 0
    for row in rows:
        hours, minutes, secs = (int(part) for part in row["Duration (h)"].split(":"))
        seconds += hours * 3600 + minutes * 60 + secs
    assert seconds == total
    assert len(rows) == result.json()["rows"]


def test_team_time_only_for_those_allowed(
    cli: Cli, clockify_factory: Callable[..., FakeClockify], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = clockify_factory(seed="demo")
    _connect(cli, server, monkeypatch, server.key_for(MEMBER))
    period = _period(cli)
    refused = cli("report", *period, "--user", "all")
    assert refused.code == 1
    assert refused.err.startswith("tracker: Clockify shows you only your own time")
    mine = cli("report", *period, "--json")
    assert mine.code == 0, mine.err
    own = mine.json()["total_seconds"]
    assert own == cli("log", *period, "--json").json()["total_seconds"]


def test_an_admin_sees_the_team_and_one_person_by_name(
    cli: Cli, clockify_factory: Callable[..., FakeClockify], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = clockify_factory(seed="demo")
    _connect(cli, server, monkeypatch, server.key_for(ADMIN))
    period = _period(cli)
    mine = cli("report", *period, "--json").json()["total_seconds"]
    team = cli("report", *period, "--user", "all", "--json", "--group-by", "project")
    assert team.code == 0, team.err
    assert team.json()["label"] == "Everyone's time you may see on Clockify"
    assert team.json()["total_seconds"] > mine
    priya = cli("report", *period, "--user", "Priya Shah", "--json")
    assert priya.code == 0, priya.err
    assert priya.json()["label"] == "Priya Shah's time on Clockify"
    assert 0 < priya.json()["total_seconds"] < team.json()["total_seconds"]
    nobody = cli("report", *period, "--user", "Nobody Here")
    assert nobody.code == 1
    assert "No one in this workspace is called 'Nobody Here'" in nobody.err


def test_a_free_workspace_asks_before_a_costly_report(
    cli: Cli, clockify_factory: Callable[..., FakeClockify], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")
    _connect(cli, server, monkeypatch, server.api_key)
    today = cli.now.date()
    long = ["--from", str(today - timedelta(days=90)), "--to", str(today - timedelta(days=1))]
    refused = cli("report", *long, "--json")
    assert refused.code == 1
    assert "This report costs 6 requests of the 30 an hour" in refused.err
    assert "--yes" in refused.err
    agreed = cli("report", *long, "--json", "--yes")
    assert agreed.code == 0, agreed.err
    data = agreed.json()
    assert data["requests"] == 6  # three 31-day pieces, two summaries each
    assert sum(d["seconds"] for d in data["days"]) == data["total_seconds"]
    assert sum(g["seconds"] for g in data["groups"]) == data["total_seconds"]


def test_offline_it_shows_the_kept_copy_then_the_local_store(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    _connect(cli, server, monkeypatch, server.api_key)
    period = _period(cli)
    fetched = cli("report", *period, "--json").json()
    server.stop()
    cli.advance(seconds=FRESH_SECONDS + 1)
    kept = cli("report", *period, "--json")
    assert kept.code == 0
    assert kept.json()["source"] == "clockify"
    assert kept.json()["as_of"] == fetched["as_of"]
    assert "showing the copy fetched at" in kept.err
    other = cli("report", "--from", period[1], "--to", period[1], "--json")
    assert other.code == 0
    assert other.json()["source"] == "local"
    assert "showing your entries on this computer" in other.err


def test_a_refused_report_is_one_sentence(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    _connect(cli, server, monkeypatch, server.api_key)
    server.add_fault(Fault(kind="status", status=403, method="POST", path="/reports/summary"))
    refused = cli("report", *_period(cli))
    assert refused.code == 1
    assert refused.err == (
        "tracker: Clockify refused this report for your role or your workspace's plan.\n"
    )


def test_a_kept_report_is_never_shown_to_another_account(
    cli: Cli, clockify_factory: Callable[..., FakeClockify], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = clockify_factory(seed="demo")
    _connect(cli, server, monkeypatch, server.key_for(ADMIN))
    period = _period(cli)
    jordan = cli("report", *period, "--json").json()
    # Same folder, same workspace, another person: their own report, fetched.
    with cli.store() as store:
        store.meta.set_account({**(store.meta.account() or {}), "user_id": server.user_id})
    alex = cli("report", *period, "--json").json()
    assert alex["requests"] == 2
    assert alex["total_seconds"] != jordan["total_seconds"]


def test_entries_with_seconds_total_the_same_in_the_log_and_the_reports(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Screens count from shown minute to shown minute; machine output counts seconds, as
    # Clockify and the reports do, so a script summing `log --json` gets the billed total.
    _connect(cli, server, monkeypatch, server.api_key)
    period = _period(cli)
    logged = cli("log", *period, "--json")
    assert logged.code == 0, logged.err
    data = logged.json()
    entries = [e for day in data["days"] for e in day["entries"]]
    assert any(e["duration_seconds"] % 60 for e in entries)  # the demo has seconds
    assert data["total_seconds"] == sum(day["total_seconds"] for day in data["days"])
    assert data["total_seconds"] == sum(e["in_day_seconds"] for e in entries)
    assert cli("report", *period, "--json").json()["total_seconds"] == data["total_seconds"]
    offline = cli("report", *period, "--json", "--offline").json()
    assert offline["total_seconds"] == data["total_seconds"]


def test_logging_out_forgets_the_kept_reports(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Clockify's reports (a team's time, amounts) leave the computer's store with the account.
    _connect(cli, server, monkeypatch, server.api_key)
    period = _period(cli)
    assert cli("report", *period, "--json").json()["source"] == "clockify"
    with cli.store() as store:
        kept = store.conn.execute("SELECT count(*) FROM report_cache").fetchone()[0]
    assert kept > 0
    assert cli("logout").code == 0
    with cli.store() as store:
        assert store.conn.execute("SELECT count(*) FROM report_cache").fetchone()[0] == 0


def test_a_free_workspace_is_told_its_plan_lacks_approvals_and_time_off_without_a_request(
    cli: Cli, clockify_factory: Callable[..., FakeClockify], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")
    _connect(cli, server, monkeypatch, server.api_key)
    before = len(server.exchanges)
    for argv, said in (
        (["approvals"], "plan has no timesheet approvals"),
        (["submit", "last"], "plan has no timesheet approvals"),
        (["timeoff", "balance"], "plan has no time off"),
        (["holidays"], "plan has no time off"),
    ):
        refused = cli(*argv)
        assert refused.code == 1, argv
        assert said in refused.err, argv
    assert len(server.exchanges) == before  # Clockify's 403 was not asked for
