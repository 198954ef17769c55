"""The GUI thread's door to the use cases.

Every action writes to the local store at once (a few milliseconds, never the network), then
says ``changed`` so every view re-reads, and ``local_change`` so the sync worker pushes a
little later. A refused action says ``failed`` with the service's message instead of raising:
a click handler has no one to raise to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from tracker.domain.model import Entry, Project, Tag, Task, WorkspaceInfo
from tracker.domain.timeutil import TimeParseError
from tracker.services.errors import ServiceError
from tracker.services.idle import IdleChoice, IdleOutcome
from tracker.services.idle import resolve as resolve_idle
from tracker.services.preferences import Preferences
from tracker.services.preferences import load as load_preferences
from tracker.services.preferences import save as save_preferences
from tracker.services.timer import StartResult, stop_note
from tracker.services.tracker import Tracker
from tracker.services.views import DayView, EntryView, StatusView
from tracker.store import StoreError

__all__ = ["Controller", "RecentEntry"]

log = logging.getLogger(__name__)

T = TypeVar("T")

RECENT_DEPTH = 300
"""How many latest entries are looked through for the distinct recent ones."""


class RecentEntry:
    """A past entry offered for Continue, with the names to show."""

    __slots__ = ("entry", "label", "project", "task")

    def __init__(self, entry: Entry, label: str, project: str | None, task: str | None) -> None:
        self.entry = entry
        self.label = label
        self.project = project
        self.task = task


class Controller(QObject):
    """Actions and reads for the widgets, on the GUI thread's own store connection.

    Signals:
        changed: the local state changed (an action here, a sync round, a CLI call).
        local_change: an action here changed data that has to reach Clockify.
        failed(str): an action was refused; the message is for the person.
        noted(str): an action went through but something about it must be said (the clock
            is behind the running timer's start, so it was stopped at its start).
        preferences_changed(object): the new :class:`Preferences`.
        sync_requested(bool): the person asked for a sync now (``True``: pull too).
        catalog_changed: projects, tasks, tags or clients may have changed (a creation here,
            or a refresh after a sync round or a CLI call), so pickers rebuild their index.
            Separate from ``changed`` because rebuilding on every start and stop would
            cost a large workspace a noticeable pause.
    """

    changed = Signal()
    local_change = Signal()
    failed = Signal(str)
    noted = Signal(str)
    preferences_changed = Signal(object)
    sync_requested = Signal(bool)
    catalog_changed = Signal()

    def __init__(self, tracker: Tracker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tracker = tracker

    # --- reads --------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current instant (the tracker's clock)."""
        return self.tracker.context.now()

    def status(self) -> StatusView:
        """The running entry, today's total and the backlog."""
        return self.tracker.status()

    def day(self, day: date | None = None) -> DayView:
        """A day's entries and totals (today by default)."""
        return self.tracker.day(day)

    def today(self) -> date:
        """Today's date in the profile's zone."""
        return self.now().astimezone(self.tracker.context.zone()).date()

    def running(self) -> Entry | None:
        """The running entry, if any."""
        return self.tracker.timer.running()

    def entry_view(self, ref: str) -> EntryView:
        """One entry with names and sync state."""
        return self.tracker.views.entry(self.tracker.find(ref))

    def recent(self, limit: int = 5) -> list[RecentEntry]:
        """The latest distinct past entries (what Continue offers), newest first."""
        tracker = self.tracker
        running = tracker.timer.running()
        seen: set[tuple[Any, ...]] = set()
        found: list[RecentEntry] = []
        projects = {p.id: p for p in tracker.catalog.projects(archived=True)}
        for row in tracker.store.entries.latest(tracker.context.workspace_id, RECENT_DEPTH):
            entry = row.entry
            if running is not None and entry.id == running.id:
                continue
            key = (entry.description, entry.project_id, entry.task_id, tuple(sorted(entry.tag_ids)))
            if key in seen:
                continue
            seen.add(key)
            project = projects.get(entry.project_id or "")
            task = self._task_name(entry)
            label = entry.description or "(no description)"
            if project is not None:
                label += f" — {project.name}" + (f": {task}" if task else "")
            found.append(RecentEntry(entry, label, project.name if project else None, task))
            if len(found) >= limit:
                break
        return found

    def descriptions(self, limit: int = 500) -> list[str]:
        """Distinct descriptions, most recently used first (for autocomplete)."""
        return self.tracker.store.entries.descriptions(self.tracker.context.workspace_id, limit)

    def projects(self) -> list[Project]:
        """Active projects of the current workspace."""
        return self.tracker.catalog.projects()

    def tasks(self, project: Project | None = None) -> list[Task]:
        """Active tasks (of ``project`` when given)."""
        return self.tracker.catalog.tasks(project)

    def tags(self) -> list[Tag]:
        """Active tags."""
        return self.tracker.catalog.tags()

    def client_names(self) -> dict[str, str]:
        """Client id → name."""
        return self.tracker.catalog.client_names()

    def preferences(self) -> Preferences:
        """The saved preferences."""
        return load_preferences(self.tracker.store)

    def account(self) -> dict[str, Any] | None:
        """The connected account (user id, name, email), or ``None`` in local-only mode."""
        account = self.tracker.store.meta.get("account")
        return dict(account) if isinstance(account, dict) else None

    def workspaces(self) -> list[WorkspaceInfo]:
        """The account's workspaces as last fetched, by name."""
        return self.tracker.store.meta.workspaces()

    def workspace_id(self) -> str:
        """The workspace new entries go to."""
        return self.tracker.context.workspace_id

    # --- actions ------------------------------------------------------------------------------

    def start(
        self,
        description: str = "",
        *,
        project: str | None = None,
        task: str | None = None,
        tags: Sequence[str] = (),
        billable: bool | None = None,
        at: datetime | None = None,
    ) -> StartResult | None:
        """Start a timer (stopping the running one)."""
        return self._started(
            self._act(
                lambda: self.tracker.start(
                    description, project=project, task=task, tags=tags, billable=billable, at=at
                )
            )
        )

    def stop(self, at: datetime | None = None) -> Entry | None:
        """Stop the running timer."""
        return self._stopped(self._act(lambda: self.tracker.stop(at)))

    def toggle(self) -> Entry | None:
        """Stop the running timer, or continue the latest entry (an empty timer with none)."""

        def run() -> Entry:
            if self.tracker.timer.running() is not None:
                return self.tracker.stop()
            if self.tracker.store.entries.latest(self.tracker.context.workspace_id, 1):
                return self.tracker.continue_(1).started
            return self.tracker.start().started

        return self._stopped(self._act(run))

    def continue_(self, which: int | str = 1) -> StartResult | None:
        """Start again the n-th latest distinct entry, or the entry ``which`` names."""
        return self._started(self._act(lambda: self.tracker.continue_(which)))

    def discard(self) -> Entry | None:
        """Throw the running entry away (undoable)."""
        return self._act(self.tracker.discard)

    def backdate(self, at: datetime) -> Entry | None:
        """Move the running entry's start."""
        return self._act(lambda: self.tracker.backdate(at))

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
        fields: dict[str, Any] | None = None,
    ) -> Entry | None:
        """Add a finished entry."""
        return self._act(
            lambda: self.tracker.add(
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
        )

    def edit(self, ref: str, **changes: Any) -> Entry | None:
        """Change fields of an entry (keywords of :meth:`Tracker.edit`)."""
        return self._act(lambda: self.tracker.edit(ref, **changes))

    def split(self, ref: str, at: datetime) -> tuple[Entry, Entry] | None:
        """Cut an entry in two."""
        return self._act(lambda: self.tracker.split(ref, at))

    def delete(self, ref: str) -> Entry | None:
        """Delete an entry (undoable)."""
        return self._act(lambda: self.tracker.delete(ref))

    def resolve_idle(
        self,
        choice: IdleChoice | str,
        start: datetime,
        end: datetime,
        entry_id: str | None = None,
    ) -> IdleOutcome | None:
        """Apply the idle prompt's answer for an absence from ``start`` to ``end``."""
        if IdleChoice(choice) is IdleChoice.KEEP:
            return IdleOutcome()  # nothing changes, so nothing to tell the views or sync
        return self._act(
            lambda: resolve_idle(self.tracker.context, choice, start, end, entry_id=entry_id)
        )

    def undo(self) -> str | None:
        """Undo the newest change; returns what was undone."""
        return self._act(self.tracker.undo)

    def create_project(self, name: str, client: str | None = None) -> Project | None:
        """Create a project (sent by the next sync)."""
        return self._created(self._act(lambda: self.tracker.create_project(name, client)))

    def create_task(self, project: str | Project, name: str) -> Task | None:
        """Create a task."""
        return self._created(self._act(lambda: self.tracker.create_task(project, name)))

    def create_tag(self, name: str) -> Tag | None:
        """Create a tag."""
        return self._created(self._act(lambda: self.tracker.create_tag(name)))

    def save_preferences(self, prefs: Preferences) -> bool:
        """Store new preferences and tell the widgets."""
        try:
            save_preferences(self.tracker.store, prefs)
        except (ValueError, StoreError) as exc:
            self.failed.emit(str(exc))
            return False
        self.preferences_changed.emit(prefs)
        return True

    def use_workspace(self, workspace: str) -> str | None:
        """Switch to a known workspace (id or name), as ``tracker workspace use`` does."""
        from tracker.sync.account import (  # noqa: PLC0415 - rare; keeps start-up light
            WorkspaceChoiceError,
            choose_workspace,
        )

        known = [(w.id, w.name) for w in self.workspaces()]
        try:
            chosen = choose_workspace(known, workspace, fallback=[])
            self.tracker.store.meta.set("workspace_id", chosen)
        except (WorkspaceChoiceError, StoreError) as exc:
            self.failed.emit(str(exc))
            return None
        self.changed.emit()
        return chosen

    def forget_account(self) -> int:
        """Local-only from now on, as ``tracker logout`` does: entries stay, unsent ones wait.

        Returns how many changes were not sent yet. The key itself is the caller's to remove.
        """
        store = self.tracker.store
        try:
            pending, _ = store.entries.counts(self.tracker.context.workspace_id)
            store.meta.set("account", None)
        except StoreError as exc:
            self.failed.emit(str(exc))
            return 0
        self.changed.emit()
        return pending

    def sync_now(self, *, pull: bool = True) -> None:
        """Ask the worker for a round now."""
        self.sync_requested.emit(pull)

    def refresh(self) -> None:
        """Another thread or process changed the store: let every view re-read."""
        self.catalog_changed.emit()
        self.changed.emit()

    # --- helpers ------------------------------------------------------------------------------

    def _act(self, action: Callable[[], T]) -> T | None:
        try:
            result = action()
        except ServiceError as exc:
            self.failed.emit(exc.message)
            return None
        except (StoreError, TimeParseError, ValueError) as exc:
            log.warning("action refused: %s", exc)
            self.failed.emit(str(exc))
            return None
        self.changed.emit()
        self.local_change.emit()
        return result

    def _started(self, result: StartResult | None) -> StartResult | None:
        if result is not None and result.note is not None:
            self.noted.emit(result.note)
        return result

    def _stopped(self, result: Entry | None) -> Entry | None:
        note = stop_note(result, self.now()) if result is not None and result.end else None
        if note is not None:
            self.noted.emit(note)
        return result

    def _created(self, made: T | None) -> T | None:
        if made is not None:
            self.catalog_changed.emit()
        return made

    def _task_name(self, entry: Entry) -> str | None:
        if entry.task_id is None:
            return None
        found = self.tracker.store.catalog.get("task", entry.task_id)
        return found.name if found is not None else None
