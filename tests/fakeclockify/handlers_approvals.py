"""Routes of timesheet approvals: list, submit (for oneself or another), resubmit, decide.

The rules (periods, states, who decides, the lock) are in :mod:`tests.fakeclockify.approvals`.
Shapes follow the spec: a list answers ``ApprovalDetailsDtoV1`` items (paged, ``Last-Page``),
a write answers ``ApprovalRequestDtoV1``. Wording of refusals is the server's own; statuses
and codes are Clockify's (FACTS §3: 400/501 for a business rule, 403 for a plan or a role).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakeclockify.access import require_feature
from tests.fakeclockify.approvals import (
    APPROVED,
    PENDING,
    PERIODS,
    REJECTED,
    STATES,
    WITHDRAWN_APPROVAL,
    WITHDRAWN_SUBMISSION,
    may_decide,
    midnight,
    period_bounds,
)
from tests.fakeclockify.handlers_entries import access_denied
from tests.fakeclockify.lookup import not_in_workspace
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import page_params, paged
from tests.fakeclockify.records import ApprovalRecord, User, WorkspaceData, approvals_of
from tests.fakeclockify.routing import Reply, Request, body_str, route
from tests.fakeclockify.wire import format_duration, format_instant

__all__: list[str] = []

_BASE = "/v1/workspaces/{workspaceId}/approval-requests"
_TYPES = ("TIMESHEET", "EXPENSE")
_LISTED = (PENDING, APPROVED, WITHDRAWN_APPROVAL)
"""The ``status`` filter's values (spec); without it, every state is listed."""


def _type(req: Request, raw: str, allowed: tuple[str, ...] = _TYPES) -> str:
    kind = raw.upper()
    if kind not in allowed:
        raise ApiError(
            400,
            f"Method parameter 'type': Failed to convert value of type 'java.lang.String' to "
            f"required type 'ApprovalRequestType'; No enum constant {raw}",
            3000,
        )
    if kind == "EXPENSE":
        require_feature(req.ws, "EXPENSES")
    return kind


def _zone(user: User) -> ZoneInfo:
    return ZoneInfo(user.time_zone)


def _dto(req: Request, record: ApprovalRecord) -> dict[str, Any]:
    """``ApprovalRequestDtoV1``."""
    users = req.state.users
    owner = users[record.owner_id]
    creator = users[record.creator_id]
    updater = users.get(record.updated_by)
    status: dict[str, Any] = {
        "state": record.state,
        "note": record.note,
        "updatedAt": format_instant(record.updated_at),
        "updatedBy": record.updated_by,
        "updatedByUserName": (updater.name or "") if updater else "",
    }
    return {
        "id": record.id,
        "workspaceId": record.workspace_id,
        "type": record.type,
        "dateRange": {
            "start": format_instant(record.start),
            "end": format_instant(record.end - 1),
        },
        "owner": {
            "userId": owner.id,
            "userName": owner.name or "",
            "timeZone": owner.time_zone,
            "startOfWeek": owner.week_start,
        },
        "creator": {
            "userId": creator.id,
            "userName": creator.name or "",
            "userEmail": creator.email,
        },
        "status": status,
    }


def _details(req: Request, record: ApprovalRecord) -> dict[str, Any]:
    """``ApprovalDetailsDtoV1``: the request and the time it covers (entries not listed)."""
    data = req.ws
    tracked = billable = 0
    for entry in data.iter_user_entries(record.owner_id):
        if entry.end is None or not record.start <= entry.start < record.end:
            continue
        tracked += entry.end - entry.start
        billable += (entry.end - entry.start) if entry.billable else 0
    return {
        "approvalRequest": _dto(req, record),
        "trackedTime": format_duration(tracked),
        "billableTime": format_duration(billable),
        "breakTime": "PT0S",
        "approvedTime": format_duration(tracked if record.state == APPROVED else 0),
        "pendingTime": format_duration(tracked if record.state == PENDING else 0),
        "billableAmount": 0.0,
        "costAmount": 0.0,
        "expenseTotal": 0.0,
        "entries": [],
        "expenses": [],
    }


