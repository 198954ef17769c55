"""User groups: ``/user-groups`` and their members.

Everyone in the workspace may list groups; the owner and admins create, rename and delete
them and change who is in them (others get 403 ``Access Denied``, code 501). Names are 1-100
characters and unique in the workspace (case-insensitively), else 400 code 501. An unknown
group is 400 ``User group doesn't belong to Workspace`` (code 501), as for every other thing
in a workspace. Writes answer the group as it is after the change (a delete: as it was).
"""

from __future__ import annotations

from tests.fakeclockify.access import is_admin_role
from tests.fakeclockify.groups import Group, group_dto, groups_of
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import page_params, paged
from tests.fakeclockify.records import WorkspaceData
from tests.fakeclockify.routing import Reply, Request, body_str, route

__all__: list[str] = []

_GROUPS = "/v1/workspaces/{workspaceId}/user-groups"
_MAX_NAME = 100


def _admin_only(req: Request) -> WorkspaceData:
    data = req.ws
    if not is_admin_role(data, req.user.id):
        raise ApiError(403, "Access Denied", 501)
    return data


def _group(data: WorkspaceData, group_id: str) -> Group:
    group = groups_of(data).get(group_id)
    if group is None:
        raise ApiError(400, "User group doesn't belong to Workspace", 501)
    return group


def _name(req: Request, data: WorkspaceData, keep: str = "") -> str:
    name = (body_str(req.json_object(), "name") or "").strip()
    if not name:
        raise ApiError(400, "User group name is required", 501)
    if len(name) > _MAX_NAME:
        raise ApiError(400, f"User group name can't be longer than {_MAX_NAME} characters", 501)
    for group in groups_of(data).values():
        if group.id != keep and group.name.casefold() == name.casefold():
            raise ApiError(400, f"User group with name '{name}' already exists", 501)
    return name


def _dto(req: Request, group: Group, *, managers: bool = False) -> dict[str, object]:
    names = {u.id: u.name for u in req.state.users.values()}
    return group_dto(req.ws, group, names=names, managers=managers)


@route("GET", _GROUPS)
def list_groups(req: Request) -> Reply:
    """Groups, filtered by name (contains) and project, sorted and paged."""
    data = req.ws
    page, size = page_params(req)
    name = (req.first("name") or "").casefold()
    project_id = req.first("project-id")
    column = req.first("sort-column") or "NAME"
    if column not in ("ID", "NAME"):
        raise ApiError(400, f"Invalid sort column: {column}", 501)
    managers = bool(req.boolean("includeTeamManagers", False))
    found = [g for g in groups_of(data).values() if name in g.name.casefold()]
    if project_id:
        project = data.projects.get(project_id)
        members = set(project.member_ids) if project else set()
        found = [g for g in found if g.id in members]
    found.sort(
        key=(lambda g: g.id) if column == "ID" else (lambda g: (g.name.casefold(), g.id)),
        reverse=req.first("sort-order") == "DESCENDING",
    )
    return paged([_dto(req, g, managers=managers) for g in found], page, size)


@route("POST", _GROUPS)
def create_group(req: Request) -> Reply:
    """A new, empty group."""
    data = _admin_only(req)
    group = Group(req.state.new_id(), _name(req, data))
    groups_of(data)[group.id] = group
    req.state.touch()
    return Reply(201, _dto(req, group))


@route("PUT", _GROUPS + "/{id}")
def rename_group(req: Request) -> Reply:
    """Rename a group."""
    data = _admin_only(req)
    group = _group(data, req.params["id"])
    group.name = _name(req, data, keep=group.id)
    req.state.touch()
    return Reply(200, _dto(req, group))


@route("DELETE", _GROUPS + "/{id}")
def delete_group(req: Request) -> Reply:
    """Delete a group (its people stay in the workspace; its managers stop managing them)."""
    data = _admin_only(req)
    group = _group(data, req.params["id"])
    body = _dto(req, group)
    del groups_of(data)[group.id]
    for manager_id in group.manager_ids:
        member = data.workspace.members.get(manager_id)
        still = any(manager_id in g.manager_ids for g in groups_of(data).values())
        if member is not None and not still and not member.manages_users:
            member.roles = [r for r in member.roles if r != "TEAM_MANAGER"]
    req.state.touch()
    return Reply(200, body)


@route("POST", _GROUPS + "/{userGroupId}/users")
def add_to_group(req: Request) -> Reply:
    """Put a member of the workspace in the group (already there: no change)."""
    data = _admin_only(req)
    group = _group(data, req.params["userGroupId"])
    user_id = body_str(req.json_object(), "userId") or ""
    if user_id not in data.workspace.members:
        raise ApiError(400, "User doesn't belong to Workspace", 501)
    if user_id not in group.user_ids:
        group.user_ids.append(user_id)
        req.state.touch()
    return Reply(200, _dto(req, group))


@route("DELETE", _GROUPS + "/{userGroupId}/users/{userId}")
def remove_from_group(req: Request) -> Reply:
    """Take someone out of the group."""
    data = _admin_only(req)
    group = _group(data, req.params["userGroupId"])
    user_id = req.params["userId"]
    if user_id not in group.user_ids:
        raise ApiError(400, "User doesn't belong to user group", 501)
    group.user_ids.remove(user_id)
    req.state.touch()
    return Reply(200, _dto(req, group))
