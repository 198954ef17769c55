"""Routes for what entries point at: projects, tasks, clients, tags and custom fields.

Rules reproduced from live observations (FACTS §6): the ``archived`` filter is three-valued
(omitted = both), archiving is a field of the update body, projects and clients must be
archived before deletion, tasks must be ``DONE`` before deletion, and a tag or client ``PUT``
replaces the whole record (an omitted ``archived`` un-archives).
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakeclockify.lookup import find_client, find_project, find_tag, find_task
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import page_params, paged
from tests.fakeclockify.records import CustomField, Project, Task, WorkspaceData
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
from tests.fakeclockify.views import client_dto, custom_field_dto, project_dto, tag_dto, task_dto

__all__: list[str] = []

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_PALETTE = ("#03A9F4", "#E91E63", "#4CAF50", "#FF9800", "#9C27B0", "#009688", "#795548")


def _name_matches(candidate: str, wanted: str | None, *, strict: bool) -> bool:
    if not wanted:
        return True
    if strict:
        return candidate.lower() == wanted.lower()
    return wanted.lower() in candidate.lower()


def _tri_state(value: bool | None, actual: bool) -> bool:
    """Clockify's three-valued filters: None = both, True/False = only that."""
    return value is None or value == actual


def _rate(data: WorkspaceData, raw: dict[str, Any] | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    amount = body_int(raw, "amount")
    if amount is None:
        raise ApiError(400, "amount: must not be null", 501)
    return {"amount": amount, "currency": data.workspace.currency}


def _sorted(items: list[Any], req: Request, key_for: dict[str, Any]) -> list[Any]:
    column = (req.first("sort-column") or "NAME").upper()
    descending = (req.first("sort-order") or "ASCENDING").upper() == "DESCENDING"
    key = key_for.get(column, key_for["NAME"])
    return sorted(items, key=key, reverse=descending)


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
    hydrated = bool(req.boolean("hydrated", False))
    page, size = page_params(req)
    found = []
    for project in data.projects.values():
        if not _name_matches(project.name, name, strict=strict):
            continue
        if not _tri_state(archived, project.archived):
            continue
        if not _tri_state(billable, project.billable):
            continue
        if not _tri_state(is_template, project.template):
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

    ordered = _sorted(
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
    members = [req.user.id]
    for membership in body.get("memberships") or []:
        if isinstance(membership, dict) and isinstance(membership.get("userId"), str):
            if membership["userId"] not in data.workspace.members:
                raise ApiError(400, "User doesn't belong to Workspace", 501)
            if membership["userId"] not in members:
                members.append(membership["userId"])
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
        member_ids=members,
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
        and _name_matches(t.name, name, strict=strict)
        and _tri_state(active, t.status == "ACTIVE")
    ]
    ordered = _sorted(found, req, {"NAME": lambda t: (t.name.lower(), t.id), "ID": lambda t: t.id})
    reply = paged(ordered, page, size)
    reply.body = [task_dto(data, t) for t in reply.body]
    return reply


@route("POST", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks")
def create_task(req: Request) -> Reply:
    """Create a task (201)."""
    data = req.ws
    project = find_project(data, req.params["projectId"])
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


@route("GET", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks/{taskId}")
def get_task(req: Request) -> Reply:
    """One task."""
    return Reply(200, task_dto(req.ws, _find_task_in_path(req)))


@route("PUT", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks/{taskId}")
def update_task(req: Request) -> Reply:
    """Update a task; ``name`` is required, other omitted fields keep their values."""
    data = req.ws
    task = _find_task_in_path(req)
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
    task = _find_task_in_path(req)
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


# --- clients -----------------------------------------------------------------------------


def _check_client_name(data: WorkspaceData, name: str | None, own_id: str) -> str:
    if name is None or not name.strip():
        raise ApiError(400, "Client name is required", 501)
    if len(name) > 100:
        raise ApiError(400, "Client name can't be longer than 100 characters", 501)
    for other in data.clients.values():
        if other.id != own_id and other.name.lower() == name.strip().lower():
            raise ApiError(400, f"Client with name '{name.strip()}' already exists", 501)
    return name.strip()


def _archived_filter(req: Request) -> bool | None:
    return req.boolean("archived", None)


@route("GET", "/v1/workspaces/{workspaceId}/clients")
def list_clients(req: Request) -> Reply:
    """Clients filtered by name and ``archived`` (omitted = both); paged."""
    data = req.ws
    name = req.first("name")
    archived = _archived_filter(req)
    page, size = page_params(req)
    found = [
        c
        for c in data.clients.values()
        if _name_matches(c.name, name, strict=False) and _tri_state(archived, c.archived)
    ]
    ordered = _sorted(found, req, {"NAME": lambda c: (c.name.lower(), c.id), "ID": lambda c: c.id})
    reply = paged(ordered, page, size)
    reply.body = [client_dto(c) for c in reply.body]
    return reply


@route("POST", "/v1/workspaces/{workspaceId}/clients")
def create_client(req: Request) -> Reply:
    """Create a client (201); names are unique."""
    data = req.ws
    body = req.json_object()
    name = _check_client_name(data, body_str(body, "name"), "")
    client = req.state.add_client(
        data.id,
        name,
        email=body_str(body, "email"),
        address=body_str(body, "address"),
        note=body_str(body, "note"),
        currency_id=data.workspace.currency_id,
        currency_code=data.workspace.currency,
    )
    return Reply(201, client_dto(client))


@route("GET", "/v1/workspaces/{workspaceId}/clients/{id}")
def get_client(req: Request) -> Reply:
    """One client."""
    return Reply(200, client_dto(find_client(req.ws, req.params["id"])))


@route("PUT", "/v1/workspaces/{workspaceId}/clients/{id}")
def update_client(req: Request) -> Reply:
    """Replace a client: omitted fields are cleared, omitted ``archived`` un-archives."""
    data = req.ws
    client = find_client(data, req.params["id"])
    body = req.json_object()
    client.name = _check_client_name(data, body_str(body, "name"), client.id)
    client.archived = bool(body_bool(body, "archived"))
    client.email = body_str(body, "email")
    client.address = body_str(body, "address")
    client.note = body_str(body, "note")
    client.cc_emails = body_str_list(body, "ccEmails")
    client.currency_id = body_str(body, "currencyId") or data.workspace.currency_id
    if client.archived and req.boolean("archive-projects", False):
        for project in data.projects.values():
            if project.client_id == client.id:
                project.archived = True
                if req.boolean("mark-tasks-as-done", False):
                    for task in data.tasks.values():
                        if task.project_id == project.id:
                            task.status = "DONE"
    req.state.touch()
    return Reply(200, client_dto(client))


@route("DELETE", "/v1/workspaces/{workspaceId}/clients/{id}")
def delete_client(req: Request) -> Reply:
    """Delete an archived client (400 while active); its projects lose the client."""
    data = req.ws
    client = find_client(data, req.params["id"])
    if not client.archived:
        raise ApiError(400, "Cannot delete an active client", 501)
    for project in data.projects.values():
        if project.client_id == client.id:
            project.client_id = ""
    del data.clients[client.id]
    req.state.touch()
    return Reply(200, client_dto(client))


# --- tags --------------------------------------------------------------------------------


def _check_tag_name(data: WorkspaceData, name: str | None, own_id: str) -> str:
    if name is None or not name.strip():
        raise ApiError(400, "Tag name is required", 501)
    if len(name) > 100:
        raise ApiError(400, "Tag name can't be longer than 100 characters", 501)
    for other in data.tags.values():
        if other.id != own_id and other.name.lower() == name.strip().lower():
            raise ApiError(400, f"Tag with name '{name.strip()}' already exists", 501)
    return name.strip()


@route("GET", "/v1/workspaces/{workspaceId}/tags")
def list_tags(req: Request) -> Reply:
    """Tags filtered by name, ``excluded-ids`` and ``archived`` (omitted = both); paged."""
    data = req.ws
    name = req.first("name")
    strict = bool(req.boolean("strict-name-search", False))
    excluded = set(req.many("excluded-ids"))
    archived = _archived_filter(req)
    page, size = page_params(req)
    found = [
        t
        for t in data.tags.values()
        if t.id not in excluded
        and _name_matches(t.name, name, strict=strict)
        and _tri_state(archived, t.archived)
    ]
    ordered = _sorted(found, req, {"NAME": lambda t: (t.name.lower(), t.id), "ID": lambda t: t.id})
    reply = paged(ordered, page, size)
    reply.body = [tag_dto(t) for t in reply.body]
    return reply


@route("POST", "/v1/workspaces/{workspaceId}/tags")
def create_tag(req: Request) -> Reply:
    """Create a tag (201); names are unique."""
    data = req.ws
    body = req.json_object()
    name = _check_tag_name(data, body_str(body, "name"), "")
    return Reply(201, tag_dto(req.state.add_tag(data.id, name)))


@route("GET", "/v1/workspaces/{workspaceId}/tags/{id}")
def get_tag(req: Request) -> Reply:
    """One tag."""
    return Reply(200, tag_dto(find_tag(req.ws, req.params["id"])))


@route("PUT", "/v1/workspaces/{workspaceId}/tags/{id}")
def update_tag(req: Request) -> Reply:
    """Replace a tag: an omitted ``archived`` un-archives it (observed live)."""
    data = req.ws
    tag = find_tag(data, req.params["id"])
    body = req.json_object()
    tag.name = _check_tag_name(data, body_str(body, "name"), tag.id)
    tag.archived = bool(body_bool(body, "archived"))
    req.state.touch()
    return Reply(200, tag_dto(tag))


@route("DELETE", "/v1/workspaces/{workspaceId}/tags/{id}")
def delete_tag(req: Request) -> Reply:
    """Delete a tag (200 with the tag); entries drop it from ``tagIds``."""
    data = req.ws
    tag = find_tag(data, req.params["id"])
    for entry in data.entries.values():
        if entry.tag_ids and tag.id in entry.tag_ids:
            entry.tag_ids = [t for t in entry.tag_ids if t != tag.id]
    del data.tags[tag.id]
    req.state.touch()
    return Reply(200, tag_dto(tag))


# --- custom fields -----------------------------------------------------------------------


def _custom_fields(req: Request) -> list[CustomField]:
    data = req.ws
    if "CUSTOM_FIELDS" not in data.workspace.features:
        # A Free workspace has no custom fields feature; reported as a 403 (FACTS §3).
        raise ApiError(403, "Feature not available on your current plan", 403)
    name = req.first("name")
    status = req.first("status")
    entity_type = req.first("entity-type")
    return [
        f
        for f in data.custom_fields.values()
        if _name_matches(f.name, name, strict=False)
        and (not status or f.status == status.upper())
        and (not entity_type or f.entity_type == entity_type.upper())
    ]


@route("GET", "/v1/workspaces/{workspaceId}/custom-fields")
def list_custom_fields(req: Request) -> Reply:
    """All custom fields; ignores paging and sends no ``Last-Page`` (FACTS §2)."""
    return Reply(200, [custom_field_dto(f, req.ws) for f in _custom_fields(req)])


@route("GET", "/v1/workspaces/{workspaceId}/projects/{projectId}/custom-fields")
def list_project_custom_fields(req: Request) -> Reply:
    """The custom fields as seen from one project; ignores paging."""
    find_project(req.ws, req.params["projectId"])
    return Reply(200, [custom_field_dto(f, req.ws) for f in _custom_fields(req)])
