"""What a day asks of a person: capacity, holidays and time off, one value per day.

The week timesheet, the today window's header and the "remind me to track" reminder all ask
the same question of a date: is it a working day, how many hours does it expect, is it a
holiday, is the person away. The answer is a :class:`DayPlan`; where it comes from (the member
profile, holidays and approved time off kept from Clockify, or the defaults below when nothing
is known) is the services' business, so every view reads one shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DEFAULT_CAPACITY",
    "DEFAULT_WORKING_DAYS",
    "DayPlan",
    "TimeOffMark",
    "default_plan",
]

DEFAULT_CAPACITY = 8 * 3600
"""Seconds a working day expects when the member profile is not known (Clockify's default)."""

DEFAULT_WORKING_DAYS = frozenset(range(5))
"""Working weekdays (``date.weekday()``: Monday is 0) when the member profile is not known."""


@dataclass(frozen=True, slots=True)
class TimeOffMark:
    """Time off on one day: the policy's name, how long, and the request's state.

    ``seconds`` is the part of the day taken (the whole capacity for a full day, half of it
    for a half day, the hours asked for an hourly policy).
    """

    policy: str
    seconds: int
    status: str  # "PENDING" | "APPROVED" (rejected and withdrawn requests are not marks)
    half_day: bool = False


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day: whether it is worked, what it expects, and why it expects less."""

    day: date
    working: bool
    base_capacity: int
    """Seconds the profile expects on this weekday (0 on a non-working day)."""
    holiday: str | None = None
    time_off: tuple[TimeOffMark, ...] = ()

    @property
    def capacity(self) -> int:
        """Seconds still expected: nothing on a holiday; approved time off taken off."""
        if not self.working or self.holiday is not None:
            return 0
        away = sum(mark.seconds for mark in self.time_off if mark.status == "APPROVED")
        return max(0, self.base_capacity - away)

    @property
    def away(self) -> bool:
        """Whether nobody should be asked to track: a holiday, a non-working day or a day
        wholly taken off (approved)."""
        return self.capacity == 0


def default_plan(
    days: Iterable[date],
    *,
    working_days: frozenset[int] = DEFAULT_WORKING_DAYS,
    capacity: int = DEFAULT_CAPACITY,
) -> dict[date, DayPlan]:
    """Plans for ``days`` from a working-week pattern alone (no holidays, no time off)."""
    return {
        day: DayPlan(
            day=day,
            working=day.weekday() in working_days,
            base_capacity=capacity if day.weekday() in working_days else 0,
        )
        for day in days
    }
