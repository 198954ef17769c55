"""What the person can ask for, one small value per operation: the one narrow door to the use
cases for the GUI (``Controller.act``) and the CLI (``Tracker.act``).

Each request holds its parameters once and knows which service does it; :meth:`Tracker.act
<tracker.services.tracker.Tracker.act>` runs it and returns a :class:`Done` with the result
and the :class:`~tracker.services.changes.Changes` it made (a :class:`~tracker.services.
tracker.Done`). A request that is refused raises
:class:`~tracker.services.errors.ServiceError` (or a store or parse error) and writes nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, MutableSet, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tracker.domain.model import Client, Entry, Project, Tag, Task
from tracker.services.changes import Changes
from tracker.services.errors import ServiceError
from tracker.store.report_cache import ReportCache

if TYPE_CHECKING:
    from tracker.services.idle import IdleChoice, IdleOutcome
    from tracker.services.preferences import Preferences
    from tracker.services.timer import StartResult
    from tracker.services.tracker import Tracker

__all__ = [
    "Add",
    "AddToDay",
    "Backdate",
    "Continue",
    "CreateClient",
    "CreateProject",
    "CreateTag",
    "CreateTask",
    "Delete",
    "Discard",
    "Edit",
    "FillGap",
    "ForgetAccount",
    "Request",
    "ResolveIdle",
    "SavePreferences",
    "SetFavourite",
    "Split",
    "Start",
    "Stop",
    "Toggle",
    "Undo",
    "UseWorkspace",
]

T_co = TypeVar("T_co", covariant=True)


class Request(ABC, Generic[T_co]):
    """One operation; subclasses are frozen dataclasses of its parameters."""

    @abstractmethod
    def run(self, tracker: Tracker) -> T_co:
        """Do it (one transaction); the services note what they write."""

    def note(self, _result: Any, _now: datetime, /) -> str | None:
        """A sentence for the person about the result (at ``now``), if it needs one."""
        return None


# --- the timer --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start(Request["StartResult"]):
    """Start a timer, stopping the running one at the same instant.

    ``project``, ``task`` and ``tags`` are ids or names; ``billable`` defaults to the
    project's; ``at`` backdates the start.
    """

    description: str = ""
    project: str | None = None
    task: str | None = None
    tags: Sequence[str] = ()
    billable: bool | None = None
    at: datetime | None = None
    fields: Mapping[str, Any] | None = None

    def run(self, tracker: Tracker) -> StartResult:
        return tracker.timer.start(
            self.description,
            project=self.project,
            task=self.task,
            tags=self.tags,
            billable=self.billable,
            at=self.at,
            fields=self.fields,
        )

    def note(self, result: Any, _now: datetime, /) -> str | None:
        return _start_note(result)


@dataclass(frozen=True)
class Continue(Request["StartResult"]):
    """Start again the ``which``-th latest distinct entry (1: the latest), or the entry an id,
    short id or ``#N`` names."""

    which: int | str = 1
    at: datetime | None = None

    def run(self, tracker: Tracker) -> StartResult:
        return tracker.timer.continue_(self.which, self.at)

    def note(self, result: Any, _now: datetime, /) -> str | None:
        return _start_note(result)


@dataclass(frozen=True)
class Stop(Request[Entry]):
    """Stop the running timer now, or at ``at``."""

    at: datetime | None = None

    def run(self, tracker: Tracker) -> Entry:
        return tracker.timer.stop(self.at)

    def note(self, result: Any, now: datetime, /) -> str | None:
        return _stop_note(result, now)


@dataclass(frozen=True)
class Toggle(Request[Entry]):
    """Stop the running timer; with none, continue the latest entry (an empty timer when
    there is no entry yet). Returns the entry stopped or started."""

    def run(self, tracker: Tracker) -> Entry:
        timer = tracker.timer
        if timer.running() is not None:
            return timer.stop()
        if tracker.store.entries.latest(tracker.context.workspace_id, 1):
            return timer.continue_(1).started
        return timer.start().started

    def note(self, result: Any, now: datetime, /) -> str | None:
        return _stop_note(result, now)


@dataclass(frozen=True)
class Discard(Request[Entry]):
    """Throw the running entry away (undo brings it back)."""

    def run(self, tracker: Tracker) -> Entry:
        return tracker.timer.discard()


