"""Holidays as Clockify sends and takes them.

A holiday covers whole days (``datePeriod``: ``yyyy-MM-dd``), for everyone or for the people
and groups it names; ``occursAnnually`` repeats it on the same dates each year.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field

from tracker.api.models.base import NullableList, RequestModel, WireId, WireModel

__all__ = [
    "DatePeriod",
    "DatePeriodWrite",
    "Holiday",
    "HolidayWrite",
    "IdsWrite",
]


class DatePeriod(WireModel):
    """First and last day, both included."""

    start_date: date
    end_date: date


class Holiday(WireModel):
    """A holiday (``HolidayDtoV1``)."""

    id: WireId
    name: str = ""
    date_period: DatePeriod
    occurs_annually: bool = False
    everyone_including_new: bool = False
    user_ids: NullableList = Field(default_factory=list)
    user_group_ids: NullableList = Field(default_factory=list)

    def on(self, day: date) -> bool:
        """Whether ``day`` is in the holiday (every year on the same dates when annual)."""
        first, last = self.date_period.start_date, self.date_period.end_date
        if first <= day <= last:
            return True
        if not self.occurs_annually or day < first:
            return False
        try:
            shift = day.year - first.year
            first, last = (
                first.replace(year=first.year + shift),
                last.replace(year=last.year + shift),
            )
        except ValueError:  # 29 February in a common year
            return False
        return first <= day <= last

    def days(self, first: date, last: date) -> list[date]:
        """Its days between ``first`` and ``last``."""
        count = (last - first).days + 1
        return [d for d in (first + timedelta(days=n) for n in range(count)) if self.on(d)]


class DatePeriodWrite(RequestModel):
    """``datePeriod`` of a holiday we send."""

    start_date: str
    end_date: str


class IdsWrite(RequestModel):
    """A ``{ids}`` filter naming users or groups."""

    ids: list[str]
    contains: str = "CONTAINS"


class HolidayWrite(RequestModel):
    """Body of ``POST /holidays`` and ``PUT /holidays/{id}`` (a replace: send every field)."""

    name: str
    date_period: DatePeriodWrite
    occurs_annually: bool = False
    everyone_including_new: bool = True
    users: IdsWrite | None = None
    user_groups: IdsWrite | None = None
