"""Administering projects: members and their rates, estimates, templates, tasks with their
rates, and custom-field definitions with each project's own settings of them.

Clients and tags are administered through :mod:`tracker.api.resources.catalog`, whose
``PUT`` bodies are already built whole (FACTS §6: both are full replaces).
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence

from tracker.api.models import decode, decode_list
from tracker.api.models.admin_projects import (
    EstimateChange,
    FieldCreate,
    FieldDefinition,
    FieldUpdate,
    FromTemplate,
    MembersChange,
    MembershipsReplace,
    ProjectFieldChange,
    ProjectRecord,
    RateWrite,
    TaskRecord,
    TaskWrite,
    TemplateFlag,
)
from tracker.api.models.catalog import ProjectCreate, ProjectUpdate
from tracker.api.pagination import DEFAULT_PAGE_SIZE
from tracker.api.paths import api_path
from tracker.api.resources.base import Collection
from tracker.api.session import ApiSession

__all__ = ["AdminProjectsResource"]

_WORKSPACE = "/v1/workspaces/{workspace_id}"
_PROJECTS = _WORKSPACE + "/projects"
_PROJECT = _PROJECTS + "/{project_id}"
_TASKS = _PROJECT + "/tasks"
_TASK = _TASKS + "/{task_id}"
_FIELDS = _WORKSPACE + "/custom-fields"
_FIELD = _FIELDS + "/{field_id}"

RateKind = str
"""``hourly-rate`` or ``cost-rate``: the last part of a rate path."""


def _rate_path(kind: RateKind) -> str:
    if kind not in ("hourly-rate", "cost-rate"):
        raise ValueError(f"not a rate: {kind}")
    return kind


class AdminProjectsResource:
    """Everything an owner, admin or project manager changes on projects."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session
        self._projects = Collection(session, ProjectRecord, "project", "projects")
        self._tasks = Collection(session, TaskRecord, "task", "tasks")
        self._fields = Collection(session, FieldDefinition, "custom field", "custom fields")

    # --- projects ------------------------------------------------------------------------

    def projects(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        archived: bool | None = None,
        is_template: bool | None = None,
        clients: Sequence[str] | None = None,
        users: Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[ProjectRecord]:
        """Projects with their tasks (``hydrated``: one request per page brings both);
        ``archived=None`` lists active and archived ones (FACTS §6)."""
        params = {
            "hydrated": True,
            "name": name,
            "archived": archived,
            "is-template": is_template,
            "clients": clients,
            "users": users,
        }
        return self._projects.iterate(_path(_PROJECTS, workspace_id), params, page_size)

    async def project(self, workspace_id: str, project_id: str) -> ProjectRecord:
        """One project with its tasks."""
        path = _path(_PROJECT, workspace_id, project_id=project_id)
        return await self._projects.get(path, {"hydrated": True})

    async def create(self, workspace_id: str, body: ProjectCreate) -> ProjectRecord:
        """Create a project (not retried: the caller looks for it by name when unclear)."""
        return await self._projects.send("POST", _path(_PROJECTS, workspace_id), body.body())

    async def update(
        self, workspace_id: str, project_id: str, body: ProjectUpdate
    ) -> ProjectRecord:
        """Change a project's fields; ``archived`` here is the only archive (FACTS §6)."""
        path = _path(_PROJECT, workspace_id, project_id=project_id)
        return await self._projects.send("PUT", path, body.body())

    async def delete(self, workspace_id: str, project_id: str) -> None:
        """Delete an archived project."""
        await self._projects.delete(_path(_PROJECT, workspace_id, project_id=project_id))

    async def replace_members(
        self, workspace_id: str, project_id: str, body: MembershipsReplace
    ) -> ProjectRecord:
        """Set the project's whole member list, each with their rates."""
        path = _path(_PROJECT + "/memberships", workspace_id, project_id=project_id)
        return await self._projects.send("PATCH", path, body.body())

    async def change_members(self, workspace_id: str, project_id: str, body: MembersChange) -> None:
        """Add people to the project (or take them off); the spec promises no body."""
        path = _path(_PROJECT + "/memberships", workspace_id, project_id=project_id)
        await self._session.send_json("POST", path, json_body=body.body())

    async def member_rate(
        self, workspace_id: str, project_id: str, user_id: str, kind: RateKind, amount: int
    ) -> ProjectRecord:
        """A member's ``hourly-rate`` or ``cost-rate`` on this project (cents)."""
        template = _PROJECT + "/users/{user_id}/" + _rate_path(kind)
        path = _path(template, workspace_id, project_id=project_id, user_id=user_id)
        return await self._projects.send("PUT", path, RateWrite(amount=amount).body())

    async def estimate(
        self, workspace_id: str, project_id: str, body: EstimateChange
    ) -> ProjectRecord:
        """Change the time and/or budget estimate."""
        path = _path(_PROJECT + "/estimate", workspace_id, project_id=project_id)
        return await self._projects.send("PATCH", path, body.body())

    async def template(self, workspace_id: str, project_id: str, *, on: bool) -> ProjectRecord:
        """Make the project a template, or an ordinary project again."""
        path = _path(_PROJECT + "/template", workspace_id, project_id=project_id)
        return await self._projects.send("PATCH", path, TemplateFlag(is_template=on).body())

    async def from_template(self, workspace_id: str, body: FromTemplate) -> ProjectRecord:
        """Create a project from a template (its tasks, estimates and members copied)."""
        path = _path(_PROJECTS + "/from-template", workspace_id)
        return await self._projects.send("POST", path, body.body())

    # --- tasks ---------------------------------------------------------------------------

    def tasks(
        self, workspace_id: str, project_id: str, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[TaskRecord]:
        """A project's tasks, active and done."""
        path = _path(_TASKS, workspace_id, project_id=project_id)
        return self._tasks.iterate(path, {}, page_size)

    async def create_task(self, workspace_id: str, project_id: str, body: TaskWrite) -> TaskRecord:
        """Create a task."""
        path = _path(_TASKS, workspace_id, project_id=project_id)
        return await self._tasks.send("POST", path, body.body())

    async def update_task(
        self, workspace_id: str, project_id: str, task_id: str, body: TaskWrite
    ) -> TaskRecord:
        """Change a task (``name`` is required; other fields left out keep their values)."""
        path = _path(_TASK, workspace_id, project_id=project_id, task_id=task_id)
        return await self._tasks.send("PUT", path, body.body())

    async def delete_task(self, workspace_id: str, project_id: str, task_id: str) -> None:
        """Delete a done task."""
        await self._tasks.delete(_path(_TASK, workspace_id, project_id=project_id, task_id=task_id))

    async def task_rate(
        self, workspace_id: str, project_id: str, task_id: str, kind: RateKind, amount: int
    ) -> TaskRecord:
        """A task's ``hourly-rate`` or ``cost-rate`` (cents)."""
        template = _TASK + "/" + _rate_path(kind)
        path = _path(template, workspace_id, project_id=project_id, task_id=task_id)
        return await self._tasks.send("PUT", path, RateWrite(amount=amount).body())

    # --- custom fields -------------------------------------------------------------------

    async def fields(self, workspace_id: str) -> builtins.list[FieldDefinition]:
        """Every custom field (this list ignores paging, FACTS §2)."""
        data, _ = await self._session.get_json(_path(_FIELDS, workspace_id))
        return decode_list(FieldDefinition, data, what="custom fields")

    async def create_field(self, workspace_id: str, body: FieldCreate) -> FieldDefinition:
        """Define a custom field."""
        data = await self._session.send_json(
            "POST", _path(_FIELDS, workspace_id), json_body=body.body()
        )
        return decode(FieldDefinition, data, what="custom field")

    async def update_field(
        self, workspace_id: str, field_id: str, body: FieldUpdate
    ) -> FieldDefinition:
        """Replace a custom field's definition."""
        path = _path(_FIELD, workspace_id, field_id=field_id)
        return await self._fields.send("PUT", path, body.body())

    async def delete_field(self, workspace_id: str, field_id: str) -> None:
        """Delete a custom field."""
        await self._fields.delete(_path(_FIELD, workspace_id, field_id=field_id))

    async def project_field(
        self, workspace_id: str, project_id: str, field_id: str, body: ProjectFieldChange
    ) -> FieldDefinition:
        """A project's own default value and visibility of a field."""
        template = _PROJECT + "/custom-fields/{field_id}"
        path = _path(template, workspace_id, project_id=project_id, field_id=field_id)
        return await self._fields.send("PATCH", path, body.body())

    async def remove_project_field(
        self, workspace_id: str, project_id: str, field_id: str
    ) -> FieldDefinition:
        """Take a field off a project."""
        template = _PROJECT + "/custom-fields/{field_id}"
        path = _path(template, workspace_id, project_id=project_id, field_id=field_id)
        data = await self._session.send_json("DELETE", path)
        return decode(FieldDefinition, data, what="custom field")


def _path(template: str, workspace_id: str, **ids: str) -> str:
    """A path with its ids checked by :func:`api_path`."""
    return api_path(template, workspace_id=workspace_id, **ids)
