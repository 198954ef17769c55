"""The workspace's people, changed by its owner and admins: invitations, status, manager and
admin roles, hourly and cost rates, custom-field values.

Who may, as in Clockify: the owner and admins change people; managers and members get 403
``Access Denied`` (code 501), as every write they may not make. The owner's own status and
admin role cannot be taken away (400). Adding people is for paid workspaces only (the spec's
description of ``addUsers``): a Free one gets the plan's 403. Rates are ``{amount, currency}``
in cents; the routes are ``PUT`` only, so a ``GET`` is Clockify's 405 (FACTS §6). ``since``
is checked and accepted; the test server keeps one rate per person (reports use it for every
entry), where Clockify keeps a history from ``since``.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakeclockify.access import is_admin_role, is_free, plan_forbidden, require_feature
from tests.fakeclockify.groups import groups_of
from tests.fakeclockify.handlers_account import user_field_values
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import Member, WorkspaceData
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_instant,
    body_int,
    body_str,
    route,
)
from tests.fakeclockify.views import workspace_dto

__all__: list[str] = []

_USER = "/v1/workspaces/{workspaceId}/users/{userId}"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ROLES = ("WORKSPACE_ADMIN", "TEAM_MANAGER", "PROJECT_MANAGER")
_ROLE_NAMES = {
    "WORKSPACE_ADMIN": "Administrator",
    "TEAM_MANAGER": "Team manager",
    "PROJECT_MANAGER": "Project manager",
}


def _admin_only(req: Request) -> WorkspaceData:
    data = req.ws
    if not is_admin_role(data, req.user.id):
        raise ApiError(403, "Access Denied", 501)
    return data


def _member(req: Request, data: WorkspaceData) -> Member:
    member = data.workspace.members.get(req.params["userId"])
    if member is None:
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    return member


@route("POST", "/v1/workspaces/{workspaceId}/users")
def add_user(req: Request) -> Reply:
    """Invite someone by email: a ``PENDING`` membership (an account is made for an email
    nobody has yet: no name, no settings until they sign up). Answers the workspace."""
    data = _admin_only(req)
    req.boolean("send-email", True)
    if is_free(data):
        raise plan_forbidden()
    body = req.json_object()
    email = (body_str(body, "email") or "").strip()
    if not _EMAIL.fullmatch(email):
        raise ApiError(400, "Email is not valid", 501)
    state = req.state
    user = next((u for u in state.users.values() if u.email.lower() == email.lower()), None)
    if user is not None and user.id in data.workspace.members:
        raise ApiError(400, "User with that email already exists in workspace", 501)
    if user is None:
        user = state.add_user(None, email)
        user.status = "NOT_REGISTERED"
        user.onboarded = False
    state.add_member(data.id, user.id, [], status="PENDING")
    state.touch()
    return Reply(200, workspace_dto(data.workspace))


@route("PUT", _USER)
def update_user_status(req: Request) -> Reply:
    """Deactivate (``INACTIVE``) or reactivate (``ACTIVE``) a membership."""
    data = _admin_only(req)
    member = _member(req, data)
    status = body_str(req.json_object(), "status")
    if status not in ("ACTIVE", "INACTIVE"):
        raise ApiError(400, "Status must be ACTIVE or INACTIVE", 501)
    if member.user_id == data.workspace.owner_id:
        raise ApiError(400, "The workspace owner cannot be deactivated", 501)
    if status == "ACTIVE" and member.status == "PENDING":
        raise ApiError(400, "User has not accepted the invitation yet", 501)
    if member.status != status:
        member.status = status
        req.state.touch()
    return Reply(200, workspace_dto(data.workspace))


def _rate(req: Request, kind: str) -> Reply:
    data = _admin_only(req)
    member = _member(req, data)
    body = req.json_object()
    amount = body_int(body, "amount")
    if amount is None:
        raise ApiError(400, "Amount is required", 501)
    if amount < 0 or amount > 2**31 - 1:
        raise ApiError(400, "Amount must be between 0 and 2147483647", 501)
    body_instant(body, "since")
    rate = {"amount": amount, "currency": data.workspace.currency}
    if kind == "hourly":
        member.hourly_rate = rate
    else:
        member.cost_rate = rate
    req.state.touch()
    return Reply(200, workspace_dto(data.workspace))


@route("PUT", _USER + "/hourly-rate")
def set_hourly_rate(req: Request) -> Reply:
    """The person's hourly rate in this workspace (cents)."""
    return _rate(req, "hourly")


@route("PUT", _USER + "/cost-rate")
def set_cost_rate(req: Request) -> Reply:
    """The person's cost rate in this workspace (cents)."""
    return _rate(req, "cost")


