"""The things a time tracker talks about, as plain immutable values.

Ids are *local* ids: every row the store keeps has one, whether it came from Clockify (then
the local id is the Clockify id) or was made here offline (then it is a fresh uuid hex and the
Clockify id arrives later). References between values (an entry's project, a project's
client) always use local ids, so nothing has to be rewritten when a server id arrives.
Instants are aware and UTC; durations are ``timedelta``.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

__all__ = [
    "ENTRY_FIELDS",
    "LOCAL_WORKSPACE",
    "Client",
    "CustomFieldDef",
    "Entry",
    "Profile",
    "Project",
    "SyncState",
    "Tag",
    "Task",
    "WorkspaceInfo",
    "WorkspaceRules",
    "new_id",
    "utc",
]


LOCAL_WORKSPACE = "local"
"""The workspace id of data made with no Clockify account connected."""


def new_id() -> str:
    """A local id for something made here (32 hex digits: never a 24-digit Clockify id)."""
    return uuid.uuid4().hex


def utc(value: datetime) -> datetime:
    """The same instant in UTC, whole seconds (Clockify's resolution)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a time without a time zone is ambiguous")
    return value.astimezone(UTC).replace(microsecond=0)


ENTRY_FIELDS: tuple[str, ...] = (
    "start",
    "end",
    "description",
    "project_id",
    "task_id",
    "tag_ids",
    "billable",
    "custom_fields",
)
"""The fields of an entry that the user edits and that sync merges one by one."""


@dataclass(frozen=True)
class Entry:
    """A time entry: running while ``end`` is ``None``.

    Attributes:
        id: the local id.
        workspace_id: the Clockify workspace (or the local-only workspace).
        custom_fields: custom field id → value (text, number, list or ``None``).
    """

    id: str
    workspace_id: str
    start: datetime
    end: datetime | None = None
    description: str = ""
    project_id: str | None = None
    task_id: str | None = None
    tag_ids: tuple[str, ...] = ()
    billable: bool = False
    custom_fields: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", utc(self.start))
        if self.end is not None:
            object.__setattr__(self, "end", utc(self.end))
        if not isinstance(self.custom_fields, MappingProxyType):
            object.__setattr__(self, "custom_fields", MappingProxyType(dict(self.custom_fields)))

    @property
    def running(self) -> bool:
        """Whether the timer of this entry is still going."""
        return self.end is None

    def duration(self, now: datetime) -> timedelta:
        """How long it ran; for a running entry ``now - start``, never a sum of ticks."""
        return (self.end or utc(now)) - self.start

    def fields(self) -> dict[str, Any]:
        """The editable fields as plain JSON-able values (for diffs and the synced copy)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "description": self.description,
            "project_id": self.project_id,
            "task_id": self.task_id,
            "tag_ids": sorted(self.tag_ids),
            "billable": self.billable,
            "custom_fields": dict(sorted(self.custom_fields.items())),
        }

    def with_fields(self, values: Mapping[str, Any]) -> Entry:
        """A copy with fields set from :meth:`fields`-style values."""
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name not in ENTRY_FIELDS:
                raise KeyError(name)
            if name in ("start", "end"):
                changes[name] = datetime.fromisoformat(value) if value else None
            elif name == "tag_ids":
                changes[name] = tuple(value)
            else:
                changes[name] = value
        return replace(self, **changes)


class SyncState(enum.Enum):
    """Where a row stands with Clockify, as the user sees it."""

    LOCAL_ONLY = "local-only"
    """No account is connected; nothing is waiting."""
    SYNCED = "synced"
    PENDING = "pending"
    """Changed here; will be sent."""
    UNCLEAR = "unclear"
    """Sent, but no clear answer came back: Clockify may have it. It is looked for there and
    never sent a second time until it is certain the first attempt did not land."""
    PARKED = "needs attention"
    """Clockify refused it; the reason says how to fix it."""


@dataclass(frozen=True)
class Client:
    """A client of projects."""

    id: str
    workspace_id: str
    name: str
    archived: bool = False


@dataclass(frozen=True)
class Project:
    """A project; ``client_id`` is a local id."""

    id: str
    workspace_id: str
    name: str
    client_id: str | None = None
    color: str | None = None
    billable: bool = False
    archived: bool = False


@dataclass(frozen=True)
class Task:
    """A task of a project; done tasks cannot take new time."""

    id: str
    workspace_id: str
    project_id: str
    name: str
    done: bool = False
    estimate: timedelta | None = None


@dataclass(frozen=True)
class Tag:
    """A tag."""

    id: str
    workspace_id: str
    name: str
    archived: bool = False


@dataclass(frozen=True)
class CustomFieldDef:
    """A time-entry custom field of the workspace."""

    id: str
    workspace_id: str
    name: str
    kind: str = "TXT"
    required: bool = False
    allowed_values: tuple[str, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class WorkspaceRules:
    """What a workspace requires of every entry (Clockify's "force" settings and lock)."""

    require_project: bool = False
    require_task: bool = False
    require_tags: bool = False
    require_description: bool = False
    locked_before: datetime | None = None
    """Entries starting before this instant can no longer be changed."""


@dataclass(frozen=True)
class WorkspaceInfo:
    """A workspace as the store remembers it."""

    id: str
    name: str
    rules: WorkspaceRules = WorkspaceRules()
    free_plan: bool = True
    features: frozenset[str] | None = None
    """What the plan includes (Clockify's ``Feature`` names: ``APPROVAL``, ``TIME_OFF``...);
    ``None`` until the workspace was read with them."""


@dataclass(frozen=True)
class Profile:
    """The user's profile: whose entries, and how days and weeks are counted."""

    user_id: str | None = None
    name: str | None = None
    email: str | None = None
    time_zone: str | None = None
    week_start: str = "MONDAY"
    daily_capacity: timedelta | None = None
    working_days: tuple[str, ...] = ()
