"""``week_plans`` from what is kept in the store alone: the profile's week and capacity,
holidays over time off, full, half and hourly marks, and the defaults when nothing is kept."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tracker.domain.model import Profile
from tracker.domain.workdays import DEFAULT_CAPACITY
from tracker.services.timeoff import HolidayView, ProfileView, RequestView, cache_key
from tracker.services.workdays import away_days, week_plans
from tracker.store import Store
from tracker.store.report_cache import ReportCache

WS, ME = "w1", "u1"
MONDAY = date(2026, 3, 2)
WEEK = [MONDAY + timedelta(days=n) for n in range(7)]


def keep(store: Store, kind: str, items: list[dict[str, Any]]) -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC).timestamp()
    ReportCache(store.conn).put(cache_key(kind, WS, ME), WS, {"items": items}, at)


def asked(day: date, status: str = "APPROVED", **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": f"r{day.day}",
        "policy_id": "p1",
        "policy": "Vacation",
        "user_id": ME,
        "user": "Ann",
        "first": day,
        "last": day,
        "half_day": False,
        "amount": 1.0,
        "unit": "DAYS",
        "status": status,
    }
    return RequestView(**{**values, **fields}).to_json()


def test_nothing_kept_gives_the_default_week(store: Store) -> None:
    plans = week_plans(store, WS, ME, WEEK)
    assert [p.capacity for p in plans.values()] == [DEFAULT_CAPACITY] * 5 + [0, 0]
    assert week_plans(store, WS, None, WEEK) == plans
    assert away_days(store, WS, ME, WEEK) == frozenset()  # no profile: weekends say nothing


def test_profile_holidays_and_time_off(store: Store) -> None:
    keep(store, "profile", [ProfileView(6 * 3600, frozenset({0, 1, 2, 3})).to_json()])
    keep(
        store, "holidays", [HolidayView("h1", "Carnival", WEEK[2], WEEK[2], annual=False).to_json()]
    )
    keep(
        store,
        "requests",
        [
            asked(WEEK[0]),
            asked(WEEK[1], "PENDING", half_day=True, amount=0.5),
            asked(WEEK[2]),  # on the holiday: the holiday wins, no mark
            asked(WEEK[3], unit="HOURS", hours=2.0, amount=2.0),
            asked(WEEK[3] + timedelta(days=7), "REJECTED"),
        ],
    )
    plans = week_plans(store, WS, ME, WEEK)
    assert plans[WEEK[0]].capacity == 0
    assert plans[WEEK[0]].away
    assert plans[WEEK[1]].time_off[0].seconds == 3 * 3600
    assert plans[WEEK[1]].capacity == 6 * 3600  # pending takes nothing off
    assert plans[WEEK[2]].holiday == "Carnival"
    assert plans[WEEK[2]].time_off == ()
    assert plans[WEEK[3]].capacity == 4 * 3600
    assert not plans[WEEK[4]].working
    assert away_days(store, WS, ME, WEEK) == {WEEK[0], WEEK[2], WEEK[4], WEEK[5], WEEK[6]}


def test_a_damaged_copy_is_dropped_and_the_defaults_apply(store: Store) -> None:
    keep(store, "profile", [{"capacity": "lots"}])
    assert week_plans(store, WS, ME, WEEK)[MONDAY].base_capacity == DEFAULT_CAPACITY
    assert ReportCache(store.conn).get(cache_key("profile", WS, ME)) is None


def test_the_profile_read_when_connecting_stands_in_for_a_kept_one(store: Store) -> None:
    store.meta.save_profile(
        Profile(
            user_id=ME,
            time_zone="UTC",
            daily_capacity=timedelta(hours=7),
            working_days=("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"),
        )
    )
    plans = week_plans(store, WS, ME, WEEK)
    assert plans[MONDAY].capacity == 7 * 3600
    assert not plans[WEEK[4]].working
    assert away_days(store, WS, ME, WEEK) == {WEEK[4], WEEK[5], WEEK[6]}
    assert week_plans(store, WS, "someone-else", WEEK)[MONDAY].capacity == DEFAULT_CAPACITY


def test_reading_the_plans_loads_neither_the_client_nor_pydantic() -> None:
    code = (
        "import sys, tracker.services.workdays;"
        "print([m for m in ('pydantic', 'httpx', 'tracker.api') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_an_annual_holiday_over_new_year_covers_both_days_every_year(store: Store) -> None:
    eve = HolidayView("h2", "New Year", date(2025, 12, 31), date(2026, 1, 1), annual=True)
    keep(store, "holidays", [eve.to_json()])
    later = [date(2027, 12, 31), date(2028, 1, 1), date(2031, 1, 1)]
    plans = week_plans(store, WS, ME, later)
    assert [plans[d].holiday for d in later] == ["New Year"] * 3
    assert not eve.on(date(2028, 1, 2))
    assert not eve.on(date(2025, 1, 1))  # before the first one
