"""Approval periods: the runs of days a person submits for approval, as Clockify cuts them.

A workspace approves time per week (from the person's week start), per half month (the 1st
to the 15th, the 16th to the month's end) or per month. Days are the owner's calendar days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["PERIOD_KINDS", "WEEKDAYS", "Period", "period_containing"]

PERIOD_KINDS = ("WEEKLY", "SEMI_MONTHLY", "MONTHLY")
"""Clockify's names of the workspace's approval period setting."""

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@dataclass(frozen=True, order=True)
class Period:
    """One approval period: its first and last day (both included) and its kind."""

    first: date
    last: date
    kind: str = "WEEKLY"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def previous(self, week_start: str = "MONDAY") -> Period:
        """The period just before this one."""
        return period_containing(self.first - timedelta(days=1), self.kind, week_start)

    def following(self, week_start: str = "MONDAY") -> Period:
        """The period just after this one."""
        return period_containing(self.last + timedelta(days=1), self.kind, week_start)

    def label(self) -> str:
        """For people and scripts alike: ``2026-11-23 to 2026-11-29``."""
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


def period_containing(day: date, kind: str, week_start: str = "MONDAY") -> Period:
    """The ``kind`` period (``WEEKLY``, ``SEMI_MONTHLY``, ``MONTHLY``) that holds ``day``;
    an unknown ``week_start`` counts weeks from Monday, an unknown kind is a week."""
    if kind == "MONTHLY":
        end = calendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=1), day.replace(day=end), kind)
    if kind == "SEMI_MONTHLY":
        if day.day <= 15:
            return Period(day.replace(day=1), day.replace(day=15), kind)
        end = calendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=16), day.replace(day=end), kind)
    start = WEEKDAYS.index(week_start) if week_start in WEEKDAYS else 0
    first = day - timedelta(days=(day.weekday() - start) % 7)
    return Period(first, first + timedelta(days=6), "WEEKLY")