def _visible(data: WorkspaceData, viewer: str, record: ApprovalRecord) -> bool:
    return record.owner_id == viewer or may_decide(data, viewer, record.owner_id)


@route("GET", _BASE)
def list_requests(req: Request) -> Reply:
    """The requests the caller may see (their own; managers also their people's, admins
    everyone's), filtered by ``status`` and ``types``, sorted, paged."""
    data = req.ws
    require_feature(data, "APPROVAL")
    status = req.first("status")
    if status is not None and status not in _LISTED:
        raise ApiError(
            400,
            "Method parameter 'status': Failed to convert value of type 'java.lang.String' "
            f"to required type 'ApprovalState'; No enum constant {status}",
            3000,
        )
    types = {_type(req, t, (*_TYPES, "TIMESHEET_AND_EXPENSE")) for t in req.many("types")}
    page, size = page_params(req)
    found = [
        r
        for r in approvals_of(data).records.values()
        if _visible(data, req.user.id, r)
        and (status is None or r.state == status)
        and (not types or r.type in types)
    ]
    column = (req.first("sort-column") or "START").upper()
    keys = {
        "ID": lambda r: r.id,
        "USER_ID": lambda r: (r.owner_id, r.start),
        "START": lambda r: (r.start, r.id),
        "UPDATED_AT": lambda r: (r.updated_at, r.id),
    }
    descending = (req.first("sort-order") or "ASCENDING").upper() == "DESCENDING"
    found.sort(key=keys.get(column, keys["START"]), reverse=descending)
    reply = paged(found, page, size)
    reply.body = [_details(req, r) for r in reply.body]
    return reply


def _owner(req: Request, user_id: str | None) -> User:
    """The person a submission is for: the caller, or someone the caller decides for."""
    data = req.ws
    if user_id is None:
        return req.user
    if user_id not in data.workspace.members or user_id not in req.state.users:
        raise not_in_workspace("User")
    if user_id != req.user.id and not may_decide(data, req.user.id, user_id):
        raise access_denied()
    return req.state.users[user_id]


def _period(req: Request, owner: User) -> tuple[str, int, int]:
    """The body's period and its bounds in the owner's zone. ``periodStart``'s date is read
    as the owner's wall-clock day, as the entry filters read dates (FACTS §4)."""
    data = req.ws
    body = req.json_object()
    raw = body_str(body, "periodStart")
    if not raw:
        raise ApiError(400, "periodStart: must not be blank", 501)
    try:
        first = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise ApiError(
            400, f'JSON parse error: Cannot deserialize value from String "{raw}"', 3002
        ) from None
    setting = approvals_of(data).period
    period = body_str(body, "period") or setting
    if period not in PERIODS:
        raise ApiError(
            400,
            f"JSON parse error: Cannot deserialize value of type `ApprovalPeriod` from String "
            f'"{period}"',
            3002,
        )
    if period != setting:
        raise ApiError(
            400, f"Period {period} doesn't match the workspace's approval period {setting}.", 501
        )
    bounds = period_bounds(period, first, owner.week_start)
    if bounds is None:
        raise ApiError(400, f"{first.isoformat()} doesn't start a {period} approval period.", 501)
    zone = _zone(owner)
    return period, midnight(bounds[0], zone), midnight(bounds[1], zone)


def _find(
    data: WorkspaceData, owner: User, kind: str, start: int, end: int
) -> ApprovalRecord | None:
    """The owner's request for exactly this period (a month and its first week start on
    the same day once the workspace changed its approval period)."""
    for record in approvals_of(data).records.values():
        if (record.owner_id, record.type, record.start, record.end) == (owner.id, kind, start, end):
            return record
    return None


def _set(req: Request, record: ApprovalRecord, state: str, note: str = "") -> None:
    record.state = state
    record.note = note
    record.updated_at = req.state.now()
    record.updated_by = req.user.id
    req.state.touch()