def _role_body(req: Request, data: WorkspaceData, member: Member) -> tuple[str, str, bool]:
    """``(role, entityId, by group)`` of a role request, checked against the workspace."""
    body = req.json_object()
    role = body_str(body, "role")
    entity = body_str(body, "entityId") or ""
    source = body_str(body, "sourceType")
    if role not in _ROLES:
        raise ApiError(400, f"Invalid role: {role}", 501)
    if not entity:
        raise ApiError(400, "Entity id is required", 501)
    if source not in (None, "USER_GROUP"):
        raise ApiError(400, f"Invalid source type: {source}", 501)
    by_group = source == "USER_GROUP"
    if role == "WORKSPACE_ADMIN" and entity != data.id:
        raise ApiError(400, "Workspace doesn't exist", 501)
    if role == "PROJECT_MANAGER" and entity not in data.projects:
        raise ApiError(400, "Project doesn't belong to Workspace", 501)
    if role == "TEAM_MANAGER":
        if by_group and entity not in groups_of(data):
            raise ApiError(400, "User group doesn't belong to Workspace", 501)
        if not by_group and entity not in data.workspace.members:
            raise ApiError(400, "User doesn't belong to Workspace", 501)
        if not by_group and entity == member.user_id:
            raise ApiError(400, "A user cannot be their own team manager", 501)
    return role, entity, by_group


def _holds(data: WorkspaceData, member: Member, role: str) -> bool:
    """Whether any grant of ``role`` is left (the role stays while one is)."""
    if role == "TEAM_MANAGER":
        return bool(member.manages_users) or any(
            member.user_id in g.manager_ids for g in groups_of(data).values()
        )
    if role == "PROJECT_MANAGER":
        return bool(member.manages_projects)
    return False


def _role_details(data: WorkspaceData, member: Member) -> list[dict[str, Any]]:
    return [
        {
            "role": {"id": f"{role.lower()}", "name": _ROLE_NAMES[role]},
            "userId": member.user_id,
            "workspaceId": data.id,
        }
        for role in _ROLES
        if role in member.roles
    ]


@route("POST", _USER + "/roles")
def give_role(req: Request) -> Reply:
    """Make someone an admin (``entityId``: the workspace), the team manager of a person
    or, with ``sourceType: USER_GROUP``, of a group, or the manager of a project."""
    data = _admin_only(req)
    member = _member(req, data)
    role, entity, by_group = _role_body(req, data, member)
    if role == "TEAM_MANAGER" and by_group:
        group = groups_of(data)[entity]
        if member.user_id not in group.manager_ids:
            group.manager_ids.append(member.user_id)
    elif role == "TEAM_MANAGER" and entity not in member.manages_users:
        member.manages_users.append(entity)
    elif role == "PROJECT_MANAGER" and entity not in member.manages_projects:
        member.manages_projects.append(entity)
    if role not in member.roles:
        member.roles.append(role)
    req.state.touch()
    return Reply(201, _role_details(data, member))


@route("DELETE", _USER + "/roles")
def take_role(req: Request) -> Reply:
    """Take one grant of a role away; the role goes when its last grant does."""
    data = _admin_only(req)
    member = _member(req, data)
    role, entity, by_group = _role_body(req, data, member)
    if role == "WORKSPACE_ADMIN" and member.user_id == data.workspace.owner_id:
        raise ApiError(400, "The workspace owner's role cannot be removed", 501)
    held = role in member.roles
    if role == "TEAM_MANAGER" and by_group:
        group = groups_of(data)[entity]
        held = held and member.user_id in group.manager_ids
        if held:
            group.manager_ids.remove(member.user_id)
    elif role == "TEAM_MANAGER":
        held = held and entity in member.manages_users
        if held:
            member.manages_users.remove(entity)
    elif role == "PROJECT_MANAGER":
        held = held and entity in member.manages_projects
        if held:
            member.manages_projects.remove(entity)
    if not held:
        raise ApiError(400, "User doesn't have that role", 501)
    if not _holds(data, member, role):
        member.roles.remove(role)
    req.state.touch()
    return Reply(204)


@route("PUT", _USER + "/custom-field/{customFieldId}/value")
def set_field_value(req: Request) -> Reply:
    """Set the person's value of a USER custom field (admins; the person themselves when
    the field is not admin-only). Needs the plan's ``USER_CUSTOM_FIELDS``."""
    data = req.ws
    require_feature(data, "USER_CUSTOM_FIELDS")
    member = _member(req, data)
    field = data.custom_fields.get(req.params["customFieldId"])
    if field is None or field.entity_type != "USER":
        raise ApiError(400, "Custom field doesn't belong to Workspace", 501)
    own = member.user_id == req.user.id and not field.only_admin_can_edit
    if not own and not is_admin_role(data, req.user.id):
        raise ApiError(403, "Access Denied", 501)
    body = req.json_object()
    value = body.get("value")
    if value is not None and not isinstance(value, str | int | float | bool | list):
        raise ApiError(400, "JSON parse error: Cannot deserialize value of type `Object`", 3002)
    if isinstance(value, str) and len(value) > 3000:
        raise ApiError(400, "Custom field value is too long", 501)
    if field.type == "NUMBER" and value not in (None, "") and not _is_number(value):
        raise ApiError(400, f"Value of {field.name} must be a number", 501)
    single = field.type == "DROPDOWN_SINGLE" and field.allowed_values
    if single and value and value not in field.allowed_values:
        raise ApiError(400, f"Value of {field.name} is not one of its options", 501)
    if value in (None, ""):
        member.custom_values.pop(field.id, None)
    else:
        member.custom_values[field.id] = value
    req.state.touch()
    values = {v["customFieldId"]: v for v in user_field_values(data, member)}
    found = values.get(
        field.id,
        {
            "customFieldId": field.id,
            "customFieldName": field.name,
            "customFieldType": field.type,
            "userId": member.user_id,
            "value": None,
        },
    )
    return Reply(201, found)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True
