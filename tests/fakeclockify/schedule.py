"""Scheduled assignments kept by the test server, who sees them, and the shapes it sends.

Each workspace has one :class:`ScheduleBook` (found with :func:`schedule_book`), kept beside
its :class:`~tests.fakeclockify.records.WorkspaceData` like the time-off book. How Clockify's
Scheduling counts (the spec's ``AssignmentDtoV1``, ``SchedulingUsersTotalsDtoV1`` and
``SchedulingProjectsTotalsDtoV1`` descriptions):

- An assignment books a person on a project (a task optional) for ``hoursPerDay`` on every day
  of its period, a range of whole calendar days. Days the person does not work (their member
  profile's ``workingDays``), their holidays and their approved time off are its
  ``excludeDays`` (``WEEKEND``, ``HOLIDAY``, ``TIME_OFF``) and count no hours, unless
  ``includeNonWorkingDays``.
- A recurring assignment (``recurringAssignment{repeat, weeks}``) is a series: one assignment
  per week, the same weekdays each week, sharing a ``seriesId``.
- An assignment is a draft until published (``published``); a regular member sees only their
  own published assignments (publishing is what shows the schedule to the people in it, and
  ``PUT /publish`` can notify them). A person's capacity per day is their member profile's
  ``workCapacity``, in seconds (FACTS §4: ``capacityPerDay`` 25200 for 7 h).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.fakeclockify.access import MANAGER, MEMBER, role_of
from tests.fakeclockify.groups import managed_users
from tests.fakeclockify.records import User, WorkspaceData
from tests.fakeclockify.state import State
from tests.fakeclockify.timeoff import WEEKDAYS, book, capacity_seconds, epoch_day
from tests.fakeclockify.wire import format_instant

__all__ = [
    "SCHEDULING",
    "Assignment",
    "ScheduleBook",
    "assignment_dto",
    "day_instant",
    "excluded_days",
    "hours_on",
    "hydrated_dto",
    "may_schedule",
    "schedule_book",
    "seed_schedule",
    "sees",
    "user_totals_dto",
    "utc_day",
]

SCHEDULING = "SCHEDULING"
"""The spec's ``Feature`` for Scheduling (Pro and up)."""


@dataclass(slots=True)
class Assignment:
    """One scheduled assignment over the whole days ``first`` to ``last``."""

    id: str
    user_id: str
    project_id: str
    first: date
    last: date
    hours_per_day: float
    task_id: str | None = None
    billable: bool = False
    note: str = ""
    start_time: str = "09:00:00"
    include_non_working_days: bool = False
    published: bool = False
    series_id: str | None = None
    weeks: int = 0
    """The series' length in weeks (0 when it is not recurring)."""


@dataclass
class ScheduleBook:
    """A workspace's assignments."""

    assignments: dict[str, Assignment]

    def series(self, series_id: str | None) -> list[Assignment]:
        """The assignments of a series, earliest first."""
        if series_id is None:
            return []
        found = [a for a in self.assignments.values() if a.series_id == series_id]
        return sorted(found, key=lambda a: (a.first, a.id))


_BOOKS: weakref.WeakKeyDictionary[WorkspaceData, ScheduleBook] = weakref.WeakKeyDictionary()


def schedule_book(data: WorkspaceData) -> ScheduleBook:
    """The workspace's schedule (empty at first)."""
    found = _BOOKS.get(data)
    if found is None:
        found = _BOOKS[data] = ScheduleBook({})
    return found


def day_instant(day: date) -> str:
    """A calendar day as the main host writes a date-time (``2026-05-18T00:00:00Z``)."""
    return format_instant(int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()))


def _day_end(day: date) -> str:
    moment = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)
    return format_instant(int(moment.timestamp()))


def _approved_time_off(data: WorkspaceData, users: dict[str, User], user_id: str) -> set[date]:
    days: set[date] = set()
    zone = users[user_id].time_zone if user_id in users else "UTC"
    for request in book(data).requests.values():
        if request.user_id != user_id or request.status != "APPROVED":
            continue
        day, last = epoch_day(request.start, zone), epoch_day(request.end, zone)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def excluded_days(
    data: WorkspaceData, users: dict[str, User], item: Assignment
) -> list[tuple[date, str]]:
    """The days of the assignment that count no hours, with why (``SchedulingExcludeDay``)."""
    if item.include_non_working_days:
        return []
    member = data.workspace.members.get(item.user_id)
    working = set(member.working_days) if member else set(WEEKDAYS[:5])
    holidays = book(data).holiday_days(item.user_id, item.first, item.last)
    away = _approved_time_off(data, users, item.user_id)
    found: list[tuple[date, str]] = []
    day = item.first
    while day <= item.last:
        if WEEKDAYS[day.weekday()] not in working:
            found.append((day, "WEEKEND"))
        elif day in holidays:
            found.append((day, "HOLIDAY"))
        elif day in away:
            found.append((day, "TIME_OFF"))
        day += timedelta(days=1)
    return found


def hours_on(
    data: WorkspaceData, users: dict[str, User], item: Assignment, first: date, last: date
) -> dict[date, float]:
    """The hours the assignment books on each of its days between ``first`` and ``last``."""
    skipped = {day for day, _why in excluded_days(data, users, item)}
    hours: dict[date, float] = {}
    day = max(first, item.first)
    while day <= min(last, item.last):
        if day not in skipped:
            hours[day] = item.hours_per_day
        day += timedelta(days=1)
    return hours


def _recurring(item: Assignment) -> dict[str, Any]:
    if item.series_id is None:
        return {"repeat": False, "weeks": 0, "frequency": "NONE"}
    return {
        "repeat": True,
        "weeks": item.weeks,
        "seriesId": item.series_id,
        "frequency": "WEEKLY",
        "interval": 1,
        "occurrences": item.weeks,
    }


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 4)


