"""What each day expects of the connected person, from what Clockify said last.

:func:`week_plans` builds :class:`~tracker.domain.workdays.DayPlan` values for the week
timesheet, the today header and the "remind me to track" reminder from the kept member profile
(working days, daily capacity; else the profile read when the account connected), holidays
and the person's own time off (approved and pending).
It reads the store only, never the network, so a view can call it on every repaint; what is
kept is refreshed by :class:`~tracker.services.timeoff.TimeOff`. With nothing kept (no
account, or nothing fetched yet) it falls back to
:func:`~tracker.domain.workdays.default_plan`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tracker.domain.workdays import (
    DEFAULT_CAPACITY,
    DEFAULT_WORKING_DAYS,
    DayPlan,
    TimeOffMark,
    default_plan,
)
from tracker.services.timeoff_kept import (
    WEEKDAYS,
    HolidayView,
    RequestView,
    kept_holidays,
    kept_profile,
    kept_requests,
)
from tracker.store import Store

__all__ = ["away_days", "week_plans"]

_MARKED = ("PENDING", "APPROVED")


def week_plans(
    store: Store, workspace_id: str, user_id: str | None, days: Iterable[date]
) -> dict[date, DayPlan]:
    """One plan per day in ``days``: capacity from the profile, holidays, time off."""
    wanted = list(days)
    shape = _week_shape(store, workspace_id, user_id)
    if shape is None:
        plans = default_plan(wanted)
    else:
        plans = default_plan(wanted, working_days=shape[0], capacity=shape[1])
    if not user_id:
        return plans
    holidays = kept_holidays(store, workspace_id, user_id)
    requests = kept_requests(store, workspace_id, user_id)
    result: dict[date, DayPlan] = {}
    for day, plan in plans.items():
        holiday = _holiday(holidays.value if holidays else [], day)
        marks = tuple(
            mark
            for item in (requests.value if requests else [])
            if item.status in _MARKED and item.first <= day <= item.last
            for mark in _mark(item, plan)
        )
        result[day] = DayPlan(
            day=day,
            working=plan.working,
            base_capacity=plan.base_capacity,
            holiday=holiday,
            time_off=marks if plan.working and holiday is None else (),
        )
    return result


def _week_shape(
    store: Store, workspace_id: str, user_id: str | None
) -> tuple[frozenset[int], int, bool] | None:
    """The working weekdays, the daily capacity and whether the days are the person's own:
    the member profile kept by the time-off service, else the one read when the account
    connected, else ``None`` (unknown)."""
    if user_id:
        kept = kept_profile(store, workspace_id, user_id)
        if kept is not None:
            return kept.value.working_days, kept.value.capacity, True
    profile = store.meta.profile()
    if profile.user_id not in (None, user_id):
        return None
    days = frozenset(WEEKDAYS.index(d) for d in profile.working_days if d in WEEKDAYS)
    if profile.daily_capacity is None and not days:
        return None
    capacity = (
        int(profile.daily_capacity.total_seconds())
        if profile.daily_capacity is not None
        else DEFAULT_CAPACITY
    )
    return days or DEFAULT_WORKING_DAYS, capacity, bool(days)


def away_days(
    store: Store, workspace_id: str, user_id: str | None, days: Iterable[date]
) -> frozenset[date]:
    """The days on which nobody should be asked to track (see :attr:`DayPlan.away`); only
    what is known of the person (a holiday, approved time off, a day their profile does not
    work), never the default week."""
    plans = week_plans(store, workspace_id, user_id, days)
    shape = _week_shape(store, workspace_id, user_id)
    if shape is None or not shape[2]:
        return frozenset(d for d, p in plans.items() if p.holiday is not None or _taken(p))
    return frozenset(d for d, p in plans.items() if p.away)


def _taken(plan: DayPlan) -> bool:
    return plan.working and plan.capacity == 0


def _holiday(holidays: list[HolidayView], day: date) -> str | None:
    for holiday in holidays:
        if holiday.on(day):
            return holiday.name
    return None


def _mark(item: RequestView, plan: DayPlan) -> tuple[TimeOffMark, ...]:
    """How much of the day the request takes: all of it, half, or its hours on that day
    (none when its hours only touch the day at midnight)."""
    if item.hours is not None:
        seconds = min(plan.base_capacity, _hours_on(item, plan.day))
        if seconds <= 0:
            return ()
    elif item.half_day:
        seconds = plan.base_capacity // 2
    else:
        seconds = plan.base_capacity
    return (TimeOffMark(item.policy, seconds, item.status, item.half_day),)


def _hours_on(item: RequestView, day: date) -> int:
    """Seconds of a request by the hour that fall on ``day`` in the requester's zone (all
    of them on its first day when its start was not kept: an older copy)."""
    hours = int((item.hours or 0) * 3600)
    if item.start is None:
        return hours if day == item.first else 0
    try:
        zone = ZoneInfo(item.zone or "UTC")
        start = datetime.fromisoformat(item.start)
    except (ValueError, KeyError):
        return hours if day == item.first else 0
    end = start + timedelta(seconds=hours)
    midnight = datetime.combine(day, time(), zone)
    following = datetime.combine(day + timedelta(days=1), time(), zone)
    return max(0, int((min(end, following) - max(start, midnight)).total_seconds()))
