"""Routes for projects and their tasks.

Rules reproduced from live observations (FACTS §6): a project's name is unique per client,
archiving is a field of the update body, a project must be archived and a task ``DONE``
before deletion, and deleting a project takes its tasks off the entries that had them.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakeclockify.access import require_project_manager
from tests.fakeclockify.listing import name_matches, sorted_by_request, tri_state
from tests.fakeclockify.lookup import find_client, find_project, find_task
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import page_params, paged
from tests.fakeclockify.records import Project, Task, WorkspaceData
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_int,
    body_object,
    body_str,
    body_str_list,
    route,
)
from tests.fakeclockify.views import project_dto, task_dto

__all__: list[str] = []

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_PALETTE = ("#03A9F4", "#E91E63", "#4CAF50", "#FF9800", "#9C27B0", "#009688", "#795548")


def _rate(data: WorkspaceData, raw: dict[str, Any] | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    amount = body_int(raw, "amount")
    if amount is None:
        raise ApiError(400, "amount: must not be null", 501)
    return {"amount": amount, "currency": data.workspace.currency}


# --- projects ----------------------------------------------------------------------------


def _check_project_name(name: str | None) -> str:
    if name is None or not name.strip():
        raise ApiError(400, "Project name is required", 501)
    if not 2 <= len(name.strip()) <= 250:
        raise ApiError(400, "Project name has to be between 2 and 250 characters long", 501)
    return name.strip()


def _check_unique_project(data: WorkspaceData, name: str, client_id: str, own_id: str) -> None:
    for other in data.projects.values():
        if (
            other.id != own_id
            and other.client_id == client_id
            and other.name.lower() == name.lower()
        ):
            raise ApiError(400, f"Project with name '{name}' already exists", 501)


def _client_id(data: WorkspaceData, raw: str | None) -> str:
    if not raw:
        return ""
    return find_client(data, raw).id


def _project_body(data: WorkspaceData, project: Project, hydrated: bool) -> dict[str, Any]:
    body = project_dto(data, project)
    if hydrated:
        tasks = sorted(
            (t for t in data.tasks.values() if t.project_id == project.id),
            key=lambda t: t.name.lower(),
        )
        body["tasks"] = [task_dto(data, t) for t in tasks]
        body["customFields"] = []
    return body


def _has_members(project: Project, users: set[str], contains: bool) -> bool:
    """The ``users``/``contains-user`` filter: projects with (or without) any of them."""
    return not users or bool(users & set(project.member_ids)) == contains


@route("GET", "/v1/workspaces/{workspaceId}/projects")
def list_projects(req: Request) -> Reply:
    """Projects filtered by name, archived, billable and clients; paged."""
    data = req.ws
    name = req.first("name")
    strict = bool(req.boolean("strict-name-search", False))
    archived = req.boolean("archived", None)
    billable = req.boolean("billable", None)
    clients = set(req.many("clients"))
    contains_client = req.boolean("contains-client", True)
    client_status = (req.first("client-status") or "ALL").upper()
    is_template = req.boolean("is-template", None)
    users = set(req.many("users"))
    contains_user = bool(req.boolean("contains-user", True))
    hydrated = bool(req.boolean("hydrated", False))
    page, size = page_params(req)
    found = []
    for project in data.projects.values():
        if not name_matches(project.name, name, strict=strict):
            continue
        if not tri_state(archived, project.archived):
            continue
        if not tri_state(billable, project.billable):
            continue
        if not tri_state(is_template, project.template) or not _has_members(
            project, users, contains_user
        ):
            continue
        if clients and (project.client_id in clients) != contains_client:
            continue
        if client_status != "ALL" and project.client_id:
            client = data.clients.get(project.client_id)
            if client is not None and client.archived != (client_status == "ARCHIVED"):
                continue
        found.append(project)

    def client_name(p: Project) -> str:
        client = data.clients.get(p.client_id)
        return client.name.lower() if client else ""

    ordered = sorted_by_request(
        found,
        req,
        {
            "NAME": lambda p: (p.name.lower(), p.id),
            "ID": lambda p: p.id,
            "CLIENT_NAME": lambda p: (client_name(p), p.name.lower(), p.id),
        },
    )
    reply = paged(ordered, page, size)
    reply.body = [_project_body(data, p, hydrated) for p in reply.body]
    return reply


def _memberships(
    data: WorkspaceData, body: dict[str, Any], creator: str
) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The members a new project starts with (its creator first) and their own rates."""
    members = [creator]
    rates: dict[str, dict[str, Any]] = {}
    for membership in body.get("memberships") or []:
        if isinstance(membership, dict) and isinstance(membership.get("userId"), str):
            if membership["userId"] not in data.workspace.members:
                raise ApiError(400, "User doesn't belong to Workspace", 501)
            if membership["userId"] not in members:
                members.append(membership["userId"])
            hourly = _rate(data, body_object(membership, "hourlyRate"))
            if hourly is not None:
                rates[membership["userId"]] = {"hourly": hourly, "cost": None}
    return members, rates


