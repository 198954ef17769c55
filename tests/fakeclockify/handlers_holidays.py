"""Routes for holidays: list (all, or in a period), create, update and delete.

FACTS "Holidays" and §2: ``GET /holidays`` and ``GET /holidays/in-period`` ignore paging and
return the whole set; ``in-period`` needs all three of ``assigned-to``, ``start`` and ``end``
(a missing one is Spring's 400 for a missing parameter). A holiday is for everyone
(``everyoneIncludingNew``) or for the users and groups it names; ``occursAnnually`` repeats
it on the same dates every year. Holidays come with time off (``TIME_OFF``, a paid feature);
only the owner and admins change them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.fakeclockify.access import TIME_OFF, is_admin_role, require_feature
from tests.fakeclockify.lookup import not_in_workspace
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_object,
    body_str,
    body_str_list,
    route,
)
from tests.fakeclockify.timeoff import Holiday, book, check_color, holiday_dto, holiday_occurs

__all__: list[str] = []

_BASE = "/v1/workspaces/{workspaceId}/holidays"
_COLOR = "#8BC34A"


def _open(req: Request) -> None:
    require_feature(req.ws, TIME_OFF)


def _admin(req: Request) -> None:
    if not is_admin_role(req.ws, req.user.id):
        raise ApiError(403, "Access Denied", 501)


def _required(req: Request, name: str) -> str:
    value = req.first(name)
    if value is None:
        raise ApiError(
            400,
            f"Required request parameter '{name}' for method parameter type String is not present",
            3000,
        )
    return value


def _period(body: dict[str, Any]) -> tuple[date, date]:
    period = body_object(body, "datePeriod")
    if period is None:
        raise ApiError(400, "Field 'datePeriod' must not be null", 501)
    try:
        first = date.fromisoformat(body_str(period, "startDate") or "")
        last = date.fromisoformat(body_str(period, "endDate") or "")
    except ValueError:
        raise ApiError(400, "Dates must be in yyyy-MM-dd format", 501) from None
    if last < first:
        raise ApiError(400, "End date must not be before start date", 501)
    return first, last


def _ids(body: dict[str, Any], name: str) -> list[str]:
    found = body_object(body, name)
    return (body_str_list(found, "ids") or []) if found is not None else []


def _apply(req: Request, holiday: Holiday, body: dict[str, Any], *, replace: bool) -> None:
    name = (body_str(body, "name") or "").strip()
    if len(name) < (1 if replace else 2):
        raise ApiError(400, "Holiday name must be at least 2 characters", 501)
    if len(name) > 100:
        raise ApiError(400, "Holiday name can't be longer than 100 characters", 501)
    if replace and body.get("occursAnnually") is None:
        raise ApiError(400, "Field 'occursAnnually' must not be null", 501)
    holiday.name = name
    holiday.start, holiday.end = _period(body)
    holiday.occurs_annually = bool(body_bool(body, "occursAnnually"))
    holiday.everyone_including_new = bool(body_bool(body, "everyoneIncludingNew"))
    members = req.ws.workspace.members
    groups = book(req.ws).groups
    holiday.user_ids = _ids(body, "users")
    holiday.user_group_ids = _ids(body, "userGroups")
    if any(u not in members for u in holiday.user_ids):
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    if any(g not in groups for g in holiday.user_group_ids):
        raise ApiError(400, "User group doesn't belong to Workspace", 501)
    holiday.color = check_color(body_str(body, "color")) or holiday.color


def _listed(req: Request, assigned_to: str | None) -> list[Holiday]:
    books = book(req.ws)
    found = [
        h for h in books.holidays.values() if assigned_to is None or books.assigned(h, assigned_to)
    ]
    found.sort(key=lambda h: (h.start, h.name.casefold(), h.id))
    return found


@route("GET", _BASE)
def list_holidays(req: Request) -> Reply:
    """Every holiday (the person's with ``assigned-to``); paging is ignored."""
    _open(req)
    assigned_to = req.first("assigned-to") or None
    return Reply(200, [holiday_dto(req.ws, h) for h in _listed(req, assigned_to)])


@route("GET", _BASE + "/in-period")
def holidays_in_period(req: Request) -> Reply:
    """The person's holidays that fall (at least one day) between ``start`` and ``end``."""
    _open(req)
    assigned_to = _required(req, "assigned-to")
    _required(req, "start")
    _required(req, "end")
    start, end = req.instant("start"), req.instant("end")
    if start is None or end is None:
        raise ApiError(400, "Start and end are required", 501)
    if assigned_to not in req.ws.workspace.members:
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    first = _utc_day(start)
    last = _utc_day(end)
    found = []
    for holiday in _listed(req, assigned_to):
        day = first
        while day <= last:
            if holiday_occurs(holiday, day):
                found.append(holiday)
                break
            day += timedelta(days=1)
    return Reply(200, [holiday_dto(req.ws, h) for h in found])


def _utc_day(epoch: int) -> date:
    """The calendar day of a bound (sent as ``yyyy-MM-ddThh:mm:ssZ``)."""
    return datetime.fromtimestamp(epoch, UTC).date()


@route("POST", _BASE)
def create_holiday(req: Request) -> Reply:
    """Create a holiday (owner and admins)."""
    _open(req)
    _admin(req)
    holiday = Holiday(id=req.state.new_id(), name="", start=date.min, end=date.min)
    _apply(req, holiday, req.json_object(), replace=False)
    book(req.ws).holidays[holiday.id] = holiday
    req.state.touch()
    return Reply(200, holiday_dto(req.ws, holiday))


def _find(req: Request) -> Holiday:
    holiday = book(req.ws).holidays.get(req.params["holidayId"])
    if holiday is None:
        raise not_in_workspace("Holiday")
    return holiday


@route("PUT", _BASE + "/{holidayId}")
def update_holiday(req: Request) -> Reply:
    """Replace a holiday (owner and admins)."""
    _open(req)
    _admin(req)
    holiday = _find(req)
    _apply(req, holiday, req.json_object(), replace=True)
    req.state.touch()
    return Reply(200, holiday_dto(req.ws, holiday))


@route("DELETE", _BASE + "/{holidayId}")
def delete_holiday(req: Request) -> Reply:
    """Delete a holiday (owner and admins); answers with what was deleted (``HolidayDto``,
    which names its users and groups)."""
    _open(req)
    _admin(req)
    holiday = _find(req)
    del book(req.ws).holidays[holiday.id]
    req.state.touch()
    users = req.state.users
    groups = book(req.ws).groups
    body = holiday_dto(req.ws, holiday)
    body.pop("automaticTimeEntryCreation")
    body["color"] = holiday.color or _COLOR
    body["users"] = [
        {"id": u, "name": users[u].name or users[u].email} for u in holiday.user_ids if u in users
    ]
    body["userGroups"] = [
        {"id": g, "name": groups[g].name} for g in holiday.user_group_ids if g in groups
    ]
    return Reply(200, body)
