"""The sync worker's loop side: what runs on the worker thread's asyncio loop.

Kept apart from :mod:`tracker.bridge.worker` so the GUI side stays light: this module pulls
in the network stack (httpx, pydantic, the sync engine), which ``SyncWorker.start`` imports
on the GUI thread after the tray is on screen and before the worker thread exists (imports
on two threads at once could hand one of them a half-initialised module).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tracker.api import ClockifyClient, ClockifyError, RateLimits, Servers, UnauthorizedError
from tracker.bridge.status import Notice, NoticeKind, SyncPhase, SyncStatus
from tracker.bridge.worker import LEASE_RETRY, SHUTDOWN_MARGIN, _Requests
from tracker.domain.model import LOCAL_WORKSPACE
from tracker.integrations.secrets import API_KEY_ACCOUNT, SecretStoreError, api_key_problem
from tracker.services.preferences import load as load_preferences
from tracker.store import Store, StoreError
from tracker.sync.account import connect_account
from tracker.sync.engine import SyncEngine, SyncReport, note_failure
from tracker.sync.runner import budget_for, limits_for, take_lease
from tracker.sync.servers import servers_for

if TYPE_CHECKING:
    from tracker.bridge.worker import SyncWorker

__all__ = ["Runner"]

log = logging.getLogger("tracker.sync.worker")


@dataclass(frozen=True)
class _Account:
    """What a round needs to reach Clockify; ``None`` in its place means local-only."""

    key: str
    servers: Servers


class Runner:
    """The loop's state: store, client, schedule. Everything here runs on the worker thread."""

    def __init__(self, worker: SyncWorker) -> None:
        self.w = worker
        self.policy = worker.policy
        self.store: Store | None = None
        self.api: ClockifyClient | None = None
        self.account: _Account | None = None
        self.refused_key: str | None = None  # paused after a 401 with this key
        self.problem: str | None = None  # why no round can run (bad server, keyring)
        self.failures = 0
        self.retry_at: float | None = None  # backoff or budget: no round before this
        self.resume = False  # a round stopped early: another is due at retry_at
        self.next_pull: float = 0.0
        self.last_sync: datetime | None = None
        self.notified_parked: set[tuple[str, str]] = set()
        self.tasks: set[asyncio.Task[Any]] = set()
        self.round_task: asyncio.Task[SyncReport] | None = None

    # --- the loop ------------------------------------------------------------------------

    async def run(self) -> None:
        w = self.w
        assert w._wake is not None
        try:
            self.store = Store(w.store_path)
        except StoreError as exc:
            w._set_status(SyncStatus(SyncPhase.ATTENTION, f"The data file cannot be opened: {exc}"))
            await self._idle_until_stopped()
            return
        try:
            self._read_account()
            self._seed_from_store()
            w._set_status(self._resting_status(None))
            await self._loop()
        finally:
            await self._close()

    async def _loop(self) -> None:
        w = self.w
        assert w._wake is not None
        while True:
            w._wake.clear()  # before reading the requests, so no kick is lost
            requests = w._take_requests()
            for make, done in requests.calls:
                self._spawn_call(make, done)
            if requests.stopping:
                return
            if requests.account_changed:
                self.refused_key = None
                self._read_account(force=True)
                self.retry_at = None
                self.failures = 0
            pull = self._due(requests)
            if pull is not None:
                await self._round(pull, asked_at=time.monotonic())
                continue
            if requests.round_asked is not None:
                w.round_finished.emit(self._idle_report())
                w._set_status(self._resting_status(None))
            timeout = self._sleep_for(w._push_deadline())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(w._wake.wait(), timeout)

    async def _idle_until_stopped(self) -> None:
        w = self.w
        assert w._wake is not None
        while True:
            w._wake.clear()
            requests = w._take_requests()
            for _make, done in requests.calls:
                w._deliver.emit(done, RuntimeError("the data file cannot be opened"))
            if requests.stopping:
                return
            await w._wake.wait()

    # --- when -----------------------------------------------------------------------------

    def _due(self, requests: _Requests) -> bool | None:
        """Whether a round is due now: ``None`` no, else whether it pulls."""
        if not self._can_sync():
            if requests.push_at is None and requests.round_asked is None:
                return None
            # Local-only or paused: nothing to push until the account changes. Look again
            # (no network) whether it did: a CLI login may have brought a (new) key.
            self.w._pushed(time.monotonic())
            self._read_account()
            return True if self._can_sync() else None
        if requests.round_asked is not None:
            return requests.round_asked
        now = time.monotonic()
        if self.retry_at is not None and now < self.retry_at:
            return None
        if now >= self.next_pull:
            return True
        if self.resume or (requests.push_at is not None and now >= requests.push_at):
            return False
        return None

    def _sleep_for(self, push_at: float | None) -> float | None:
        """Seconds until the next planned round, or ``None`` to wait for a request."""
        if not self._can_sync():
            return None
        now = time.monotonic()
        due = self.next_pull
        if push_at is not None:
            due = min(due, push_at)
        if self.retry_at is not None:
            if self.resume:
                due = min(due, self.retry_at)
            due = max(due, self.retry_at)
        return max(0.0, due - now)

    def _can_sync(self) -> bool:
        return self.account is not None and self.refused_key is None and self.problem is None

    # --- account --------------------------------------------------------------------------

    def _read_account(self, *, force: bool = False) -> None:
        """Key and servers as saved now; a change drops the client (built again on use)."""
        assert self.store is not None
        self.problem = None
        account: _Account | None = None
        try:
            key = self.w.secrets.get(API_KEY_ACCOUNT) if self.w.secrets is not None else None
            if key and (problem := api_key_problem(key)) is not None:
                self.problem = f"{problem}; enter the key again in Settings."
            elif key:
                account = _Account(key, servers_for(load_preferences(self.store)))
        except SecretStoreError as exc:
            self.problem = f"The API key cannot be read: {exc}"
        except ValueError as exc:
            self.problem = f"The server address is not valid: {exc}"
        if force or account != self.account:
            self._drop_client()
        if account is not None and self.refused_key is not None and account.key != self.refused_key:
            self.refused_key = None  # a new key: try it
        self.account = account

    def _seed_from_store(self) -> None:
        """Start paused when the saved key was refused; remember what was already said."""
        assert self.store is not None
        refused = self.store.meta.auth_required()
        if refused and self.account is not None:
            self.refused_key = self.account.key
        workspace = self._workspace()
        for row in self.store.entries.pending(workspace):
            if row.parked:
                self.notified_parked.add((row.id, row.parked))
        last = self.store.meta.last_sync() or {}
        if last.get("complete") and last.get("at"):
            self.last_sync = datetime.fromtimestamp(float(last["at"]), self.w.clock().tzinfo)

    def _workspace(self) -> str:
        assert self.store is not None
        return self.store.meta.workspace_id() or LOCAL_WORKSPACE

    def _client(self) -> ClockifyClient:
        assert self.store is not None
        assert self.account is not None
        if self.api is None:
            options: dict[str, Any] = {
                "servers": self.account.servers,
                "budget": budget_for(self.store, self.store.meta.workspace_id()),
                **self.w._api_options,
            }
            self.api = ClockifyClient(self.account.key, **options)
        return self.api

    def _drop_client(self) -> None:
        api, self.api = self.api, None
        if api is not None:
            task = asyncio.get_running_loop().create_task(api.aclose())
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    # --- a round --------------------------------------------------------------------------

    async def _round(self, pull: bool, *, asked_at: float) -> None:
        w, store = self.w, self.store
        assert store is not None
        lease = take_lease(store, "app")
        if lease is None:
            log.info("another process holds the sync lease; trying again shortly")
            self.retry_at = time.monotonic() + LEASE_RETRY
            self.resume = True
            w._set_status(self._resting_status(None, message="Another tracker process is syncing."))
            return
        w._pushed(asked_at)
        self.resume = False
        pending_before = self._counts()
        previous = w.status
        if previous.state not in (SyncPhase.OFFLINE, SyncPhase.AUTH, SyncPhase.ATTENTION):
            # A retry while offline (or after a refusal) keeps saying so until a round
            # succeeds: flashing "syncing" between failed attempts would hide the problem.
            w._set_status(
                SyncStatus(
                    SyncPhase.SYNCING,
                    pending=pending_before[0],
                    parked=pending_before[1],
                    last_sync=self.last_sync,
                )
            )
        self.round_task = asyncio.ensure_future(self._run_engine(pull))
        try:
            report = await self._finish_round()
        finally:
            self.round_task = None
            with contextlib.suppress(StoreError):
                lease.release()
        if report is None:
            return
        self._after_round(report, pull, pending_before)

    async def _finish_round(self) -> SyncReport | None:
        """Wait for the round; on shutdown give it the grace time, then cut it off."""
        w = self.w
        assert self.round_task is not None
        assert w._wake is not None
        task = self.round_task
        while not task.done():
            w._wake.clear()
            if w._stopping_now():
                grace = w._shutdown_grace
                done, _ = await asyncio.wait({task}, timeout=grace)
                if not done:
                    log.warning("the sync round outlived the shutdown grace; cutting it off")
                    w._clean = False
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
                    return None
                break
            waker = asyncio.ensure_future(w._wake.wait())
            await asyncio.wait({task, waker}, return_when=asyncio.FIRST_COMPLETED)
            waker.cancel()
            for make, done_cb in w._take_calls():
                self._spawn_call(make, done_cb)
        try:
            return task.result()
        except Exception as exc:  # a bug or a store failure: report it, back off
            log.exception("sync round failed")
            return SyncReport(error=f"Sync stopped on an error: {exc}")

    async def _run_engine(self, pull: bool) -> SyncReport:
        store = self.store
        assert store is not None
        try:
            api = self._client()
            workspace, _ = await connect_account(store, api)
            api.budget.configure(limits_for(store, workspace))
            account = store.meta.account() or {}
            engine = SyncEngine(
                store,
                api,
                workspace_id=workspace,
                user_id=str(account["user_id"]),
                clock=self.w.clock,
            )
            return await engine.run_once(pull=pull)
        except ClockifyError as exc:  # connecting failed; the engine reports its own
            report = SyncReport(pending=self._counts()[0])
            note_failure(report, exc)
            if isinstance(exc, UnauthorizedError):
                store.meta.set_auth_required(exc.message)
            return report

    def _after_round(self, report: SyncReport, pull: bool, pending_before: tuple[int, int]) -> None:
        w = self.w
        now = time.monotonic()
        if pull and report.complete:
            self.next_pull = now + self.policy.poll_interval(self._limits())
        if report.auth_required:
            assert self.account is not None
            self.refused_key = self.account.key
            w.notice.emit(
                Notice(
                    NoticeKind.AUTH,
                    "Clockify refused the API key",
                    "Changes are kept here. Enter a new API key in Settings to sync again.",
                )
            )
        elif report.offline is not None or report.error is not None:
            self.failures += 1
            self.retry_at = now + self.policy.backoff(self.failures, w._rng)
            self.resume = True
        elif report.retry_in is not None:
            self.retry_at = now + report.retry_in
            self.resume = True
        elif report.recheck_in is not None:
            # An unclear create: look for it again when due, not before (each look costs).
            self.failures = 0
            self.retry_at = now + report.recheck_in
            self.resume = True
        else:
            self.failures = 0
            self.retry_at = None
        if report.complete:
            self.last_sync = self.w.clock()
        self._notify(report)
        counts = self._counts()
        changed = any(
            (
                report.created,
                report.updated,
                report.deleted,
                report.pulled,
                report.adopted,
                report.refs_refreshed,
                report.parked,
                report.conflicts,
                counts != pending_before,
            )
        )
        if changed:
            w.data_changed.emit()
        w._set_status(self._resting_status(report))
        w.round_finished.emit(report)

    def _notify(self, report: SyncReport) -> None:
        store, w = self.store, self.w
        assert store is not None
        reasons = dict(report.parked)
        for row in store.entries.pending(self._workspace()):
            if row.parked:
                reasons.setdefault(row.id, row.parked)
        for entry_id, reason in reasons.items():
            if (entry_id, reason) in self.notified_parked:
                continue
            self.notified_parked.add((entry_id, reason))
            found = store.entries.get(entry_id)
            what = (found.entry.description if found else "") or "An entry"
            w.notice.emit(
                Notice(NoticeKind.PARKED, "Clockify refused a change", f"{what}: {reason}")
            )
        conflicts = store.meta.conflicts(unseen_only=True)
        if conflicts:
            fields = sorted({c.field for c in conflicts})
            text = (
                f"{len(conflicts)} field(s) changed both here and in Clockify "
                f"({', '.join(fields)}); the change made here was kept."
            )
            w.notice.emit(Notice(NoticeKind.CONFLICT, "Changed in two places", text))
            store.meta.mark_conflicts_seen()

    # --- status ---------------------------------------------------------------------------

    def _counts(self) -> tuple[int, int]:
        assert self.store is not None
        return self.store.entries.counts(self._workspace())

    def _limits(self) -> RateLimits:
        assert self.store is not None
        return limits_for(self.store, self.store.meta.workspace_id())

    def _resting_status(
        self, report: SyncReport | None, *, message: str | None = None
    ) -> SyncStatus:
        pending, parked = self._counts()
        planned = self._sleep_for(self.w._push_deadline())
        next_sync = None if planned is None else self.w.clock() + timedelta(seconds=planned)
        base = SyncStatus(
            SyncPhase.SYNCED,
            pending=pending,
            parked=parked,
            last_sync=self.last_sync,
            next_sync=next_sync,
        )
        if self.problem is not None:
            return replace(base, state=SyncPhase.ATTENTION, message=self.problem, next_sync=None)
        if self.account is None:
            return replace(
                base,
                state=SyncPhase.LOCAL,
                message="Local only: no Clockify account is connected.",
                next_sync=None,
            )
        if self.refused_key is not None:
            return replace(
                base,
                state=SyncPhase.AUTH,
                message="Clockify refused the API key; enter a new one in Settings.",
                next_sync=None,
            )
        if report is not None and report.offline is not None:
            return replace(
                base,
                state=SyncPhase.OFFLINE,
                message=f"Clockify cannot be reached: {report.offline}",
            )
        if report is not None and report.error is not None:
            # Not an outage that passes by itself: a refused certificate, an answer that
            # cannot be read. Someone has to look.
            return replace(
                base,
                state=SyncPhase.ATTENTION,
                message=f"Sync stopped: {report.error}",
            )
        if parked:
            return replace(
                base,
                state=SyncPhase.ATTENTION,
                message=f"{parked} change(s) were refused by Clockify and need a look.",
            )
        if report is not None and report.retry_in is not None:
            message = f"The request budget is spent; the rest goes in {report.retry_in:.0f} s."
        elif report is not None and report.unclear:
            message = (
                f"{report.unclear} entry(ies) sent without a clear answer: checking with "
                "Clockify before sending again."
            )
        if pending or message:
            return replace(base, state=SyncPhase.PENDING, message=message)
        return base

    def _idle_report(self) -> SyncReport:
        """What a requested round that cannot run answers (the CLI waits for a reply)."""
        pending = self._counts()[0]
        if self.refused_key is not None:
            return SyncReport(auth_required=True, pending=pending)
        reason = self.problem or "the app runs local-only (no API key)"
        return SyncReport(offline=reason, pending=pending)

    # --- calls and closing ----------------------------------------------------------------

    def _spawn_call(self, make: Callable[[], Awaitable[Any]], done: Callable[[Any], None]) -> None:
        async def run() -> None:
            try:
                result: Any = await make()
            except asyncio.CancelledError as exc:  # shut down first: still say so
                self.w._deliver.emit(done, exc)
                raise
            except Exception as exc:
                result = exc
            self.w._deliver.emit(done, result)

        task = asyncio.get_running_loop().create_task(run())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _close(self) -> None:
        self._drop_client()
        if self.tasks:
            _, late = await asyncio.wait(set(self.tasks), timeout=SHUTDOWN_MARGIN)
            for task in late:
                task.cancel()
        if self.store is not None:
            self.store.close()
            self.store = None
