"""The sync worker's loop side: what runs on the worker thread's asyncio loop.

Kept apart from :mod:`tracker.bridge.worker` so the GUI side stays light: this module pulls
in the network stack (httpx, pydantic, the sync engine), which ``SyncWorker.start`` imports
on the GUI thread after the tray is on screen and before the worker thread exists (imports
on two threads at once could hand one of them a half-initialised module).

The loop hears the GUI only through its :class:`~tracker.bridge.channel.SyncChannel`: it
takes what was asked, asks :mod:`tracker.bridge.round_timing` whether a round is due, runs it,
and answers through the channel in the words of :mod:`tracker.bridge.sync_news`. Keyring
calls run on a thread of their own, never on the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from tracker.api import ClockifyClient, ClockifyError, RateLimits, Servers, UnauthorizedError
from tracker.api.session import sent_hook
from tracker.bridge.channel import (
    Call,
    CallHandle,
    Cancelled,
    ClientCall,
    ConnectRequest,
    Requests,
    SyncChannel,
)
from tracker.bridge.round_timing import RoundTiming
from tracker.bridge.status import Notice, NoticeKind, SyncPhase, SyncStatus
from tracker.bridge.sync_news import (
    Standing,
    conflict_notice,
    data_changed,
    idle_report,
    parked_notices,
    resting_status,
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
from tracker.sync.schedule import sent_running, unsent_timer
from tracker.sync.servers import servers_for

__all__ = ["Runner", "run_loop"]

log = logging.getLogger("tracker.sync.worker")


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
        self.timing = RoundTiming(settings.policy)
        self.store: Store | None = None
        self.api: ClockifyClient | None = None
        self.account: _Account | None = None
        self.refused_key: str | None = None  # paused after a 401 with this key
        self.problem: str | None = None  # why no round can run (bad server, keyring)
        self.not_ours: str | None = None  # the keyring's old shared key: not this account's
        self.last_sync: datetime | None = None
        self.notified_parked: set[tuple[str, str]] = set()
        self.tasks: set[asyncio.Task[Any]] = set()
        self.calls: dict[asyncio.Task[Any], CallHandle] = {}
        """The calls running, by task (a read among them is cancelled at shutdown)."""

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
            self.timing.pulls.set_limits(self._limits())
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
            self._note_presence(requests)
            for connect in requests.connects:
                await self._connect(connect)
            if ch.stopping:
                continue  # asked to stop while connecting: no round now
            if requests.account_changed:
                await self._start_over()
            if await self._round_if_due(requests) or requests.connects:
                # After a round, or after connects (waiting for them took the wake of asks
                # made meanwhile): take again before sleeping.
                continue
            await ch.wait(self._sleep_for(ch.push_deadline()))

    def _note_presence(self, requests: Requests) -> None:
        """Someone away pulls less often; someone looking or back pulls now (if due)."""
        now = time.monotonic()
        self.timing.pulls.set_away(requests.away, now)
        if requests.looked or requests.came_back:
            self.timing.pulls.look(now)

    async def _start_over(self) -> None:
        """The saved account changed: a new key is tried at once, with no backoff left."""
        self.refused_key = None
        await self._read_account(force=True)
        self.timing.start_over()

    async def _round_if_due(self, requests: Requests) -> bool:
        """Run a round when one is due; answer a round asked for that cannot run.

        Returns whether a round ran.
        """
        pull = await self._due(requests)
        if pull is not None:
            await self._round(pull, asked_at=time.monotonic())
            return True
        if requests.round_asked is not None:
            self.channel.answer_round(idle_report(self._standing(), self._counts()[0]))
            self.channel.answer_status(self._resting_status(None))
        return False

    async def _idle_until_stopped(self, reason: str) -> None:
        ch = self.channel
        while True:
            requests = ch.take()
            for call in requests.calls:
                call.handle.end()
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
        return self.timing.due(requests, time.monotonic())

    def _sleep_for(self, push_at: float | None) -> float | None:
        """Seconds until the next planned round, or ``None`` to wait for a request."""
        if not self._can_sync():
            return None
        return self.timing.sleep_for(push_at, time.monotonic())

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
            self.timing.lease_busy(time.monotonic())
            ch.answer_status(
                self._resting_status(None, message="Another tracker process is syncing.")
            )
            return
        ch.pushed(asked_at)
        self.timing.round_started()
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
            self.timing.pulls.timer_started(time.monotonic())
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
        limits = self.api.budget.limits if self.api is not None else self._limits()
        self.timing.round_ended(report, pull, limits, time.monotonic())
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
        if report.complete:
            self.last_sync = self.settings.clock()
        self._notify(report)
        if data_changed(report, self._counts(), pending_before):
            ch.answer_data_changed()
        ch.answer_status(self._resting_status(report))
        ch.answer_round(report)

    def _notify(self, report: SyncReport) -> None:
        assert self.store is not None
        notices = parked_notices(self.store, self._workspace(), report, self.notified_parked)
        conflicts = conflict_notice(self.store)
        for notice in [*notices, *([conflicts] if conflicts else [])]:
            self.channel.answer_notice(notice)

    # --- status ---------------------------------------------------------------------------

    def _counts(self) -> tuple[int, int]:
        assert self.store is not None
        return self.store.entries.counts(self._workspace())

    def _limits(self) -> RateLimits:
        assert self.store is not None
        return limits_for(self.store, self.store.meta.workspace_id())

    def _standing(self) -> Standing:
        return Standing(
            problem=self.problem,
            connected=self.account is not None,
            refused=self.refused_key is not None,
            recorded=self.store is not None and self.store.meta.account() is not None,
        )

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
        return resting_status(base, self._standing(), report, message=message)

    # --- calls and closing ----------------------------------------------------------------

    def _spawn_call(self, call: Call | ClientCall) -> None:
        ch, handle = self.channel, call.handle
        make = call.make if isinstance(call, Call) else self._with_client(call)
        if handle.cancelled:
            handle.end()
            ch.answer_call(call.done, Cancelled())  # cancelled while it waited its turn
            return

        async def run() -> None:
            sent_hook.set(handle.sent)  # this task's own context: its requests only
            try:
                result: Any = await make()
            except asyncio.CancelledError as exc:
                # ended here, so a Cancel arriving now does nothing: answered once
                if not handle.end():
                    ch.answer_call(call.done, exc)  # shut down first: still say so
                raise  # the person cancelled it: ``cancelled`` below says so
            except Exception as exc:
                result = exc
            handle.end()  # ended before a cancel reached it: its result stands
            ch.answer_call(call.done, result)

        def cancelled(task: asyncio.Task[None]) -> None:
            # here, not in run(): a task cancelled before its first step never enters it
            if task.cancelled() and handle.end():
                ch.answer_call(call.done, Cancelled())

        task = asyncio.get_running_loop().create_task(run())
        task.add_done_callback(cancelled)
        handle.started(task)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        self.calls[task] = handle
        task.add_done_callback(self._call_ended)

    def _call_ended(self, task: asyncio.Task[Any]) -> None:
        self.calls.pop(task, None)

    def _with_client(self, call: ClientCall) -> Callable[[], Awaitable[Any]]:
        """``call.work`` with the worker's store and client, once they exist."""

        async def make() -> Any:
            if self.store is None or self.account is None:
                raise LookupError("No Clockify account is connected.")
            return await call.work(self.store, self._client())

        return make

    async def _close(self) -> None:
        # The calls first, then the client they use: a change asked just before quitting
        # gets the margin to be sent, not "the client has been closed" under it; a read
        # (a page's refresh) is cancelled now, so quitting does not wait for it.
        for handle in list(self.calls.values()):
            if handle.reads:
                handle.cancel()
        if self.tasks:
            _, late = await asyncio.wait(set(self.tasks), timeout=SHUTDOWN_MARGIN)
            for task in late:
                task.cancel()
        self._drop_client()
        if self.tasks:  # the cancelled calls unwind, the client closes
            await asyncio.wait(set(self.tasks), timeout=SHUTDOWN_MARGIN)
        if self.store is not None:
            self.store.close()
            self.store = None
