"""Time-entry routes: timers, edits, lists, bulk operations.

Behaviour reproduced from FACTS §5 and live probes:

- ``POST`` without ``end`` starts a timer and stops the user's running one at the new start, so
  a user has at most one running entry per workspace.
- ``PUT /time-entries/{id}`` is a full replace: omitted ``projectId``, ``taskId``, ``tagIds``,
  ``description``, ``billable`` and ``customFields`` are cleared, and an omitted ``end`` leaves
  (or makes) the entry running.
- ``customFields`` is the write key; ``customFieldValues`` on write is silently dropped.
- Workspace "force" settings and required custom fields reject writes with 400/501.
- An unknown entry id is 400 ``Time entry doesn't belong to Workspace`` (code 501), as probed
  live, never 404; stopping with no running timer is the one 404 (code 404).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakeclockify.approvals import check_open
from tests.fakeclockify.entry_body import END_BEFORE_START, Write, check_required, read_write
from tests.fakeclockify.lookup import (
    find_entry,
    is_admin,
    not_in_workspace,
)
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import last_page_header, page_params, paged
from tests.fakeclockify.records import Entry, User, WorkspaceData
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_instant,
    body_str,
    route,
)
from tests.fakeclockify.views import entry_dto
from tests.fakeclockify.wire import parse_wall_clock

__all__: list[str] = []

WEEK = int(timedelta(days=7).total_seconds())


def access_denied() -> ApiError:
    """The answer when a member acts on someone else's time without admin rights."""
    return ApiError(403, "Access Denied", 501)


def _stop_other_timer(data: WorkspaceData, user_id: str, start: int, keep_id: str) -> None:
    """Keep one running entry per user: stop the running one at the new timer's start."""
    running = data.running_entry(user_id)
    if running is not None and running.id != keep_id:
        data.change_entry(running, end=max(start, running.start))


def _path_user(req: Request) -> User:
    """The ``{userId}`` of the path, if the caller may act for them."""
    data = req.ws
    user_id = req.params["userId"]
    if user_id not in data.workspace.members or user_id not in req.state.users:
        raise not_in_workspace("User")
    if user_id != req.user.id and not is_admin(data, req.user.id):
        raise access_denied()
    return req.state.users[user_id]


def _check_entry_access(req: Request, entry: Entry) -> None:
    if entry.user_id != req.user.id and not is_admin(req.ws, req.user.id):
        raise access_denied()


def _dto(req: Request, entry: Entry, *, hydrated: bool = False) -> dict[str, Any]:
    return entry_dto(req.ws, entry, hydrated=hydrated, user=req.state.users.get(entry.user_id))


def _create(req: Request, user: User) -> Reply:
    data = req.ws
    body = req.json_object()
    defaults = None
    from_entry = req.first("from-entry")
    if from_entry:
        defaults = find_entry(data, from_entry)
    write = read_write(req, body, verb="created", defaults=defaults, creating=True)
    entry = Entry(id=req.state.new_id(), workspace_id=data.id, user_id=user.id, **write.fields())
    check_open(data, user.id, entry.start)
    if entry.end is None:
        _stop_other_timer(data, user.id, entry.start, entry.id)
    data.add_entry(entry)
    req.state.touch()
    return Reply(201, _dto(req, entry))


@route("POST", "/v1/workspaces/{workspaceId}/time-entries")
def create_entry(req: Request) -> Reply:
    """Add an entry for the caller; without ``end`` this starts a timer."""
    return _create(req, req.user)


@route("POST", "/v1/workspaces/{workspaceId}/user/{userId}/time-entries")
def create_entry_for_user(req: Request) -> Reply:
    """Add an entry for a member (admins), optionally copying ``from-entry``."""
    return _create(req, _path_user(req))


@route("PATCH", "/v1/workspaces/{workspaceId}/user/{userId}/time-entries")
def stop_timer(req: Request) -> Reply:
    """Stop the member's running timer at ``end``; 404 (code 404) when none runs."""
    data = req.ws
    user = _path_user(req)
    body = req.json_object()
    end = body_instant(body, "end")
    if end is None:
        raise ApiError(400, "end: must not be null", 501)
    running = data.running_entry(user.id)
    if running is None:
        raise ApiError(
            404,
            f"Currently running time entry doesn't exist on workspace {data.id} "
            f"for user {user.id}.",
            404,
        )
    if end < running.start:
        raise ApiError(400, END_BEFORE_START, 501)
    check_open(data, user.id, running.start)
    current = Write(
        start=running.start,
        end=end,
        description=running.description,
        project_id=running.project_id,
        task_id=running.task_id,
        tag_ids=running.tag_ids,
        billable=running.billable,
        type=running.type,
        custom_values=running.custom_values,
    )
    check_required(data, current, "updated")
    data.change_entry(running, end=end)
    req.state.touch()
    return Reply(200, _dto(req, running))


