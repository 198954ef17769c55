"""Settling unclear creates: look on Clockify for what a create may have made, adopt it.

A create that went out without a clear answer is *unclear* (see :mod:`tracker.sync.unclear`
for when it may be sent again). :class:`UnclearCreates` looks for its copy (same start,
description and project, sync rule 3) and adopts it, merged over what the create carried; the
regular pull's page counts as a look too (:meth:`UnclearCreates.adopt_from`). Requests that
fail raise :class:`~tracker.api.ClockifyError`: the engine decides what that does to the round.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from tracker.api import ClockifyClient
from tracker.api.models import Rejected, TimeEntry
from tracker.store import EntryRow, Store
from tracker.sync.convert import entry_from_wire, wall_clock_filter
from tracker.sync.merge import merge
from tracker.sync.unclear import BootClock, Flight

__all__ = ["Notes", "UnclearCreates"]

log = logging.getLogger("tracker.sync")


class Notes(Protocol):
    """Where settling records what the round's report shows (a ``SyncReport``)."""

    adopted: int
    conflicts: int
    recheck_in: float | None


class UnclearCreates:
    """Looks for and adopts the copies unclear creates made, for one workspace of one user.

    Args:
        store: the store (on the calling thread).
        api: the Clockify client.
        workspace_id: the workspace.
        user_id: whose entries.
        clock: the current time (aware).
        boot: this boot's clock (the horizon of unclear creates).
    """

    def __init__(
        self,
        store: Store,
        api: ClockifyClient,
        *,
        workspace_id: str,
        user_id: str,
        clock: Callable[[], datetime],
        boot: BootClock,
    ) -> None:
        self.store = store
        self.api = api
        self.ws = workspace_id
        self.user_id = user_id
        self.clock = clock
        self.boot = boot

    async def settle_all(self, notes: Notes, rejects: list[Rejected]) -> None:
        """Look for every unclear create that is due (unreadable items go to ``rejects``)."""
        for row in self.store.entries.pending(self.ws):
            if row.unclear:
                await self.settle(row, notes, rejects)

    async def settle(self, row: EntryRow, notes: Notes, rejects: list[Rejected]) -> bool:
        """Look on Clockify for the entry an unclear create may have made; adopt it if there.

        Returns whether the question is settled: adopted, or certainly not there (the horizon
        had passed before the look), in which case the flag is cleared and the push creates it.
        Otherwise the row stays unclear and is never sent again. Before the horizon a look
        costs a request only every :data:`~tracker.sync.unclear.LOOK_AGAIN`.

        The look is for what the create carried (start, description, project), not for the
        row as the user edited it since.
        """
        now, boot = self.clock().timestamp(), self.boot()
        flight = Flight(row.sent_at, row.sent_boot, row.looked_at)
        passed = flight.horizon_passed(now, boot)
        if not passed and not flight.look_due(now):
            self._recheck(flight, notes)
            return False
        start = datetime.fromisoformat((row.sent or row.entry.fields())["start"])
        unreadable: list[Rejected] = []
        candidates = [
            wire
            async for wire in self.api.time_entries.list(
                self.ws,
                self.user_id,
                start=wall_clock_filter(start - timedelta(days=1)),
                end=wall_clock_filter(start + timedelta(days=1)),
                rejects=unreadable,
            )
        ]
        rejects.extend(unreadable)
        entries = self.store.entries
        for wire in candidates:
            if entries.by_server_id(self.ws, wire.id) is None and self.made_by(row, wire):
                return self.adopt(row, wire, notes)
        # An unreadable entry the store does not know might be the copy: wait for it.
        unknown = [
            bad for bad in unreadable if bad.id is None or not entries.by_server_id(self.ws, bad.id)
        ]
        if not passed or unknown:
            entries.note_looked(row.id, now)
            sent_at = None if row.sent_at is None else min(row.sent_at, now)
            self._recheck(Flight(sent_at, row.sent_boot, now), notes)
            return False
        # Not there, and the horizon had passed before the look: it never landed.
        log.info("unclear create of %s did not land; it is sent again", row.id)
        entries.record_not_sent(row.id)
        return True

    def adopt_from(self, wires: list[TimeEntry], notes: Notes) -> set[str]:
        """Adopt the entries among ``wires`` (a page the pull read) that unclear creates made;
        their ids."""
        unclear = [row for row in self.store.entries.pending(self.ws) if row.unclear]
        adopted: set[str] = set()
        for wire in wires:
            if not unclear or self.store.entries.by_server_id(self.ws, wire.id) is not None:
                continue
            maker = next((row for row in unclear if self.made_by(row, wire)), None)
            if maker is not None and self.adopt(maker, wire, notes):
                unclear.remove(maker)
                adopted.add(wire.id)
        return adopted

    def made_by(self, row: EntryRow, wire: TimeEntry) -> bool:
        """Whether ``wire`` is what the unclear create of ``row`` carried: the same start,
        description and project (sync rule 3), whatever happened to it since."""
        sent = row.sent or row.entry.fields()
        project = sent.get("project_id")
        server_project = self.store.catalog.server_id("project", project) if project else None
        return (
            wire.start == datetime.fromisoformat(sent["start"])
            and wire.description == sent["description"]
            and (wire.project_id or None) == server_project
        )

    def adopt(self, row: EntryRow, wire: TimeEntry, notes: Notes) -> bool:
        """Clockify has the entry the unclear create of ``row`` made: that is its copy.

        Merged over what the create carried: a field changed only in Clockify since (the
        timer stopped in the web app) is taken, one changed only here stays pending, both
        as a compare-and-set on the row's version (an edit meanwhile: the next look adopts).
        A timer's start also stopped, on Clockify, the timer that ran there: that stop was
        ours, and is recorded as such. Returns whether it was adopted.
        """
        entries = self.store.entries
        remote = entry_from_wire(wire, self.ws, self.store.catalog, local_id=row.id)
        remote_fields = remote.fields()
        sent = row.sent or row.entry.fields()
        if row.deleted:  # the delete goes out next
            entries.record_synced(
                row.id,
                server_id=wire.id,
                sent_version=row.synced_version,
                server_fields=remote_fields,
            )
        else:
            result = merge(sent, row.entry.fields(), remote_fields)
            merged = row.entry.with_fields(result.fields)
            settled = merged.fields() == remote_fields
            if not entries.adopt_remote(
                self.ws,
                wire.id,
                merged,
                local_id=row.id,
                keep_local_version=not settled,
                server_fields=remote_fields,
                expect_version=row.version,
            ):
                return False
            for conflict in result.conflicts:
                self.store.meta.add_conflict(
                    row.id, conflict.field, conflict.kept, conflict.overwritten
                )
                notes.conflicts += 1
        if sent.get("end") is None:
            entries.note_stopped_by_start(self.ws, wire.start, but=row.id)
        log.info("adopted entry %s that an unclear create had made", wire.id)
        notes.adopted += 1
        return True

    def _recheck(self, flight: Flight, notes: Notes) -> None:
        """Note when an unclear create is next due to be looked for."""
        wait = flight.next_check(self.clock().timestamp(), self.boot())
        notes.recheck_in = wait if notes.recheck_in is None else min(notes.recheck_in, wait)
