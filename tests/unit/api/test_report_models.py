"""Report bodies and answers: whole-day ranges, 31-day pieces, exact merging, tolerant reads."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from tracker.api.models import decode
from tracker.api.models.reports import (
    DetailedEntry,
    DetailedPage,
    EntityFilter,
    ReportFilter,
    ReportGroup,
    ReportTotals,
    SummaryReport,
)
from tracker.api.resources.reports import FREE_REPORT_DAYS, merge_groups, merge_totals


def test_the_body_sends_whole_days_as_wall_clock_times() -> None:
    report = ReportFilter(
        first_day=date(2026, 3, 1),
        last_day=date(2026, 3, 31),
        time_zone="Europe/Berlin",
        projects=EntityFilter(ids=["p1", ""], contains="DOES_NOT_CONTAIN"),
    )
    assert report.body() == {
        "dateRangeStart": "2026-03-01T00:00:00.000",
        "dateRangeEnd": "2026-03-31T23:59:59.999",
        "timeZone": "Europe/Berlin",
        "projects": {"ids": ["p1", ""], "contains": "DOES_NOT_CONTAIN"},
    }
    assert report.days == 31


def test_a_reversed_range_is_refused() -> None:
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        ReportFilter(first_day=date(2026, 3, 2), last_day=date(2026, 3, 1))


@pytest.mark.parametrize("days", [1, 30, 31, 32, 62, 90, 366])
def test_pieces_cover_the_range_without_gaps_or_overlaps(days: int) -> None:
    first = date(2026, 1, 1)
    report = ReportFilter(first_day=first, last_day=first + timedelta(days=days - 1))
    pieces = report.pieces(FREE_REPORT_DAYS)
    assert pieces[0].first_day == first
    assert pieces[-1].last_day == report.last_day
    assert all(p.days <= FREE_REPORT_DAYS for p in pieces)
    for before, after in itertools.pairwise(pieces):
        assert after.first_day == before.last_day + timedelta(days=1)
    assert sum(p.days for p in pieces) == days
    assert len(pieces) == -(-days // FREE_REPORT_DAYS)


def test_totals_and_groups_merge_exactly() -> None:
    first = ReportTotals(total_time=3601, total_billable_time=1, entries_count=2, total_amount=7)
    second = ReportTotals(total_time=59, total_billable_time=0, entries_count=1, total_amount=3)
    merged = merge_totals([first, second])
    assert (merged.total_time, merged.entries_count, merged.total_amount) == (3660, 3, 10)
    a = ReportGroup(id="u1", name="A", duration=10, children=[ReportGroup(id="p", duration=10)])
    b = ReportGroup(id="u1", name="A", duration=5, children=[ReportGroup(id="p", duration=5)])
    c = ReportGroup(id="u2", name="B", duration=1)
    (one, two) = merge_groups([[a], [b, c]])
    assert (one.duration, one.children[0].duration, two.duration) == (15, 15, 1)


def test_reports_host_answers_are_read_as_clockify_sends_them() -> None:
    """``_id`` ids, ``timeentries`` in lower case, ``totals: [null]`` (FACTS §4, §6)."""
    page = decode(
        DetailedPage,
        {
            "timeentries": [
                {
                    "_id": "e1",
                    "timeInterval": {"start": "2026-03-01T09:00:00+01:00", "duration": 5400},
                }
            ],
            "totals": [None],
        },
        what="report",
    )
    assert page.total == ReportTotals()
    (entry,) = [decode(DetailedEntry, item, what="entry") for item in page.time_entries]
    assert (entry.id, entry.time_interval.duration) == ("e1", 5400)
    summary = decode(
        SummaryReport,
        {
            "groupOne": [{"_id": "", "name": "Without project", "duration": 60}],
            "totals": [{"_id": "", "totalTime": 60, "entriesCount": 1}],
        },
        what="report",
    )
    assert summary.group_one[0].id == ""
    assert summary.total.total_time == 60
