"""One object with every use case, for the GUI and the CLI alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from tracker.domain.model import Client, Entry, Project, Tag, Task
from tracker.services.catalog import Catalog
from tracker.services.context import Clock, Context, system_clock
from tracker.services.entries import Entries
from tracker.services.timer import StartResult, Timer
from tracker.services.views import DayView, LogView, StatusView, Views, find_entry
from tracker.store import EntryRow, Store

__all__ = ["Tracker"]


class Tracker:
    """The use cases on one store, with the time from ``clock`` (aware UTC).

    The parts are reachable too (``catalog``, ``timer``, ``entries``, ``views``) for code that
    needs more than the common calls below.
    """

    def __init__(self, store: Store, clock: Clock = system_clock) -> None:
        self.context = Context(store, clock)
        self.catalog = Catalog(self.context)
        self.timer = Timer(self.context, self.catalog)
        self.entries = Entries(self.context, self.catalog)
        self.views = Views(self.context)

    @property
    def store(self) -> Store:
        """The store every change lands in."""
        return self.context.store

    # --- the timer --------------------------------------------------------------------------

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
        """Start a timer (stopping the running one at the same instant)."""
        return self.timer.start(
            description,
            project=project,
            task=task,
            tags=tags,
            billable=billable,
            at=at,
            fields=fields,
        )

    def stop(self, at: datetime | None = None) -> Entry:
        """Stop the running timer."""
        return self.timer.stop(at)

    def continue_(self, which: int | str = 1, at: datetime | None = None) -> StartResult:
        """Start again what the n-th latest distinct entry (or a given entry) was about."""
        return self.timer.continue_(which, at)

    def discard(self) -> Entry:
        """Throw the running entry away."""
        return self.timer.discard()

    def backdate(self, at: datetime) -> Entry:
        """Move the running entry's start earlier (or later, up to now)."""
        return self.timer.backdate(at)

    # --- entries ----------------------------------------------------------------------------

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
        """Add a finished entry by hand."""
        return self.entries.add(
            start,
            end,
            description,
            project=project,
            task=task,
            tags=tags,
            billable=billable,
            duration=duration,
            fields=fields,
        )

    def edit(self, ref: str, **changes: Any) -> Entry:
        """Change fields of an entry; see :meth:`Entries.edit` for the keywords."""
        return self.entries.edit(ref, **changes)

    def split(self, ref: str, at: datetime) -> tuple[Entry, Entry]:
        """Cut an entry in two at ``at``."""
        return self.entries.split(ref, at)

    def delete(self, ref: str) -> Entry:
        """Delete an entry."""
        return self.entries.delete(ref)

    def undo(self) -> str:
        """Undo the newest change; returns ``undid <what>``."""
        return self.entries.undo()

    def find(self, ref: str) -> EntryRow:
        """The live entry ``ref`` (id, short id, ``#N`` of today, ``last``) points at."""
        return find_entry(self.context, ref)

    # --- reference data ---------------------------------------------------------------------

    def resolve_project(self, text: str) -> Project:
        """The project an id or (part of a) name means."""
        return self.catalog.resolve_project(text)

    def resolve_task(self, text: str, project: Project | None = None) -> Task:
        """The task an id or name means (within ``project`` when given)."""
        return self.catalog.resolve_task(text, project)

    def resolve_tag(self, text: str) -> Tag:
        """The tag an id or name means."""
        return self.catalog.resolve_tag(text)

    def resolve_client(self, text: str) -> Client:
        """The client an id or name means."""
        return self.catalog.resolve_client(text)

    def create_project(
        self, name: str, client: str | None = None, color: str | None = None
    ) -> Project:
        """Create a project (sent to Clockify by the next sync)."""
        return self.catalog.create_project(name, client, color)

    def create_task(self, project: str | Project, name: str) -> Task:
        """Create a task of a project."""
        return self.catalog.create_task(project, name)

    def create_tag(self, name: str) -> Tag:
        """Create a tag."""
        return self.catalog.create_tag(name)

    def create_client(self, name: str) -> Client:
        """Create a client."""
        return self.catalog.create_client(name)

    # --- views ------------------------------------------------------------------------------

    def day(self, day: date | None = None) -> DayView:
        """A day's entries and totals (today by default)."""
        return self.views.day(day)

    def status(self) -> StatusView:
        """The running entry, today's total and the sync backlog."""
        return self.views.status()

    def log(self, start: date, end: date) -> LogView:
        """The days from ``start`` to ``end`` that have entries."""
        return self.views.log(start, end)
