"""The one guarded pager against lists that misbehave, query-paged and body-paged alike.

Each guard is proven by the test server's paging faults: a page repeated forever, ``page``
ignored, totals that lie, and pages that are never short.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.fakeclockify import FakeClockify, Fault
from tracker.api import (
    CEILING,
    PAST_TOTAL,
    REPEATED_PAGE,
    ClockifyClient,
    PaginationError,
    RateLimits,
    RequestBudget,
    Servers,
)
from tracker.api.models import Tag
from tracker.api.models.reports import ReportFilter, SharedReportCreate
from tracker.api.pagination import iterate_items

from .conftest import FAST_RETRY, run

BERLIN = ZoneInfo("Europe/Berlin")


def client_for(server: FakeClockify) -> ClockifyClient:
    return ClockifyClient(
        server.api_key,
        servers=Servers.custom(server.base_url, server.reports_url),
        retry=FAST_RETRY,
        timeout=httpx.Timeout(5.0),
        budget=RequestBudget(RateLimits()),
    )


def tags(server: FakeClockify, *, max_pages: int = 10_000) -> list[str]:
    """Every tag name, read two a page."""

    async def scenario() -> list[str]:
        async with client_for(server) as api:
            return [
                tag.name
                async for tag in iterate_items(
                    api.session,
                    f"/v1/workspaces/{server.workspace_id}/tags",
                    Tag,
                    what="tags",
                    page_size=2,
                    max_pages=max_pages,
                )
            ]

    return run(scenario())


def report_ids(server: FakeClockify, days: int = 13) -> list[str]:
    """Every detailed-report entry of the last ``days`` days, read 20 a page."""
    last = datetime.fromtimestamp(server.state.now(), BERLIN).date() - timedelta(days=1)
    report = ReportFilter(
        first_day=last - timedelta(days=days - 1), last_day=last, time_zone="Europe/Berlin"
    )

    async def scenario() -> list[str]:
        async with client_for(server) as api:
            return [
                entry.id
                async for entry in api.reports.detailed(server.workspace_id, report, page_size=20)
            ]

    return run(scenario())


def endless(kind: str, path: str) -> Fault:
    return Fault(kind=kind, path=path, times=None)


def test_lists_read_whole_without_faults(clockify: FakeClockify) -> None:
    assert len(tags(clockify)) == 6
    data = clockify.state.workspaces[clockify.workspace_id]
    assert len(report_ids(clockify)) == len(set(report_ids(clockify))) > 20
    assert len(data.tags) == 6


def test_a_repeated_page_stops_a_query_paged_list(clockify: FakeClockify) -> None:
    clockify.add_fault(endless("page_repeat", r"/tags$"))
    with pytest.raises(PaginationError, match="twice") as caught:
        tags(clockify)
    assert caught.value.guard == REPEATED_PAGE
    assert len(clockify.exchanges) == 2


def test_a_list_that_ignores_paging_is_read_whole_in_one_request(clockify: FakeClockify) -> None:
    """A page longer than asked is the whole list (some Clockify lists ignore paging)."""
    clockify.add_fault(endless("page_ignored", r"/tags$"))
    assert len(tags(clockify)) == 6
    assert len(clockify.exchanges) == 1


def test_a_repeated_page_stops_a_body_paged_report(clockify: FakeClockify) -> None:
    clockify.add_fault(endless("page_repeat", r"/reports/detailed$"))
    with pytest.raises(PaginationError) as caught:
        report_ids(clockify)
    assert caught.value.guard == REPEATED_PAGE


def test_pages_that_are_never_short_stop_at_the_ceiling(clockify: FakeClockify) -> None:
    clockify.add_fault(endless("page_never_short", r"/tags$"))
    with pytest.raises(PaginationError, match="did not end after 2 pages") as caught:
        tags(clockify, max_pages=2)
    assert caught.value.guard == CEILING
    assert len(clockify.exchanges) == 2


def test_pages_that_wrap_around_stop_once_a_page_holds_only_items_read(
    clockify: FakeClockify,
) -> None:
    """Six tags two a page, never short: the fourth page is the first again. Only the page
    before is compared for a repeat, so without a memory of the items read this ran to the
    10,000-page ceiling, each page a request."""
    clockify.add_fault(endless("page_never_short", r"/tags$"))
    with pytest.raises(PaginationError, match="only items of earlier pages") as caught:
        tags(clockify)
    assert caught.value.guard == REPEATED_PAGE
    assert len(clockify.exchanges) == 4


def test_a_report_that_never_ends_stops_at_the_ceiling_its_first_total_allows(
    clockify: FakeClockify,
) -> None:
    """The first page declares 40 entries (two pages of 20) and every later page promises
    more: the pager stops after the one spare page the first total allows."""
    clockify.add_fault(endless("page_never_short", r"/reports/detailed$"))
    with pytest.raises(PaginationError) as caught:
        report_ids(clockify)
    assert caught.value.guard == CEILING
    assert len(clockify.exchanges) == 3


def test_more_items_than_the_declared_total_stop_a_report(clockify: FakeClockify) -> None:
    clockify.add_fault(endless("page_total_lie", r"/reports/detailed$"))
    with pytest.raises(PaginationError, match="than the") as caught:
        report_ids(clockify)
    assert caught.value.guard == PAST_TOTAL


def test_more_shared_reports_than_their_count_stop_the_list(
    clockify_factory: Callable[..., FakeClockify],
) -> None:
    server = clockify_factory(seed="demo")
    last = datetime.fromtimestamp(server.state.now(), BERLIN).date() - timedelta(days=1)
    body = ReportFilter(first_day=last, last_day=last).body()

    async def scenario() -> list[str]:
        async with client_for(server) as api:
            for number in range(5):
                await api.reports.create_shared(
                    server.workspace_id,
                    SharedReportCreate(name=f"Report {number}", type="SUMMARY", filter=body),
                )
            server.add_fault(
                Fault(kind="page_total_lie", path="/shared-reports$", times=None, size=3)
            )
            return [
                r.id async for r in api.reports.shared_reports(server.workspace_id, page_size=2)
            ]

    with pytest.raises(PaginationError) as caught:
        run(scenario())
    assert caught.value.guard == PAST_TOTAL


def test_a_last_page_header_that_lies_still_ends_on_the_empty_page(clockify: FakeClockify) -> None:
    clockify.add_fault(endless("page_total_lie", r"/tags$"))
    assert len(tags(clockify)) == 6
    assert [e.response_headers.get("last-page") for e in clockify.exchanges] == ["false"] * 4
    assert clockify.exchanges[-1].json() == []


def test_a_report_that_ignores_paging_is_read_once_and_whole(clockify: FakeClockify) -> None:
    """The whole report on page one: its declared total is reached, so the reading ends."""
    expected = sorted(report_ids(clockify))
    clockify.clear_exchanges()
    clockify.add_fault(endless("page_ignored", r"/reports/detailed$"))
    assert sorted(report_ids(clockify)) == expected
    assert len(clockify.exchanges) == 1