@dataclass(frozen=True)
class Backdate(Request[Entry]):
    """Move the running entry's start to ``at``."""

    at: datetime

    def run(self, tracker: Tracker) -> Entry:
        return tracker.timer.backdate(self.at)


@dataclass(frozen=True)
class ResolveIdle(Request["IdleOutcome"]):
    """The idle prompt's answer for an absence from ``start`` to ``end`` while ``entry_id``
    ran (see :mod:`tracker.services.idle`)."""

    choice: IdleChoice | str
    start: datetime
    end: datetime
    entry_id: str | None = None

    def run(self, tracker: Tracker) -> IdleOutcome:
        from tracker.services.idle import resolve  # noqa: PLC0415 - only when asked

        return resolve(tracker.context, self.choice, self.start, self.end, entry_id=self.entry_id)


# --- entries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Add(Request[Entry]):
    """Add a finished entry from ``start`` to ``end`` (or for ``duration``)."""

    start: datetime
    end: datetime | None = None
    description: str = ""
    project: str | None = None
    task: str | None = None
    tags: Sequence[str] = ()
    billable: bool | None = None
    duration: timedelta | None = None
    fields: Mapping[str, Any] | None = None

    def run(self, tracker: Tracker) -> Entry:
        return tracker.entries.add(
            self.start,
            self.end,
            self.description,
            project=self.project,
            task=self.task,
            tags=self.tags,
            billable=self.billable,
            duration=self.duration,
            fields=self.fields,
        )


@dataclass(frozen=True)
class AddToDay(Request[Entry]):
    """Add an entry where a new one goes on ``day`` (:func:`~tracker.services.placing.
    new_entry_span`), for the person to describe."""

    day: date

    def run(self, tracker: Tracker) -> Entry:
        from tracker.services.placing import new_entry_span  # noqa: PLC0415

        context = tracker.context
        start, end = new_entry_span(
            tracker.views.day(self.day), context.today(), context.now(), context.zone()
        )
        return tracker.entries.add(start, end)


@dataclass(frozen=True)
class FillGap(Request[Entry]):
    """Add an entry over the untracked time before the entry ``ref`` on ``day``."""

    ref: str
    day: date

    def run(self, tracker: Tracker) -> Entry:
        from tracker.services.placing import gap_before  # noqa: PLC0415

        entry = tracker.find(self.ref).entry
        start, end = gap_before(tracker.views.day(self.day), entry.id)
        return tracker.entries.add(start, end)


@dataclass(frozen=True)
class Edit(Request[Entry]):
    """Change fields of the entry ``ref``: ``None`` leaves a field; an empty ``project`` or
    ``task`` and empty ``tags`` clear them (see :meth:`Entries.edit
    <tracker.services.entries.Entries.edit>`)."""

    ref: str
    description: str | None = None
    project: str | None = None
    task: str | None = None
    tags: Sequence[str] | None = None
    billable: bool | None = None
    start: datetime | None = None
    end: datetime | None = None
    duration: timedelta | None = None
    fields: Mapping[str, Any] | None = None

    def run(self, tracker: Tracker) -> Entry:
        return tracker.entries.edit(
            self.ref,
            description=self.description,
            project=self.project,
            task=self.task,
            tags=self.tags,
            billable=self.billable,
            start=self.start,
            end=self.end,
            duration=self.duration,
            fields=self.fields,
        )


@dataclass(frozen=True)
class Split(Request[tuple[Entry, Entry]]):
    """Cut the entry ``ref`` in two at ``at``."""

    ref: str
    at: datetime

    def run(self, tracker: Tracker) -> tuple[Entry, Entry]:
        return tracker.entries.split(self.ref, self.at)


@dataclass(frozen=True)
class Delete(Request[Entry]):
    """Delete the entry ``ref`` (undo brings it back)."""

    ref: str

    def run(self, tracker: Tracker) -> Entry:
        return tracker.entries.delete(self.ref)


@dataclass(frozen=True)
class Undo(Request[str]):
    """Undo the newest change; returns ``undid <what>``. With ``touching`` (an entry id),
    only if that change was to this entry (an undo button offered for one change)."""

    touching: str | None = None

    def run(self, tracker: Tracker) -> str:
        return tracker.entries.undo(self.touching)


