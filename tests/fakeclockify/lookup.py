"""Finding records by id the way Clockify reports a miss.

An unknown id inside a real workspace is never a 404 on the live API: it is a 400 with code 501
and ``<Thing> doesn't belong to Workspace``, whether the id never existed or was deleted
(probed live; FACTS §3 records it for projects).
"""

from __future__ import annotations

from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import Client, Entry, Project, Tag, Task, WorkspaceData

__all__ = [
    "ADMIN_ROLES",
    "find_client",
    "find_entry",
    "find_project",
    "find_tag",
    "find_task",
    "is_admin",
    "not_in_workspace",
]

ADMIN_ROLES = frozenset({"OWNER", "WORKSPACE_ADMIN"})


def not_in_workspace(thing: str) -> ApiError:
    """The live API's answer for an id that is not in this workspace."""
    return ApiError(400, f"{thing} doesn't belong to Workspace", 501)


def find_project(data: WorkspaceData, project_id: str) -> Project:
    """A project of the workspace, or Clockify's 400/501."""
    project = data.projects.get(project_id)
    if project is None:
        raise not_in_workspace("Project")
    return project


def find_task(data: WorkspaceData, project: Project, task_id: str) -> Task:
    """A task of the project, or Clockify's 400/501."""
    task = data.tasks.get(task_id)
    if task is None or task.project_id != project.id:
        raise ApiError(400, "Task doesn't belong to Project", 501)
    return task


def find_client(data: WorkspaceData, client_id: str) -> Client:
    """A client of the workspace, or Clockify's 400/501."""
    client = data.clients.get(client_id)
    if client is None:
        raise not_in_workspace("Client")
    return client


def find_tag(data: WorkspaceData, tag_id: str) -> Tag:
    """A tag of the workspace, or Clockify's 400/501."""
    tag = data.tags.get(tag_id)
    if tag is None:
        raise not_in_workspace("Tag")
    return tag


def find_entry(data: WorkspaceData, entry_id: str) -> Entry:
    """A time entry of the workspace, or Clockify's 400/501 (never 404)."""
    entry = data.entries.get(entry_id)
    if entry is None:
        raise not_in_workspace("Time entry")
    return entry


def is_admin(data: WorkspaceData, user_id: str) -> bool:
    """Whether the user may act on other members' time in this workspace."""
    member = data.workspace.members.get(user_id)
    return member is not None and bool(ADMIN_ROLES.intersection(member.roles))
