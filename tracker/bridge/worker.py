"""The sync worker: sync rounds on their own thread, so a click never waits on the network.

:class:`SyncWorker` lives on the GUI thread; its thread runs an asyncio event loop with its
own store connection (SQLite connections belong to one thread) and its own Clockify client.
The GUI talks to it through thread-safe methods that only set flags and wake the loop, and
hears back through signals, which Qt queues onto the GUI thread.

When rounds run (:class:`~tracker.sync.schedule.SyncPolicy`): a push ``push_delay`` seconds
after the first of a burst of local changes, a pull every ``poll_interval``, one at once when
asked; after a failure the next waits a growing, jittered backoff; after a refused key none
runs until the account changes. Without a key nothing touches the network. Every round holds
the store's sync lease, so a ``tracker sync`` in a terminal never runs one at the same time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal

from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.integrations.secrets import SecretStore
from tracker.services.context import system_clock
from tracker.sync.schedule import SyncPolicy

__all__ = ["SyncWorker"]

log = logging.getLogger("tracker.sync.worker")

T = TypeVar("T")

LEASE_RETRY = 5.0
"""Seconds before trying again when another process holds the sync lease."""

SHUTDOWN_MARGIN = 0.5
"""Of the shutdown timeout, what is kept for closing and joining after the round."""


class _LoopThread(QThread):
    """Runs the worker's event loop until it is told to stop."""

    def __init__(self, worker: SyncWorker) -> None:
        super().__init__()
        self._worker = worker
        self.setObjectName("sync-worker")

    def run(self) -> None:
        try:
            asyncio.run(self._worker._main())
        except Exception:  # the loop must never take the process down with it
            log.exception("the sync worker stopped on an error")


