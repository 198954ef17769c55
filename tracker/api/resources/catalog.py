"""Projects, tasks, clients, tags and custom fields."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence

from tracker.api.models import (
    Client,
    ClientCreate,
    ClientUpdate,
    CustomField,
    Project,
    ProjectCreate,
    ProjectUpdate,
    Tag,
    TagCreate,
    TagUpdate,
    Task,
    TaskCreate,
    TaskUpdate,
    decode_list,
)
from tracker.api.models.base import Rejected
from tracker.api.pagination import DEFAULT_PAGE_SIZE
from tracker.api.paths import api_path
from tracker.api.resources.base import Collection
from tracker.api.session import ApiSession

__all__ = [
    "ClientsResource",
    "CustomFieldsResource",
    "ProjectsResource",
    "TagsResource",
    "TasksResource",
]


_WORKSPACE = "/v1/workspaces/{workspace_id}"
_PROJECTS = _WORKSPACE + "/projects"
_PROJECT = _PROJECTS + "/{project_id}"
_TASKS = _PROJECT + "/tasks"
_TASK = _TASKS + "/{task_id}"
_CLIENTS = _WORKSPACE + "/clients"
_CLIENT = _CLIENTS + "/{client_id}"
_TAGS = _WORKSPACE + "/tags"
_TAG = _TAGS + "/{tag_id}"
_CUSTOM_FIELDS = _WORKSPACE + "/custom-fields"


class ProjectsResource:
    """``/v1/workspaces/{ws}/projects``."""

    def __init__(self, session: ApiSession) -> None:
        self._items = Collection(session, Project, "project", "projects")

    def list(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        strict_name_search: bool | None = None,
        archived: bool | None = None,
        billable: bool | None = None,
        clients: Sequence[str] | None = None,
        hydrated: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        rejects: builtins.list[Rejected] | None = None,
    ) -> AsyncIterator[Project]:
        """Projects. ``archived=None`` gives active *and* archived ones (FACTS §6).

        ``hydrated=True`` adds each project's tasks, so a workspace's projects and tasks
        cost one request per page instead of one more per project.
        """
        params = {
            "hydrated": hydrated,
            "name": name,
            "strict-name-search": strict_name_search,
            "archived": archived,
            "billable": billable,
            "clients": clients,
        }
        return self._items.iterate(_path(_PROJECTS, workspace_id), params, page_size, rejects)

    async def get(self, workspace_id: str, project_id: str) -> Project:
        """One project."""
        return await self._items.get(_path(_PROJECT, workspace_id, project_id=project_id))

    async def create(self, workspace_id: str, project: ProjectCreate) -> Project:
        """Create a project. Not retried blindly: the caller reconciles an unclear outcome."""
        return await self._items.send("POST", _path(_PROJECTS, workspace_id), project.body())

    async def update(self, workspace_id: str, project_id: str, changes: ProjectUpdate) -> Project:
        """Change a project's fields."""
        return await self._items.send(
            "PUT", _path(_PROJECT, workspace_id, project_id=project_id), changes.body()
        )

    async def archive(
        self, workspace_id: str, project_id: str, *, archived: bool = True
    ) -> Project:
        """Archive (or restore) a project; Clockify has no separate archive route."""
        return await self.update(workspace_id, project_id, ProjectUpdate(archived=archived))

    async def delete(self, workspace_id: str, project_id: str) -> None:
        """Delete a project; Clockify requires it to be archived first."""
        await self._items.delete(_path(_PROJECT, workspace_id, project_id=project_id))


