"""Scheduling as Clockify sends and takes it: assignments and capacity totals (FACTS
"Scheduling / assignments", §4).

Read tolerantly like every response: the list (``AssignmentHydratedDtoV1``) names the person,
project, client and task but says nothing of ``published``; a write's answer
(``AssignmentDtoV1``) says ``published`` and the series but no names. A period is two instants
whose UTC calendar days are the assignment's days. ``capacityPerDay`` is seconds (25200 for
7 h); ``hoursPerDay`` and ``totalHours`` are hours. ``workingDays`` is read as a list of day
names, whatever shape it comes in.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from tracker.api.models.base import Instant, RequestModel, WireId, WireModel

__all__ = [
    "Assignment",
    "AssignmentCreate",
    "AssignmentPeriod",
    "AssignmentUpdate",
    "CopyAssignment",
    "DayHours",
    "ExcludeDay",
    "ProjectDay",
    "ProjectTotals",
    "ProjectTotalsFilter",
    "PublishAssignments",
    "Recurring",
    "RecurringWrite",
    "UserTotals",
    "UserTotalsFilter",
    "UsersFilter",
]


def _none_to_empty(value: Any) -> Any:
    return {} if value is None else value


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


def _none_to_zero(value: Any) -> Any:
    return 0.0 if value is None else value


def _day_names(value: Any) -> Any:
    """``workingDays`` as a list: the spec types it as one string; its example is a list,
    sometimes written as the JSON text of one."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                return []
        else:
            return [part.strip() for part in text.split(",") if part.strip()]
    if not isinstance(value, list):
        return []
    return [str(v).upper() for v in value if isinstance(v, str)]


Hours = Annotated[float, BeforeValidator(_none_to_zero)]
"""Hours (or seconds, for capacity) Clockify may send as ``null``."""


class AssignmentPeriod(WireModel):
    """The assignment's days as two instants (their UTC calendar days)."""

    start: Instant | None = None
    end: Instant | None = None


class Recurring(WireModel):
    """A series an assignment belongs to (``RecurringAssignmentDtoV1``)."""

    series_id: str | None = None
    repeat: bool | None = None
    weeks: int | None = None
    frequency: str | None = None


class ExcludeDay(WireModel):
    """A day of the assignment that counts no hours, and why (``WEEKEND``, ``HOLIDAY``,
    ``TIME_OFF``)."""

    date: Instant | None = None
    type: str | None = None


class Assignment(WireModel):
    """An assignment, from the list (with names) or from a change's answer (with
    ``published`` and the series)."""

    id: WireId
    user_id: str = ""
    user_name: str | None = None
    project_id: str = ""
    project_name: str | None = None
    project_color: str | None = None
    client_name: str | None = None
    task_id: str | None = None
    task_name: str | None = None
    hours_per_day: Hours = 0.0
    billable: bool | None = None
    note: str | None = None
    start_time: str | None = None
    include_non_working_days: bool | None = None
    published: bool | None = None
    """``None`` from the list, which does not say."""
    period: Annotated[AssignmentPeriod, BeforeValidator(_none_to_empty)] = Field(
        default_factory=AssignmentPeriod
    )
    recurring: Recurring | None = None
    exclude_days: Annotated[list[ExcludeDay], BeforeValidator(_none_to_list)] = Field(
        default_factory=list
    )

    @property
    def series_id(self) -> str | None:
        """The series' id when the assignment repeats."""
        if self.recurring is None or not self.recurring.series_id:
            return None
        return self.recurring.series_id


class DayHours(WireModel):
    """Hours booked on one day (``TotalsPerDayDto``)."""

    date: Instant | None = None
    total_hours: Hours = 0.0


class UserTotals(WireModel):
    """A person's booked hours per day and capacity (``SchedulingUsersTotalsDtoV1``)."""

    user_id: str = ""
    user_name: str | None = None
    user_status: str | None = None
    capacity_per_day: Hours = 0.0
    """Seconds of work a day (25200 for 7 h)."""
    working_days: Annotated[list[str], BeforeValidator(_day_names)] = Field(default_factory=list)
    total_hours_per_day: Annotated[list[DayHours], BeforeValidator(_none_to_list)] = Field(
        default_factory=list
    )


class ProjectDay(WireModel):
    """Whether a project has work booked on a day (``AssignmentPerDayDto``)."""

    date: Instant | None = None
    has_assignment: bool | None = None


class ProjectTotals(WireModel):
    """A project's booked hours in a range (``SchedulingProjectsTotalsDtoV1``)."""

    project_id: str = ""
    project_name: str | None = None
    project_color: str | None = None
    client_name: str | None = None
    project_archived: bool | None = None
    total_hours: Hours = 0.0
    assignments: Annotated[list[ProjectDay], BeforeValidator(_none_to_list)] = Field(
        default_factory=list
    )


# --- what we send ----------------------------------------------------------------------------


class RecurringWrite(RequestModel):
    """``recurringAssignment`` of a create, and the body of ``PUT series/{id}``: repeat
    weekly for ``weeks`` weeks."""

    repeat: bool
    weeks: int | None = None


class AssignmentCreate(RequestModel):
    """Body of ``POST /scheduling/assignments/recurring``."""

    user_id: str
    project_id: str
    start: Instant
    end: Instant
    hours_per_day: float
    task_id: str | None = None
    billable: bool | None = None
    note: str | None = None
    start_time: str | None = None
    include_non_working_days: bool | None = None
    recurring_assignment: RecurringWrite | None = None


class AssignmentUpdate(RequestModel):
    """Body of ``PATCH /scheduling/assignments/recurring/{id}``; every field the list tells
    is sent, so a server that reads the ``PATCH`` as a replace keeps what was not meant to
    change (``includeNonWorkingDays``, which the list does not tell, is left out)."""

    start: Instant
    end: Instant
    hours_per_day: float
    billable: bool = False
    note: str = ""
    start_time: str | None = None
    task_id: str | None = None
    include_non_working_days: bool | None = None
    series_update_option: str = "THIS_ONE"


class CopyAssignment(RequestModel):
    """Body of ``POST /scheduling/assignments/{id}/copy``."""

    user_id: str
    series_update_option: str | None = None


class UsersFilter(RequestModel):
    """``userFilter``: these people (``CONTAINS``) or all but them."""

    ids: list[str]
    contains: str = "CONTAINS"


class PublishAssignments(RequestModel):
    """Body of ``PUT /scheduling/assignments/publish``."""

    start: Instant
    end: Instant
    notify_users: bool = False
    user_filter: UsersFilter | None = None
    view_type: str | None = None


class UserTotalsFilter(RequestModel):
    """Body of ``POST /scheduling/assignments/user-filter/totals``, paged in the body."""

    start: Instant
    end: Instant
    page: int = 1
    page_size: int = 50
    search: str | None = None
    status_filter: str | None = None
    user_filter: UsersFilter | None = None


class ProjectTotalsFilter(RequestModel):
    """Body of ``POST /scheduling/assignments/projects/totals``, paged in the body."""

    start: Instant
    end: Instant
    page: int = 1
    page_size: int = 50
    search: str | None = None
    status_filter: str | None = None
