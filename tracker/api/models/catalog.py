"""Projects, tasks, clients, tags and custom fields: the reference data entries point at."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from tracker.api.models.account import Rate
from tracker.api.models.base import (
    IsoDuration,
    LenientText,
    NullableList,
    RequestModel,
    WireId,
    WireModel,
)

__all__ = [
    "Client",
    "ClientCreate",
    "ClientUpdate",
    "CustomField",
    "Estimate",
    "Project",
    "ProjectCreate",
    "ProjectUpdate",
    "Tag",
    "TagCreate",
    "TagUpdate",
    "Task",
    "TaskCreate",
    "TaskUpdate",
]

HexColor = str


class Estimate(WireModel):
    """A project's time estimate; ``estimate`` is an ISO duration."""

    estimate: IsoDuration | None = None
    type: LenientText = None


class Project(WireModel):
    """A project. ``clientId`` may be ``""`` and ``duration`` is ISO (FACTS §8)."""

    id: WireId
    name: str = ""
    workspace_id: str | None = None
    client_id: str | None = None
    client_name: str | None = None
    color: str | None = None
    billable: bool = False
    archived: bool = False
    public: bool | None = None
    template: bool | None = None
    note: str | None = None
    duration: IsoDuration | None = None
    estimate: Estimate | None = None
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None
    budget_estimate: Any = None
    tasks: list[Task] | None = None
    """Present when asked for ``hydrated=true``: one request brings projects and tasks."""

    @field_validator("client_id", mode="before")
    @classmethod
    def _blank_client_is_none(cls, value: Any) -> Any:
        return None if value == "" else value


class ProjectCreate(RequestModel):
    """Body of ``POST /projects``."""

    name: str = Field(min_length=2, max_length=250)
    client_id: str | None = None
    color: HexColor | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    billable: bool | None = None
    is_public: bool | None = None
    note: str | None = Field(default=None, max_length=16384)


class ProjectUpdate(RequestModel):
    """Body of ``PUT /projects/{id}``; also the only way to archive a project."""

    name: str | None = Field(default=None, min_length=2, max_length=250)
    client_id: str | None = None
    color: HexColor | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    billable: bool | None = None
    is_public: bool | None = None
    note: str | None = Field(default=None, max_length=16384)
    archived: bool | None = None


class Task(WireModel):
    """A task of a project; ``status`` is ``ACTIVE`` or ``DONE``."""

    id: WireId
    name: str = ""
    project_id: str | None = None
    status: LenientText = None
    estimate: IsoDuration | None = None
    duration: IsoDuration | None = None
    billable: bool | None = None
    assignee_ids: NullableList = Field(default_factory=list)
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None

    @field_validator("estimate", "duration", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @property
    def active(self) -> bool:
        """Whether time can be tracked on it."""
        return (self.status or "ACTIVE").upper() != "DONE"


class TaskCreate(RequestModel):
    """Body of ``POST /projects/{p}/tasks``."""

    name: str = Field(min_length=1, max_length=1000)
    assignee_ids: list[str] | None = None
    estimate: str | None = None
    status: Literal["ACTIVE", "DONE"] | None = None


class TaskUpdate(RequestModel):
    """Body of ``PUT /projects/{p}/tasks/{id}``; ``name`` is required by the API."""

    name: str = Field(min_length=1, max_length=1000)
    assignee_ids: list[str] | None = None
    estimate: str | None = None
    billable: bool | None = None
    status: Literal["ACTIVE", "DONE"] | None = None


class Client(WireModel):
    """A client."""

    id: WireId
    name: str = ""
    workspace_id: str | None = None
    archived: bool = False
    email: str | None = None
    address: str | None = None
    note: str | None = None
    cc_emails: NullableList = Field(default_factory=list)
    currency_id: str | None = None


class ClientCreate(RequestModel):
    """Body of ``POST /clients``."""

    name: str = Field(min_length=1, max_length=100)
    email: str | None = None
    address: str | None = Field(default=None, max_length=3000)
    note: str | None = Field(default=None, max_length=3000)


class ClientUpdate(RequestModel):
    """Body of ``PUT /clients/{id}``: a replace, so it is built from the whole client."""

    name: str = Field(min_length=1, max_length=100)
    archived: bool = False
    email: str | None = None
    address: str | None = Field(default=None, max_length=3000)
    note: str | None = Field(default=None, max_length=3000)
    currency_id: str | None = None
    cc_emails: list[str] | None = None


class Tag(WireModel):
    """A tag."""

    id: WireId
    name: str = ""
    workspace_id: str | None = None
    archived: bool = False


class TagCreate(RequestModel):
    """Body of ``POST /tags``."""

    name: str = Field(min_length=1, max_length=100)


class TagUpdate(RequestModel):
    """Body of ``PUT /tags/{id}``: a full replace; leaving ``archived`` out un-archives."""

    name: str = Field(min_length=1, max_length=100)
    archived: bool = False


class CustomField(WireModel):
    """A custom field definition; the required ones must be sent with every entry."""

    id: WireId
    name: str = ""
    workspace_id: str | None = None
    type: LenientText = None
    entity_type: LenientText = None
    status: LenientText = None
    required: bool = False
    allowed_values: NullableList = Field(default_factory=list)
    placeholder: str | None = None
    only_admin_can_edit: bool | None = None
    workspace_default_value: Any = None


Project.model_rebuild()