class TasksResource:
    """``/v1/workspaces/{ws}/projects/{p}/tasks``."""

    def __init__(self, session: ApiSession) -> None:
        self._items = Collection(session, Task, "task", "tasks")

    def list(
        self,
        workspace_id: str,
        project_id: str,
        *,
        name: str | None = None,
        is_active: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[Task]:
        """Tasks of a project; ``is_active=True`` leaves out the done ones."""
        params = {"name": name, "is-active": is_active}
        return self._items.iterate(
            _path(_TASKS, workspace_id, project_id=project_id), params, page_size
        )

    async def get(self, workspace_id: str, project_id: str, task_id: str) -> Task:
        """One task."""
        return await self._items.get(
            _path(_TASK, workspace_id, project_id=project_id, task_id=task_id)
        )

    async def create(self, workspace_id: str, project_id: str, task: TaskCreate) -> Task:
        """Create a task."""
        path = _path(_TASKS, workspace_id, project_id=project_id)
        return await self._items.send("POST", path, task.body())

    async def update(
        self, workspace_id: str, project_id: str, task_id: str, task: TaskUpdate
    ) -> Task:
        """Replace a task's fields (``name`` is required by the API)."""
        path = _path(_TASK, workspace_id, project_id=project_id, task_id=task_id)
        return await self._items.send("PUT", path, task.body())

    async def archive(self, workspace_id: str, project_id: str, task: Task) -> Task:
        """Mark a task done, Clockify's way of archiving it."""
        done = TaskUpdate(name=task.name, status="DONE")
        return await self.update(workspace_id, project_id, task.id, done)

    async def delete(self, workspace_id: str, project_id: str, task_id: str) -> None:
        """Delete a task; Clockify requires it to be done first."""
        await self._items.delete(_path(_TASK, workspace_id, project_id=project_id, task_id=task_id))


class ClientsResource:
    """``/v1/workspaces/{ws}/clients``."""

    def __init__(self, session: ApiSession) -> None:
        self._items = Collection(session, Client, "client", "clients")

    def list(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        archived: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        rejects: builtins.list[Rejected] | None = None,
    ) -> AsyncIterator[Client]:
        """Clients; ``archived=None`` gives both."""
        params = {"name": name, "archived": archived}
        return self._items.iterate(_path(_CLIENTS, workspace_id), params, page_size, rejects)

    async def get(self, workspace_id: str, client_id: str) -> Client:
        """One client."""
        return await self._items.get(_path(_CLIENT, workspace_id, client_id=client_id))

    async def create(self, workspace_id: str, client: ClientCreate) -> Client:
        """Create a client."""
        return await self._items.send("POST", _path(_CLIENTS, workspace_id), client.body())

    async def update(self, workspace_id: str, client_id: str, client: ClientUpdate) -> Client:
        """Replace a client (omitted ``ccEmails`` are cleared, so send the whole client)."""
        path = _path(_CLIENT, workspace_id, client_id=client_id)
        return await self._items.send("PUT", path, client.body())

    async def archive(self, workspace_id: str, client: Client, *, archived: bool = True) -> Client:
        """Archive (or restore) a client, keeping its other fields."""
        whole = ClientUpdate(
            name=client.name,
            archived=archived,
            email=client.email or None,
            address=client.address,
            note=client.note,
            currency_id=client.currency_id,
            cc_emails=list(client.cc_emails),
        )
        return await self.update(workspace_id, client.id, whole)

    async def delete(self, workspace_id: str, client_id: str) -> None:
        """Delete a client; Clockify requires it to be archived first."""
        await self._items.delete(_path(_CLIENT, workspace_id, client_id=client_id))


class TagsResource:
    """``/v1/workspaces/{ws}/tags``."""

    def __init__(self, session: ApiSession) -> None:
        self._items = Collection(session, Tag, "tag", "tags")

    def list(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        archived: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        rejects: builtins.list[Rejected] | None = None,
    ) -> AsyncIterator[Tag]:
        """Tags; ``archived=None`` gives both."""
        params = {"name": name, "archived": archived}
        return self._items.iterate(_path(_TAGS, workspace_id), params, page_size, rejects)

    async def get(self, workspace_id: str, tag_id: str) -> Tag:
        """One tag."""
        return await self._items.get(_path(_TAG, workspace_id, tag_id=tag_id))

    async def create(self, workspace_id: str, name: str) -> Tag:
        """Create a tag."""
        body = TagCreate(name=name).body()
        return await self._items.send("POST", _path(_TAGS, workspace_id), body)

    async def update(self, workspace_id: str, tag_id: str, tag: TagUpdate) -> Tag:
        """Replace a tag: ``archived`` is always sent, since leaving it out un-archives."""
        return await self._items.send("PUT", _path(_TAG, workspace_id, tag_id=tag_id), tag.body())

    async def archive(self, workspace_id: str, tag: Tag, *, archived: bool = True) -> Tag:
        """Archive (or restore) a tag."""
        return await self.update(workspace_id, tag.id, TagUpdate(name=tag.name, archived=archived))

    async def delete(self, workspace_id: str, tag_id: str) -> None:
        """Delete a tag."""
        await self._items.delete(_path(_TAG, workspace_id, tag_id=tag_id))


class CustomFieldsResource:
    """``/v1/workspaces/{ws}/custom-fields`` (these lists ignore paging)."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    async def list(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        status: str | None = None,
        entity_type: str | None = None,
        rejects: builtins.list[Rejected] | None = None,
    ) -> builtins.list[CustomField]:
        """The workspace's custom fields (unreadable ones go to ``rejects`` when given)."""
        data, _ = await self._session.get_json(
            _path(_CUSTOM_FIELDS, workspace_id),
            params={"name": name, "status": status, "entity-type": entity_type},
        )
        return decode_list(CustomField, data, what="custom fields", rejects=rejects)

    async def of_project(self, workspace_id: str, project_id: str) -> builtins.list[CustomField]:
        """The custom fields as a project sets them (its defaults and visibility)."""
        data, _ = await self._session.get_json(
            _path(_PROJECT + "/custom-fields", workspace_id, project_id=project_id)
        )
        return decode_list(CustomField, data, what="custom fields")


def _path(template: str, workspace_id: str, **ids: str) -> str:
    """A path of the workspace's catalog, built (and its ids checked) by :func:`api_path`."""
    return api_path(template, workspace_id=workspace_id, **ids)