@route("POST", "/v1/workspaces/{workspaceId}/projects")
def create_project(req: Request) -> Reply:
    """Create a project (201); name 2..250 characters, unique per client."""
    data = req.ws
    body = req.json_object()
    name = _check_project_name(body_str(body, "name"))
    client_id = _client_id(data, body_str(body, "clientId"))
    _check_unique_project(data, name, client_id, "")
    color = body_str(body, "color") or _PALETTE[len(data.projects) % len(_PALETTE)]
    if not _COLOR.fullmatch(color):
        raise ApiError(400, "Color must be in #RRGGBB format", 501)
    note = body_str(body, "note") or ""
    if len(note) > 16384:
        raise ApiError(400, "Note can't be longer than 16384 characters", 501)
    settings = data.workspace.settings
    billable = body_bool(body, "billable")
    public = body_bool(body, "isPublic")
    estimate = body_object(body, "estimate")
    members, member_rates = _memberships(data, body, req.user.id)
    task_names = []
    for task in body.get("tasks") or []:
        task_name = body_str(task, "name") if isinstance(task, dict) else None
        if not task_name:
            raise ApiError(400, "Task name is required", 501)
        task_names.append(task_name)
    project = req.state.add_project(
        data.id,
        name,
        client_id=client_id,
        color=color,
        billable=settings["defaultBillableProjects"] if billable is None else billable,
        public=settings["isProjectPublicByDefault"] if public is None else public,
        note=note,
        hourly_rate=_rate(data, body_object(body, "hourlyRate")),
        cost_rate=_rate(data, body_object(body, "costRate")),
        estimate=(body_str(estimate, "estimate") if estimate else None) or "PT0S",
        estimate_type=((body_str(estimate, "type") if estimate else None) or "AUTO").upper(),
        member_ids=members,
        member_rates=member_rates,
    )
    for task_name in task_names:
        req.state.add_task(data.id, project.id, task_name, billable=project.billable)
    return Reply(201, project_dto(data, project))


@route("GET", "/v1/workspaces/{workspaceId}/projects/{projectId}")
def get_project(req: Request) -> Reply:
    """One project (archived ones too)."""
    project = find_project(req.ws, req.params["projectId"])
    return Reply(200, _project_body(req.ws, project, bool(req.boolean("hydrated", False))))


@route("PUT", "/v1/workspaces/{workspaceId}/projects/{projectId}")
def update_project(req: Request) -> Reply:
    """Update a project; ``archived`` here is the only way to archive (FACTS §6)."""
    data = req.ws
    project = find_project(data, req.params["projectId"])
    require_project_manager(data, req.user.id, project.id)
    body = req.json_object()
    changes = {**_renaming(data, project, body), **_project_settings(data, body)}
    for attribute, value in changes.items():
        setattr(project, attribute, value)
    req.state.touch()
    return Reply(200, project_dto(data, project))


def _renaming(data: WorkspaceData, project: Project, body: dict[str, Any]) -> dict[str, Any]:
    """Name and client, checked together: a name is unique among a client's projects."""
    name = project.name
    if "name" in body:
        name = _check_project_name(body_str(body, "name"))
    client_id = project.client_id
    if "clientId" in body:
        client_id = _client_id(data, body_str(body, "clientId"))
    _check_unique_project(data, name, client_id, project.id)
    return {"name": name, "client_id": client_id}


_PROJECT_FLAGS = (("billable", "billable"), ("isPublic", "public"), ("archived", "archived"))
_PROJECT_RATES = (("hourlyRate", "hourly_rate"), ("costRate", "cost_rate"))


def _project_settings(data: WorkspaceData, body: dict[str, Any]) -> dict[str, Any]:
    """Colour, flags, note and rates: each one changes only when the body has it."""
    changes: dict[str, Any] = {}
    color = body_str(body, "color")
    if color is not None:
        if not _COLOR.fullmatch(color):
            raise ApiError(400, "Color must be in #RRGGBB format", 501)
        changes["color"] = color
    for key, attribute in _PROJECT_FLAGS:
        value = body_bool(body, key)
        if value is not None:
            changes[attribute] = value
    note = body_str(body, "note")
    if note is not None:
        changes["note"] = note
    for key, attribute in _PROJECT_RATES:
        if key in body:
            changes[attribute] = _rate(data, body_object(body, key))
    return changes


@route("DELETE", "/v1/workspaces/{workspaceId}/projects/{projectId}")
def delete_project(req: Request) -> Reply:
    """Delete an archived project (400 while active); its entries lose project and task."""
    data = req.ws
    project = find_project(data, req.params["projectId"])
    require_project_manager(data, req.user.id, project.id)
    if not project.archived:
        raise ApiError(400, "Cannot delete an active project", 501)
    body = project_dto(data, project)
    task_ids = {t.id for t in data.tasks.values() if t.project_id == project.id}
    for task_id in task_ids:
        del data.tasks[task_id]
    for entry in data.entries.values():
        if entry.project_id == project.id:
            entry.project_id = None
            entry.task_id = None
    data.invalidate_totals()
    del data.projects[project.id]
    req.state.touch()
    return Reply(200, body)


