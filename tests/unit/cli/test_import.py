"""``tracker import``: Clockify's and Toggl's detailed CSV into the local store, dry run first,
duplicates skipped, bad rows named by their line, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import sys
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import Cli, run_tracker
from tests.unit.fakeclockify.conftest import http_client
from tracker.domain.model import Profile
from tracker.services import Tracker, importer
from tracker.services.importer import import_csv
from tracker.store import Store

TOGGL_HEADER = (
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,"
    "End date,End time,Duration,Tags,Amount ()"
)


def _clockify_export(server: FakeClockify, folder: Path) -> tuple[Path, int]:
    """The test server's detailed CSV export of the last week (in UTC), and its row count."""
    last = datetime.fromtimestamp(server.state.now(), UTC).date() - timedelta(days=1)
    first = last - timedelta(days=6)
    body = {
        "dateRangeStart": f"{first.isoformat()}T00:00:00",
        "dateRangeEnd": f"{last.isoformat()}T23:59:59.999",
        "timeZone": "UTC",
        "detailedFilter": {"page": 1, "pageSize": 50},
        "exportType": "CSV",
    }
    headers = {"X-Api-Key": server.key_for("OWNER")}
    with http_client(base_url=server.reports_url, headers=headers) as api:
        answer = api.post(f"/v1/workspaces/{server.workspace_id}/reports/detailed", json=body)
    assert answer.status_code == 200
    path = folder / "clockify-detailed.csv"
    path.write_bytes(answer.content)
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Project", "Client", "Description", "Task"]
    return path, len(rows) - 1


def test_clockify_export_is_planned_then_imported_then_all_duplicates(
    clockify: FakeClockify, home: Path, tmp_path: Path
) -> None:
    path, count = _clockify_export(clockify, tmp_path)
    assert count > 5

    planned = run_tracker("import", str(path), "--dry-run", "--json")
    plan = json.loads(planned.out)
    assert planned.code == 0, planned.err
    assert plan["source"] == "Clockify"
    assert plan["dry_run"] is True
    assert plan["bad"] == 0, plan["problems"]
    assert plan["added"] + plan["duplicates"] == count
    assert plan["created"]["projects"]
    with Store(home / "tracker.sqlite3") as store:
        assert store.events.last_id() == 0  # nothing written
        assert store.catalog.all("project", "local") == []

    done = json.loads(run_tracker("import", str(path), "--json").out)
    assert done["added"] == plan["added"]
    assert done["duplicates"] == plan["duplicates"]
    with Store(home / "tracker.sqlite3") as store:
        kinds = [e.kind for e in store.events.all_after(0)]
        assert kinds == ["entry.created"] * plan["added"]
        assert len(store.entries.pending("local")) == plan["added"]  # waits to be sent

    again = json.loads(run_tracker("import", str(path), "--json").out)
    assert again["added"] == 0
    assert again["duplicates"] == count


def test_toggl_rows_are_read_and_bad_rows_named_by_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "toggl.csv"
    path.write_text(
        TOGGL_HEADER + "\n"
        'Ann,ann@x.com,Acme,Website,Design,"Two\nlines",Yes,2026-02-27,09:00:00,'
        '2026-02-27,10:15:00,01:15:00,"dev,ux",\n'
        "Ann,ann@x.com,,,,No project,No,2026-02-27,11:00:00,2026-02-27,11:30:00,00:30:00,,\n"
        "Ann,ann@x.com,,,,Backwards,No,2026-02-27,12:00:00,2026-02-27,11:00:00,,,\n"
        "Ann,ann@x.com,,,,Bad day,No,27/02/2026x,12:00:00,2026-02-27,13:00:00,,,\n",
        encoding="utf-8",
    )
    result = cli("import", str(path))
    assert result.code == 0, result.err
    assert "Added 2 entries" in result.out
    assert "(Toggl export)" in result.out
    assert "Line 5: It ends before it starts." in result.out
    assert "Line 6: '27/02/2026x' is not a date" in result.out
    day = cli("day", "2026-02-27", "--json").json()["entries"]
    assert [(e["description"], e["project"], e["task"], e["tags"], e["billable"]) for e in day] == [
        ("Two\nlines", "Website", "Design", ["dev", "ux"], True),
        ("No project", None, None, [], False),
    ]
    assert day[0]["duration_seconds"] == 75 * 60


