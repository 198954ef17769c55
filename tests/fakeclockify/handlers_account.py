"""Routes about who the caller is: the user, their workspaces and the workspace's members."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.fakeclockify.groups import groups_of
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import page_params, paged
from tests.fakeclockify.records import Member, User, WorkspaceData
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_int,
    body_str,
    body_str_list,
    route,
)
from tests.fakeclockify.views import membership_dto, user_dto, workspace_dto

__all__: list[str] = []


@route("GET", "/v1/user")
def get_user(req: Request) -> Reply:
    """The caller's profile; memberships only with ``include-memberships=true``."""
    include = req.boolean("include-memberships", False)
    memberships: list[dict[str, Any]] = []
    if include:
        for data in req.state.workspaces.values():
            member = data.workspace.members.get(req.user.id)
            if member is not None:
                memberships.append(membership_dto(member, data.id))
    return Reply(200, user_dto(req.user, memberships))


@route("GET", "/v1/workspaces")
def list_workspaces(req: Request) -> Reply:
    """All the caller's workspaces; ignores paging and sends no ``Last-Page`` (FACTS §2)."""
    roles = set(req.many("roles"))
    found = []
    for data in req.state.workspaces.values():
        member = data.workspace.members.get(req.user.id)
        if member is None:
            continue
        if roles and not roles.intersection(member.roles):
            continue
        found.append(workspace_dto(data.workspace))
    return Reply(200, found)


@route("GET", "/v1/workspaces/{workspaceId}")
def get_workspace(req: Request) -> Reply:
    """One workspace with its settings (``forceProjects`` and friends)."""
    return Reply(200, workspace_dto(req.ws.workspace))


def _user_matches(
    data: WorkspaceData,
    user: User,
    member: Member,
    *,
    email: str | None,
    name: str | None,
    project_id: str | None,
    status: str | None,
    account_statuses: list[str],
    roles: list[str],
    groups: list[str],
) -> bool:
    if email and email.lower() not in user.email.lower():
        return False
    if name and name.lower() not in (user.name or "").lower():
        return False
    if status and status not in ("ALL", member.status):
        return False
    if account_statuses and user.status not in account_statuses:
        return False
    if roles and not set(roles).intersection(member.roles):
        return False
    if groups and not any(
        user.id in group.user_ids for g in groups if (group := groups_of(data).get(g))
    ):
        return False
    if project_id:
        project = data.projects.get(project_id)
        if project is None:
            return False
        if not project.public and user.id not in project.member_ids:
            return False
    return True


_SORT_COLUMNS = ("ID", "EMAIL", "NAME", "NAME_LOWERCASE", "ACCESS", "HOURLYRATE", "COSTRATE")


def _sort_key(column: str) -> Callable[[tuple[User, Member]], Any]:
    """How ``sort-column`` orders people (EMAIL by default, as the spec says)."""

    def amount(rate: dict[str, Any] | None) -> int:
        return int(rate["amount"]) if rate else -1

    keys: dict[str, Callable[[tuple[User, Member]], Any]] = {
        "ID": lambda pair: pair[0].id,
        "EMAIL": lambda pair: (pair[0].email.lower(), pair[0].id),
        "NAME": lambda pair: ((pair[0].name or ""), pair[0].id),
        "NAME_LOWERCASE": lambda pair: ((pair[0].name or "").lower(), pair[0].id),
        "ACCESS": lambda pair: (pair[1].status, pair[0].email.lower()),
        "HOURLYRATE": lambda pair: (amount(pair[1].hourly_rate), pair[0].id),
        "COSTRATE": lambda pair: (amount(pair[1].cost_rate), pair[0].id),
    }
    return keys[column]


def _memberships(data: WorkspaceData, member: Member, kind: str | None) -> list[dict[str, Any]]:
    """The memberships ``memberships=`` asks for: the workspace's (with the rates), the
    projects' the person is a member of, the groups' they are in."""
    found: list[dict[str, Any]] = []
    if kind in ("ALL", "WORKSPACE"):
        found.append(membership_dto(member, data.id))
    if kind in ("ALL", "PROJECT"):
        for project in data.projects.values():
            if member.user_id in project.member_ids:
                found.append(_without_rates(membership_dto(member, project.id, "PROJECT")))
    if kind in ("ALL", "USERGROUP"):
        for group in groups_of(data).values():
            if member.user_id in group.user_ids:
                found.append(_without_rates(membership_dto(member, group.id, "USERGROUP")))
    return found


