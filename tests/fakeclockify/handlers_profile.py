"""``PATCH /member-profile/{userId}``: a member's daily capacity, working days and week start.

``GET`` lives with the account routes. Who may change what, as in Clockify: the owner and
admins set anyone's ``workCapacity`` and ``workingDays``; a person changes their own
``weekStart``. ``workCapacity`` is an ISO duration (``PT7H``, FACTS §4); ``workingDays`` is
a list of days, though the spec types it as one day (the repaired shape, see the contract
checker).
"""

from __future__ import annotations

from tests.fakeclockify.access import is_admin_role
from tests.fakeclockify.handlers_account import get_member_profile
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.routing import Reply, Request, body_str, body_str_list, route
from tests.fakeclockify.timeoff import WEEKDAYS, capacity_seconds

__all__: list[str] = []


@route("PATCH", "/v1/workspaces/{workspaceId}/member-profile/{userId}")
def update_member_profile(req: Request) -> Reply:
    """Change the profile's capacity, working days or week start; answers the profile."""
    data = req.ws
    user_id = req.params["userId"]
    member = data.workspace.members.get(user_id)
    user = req.state.users.get(user_id)
    if member is None or user is None:
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    body = req.json_object()
    admin = is_admin_role(data, req.user.id)
    capacity = body_str(body, "workCapacity")
    days = body.get("workingDays")
    week_start = body_str(body, "weekStart")
    if (capacity is not None or days is not None) and not admin:
        raise ApiError(403, "Access Denied", 501)
    if week_start is not None and not admin and user_id != req.user.id:
        raise ApiError(403, "Access Denied", 501)
    if capacity is not None:
        seconds = capacity_seconds(capacity)
        if (capacity != "PT0S" and seconds == 0) or seconds > 24 * 3600:
            raise ApiError(400, f"Invalid work capacity: {capacity}", 501)
        member.work_capacity = capacity
    if days is not None:
        listed = [days] if isinstance(days, str) else body_str_list(body, "workingDays") or []
        if any(day not in WEEKDAYS for day in listed):
            raise ApiError(400, "Working days must be days of the week", 501)
        member.working_days = tuple(d for d in WEEKDAYS if d in listed)
    if week_start is not None:
        if week_start not in WEEKDAYS:
            raise ApiError(400, "Week start must be a day of the week", 501)
        user.week_start = week_start
    req.state.touch()
    return get_member_profile(req)