def test_a_file_that_is_not_an_export_is_refused_in_one_sentence(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,amount\nx,1\n")
    refused = cli("import", str(path))
    assert refused.code == 1
    assert "not a Clockify or Toggl detailed CSV export" in refused.err
    assert "Traceback" not in refused.err
    missing = cli("import", str(tmp_path / "nowhere.csv"))
    assert missing.code == 1
    assert "cannot be read" in missing.err
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage\x00")
    assert cli("import", str(binary)).code == 1


def _peak_import(store: Store, folder: Path, rows: int) -> int:
    """The most memory importing a file of ``rows`` rows took (tracemalloc's peak)."""
    path = folder / f"big-{rows}.csv"
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=400 * (rows % 7))
    with path.open("w", encoding="utf-8") as out:
        out.write(TOGGL_HEADER + "\n")
        for n in range(rows):
            begin = start + timedelta(minutes=30 * n)
            end = begin + timedelta(minutes=20)
            out.write(
                f"Ann,a@x,,,,Row {n} {'x' * 300},No,{begin:%Y-%m-%d},{begin:%H:%M:%S},"
                f"{end:%Y-%m-%d},{end:%H:%M:%S},00:20:00,,\n"
            )
    tracemalloc.start()
    try:
        plan = import_csv(Tracker(store).context, path, dry_run=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert plan.added == rows
    assert plan.bad == 0
    return peak


def test_a_large_file_streams(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BATCH", 100)
    small = _peak_import(store, tmp_path, 400)
    large = _peak_import(store, tmp_path, 1600)
    assert large < small * 1.3  # four times the rows, not four times the memory
    assert store.events.last_id() == 2000


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_dry_run_and_the_import_agree(store: Store, tmp_path: Path, dry_run: bool) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        TOGGL_HEADER + "\n"
        "Ann,a@x,,P,,A,No,2026-01-05,09:00:00,2026-01-05,10:00:00,01:00:00,,\n"
        "Ann,a@x,,P,,A,No,2026-01-05,09:00:00,2026-01-05,10:00:00,01:00:00,,\n"
    )
    plan = import_csv(Tracker(store).context, path, dry_run=dry_run)
    assert (plan.added, plan.duplicates, plan.duplicate_lines) == (1, 1, [3])
    assert plan.created == {"projects": ["P"]}


def test_imported_entries_are_sent_to_clockify_like_any_local_change(
    cli: Cli, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_API_URL", clockify.base_url)
    monkeypatch.setenv("TRACKER_REPORTS_URL", clockify.reports_url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(clockify.api_key + "\n"))
    assert cli("login").code == 0
    path = cli.home / "toggl.csv"
    path.write_text(
        TOGGL_HEADER + "\n"
        "Ann,a@x,,Imported Project,,Migrated one,Yes,2026-02-26,09:00:00,"
        "2026-02-26,10:00:00,01:00:00,imported,\n"
        "Ann,a@x,,Imported Project,,Migrated two,No,2026-02-26,10:00:00,"
        "2026-02-26,10:45:00,00:45:00,,\n"
    )
    assert cli("import", str(path)).code == 0
    report = cli("sync", "--json").json()
    assert report["created"] == 2
    assert report["complete"] is True
    on_server = {
        e["description"]: e
        for e in clockify.state.time_entries(clockify.workspace_id, clockify.user_id)
        if e.get("description", "").startswith("Migrated")
    }
    assert set(on_server) == {"Migrated one", "Migrated two"}
    assert on_server["Migrated one"]["billable"] is True
    assert on_server["Migrated one"]["projectId"] == on_server["Migrated two"]["projectId"]
    # 09:00 in the profile's zone (the account's, Europe/Berlin, once logged in)
    assert on_server["Migrated one"]["timeInterval"]["start"] == "2026-02-26T08:00:00Z"
    assert len(on_server["Migrated one"]["tagIds"]) == 1
    assert cli("status", "--json").json()["pending"] == 0


def test_formula_cells_imported_are_never_formulas_in_a_report_csv(
    cli: Cli, tmp_path: Path
) -> None:
    """A hostile export's ``=cmd|...`` description or ``@SUM`` project comes back out of
    ``tracker report --csv`` as text a spreadsheet shows, not a formula it runs."""
    path = tmp_path / "hostile.csv"
    path.write_text(
        TOGGL_HEADER + "\n"
        "Ann,a@x,,@SUM(A1),,\"=cmd|' /C calc'!A0\",No,2026-02-27,09:00:00,"
        "2026-02-27,10:00:00,01:00:00,,\n",
        encoding="utf-8",
    )
    assert cli("import", str(path)).code == 0
    result = cli(
        "report",
        "--csv",
        "--group-by",
        "project,description",
        "--from",
        "2026-02-27",
        "--to",
        "2026-02-27",
    )
    assert result.code == 0, result.err
    cells = [cell for row in csv.reader(io.StringIO(result.out)) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'@SUM(A1)" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


@pytest.mark.parametrize("duration", ["-0:30:00", "0:-30:00", "1:-5:00", "1:30:-1", "1_0:00:00"])
def test_a_signed_or_odd_duration_is_a_bad_row_not_another_length(
    store: Store, tmp_path: Path, duration: str
) -> None:
    """A row with no end and a duration of ``-0:30:00`` must not become 30 minutes."""
    path = tmp_path / "t.csv"
    path.write_text(
        TOGGL_HEADER + "\n"
        f"Ann,a@x,,,,Odd,No,2026-01-05,09:00:00,,,{duration},,\n"
        "Ann,a@x,,,,Long,No,2026-01-05,10:00:00,,,25:00:00,,\n"
    )
    plan = import_csv(Tracker(store).context, path, dry_run=False)
    assert (plan.added, plan.bad) == (1, 1)
    assert plan.problems == [
        (2, f"{duration!r} is not a duration (as in 1:30:00), and there is no end.")
    ]


def test_a_refused_row_creates_none_of_the_names_it_gives(store: Store, tmp_path: Path) -> None:
    """A row the workspace's rules refuse (here a description longer than Clockify takes)
    leaves no new project, client, task or tag behind to be sent to Clockify."""
    path = tmp_path / "t.csv"
    long = "x" * 3001
    path.write_text(
        TOGGL_HEADER + "\n"
        f"Ann,a@x,Orphan Client,Orphan Project,Orphan Task,{long},No,2026-01-05,09:00:00,"
        "2026-01-05,10:00:00,01:00:00,orphan-tag,\n"
        "Ann,a@x,,Kept,,Fine,No,2026-01-05,11:00:00,2026-01-05,12:00:00,01:00:00,,\n"
    )
    for dry_run in (True, False):
        plan = import_csv(Tracker(store).context, path, dry_run=dry_run)
        assert (plan.added, plan.bad) == (1, 1)
        assert plan.created == {"projects": ["Kept"]}
    names = {
        item.name
        for kind in ("client", "project", "task", "tag")
        for item in store.catalog.all(kind, "local")
    }
    assert names == {"Kept"}


def test_an_entry_across_the_autumn_clock_change_keeps_its_real_length(
    store: Store, tmp_path: Path
) -> None:
    """In Berlin on 2026-10-25 the clock goes from 03:00 back to 02:00: an entry written as
    02:45 to 02:15 that day ran 30 minutes over the change, not backwards."""
    store.meta.save_profile(Profile(time_zone="Europe/Berlin"))
    path = tmp_path / "t.csv"
    path.write_text(
        TOGGL_HEADER + "\n"
        "Ann,a@x,,,,Night shift,No,2026-10-25,02:45:00,2026-10-25,02:15:00,00:30:00,,\n"
    )
    plan = import_csv(Tracker(store).context, path, dry_run=False)
    assert (plan.added, plan.bad) == (1, 0), plan.problems
    (row,) = store.entries.between(
        "local",
        datetime(2026, 10, 24, tzinfo=UTC),
        datetime(2026, 10, 26, tzinfo=UTC),
        now=datetime(2026, 11, 1, tzinfo=UTC),
    )
    assert row.entry.start == datetime(2026, 10, 25, 0, 45, tzinfo=UTC)
    assert row.entry.end == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
