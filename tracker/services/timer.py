"""The running timer: start (which stops the running one), stop, continue, discard, backdate.

Every change runs in one ``BEGIN IMMEDIATE`` transaction that first reads the running entry:
the tray app and a CLI call cannot both believe they stopped the same timer.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tracker.domain.model import Entry, Project, Task, new_id, utc
from tracker.services.catalog import Catalog
from tracker.services.context import Context
from tracker.services.drafts import describe, resolve_fields, resolve_refs
from tracker.services.errors import NotFound, ServiceError
from tracker.services.recent import distinct_latest, work_of
from tracker.services.undo import Change, commit
from tracker.services.views import find_entry
from tracker.store import EntryRow

__all__ = ["CLOCK_BEHIND", "StartResult", "Timer", "stop_note"]

CONTINUE_DEPTH = 500
"""How many recent entries ``continue N`` looks through for distinct ones."""

CLOCK_BEHIND = "Your clock is behind the timer's start; it was stopped at its start."
"""Said when a stop found the clock before the running entry's start (the clock was set
back, or the timer came from a machine whose clock runs ahead)."""


@dataclass(frozen=True)
class StartResult:
    """The entry now running, the one that was stopped to make room for it, and a note for
    the person when that stop was unusual (:data:`CLOCK_BEHIND`)."""

    started: Entry
    stopped: Entry | None
    note: str | None = None


def stop_note(stopped: Entry, now: datetime) -> str | None:
    """:data:`CLOCK_BEHIND` when ``stopped`` was stopped at its start because the clock
    (``now``) was behind it; else ``None``."""
    if stopped.end == stopped.start and utc(now) < stopped.start:
        return CLOCK_BEHIND
    return None


class Timer:
    """Start, stop, continue, discard and backdate the running entry."""

    def __init__(self, context: Context, catalog: Catalog) -> None:
        self.context = context
        self.catalog = catalog

    def running(self) -> Entry | None:
        """The running entry of the current workspace, if any."""
        row = self.context.store.entries.running(self.context.workspace_id)
        return None if row is None else row.entry

    def start(
        self,
        description: str = "",
        *,
        project: str | None = None,
        task: str | None = None,
        tags: Sequence[str] = (),
        billable: bool | None = None,
        at: datetime | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> StartResult:
        """Start a timer, stopping the running one at the same instant (ARCHITECTURE rule 7).

        ``project``, ``task`` and ``tags`` are ids or names; ``billable`` defaults to the
        project's setting; ``at`` backdates the start.
        """
        refs = resolve_refs(self.catalog, project, task, tags)
        values = resolve_fields(self.catalog, fields or {})
        draft = Entry(
            id=new_id(),
            workspace_id=self.context.workspace_id,
            start=self.context.now(),
            description=description.strip(),
            project_id=refs.project.id if refs.project else None,
            task_id=refs.task.id if refs.task else None,
            tag_ids=refs.tag_ids,
            billable=billable
            if billable is not None
            else bool(refs.project and refs.project.billable),
            custom_fields={k: v for k, v in values.items() if v is not None},
        )
        return self._start(draft, at, verb="start")

    def continue_(self, which: int | str = 1, at: datetime | None = None) -> StartResult:
        """Start again what the ``which``-th most recent distinct entry was about (1 = the
        latest), or what a given entry (id, prefix, ``#N``) was about."""
        source = self._source(which)
        self._still_usable(source)
        draft = replace(
            source,
            id=new_id(),
            workspace_id=self.context.workspace_id,
            start=self.context.now(),
            end=None,
        )
        return self._start(draft, at, verb="continue")

    def stop(self, at: datetime | None = None) -> Entry:
        """Stop the running timer now or at ``at`` (not in the future, not before its start).

        When the clock is behind the timer's start, stopping "now" stops it at its start (a
        zero-length entry) rather than refusing: otherwise the timer could not be stopped
        until the clock caught up. :func:`stop_note` tells the person.
        """
        store = self.context.store
        with store.transaction():
            row = self._running_row()
            now = self.context.now()
            end = now if at is None else utc(at)
            if end > now:
                raise ServiceError("A timer cannot be stopped in the future.")
            entry = row.entry
            if at is None:
                end = max(end, entry.start)
            if end < entry.start:
                zone = self.context.zone()
                raise ServiceError(
                    f"The running entry started at {entry.start.astimezone(zone):%H:%M}; "
                    "it cannot stop before that."
                )
            stopped = replace(entry, end=end)
            commit(
                self.context,
                f"stop of {describe(stopped, self.context.zone())}",
                [Change(entry, stopped)],
            )
            return stopped

    def discard(self) -> Entry:
        """Throw the running entry away (undo brings it back)."""
        store = self.context.store
        with store.transaction():
            entry = self._running_row().entry
            commit(
                self.context,
                f"discard of {describe(entry, self.context.zone())}",
                [Change(entry, None)],
            )
            return entry

    def backdate(self, at: datetime) -> Entry:
        """Move the running entry's start to ``at`` ("I started ten minutes ago")."""
        store = self.context.store
        with store.transaction():
            entry = self._running_row().entry
            start = utc(at)
            if start > self.context.now():
                raise ServiceError("A timer cannot start in the future.")
            moved = replace(entry, start=start)
            commit(
                self.context,
                f"new start of {describe(entry, self.context.zone())}",
                [Change(entry, moved)],
            )
            return moved

    # --- helpers ----------------------------------------------------------------------------

    def _running_row(self) -> EntryRow:
        row = self.context.store.entries.running(self.context.workspace_id)
        if row is None:
            raise ServiceError("No timer is running.")
        return row

    def _start(self, draft: Entry, at: datetime | None, *, verb: str) -> StartResult:
        store = self.context.store
        zone = self.context.zone()
        with store.transaction():
            now = self.context.now()
            start = now if at is None else utc(at)
            if start > now:
                raise ServiceError(
                    f"A timer cannot start in the future ({start.astimezone(zone):%H:%M} is "
                    f"after now, {now.astimezone(zone):%H:%M}); use `add` for planned time."
                )
            entry = replace(draft, start=start)
            changes = []
            running = store.entries.running(self.context.workspace_id)
            stopped = None
            note = None
            if running is not None:
                previous = running.entry
                if start < previous.start and at is not None:
                    raise ServiceError(
                        f"The running entry started at {previous.start.astimezone(zone):%H:%M}; "
                        "a new one cannot start before it. Edit or discard the running entry "
                        "first."
                    )
                # Started "now" with the clock behind the running entry's start: stop that
                # one at its start, as stop() does, so the new timer can start.
                stopped = replace(previous, end=max(start, previous.start))
                note = stop_note(stopped, now)
                changes.append(Change(previous, stopped, what="the running entry"))
            changes.append(Change(None, entry))
            commit(self.context, f"{verb} of {describe(entry, zone)}", changes)
            return StartResult(entry, stopped, note)

    def _still_usable(self, entry: Entry) -> None:
        store = self.context.store.catalog
        project = store.get("project", entry.project_id) if entry.project_id else None
        task = store.get("task", entry.task_id) if entry.task_id else None
        if isinstance(project, Project) and project.archived:
            raise ServiceError(f"The project {project.name!r} is archived; pick another one.")
        if isinstance(task, Task) and task.done:
            raise ServiceError(f"The task {task.name!r} is done; pick another one.")

    def _source(self, which: int | str) -> Entry:
        if isinstance(which, str):
            return find_entry(self.context, which).entry
        if which < 1:
            raise ServiceError("Count entries from 1 (the latest).")
        found = distinct_latest(self.context, which, CONTINUE_DEPTH, key=_work_and_billable)
        if len(found) == which:
            return found[-1]
        raise NotFound(
            f"There are only {len(found)} distinct past entries; cannot continue number {which}."
            if found
            else "There is no past entry to continue."
        )


def _work_and_billable(entry: Entry) -> tuple[Hashable, ...]:
    """What ``continue N`` tells apart: the work, and whether it is billable."""
    return (*work_of(entry), entry.billable)
