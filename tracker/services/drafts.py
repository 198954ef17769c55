"""Turning what the person asked for into entry field values, and naming entries in messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from tracker.domain.model import CustomFieldDef, Entry, Project, Task
from tracker.services.catalog import Catalog
from tracker.services.errors import ServiceError

__all__ = ["Refs", "describe", "resolve_fields", "resolve_refs"]


@dataclass(frozen=True)
class Refs:
    """Resolved references: the project (with its billable default), task and tags."""

    project: Project | None
    task: Task | None
    tag_ids: tuple[str, ...]


def resolve_refs(
    catalog: Catalog, project: str | None, task: str | None, tags: Sequence[str]
) -> Refs:
    """Resolve names or ids; a task without a project is looked for in every project, and
    then brings its project along."""
    found_project = catalog.resolve_project(project) if project else None
    found_task = catalog.resolve_task(task, found_project) if task else None
    if found_task is not None and found_project is None:
        owner = catalog.context.store.catalog.get("project", found_task.project_id)
        found_project = owner if isinstance(owner, Project) else None
    return Refs(found_project, found_task, catalog.resolve_tags(tags))


def resolve_fields(catalog: Catalog, values: Mapping[str, Any]) -> dict[str, Any]:
    """Custom field values by field id, converted to the field's kind; ``None`` or an empty
    text clears a field."""
    result: dict[str, Any] = {}
    for key, value in values.items():
        definition = catalog.resolve_field(key)
        result[definition.id] = _convert(definition, value)
    return result


def _convert(definition: CustomFieldDef, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    kind = definition.kind.upper()
    if not isinstance(value, str):
        converted: Any = value
    elif kind == "NUMBER":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise ServiceError(
                f"The custom field {definition.name!r} takes a number, not {value!r}."
            ) from None
        converted = int(number) if number.is_integer() else number
    elif kind == "CHECKBOX":
        lowered = value.strip().lower()
        if lowered not in ("true", "false", "yes", "no", "1", "0", "on", "off"):
            raise ServiceError(f"The custom field {definition.name!r} takes yes or no.")
        converted = lowered in ("true", "yes", "1", "on")
    elif kind == "DROPDOWN_MULTIPLE":
        converted = [part.strip() for part in value.split(",") if part.strip()]
    else:
        converted = value.strip()
    if definition.allowed_values:
        chosen = converted if isinstance(converted, list) else [converted]
        wrong = [str(v) for v in chosen if str(v) not in definition.allowed_values]
        if wrong:
            raise ServiceError(
                f"The custom field {definition.name!r} allows only: "
                + ", ".join(definition.allowed_values)
                + f" (not {', '.join(wrong)})."
            )
    return converted


def apply_fields(entry_fields: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Custom field values with ``changes`` applied (``None`` removes a value)."""
    merged = dict(entry_fields)
    for field_id, value in changes.items():
        if value is None:
            merged.pop(field_id, None)
        else:
            merged[field_id] = value
    return merged


def describe(entry: Entry, zone: tzinfo) -> str:
    """An entry as named in messages and undo labels: what, and when (in ``zone``)."""
    what = f'"{entry.description}"' if entry.description else "entry without description"
    start = entry.start.astimezone(zone)
    if entry.end is None:
        return f"{what} running since {_when(start)}"
    end = entry.end.astimezone(zone)
    until = f"{end:%H:%M}" if end.date() == start.date() else _when(end)
    return f"{what} {_when(start)}-{until}"


def _when(moment: datetime) -> str:
    return f"{moment:%a %d %b %H:%M}"