def _without_rates(membership: dict[str, Any]) -> dict[str, Any]:
    """A project or group membership: the person's workspace rates are not its rates."""
    return {**membership, "hourlyRate": None, "costRate": None}


def _list_users(
    req: Request,
    *,
    email: str | None,
    name: str | None,
    project_id: str | None,
    status: str | None,
    account_statuses: list[str],
    roles: list[str],
    groups: list[str],
    memberships: str | None,
    sort_column: str | None,
    sort_order: str | None,
    page: int,
    size: int,
) -> Reply:
    data = req.ws
    if sort_column is not None and sort_column not in _SORT_COLUMNS:
        raise ApiError(400, f"Invalid sort column: {sort_column}", 501)
    found = []
    for member in data.workspace.members.values():
        user = req.state.users[member.user_id]
        if _user_matches(
            data,
            user,
            member,
            email=email,
            name=name,
            project_id=project_id,
            status=status,
            account_statuses=account_statuses,
            roles=roles,
            groups=groups,
        ):
            found.append((user, member))
    found.sort(key=_sort_key(sort_column or "EMAIL"), reverse=sort_order == "DESCENDING")
    bodies = [
        user_dto(
            user,
            _memberships(data, member, memberships),
            settings=user.onboarded,
            custom_fields=user_field_values(data, member),
        )
        for user, member in found
    ]
    return paged(bodies, page, size)


@route("GET", "/v1/workspaces/{workspaceId}/users")
def list_users(req: Request) -> Reply:
    """Members of the workspace, filtered, sorted and paged."""
    page, size = page_params(req)
    req.boolean("include-roles", False)
    return _list_users(
        req,
        email=req.first("email"),
        name=req.first("name"),
        project_id=req.first("project-id"),
        status=req.first("status"),
        account_statuses=req.many("account-statuses"),
        roles=[],
        groups=[],
        memberships=req.first("memberships"),
        sort_column=req.first("sort-column"),
        sort_order=req.first("sort-order"),
        page=page,
        size=size,
    )


@route("POST", "/v1/workspaces/{workspaceId}/users/info")
def filter_users(req: Request) -> Reply:
    """Members filtered by a JSON body; the only way to filter by role or group (FACTS §6)."""
    body = req.json_object()
    page = body_int(body, "page") or 1
    size = body_int(body, "pageSize") or 50
    if size < 1:
        raise ApiError(400, "Page size must be greater than 0.", 501)
    body_bool(body, "includeRoles")
    return _list_users(
        req,
        email=body_str(body, "email"),
        name=body_str(body, "name"),
        project_id=body_str(body, "projectId"),
        status=body_str(body, "status"),
        account_statuses=body_str_list(body, "accountStatuses") or [],
        roles=body_str_list(body, "roles") or [],
        groups=body_str_list(body, "userGroups") or [],
        memberships=body_str(body, "memberships"),
        sort_column=body_str(body, "sortColumn"),
        sort_order=body_str(body, "sortOrder"),
        page=max(page, 1),
        size=size,
    )


def user_field_values(data: WorkspaceData, member: Member) -> list[dict[str, Any]]:
    """The person's USER custom-field values as ``UserCustomFieldValueDtoV1``."""
    values = []
    for field_id, value in member.custom_values.items():
        field = data.custom_fields.get(field_id)
        if field is None:
            continue
        values.append(
            {
                "customFieldId": field.id,
                "customFieldName": field.name,
                "customFieldType": field.type,
                "userId": member.user_id,
                "value": value,
            }
        )
    return values


@route("GET", "/v1/workspaces/{workspaceId}/member-profile/{userId}")
def get_member_profile(req: Request) -> Reply:
    """A member's profile: daily work capacity (ISO) and working days.

    The spec types ``workingDays`` as a single day, which cannot hold a week; it is sent as
    the list of days (an allow-listed deviation), and the client reads either shape.
    """
    member = req.ws.workspace.members.get(req.params["userId"])
    user = req.state.users.get(req.params["userId"])
    if member is None or user is None:
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    return Reply(
        200,
        {
            "email": user.email,
            "name": user.name or "",
            "hasPassword": user.onboarded,
            "hasPendingApprovalRequest": False,
            "imageUrl": user.profile_picture or "",
            "userCustomFieldValues": [],
            "weekStart": user.week_start,
            "workCapacity": member.work_capacity,
            "workingDays": list(member.working_days),
            "workspaceNumber": 1,
        },
    )