def _in_progress_value(req: Request) -> bool:
    raw = req.first("in-progress")
    return raw is not None and raw.strip().lower() == "true"


def _wall_clock(req: Request, name: str, zone: ZoneInfo) -> int | None:
    raw = req.first(name)
    if raw is None or raw == "":
        return None
    try:
        return parse_wall_clock(raw, zone)
    except ValueError:
        raise ApiError(
            400,
            f"Method parameter '{name}': Failed to convert value of type 'java.lang.String' "
            f"to required type 'java.time.Instant'; Text '{raw}' could not be parsed",
            3000,
        ) from None


@route("GET", "/v1/workspaces/{workspaceId}/user/{userId}/time-entries")
def list_user_entries(req: Request) -> Reply:
    """A member's entries, newest start first, filtered and paged.

    ``start``/``end`` are read as wall-clock time in the caller's profile zone (FACTS §4) and
    bound the entry's start: ``start <= timeInterval.start <= end``.
    """
    data = req.ws
    user = _path_user(req)
    zone = ZoneInfo(req.user.time_zone)
    low = _wall_clock(req, "start", zone)
    high = _wall_clock(req, "end", zone)
    week_before = _wall_clock(req, "get-week-before", zone)
    tests = _entry_tests(req, week_before)
    hydrated = bool(req.boolean("hydrated", False))
    in_progress = _in_progress_value(req)
    page, size = page_params(req)
    if week_before is not None:
        low = week_before - WEEK if low is None else max(low, week_before - WEEK)
        high = week_before if high is None else min(high, week_before)

    def keep(entry: Entry) -> bool:
        return all(test(entry) for test in tests)

    if in_progress:
        running = data.running_entry(user.id)
        candidates = [running] if running is not None else []
        matching = [
            e
            for e in candidates
            if keep(e) and (low is None or e.start >= low) and (high is None or e.start <= high)
        ]
        reply = paged(matching, page, size)
        reply.body = [_dto(req, e, hydrated=hydrated) for e in reply.body]
        return reply
    items, last = data.page_user_entries(
        user.id, low=low, high=high, keep=keep if tests else None, page=page, size=size
    )
    return Reply(200, [_dto(req, e, hydrated=hydrated) for e in items], last_page_header(last))


def _entry_tests(req: Request, week_before: int | None) -> list[Callable[[Entry], bool]]:
    """One test per filter the query asks for; an entry is listed when it passes them all.

    ``get-week-before`` lists only entries with a project or task (the "recent" picks).
    """
    tests: list[Callable[[Entry], bool]] = []
    if description := (req.first("description") or "").lower():
        tests.append(lambda e: description in e.description.lower())
    if project_id := req.first("project"):
        tests.append(lambda e: e.project_id == project_id)
    if task_id := req.first("task"):
        tests.append(lambda e: e.task_id == task_id)
    if tag_ids := set(req.many("tags")):
        tests.append(lambda e: not tag_ids.isdisjoint(e.tag_ids or []))
    if req.boolean("project-required", False):
        tests.append(lambda e: bool(e.project_id))
    if req.boolean("task-required", False):
        tests.append(lambda e: bool(e.task_id))
    if week_before is not None:
        tests.append(lambda e: bool(e.project_id or e.task_id))
    return tests


@route("GET", "/v1/workspaces/{workspaceId}/time-entries/status/in-progress")
def list_in_progress(req: Request) -> Reply:
    """Every running entry in the workspace; ``page-size`` defaults to 10 here."""
    page, size = page_params(req, default_size=10)
    if size > 1000:
        raise ApiError(400, "Page size can't be greater than 1000.", 501)
    reply = paged(req.ws.running_entries(), page, size)
    reply.body = [_dto(req, e) for e in reply.body]
    return reply


@route("GET", "/v1/workspaces/{workspaceId}/time-entries/{id}")
def get_entry(req: Request) -> Reply:
    """One entry (with rates); ``hydrated=true`` adds project, task, tags and user."""
    entry = find_entry(req.ws, req.params["id"])
    _check_entry_access(req, entry)
    return Reply(200, _dto(req, entry, hydrated=bool(req.boolean("hydrated", False))))


