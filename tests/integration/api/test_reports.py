"""The Reports client against the test server's Reports host, over loopback, contract-checked."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.records import Entry
from tracker.api import (
    BadRequestError,
    ClockifyClient,
    ExportCancelledError,
    RateLimits,
    RequestBudget,
    ServerError,
    Servers,
    days_limit,
)
from tracker.api.models.reports import (
    EntityFilter,
    ReportFilter,
    SharedReportCreate,
    SharedReportUpdate,
    SummaryReport,
)

from .conftest import FAST_RETRY, run

BERLIN = ZoneInfo("Europe/Berlin")


def client_for(server: FakeClockify, key: str | None = None) -> ClockifyClient:
    return ClockifyClient(
        key or server.api_key,
        servers=Servers.custom(server.base_url, server.reports_url),
        retry=FAST_RETRY,
        timeout=httpx.Timeout(5.0),
        budget=RequestBudget(RateLimits()),
    )


def yesterday(server: FakeClockify) -> date:
    return datetime.fromtimestamp(server.state.now(), BERLIN).date() - timedelta(days=1)


def stored(server: FakeClockify, first: date, last: date) -> list[Entry]:
    """Every finished entry of every user starting on those Berlin days."""
    low = datetime(first.year, first.month, first.day, tzinfo=BERLIN).timestamp()
    after = last + timedelta(days=1)
    high = datetime(after.year, after.month, after.day, tzinfo=BERLIN).timestamp()
    data = server.state.workspaces[server.workspace_id]
    return [e for e in data.entries.values() if e.end is not None and low <= e.start < high]


def seconds(entries: list[Entry]) -> int:
    return sum((e.end or e.start) - e.start for e in entries)


def report_posts(server: FakeClockify, kind: str) -> int:
    return sum(1 for e in server.exchanges if e.host == "reports" and e.path.endswith(kind))


def test_free_plan_90_days_are_asked_in_31_day_pieces_and_add_up_exactly(
    clockify_factory: Callable[..., FakeClockify],
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")
    last = yesterday(server)
    first = last - timedelta(days=89)
    report = ReportFilter(first_day=first, last_day=last, time_zone="Europe/Berlin")

    async def scenario() -> SummaryReport:
        async with client_for(server) as api:
            workspace = await api.workspaces.get(server.workspace_id)
            limit = days_limit(workspace)
            assert limit == 31
            with pytest.raises(BadRequestError, match="limited to a maximum interval"):
                await api.reports.summary(server.workspace_id, report, groups=["USER"])
            return await api.reports.summary(
                server.workspace_id, report, groups=["USER", "PROJECT"], max_days=limit
            )

    summary = run(scenario())
    entries = stored(server, first, last)
    assert summary.total.total_time == seconds(entries)
    assert summary.total.entries_count == len(entries)
    assert summary.total.total_billable_time == seconds([e for e in entries if e.billable])
    by_user = {g.id: g.duration for g in summary.group_one}
    assert by_user == {user: seconds([e for e in entries if e.user_id == user]) for user in by_user}
    for user in summary.group_one:
        assert user.duration == sum(p.duration for p in user.children)
    assert report_posts(server, "/summary") == 1 + 3  # refused once, then 31 + 31 + 28 days


def test_detailed_report_pages_every_entry_once_in_pieces(
    clockify_factory: Callable[..., FakeClockify],
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")
    last = yesterday(server)
    first = last - timedelta(days=44)
    report = ReportFilter(first_day=first, last_day=last, time_zone="Europe/Berlin")

    async def scenario() -> tuple[list[str], int, int]:
        async with client_for(server) as api:
            ids = [
                entry.id
                async for entry in api.reports.detailed(
                    server.workspace_id, report, page_size=50, max_days=31
                )
            ]
            return ids, api.budget.spent(), len(server.exchanges)

    ids, spent, sent = run(scenario())
    entries = stored(server, first, last)
    assert sorted(ids) == sorted(e.id for e in entries)
    assert spent == sent  # every page went through the request budget


def test_filters_and_amounts_reach_the_server(clockify: FakeClockify) -> None:
    data = clockify.state.workspaces[clockify.workspace_id]
    website = next(p for p in data.projects.values() if p.name == "Website Redesign")
    last = yesterday(clockify)
    first = last - timedelta(days=20)
    report = ReportFilter(
        first_day=first,
        last_day=last,
        time_zone="Europe/Berlin",
        users=EntityFilter(ids=[clockify.user_id]),
        projects=EntityFilter(ids=[website.id]),
        billable=True,
    )

    async def scenario() -> list[Any]:
        async with client_for(clockify) as api:
            return [e async for e in api.reports.detailed(clockify.workspace_id, report)]

    lines = run(scenario())
    expected = [
        e
        for e in stored(clockify, first, last)
        if e.user_id == clockify.user_id and e.project_id == website.id and e.billable
    ]
    assert sorted(line.id for line in lines) == sorted(e.id for e in expected)
    for line in lines:
        assert line.rate == 12000  # the project's rate, in cents
        assert line.amount == round(line.time_interval.duration * 12000 / 3600)
        assert line.time_interval.start.utcoffset() is not None


def test_weekly_and_attendance(clockify: FakeClockify) -> None:
    last = yesterday(clockify)
    monday = last - timedelta(days=last.weekday() + 7)
    week = ReportFilter(
        first_day=monday, last_day=monday + timedelta(days=6), time_zone="Europe/Berlin"
    )

    async def scenario() -> tuple[Any, list[Any]]:
        async with client_for(clockify) as api:
            with pytest.raises(ValueError, match="seven days"):
                await api.reports.weekly(
                    clockify.workspace_id, week.model_copy(update={"last_day": monday})
                )
            weekly = await api.reports.weekly(clockify.workspace_id, week, group="USER")
            lines = [
                line
                async for line in api.reports.attendance(clockify.workspace_id, week, page_size=7)
            ]
            return weekly, lines

    weekly, lines = run(scenario())
    entries = stored(clockify, monday, monday + timedelta(days=6))
    assert weekly.total.total_time == seconds(entries)
    assert len(weekly.totals_by_day) == 7
    assert {(line.user_id, line.date) for line in lines} == {
        (e.user_id, datetime.fromtimestamp(e.start, BERLIN).date().isoformat()) for e in entries
    }
    assert sum(line.total_duration for line in lines) == seconds(entries)


def test_export_streams_to_the_file_with_progress(clockify: FakeClockify, tmp_path: Path) -> None:
    last = yesterday(clockify)
    report = ReportFilter(
        first_day=last - timedelta(days=90), last_day=last, time_zone="Europe/Berlin"
    )
    destination = tmp_path / "hours.csv"
    heard: list[tuple[int, int | None]] = []

    async def scenario() -> int:
        async with client_for(clockify) as api:
            written = await api.reports.export(
                clockify.workspace_id,
                "detailed",
                report,
                "CSV",
                destination,
                progress=lambda done, expected: heard.append((done, expected)),
            )
            assert api.budget.spent() == 1  # the download counts like any request
            return written

    size = run(scenario())
    content = destination.read_bytes()
    assert size == len(content)
    assert content.decode("utf-8-sig").startswith("Project,Client,Description")
    lines = content.decode("utf-8-sig").count("\r\n")
    assert lines == 1 + len(stored(clockify, last - timedelta(days=90), last))
    assert len(heard) > 1  # written piece by piece, not read whole first
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)
    assert heard[-1] == (size, size)
    assert [p.name for p in tmp_path.iterdir()] == ["hours.csv"]  # no temporary file left


def test_a_large_export_is_written_with_bounded_memory(
    clockify: FakeClockify, tmp_path: Path
) -> None:
    """64 MiB arrive (a flood without a length); the client never holds more than a few
    pieces of it."""
    size = 64 * 1024 * 1024
    clockify.add_fault(Fault(kind="huge_body", size=size, path="/reports/detailed$"))
    last = yesterday(clockify)
    report = ReportFilter(first_day=last, last_day=last)
    destination = tmp_path / "big.csv"

    async def scenario() -> int:
        async with client_for(clockify) as api:
            return await api.reports.export(
                clockify.workspace_id, "detailed", report, "CSV", destination
            )

    tracemalloc.start()
    try:
        written = run(scenario())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == destination.stat().st_size == size
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


def test_a_cancelled_or_failed_export_leaves_nothing(
    clockify: FakeClockify, tmp_path: Path
) -> None:
    last = yesterday(clockify)
    report = ReportFilter(first_day=last - timedelta(days=6), last_day=last)
    destination = tmp_path / "week.pdf"

    async def scenario() -> None:
        async with client_for(clockify) as api:
            with pytest.raises(ExportCancelledError):
                await api.reports.export(
                    clockify.workspace_id,
                    "summary",
                    report,
                    "PDF",
                    destination,
                    cancelled=lambda: True,
                )
            clockify.add_fault(Fault(kind="status", status=500, path="/reports/summary"))
            with pytest.raises(ServerError):
                await api.reports.export(
                    clockify.workspace_id, "summary", report, "XLSX", destination
                )

    run(scenario())
    assert list(tmp_path.iterdir()) == []


def test_shared_reports_create_list_update_open_delete(clockify: FakeClockify) -> None:
    last = yesterday(clockify)
    body = ReportFilter(first_day=last - timedelta(days=6), last_day=last).body()
    body["summaryFilter"] = {"groups": ["PROJECT"]}

    async def scenario() -> None:
        async with client_for(clockify) as api:
            ws = clockify.workspace_id
            made = await api.reports.create_shared(
                ws, SharedReportCreate(name="Last week", type="SUMMARY", filter=body)
            )
            listed = [r async for r in api.reports.shared_reports(ws)]
            assert [(r.id, r.name) for r in listed] == [(made.id, "Last week")]
            renamed = await api.reports.update_shared(
                ws, made.id, SharedReportUpdate(name="Week 48", is_public=True)
            )
            assert (renamed.name, renamed.is_public) == ("Week 48", True)
            opened = SummaryReport.model_validate(await api.reports.open_shared(made.id))
            assert opened.total.entries_count > 0
            await api.reports.delete_shared(ws, made.id)
            assert [r async for r in api.reports.shared_reports(ws)] == []

    run(scenario())


def test_a_member_gets_only_their_own_time(clockify: FakeClockify) -> None:
    member = next(u for u in clockify.users if u.role == "MEMBER")
    last = yesterday(clockify)
    report = ReportFilter(first_day=last - timedelta(days=13), last_day=last)

    async def scenario() -> SummaryReport:
        async with client_for(clockify, member.api_key) as api:
            return await api.reports.summary(clockify.workspace_id, report, groups=["USER"])

    summary = run(scenario())
    assert [g.id for g in summary.group_one] == [member.user_id]
