"""Routes for time off: policies, requests (create, approve or reject, withdraw, list) and
balances, on the main host (FACTS line 24: the 2026 spec has no separate PTO host).

Rules (FACTS "Time off", §2, and the spec's descriptions): time off is a paid feature
(``TIME_OFF``: 403 on a plan without it); only the owner and admins manage policies and
balances; a request is approved or rejected by the owner, an admin, the manager of the
person's group or the policy's named approvers; a person withdraws their own request
(``DELETE``). The request list is a ``POST`` paged in its body (``page``, ``pageSize`` ≤ 200)
and answers ``{requests, count}``; balances answer ``{balances, count}`` paged in the query.
How a request counts is described in :mod:`tests.fakeclockify.timeoff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakeclockify.access import (
    TIME_OFF,
    is_admin_role,
    manages_person,
    may_approve_time_off,
    require_feature,
)
from tests.fakeclockify.lookup import not_in_workspace
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import last_page_header
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
from tests.fakeclockify.timeoff import (
    WEEKDAYS,
    Policy,
    TimeOffBook,
    TimeOffRequest,
    balance_dto,
    book,
    capacity_seconds,
    check_color,
    local_day_bounds,
    policy_dto,
    request_dto,
    request_full_dto,
)
from tests.fakeclockify.wire import parse_instant

__all__: list[str] = []

_BASE = "/v1/workspaces/{workspaceId}/time-off"
MAX_PAGE_SIZE = 200
"""The documented maximum of ``pageSize``/``page-size`` on time-off lists (FACTS §2)."""

_TIME_UNITS = ("DAYS", "HOURS")
_ICONS = (
    "UMBRELLA",
    "SNOWFLAKE",
    "FAMILY",
    "PLANE",
    "STETHOSCOPE",
    "HEALTH_METRICS",
    "CHILDCARE",
    "LUGGAGE",
    "MONETIZATION",
    "CALENDAR",
)
_HALVES = ("FIRST_HALF", "SECOND_HALF", "NOT_DEFINED")


def _access_denied() -> ApiError:
    return ApiError(403, "Access Denied", 501)


def _open(req: Request) -> tuple[WorkspaceData, TimeOffBook]:
    """The workspace and its book, once the plan allows time off."""
    require_feature(req.ws, TIME_OFF)
    return req.ws, book(req.ws)


def _admin(req: Request) -> None:
    if not is_admin_role(req.ws, req.user.id):
        raise _access_denied()


def _one_of(value: str | None, allowed: tuple[str, ...], name: str, default: str) -> str:
    if value is None:
        return default
    if value not in allowed:
        raise ApiError(
            400,
            f"JSON parse error: Cannot deserialize value of type `{name}` from String "
            f'"{value}": not one of the values accepted for Enum class: [{", ".join(allowed)}]',
            3002,
        )
    return value


def _query_page(req: Request) -> tuple[int, int]:
    page = req.integer("page", 1)
    size = req.integer("page-size", 50)
    if size < 1 or size > MAX_PAGE_SIZE:
        raise ApiError(400, f"Page size must be between 1 and {MAX_PAGE_SIZE}.", 501)
    if page > 1000:
        raise ApiError(400, "Page must be at most 1000.", 501)
    return max(page, 1), size


# --- policies ------------------------------------------------------------------------------------


def _find_policy(books: TimeOffBook, policy_id: str) -> Policy:
    policy = books.policies.get(policy_id)
    if policy is None:
        raise not_in_workspace("Policy")
    return policy


def _ids(body: dict[str, Any], name: str) -> list[str]:
    """The ``ids`` of a ``users``/``userGroups`` filter object."""
    found = body_object(body, name)
    if found is None:
        return []
    return body_str_list(found, "ids") or []


def _apply_policy(req: Request, policy: Policy, body: dict[str, Any], *, full: bool) -> None:
    """Fill a policy from a create (``full=False``: defaults for what is left out) or a
    replace (``full=True``: the spec's required fields must be there)."""
    books = book(req.ws)
    if full:
        for required in (
            "allowHalfDay",
            "allowNegativeBalance",
            "approve",
            "archived",
            "everyoneIncludingNew",
            "hasExpiration",
            "name",
        ):
            if body.get(required) is None:
                raise ApiError(400, f"Field '{required}' must not be null", 501)
    name = (body_str(body, "name") or "").strip()
    if len(name) < 2:
        raise ApiError(400, "Policy name must be at least 2 characters", 501)
    if len(name) > 100:
        raise ApiError(400, "Policy name can't be longer than 100 characters", 501)
    for other in books.policies.values():
        if other.id != policy.id and other.name.casefold() == name.casefold():
            raise ApiError(400, f"Policy with name '{name}' already exists", 501)
    approve = body_object(body, "approve")
    if approve is None:
        raise ApiError(400, "Field 'approve' must not be null", 501)
    policy.name = name
    policy.requires_approval = bool(body_bool(approve, "requiresApproval"))
    policy.team_managers = bool(body_bool(approve, "teamManagers"))
    policy.approver_ids = body_str_list(approve, "userIds") or []
    policy.time_unit = _one_of(
        body_str(body, "timeUnit"), _TIME_UNITS, "TimeUnit", policy.time_unit
    )
    policy.allow_half_day = bool(body_bool(body, "allowHalfDay"))
    policy.allow_negative_balance = bool(body_bool(body, "allowNegativeBalance"))
    policy.archived = bool(body_bool(body, "archived"))
    policy.has_expiration = bool(body_bool(body, "hasExpiration"))
    policy.everyone_including_new = bool(body_bool(body, "everyoneIncludingNew"))
    policy.user_ids = _ids(body, "users")
    policy.user_group_ids = _ids(body, "userGroups")
    policy.icon = _one_of(body_str(body, "icon"), _ICONS, "PolicyIcon", policy.icon)
    policy.color = check_color(body_str(body, "color")) or policy.color
    if policy.time_unit == "HOURS" and policy.allow_half_day:
        raise ApiError(400, "Half days are only allowed on policies counted in days", 501)


@route("GET", _BASE + "/policies")
def list_policies(req: Request) -> Reply:
    """Policies, filtered by ``name`` (contains) and ``status`` (all by default); paged."""
    data, books = _open(req)
    page, size = _query_page(req)
    name = (req.first("name") or "").casefold()
    status = _one_of(req.first("status"), ("ACTIVE", "ARCHIVED", "ALL"), "Status", "ALL")
    found = [
        p
        for p in books.policies.values()
        if name in p.name.casefold() and (status == "ALL" or p.archived == (status == "ARCHIVED"))
    ]
    found.sort(key=lambda p: (p.name.casefold(), p.id))
    if (req.first("sort-order") or "").upper() == "DESCENDING":
        found.reverse()
    start = (page - 1) * size
    chunk = found[start : start + size]
    return Reply(
        200, [policy_dto(data, p) for p in chunk], last_page_header(start + size >= len(found))
    )


@route("POST", _BASE + "/policies")
def create_policy(req: Request) -> Reply:
    """Create a policy (owner and admins; 201)."""
    data, books = _open(req)
    _admin(req)
    policy = Policy(id=req.state.new_id(), name="")
    _apply_policy(req, policy, req.json_object(), full=False)
    books.policies[policy.id] = policy
    req.state.touch()
    return Reply(201, policy_dto(data, policy))


@route("GET", _BASE + "/policies/{id}")
def get_policy(req: Request) -> Reply:
    """One policy."""
    data, books = _open(req)
    return Reply(200, policy_dto(data, _find_policy(books, req.params["id"])))


@route("PUT", _BASE + "/policies/{id}")
def update_policy(req: Request) -> Reply:
    """Replace a policy (owner and admins)."""
    data, books = _open(req)
    _admin(req)
    policy = _find_policy(books, req.params["id"])
    _apply_policy(req, policy, req.json_object(), full=True)
    req.state.touch()
    return Reply(200, policy_dto(data, policy))


@route("PATCH", _BASE + "/policies/{id}")
def change_policy_status(req: Request) -> Reply:
    """Archive or restore a policy (``{"status": "ARCHIVED" | "ACTIVE"}``)."""
    data, books = _open(req)
    _admin(req)
    policy = _find_policy(books, req.params["id"])
    body = req.json_object()
    status = body_str(body, "status")
    if status is None:
        raise ApiError(400, "Field 'status' must not be null", 501)
    status = _one_of(status, ("ACTIVE", "ARCHIVED", "ALL"), "Status", "ACTIVE")
    if status == "ALL":
        raise ApiError(400, "Status must be ACTIVE or ARCHIVED", 501)
    policy.archived = status == "ARCHIVED"
    req.state.touch()
    return Reply(200, policy_dto(data, policy))


@route("DELETE", _BASE + "/policies/{id}")
def delete_policy(req: Request) -> Reply:
    """Delete an archived policy with its requests and balances (400 while active)."""
    _data, books = _open(req)
    _admin(req)
    policy = _find_policy(books, req.params["id"])
    if not policy.archived:
        raise ApiError(400, "Only archived policies can be deleted", 501)
    del books.policies[policy.id]
    for key in [k for k in books.balances if k[0] == policy.id]:
        del books.balances[key]
    for request_id in [k for k, r in books.requests.items() if r.policy_id == policy.id]:
        del books.requests[request_id]
    req.state.touch()
    return Reply(200)


# --- requests ------------------------------------------------------------------------------------


def _day_or_instant(value: str | None, name: str) -> date | int:
    if value is None:
        raise ApiError(400, f"Field 'period.{name}' must not be null", 501)
    try:
        if len(value.strip()) == 10:
            return date.fromisoformat(value.strip())
        return parse_instant(value)
    except ValueError:
        raise ApiError(400, f"Invalid {name} date: {value}", 501) from None


def _working_days(req: Request, user_id: str, first: date, last: date) -> list[date]:
    data = req.ws
    member = data.workspace.members[user_id]
    weekdays = {WEEKDAYS.index(d) for d in member.working_days if d in WEEKDAYS}
    holidays = book(data).holiday_days(user_id, first, last)
    days: list[date] = []
    day = first
    while day <= last:
        if day.weekday() in weekdays and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _capacity_hours(req: Request, user_id: str) -> float:
    return capacity_seconds(req.ws.workspace.members[user_id].work_capacity) / 3600


@dataclass(frozen=True)
class _Asked:
    """What a request body asks for, read and costed."""

    start: int
    end: int
    half_day: bool
    half: str
    cost: float


def _costed_days(
    req: Request, policy: Policy, user_id: str, first: date, last: date, *, half_day: bool
) -> tuple[int, int, float]:
    if last < first:
        raise ApiError(400, "End date must be after start date", 501)
    start, end = local_day_bounds(req.state.users[user_id], first, last)
    days = _working_days(req, user_id, first, last)
    if half_day:
        if not policy.allow_half_day:
            raise ApiError(400, "Policy doesn't allow half day time off", 501)
        if first != last:
            raise ApiError(400, "A half day time off must be on one day", 501)
    cost = (0.5 if half_day else 1.0) * len(days)
    if policy.time_unit == "HOURS":
        cost *= _capacity_hours(req, user_id)
    return start, end, cost


def _costed_hours(req: Request, policy: Policy, user_id: str, first: int, last: int) -> float:
    if policy.time_unit != "HOURS":
        raise ApiError(400, "Start and end times are only allowed on hourly policies", 501)
    if last <= first:
        raise ApiError(400, "End must be after start", 501)
    zone = ZoneInfo(req.state.users[user_id].time_zone)
    day = datetime.fromtimestamp(first, zone).date()
    return (last - first) / 3600 if _working_days(req, user_id, day, day) else 0.0


def _asked(req: Request, policy: Policy, user_id: str, body: dict[str, Any]) -> _Asked:
    """The period a create asks for and what it costs (FACTS "Time off"; the module doc)."""
    when = body_object(body, "timeOffPeriod")
    if when is None:
        raise ApiError(400, "Field 'timeOffPeriod' must not be null", 501)
    period = body_object(when, "period")
    if period is None:
        raise ApiError(400, "Field 'timeOffPeriod.period' must not be null", 501)
    half_day = bool(body_bool(when, "isHalfDay"))
    half = _one_of(
        body_str(when, "halfDayPeriod") or body_str(when, "timeOffHalfDayPeriod"),
        _HALVES,
        "HalfDayPeriod",
        "NOT_DEFINED",
    )
    body_int(period, "days")
    first = _day_or_instant(body_str(period, "start"), "start")
    last = _day_or_instant(body_str(period, "end"), "end")
    if isinstance(first, date) and isinstance(last, date):
        start, end, cost = _costed_days(req, policy, user_id, first, last, half_day=half_day)
    elif isinstance(first, int) and isinstance(last, int):
        start, end = first, last
        cost = _costed_hours(req, policy, user_id, first, last)
    else:
        raise ApiError(400, "Start and end must both be dates or both be times", 501)
    if cost <= 0:
        raise ApiError(400, "Time off request must include at least one working day", 501)
    return _Asked(start, end, half_day, half if half_day else "NOT_DEFINED", cost)


def _check_room(books: TimeOffBook, policy: Policy, user_id: str, asked: _Asked) -> None:
    """Refuse a request over another one, or beyond the balance where it may not go
    negative (pending requests count as taken)."""
    for other in books.requests.values():
        if (
            other.user_id == user_id
            and other.status in ("PENDING", "APPROVED")
            # Half-open: hours that start as others end are back to back, not over them.
            and other.start < asked.end
            and asked.start < other.end
        ):
            raise ApiError(400, "Time off request overlaps with an existing request", 501)
    held = books.balances.get((policy.id, user_id))
    pending = sum(
        r.cost
        for r in books.requests.values()
        if r.user_id == user_id and r.policy_id == policy.id and r.status == "PENDING"
    )
    left = (held.balance if held else 0.0) - pending - asked.cost
    if not policy.allow_negative_balance and left < -1e-9:
        raise ApiError(400, "Not enough balance for this time off request", 501)


def _create(req: Request, policy: Policy, user_id: str, *, by_approver: bool) -> Reply:
    data = req.ws
    books = book(data)
    body = req.json_object()
    note = body_str(body, "note") or ""
    if len(note) > 3000:
        raise ApiError(400, "Note can't be longer than 3000 characters", 501)
    if policy.archived:
        raise ApiError(400, "Policy is archived", 501)
    if not books.covers(policy, user_id):
        raise ApiError(400, "User is not assigned to the policy", 501)
    asked = _asked(req, policy, user_id, body)
    _check_room(books, policy, user_id, asked)
    item = TimeOffRequest(
        id=req.state.new_id(),
        policy_id=policy.id,
        user_id=user_id,
        start=asked.start,
        end=asked.end,
        half_day=asked.half_day,
        half_day_period=asked.half,
        cost=asked.cost,
        note=note,
        created_at=req.state.now(),
    )
    if by_approver or not policy.requires_approval:
        item.status = "APPROVED"
        item.changed_at = item.created_at
        item.changed_by = req.user.id
        books.balance(req.state.new_id(), policy.id, user_id).used += asked.cost
    books.requests[item.id] = item
    req.state.touch()
    return Reply(200, request_full_dto(data, req.state.users, item))


@route("POST", _BASE + "/policies/{policyId}/requests")
def create_request(req: Request) -> Reply:
    """Ask for time off for oneself: pending until approved, unless the policy needs no
    approval."""
    _data, books = _open(req)
    policy = _find_policy(books, req.params["policyId"])
    return _create(req, policy, req.user.id, by_approver=False)


@route("POST", _BASE + "/policies/{policyId}/users/{userId}/requests")
def create_request_for(req: Request) -> Reply:
    """Add time off for someone (those who may approve theirs); approved at once."""
    data, books = _open(req)
    policy = _find_policy(books, req.params["policyId"])
    user_id = req.params["userId"]
    if user_id not in data.workspace.members:
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    if user_id != req.user.id and not may_approve_time_off(
        data, req.user.id, user_id, tuple(policy.approver_ids)
    ):
        raise _access_denied()
    approver = user_id != req.user.id or is_admin_role(data, req.user.id)
    return _create(req, policy, user_id, by_approver=approver)


def _find_request(req: Request) -> tuple[Policy, TimeOffRequest]:
    books = book(req.ws)
    policy = _find_policy(books, req.params["policyId"])
    item = books.requests.get(req.params["requestId"])
    if item is None or item.policy_id != policy.id:
        raise not_in_workspace("Time off request")
    return policy, item


@route("PATCH", _BASE + "/policies/{policyId}/requests/{requestId}")
def change_request_status(req: Request) -> Reply:
    """Approve or reject a pending request (with a note)."""
    data, books = _open(req)
    policy, item = _find_request(req)
    if not may_approve_time_off(data, req.user.id, item.user_id, tuple(policy.approver_ids)):
        raise _access_denied()
    body = req.json_object()
    status = body_str(body, "status")
    if status is None:
        raise ApiError(400, "Field 'status' must not be null", 501)
    status = _one_of(status, ("APPROVED", "REJECTED"), "TimeOffRequestStatusType", "APPROVED")
    if item.status != "PENDING":
        raise ApiError(400, f"Time off request is already {item.status.lower()}", 501)
    item.status = status
    item.status_note = body_str(body, "note") or ""
    item.changed_at = req.state.now()
    item.changed_by = req.user.id
    if status == "APPROVED":
        books.balance(req.state.new_id(), policy.id, item.user_id).used += item.cost
    req.state.touch()
    return Reply(200, request_dto(data, req.state.users, item))


@route("DELETE", _BASE + "/policies/{policyId}/requests/{requestId}")
def withdraw_request(req: Request) -> Reply:
    """Withdraw a request: its requester (or an admin); approved days go back to the
    balance."""
    data, books = _open(req)
    policy, item = _find_request(req)
    if item.user_id != req.user.id and not is_admin_role(data, req.user.id):
        raise _access_denied()
    if item.status == "APPROVED":
        books.balance(req.state.new_id(), policy.id, item.user_id).used -= item.cost
    del books.requests[item.id]
    req.state.touch()
    return Reply(200, request_dto(data, req.state.users, item))


def _visible_users(data: WorkspaceData, user_id: str) -> set[str] | None:
    """Whose requests the person may list (None: everyone's)."""
    if is_admin_role(data, user_id):
        return None
    return {user_id} | {u for u in data.workspace.members if manages_person(data, user_id, u)}


@route("POST", _BASE + "/requests")
def list_requests(req: Request) -> Reply:
    """Requests the person may see (all for admins, their people's for managers, their own
    for members), filtered by period overlap, statuses, users and groups; paged in the body."""
    data, books = _open(req)
    body = req.json_object() if req.body.strip() else {}
    page = body_int(body, "page") or 1
    size = body_int(body, "pageSize") or 50
    if size < 1 or size > MAX_PAGE_SIZE:
        raise ApiError(400, f"Page size must be between 1 and {MAX_PAGE_SIZE}.", 501)
    if page > 1000:
        raise ApiError(400, "Page must be at most 1000.", 501)
    start = body_instant(body, "start")
    end = body_instant(body, "end")
    statuses = set(body_str_list(body, "statuses") or [])
    for status in statuses:
        _one_of(status, ("PENDING", "APPROVED", "REJECTED", "ALL"), "StatusType", "ALL")
    users = set(body_str_list(body, "users") or [])
    for group_id in body_str_list(body, "userGroups") or []:
        group = books.groups.get(group_id)
        users |= set(group.user_ids if group else ())
    visible = _visible_users(data, req.user.id)
    found = [
        r
        for r in books.requests.values()
        if (visible is None or r.user_id in visible)
        and (not users or r.user_id in users)
        and (not statuses or "ALL" in statuses or r.status in statuses)
        and (start is None or end is None or (r.start <= end and start <= r.end))
    ]
    found.sort(key=lambda r: (-r.start, r.id))
    first = (max(page, 1) - 1) * size
    chunk = found[first : first + size]
    return Reply(
        200,
        {
            "count": len(found),
            "requests": [request_full_dto(data, req.state.users, r) for r in chunk],
        },
    )


# --- balances ------------------------------------------------------------------------------------

_BALANCE_SORT = {
    "USER": lambda b: (b["userName"].casefold(), b["policyName"].casefold()),
    "POLICY": lambda b: (b["policyName"].casefold(), b["userName"].casefold()),
    "USED": lambda b: b["used"],
    "BALANCE": lambda b: b["balance"],
    "TOTAL": lambda b: b["total"],
}


def _balances_reply(req: Request, rows: list[dict[str, Any]]) -> Reply:
    page, size = _query_page(req)
    column = (req.first("sort") or "POLICY").upper()
    rows.sort(key=_BALANCE_SORT.get(column, _BALANCE_SORT["POLICY"]))
    if (req.first("sort-order") or "").upper() == "DESCENDING":
        rows.reverse()
    start = (page - 1) * size
    return Reply(
        200,
        {"balances": rows[start : start + size], "count": len(rows)},
        last_page_header(start + size >= len(rows)),
    )


@route("GET", _BASE + "/balance/user/{userId}")
def user_balances(req: Request) -> Reply:
    """A person's balance on each active policy that covers them (themselves, their
    manager, admins)."""
    data, books = _open(req)
    user_id = req.params["userId"]
    if user_id not in data.workspace.members:
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    if user_id != req.user.id and not (
        is_admin_role(data, req.user.id) or manages_person(data, req.user.id, user_id)
    ):
        raise _access_denied()
    rows = [
        balance_dto(data, req.state.users, books.balance(req.state.new_id(), p.id, user_id))
        for p in books.policies.values()
        if books.covers(p, user_id) and not p.archived
    ]
    return _balances_reply(req, rows)


@route("GET", _BASE + "/balance/policy/{policyId}")
def policy_balances(req: Request) -> Reply:
    """Everyone's balance on a policy (admins; a manager sees their people's)."""
    data, books = _open(req)
    policy = _find_policy(books, req.params["policyId"])
    admin = is_admin_role(data, req.user.id)
    people = [
        u
        for u in data.workspace.members
        if books.covers(policy, u) and (admin or manages_person(data, req.user.id, u))
    ]
    if not admin and not people:
        raise _access_denied()
    rows = [
        balance_dto(data, req.state.users, books.balance(req.state.new_id(), policy.id, u))
        for u in people
    ]
    return _balances_reply(req, rows)


@route("PATCH", _BASE + "/balance/policy/{policyId}")
def update_balances(req: Request) -> Reply:
    """Add ``value`` (negative: take away) to the people's balance on a policy (admins;
    204)."""
    data, books = _open(req)
    _admin(req)
    policy = _find_policy(books, req.params["policyId"])
    body = req.json_object()
    user_ids = body_str_list(body, "userIds")
    value = body.get("value")
    if not user_ids:
        raise ApiError(400, "Field 'userIds' must not be empty", 501)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ApiError(400, "Field 'value' must be a number", 501)
    if not -10000 <= value <= 10000:
        raise ApiError(400, "Field 'value' must be between -10000 and 10000", 501)
    for user_id in user_ids:
        if user_id not in data.workspace.members:
            raise ApiError(400, "User doesn't belong to Workspace", 501)
    body_str(body, "note")
    for user_id in user_ids:
        books.balance(req.state.new_id(), policy.id, user_id).total += float(value)
    req.state.touch()
    return Reply(204)
