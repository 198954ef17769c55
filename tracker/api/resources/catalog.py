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
from tracker.api.resources.base import Collection
from tracker.api.session import ApiSession

__all__ = [
    "ClientsResource",
    "CustomFieldsResource",
    "ProjectsResource",
    "TagsResource",
    "TasksResource",
]


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
        return self._items.iterate(_path(workspace_id), params, page_size, rejects)

    async def get(self, workspace_id: str, project_id: str) -> Project:
        """One project."""
        return await self._items.get(_path(workspace_id, project_id))

    async def create(self, workspace_id: str, project: ProjectCreate) -> Project:
        """Create a project. Not retried blindly: the caller reconciles an unclear outcome."""
        return await self._items.send("POST", _path(workspace_id), project.body())

    async def update(self, workspace_id: str, project_id: str, changes: ProjectUpdate) -> Project:
        """Change a project's fields."""
        return await self._items.send("PUT", _path(workspace_id, project_id), changes.body())

    async def archive(
        self, workspace_id: str, project_id: str, *, archived: bool = True
    ) -> Project:
        """Archive (or restore) a project; Clockify has no separate archive route."""
        return await self.update(workspace_id, project_id, ProjectUpdate(archived=archived))

    async def delete(self, workspace_id: str, project_id: str) -> None:
        """Delete a project; Clockify requires it to be archived first."""
        await self._items.delete(_path(workspace_id, project_id))


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
        return self._items.iterate(_path(workspace_id, project_id, "tasks"), params, page_size)

    async def get(self, workspace_id: str, project_id: str, task_id: str) -> Task:
        """One task."""
        return await self._items.get(_path(workspace_id, project_id, "tasks", task_id))

    async def create(self, workspace_id: str, project_id: str, task: TaskCreate) -> Task:
        """Create a task."""
        path = _path(workspace_id, project_id, "tasks")
        return await self._items.send("POST", path, task.body())

    async def update(
        self, workspace_id: str, project_id: str, task_id: str, task: TaskUpdate
    ) -> Task:
        """Replace a task's fields (``name`` is required by the API)."""
        path = _path(workspace_id, project_id, "tasks", task_id)
        return await self._items.send("PUT", path, task.body())

    async def archive(self, workspace_id: str, project_id: str, task: Task) -> Task:
        """Mark a task done, Clockify's way of archiving it."""
        done = TaskUpdate(name=task.name, status="DONE")
        return await self.update(workspace_id, project_id, task.id, done)

    async def delete(self, workspace_id: str, project_id: str, task_id: str) -> None:
        """Delete a task; Clockify requires it to be done first."""
        await self._items.delete(_path(workspace_id, project_id, "tasks", task_id))


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
        path = _path(workspace_id, kind="clients")
        return self._items.iterate(path, params, page_size, rejects)

    async def get(self, workspace_id: str, client_id: str) -> Client:
        """One client."""
        return await self._items.get(_path(workspace_id, client_id, kind="clients"))

    async def create(self, workspace_id: str, client: ClientCreate) -> Client:
        """Create a client."""
        return await self._items.send("POST", _path(workspace_id, kind="clients"), client.body())

    async def update(self, workspace_id: str, client_id: str, client: ClientUpdate) -> Client:
        """Replace a client (omitted ``ccEmails`` are cleared, so send the whole client)."""
        path = _path(workspace_id, client_id, kind="clients")
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
        await self._items.delete(_path(workspace_id, client_id, kind="clients"))


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
        return self._items.iterate(_path(workspace_id, kind="tags"), params, page_size, rejects)

    async def get(self, workspace_id: str, tag_id: str) -> Tag:
        """One tag."""
        return await self._items.get(_path(workspace_id, tag_id, kind="tags"))

    async def create(self, workspace_id: str, name: str) -> Tag:
        """Create a tag."""
        body = TagCreate(name=name).body()
        return await self._items.send("POST", _path(workspace_id, kind="tags"), body)

    async def update(self, workspace_id: str, tag_id: str, tag: TagUpdate) -> Tag:
        """Replace a tag: ``archived`` is always sent, since leaving it out un-archives."""
        return await self._items.send("PUT", _path(workspace_id, tag_id, kind="tags"), tag.body())

    async def archive(self, workspace_id: str, tag: Tag, *, archived: bool = True) -> Tag:
        """Archive (or restore) a tag."""
        return await self.update(workspace_id, tag.id, TagUpdate(name=tag.name, archived=archived))

    async def delete(self, workspace_id: str, tag_id: str) -> None:
        """Delete a tag."""
        await self._items.delete(_path(workspace_id, tag_id, kind="tags"))


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
            _path(workspace_id, kind="custom-fields"),
            params={"name": name, "status": status, "entity-type": entity_type},
        )
        return decode_list(CustomField, data, what="custom fields", rejects=rejects)

    async def of_project(self, workspace_id: str, project_id: str) -> builtins.list[CustomField]:
        """The custom fields as a project sets them (its defaults and visibility)."""
        data, _ = await self._session.get_json(_path(workspace_id, project_id, "custom-fields"))
        return decode_list(CustomField, data, what="custom fields")


def _path(workspace_id: str, *parts: str, kind: str = "projects") -> str:
    """``/v1/workspaces/{ws}/{kind}/{parts...}``."""
    return "/".join((f"/v1/workspaces/{workspace_id}/{kind}", *parts))