# --- tasks -------------------------------------------------------------------------------


def _check_task_name(name: str | None) -> str:
    if name is None or not name.strip():
        raise ApiError(400, "Task name is required", 501)
    if len(name) > 1000:
        raise ApiError(400, "Task name has to be between 1 and 1000 characters long", 501)
    return name.strip()


def _check_unique_task(data: WorkspaceData, project: Project, name: str, own_id: str) -> None:
    for other in data.tasks.values():
        if (
            other.project_id == project.id
            and other.id != own_id
            and other.name.lower() == name.lower()
        ):
            raise ApiError(400, f"Task with name '{name}' already exists", 501)


def _task_status(raw: str | None, default: str) -> str:
    if raw is None:
        return default
    if raw.upper() not in ("ACTIVE", "DONE"):
        raise ApiError(
            400,
            "JSON parse error: Cannot deserialize value of type `TaskStatus` from String "
            f'"{raw}": not one of the values accepted for Enum class: [DONE, ACTIVE, ALL]',
            3002,
        )
    return raw.upper()


@route("GET", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks")
def list_tasks(req: Request) -> Reply:
    """A project's tasks filtered by name and ``is-active``; paged."""
    data = req.ws
    project = find_project(data, req.params["projectId"])
    name = req.first("name")
    strict = bool(req.boolean("strict-name-search", False))
    active = req.boolean("is-active", None)
    page, size = page_params(req)
    found = [
        t
        for t in data.tasks.values()
        if t.project_id == project.id
        and name_matches(t.name, name, strict=strict)
        and tri_state(active, t.status == "ACTIVE")
    ]
    ordered = sorted_by_request(
        found, req, {"NAME": lambda t: (t.name.lower(), t.id), "ID": lambda t: t.id}
    )
    reply = paged(ordered, page, size)
    reply.body = [task_dto(data, t) for t in reply.body]
    return reply


@route("POST", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks")
def create_task(req: Request) -> Reply:
    """Create a task (201)."""
    data = req.ws
    project = find_project(data, req.params["projectId"])
    if data.workspace.settings.get("onlyAdminsCreateTask"):
        require_project_manager(data, req.user.id, project.id)
    body = req.json_object()
    name = _check_task_name(body_str(body, "name"))
    _check_unique_task(data, project, name, "")
    task = req.state.add_task(
        data.id,
        project.id,
        name,
        status=_task_status(body_str(body, "status"), "ACTIVE"),
        assignee_ids=body_str_list(body, "assigneeIds") or [],
        user_group_ids=body_str_list(body, "userGroupIds") or [],
        estimate=body_str(body, "estimate") or "PT0S",
        billable=project.billable,
        budget_estimate=body_int(body, "budgetEstimate") or 0,
    )
    return Reply(201, task_dto(data, task))


def _find_task_in_path(req: Request) -> Task:
    project = find_project(req.ws, req.params["projectId"])
    return find_task(req.ws, project, req.params["taskId"])


def _task_to_change(req: Request) -> Task:
    """The task in the path, for someone who may change it (the project's managers)."""
    task = _find_task_in_path(req)
    require_project_manager(req.ws, req.user.id, task.project_id)
    return task


@route("GET", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks/{taskId}")
def get_task(req: Request) -> Reply:
    """One task."""
    return Reply(200, task_dto(req.ws, _find_task_in_path(req)))


@route("PUT", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks/{taskId}")
def update_task(req: Request) -> Reply:
    """Update a task; ``name`` is required, other omitted fields keep their values."""
    data = req.ws
    task = _task_to_change(req)
    body = req.json_object()
    name = _check_task_name(body_str(body, "name"))
    _check_unique_task(data, data.projects[task.project_id], name, task.id)
    task.name = name
    task.status = _task_status(body_str(body, "status"), task.status)
    billable = body_bool(body, "billable")
    if billable is not None:
        task.billable = billable
    assignees = body_str_list(body, "assigneeIds")
    if assignees is not None:
        task.assignee_ids = assignees
    groups = body_str_list(body, "userGroupIds")
    if groups is not None:
        task.user_group_ids = groups
    estimate = body_str(body, "estimate")
    if estimate is not None:
        task.estimate = estimate
    budget = body_int(body, "budgetEstimate")
    if budget is not None:
        task.budget_estimate = budget
    req.state.touch()
    return Reply(200, task_dto(data, task))


@route("DELETE", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks/{taskId}")
def delete_task(req: Request) -> Reply:
    """Delete a ``DONE`` task (400 while active); its entries lose the task."""
    data = req.ws
    task = _task_to_change(req)
    if task.status != "DONE":
        raise ApiError(400, "Cannot delete an active task", 501)
    body = task_dto(data, task)
    for entry in data.entries.values():
        if entry.task_id == task.id:
            entry.task_id = None
    data.invalidate_totals()
    del data.tasks[task.id]
    req.state.touch()
    return Reply(200, body)
