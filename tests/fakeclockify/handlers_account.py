"""Routes about who the caller is: the user, their workspaces and the workspace's members."""

from __future__ import annotations

from typing import Any

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
    if project_id:
        project = data.projects.get(project_id)
        if project is None:
            return False
        if not project.public and user.id not in project.member_ids:
            return False
    return True


def _list_users(
    req: Request,
    *,
    email: str | None,
    name: str | None,
    project_id: str | None,
    status: str | None,
    account_statuses: list[str],
    roles: list[str],
    memberships: str | None,
    page: int,
    size: int,
) -> Reply:
    data = req.ws
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
        ):
            found.append((user, member))
    found.sort(key=lambda pair: ((pair[0].name or "").lower(), pair[0].id))
    with_memberships = memberships in ("ALL", "WORKSPACE")
    bodies = [
        user_dto(user, [membership_dto(member, data.id)] if with_memberships else [])
        for user, member in found
    ]
    return paged(bodies, page, size)


@route("GET", "/v1/workspaces/{workspaceId}/users")
def list_users(req: Request) -> Reply:
    """Members of the workspace, filtered and paged."""
    page, size = page_params(req)
    return _list_users(
        req,
        email=req.first("email"),
        name=req.first("name"),
        project_id=req.first("project-id"),
        status=req.first("status"),
        account_statuses=req.many("account-statuses"),
        roles=[],
        memberships=req.first("memberships"),
        page=page,
        size=size,
    )


@route("POST", "/v1/workspaces/{workspaceId}/users/info")
def filter_users(req: Request) -> Reply:
    """Members filtered by a JSON body; the only way to filter by role (FACTS §6)."""
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
        memberships=body_str(body, "memberships"),
        page=max(page, 1),
        size=size,
    )


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
            "name": user.name,
            "hasPassword": True,
            "hasPendingApprovalRequest": False,
            "imageUrl": user.profile_picture or "",
            "userCustomFieldValues": [],
            "weekStart": user.week_start,
            "workCapacity": member.work_capacity,
            "workingDays": list(member.working_days),
            "workspaceNumber": 1,
        },
    )