def _submit(req: Request, raw_type: str, user_id: str | None) -> Reply:
    data = req.ws
    require_feature(data, "APPROVAL")
    kind = _type(req, raw_type)
    owner = _owner(req, user_id)
    period, start, end = _period(req, owner)
    record = _find(data, owner, kind, start, end)
    if record is not None and record.state in (PENDING, APPROVED):
        raise ApiError(400, "Approval request for this period has already been submitted.", 501)
    if record is not None and record.state != WITHDRAWN_SUBMISSION:
        raise ApiError(400, "This period was rejected or withdrawn; resubmit it instead.", 501)
    if record is None:
        record = ApprovalRecord(
            id=req.state.new_id(),
            workspace_id=data.id,
            owner_id=owner.id,
            creator_id=req.user.id,
            start=start,
            end=end,
            period=period,
            type=kind,
        )
        approvals_of(data).records[record.id] = record
    record.creator_id = req.user.id
    _set(req, record, PENDING)
    return Reply(201, _dto(req, record))


def _resubmit(req: Request, user_id: str | None) -> Reply:
    data = req.ws
    require_feature(data, "APPROVAL")
    owner = _owner(req, user_id)
    kind = _type(req, body_str(req.json_object(), "type") or "TIMESHEET")
    _period_name, start, end = _period(req, owner)
    record = _find(data, owner, kind, start, end)
    if record is None:
        raise ApiError(400, "Approval request doesn't exist for this period.", 501)
    if record.state == APPROVED:
        raise ApiError(400, "Approval request for this period is already approved.", 501)
    if record.state != PENDING:
        _set(req, record, PENDING)
    return Reply(200, _dto(req, record))


# The literal resubmit paths first: ``{type}`` would match them too.
@route("POST", _BASE + "/resubmit-entries-for-approval")
def resubmit(req: Request) -> Reply:
    """Send a rejected or withdrawn period of the caller's again (or a pending one's new
    entries): 200 with the request, ``PENDING``."""
    return _resubmit(req, None)


@route("POST", _BASE + "/users/{userId}/resubmit-entries-for-approval")
def resubmit_for(req: Request) -> Reply:
    """The same for someone the caller decides for."""
    return _resubmit(req, req.params["userId"])


@route("POST", _BASE + "/users/{userId}/{type}")
def submit_for(req: Request) -> Reply:
    """Submit a period for someone the caller decides for (201)."""
    return _submit(req, req.params["type"], req.params["userId"])


@route("POST", _BASE + "/{type}")
def submit(req: Request) -> Reply:
    """Submit one of the caller's periods (201, ``PENDING``)."""
    return _submit(req, req.params["type"], None)


@route("PATCH", _BASE + "/{approvalRequestId}")
def decide(req: Request) -> Reply:
    """Change a request's state: approve or reject a pending one (approvers), withdraw a
    pending submission (its owner, or an approver), withdraw an approval (approvers)."""
    data = req.ws
    require_feature(data, "APPROVAL")
    record = approvals_of(data).records.get(req.params["approvalRequestId"])
    if record is None or not _visible(data, req.user.id, record):
        raise not_in_workspace("Approval request")
    body = req.json_object()
    state = body_str(body, "state")
    note = body_str(body, "note") or ""
    if not state:
        raise ApiError(400, "state: must not be null", 501)
    if state not in STATES:
        raise ApiError(
            400,
            f"JSON parse error: Cannot deserialize value of type `ApprovalState` from String "
            f'"{state}"',
            3002,
        )
    approver = may_decide(data, req.user.id, record.owner_id)
    allowed = {
        APPROVED: (PENDING,),
        REJECTED: (PENDING,),
        WITHDRAWN_APPROVAL: (APPROVED,),
        WITHDRAWN_SUBMISSION: (PENDING,),
    }.get(state, ())
    if record.state not in allowed:
        raise ApiError(400, f"Approval request can't go from {record.state} to {state}.", 501)
    own_withdrawal = state == WITHDRAWN_SUBMISSION and record.owner_id == req.user.id
    if not (approver or own_withdrawal):
        raise access_denied()
    _set(req, record, state, note)
    return Reply(200, _dto(req, record))
