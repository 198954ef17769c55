"""What a time-entry write body means: its fields read and checked as the live API does.

Shared by create, replace, bulk edit and stop (FACTS §5): omitted fields come from the entry
being changed or are cleared, fields are checked in the order the live API reports them (so
the first error is its), and workspace "force" settings and required custom fields reject a
write with 400/501.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.fakeclockify.lookup import find_project, find_tag, find_task, not_in_workspace
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import Entry, Project, WorkspaceData
from tests.fakeclockify.routing import (
    Request,
    body_bool,
    body_instant,
    body_str,
    body_str_list,
)

__all__ = ["END_BEFORE_START", "Write", "check_required", "read_write"]

MAX_DESCRIPTION = 3000
END_BEFORE_START = "Time entry end has to be after its start"


@dataclass
class Write:
    """The validated content of a create or update body."""

    start: int
    end: int | None
    description: str
    project_id: str | None
    task_id: str | None
    tag_ids: list[str] | None
    billable: bool
    type: str
    custom_values: dict[str, Any]

    def fields(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "description": self.description,
            "project_id": self.project_id,
            "task_id": self.task_id,
            "tag_ids": self.tag_ids,
            "billable": self.billable,
            "type": self.type,
            "custom_values": self.custom_values,
        }


def _custom_values(data: WorkspaceData, raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise ApiError(
            400,
            "JSON parse error: Cannot deserialize value of type "
            "`java.util.ArrayList<UpdateCustomFieldRequest>` from Object value",
            3002,
        )
    values: dict[str, Any] = {}
    for item in raw:
        field_id = item.get("customFieldId") if isinstance(item, dict) else None
        if not isinstance(field_id, str) or not field_id:
            raise ApiError(400, "customFieldId: must not be blank", 501)
        if field_id not in data.custom_fields:
            raise not_in_workspace("Custom field")
        values[field_id] = item.get("value")
    return values


def check_required(data: WorkspaceData, write: Write, verb: str) -> None:
    """Workspace force settings and required custom fields (400/501 like the live API)."""
    settings = data.workspace.settings
    prefix = f"Time entry couldn't be {verb}."
    if settings.get("forceProjects") and not write.project_id:
        raise ApiError(
            400, f"{prefix} Project is either required field or given project is archived.", 501
        )
    if settings.get("forceTasks") and not write.task_id:
        raise ApiError(400, f"{prefix} Task is either required field or given task is done.", 501)
    if settings.get("forceTags") and not write.tag_ids:
        raise ApiError(400, f"{prefix} Tag is either required field or given tag is archived.", 501)
    if settings.get("forceDescription") and not write.description.strip():
        raise ApiError(400, f"{prefix} Description is required field.", 501)
    for field in data.custom_fields.values():
        if field.entity_type != "TIMEENTRY" or field.status != "VISIBLE" or not field.required:
            continue
        if write.custom_values.get(field.id, field.default_value) in (None, ""):
            raise ApiError(400, f"{prefix} Custom field '{field.name}' is required field.", 501)


def read_write(
    req: Request,
    body: dict[str, Any],
    *,
    verb: str,
    defaults: Entry | None = None,
    start_default: int | None = None,
    end_default: int | None = None,
    creating: bool = False,
) -> Write:
    """Parse and validate an entry body; omitted fields come from ``defaults`` or are cleared.

    Fields are checked in the order the live API reports them, so the first error is its.
    """
    data = req.ws
    start = _start(body, start_default)
    end = body_instant(body, "end") if "end" in body else end_default
    description = _description(body, defaults)
    if end is not None and end < start:
        raise ApiError(400, END_BEFORE_START, 501)
    project = _project(data, body, defaults, verb)
    task_id = _task_id(data, body, defaults, project)
    tag_ids = _tag_ids(data, body, defaults, verb)
    write = Write(
        start=start,
        end=end,
        description=description,
        project_id=project.id if project else None,
        task_id=task_id,
        tag_ids=tag_ids,
        billable=_billable(body, defaults, project if creating else None),
        type=_entry_type(body),
        custom_values=_custom_values_of(data, body, defaults),
    )
    check_required(data, write, verb)
    return write


def _kept(body: dict[str, Any], key: str, defaults: Entry | None) -> Entry | None:
    """The entry whose value stays when an update leaves ``key`` out; else ``None``."""
    return None if key in body else defaults


def _start(body: dict[str, Any], default: int | None) -> int:
    start = body_instant(body, "start")
    if start is not None:
        return start
    if default is None:
        raise ApiError(400, "start: must not be null", 501)
    return default


def _description(body: dict[str, Any], defaults: Entry | None) -> str:
    description = body_str(body, "description")
    if description is None:
        kept = _kept(body, "description", defaults)
        description = kept.description if kept else ""
    if len(description) > MAX_DESCRIPTION:
        raise ApiError(400, "description: size must be between 0 and 3000", 501)
    return description


def _project(
    data: WorkspaceData, body: dict[str, Any], defaults: Entry | None, verb: str
) -> Project | None:
    """The entry's project, which must not be archived."""
    project_id = body_str(body, "projectId") or None
    if kept := _kept(body, "projectId", defaults):
        project_id = kept.project_id
    if not project_id:
        return None
    project = find_project(data, project_id)
    if project.archived:
        raise ApiError(
            400,
            f"Time entry couldn't be {verb}. "
            "Project is either required field or given project is archived.",
            501,
        )
    return project


