"""The sync worker's loop side: what runs on the worker thread's asyncio loop.

Kept apart from :mod:`tracker.bridge.worker` so the GUI side stays light: this module pulls
in the network stack (httpx, pydantic, the sync engine), which ``SyncWorker.start`` imports
on the GUI thread after the tray is on screen and before the worker thread exists (imports
on two threads at once could hand one of them a half-initialised module).

The loop hears the GUI only through its :class:`~tracker.bridge.channel.SyncChannel`: it
takes what was asked, decides whether a round is due (pushes by the push deadline, pulls by
the :class:`~tracker.sync.schedule.PullClock`), runs it, and answers through the channel.
Keyring calls run on a thread of their own, never on the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from tracker.api import ClockifyClient, ClockifyError, RateLimits, Servers, UnauthorizedError
from tracker.bridge.channel import Call, ConnectRequest, Requests, SyncChannel
from tracker.bridge.status import (
    KEY_MISSING,
    KEY_REFUSED,
    Notice,
    NoticeKind,
    SyncPhase,
    SyncStatus,
)
from tracker.bridge.worker import SHUTDOWN_MARGIN, LoopSettings
from tracker.domain.model import LOCAL_WORKSPACE
from tracker.integrations.secrets import (
    SecretStore,
    SecretStoreError,
    adopt_legacy,
    api_key_problem,
    find_key,
    key_account,
    key_account_of,
    legacy_may_be_ours,
)
from tracker.services.preferences import load as load_preferences
from tracker.store import Store, StoreError
from tracker.sync.account import connect_account
from tracker.sync.connect import connect_key, key_owner
from tracker.sync.engine import SyncEngine, SyncReport, note_failure
from tracker.sync.runner import budget_for, limits_for, take_lease
from tracker.sync.schedule import PullClock, sent_running, unsent_timer
from tracker.sync.servers import servers_for

__all__ = ["LEASE_RETRY", "Runner", "run_loop"]

log = logging.getLogger("tracker.sync.worker")

LEASE_RETRY = 5.0
"""Seconds before trying again when another process holds the sync lease."""


async def run_loop(settings: LoopSettings, channel: SyncChannel) -> None:
    """The worker thread's whole life: bind the channel, run until asked to stop."""
    channel.bind()
    try:
        await Runner(settings, channel).run()
    finally:
        channel.unbind()


@dataclass(frozen=True)
class _Account:
    """What a round needs to reach Clockify; ``None`` in its place means local-only."""

    key: str
    servers: Servers


class _CutOff(Exception):
    """Work still running when the shutdown grace ran out was cancelled."""


