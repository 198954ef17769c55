"""Time entries as Clockify sends and takes them.

A running entry has ``timeInterval.end`` and ``duration`` both ``null`` (FACTS §5). Writes use
``customFields``: the read key ``customFieldValues`` is accepted by Clockify and silently
dropped, so it never appears in a request model here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import Field, field_validator

from tracker.api.models.account import Rate
from tracker.api.models.base import (
    Instant,
    IsoDuration,
    LenientText,
    NullableList,
    RequestModel,
    WireId,
    WireModel,
)
from tracker.api.models.catalog import Project, Tag, Task

__all__ = [
    "CustomFieldValue",
    "CustomFieldWrite",
    "EntryCreate",
    "EntryUpdate",
    "EntryUpdateWithId",
    "StopRequest",
    "TimeEntry",
    "TimeInterval",
]

EntryType = Literal["REGULAR", "BREAK"]


class TimeInterval(WireModel):
    """When an entry ran. ``end`` and ``duration`` are ``None`` while it runs."""

    start: Instant
    end: Instant | None = None
    duration: IsoDuration | None = None


class CustomFieldValue(WireModel):
    """A custom field's value on an entry: ``null``, a string, a number or a list."""

    custom_field_id: str
    name: str | None = None
    type: LenientText = None
    value: Any = None


class TimeEntry(WireModel):
    """A time entry (``TimeEntryDtoImplV1`` and its hydrated and rated variants)."""

    id: WireId
    description: str = ""
    user_id: str | None = None
    workspace_id: str | None = None
    project_id: str | None = None
    task_id: str | None = None
    tag_ids: NullableList = Field(default_factory=list)
    billable: bool = False
    time_interval: TimeInterval
    type: LenientText = None
    is_locked: bool = False
    custom_field_values: list[CustomFieldValue] | None = None
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None
    # Present when ``hydrated=true`` was asked for.
    project: Project | None = None
    task: Task | None = None
    tags: list[Tag] | None = None

    @field_validator("description", mode="before")
    @classmethod
    def _null_description(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("project_id", "task_id", mode="before")
    @classmethod
    def _blank_id(cls, value: Any) -> Any:
        return None if value == "" else value

    @property
    def running(self) -> bool:
        """Whether the timer of this entry is still going."""
        return self.time_interval.end is None

    @property
    def start(self) -> datetime:
        """The start instant (UTC)."""
        return self.time_interval.start

    @property
    def end(self) -> datetime | None:
        """The end instant (UTC), or ``None`` while running."""
        return self.time_interval.end

    def elapsed(self, now: datetime) -> timedelta:
        """Length of the entry; for a running one, ``now - start``, never a sum of ticks."""
        return (self.end or now) - self.start


class CustomFieldWrite(RequestModel):
    """A custom field value sent with an entry."""

    custom_field_id: str
    source_type: Literal["WORKSPACE", "PROJECT", "TIMEENTRY"] | None = None
    value: Any = None


class _EntryFields(RequestModel):
    """Fields shared by create and update: the whole entry, since PUT replaces it all."""

    start: Instant
    end: Instant | None = None
    description: str = Field(default="", max_length=3000)
    project_id: str | None = None
    task_id: str | None = None
    tag_ids: list[str] = Field(default_factory=list)
    billable: bool = False
    type: EntryType | None = None
    custom_fields: list[CustomFieldWrite] | None = None


class EntryCreate(_EntryFields):
    """Body of ``POST /time-entries``; no ``end`` starts a timer."""


class EntryUpdate(_EntryFields):
    """Body of ``PUT /time-entries/{id}``: a full replace, so every field is sent."""


class EntryUpdateWithId(_EntryFields):
    """One item of a bulk edit (``PUT /user/{uid}/time-entries``)."""

    id: str


class StopRequest(RequestModel):
    """Body of the ``PATCH`` that stops the running timer."""

    end: Instant
