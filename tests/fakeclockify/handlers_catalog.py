"""Routes for what entries point at besides projects: clients, tags and custom fields.

Rules reproduced from live observations (FACTS §6): the ``archived`` filter is three-valued
(omitted = both), a client must be archived before deletion, and a tag or client ``PUT``
replaces the whole record (an omitted ``archived`` un-archives). Projects and tasks are in
:mod:`tests.fakeclockify.handlers_projects`.
"""

from __future__ import annotations

from tests.fakeclockify.access import require_admin, require_feature
from tests.fakeclockify.listing import name_matches, sorted_by_request, tri_state
from tests.fakeclockify.lookup import find_client, find_project, find_tag
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import page_params, paged
from tests.fakeclockify.records import CustomField, WorkspaceData
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_str,
    body_str_list,
    route,
)
from tests.fakeclockify.views import client_dto, custom_field_dto, tag_dto

__all__: list[str] = []


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
        if name_matches(c.name, name, strict=False) and tri_state(archived, c.archived)
    ]
    ordered = sorted_by_request(
        found, req, {"NAME": lambda c: (c.name.lower(), c.id), "ID": lambda c: c.id}
    )
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
    require_admin(data, req.user.id)
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
    require_admin(data, req.user.id)
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
        and name_matches(t.name, name, strict=strict)
        and tri_state(archived, t.archived)
    ]
    ordered = sorted_by_request(
        found, req, {"NAME": lambda t: (t.name.lower(), t.id), "ID": lambda t: t.id}
    )
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
    require_admin(data, req.user.id)
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
    require_admin(data, req.user.id)
    for entry in data.entries.values():
        if entry.tag_ids and tag.id in entry.tag_ids:
            entry.tag_ids = [t for t in entry.tag_ids if t != tag.id]
    del data.tags[tag.id]
    req.state.touch()
    return Reply(200, tag_dto(tag))


# --- custom fields -----------------------------------------------------------------------


def _custom_fields(req: Request) -> list[CustomField]:
    data = req.ws
    # A Free workspace has no custom fields feature; reported as a 403 (FACTS §3).
    require_feature(data, "CUSTOM_FIELDS")
    name = req.first("name")
    status = req.first("status")
    entity_type = req.first("entity-type")
    return [
        f
        for f in data.custom_fields.values()
        if name_matches(f.name, name, strict=False)
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