def assignment_dto(data: WorkspaceData, users: dict[str, User], item: Assignment) -> dict[str, Any]:
    """``AssignmentDtoV1`` (what creating, changing, copying and deleting answer)."""
    body: dict[str, Any] = {
        "billable": item.billable,
        "excludeDays": [
            {"date": day_instant(day), "type": why} for day, why in excluded_days(data, users, item)
        ],
        "hoursPerDay": _number(item.hours_per_day),
        "id": item.id,
        "includeNonWorkingDays": item.include_non_working_days,
        "note": item.note,
        "period": {"start": day_instant(item.first), "end": _day_end(item.last)},
        "projectId": item.project_id,
        "published": item.published,
        "recurring": _recurring(item),
        "startTime": item.start_time,
        "userId": item.user_id,
        "workspaceId": data.id,
    }
    if item.task_id:
        body["taskId"] = item.task_id
    return body


def hydrated_dto(data: WorkspaceData, users: dict[str, User], item: Assignment) -> dict[str, Any]:
    """``AssignmentHydratedDtoV1`` (the list): names of the person, project, client, task.

    The spec's hydrated shape has no ``published`` field; the list is read with the totals'
    ``statusFilter`` for that.
    """
    project = data.projects.get(item.project_id)
    client = data.clients.get(project.client_id) if project and project.client_id else None
    task = data.tasks.get(item.task_id or "")
    user = users.get(item.user_id)
    body: dict[str, Any] = {
        "billable": item.billable,
        "clientId": client.id if client else "",
        "clientName": client.name if client else "",
        "hoursPerDay": _number(item.hours_per_day),
        "id": item.id,
        "note": item.note,
        "period": {"start": day_instant(item.first), "end": _day_end(item.last)},
        "projectArchived": bool(project and project.archived),
        "projectBillable": bool(project and project.billable),
        "projectColor": project.color if project else "#000000",
        "projectId": item.project_id,
        "projectName": project.name if project else "",
        "startTime": item.start_time,
        "userId": item.user_id,
        "userName": (user.name or user.email) if user else "",
        "workspaceId": data.id,
    }
    if task is not None:
        body["taskId"] = task.id
        body["taskName"] = task.name
    return body


def user_totals_dto(
    data: WorkspaceData,
    users: dict[str, User],
    user_id: str,
    items: list[Assignment],
    *,
    first: date,
    last: date,
) -> dict[str, Any]:
    """``SchedulingUsersTotalsDtoV1``: the person's booked hours on every day of the range,
    their capacity per day in seconds and their working days.

    ``workingDays`` is sent as a list of day names: the spec types it as one day but its
    example is the list (``["MONDAY","TUESDAY",...]``), as the member profile sends it.
    """
    per_day: dict[date, float] = {}
    for item in items:
        for day, hours in hours_on(data, users, item, first, last).items():
            per_day[day] = per_day.get(day, 0.0) + hours
    member = data.workspace.members[user_id]
    user = users[user_id]
    days = []
    day = first
    while day <= last:
        days.append({"date": day_instant(day), "totalHours": _number(per_day.get(day, 0.0))})
        day += timedelta(days=1)
    return {
        "capacityPerDay": capacity_seconds(member.work_capacity),
        "totalHoursPerDay": days,
        "userId": user_id,
        "userImage": user.profile_picture,
        "userName": user.name or user.email,
        "userStatus": member.status,
        "workingDays": [d for d in WEEKDAYS if d in member.working_days],
        "workspaceId": data.id,
    }


def may_schedule(data: WorkspaceData, caller: str, user_id: str, project_id: str) -> bool:
    """Who may create, change, copy, delete or publish an assignment: the owner and admins;
    a manager for the people they manage and on the projects they manage."""
    role = role_of(data, caller)
    if role in (None, MEMBER):
        return False
    if role != MANAGER:
        return True
    member = data.workspace.members[caller]
    return user_id in managed_users(data, caller) or project_id in member.manages_projects


def sees(data: WorkspaceData, caller: str, item: Assignment) -> bool:
    """Whether the caller sees the assignment: whoever may change it, and the person it
    books once it is published."""
    if may_schedule(data, caller, item.user_id, item.project_id):
        return True
    return item.user_id == caller and item.published


def utc_day(epoch: int) -> date:
    """The calendar day of a bound sent as ``yyyy-MM-ddThh:mm:ssZ``."""
    return datetime.fromtimestamp(epoch, UTC).date()


SEEDED = (("Chen Wei", "Website Redesign", 6.0, True), ("Sam Rivera", "Mobile App", 2.0, False))
"""The demo's schedule this week (Monday to Friday): Chen 6 h a day on "Website Redesign",
published; Sam 2 h a day on "Mobile App", a draft. Nobody else is scheduled."""


def seed_schedule(state: State, workspace_id: str) -> None:
    """Add the demo's assignments of this week (in the owner's zone) where the people and
    projects exist."""
    with state.lock:
        data = state.workspaces[workspace_id]
        people = {state.users[u].name: u for u in data.workspace.members}
        projects = {p.name: p.id for p in data.projects.values()}
        owner = state.users[data.workspace.owner_id]
        today = epoch_day(state.now(), owner.time_zone)
        monday = today - timedelta(days=today.weekday())
        books = schedule_book(data)
        for person, project, hours, published in SEEDED:
            if person not in people or project not in projects:
                continue
            item = Assignment(
                id=state.new_id(),
                user_id=people[person],
                project_id=projects[project],
                first=monday,
                last=monday + timedelta(days=4),
                hours_per_day=hours,
                published=published,
            )
            books.assignments[item.id] = item
        state.touch()
