"""Past entries: add by hand, edit any field, split, delete, and undo.

``edit`` takes ``None`` for "leave as it is"; an empty text for ``project``/``task`` and an
empty sequence for ``tags`` clear them. ``duration`` sets the end to start + duration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from tracker.domain.bounds import duration_problem, instant_problem
from tracker.domain.model import Entry, Project, Task, new_id, utc
from tracker.services.catalog import Catalog
from tracker.services.context import Context
from tracker.services.drafts import apply_fields, describe, resolve_fields, resolve_refs
from tracker.services.errors import ServiceError
from tracker.services.undo import Change, commit, undo_last
from tracker.services.views import find_entry

__all__ = ["Entries"]


class Entries:
    """Changes to entries other than the running timer's start and stop."""

    def __init__(self, context: Context, catalog: Catalog) -> None:
        self.context = context
        self.catalog = catalog

    def add(
        self,
        start: datetime,
        end: datetime | None = None,
        description: str = "",
        *,
        project: str | None = None,
        task: str | None = None,
        tags: Sequence[str] = (),
        billable: bool | None = None,
        duration: timedelta | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Entry:
        """Add a finished entry from ``start`` to ``end`` (or for ``duration``)."""
        if (end is None) == (duration is None):
            raise ServiceError("Give either an end or a duration for a manual entry.")
        begin = _in_range(start)
        finish = _in_range(end) if end is not None else begin + _length(duration)
        refs = resolve_refs(self.catalog, project, task, tags)
        values = resolve_fields(self.catalog, fields or {})
        entry = Entry(
            id=new_id(),
            workspace_id=self.context.workspace_id,
            start=begin,
            end=finish,
            description=description.strip(),
            project_id=refs.project.id if refs.project else None,
            task_id=refs.task.id if refs.task else None,
            tag_ids=refs.tag_ids,
            billable=billable
            if billable is not None
            else bool(refs.project and refs.project.billable),
            custom_fields={k: v for k, v in values.items() if v is not None},
        )
        with self.context.store.transaction():
            commit(
                self.context,
                f"add of {describe(entry, self.context.zone())}",
                [Change(None, entry)],
            )
        return entry

    def edit(
        self,
        ref: str,
        *,
        description: str | None = None,
        project: str | None = None,
        task: str | None = None,
        tags: Sequence[str] | None = None,
        billable: bool | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        duration: timedelta | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Entry:
        """Change any fields of the entry ``ref`` (id, short id, ``#N`` or ``last``).

        On the running entry a new ``start`` backdates it and an ``end`` (or ``duration``)
        stops it.
        """
        if end is not None and duration is not None:
            raise ServiceError("Give an end or a duration, not both.")
        store = self.context.store
        with store.transaction():
            entry = find_entry(self.context, ref).entry
            changes = self._fields(
                entry,
                description=description,
                project=project,
                task=task,
                tags=tags,
                billable=billable,
                fields=fields,
            )
            changes.update(self._times(entry, start, end, duration))
            edited = replace(entry, **changes)
            if edited == entry:
                return entry
            what = describe(entry, self.context.zone())
            commit(self.context, f"edit of {what}", [Change(entry, edited)])
            return edited

    def _fields(
        self,
        entry: Entry,
        *,
        description: str | None,
        project: str | None,
        task: str | None,
        tags: Sequence[str] | None,
        billable: bool | None,
        fields: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        """The changes of :meth:`edit` other than times."""
        changes: dict[str, Any] = {}
        if description is not None:
            changes["description"] = description.strip()
        changes.update(self._refs(entry, project, task))
        if tags is not None:
            changes["tag_ids"] = self.catalog.resolve_tags(tags)
        if billable is not None:
            changes["billable"] = billable
        elif changes.get("project_id", entry.project_id) not in (entry.project_id, None):
            # Clockify's rule: choosing a project brings its billable default along.
            changes["billable"] = self.catalog.billable_default(changes["project_id"])
        if fields:
            changes["custom_fields"] = apply_fields(
                entry.custom_fields, resolve_fields(self.catalog, fields)
            )
        return changes

    def _times(
        self,
        entry: Entry,
        start: datetime | None,
        end: datetime | None,
        duration: timedelta | None,
    ) -> dict[str, Any]:
        """The start and end :meth:`edit` sets; the running entry never reaches the future
        (a new end stops it, so it must have come already)."""
        changes: dict[str, Any] = {}
        if start is not None:
            changes["start"] = _in_range(start)
        begin = changes.get("start", entry.start)
        if duration is not None:
            changes["end"] = begin + _length(duration)
        elif end is not None:
            changes["end"] = _in_range(end)
        now = self.context.now()
        if entry.running and changes.get("end") is not None and changes["end"] > now:
            raise ServiceError("The running entry cannot be stopped in the future.")
        if entry.running and begin > now:
            raise ServiceError("A timer cannot start in the future.")
        return changes

    def split(self, ref: str, at: datetime) -> tuple[Entry, Entry]:
        """Cut an entry in two at ``at``; the second part is new (and running if the entry
        was)."""
        store = self.context.store
        with store.transaction():
            entry = find_entry(self.context, ref).entry
            cut = _in_range(at)
            until = entry.end or self.context.now()
            if not entry.start < cut < until:
                zone = self.context.zone()
                raise ServiceError(
                    f"Split inside the entry: after {entry.start.astimezone(zone):%H:%M} and "
                    f"before {until.astimezone(zone):%H:%M}."
                )
            first = replace(entry, end=cut)
            second = replace(entry, id=new_id(), start=cut)
            commit(
                self.context,
                f"split of {describe(entry, self.context.zone())}",
                [Change(entry, first), Change(None, second)],
            )
            return first, second

    def delete(self, ref: str) -> Entry:
        """Delete an entry (sync deletes it on Clockify; undo brings it back)."""
        store = self.context.store
        with store.transaction():
            entry = find_entry(self.context, ref).entry
            commit(
                self.context,
                f"delete of {describe(entry, self.context.zone())}",
                [Change(entry, None)],
            )
            return entry

    def undo(self, touching: str | None = None) -> str:
        """Undo the newest change (only if it changed the entry ``touching``, when given);
        returns what was undone: ``undid delete of "Review" ...``."""
        return f"undid {undo_last(self.context, touching=touching)}"

    def _refs(self, entry: Entry, project: str | None, task: str | None) -> dict[str, Any]:
        """Field changes for a new project and/or task, keeping the two consistent."""
        changes: dict[str, Any] = {}
        owner: Project | None = None
        if project is not None:
            if project.strip():
                owner = self.catalog.resolve_project(project)
                changes["project_id"] = owner.id
                if owner.id != entry.project_id and task is None:
                    kept = self.context.store.catalog.get("task", entry.task_id or "")
                    if not (isinstance(kept, Task) and kept.project_id == owner.id):
                        changes["task_id"] = None
            else:
                changes["project_id"] = None
                changes["task_id"] = None
        if task is not None:
            if task.strip():
                if owner is None and project is None and entry.project_id:
                    current = self.context.store.catalog.get("project", entry.project_id)
                    owner = current if isinstance(current, Project) else None
                refs = resolve_refs(self.catalog, owner.id if owner else None, task, ())
                changes["task_id"] = refs.task.id if refs.task else None
                changes["project_id"] = refs.project.id if refs.project else None
            else:
                changes["task_id"] = None
        return changes


def _in_range(instant: datetime) -> datetime:
    """``instant`` in whole UTC seconds, refused outside the tracker's days (1970-2099), so
    that no arithmetic on it can overflow."""
    value = utc(instant)
    problem = instant_problem(value)
    if problem is not None:
        raise ServiceError(problem)
    return value


def _length(duration: timedelta | None) -> timedelta:
    """An entry's length, refused when negative or longer than an entry may last."""
    length = duration or timedelta()
    problem = duration_problem(length)
    if problem is not None:
        raise ServiceError(problem)
    return length
