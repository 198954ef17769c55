"""Day plans: capacity after holidays and time off."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.domain.workdays import DEFAULT_CAPACITY, DayPlan, TimeOffMark, default_plan


def test_default_plan_works_monday_to_friday() -> None:
    monday = date(2026, 11, 30)
    plans = default_plan(monday + timedelta(days=n) for n in range(7))
    assert [plans[day].capacity for day in sorted(plans)] == [DEFAULT_CAPACITY] * 5 + [0, 0]
    assert plans[monday + timedelta(days=5)].away


def test_holiday_and_approved_time_off_reduce_capacity_pending_does_not() -> None:
    day = date(2026, 12, 1)
    assert DayPlan(day, True, 28800, holiday="Founders' day").capacity == 0
    half = TimeOffMark("Vacation", 14400, "APPROVED", half_day=True)
    pending = TimeOffMark("Sick", 28800, "PENDING")
    plan = DayPlan(day, True, 28800, time_off=(half, pending))
    assert plan.capacity == 14400
    assert not plan.away
    assert DayPlan(day, True, 28800, time_off=(TimeOffMark("Sick", 36000, "APPROVED"),)).away
