"""Between Clockify's wire models and the domain's entries, mapping ids on the way.

On the way in, server ids of projects, tasks, tags and custom fields become local ids. Rows
pulled from Clockify have local id == server id, so an id the store does not know yet maps to
itself and still points at the right row once reference data is refreshed. On the way out,
local ids become server ids; a reference Clockify does not have yet raises
:class:`UnsentReference`, because sending the entry without it would clear it on Clockify.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.api.models import CustomFieldWrite, EntryCreate, EntryUpdate, TimeEntry
from tracker.domain.model import Entry
from tracker.store.catalog import CatalogStore, Kind

__all__ = [
    "UnsentReference",
    "entry_from_wire",
    "wall_clock_filter",
    "wire_create",
    "wire_update",
]


class UnsentReference(Exception):
    """An entry points at a project, task or tag that Clockify does not have yet."""

    def __init__(self, kind: str, local_id: str) -> None:
        super().__init__(f"the entry's {kind} is not on Clockify yet")
        self.kind = kind
        self.local_id = local_id


def entry_from_wire(
    wire: TimeEntry, workspace_id: str, catalog: CatalogStore, *, local_id: str
) -> Entry:
    """The domain entry for what Clockify sent, with local reference ids."""

    def local(kind: Kind, server_id: str | None) -> str | None:
        if not server_id:
            return None
        return catalog.local_id(kind, workspace_id, server_id) or server_id

    custom: dict[str, Any] = {}
    for value in wire.custom_field_values or ():
        field_id = local("field", value.custom_field_id)
        if field_id is not None and value.value is not None:
            custom[field_id] = value.value
    return Entry(
        id=local_id,
        workspace_id=workspace_id,
        start=wire.start,
        end=wire.end,
        description=wire.description,
        project_id=local("project", wire.project_id),
        task_id=local("task", wire.task_id),
        tag_ids=tuple(sorted(t for t in (local("tag", tag) for tag in wire.tag_ids) if t)),
        billable=wire.billable,
        custom_fields=custom,
    )


def _fields(entry: Entry, catalog: CatalogStore) -> dict[str, Any]:
    def remote(kind: Kind, local_id: str | None) -> str | None:
        if local_id is None:
            return None
        server_id = catalog.server_id(kind, local_id)
        if server_id is None:
            if catalog.get(kind, local_id) is None:
                return local_id  # pulled before its reference data: local id == server id
            raise UnsentReference(kind, local_id)
        return server_id

    tags = [remote("tag", tag) for tag in entry.tag_ids]
    fields = [
        CustomFieldWrite(
            custom_field_id=remote("field", field_id) or field_id,
            source_type="TIMEENTRY",
            value=value,
        )
        for field_id, value in sorted(entry.custom_fields.items())
    ]
    return {
        "start": entry.start,
        "end": entry.end,
        "description": entry.description,
        "project_id": remote("project", entry.project_id),
        "task_id": remote("task", entry.task_id),
        "tag_ids": [tag for tag in tags if tag],
        "billable": entry.billable,
        "custom_fields": fields or None,
    }


def wire_create(entry: Entry, catalog: CatalogStore) -> EntryCreate:
    """The create request for an entry (no end: a running timer)."""
    return EntryCreate(**_fields(entry, catalog))


def wire_update(entry: Entry, catalog: CatalogStore) -> EntryUpdate:
    """The full-replace update for an entry: every field, since Clockify clears the rest."""
    return EntryUpdate(**_fields(entry, catalog))


def wall_clock_filter(instant: datetime) -> datetime:
    """The value to send as a ``start``/``end`` list filter for ``instant``.

    Clockify reads the filters as wall clock in the profile zone (FACTS §4), so an instant
    sent as is lands up to 14 hours off. Every caller asks for a span with at least a day of
    margin on the side that matters, so the instant itself is a safe filter value, and no
    zone has to be known.
    """
    return instant
