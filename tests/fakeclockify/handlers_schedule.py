"""Routes for Scheduling: assignments (list, create one or a weekly series, change or delete
this one / this and following / all, change a series' length, copy to another person,
publish) and the capacity and project totals.

Rules (FACTS "Scheduling / assignments", §2, §4, and the spec's descriptions): Scheduling is a
paid feature (``SCHEDULING``, Pro and up: 403 on a plan without it). The owner and admins
schedule anyone; a manager schedules the people they manage and anyone on the projects they
manage; a regular member may only read, and sees only their own published assignments (other
people's totals are 403 for them). ``start`` and ``end`` are required on every read (Spring's
400 when missing). Lists are bare arrays paged with ``page``/``page-size`` and ``Last-Page``;
the totals posted with a body page in it (``page``, ``pageSize`` ≤ 200). Records and shapes
are in :mod:`tests.fakeclockify.schedule`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.fakeclockify.access import ADMIN, MEMBER, OWNER, require_feature, role_of
from tests.fakeclockify.groups import managed_users
from tests.fakeclockify.lookup import find_project, find_task, not_in_workspace
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import last_page_header, page_params, paged
from tests.fakeclockify.records import WorkspaceData
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_instant,
    body_int,
    body_object,
    body_str,
    body_str_list,
    route,
)
from tests.fakeclockify.schedule import (
    SCHEDULING,
    Assignment,
    ScheduleBook,
    assignment_dto,
    day_instant,
    hours_on,
    hydrated_dto,
    may_schedule,
    schedule_book,
    sees,
    user_totals_dto,
    utc_day,
)

__all__: list[str] = []

_BASE = "/v1/workspaces/{workspaceId}/scheduling/assignments"
MAX_PAGE_SIZE = 200
"""The documented largest ``pageSize`` of the totals bodies (FACTS §2)."""
MAX_DAYS = 366
"""The longest range a read or an assignment may cover (the server's own limit; Clockify's
views span weeks to a year)."""
MAX_WEEKS = 99
"""The longest series (the spec's ``occurrences`` maximum)."""
_SERIES_OPTIONS = ("THIS_ONE", "THIS_AND_FOLLOWING", "ALL")
_STATUS = ("PUBLISHED", "UNPUBLISHED", "ALL")


def _denied() -> ApiError:
    return ApiError(403, "Access Denied", 501)


def _open(req: Request) -> tuple[WorkspaceData, ScheduleBook]:
    require_feature(req.ws, SCHEDULING)
    return req.ws, schedule_book(req.ws)


def _required_query(req: Request, name: str) -> int:
    raw = req.first(name)
    if raw is None:
        raise ApiError(
            400,
            f"Required request parameter '{name}' for method parameter type String is not present",
            3000,
        )
    value = req.instant(name)
    if value is None:
        raise ApiError(400, f"Field '{name}' must not be empty", 501)
    return value


def _range(first: date, last: date) -> tuple[date, date]:
    if last < first:
        raise ApiError(400, "End date must not be before start date", 501)
    if (last - first).days + 1 > MAX_DAYS:
        raise ApiError(400, f"The period can't be longer than {MAX_DAYS} days", 501)
    return first, last


def _query_range(req: Request) -> tuple[date, date]:
    return _range(utc_day(_required_query(req, "start")), utc_day(_required_query(req, "end")))


def _body_range(body: dict[str, Any]) -> tuple[date, date]:
    start, end = body_instant(body, "start"), body_instant(body, "end")
    if start is None:
        raise ApiError(400, "Field 'start' must not be null", 501)
    if end is None:
        raise ApiError(400, "Field 'end' must not be null", 501)
    return _range(utc_day(start), utc_day(end))


def _one_of(value: str | None, allowed: tuple[str, ...], name: str, default: str) -> str:
    if value is None or value == "":
        return default
    if value not in allowed:
        raise ApiError(
            400,
            f"JSON parse error: Cannot deserialize value of type `{name}` from String "
            f'"{value}": not one of the values accepted for Enum class: [{", ".join(allowed)}]',
            3002,
        )
    return value


def _body_page(body: dict[str, Any]) -> tuple[int, int]:
    page = body_int(body, "page") or 1
    size = body_int(body, "pageSize") or 50
    if size < 1 or size > MAX_PAGE_SIZE:
        raise ApiError(400, f"Page size must be between 1 and {MAX_PAGE_SIZE}.", 501)
    return max(page, 1), size


def _overlaps(item: Assignment, first: date, last: date) -> bool:
    return item.first <= last and item.last >= first


def _status_matches(item: Assignment, status: str) -> bool:
    return status == "ALL" or item.published == (status == "PUBLISHED")


def _find(req: Request, books: ScheduleBook) -> Assignment:
    item = books.assignments.get(req.params["assignmentId"])
    if item is None or not sees(req.ws, req.user.id, item):
        raise not_in_workspace("Assignment")
    if not may_schedule(req.ws, req.user.id, item.user_id, item.project_id):
        raise _denied()
    return item


def _dtos(req: Request, items: list[Assignment]) -> list[dict[str, Any]]:
    return [assignment_dto(req.ws, req.state.users, a) for a in items]


# --- reads ---------------------------------------------------------------------------------------


@route("GET", _BASE + "/all")
def list_assignments(req: Request) -> Reply:
    """Every assignment the caller sees that overlaps ``start``..``end``, filtered by
    ``name`` (a part of the project's, task's or person's name), sorted and paged."""
    data, books = _open(req)
    first, last = _query_range(req)
    page, size = page_params(req)
    wanted = (req.first("name") or "").casefold()
    users = req.state.users
    found = []
    for item in books.assignments.values():
        if not _overlaps(item, first, last) or not sees(data, req.user.id, item):
            continue
        shown = hydrated_dto(data, users, item)
        names = (shown["projectName"], shown.get("taskName", ""), shown["userName"])
        if wanted and not any(wanted in n.casefold() for n in names):
            continue
        found.append(shown)
    column = (req.first("sort-column") or "ID").upper()
    keys = {
        "PROJECT": lambda s: (s["projectName"].casefold(), s["period"]["start"], s["id"]),
        "USER": lambda s: (s["userName"].casefold(), s["period"]["start"], s["id"]),
        "ID": lambda s: s["id"],
    }
    found.sort(key=keys.get(column, keys["ID"]))
    if (req.first("sort-order") or "ASCENDING").upper() == "DESCENDING":
        found.reverse()
    return paged(found, page, size)


def _visible_people(data: WorkspaceData, caller: str) -> list[str]:
    """Whose totals the caller may read: everyone for owners and admins, a manager's people
    and themself, a member themself."""
    everyone = [u for u, m in data.workspace.members.items() if m.status == "ACTIVE"]
    role = role_of(data, caller)
    if role in (OWNER, ADMIN):
        return everyone
    allowed = {caller}
    if role != MEMBER:
        allowed.update(managed_users(data, caller))
    return [u for u in everyone if u in allowed]


def _user_totals(
    req: Request, user_id: str, first: date, last: date, status: str
) -> dict[str, Any]:
    data, books = req.ws, schedule_book(req.ws)
    items = [
        a
        for a in books.assignments.values()
        if a.user_id == user_id
        and _overlaps(a, first, last)
        and _status_matches(a, status)
        and sees(data, req.user.id, a)
    ]
    return user_totals_dto(data, req.state.users, user_id, items, first=first, last=last)


@route("GET", _BASE + "/users/{userId}/totals")
def user_totals(req: Request) -> Reply:
    """One person's booked hours per day and capacity (``page``/``page-size`` accepted and
    unused: the answer is one object)."""
    data, _books = _open(req)
    first, last = _query_range(req)
    page_params(req)
    user_id = req.params["userId"]
    if user_id not in data.workspace.members:
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    if user_id not in _visible_people(data, req.user.id):
        raise _denied()
    return Reply(200, _user_totals(req, user_id, first, last, "ALL"))


@route("POST", _BASE + "/user-filter/totals")
def users_totals(req: Request) -> Reply:
    """Everyone's (whom the caller may see) booked hours per day and capacity, filtered by
    ``search`` (name or email), ``userFilter.ids`` and ``statusFilter``; paged in the body."""
    data, _books = _open(req)
    body = req.json_object()
    first, last = _body_range(body)
    page, size = _body_page(body)
    status = _one_of(body_str(body, "statusFilter"), _STATUS, "StatusFilter", "ALL")
    search = (body_str(body, "search") or "").casefold()
    chosen = body_object(body, "userFilter")
    ids = set(body_str_list(chosen, "ids") or []) if chosen else set()
    contains = (body_str(chosen, "contains") or "CONTAINS") if chosen else "CONTAINS"
    users = req.state.users
    people = []
    for user_id in _visible_people(data, req.user.id):
        user = users[user_id]
        if search and not any(search in (t or "").casefold() for t in (user.name, user.email)):
            continue
        if ids and ((user_id in ids) != (contains != "DOES_NOT_CONTAIN")):
            continue
        people.append(user_id)
    people.sort(key=lambda u: ((users[u].name or users[u].email).casefold(), u))
    start = (page - 1) * size
    chunk = people[start : start + size]
    return Reply(
        200,
        [_user_totals(req, u, first, last, status) for u in chunk],
        last_page_header(start + size >= len(people)),
    )


def _project_totals(
    req: Request, project_id: str, items: list[Assignment], first: date, last: date
) -> dict[str, Any]:
    data, users = req.ws, req.state.users
    project = find_project(data, project_id)
    client = data.clients.get(project.client_id) if project.client_id else None
    booked: dict[date, float] = {}
    for item in items:
        for day, hours in hours_on(data, users, item, first, last).items():
            booked[day] = booked.get(day, 0.0) + hours
    days = []
    day = first
    while day <= last:
        days.append({"date": day_instant(day), "hasAssignment": booked.get(day, 0.0) > 0})
        day += timedelta(days=1)
    total = sum(booked.values())
    return {
        "assignments": days,
        "clientName": client.name if client else "",
        "milestones": [],
        "projectArchived": project.archived,
        "projectBillable": project.billable,
        "projectColor": project.color,
        "projectId": project.id,
        "projectName": project.name,
        "totalHours": int(total) if float(total).is_integer() else round(total, 4),
        "workspaceId": data.id,
    }


def _visible_in(req: Request, first: date, last: date, status: str) -> list[Assignment]:
    data, books = req.ws, schedule_book(req.ws)
    return [
        a
        for a in books.assignments.values()
        if _overlaps(a, first, last) and _status_matches(a, status) and sees(data, req.user.id, a)
    ]


@route("POST", _BASE + "/projects/totals")
def projects_totals(req: Request) -> Reply:
    """The hours booked per project (that has assignments the caller sees in the range),
    filtered by ``search`` (project or client name) and ``statusFilter``; paged in the body."""
    data, _books = _open(req)
    body = req.json_object()
    first, last = _body_range(body)
    page, size = _body_page(body)
    status = _one_of(body_str(body, "statusFilter"), _STATUS, "StatusFilter", "ALL")
    search = (body_str(body, "search") or "").casefold()
    by_project: dict[str, list[Assignment]] = {}
    for item in _visible_in(req, first, last, status):
        by_project.setdefault(item.project_id, []).append(item)
    shown = [
        _project_totals(req, p, items, first, last)
        for p, items in by_project.items()
        if p in data.projects
    ]
    if search:
        shown = [
            s
            for s in shown
            if search in s["projectName"].casefold() or search in s["clientName"].casefold()
        ]
    shown.sort(key=lambda s: (s["projectName"].casefold(), s["projectId"]))
    start = (page - 1) * size
    return Reply(200, shown[start : start + size], last_page_header(start + size >= len(shown)))


@route("GET", _BASE + "/projects/totals/{projectId}")
def project_totals(req: Request) -> Reply:
    """One project's booked hours in the range (zero when nothing is booked)."""
    data, _books = _open(req)
    first, last = _query_range(req)
    project_id = req.params["projectId"]
    find_project(data, project_id)
    items = [a for a in _visible_in(req, first, last, "ALL") if a.project_id == project_id]
    return Reply(200, _project_totals(req, project_id, items, first, last))


# --- changes -------------------------------------------------------------------------------------


def _hours(body: dict[str, Any], default: float | None) -> float:
    value = body.get("hoursPerDay")
    if value is None:
        if default is None:
            raise ApiError(400, "Field 'hoursPerDay' must not be null", 501)
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ApiError(400, "JSON parse error: Cannot deserialize value of type `double`", 3002)
    if not 0 < value <= 24:
        raise ApiError(400, "Hours per day must be more than 0 and at most 24", 501)
    return float(value)


def _note(body: dict[str, Any], default: str) -> str:
    note = body_str(body, "note")
    if note is None:
        return default
    if len(note) > 100:
        raise ApiError(400, "Note can't be longer than 100 characters", 501)
    return note


def _start_time(body: dict[str, Any], default: str) -> str:
    value = body_str(body, "startTime")
    if value is None:
        return default
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ApiError(400, "Start time must be in hh:mm:ss format", 501)
    hours, minutes = int(parts[0]), int(parts[1])
    if hours > 23 or minutes > 59:
        raise ApiError(400, "Start time must be in hh:mm:ss format", 501)
    return value if len(parts) == 3 else value + ":00"


def _check_people(req: Request, user_id: str, project_id: str, task_id: str | None) -> None:
    data = req.ws
    if user_id not in data.workspace.members:
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    project = find_project(data, project_id)
    if project.archived:
        raise ApiError(400, "Project is archived", 501)
    if task_id:
        find_task(data, project, task_id)
    if not may_schedule(data, req.user.id, user_id, project_id):
        raise _denied()


def _weeks(body: dict[str, Any]) -> int:
    """How many weeks ``recurringAssignment`` asks for (0: not recurring)."""
    recurring = body_object(body, "recurringAssignment")
    if recurring is None or not body_bool(recurring, "repeat"):
        return 0
    weeks = body_int(recurring, "weeks") or body_int(recurring, "occurrences")
    if weeks is None or not 1 <= weeks <= MAX_WEEKS:
        raise ApiError(400, f"Weeks must be between 1 and {MAX_WEEKS}", 501)
    return weeks


def _series_copies(req: Request, model: Assignment, weeks: int, start_week: int) -> None:
    """Add weeks ``start_week``..``weeks - 1`` of ``model``'s series."""
    books = schedule_book(req.ws)
    for week in range(start_week, weeks):
        shift = timedelta(days=7 * week)
        copy = Assignment(
            id=req.state.new_id(),
            user_id=model.user_id,
            project_id=model.project_id,
            first=model.first + shift,
            last=model.last + shift,
            hours_per_day=model.hours_per_day,
            task_id=model.task_id,
            billable=model.billable,
            note=model.note,
            start_time=model.start_time,
            include_non_working_days=model.include_non_working_days,
            series_id=model.series_id,
            weeks=weeks,
        )
        books.assignments[copy.id] = copy


@route("POST", _BASE + "/recurring")
def create_assignment(req: Request) -> Reply:
    """Create an assignment, or a weekly series of ``weeks`` (one per week); answers them all."""
    _data, books = _open(req)
    body = req.json_object()
    user_id = body_str(body, "userId") or ""
    project_id = body_str(body, "projectId") or ""
    if not user_id:
        raise ApiError(400, "Field 'userId' must not be blank", 501)
    if not project_id:
        raise ApiError(400, "Field 'projectId' must not be blank", 501)
    first, last = _body_range(body)
    task_id = body_str(body, "taskId") or None
    _check_people(req, user_id, project_id, task_id)
    weeks = _weeks(body)
    if weeks and (last - first).days >= 7:
        raise ApiError(400, "A recurring assignment can't be longer than a week", 501)
    item = Assignment(
        id=req.state.new_id(),
        user_id=user_id,
        project_id=project_id,
        first=first,
        last=last,
        hours_per_day=_hours(body, None),
        task_id=task_id,
        billable=bool(body_bool(body, "billable")),
        note=_note(body, ""),
        start_time=_start_time(body, "09:00:00"),
        include_non_working_days=bool(body_bool(body, "includeNonWorkingDays")),
        series_id=req.state.new_id() if weeks else None,
        weeks=weeks,
    )
    books.assignments[item.id] = item
    if weeks:
        _series_copies(req, item, weeks, 1)
    req.state.touch()
    made = books.series(item.series_id) if weeks else [item]
    return Reply(201, _dtos(req, made))


def _series_option(req: Request, body: dict[str, Any] | None) -> str:
    raw = req.first("seriesUpdateOption")
    if raw is None and body is not None:
        raw = body_str(body, "seriesUpdateOption")
    return _one_of(raw, _SERIES_OPTIONS, "SeriesUpdateOption", "THIS_ONE")


def _affected(books: ScheduleBook, item: Assignment, option: str) -> list[Assignment]:
    """The assignments a series option reaches from ``item``."""
    series = books.series(item.series_id)
    if not series or option == "THIS_ONE":
        return [item]
    if option == "ALL":
        return series
    return [a for a in series if a.first >= item.first]


@route("PATCH", _BASE + "/recurring/{assignmentId}")
def update_assignment(req: Request) -> Reply:
    """Change an assignment, or this and the following ones, or all of its series: the new
    period moves each by the same days; fields left out stay. A change makes it a draft
    again (published once more with ``PUT /publish``)."""
    _data, books = _open(req)
    item = _find(req, books)
    body = req.json_object()
    first, last = _body_range(body)
    option = _series_option(req, body)
    task_id = body_str(body, "taskId")
    if task_id:
        find_task(req.ws, find_project(req.ws, item.project_id), task_id)
    hours = _hours(body, item.hours_per_day)
    note = _note(body, item.note)
    start_time = _start_time(body, item.start_time)
    billable = body_bool(body, "billable")
    include = body_bool(body, "includeNonWorkingDays")
    if item.series_id and (last - first).days >= 7:
        raise ApiError(400, "A recurring assignment can't be longer than a week", 501)
    move = first - item.first
    length = last - first
    changed = _affected(books, item, option)
    for one in changed:
        one.first = one.first + move
        one.last = one.first + length
        one.hours_per_day = hours
        one.note = note
        one.start_time = start_time
        if task_id is not None:
            one.task_id = task_id or None
        if billable is not None:
            one.billable = billable
        if include is not None:
            one.include_non_working_days = include
        one.published = False
    req.state.touch()
    return Reply(200, _dtos(req, sorted(changed, key=lambda a: (a.first, a.id))))


@route("DELETE", _BASE + "/recurring/{assignmentId}")
def delete_assignment(req: Request) -> Reply:
    """Delete an assignment, or this and the following ones, or its whole series; answers
    what was deleted."""
    _data, books = _open(req)
    item = _find(req, books)
    option = _series_option(req, None)
    gone = _affected(books, item, option)
    answer = _dtos(req, gone)
    for one in gone:
        del books.assignments[one.id]
    req.state.touch()
    return Reply(200, answer)


@route("PUT", _BASE + "/series/{assignmentId}")
def change_series(req: Request) -> Reply:
    """Change how many weeks a series runs, counted from its first week (``repeat`` false
    keeps only this assignment, out of any series); answers the series as it now is."""
    _data, books = _open(req)
    item = _find(req, books)
    body = req.json_object()
    repeat = body_bool(body, "repeat")
    if not repeat:
        for other in books.series(item.series_id):
            if other.id != item.id:
                del books.assignments[other.id]
        item.series_id, item.weeks = None, 0
        req.state.touch()
        return Reply(200, _dtos(req, [item]))
    weeks = _weeks({"recurringAssignment": body})
    if (item.last - item.first).days >= 7:
        raise ApiError(400, "A recurring assignment can't be longer than a week", 501)
    if item.series_id is None:
        item.series_id = req.state.new_id()
        series = [item]
    else:
        series = books.series(item.series_id)
    head = series[0]
    for number, one in enumerate(series):
        if number >= weeks:
            del books.assignments[one.id]
        else:
            one.weeks = weeks
    head.weeks = weeks
    _series_copies(req, head, weeks, len(series))
    req.state.touch()
    return Reply(200, _dtos(req, books.series(head.series_id)))


@route("POST", _BASE + "/{assignmentId}/copy")
def copy_assignment(req: Request) -> Reply:
    """Copy an assignment (or this and following, or its series) to ``userId``, on the same
    days, as drafts; answers the copies."""
    _data, books = _open(req)
    item = _find(req, books)
    body = req.json_object()
    user_id = body_str(body, "userId") or ""
    if not user_id:
        raise ApiError(400, "Field 'userId' must not be blank", 501)
    option = _one_of(
        body_str(body, "seriesUpdateOption"), _SERIES_OPTIONS, "SeriesUpdateOption", "THIS_ONE"
    )
    _check_people(req, user_id, item.project_id, item.task_id)
    sources = _affected(books, item, option)
    series_id = req.state.new_id() if len(sources) > 1 else None
    made = []
    for source in sources:
        copy = Assignment(
            id=req.state.new_id(),
            user_id=user_id,
            project_id=source.project_id,
            first=source.first,
            last=source.last,
            hours_per_day=source.hours_per_day,
            task_id=source.task_id,
            billable=source.billable,
            note=source.note,
            start_time=source.start_time,
            include_non_working_days=source.include_non_working_days,
            series_id=series_id,
            weeks=len(sources) if series_id else 0,
        )
        books.assignments[copy.id] = copy
        made.append(copy)
    req.state.touch()
    return Reply(200, _dtos(req, made))


@route("PUT", _BASE + "/publish")
def publish(req: Request) -> Reply:
    """Publish the drafts in ``start``..``end`` that the caller may change (only the people
    in ``userFilter.ids`` when given); no body in the answer."""
    data, books = _open(req)
    if role_of(data, req.user.id) in (None, MEMBER):
        raise _denied()
    body = req.json_object()
    first, last = _body_range(body)
    _one_of(body_str(body, "viewType"), ("PROJECTS", "TEAM", "ALL"), "ViewType", "ALL")
    chosen = body_object(body, "userFilter")
    ids = set(body_str_list(chosen, "ids") or []) if chosen else set()
    for item in books.assignments.values():
        if not _overlaps(item, first, last) or item.published:
            continue
        if ids and item.user_id not in ids:
            continue
        if may_schedule(data, req.user.id, item.user_id, item.project_id):
            item.published = True
    req.state.touch()
    return Reply(200)
