"""Reports as the Reports host sends and takes them (FACTS §4, §6 "Reports", §8).

The Reports host differs from the main host: ids are ``_id`` (totals carry ``_id: ""``),
durations are whole seconds, money is in cents, timestamps carry the report zone's offset, and
the range is sent as wall-clock date-times read in the body's ``timeZone``. A report asks for
whole days here (``first_day`` to ``last_day``), which is what people ask for and what lets a
long range be cut into the Free plan's 31-day pieces without gaps or overlaps.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import AliasChoices, Field, model_validator

from tracker.api.models.base import NullableList, RequestModel, WireModel

__all__ = [
    "AttendanceLine",
    "DailyTotal",
    "DetailedEntry",
    "DetailedPage",
    "EntityFilter",
    "ReportAmount",
    "ReportFilter",
    "ReportGroup",
    "ReportInterval",
    "ReportTag",
    "ReportTotals",
    "SharedReport",
    "SharedReportCreate",
    "SharedReportList",
    "SharedReportSummary",
    "SharedReportUpdate",
    "SummaryReport",
    "WeeklyReport",
    "day_range",
]

Contains = Literal["CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY"]
ExportType = Literal["CSV", "XLSX", "PDF"]
SharedType = Literal["SUMMARY", "DETAILED", "WEEKLY", "ATTENDANCE"]


def day_range(first_day: date, last_day: date) -> tuple[str, str]:
    """``dateRangeStart`` and ``dateRangeEnd`` covering whole days, as wall-clock times."""
    if last_day < first_day:
        raise ValueError("a report cannot end before it starts")
    return f"{first_day.isoformat()}T00:00:00.000", f"{last_day.isoformat()}T23:59:59.999"


# --- what we send ------------------------------------------------------------------------


class EntityFilter(RequestModel):
    """``{ids, contains, status}``: which users, projects, clients, tasks or tags.

    An empty string among ``ids`` means "without" (no project, no task, no tag).
    """

    ids: list[str] = Field(default_factory=list)
    contains: Contains = "CONTAINS"
    status: Literal["ACTIVE", "ARCHIVED", "ALL"] | None = None


class ReportFilter(RequestModel):
    """The filters every report shares; the report kind adds its own part.

    ``first_day``/``last_day`` are whole days in ``time_zone`` (an IANA name; Clockify falls
    back to the profile's zone without one, FACTS §4).
    """

    first_day: date = Field(exclude=True)
    last_day: date = Field(exclude=True)
    time_zone: str | None = None
    users: EntityFilter | None = None
    projects: EntityFilter | None = None
    clients: EntityFilter | None = None
    tasks: EntityFilter | None = None
    tags: EntityFilter | None = None
    billable: bool | None = None
    description: str | None = None
    without_description: bool | None = None
    amount_shown: Literal["EARNED", "COST", "PROFIT", "HIDE_AMOUNT"] | None = None
    sort_order: Literal["ASCENDING", "DESCENDING"] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ReportFilter:
        if self.last_day < self.first_day:
            raise ValueError("a report cannot end before it starts")
        return self

    @property
    def days(self) -> int:
        """How many days the report covers."""
        return (self.last_day - self.first_day).days + 1

    def pieces(self, max_days: int) -> list[ReportFilter]:
        """The same filter over consecutive ranges of at most ``max_days`` days each."""
        found = []
        start = self.first_day
        while start <= self.last_day:
            end = min(self.last_day, start + timedelta(days=max_days - 1))
            found.append(self.model_copy(update={"first_day": start, "last_day": end}))
            start = end + timedelta(days=1)
        return found

    def body(self) -> dict[str, Any]:
        """The JSON body with the range in Clockify's wall-clock format."""
        start, end = day_range(self.first_day, self.last_day)
        return {"dateRangeStart": start, "dateRangeEnd": end, **super().body()}


class SharedReportCreate(RequestModel):
    """``POST /shared-reports``: a name, a type and the report body it renders."""

    name: str
    type: SharedType
    filter: dict[str, Any]
    is_public: bool = False
    fixed_date: bool = False
    visible_to_users: list[str] = Field(default_factory=list)
    visible_to_user_groups: list[str] = Field(default_factory=list)


class SharedReportUpdate(RequestModel):
    """``PUT /shared-reports/{id}``: the name is required; the rest is kept when left out."""

    name: str
    is_public: bool | None = None
    fixed_date: bool | None = None
    visible_to_users: list[str] | None = None
    visible_to_user_groups: list[str] | None = None


# --- what we read ------------------------------------------------------------------------


class ReportAmount(WireModel):
    """One kind of money over a report, in cents."""

    type: str | None = None
    value: int = 0


class ReportTotals(WireModel):
    """A report's totals: seconds, entries and cents (``_id`` is ``""``)."""

    total_time: int = 0
    total_billable_time: int = 0
    entries_count: int = 0
    total_amount: int = 0
    amounts: list[ReportAmount] = Field(default_factory=list)


class DailyTotal(WireModel):
    """One day of a weekly report."""

    date: str
    duration: int = 0
    amount: int = 0


class ReportGroup(WireModel):
    """A group of a summary or weekly report, with the next level in ``children``."""

    id: str = Field(default="", validation_alias=AliasChoices("_id", "id"))
    name: str = ""
    duration: int = 0
    amount: int = 0
    client_name: str | None = None
    children: list[ReportGroup] = Field(default_factory=list)
    days: list[DailyTotal] = Field(default_factory=list)


def _totals(value: Any) -> Any:
    """Clockify sends ``totals: [null]`` for an empty report; read it as no totals."""
    if isinstance(value, list):
        return [item for item in value if item is not None]
    return value


class _WithTotals(WireModel):
    totals: list[ReportTotals] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _clean(cls, data: Any) -> Any:
        if isinstance(data, dict) and "totals" in data:
            data = {**data, "totals": _totals(data["totals"]) or []}
        return data

    @property
    def total(self) -> ReportTotals:
        """The report's totals (all zero when the server sent none)."""
        return self.totals[0] if self.totals else ReportTotals()


class SummaryReport(_WithTotals):
    """``POST /reports/summary``."""

    group_one: list[ReportGroup] = Field(default_factory=list)


class WeeklyReport(_WithTotals):
    """``POST /reports/weekly``."""

    group_one: list[ReportGroup] = Field(default_factory=list)
    totals_by_day: list[DailyTotal] = Field(default_factory=list)


class ReportTag(WireModel):
    """A tag named on a report line."""

    id: str = Field(default="", validation_alias=AliasChoices("_id", "id"))
    name: str = ""


class ReportInterval(WireModel):
    """When a report line ran: offset timestamps and whole seconds."""

    start: datetime
    end: datetime | None = None
    duration: int = 0


class DetailedEntry(WireModel):
    """One line of a detailed report."""

    id: str = Field(validation_alias=AliasChoices("_id", "id"))
    description: str = ""
    user_id: str = ""
    user_name: str | None = None
    billable: bool = False
    project_id: str | None = None
    project_name: str | None = None
    client_id: str | None = None
    client_name: str | None = None
    task_id: str | None = None
    task_name: str | None = None
    tag_ids: NullableList = Field(default_factory=list)
    tags: list[ReportTag] = Field(default_factory=list)
    time_interval: ReportInterval
    rate: int = 0
    amount: int = 0


class DetailedPage(_WithTotals):
    """One page of a detailed report; the list key comes as ``timeEntries`` or
    ``timeentries`` (FACTS §6)."""

    time_entries: list[Any] = Field(
        default_factory=list, validation_alias=AliasChoices("timeEntries", "timeentries")
    )


class AttendanceLine(WireModel):
    """One person's day in an attendance report (seconds)."""

    user_id: str = ""
    user_name: str | None = None
    date: str = ""
    start_time: str | None = None
    end_time: str | None = None
    total_duration: int = 0
    break_time: int = Field(default=0, validation_alias=AliasChoices("break", "breakTime"))
    capacity: int = 0
    overtime: int = 0
    time_off: int = 0
    has_running_entry: bool = False


class SharedReport(WireModel):
    """A shared report as created or changed (``SharedReportV1``)."""

    id: str
    name: str = ""
    type: str | None = None
    is_public: bool = False
    fixed_date: bool = False
    user_id: str | None = None
    filter: dict[str, Any] = Field(default_factory=dict)
    visible_to_users: NullableList = Field(default_factory=list)


class SharedReportSummary(WireModel):
    """A shared report as listed (``SharedReportDtoV1``)."""

    id: str
    name: str = ""
    type: str | None = None
    is_public: bool = False
    link: str | None = None
    report_author: str | None = None


class SharedReportList(WireModel):
    """``GET /shared-reports``: an envelope ``{reports, count}`` (FACTS §2)."""

    reports: list[Any] = Field(default_factory=list)
    count: int | None = None