def _task_id(
    data: WorkspaceData, body: dict[str, Any], defaults: Entry | None, project: Project | None
) -> str | None:
    """The entry's task, which must be one of its project's."""
    task_id = body_str(body, "taskId") or None
    if kept := _kept(body, "taskId", defaults):
        task_id = kept.task_id
    if task_id:
        if project is None:
            raise ApiError(400, "Task doesn't belong to Project", 501)
        find_task(data, project, task_id)
    return task_id


def _tag_ids(
    data: WorkspaceData, body: dict[str, Any], defaults: Entry | None, verb: str
) -> list[str] | None:
    """The entry's tags, once each, none of them archived (``None``: never had tags)."""
    tag_ids = body_str_list(body, "tagIds")
    if kept := _kept(body, "tagIds", defaults):
        tag_ids = None if kept.tag_ids is None else list(kept.tag_ids)
    if tag_ids is None:
        return None
    tag_ids = list(dict.fromkeys(tag_ids))
    if any(find_tag(data, tag_id).archived for tag_id in tag_ids):
        raise ApiError(
            400,
            f"Time entry couldn't be {verb}. "
            "Tag is either required field or given tag is archived.",
            501,
        )
    return tag_ids


def _billable(body: dict[str, Any], defaults: Entry | None, new_in: Project | None) -> bool:
    """Billable as sent; else as it was (update) or as the project of a new entry is."""
    billable = body_bool(body, "billable")
    if billable is not None:
        return billable
    if kept := _kept(body, "billable", defaults):
        return kept.billable
    return new_in.billable if new_in is not None else False


def _entry_type(body: dict[str, Any]) -> str:
    entry_type = (body_str(body, "type") or "REGULAR").upper()
    if entry_type not in ("REGULAR", "BREAK"):
        raise ApiError(
            400,
            "JSON parse error: Cannot deserialize value of type `TimeEntryType` from String "
            f'"{entry_type}": not one of the values accepted for Enum class: [BREAK, REGULAR]',
            3002,
        )
    return entry_type


def _custom_values_of(
    data: WorkspaceData, body: dict[str, Any], defaults: Entry | None
) -> dict[str, Any]:
    # "customFieldValues" is the read key: accepted and silently dropped (FACTS §5).
    if "customFields" in body:
        return _custom_values(data, body.get("customFields"))
    return dict(defaults.custom_values) if defaults else {}
