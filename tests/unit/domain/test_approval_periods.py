"""Approval periods: weeks from the person's week start, half months, months."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain.approval_periods import Period, period_containing
from tracker.services.approvals import infer_kind


@pytest.mark.parametrize(
    ("day", "kind", "week_start", "first", "last"),
    [
        (date(2026, 11, 25), "WEEKLY", "MONDAY", date(2026, 11, 23), date(2026, 11, 29)),
        (date(2026, 11, 29), "WEEKLY", "SUNDAY", date(2026, 11, 29), date(2026, 12, 5)),
        (date(2026, 11, 28), "WEEKLY", "SUNDAY", date(2026, 11, 22), date(2026, 11, 28)),
        (date(2026, 12, 31), "WEEKLY", "nonsense", date(2026, 12, 28), date(2027, 1, 3)),
        (date(2026, 2, 15), "SEMI_MONTHLY", "MONDAY", date(2026, 2, 1), date(2026, 2, 15)),
        (date(2028, 2, 16), "SEMI_MONTHLY", "MONDAY", date(2028, 2, 16), date(2028, 2, 29)),
        (date(2026, 12, 31), "MONTHLY", "MONDAY", date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_the_period_that_holds_a_day(
    day: date, kind: str, week_start: str, first: date, last: date
) -> None:
    period = period_containing(day, kind, week_start)
    assert (period.first, period.last) == (first, last)
    assert day in period
    assert infer_kind(period.first, period.last) == period.kind


def test_periods_follow_each_other() -> None:
    week = period_containing(date(2027, 1, 1), "WEEKLY")
    assert week.previous().last == week.first.replace(day=27)
    half = Period(date(2026, 12, 16), date(2026, 12, 31), "SEMI_MONTHLY")
    assert half.following() == Period(date(2027, 1, 1), date(2027, 1, 15), "SEMI_MONTHLY")
    assert half.label() == "2026-12-16 to 2026-12-31"