# --- reference data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateProject(Request[Project]):
    """Create a project (of ``client``, an id or name), sent by the next sync."""

    name: str
    client: str | None = None
    color: str | None = None
    billable: bool = False

    def run(self, tracker: Tracker) -> Project:
        return tracker.catalog.create_project(
            self.name, self.client, self.color, billable=self.billable
        )


@dataclass(frozen=True)
class CreateTask(Request[Task]):
    """Create a task of ``project`` (a project, or its id or name)."""

    project: str | Project
    name: str

    def run(self, tracker: Tracker) -> Task:
        return tracker.catalog.create_task(self.project, self.name)


@dataclass(frozen=True)
class CreateTag(Request[Tag]):
    """Create a tag."""

    name: str

    def run(self, tracker: Tracker) -> Tag:
        return tracker.catalog.create_tag(self.name)


@dataclass(frozen=True)
class CreateClient(Request[Client]):
    """Create a client."""

    name: str

    def run(self, tracker: Tracker) -> Client:
        return tracker.catalog.create_client(self.name)


# --- account and preferences ------------------------------------------------------------------

ACCOUNT_SWITCH = Changes(
    entries=True, days=None, running=True, catalog=True, account=True, sync=True
)
"""A different workspace (or none) shows different entries, timer, catalog and backlog."""


@dataclass(frozen=True)
class UseWorkspace(Request[str]):
    """Switch to a known workspace (id or name), as ``tracker workspace use`` does."""

    workspace: str

    def run(self, tracker: Tracker) -> str:
        from tracker.sync.account import (  # noqa: PLC0415 - rare; keeps start-up light
            WorkspaceChoiceError,
            choose_workspace,
        )

        meta = tracker.store.meta
        known = [(w.id, w.name) for w in meta.workspaces()]
        try:
            chosen = choose_workspace(known, self.workspace, fallback=[])
        except WorkspaceChoiceError as exc:
            raise ServiceError(str(exc)) from exc
        meta.set_workspace_id(chosen)
        tracker.context.note(ACCOUNT_SWITCH)
        return chosen


@dataclass(frozen=True)
class ForgetAccount(Request[int]):
    """Local-only from now on, as ``tracker logout`` does: entries stay, unsent ones wait.

    Returns how many changes were not sent yet. The key itself is the caller's to remove.
    """

    def run(self, tracker: Tracker) -> int:
        store = tracker.store
        pending, _ = store.entries.counts(tracker.context.workspace_id)
        store.meta.set_account(None)
        ReportCache(store.conn).clear()  # Clockify's reports leave with the account
        tracker.context.note(ACCOUNT_SWITCH)
        return pending


@dataclass(frozen=True)
class SavePreferences(Request["Preferences"]):
    """Store new preferences (checked first)."""

    preferences: Preferences

    def run(self, tracker: Tracker) -> Preferences:
        from tracker.services.preferences import save  # noqa: PLC0415

        save(tracker.store, self.preferences)
        tracker.context.note(Changes(preferences=True))
        return self.preferences


@dataclass(frozen=True)
class SetFavourite(Request[bool]):
    """Pin a project or a task on top of every picker, or unpin it (``on=None`` toggles);
    whether it is pinned now. Kept per workspace, on this computer only.

    A task is pinned on its own or through its project (which pins all its tasks), so
    unpinning a task pinned through its project unpins the project: the star goes from the
    row the person pointed at.
    """

    project_id: str
    task_id: str | None = None
    on: bool | None = None

    def run(self, tracker: Tracker) -> bool:
        pinned: list[bool] = []
        project, task = self.project_id, self.task_id

        def change(ids: MutableSet[str]) -> None:
            own = task or project
            now = own in ids or (task is not None and project in ids)
            wanted = not now if self.on is None else self.on
            if wanted:
                ids.add(own)
            else:
                ids.discard(own)
                if task is not None:
                    ids.discard(project)
            pinned.append(wanted)

        tracker.store.meta.set_favourites(tracker.context.workspace_id, change)
        tracker.context.note(Changes(favourites=True))
        return pinned[-1]


# --- helpers ----------------------------------------------------------------------------------


def _start_note(result: Any) -> str | None:
    note = getattr(result, "note", None)
    return note if isinstance(note, str) else None


def _stop_note(result: Any, now: datetime) -> str | None:
    from tracker.services.timer import stop_note  # noqa: PLC0415

    if isinstance(result, Entry) and result.end is not None:
        return stop_note(result, now)
    return None
