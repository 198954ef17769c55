"""The sync engine: pull what changed on Clockify, then push what changed here.

One :meth:`SyncEngine.run_once` is a round. It spends requests only where they pay:

1. Reference data (projects with their tasks, clients, tags, custom fields) when it is stale
   or unknown: one request per 200 projects, since projects come hydrated with tasks.
2. Unclear creates first: a create that may have reached Clockify (a crash, a timeout, a
   dropped connection after sending) is looked for on the server and adopted. It is sent again
   only when a look made after :data:`UNCLEAR_HORIZON` (counted from when it went out) does
   not find it; until then it stays unclear and is shown so (rule 3).
3. One page of recent entries (the running one included) when a pull is due; merged field
   by field into rows with local changes (rule 5), deletions on Clockify detected.
4. Pending rows, oldest first: reference data created here before the entries using it
   (rule 2), then entries: create, full replace, or delete (rules 4 and 6).

Failures follow the rules: a 400 parks that row with Clockify's message and the round goes
on; a 401 stops and asks for a key; a 404 on update parks the row ("deleted in Clockify"); a
404 on delete counts as done; a network failure or an empty budget ends the round, with
nothing lost: the rows stay pending and the next round resumes. An item in a list that cannot
be read (a malformed entry from Clockify) is skipped and recorded, and the rest goes on.
Every write of server data into a row is a compare-and-set on the row's version: an edit made
while the round runs wins and stays pending. A round ends after :data:`ROUND_DEADLINE`
whatever the server does, so a trickling server cannot hold the sync lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NoReturn

from tracker.api import (
    BadRequestError,
    BudgetExhaustedError,
    ClockifyClient,
    ClockifyError,
    ForbiddenError,
    InvalidIdError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TlsError,
    TransportError,
    UnauthorizedError,
)
from tracker.api.models import Rejected, TimeEntry
from tracker.domain.model import utc
from tracker.store import EntryRow, Store
from tracker.store.meta import PULLED
from tracker.sync.convert import (
    UnsentReference,
    entry_from_wire,
    wall_clock_filter,
    wire_create,
    wire_update,
)
from tracker.sync.merge import merge
from tracker.sync.refs import ReferenceSync
from tracker.sync.settle import UnclearCreates
from tracker.sync.unclear import LOOK_AGAIN, UNCLEAR_HORIZON, BootClock, boot_clock, boot_stamp

__all__ = [
    "LOOK_AGAIN",
    "UNCLEAR_HORIZON",
    "SyncEngine",
    "SyncReport",
    "note_failure",
]

log = logging.getLogger("tracker.sync")

ROUND_DEADLINE = 240.0
"""Seconds one round may take, whatever the server does. Shorter than the sync lease (300 s),
so a lease never expires under a round that still sends."""
REJECTS_KEPT = 50
"""How many unreadable server items the store remembers for ``tracker doctor``."""
CONFIRM_GONE = 5
"""Entries the pull no longer lists that a round confirms gone (one request each): the rest
wait for the next round, so a mass delete in Clockify cannot empty the budget at once."""
PULL_WINDOW = timedelta(days=7)
PULL_PAGE = 200
DELETED_ON_SERVER = (
    "This entry was deleted in Clockify. Edit it to send it again as a new entry, "
    "or delete it here too."
)


@dataclass
class SyncReport:
    """What a round did and why it stopped."""

    requests: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    pulled: int = 0
    adopted: int = 0
    refs_refreshed: bool = False
    parked: list[tuple[str, str]] = field(default_factory=list)
    conflicts: int = 0
    auth_required: bool = False
    offline: str | None = None
    """Clockify could not be reached or failed (network, timeout, 5xx): try again later."""
    error: str | None = None
    """The round stopped on an answer it could not use (unreadable, unexpected): try later."""
    retry_in: float | None = None
    pending: int = 0
    unclear: int = 0
    """Creates that went out with no clear answer and were not found on Clockify yet."""
    recheck_in: float | None = None
    """Seconds until an unclear create is due to be looked for again."""
    rejected: list[tuple[str | None, str]] = field(default_factory=list)
    """Items Clockify sent that could not be read (id if known, why); skipped."""

    @property
    def complete(self) -> bool:
        """Whether the round ran to the end (nothing stopped it)."""
        return (
            not self.auth_required
            and self.offline is None
            and self.error is None
            and self.retry_in is None
        )


class _Stop(Exception):
    """Ends the round early (network, budget, auth); the report already says why."""


class SyncEngine:
    """Runs sync rounds for one workspace of one user.

    Args:
        store: the store (on the calling thread).
        api: the Clockify client (its budget is the one every request spends).
        workspace_id: the workspace to sync.
        user_id: whose entries.
        clock: the current time (aware).
        boot: this boot's clock, which no clock change moves (the horizon of unclear creates).
    """

    def __init__(
        self,
        store: Store,
        api: ClockifyClient,
        *,
        workspace_id: str,
        user_id: str,
        clock: Callable[[], datetime],
        boot: BootClock = boot_clock,
    ) -> None:
        self.store = store
        self.api = api
        self.ws = workspace_id
        self.user_id = user_id
        self.clock = clock
        self.boot = boot
        self.refs = ReferenceSync(store, api, workspace_id=workspace_id, clock=clock, boot=boot)
        self.unclear = UnclearCreates(
            store, api, workspace_id=workspace_id, user_id=user_id, clock=clock, boot=boot
        )

    async def run_once(self, *, pull: bool = True, refresh_refs: bool | None = None) -> SyncReport:
        """One round: refresh what is stale, reconcile, pull when asked, push everything."""
        report = SyncReport()
        spent_before = self.api.budget.spent()
        try:
            async with asyncio.timeout(ROUND_DEADLINE):
                if refresh_refs or (refresh_refs is None and self.refs.stale()):
                    await self.refresh_reference_data(report)
                await self._settle_unclear_creates(report)
                if pull:
                    await self._pull_recent(report)
                await self._push_refs(report)
                await self._push_entries(report)
        except _Stop:
            pass
        except TimeoutError:
            log.warning("sync round cut off after %.0f s", ROUND_DEADLINE)
            report.offline = (
                f"Clockify answered too slowly: the round stopped after {ROUND_DEADLINE:.0f} s. "
                "Nothing is lost; the rest is sent in the next round."
            )
        finally:
            self._remember_rejects(report)
            report.requests = self.api.budget.spent() - spent_before
            report.pending = self.store.entries.counts(self.ws)[0]
            report.unclear = self.store.entries.unclear_count(
                self.ws
            ) + self.store.catalog.unclear_count(self.ws)
            self.store.meta.set_last_sync(self._sync_record(report))
        return report

    # --- reference data (tracker.sync.refs) ------------------------------------------------

    async def refresh_reference_data(self, report: SyncReport) -> None:
        """Fetch projects (with tasks), clients, tags and custom fields; replace the cache."""
        rejects: list[Rejected] = []
        try:
            await self.refs.refresh(rejects)
        except ClockifyError as exc:
            self._stop_on(exc, report)
        self._rejected(rejects, "reference item", report)
        report.refs_refreshed = True

    async def fetch_reference_data(self, report: SyncReport) -> None:
        """Only :meth:`refresh_reference_data`, outside a round: for a CLI verb that needs
        the names before any round ran. A failure is noted in ``report``."""
        try:
            await self.refresh_reference_data(report)
        except _Stop:
            return

    async def _push_refs(self, report: SyncReport) -> None:
        """Send the clients, projects, tasks and tags created here (before the entries)."""
        try:
            await self.refs.push(report)
        except ClockifyError as exc:
            self._stop_on(exc, report)

    # --- pull -----------------------------------------------------------------------------

    async def _pull_recent(self, report: SyncReport) -> None:
        """One page of the newest entries: the running one and recent edits made elsewhere."""
        since = utc(self.clock()) - PULL_WINDOW
        rejects: list[Rejected] = []
        try:
            pages = self.api.time_entries.list_pages(
                self.ws,
                self.user_id,
                start=wall_clock_filter(since),
                page_size=PULL_PAGE,
                rejects=rejects,
            )
            page: list[TimeEntry] = await anext(aiter(pages), [])
            await pages.aclose()  # type: ignore[attr-defined]
        except ClockifyError as exc:
            self._stop_on(exc, report)
        self.store.meta.set_fetched_at(PULLED, self.ws, self.clock().timestamp())
        self._rejected(rejects, "time entry", report)
        seen = {wire.id for wire in page} | {bad.id for bad in rejects if bad.id}
        # The page is a look too: an entry an unclear create made (committed late, after the
        # last look) is that row's copy, never a new entry of its own. Adopted first, so the
        # stop its start caused on Clockify is known before the other entries are merged.
        adopted = self.unclear.adopt_from(page, report)
        for wire in page:
            if wire.id not in adopted:
                self._merge_remote(wire, report)
        if any(bad.id is None for bad in rejects):
            return  # an entry without a readable id: nothing can be judged deleted this round
        # Rows Clockify had (inside the span this page covers) that it no longer lists.
        if len(page) + len(rejects) < PULL_PAGE:
            covered_from = since + timedelta(days=1)  # margin for the zone of the filter
        elif page:
            covered_from = min(wire.start for wire in page) + timedelta(seconds=1)
        else:
            return  # a full page of unreadable entries covers no span that can be judged
        known = self.store.entries.server_ids_between(
            self.ws, covered_from, utc(self.clock()) + timedelta(days=2)
        )
        gone = {server: local for server, local in known.items() if server not in seen}
        await self._confirm_gone(gone, report)

    async def _confirm_gone(self, gone: dict[str, str], report: SyncReport) -> None:
        """Ask Clockify about entries the pull no longer lists before forgetting them here.

        The page covers a span by the entries' start on Clockify; a row here is judged by its
        local start, and either may have moved (an entry moved out of the span in Clockify,
        or moved into it here). One request each, a few per round.
        """
        confirmed: dict[str, str] = {}
        for server_id, local_id in list(gone.items())[:CONFIRM_GONE]:
            try:
                wire = await self.api.time_entries.get(self.ws, server_id)
            except NotFoundError:
                confirmed[server_id] = local_id
                continue
            except ClockifyError as exc:
                self._handle_deleted_remotely(confirmed)
                self._stop_on(exc, report)
            self._merge_remote(wire, report)  # still there, elsewhere in time
        self._handle_deleted_remotely(confirmed)

    def _merge_remote(self, wire: TimeEntry, report: SyncReport) -> None:
        """Bring one server entry into the store, as a compare-and-set on the row's version.

        The row is read, merged and written back only if its version is still the one read:
        an edit committed in between (the GUI thread, a CLI call) wins and stays pending, and
        the next pull merges again.
        """
        entries = self.store.entries
        row = entries.by_server_id(self.ws, wire.id)
        local_id = row.id if row else wire.id
        remote = entry_from_wire(wire, self.ws, self.store.catalog, local_id=local_id)
        remote_fields = remote.fields()
        if row is None:
            entries.adopt_remote(self.ws, wire.id, remote)
            report.pulled += 1
            return
        if row.deleted or row.parked:
            return  # our delete goes out next; a parked row waits for the user
        if not row.pending:
            if row.synced != remote_fields and entries.adopt_remote(
                self.ws, wire.id, remote, local_id=row.id, expect_version=row.version
            ):
                report.pulled += 1
            return
        result = merge(row.synced, row.entry.fields(), remote_fields)
        if not result.took_remote and not result.conflicts:
            # Only our side changed: keep the row pending; the server's copy is the new base.
            entries.adopt_remote(
                self.ws,
                wire.id,
                row.entry,
                local_id=row.id,
                keep_local_version=True,
                server_fields=remote_fields,
                expect_version=row.version,
            )
            return
        merged = row.entry.with_fields(result.fields)
        if not entries.adopt_remote(
            self.ws,
            wire.id,
            merged,
            local_id=row.id,
            keep_local_version=True,
            server_fields=remote_fields,
            expect_version=row.version,
        ):
            return  # edited meanwhile: that edit wins; the next pull merges again
        for conflict in result.conflicts:
            self.store.meta.add_conflict(
                row.id, conflict.field, conflict.kept, conflict.overwritten
            )
            report.conflicts += 1
        report.pulled += 1

    def _handle_deleted_remotely(self, gone: dict[str, str]) -> None:
        quiet = []
        for local_id in gone.values():
            row = self.store.entries.get(local_id)
            if row is None or row.deleted:
                continue
            if row.pending:
                self.store.entries.park_gone(local_id, DELETED_ON_SERVER, sent_version=row.version)
            else:
                quiet.append(local_id)
        self.store.entries.forget_remote(quiet)

    # --- unclear creates (tracker.sync.settle) ---------------------------------------------

    async def _settle_unclear_creates(self, report: SyncReport) -> None:
        """Look for the creates that went out without a clear answer, and adopt their copies."""
        rejects: list[Rejected] = []
        try:
            await self.unclear.settle_all(report, rejects)
        except ClockifyError as exc:
            self._rejected(rejects, "time entry", report)
            self._stop_on(exc, report)
        self._rejected(rejects, "time entry", report)

    # --- push -----------------------------------------------------------------------------

    async def _push_entries(self, report: SyncReport) -> None:
        rows = [
            row for row in self.store.entries.pending(self.ws) if not row.parked and not row.unclear
        ]
        # Starting a timer on Clockify stops the running one at the new start (FACTS §5).
        # A stop that only set the old entry's end to that instant needs no request of its own.
        new_timer_starts = {
            row.entry.start
            for row in rows
            if row.server_id is None and row.entry.running and not row.deleted
        }
        stopped_by_start = [row for row in rows if _only_stopped_at(row, new_timer_starts)]
        # Any other stop of the timer running on Clockify goes before the creates: a new timer
        # that started earlier than the running one (the clock was behind it) must not be
        # what stops it on Clockify.
        rows.sort(key=lambda row: not _stops_remote_timer(row))
        for row in rows:
            if row in stopped_by_start:
                continue
            current = self.store.entries.get(row.id)
            if current is None or not current.pending or current.parked or current.unclear:
                continue  # changed meanwhile by another process
            await self._push_entry(current, report)
        for row in stopped_by_start:
            current = self.store.entries.get(row.id)
            if current is None or current.version != row.version:
                continue  # edited meanwhile: the next round sends it
            if self._new_timer_sent(row.entry.end):
                self.store.entries.record_synced(
                    row.id,
                    server_id=row.server_id or "",
                    sent_version=row.version,
                    server_fields=row.entry.fields(),
                )
            else:
                await self._push_entry(current, report)

    def _new_timer_sent(self, start: datetime | None) -> bool:
        if start is None:
            return False
        running = self.store.entries.running(self.ws)
        return running is not None and running.entry.start == start and not running.pending

    async def _push_entry(self, row: EntryRow, report: SyncReport) -> None:
        entries, ws = self.store.entries, self.ws
        try:
            if row.deleted:
                await self._push_delete(row, report)
            elif row.server_id is None:
                create = wire_create(row.entry, self.store.catalog)
                if not entries.mark_in_flight(
                    row.id,
                    row.entry.fields(),
                    at=self.clock().timestamp(),
                    boot=boot_stamp(self.boot),
                    expect_version=row.version,
                ):
                    return  # removed or edited since it was read: the next round reads it
                made = await self.api.time_entries.create(ws, create)
                self._record(row, made)
                report.created += 1
            else:
                update = wire_update(row.entry, self.store.catalog)
                made = await self.api.time_entries.update(ws, row.server_id, update)
                self._record(row, made)
                report.updated += 1
        except UnsentReference as exc:
            # Its project, task or tag is not on Clockify (refused, or waiting for a round
            # with budget): the entry stays pending and goes once the reference has.
            log.info("entry %s waits for its %s %s", row.id, exc.kind, exc.local_id)
        except NotFoundError:
            entries.park_gone(row.id, DELETED_ON_SERVER, sent_version=row.version)
            report.parked.append((row.id, DELETED_ON_SERVER))
        except (BadRequestError, ForbiddenError, InvalidIdError) as exc:
            # Refused, or (an id the store got before ids were checked) never sent at all.
            if row.deleted:  # a refused delete: back where the person sees it, with why
                entries.revive_refused_delete(row.id, exc.message)
            else:
                entries.park(row.id, exc.message, sent_version=row.version)
            report.parked.append((row.id, exc.message))
        except ClockifyError as exc:
            if not exc.maybe_committed and row.server_id is None and not row.deleted:
                entries.record_not_sent(row.id)
            self._stop_on(exc, report)

    async def _push_delete(self, row: EntryRow, report: SyncReport) -> None:
        """Delete the entry on Clockify (a 404 counts as done), or only here if never sent."""
        if row.server_id is None:
            self.store.entries.record_deleted(row.id)
            return
        with contextlib.suppress(NotFoundError):  # 404 on delete: gone, as wanted
            await self.api.time_entries.delete(self.ws, row.server_id)
        self.store.entries.record_deleted(row.id, sent_version=row.version)
        report.deleted += 1

    def _record(self, row: EntryRow, made: TimeEntry) -> None:
        remote = entry_from_wire(made, self.ws, self.store.catalog, local_id=row.id)
        self.store.entries.record_synced(
            row.id, server_id=made.id, sent_version=row.version, server_fields=remote.fields()
        )

    # --- failures -------------------------------------------------------------------------

    def _stop_on(self, exc: ClockifyError, report: SyncReport) -> NoReturn:
        """Note why the round stops; raise :class:`_Stop` to end it."""
        note_failure(report, exc)
        if isinstance(exc, UnauthorizedError):
            self.store.meta.set_auth_required(exc.message)
        log.info("sync round stopped: %s", exc.message)
        raise _Stop from exc

    # --- what could not be read -----------------------------------------------------------

    def _rejected(self, rejects: list[Rejected], what: str, report: SyncReport) -> None:
        for bad in rejects:
            log.warning("skipped a %s Clockify sent (id %s): %s", what, bad.id or "?", bad.reason)
            report.rejected.append((bad.id, f"{what}: {bad.reason}"))

    def _remember_rejects(self, report: SyncReport) -> None:
        """Keep the latest unreadable items for ``tracker doctor``."""
        if report.rejected:
            self.store.meta.remember_rejected(
                report.rejected, self.clock().timestamp(), keep=REJECTS_KEPT
            )

    def _sync_record(self, report: SyncReport) -> dict[str, Any]:
        return {
            "at": self.clock().timestamp(),
            "complete": report.complete,
            "offline": report.offline,
            "error": report.error,
            "auth_required": report.auth_required,
            "retry_in": report.retry_in,
            "requests": report.requests,
        }


def note_failure(report: SyncReport, exc: ClockifyError) -> None:
    """Say in ``report`` why a round could not go on: the key, the budget, an outage that
    passes by itself (``offline``), or something a person has to look at (``error``: a
    refused certificate, an answer that cannot be read, a list that does not end)."""
    if isinstance(exc, UnauthorizedError):
        report.auth_required = True
    elif isinstance(exc, BudgetExhaustedError):
        report.retry_in = exc.retry_in
    elif isinstance(exc, RateLimitedError):
        report.retry_in = exc.retry_after or 60.0
    elif isinstance(exc, TransportError | ServerError) and not isinstance(exc, TlsError):
        report.offline = exc.message
    else:
        report.error = exc.message


def _stops_remote_timer(row: EntryRow) -> bool:
    """Whether sending the row stops the timer that runs on Clockify."""
    return (
        row.server_id is not None
        and not row.deleted
        and row.synced is not None
        and row.synced.get("end") is None
        and row.entry.end is not None
    )


def _only_stopped_at(row: EntryRow, starts: set[datetime]) -> bool:
    """Whether the row's one change is that its timer stopped when a new one started."""
    if row.server_id is None or row.deleted or row.synced is None or row.entry.end not in starts:
        return False
    if row.synced.get("end") is not None:
        return False  # it was not running on Clockify
    fields = row.entry.fields()
    return all(fields[name] == row.synced.get(name) for name in fields if name != "end")