class SyncWorker(QObject):
    """Schedules and runs sync rounds on a worker thread; reports on the GUI thread.

    Args:
        store_path: the store file (the worker opens its own connection).
        secrets: where the API key lives; ``None`` means local-only.
        policy: the timing rules.
        clock: the current time for the engine and the status (aware).
        api_options: extra keyword arguments for the Clockify client (retry policy,
            timeouts, transport; tests use short ones).
        parent: the Qt parent.

    Signals:
        status_changed(SyncStatus): the headline changed (start, round start and end).
        data_changed: a round changed the store; views re-read.
        notice(Notice): something the person should hear about once.
        round_finished(SyncReport): a round ended (also, with nothing done, when a requested
            round cannot run: local-only or a refused key).
    """

    status_changed = Signal(object)
    data_changed = Signal()
    notice = Signal(object)
    round_finished = Signal(object)
    _deliver = Signal(object, object)

    def __init__(
        self,
        store_path: Path,
        secrets: SecretStore | None,
        *,
        policy: SyncPolicy = SyncPolicy(),  # noqa: B008 - frozen, shared safely
        clock: Callable[[], datetime] = system_clock,
        api_options: Mapping[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store_path = store_path
        self.secrets = secrets
        self.policy = policy
        self.clock = clock
        self._api_options = dict(api_options or {})
        self._status = SyncStatus(SyncPhase.LOCAL)
        self._thread: _LoopThread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._rng = random.Random()  # noqa: S311 - jitter, not cryptography
        # Requests from the GUI thread, read by the loop; guarded by _lock.
        self._lock = threading.Lock()
        self._push_at: float | None = None
        self._round_asked: bool | None = None  # None: not asked; else whether to pull
        self._account_changed = False
        self._stopping = False
        self._calls: list[tuple[Callable[[], Awaitable[Any]], Callable[[Any], None]]] = []
        self._clean = True
        self._shutdown_grace = 0.0
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    # --- the GUI thread's side ----------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        """The latest status."""
        return self._status

    def start(self) -> None:
        """Start the worker thread (the first round pulls at once when connected)."""
        if self._thread is not None or self._stopping_now():
            return
        # The network stack (httpx, pydantic, the engine) is imported here, on the calling
        # (GUI) thread, before the worker thread exists. Imported on the worker thread
        # instead, it raced imports on the GUI thread: CPython's import deadlock avoidance
        # then hands one thread a partly initialised pydantic module, and the worker died.
        import tracker.bridge.sync_loop  # noqa: F401, PLC0415

        self._thread = _LoopThread(self)
        self._thread.start()

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop: let a round in flight finish its write, close client and store, join.

        Returns ``True`` when the thread ended cleanly within ``timeout`` seconds; a round
        still running then was cut off, which is safe (its unclear create is reconciled on the
        next start) but not clean.
        """
        thread = self._thread
        with self._lock:
            self._stopping = True
            self._shutdown_grace = max(0.0, timeout - SHUTDOWN_MARGIN)
        self._kick()
        if thread is None:
            return True
        joined = thread.wait(int(timeout * 1000))
        self._thread = None
        return bool(joined) and self._clean

    def request_sync(self, pull: bool = True) -> None:
        """Run a round now (with a pull unless ``pull`` is false); safe from any thread."""
        with self._lock:
            self._round_asked = bool(pull) or bool(self._round_asked)
        self._kick()

    def local_change(self) -> None:
        """Something changed here: push after the push delay (a burst goes in one round)."""
        with self._lock:
            if self._push_at is None:
                self._push_at = time.monotonic() + self.policy.push_delay
        self._kick()

    def account_changed(self) -> None:
        """Key, server or workspace changed: re-read them, leave a 401 pause, sync now."""
        with self._lock:
            self._account_changed = True
            self._round_asked = True
        self._kick()

    def call(
        self, make: Callable[[], Awaitable[T]], done: Callable[[T | BaseException], None]
    ) -> None:
        """Run ``make()`` on the worker loop; ``done(result or exception)`` on the GUI thread."""
        with self._lock:
            if self._stopping:
                refused: BaseException = RuntimeError("the sync worker has stopped")
                self._deliver.emit(done, refused)
                return
            self._calls.append((make, done))
        self._kick()

    def _kick(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop just closed
                loop.call_soon_threadsafe(wake.set)

    def _on_deliver(self, done: Callable[[Any], None], result: Any) -> None:
        try:
            done(result)
        except Exception:
            log.exception("a worker call's callback failed")

    # --- the worker thread's side -------------------------------------------------------------

    async def _main(self) -> None:
        self._wake = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        from tracker.bridge.sync_loop import Runner  # noqa: PLC0415 - loaded by start()

        runner = Runner(self)
        try:
            await runner.run()
        finally:
            self._loop = None

    def _take_requests(self) -> _Requests:
        with self._lock:
            requests = _Requests(
                push_at=self._push_at,
                round_asked=self._round_asked,
                account_changed=self._account_changed,
                stopping=self._stopping,
                calls=self._calls,
            )
            self._round_asked = None
            self._account_changed = False
            self._calls = []
            return requests

    def _take_calls(
        self,
    ) -> list[tuple[Callable[[], Awaitable[Any]], Callable[[Any], None]]]:
        with self._lock:
            calls, self._calls = self._calls, []
            return calls

    def _push_deadline(self) -> float | None:
        with self._lock:
            return self._push_at

    def _stopping_now(self) -> bool:
        with self._lock:
            return self._stopping

    def _pushed(self, asked_at: float | None) -> None:
        """A round started: changes made up to now are in it."""
        with self._lock:
            if self._push_at is not None and asked_at is not None and self._push_at <= asked_at:
                self._push_at = None

    def _set_status(self, status: SyncStatus) -> None:
        if status != self._status:
            self._status = status
            self.status_changed.emit(status)


@dataclass
class _Requests:
    push_at: float | None
    round_asked: bool | None
    account_changed: bool
    stopping: bool
    calls: list[tuple[Callable[[], Awaitable[Any]], Callable[[Any], None]]]
