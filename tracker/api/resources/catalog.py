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
    decode,
    decode_list,
)
from tracker.api.pagination import DEFAULT_PAGE_SIZE, iterate_items
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
        self._session = session

    def list(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        strict_name_search: bool | None = None,
        archived: bool | None = None,
        billable: bool | None = None,
        clients: Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[Project]:
        """Projects. ``archived=None`` gives active *and* archived ones (FACTS §6)."""
        return iterate_items(
            self._session,
            f"/v1/workspaces/{workspace_id}/projects",
            Project,
            what="projects",
            params={
                "name": name,
                "strict-name-search": strict_name_search,
                "archived": archived,
                "billable": billable,
                "clients": clients,
            },
            page_size=page_size,
        )

    async def get(self, workspace_id: str, project_id: str) -> Project:
        """One project."""
        data, _ = await self._session.get_json(
            f"/v1/workspaces/{workspace_id}/projects/{project_id}"
        )
        return decode(Project, data, what="project")

    async def create(self, workspace_id: str, project: ProjectCreate) -> Project:
        """Create a project. Not retried blindly: the caller reconciles an unclear outcome."""
        data = await self._session.send_json(
            "POST", f"/v1/workspaces/{workspace_id}/projects", json_body=project.body()
        )
        return decode(Project, data, what="project")

    async def update(self, workspace_id: str, project_id: str, changes: ProjectUpdate) -> Project:
        """Change a project's fields."""
        data = await self._session.send_json(
            "PUT",
            f"/v1/workspaces/{workspace_id}/projects/{project_id}",
            json_body=changes.body(),
        )
        return decode(Project, data, what="project")

    async def archive(
        self, workspace_id: str, project_id: str, *, archived: bool = True
    ) -> Project:
        """Archive (or restore) a project; Clockify has no separate archive route."""
        return await self.update(workspace_id, project_id, ProjectUpdate(archived=archived))

    async def delete(self, workspace_id: str, project_id: str) -> None:
        """Delete a project; Clockify requires it to be archived first."""
        await self._session.send_json(
            "DELETE", f"/v1/workspaces/{workspace_id}/projects/{project_id}"
        )


class TasksResource:
    """``/v1/workspaces/{ws}/projects/{p}/tasks``."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

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
        return iterate_items(
            self._session,
            f"/v1/workspaces/{workspace_id}/projects/{project_id}/tasks",
            Task,
            what="tasks",
            params={"name": name, "is-active": is_active},
            page_size=page_size,
        )

    async def get(self, workspace_id: str, project_id: str, task_id: str) -> Task:
        """One task."""
        data, _ = await self._session.get_json(
            f"/v1/workspaces/{workspace_id}/projects/{project_id}/tasks/{task_id}"
        )
        return decode(Task, data, what="task")

    async def create(self, workspace_id: str, project_id: str, task: TaskCreate) -> Task:
        """Create a task."""
        data = await self._session.send_json(
            "POST",
            f"/v1/workspaces/{workspace_id}/projects/{project_id}/tasks",
            json_body=task.body(),
        )
        return decode(Task, data, what="task")

    async def update(
        self, workspace_id: str, project_id: str, task_id: str, task: TaskUpdate
    ) -> Task:
        """Replace a task's fields (``name`` is required by the API)."""
        data = await self._session.send_json(
            "PUT",
            f"/v1/workspaces/{workspace_id}/projects/{project_id}/tasks/{task_id}",
            json_body=task.body(),
        )
        return decode(Task, data, what="task")

    async def archive(self, workspace_id: str, project_id: str, task: Task) -> Task:
        """Mark a task done, Clockify's way of archiving it."""
        return await self.update(
            workspace_id, project_id, task.id, TaskUpdate(name=task.name, status="DONE")
        )

    async def delete(self, workspace_id: str, project_id: str, task_id: str) -> None:
        """Delete a task; Clockify requires it to be done first."""
        await self._session.send_json(
            "DELETE", f"/v1/workspaces/{workspace_id}/projects/{project_id}/tasks/{task_id}"
        )


class ClientsResource:
    """``/v1/workspaces/{ws}/clients``."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def list(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        archived: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[Client]:
        """Clients; ``archived=None`` gives both."""
        return iterate_items(
            self._session,
            f"/v1/workspaces/{workspace_id}/clients",
            Client,
            what="clients",
            params={"name": name, "archived": archived},
            page_size=page_size,
        )

    async def get(self, workspace_id: str, client_id: str) -> Client:
        """One client."""
        data, _ = await self._session.get_json(f"/v1/workspaces/{workspace_id}/clients/{client_id}")
        return decode(Client, data, what="client")

    async def create(self, workspace_id: str, client: ClientCreate) -> Client:
        """Create a client."""
        data = await self._session.send_json(
            "POST", f"/v1/workspaces/{workspace_id}/clients", json_body=client.body()
        )
        return decode(Client, data, what="client")

    async def update(self, workspace_id: str, client_id: str, client: ClientUpdate) -> Client:
        """Replace a client (omitted ``ccEmails`` are cleared, so send the whole client)."""
        data = await self._session.send_json(
            "PUT", f"/v1/workspaces/{workspace_id}/clients/{client_id}", json_body=client.body()
        )
        return decode(Client, data, what="client")

    async def archive(self, workspace_id: str, client: Client, *, archived: bool = True) -> Client:
        """Archive (or restore) a client, keeping its other fields."""
        return await self.update(workspace_id, client.id, _client_update(client, archived))

    async def delete(self, workspace_id: str, client_id: str) -> None:
        """Delete a client; Clockify requires it to be archived first."""
        await self._session.send_json(
            "DELETE", f"/v1/workspaces/{workspace_id}/clients/{client_id}"
        )


def _client_update(client: Client, archived: bool) -> ClientUpdate:
    return ClientUpdate(
        name=client.name,
        archived=archived,
        email=client.email or None,
        address=client.address,
        note=client.note,
        currency_id=client.currency_id,
        cc_emails=list(client.cc_emails),
    )


class TagsResource:
    """``/v1/workspaces/{ws}/tags``."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def list(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        archived: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[Tag]:
        """Tags; ``archived=None`` gives both."""
        return iterate_items(
            self._session,
            f"/v1/workspaces/{workspace_id}/tags",
            Tag,
            what="tags",
            params={"name": name, "archived": archived},
            page_size=page_size,
        )

    async def get(self, workspace_id: str, tag_id: str) -> Tag:
        """One tag."""
        data, _ = await self._session.get_json(f"/v1/workspaces/{workspace_id}/tags/{tag_id}")
        return decode(Tag, data, what="tag")

    async def create(self, workspace_id: str, name: str) -> Tag:
        """Create a tag."""
        data = await self._session.send_json(
            "POST", f"/v1/workspaces/{workspace_id}/tags", json_body=TagCreate(name=name).body()
        )
        return decode(Tag, data, what="tag")

    async def update(self, workspace_id: str, tag_id: str, tag: TagUpdate) -> Tag:
        """Replace a tag: ``archived`` is always sent, since leaving it out un-archives."""
        data = await self._session.send_json(
            "PUT", f"/v1/workspaces/{workspace_id}/tags/{tag_id}", json_body=tag.body()
        )
        return decode(Tag, data, what="tag")

    async def archive(self, workspace_id: str, tag: Tag, *, archived: bool = True) -> Tag:
        """Archive (or restore) a tag."""
        return await self.update(workspace_id, tag.id, TagUpdate(name=tag.name, archived=archived))

    async def delete(self, workspace_id: str, tag_id: str) -> None:
        """Delete a tag."""
        await self._session.send_json("DELETE", f"/v1/workspaces/{workspace_id}/tags/{tag_id}")


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
    ) -> builtins.list[CustomField]:
        """The workspace's custom fields."""
        data, _ = await self._session.get_json(
            f"/v1/workspaces/{workspace_id}/custom-fields",
            params={"name": name, "status": status, "entity-type": entity_type},
        )
        return decode_list(CustomField, data, what="custom fields")

    async def of_project(self, workspace_id: str, project_id: str) -> builtins.list[CustomField]:
        """The custom fields as a project sets them (its defaults and visibility)."""
        data, _ = await self._session.get_json(
            f"/v1/workspaces/{workspace_id}/projects/{project_id}/custom-fields"
        )
        return decode_list(CustomField, data, what="custom fields")
