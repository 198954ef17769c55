"""The GUI thread's door to the use cases.

Every action is a request (:mod:`tracker.services.requests`) given to :meth:`Controller.act`:
it writes to the local store at once (a few milliseconds, never the network) and then says
``changed`` once, with a :class:`~tracker.services.changes.Changes` naming what changed, so
each view re-reads only what it shows. A refused action says ``failed`` with the service's
message instead of raising: a click handler has no one to raise to.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from tracker.domain.model import CustomFieldDef, Entry, Project, Tag, Task, WorkspaceInfo
from tracker.domain.timeutil import TimeParseError
from tracker.services.abilities import Abilities, abilities
from tracker.services.changes import EVERYTHING, Changes
from tracker.services.errors import ServiceError
from tracker.services.preferences import Preferences
from tracker.services.preferences import load as load_preferences
from tracker.services.recent import RecentEntry, recent_entries, suggestions
from tracker.services.tracker import Tracker
from tracker.services.views import DayView, EntryView, StatusView
from tracker.store import StoreError

if TYPE_CHECKING:
    from tracker.services.admin_projects import SpentBudget
    from tracker.services.requests import Request

__all__ = ["Controller", "RecentEntry"]

log = logging.getLogger(__name__)

T = TypeVar("T")


class Controller(QObject):
    """Actions and reads for the widgets, on the GUI thread's own store connection.

    Signals:
        changed(Changes): the local state changed (an action here, a sync round, another
            process); the value says what, so each view re-reads only what it shows.
        failed(str): an action was refused; the message is for the person.
        noted(str): an action went through but something about it must be said (the clock
            is behind the running timer's start, so it was stopped at its start).
        sync_requested(bool): the person asked for a sync now (``True``: pull too).
    """

    changed = Signal(Changes)
    failed = Signal(str)
    noted = Signal(str)
    sync_requested = Signal(bool)

    def __init__(self, tracker: Tracker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tracker = tracker
        """The use cases; widgets use :meth:`act` and the reads below instead."""

    # --- actions ------------------------------------------------------------------------------

    def act(self, request: Request[T]) -> T | None:
        """Do what ``request`` asks; its result, or ``None`` when it was refused (``failed``
        then says why and nothing changed)."""
        try:
            done = self.tracker.act(request)
        except ServiceError as exc:
            self.failed.emit(exc.message)
            return None
        except (StoreError, TimeParseError, ValueError) as exc:
            log.warning("action refused: %s", exc)
            self.failed.emit(str(exc))
            return None
        if done.note is not None:
            self.noted.emit(done.note)
        if done.changes:
            self.changed.emit(done.changes)
        return done.value

    def save_preferences(self, prefs: Preferences) -> bool:
        """Store new preferences (for the settings pages); whether they were saved."""
        from tracker.services.requests import SavePreferences  # noqa: PLC0415 - settings only

        return self.act(SavePreferences(prefs)) is not None

    def use_workspace(self, workspace: str) -> str | None:
        """Switch to a known workspace (id or name), as ``tracker workspace use`` does."""
        from tracker.services.requests import UseWorkspace  # noqa: PLC0415 - settings only

        return self.act(UseWorkspace(workspace))

    def forget_account(self) -> int:
        """Local-only from now on, as ``tracker logout`` does; how many changes were not sent
        yet. The key itself is the caller's to remove."""
        from tracker.services.requests import ForgetAccount  # noqa: PLC0415 - settings only

        return self.act(ForgetAccount()) or 0

    def warm_up(self) -> None:
        """Load what actions need (the requests, the editing services) now, after the icon
        shows, so that the first click does not pay for the imports."""
        import tracker.services.requests  # noqa: F401, PLC0415 - the point of this method

        _ = self.tracker.timer, self.tracker.entries

    def sync_now(self, *, pull: bool = True) -> None:
        """Ask the worker for a round now."""
        self.sync_requested.emit(pull)

    def refresh(self, changes: Changes = EVERYTHING) -> None:
        """Another thread or process changed the store: tell the views what (by default,
        anything may have)."""
        if changes:
            self.changed.emit(changes)

    # --- reads --------------------------------------------------------------------------------

    def reading(self) -> AbstractContextManager[object]:
        """Several of the reads below from one snapshot of the store (they agree while sync
        writes, and the settings they share are checked once); reads only."""
        return self.tracker.store.reading()

    def now(self) -> datetime:
        """The current instant (the tracker's clock)."""
        return self.tracker.context.now()

    def zone(self) -> tzinfo:
        """The zone days and typed times are read in (the profile's, else the system's)."""
        return self.tracker.context.zone()

    def today(self) -> date:
        """Today's date in the profile's zone."""
        return self.tracker.context.today()

    def zone_warning(self) -> str | None:
        """A sentence when the Clockify profile's zone differs from this computer's."""
        return self.tracker.views.zone_warning()

    def status(self) -> StatusView:
        """The running entry, today's total and the backlog."""
        return self.tracker.views.status()

    def day(self, day: date | None = None) -> DayView:
        """A day's entries and totals (today by default)."""
        return self.tracker.views.day(day)

    def week_totals(self, day: date, now: datetime) -> tuple[timedelta, timedelta]:
        """The week holding ``day``: its total as shown and to the second, at ``now``."""
        return self.tracker.views.week_totals(day, now)

    def day_again(self, shown: DayView, ids: Collection[str]) -> DayView:
        """``shown`` read again where ``ids`` (the entries a change wrote) and the running
        entry are concerned (see :meth:`Views.day_again`)."""
        return self.tracker.views.day_again(shown, ids)

    def running(self) -> Entry | None:
        """The running entry, if any."""
        return self.tracker.views.running()

    def timer(self) -> tuple[Entry | None, Entry | None]:
        """The running entry and the latest other one (see :meth:`Views.timer`)."""
        return self.tracker.views.timer()

    def entry_view(self, ref: str) -> EntryView:
        """One entry with names and sync state."""
        return self.tracker.views.entry(self.tracker.find(ref))

    def recent(self, limit: int = 5) -> list[RecentEntry]:
        """The latest distinct past entries (what Continue offers), newest first."""
        return recent_entries(self.tracker.context, limit)

    def suggestions(self, text: str, limit: int = 8) -> list[RecentEntry]:
        """Past work whose description holds ``text`` (the latest entry of each description,
        project and task), from the whole history, newest first."""
        return suggestions(self.tracker.context, text, limit)

    def descriptions(self, limit: int = 500) -> list[str]:
        """Distinct descriptions, most recently used first (for autocomplete)."""
        context = self.tracker.context
        return context.store.entries.descriptions(context.workspace_id, limit)

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

    def favourites(self) -> frozenset[str]:
        """The project and task ids pinned on top of the pickers in this workspace."""
        context = self.tracker.context
        return context.store.meta.favourites(context.workspace_id)

    def custom_fields(self) -> list[CustomFieldDef]:
        """The workspace's time-entry custom fields."""
        return self.tracker.context.custom_fields()

    def preferences(self) -> Preferences:
        """The saved preferences."""
        return load_preferences(self.tracker.store)

    def account(self) -> dict[str, Any] | None:
        """The connected account (user id, name, email), or ``None`` in local-only mode."""
        return self.tracker.store.meta.account()

    def workspaces(self) -> list[WorkspaceInfo]:
        """The account's workspaces as last fetched, by name."""
        return self.tracker.store.meta.workspaces()

    def abilities(self) -> Abilities:
        """What the workspace's plan and the person's role offer (from the store)."""
        return abilities(self.tracker.store)

    # --- projects' progress, from the kept administration copy (no request) ---

    def task_progress(self) -> dict[str, float]:
        """Local task id → tracked time as a share of its estimate (for the pickers)."""
        from tracker.services.admin_projects import task_progress  # noqa: PLC0415

        return task_progress(self.tracker.context)

    def spent_budget(self, project_id: str) -> SpentBudget | None:
        """The project when its budget is known to be spent (the popup asks first)."""
        from tracker.services.admin_projects import spent_budget  # noqa: PLC0415

        return spent_budget(self.tracker.context, project_id)

    def workspace_id(self) -> str:
        """The workspace new entries go to."""
        return self.tracker.context.workspace_id