@route("PUT", "/v1/workspaces/{workspaceId}/time-entries/{id}")
def replace_entry(req: Request) -> Reply:
    """Full replace of an entry; omitted fields are cleared, omitted ``end`` means running."""
    data = req.ws
    entry = find_entry(data, req.params["id"])
    _check_entry_access(req, entry)
    body = req.json_object()
    write = read_write(req, body, verb="updated")
    check_open(data, entry.user_id, entry.start, write.start)
    if write.end is None:
        _stop_other_timer(data, entry.user_id, write.start, entry.id)
    data.change_entry(entry, **write.fields())
    req.state.touch()
    return Reply(200, _dto(req, entry))


@route("DELETE", "/v1/workspaces/{workspaceId}/time-entries/{id}")
def delete_entry(req: Request) -> Reply:
    """Delete an entry: 204 with no body."""
    data = req.ws
    entry = find_entry(data, req.params["id"])
    _check_entry_access(req, entry)
    check_open(data, entry.user_id, entry.start)
    data.remove_entry(entry)
    req.state.touch()
    return Reply(204)


@route("PUT", "/v1/workspaces/{workspaceId}/user/{userId}/time-entries")
def bulk_edit(req: Request) -> Reply:
    """Edit many of a member's entries at once; all are validated before any is changed.

    Each item replaces its entry like ``PUT /time-entries/{id}``, except that an omitted
    ``start`` or ``end`` keeps the entry's current value.
    """
    data = req.ws
    user = _path_user(req)
    body = req.json()
    if not isinstance(body, list):
        raise ApiError(
            400,
            "JSON parse error: Cannot deserialize value of type "
            "`java.util.ArrayList<UpdateTimeEntryBulkRequest>` from Object value",
            3002,
        )
    plans: list[tuple[Entry, Write]] = []
    for item in body:
        if not isinstance(item, dict):
            raise ApiError(400, "JSON parse error: Cannot deserialize bulk item", 3002)
        entry_id = body_str(item, "id")
        if not entry_id:
            raise ApiError(400, "id: must not be blank", 501)
        entry = find_entry(data, entry_id)
        if entry.user_id != user.id:
            raise not_in_workspace("Time entry")
        write = read_write(
            req, item, verb="updated", start_default=entry.start, end_default=entry.end
        )
        check_open(data, entry.user_id, entry.start, write.start)
        plans.append((entry, write))
    for entry, write in plans:
        if write.end is None:
            _stop_other_timer(data, entry.user_id, write.start, entry.id)
        data.change_entry(entry, **write.fields())
    if plans:
        req.state.touch()
    hydrated = bool(req.boolean("hydrated", False))
    return Reply(200, [_dto(req, entry, hydrated=hydrated) for entry, _write in plans])


@route("DELETE", "/v1/workspaces/{workspaceId}/user/{userId}/time-entries")
def bulk_delete(req: Request) -> Reply:
    """Delete a member's entries by ``time-entry-ids``; 200 with the deleted entries.

    Ids that are unknown or belong to someone else are skipped; the answer lists only what
    was deleted.
    """
    data = req.ws
    user = _path_user(req)
    ids = req.many("time-entry-ids")
    if not ids:
        raise ApiError(
            400,
            "Required request parameter 'time-entry-ids' for method parameter type List "
            "is not present",
            3000,
        )
    for entry_id in ids:
        found = data.entries.get(entry_id)
        if found is not None and found.user_id == user.id:
            check_open(data, user.id, found.start)
    deleted = []
    for entry_id in dict.fromkeys(ids):
        entry = data.entries.get(entry_id)
        if entry is None or entry.user_id != user.id:
            continue
        deleted.append(_dto(req, entry))
        data.remove_entry(entry)
    if deleted:
        req.state.touch()
    return Reply(200, deleted)


@route("POST", "/v1/workspaces/{workspaceId}/user/{userId}/time-entries/{id}/duplicate")
def duplicate_entry(req: Request) -> Reply:
    """Copy an entry (201); a running entry's copy ends now, so one timer runs at most."""
    data = req.ws
    user = _path_user(req)
    source = find_entry(data, req.params["id"])
    if source.user_id != user.id:
        raise not_in_workspace("Time entry")
    end = source.end if source.end is not None else max(source.start, req.state.now())
    copy = Entry(
        id=req.state.new_id(),
        workspace_id=data.id,
        user_id=user.id,
        start=source.start,
        end=end,
        description=source.description,
        project_id=source.project_id,
        task_id=source.task_id,
        tag_ids=None if source.tag_ids is None else list(source.tag_ids),
        billable=source.billable,
        type=source.type,
        custom_values=dict(source.custom_values),
    )
    check_open(data, user.id, copy.start)
    data.add_entry(copy)
    req.state.touch()
    return Reply(201, _dto(req, copy))