class Runner:
    """The loop's state: store, client, schedule. Everything here runs on the worker thread.

    Args:
        settings: where the store and the key are, the timing rules, client options.
        channel: the seam to the GUI thread (asks in, answers out).
    """

    def __init__(self, settings: LoopSettings, channel: SyncChannel) -> None:
        self.settings = settings
        self.channel = channel
        self.policy = settings.policy
        self.pulls = PullClock(settings.policy)
        self.rng = random.Random()  # noqa: S311 - jitter, not cryptography
        self.store: Store | None = None
        self.api: ClockifyClient | None = None
        self.account: _Account | None = None
        self.refused_key: str | None = None  # paused after a 401 with this key
        self.problem: str | None = None  # why no round can run (bad server, keyring)
        self.not_ours: str | None = None  # the keyring's old shared key: not this account's
        self.failures = 0
        self.retry_at: float | None = None  # backoff, budget or recheck: no round before this
        self.held_by_budget = False  # retry_at is the budget's: a look does not hurry it
        self.resume = False  # a round stopped early: another is due at retry_at
        self.last_sync: datetime | None = None
        self.notified_parked: set[tuple[str, str]] = set()
        self.tasks: set[asyncio.Task[Any]] = set()

    # --- the loop ------------------------------------------------------------------------

    async def run(self) -> None:
        """Open the store and serve the channel until asked to stop."""
        try:
            self.store = Store(self.settings.store_path)
        except StoreError as exc:
            self.channel.answer_status(
                SyncStatus(SyncPhase.ATTENTION, f"The data file cannot be opened: {exc}")
            )
            await self._idle_until_stopped("the data file cannot be opened")
            return
        try:
            await self._read_account()
            self._seed_from_store()
            self.pulls.set_limits(self._limits())
            self.channel.answer_status(self._resting_status(None))
            with contextlib.suppress(_CutOff):
                await self._loop()
        finally:
            await self._close()

    async def _loop(self) -> None:
        ch = self.channel
        while True:
            requests = ch.take()
            for call in requests.calls:
                self._spawn_call(call)
            if requests.stopping:
                for connect in requests.connects:
                    ch.answer_call(connect.done, RuntimeError("the sync worker has stopped"))
                return
            now = time.monotonic()
            self.pulls.set_away(requests.away, now)
            if requests.looked or requests.came_back:
                self.pulls.look(now)
            for connect in requests.connects:
                await self._connect(connect)
            if ch.stopping:
                continue  # asked to stop while connecting: no round now
            if requests.account_changed:
                self.refused_key = None
                await self._read_account(force=True)
                self.retry_at = None
                self.failures = 0
            pull = await self._due(requests)
            if pull is not None:
                await self._round(pull, asked_at=time.monotonic())
                continue
            if requests.round_asked is not None:
                ch.answer_round(self._idle_report())
                ch.answer_status(self._resting_status(None))
            if requests.connects:
                continue  # waiting for them took the wake of asks made meanwhile: take again
            await ch.wait(self._sleep_for(ch.push_deadline()))

    async def _idle_until_stopped(self, reason: str) -> None:
        ch = self.channel
        while True:
            requests = ch.take()
            for done in [c.done for c in requests.calls] + [c.done for c in requests.connects]:
                ch.answer_call(done, RuntimeError(reason))
            if requests.stopping:
                return
            await ch.wait()

    async def _await(self, task: asyncio.Future[Any]) -> None:
        """Wait for ``task`` while running calls; on shutdown give it the grace time, then
        cut it off (:class:`_CutOff`)."""
        ch = self.channel
        while not task.done():
            if ch.stopping:
                done, _ = await asyncio.wait({task}, timeout=ch.grace)
                if done:
                    return
                log.warning("the sync round outlived the shutdown grace; cutting it off")
                ch.cut_off()
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
                raise _CutOff
            waker = asyncio.ensure_future(ch.wait())
            await asyncio.wait({task, waker}, return_when=asyncio.FIRST_COMPLETED)
            waker.cancel()
            for call in ch.take_calls():
                self._spawn_call(call)

    # --- when -----------------------------------------------------------------------------

    async def _due(self, requests: Requests) -> bool | None:
        """Whether a round is due now: ``None`` no, else whether it pulls."""
        if not self._can_sync():
            if requests.push_at is None and requests.round_asked is None:
                return None
            # Local-only or paused: nothing to push until the account changes. Look again
            # (no network) whether it did: a CLI login may have brought a (new) key.
            self.channel.pushed(time.monotonic())
            await self._read_account()
            return True if self._can_sync() else None
        now = time.monotonic()
        pull = self.pulls.due(now)
        if requests.round_asked is not None:
            return requests.round_asked or pull
        if pull and (requests.looked or requests.came_back) and not self.held_by_budget:
            return True  # someone looks or is back: now, even during a backoff
        if self.retry_at is not None and now < self.retry_at:
            return None
        if pull:
            return True
        if self.resume or (requests.push_at is not None and now >= requests.push_at):
            return False
        return None

    def _sleep_for(self, push_at: float | None) -> float | None:
        """Seconds until the next planned round, or ``None`` to wait for a request."""
        if not self._can_sync():
            return None
        times = [at for at in (self.pulls.next_at(), push_at) if at is not None]
        if self.retry_at is not None:
            if self.resume:
                times.append(self.retry_at)
            times = [max(at, self.retry_at) for at in times]
        if not times:
            return None
        return max(0.0, min(times) - time.monotonic())

    def _can_sync(self) -> bool:
        return self.account is not None and self.refused_key is None and self.problem is None

    # --- account --------------------------------------------------------------------------

    async def _read_account(self, *, force: bool = False) -> None:
        """Key and servers as saved now; a change drops the client (built again on use).

        The keyring is read on a thread of its own: it may be slow, or ask the person.
        """
        assert self.store is not None
        secrets = self.settings.secrets
        self.problem = None
        account: _Account | None = None
        try:
            servers = servers_for(load_preferences(self.store))
            key = await self._stored_key(secrets, servers) if secrets else None
            if key and (problem := api_key_problem(key)) is not None:
                self.problem = f"{problem}; enter the key again in Settings."
            elif key:
                account = _Account(key, servers)
        except SecretStoreError as exc:
            self.problem = f"The API key cannot be read: {exc}"
        except ValueError as exc:
            self.problem = f"The server address is not valid: {exc}"
        if force or account != self.account:
            self._drop_client()
        if account is not None and self.refused_key is not None and account.key != self.refused_key:
            self.refused_key = None  # a new key: try it
        self.account = account

    async def _stored_key(self, secrets: SecretStore, servers: Servers) -> str | None:
        """The key of this store's account on ``servers``. A key under the keyring's old
        shared name is used (and moved under its own) only once Clockify confirmed that it
        is this account's: one request, in the budget, asked once per key."""
        assert self.store is not None
        account = self.store.meta.account()
        name = key_account_of(account, servers.api)
        legacy_ok = legacy_may_be_ours(account, servers.api)
        found = await asyncio.to_thread(partial(find_key, secrets, name, legacy_ok=legacy_ok))
        if not found.legacy or not found.key or name is None or account is None:
            return found.key
        if found.key == self.not_ours or api_key_problem(found.key) is not None:
            return None
        try:
            owner = await key_owner(
                self.store, found.key, servers, client_options=self.settings.api_options
            )
        except UnauthorizedError:
            owner = None
        except ClockifyError as exc:
            self.problem = (
                "The saved API key must be confirmed with Clockify once, which could not be "
                f"reached ({exc.message}); it is tried again on the next sync."
            )
            return None
        if owner != account.get("user_id"):
            self.not_ours = found.key
            log.info("the keyring's old shared key is another account's; not used here")
            return None
        await asyncio.to_thread(adopt_legacy, secrets, name, found.key)
        log.info("the API key was moved under this account's own name in the keyring")
        return found.key

    async def _connect(self, request: ConnectRequest) -> None:
        """Check, keep and record an account (:func:`tracker.sync.connect.connect_key`)."""
        ch, store, secrets = self.channel, self.store, self.settings.secrets
        assert store is not None
        if secrets is None:
            refusal = RuntimeError("there is no safe place to keep the key on this computer")
            ch.answer_call(request.done, refusal)
            return
        if (problem := api_key_problem(request.key.strip())) is not None:
            ch.answer_call(request.done, ValueError(f"{problem}."))
            return

        def keep(key: str, user_id: str) -> None:
            adopt_legacy(secrets, key_account(request.servers.api, user_id), key)

        task = asyncio.ensure_future(
            connect_key(
                store,
                request.key,
                request.servers,
                keep=keep,
                wanted=request.wanted,
                client_options=self.settings.api_options,
            )
        )
        try:
            await self._await(task)
        except _CutOff:
            ch.answer_call(request.done, asyncio.CancelledError())
            raise
        try:
            result: object = task.result()
        except Exception as exc:  # delivered: the dialog says what went wrong
            result = exc
        ch.answer_call(request.done, result)

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
            zone = self.settings.clock().tzinfo
            self.last_sync = datetime.fromtimestamp(float(last["at"]), zone)

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
                **self.settings.api_options,
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
        ch, store = self.channel, self.store
        assert store is not None
        lease = take_lease(store, "app")
        if lease is None:
            log.info("another process holds the sync lease; trying again shortly")
            self.retry_at = time.monotonic() + LEASE_RETRY
            self.held_by_budget = False
            self.resume = True
            ch.answer_status(
                self._resting_status(None, message="Another tracker process is syncing.")
            )
            return
        ch.pushed(asked_at)
        self.resume = False
        pending_before = self._counts()
        unsent = unsent_timer(store, self._workspace())
        if ch.status.state not in (SyncPhase.OFFLINE, SyncPhase.AUTH, SyncPhase.ATTENTION):
            # A retry while offline (or after a refusal) keeps saying so until a round
            # succeeds: flashing "syncing" between failed attempts would hide the problem.
            ch.answer_status(
                SyncStatus(
                    SyncPhase.SYNCING,
                    pending=pending_before[0],
                    parked=pending_before[1],
                    last_sync=self.last_sync,
                )
            )
        task = asyncio.ensure_future(self._run_engine(pull))
        try:
            await self._await(task)
        finally:
            with contextlib.suppress(StoreError):
                lease.release()
        try:
            report = task.result()
        except Exception as exc:  # a bug or a store failure: report it, back off
            log.exception("sync round failed")
            report = SyncReport(error=f"Sync stopped on an error: {exc}")
        if unsent is not None and sent_running(store, unsent):
            self.pulls.timer_started(time.monotonic())
        self._after_round(report, pull, pending_before)

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
                clock=self.settings.clock,
            )
            return await engine.run_once(pull=pull)
        except ClockifyError as exc:  # connecting failed; the engine reports its own
            report = SyncReport(pending=self._counts()[0])
            note_failure(report, exc)
            if isinstance(exc, UnauthorizedError):
                store.meta.set_auth_required(exc.message)
            return report

    def _after_round(self, report: SyncReport, pull: bool, pending_before: tuple[int, int]) -> None:
        ch = self.channel
        now = time.monotonic()
        if pull and report.complete:
            self.pulls.pulled(now)
        self.pulls.set_limits(self.api.budget.limits if self.api is not None else self._limits())
        self.held_by_budget = False
        if report.auth_required:
            assert self.account is not None
            self.refused_key = self.account.key
            ch.answer_notice(
                Notice(
                    NoticeKind.AUTH,
                    "Clockify refused the API key",
                    "Changes are kept here. Enter a new API key in Settings to sync again.",
                )
            )
        elif report.offline is not None or report.error is not None:
            self.failures += 1
            self.retry_at = now + self.policy.backoff(self.failures, self.rng)
            self.resume = True
        elif report.retry_in is not None:
            self.retry_at = now + report.retry_in
            self.held_by_budget = True
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
            self.last_sync = self.settings.clock()
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
            ch.answer_data_changed()
        ch.answer_status(self._resting_status(report))
        ch.answer_round(report)

    def _notify(self, report: SyncReport) -> None:
        store, ch = self.store, self.channel
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
            ch.answer_notice(
                Notice(NoticeKind.PARKED, "Clockify refused a change", f"{what}: {reason}")
            )
        conflicts = store.meta.conflicts(unseen_only=True)
        if conflicts:
            fields = sorted({c.field for c in conflicts})
            text = (
                f"{len(conflicts)} field(s) changed both here and in Clockify "
                f"({', '.join(fields)}); the change made here was kept."
            )
            ch.answer_notice(Notice(NoticeKind.CONFLICT, "Changed in two places", text))
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
        planned = self._sleep_for(self.channel.push_deadline())
        now = self.settings.clock()
        next_sync = None if planned is None else now + timedelta(seconds=planned)
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
            recorded = self.store is not None and self.store.meta.account() is not None
            return replace(
                base,
                state=SyncPhase.LOCAL,
                message=KEY_MISSING
                if recorded
                else "Local only: no Clockify account is connected.",
                next_sync=None,
            )
        if self.refused_key is not None:
            return replace(base, state=SyncPhase.AUTH, message=KEY_REFUSED, next_sync=None)
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

    def _spawn_call(self, call: Call) -> None:
        ch = self.channel

        async def run() -> None:
            try:
                result: Any = await call.make()
            except asyncio.CancelledError as exc:  # shut down first: still say so
                ch.answer_call(call.done, exc)
                raise
            except Exception as exc:
                result = exc
            ch.answer_call(call.done, result)

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
