"""What every service needs: the store, the clock, and the current workspace's facts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo

from tracker.domain.model import LOCAL_WORKSPACE, CustomFieldDef, WorkspaceRules, utc
from tracker.domain.timeutil import zone
from tracker.services.changes import Changes
from tracker.services.zones import system_zone
from tracker.store import Store

__all__ = ["LOCAL_WORKSPACE", "Clock", "Context", "system_clock"]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, aware and in UTC."""
    return datetime.now(UTC)


class Context:
    """The store and clock a set of services shares, and lookups of the current workspace.

    Nothing is cached: another process (the tray app, another CLI call) may switch the
    workspace or refresh the rules at any time, and each lookup is one indexed read.

    While an operation runs, the services :meth:`note` what they write; whoever ran the
    operation :meth:`takes <take_noted>` the sum (:meth:`Tracker.act
    <tracker.services.tracker.Tracker.act>` does).
    """

    def __init__(self, store: Store, clock: Clock = system_clock) -> None:
        self.store = store
        self.clock = clock
        self._noted = Changes()

    def note(self, changes: Changes) -> None:
        """Add to what the running operation changed."""
        self._noted |= changes

    def take_noted(self) -> Changes:
        """What was noted since the last take (and forget it)."""
        noted, self._noted = self._noted, Changes()
        return noted

    def now(self) -> datetime:
        """The current instant in whole seconds (what the store keeps)."""
        return utc(self.clock())

    @property
    def workspace_id(self) -> str:
        """The workspace new entries go to; :data:`LOCAL_WORKSPACE` with no account."""
        return self.store.meta.workspace_id() or LOCAL_WORKSPACE

    @property
    def connected(self) -> bool:
        """Whether a Clockify account is connected (rows then have a sync state to show)."""
        return self.store.meta.connected()

    def rules(self) -> WorkspaceRules:
        """The current workspace's rules as last fetched (none in local-only mode)."""
        info = self.store.meta.workspace(self.workspace_id)
        return info.rules if info is not None else WorkspaceRules()

    def custom_fields(self) -> list[CustomFieldDef]:
        """The workspace's active time-entry custom fields."""
        return [
            item
            for item in self.store.catalog.all("field", self.workspace_id)
            if isinstance(item, CustomFieldDef)
        ]

    def zone(self) -> tzinfo:
        """Where days begin: the Clockify profile's zone when known, else the system's."""
        return zone(self.store.meta.profile().time_zone, system_zone())

    def today(self) -> date:
        """The current date in :meth:`zone`."""
        return self.now().astimezone(self.zone()).date()
