"""The sync worker: sync rounds on their own thread, so a click never waits on the network.

:class:`SyncWorker` lives on the GUI thread; its thread runs an asyncio event loop
(:mod:`tracker.bridge.sync_loop`) with its own store connection (SQLite connections belong
to one thread) and its own Clockify client. The two sides share one object, a
:class:`~tracker.bridge.channel.SyncChannel`: the GUI's asks set fields in it and wake the
loop; the loop's answers come back as this object's signals, which Qt queues onto the GUI
thread.

When rounds run (:mod:`tracker.sync.schedule`): a push ``push_delay`` seconds after the first
of a burst of local changes; a pull at start-up, when asked, when someone looks at server data
or comes back to the computer, and otherwise a rare quiet poll while the person is there;
after a failure the next round waits a growing, jittered backoff; after a refused key none
runs until the account changes. Without a key nothing touches the network. Every round holds
the store's sync lease, so a ``tracker sync`` in a terminal never runs one at the same time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from tracker.bridge.channel import CallHandle, ConnectRequest, SyncChannel
from tracker.bridge.status import Notice, SyncStatus
from tracker.integrations.secrets import SecretStore
from tracker.services.context import system_clock
from tracker.sync.schedule import SyncPolicy

if TYPE_CHECKING:
    from tracker.api import Servers
    from tracker.sync.engine import SyncReport

__all__ = ["SHUTDOWN_MARGIN", "LoopSettings", "SyncWorker"]

log = logging.getLogger("tracker.sync.worker")

T = TypeVar("T")

SHUTDOWN_MARGIN = 0.5
"""Of the shutdown timeout, what is kept for closing and joining after the round."""


@dataclass(frozen=True)
class LoopSettings:
    """What the loop needs besides the channel: where the store is, the key, the rules.

    Attributes:
        store_path: the store file (the loop opens its own connection).
        secrets: where the API key lives; ``None`` means local-only.
        policy: the timing rules.
        clock: the current time for the engine and the status (aware).
        api_options: extra keyword arguments for the Clockify client.
    """

    store_path: Path
    secrets: SecretStore | None
    policy: SyncPolicy
    clock: Callable[[], datetime]
    api_options: Mapping[str, Any] = field(default_factory=dict)


class _LoopThread(QThread):
    """Runs the worker's event loop until it is told to stop."""

    def __init__(self, main: Callable[[], Coroutine[Any, Any, None]]) -> None:
        super().__init__()
        self._main = main
        self.setObjectName("sync-worker")

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception:  # the loop must never take the process down with it
            log.exception("the sync worker stopped on an error")


class _Relay(QObject):
    """The loop's answers as the worker's signals; call results on the GUI thread."""

    delivered = Signal(object, object)

    def __init__(self, worker: SyncWorker) -> None:
        super().__init__(worker)
        self._worker = worker
        self.delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)

    def status(self, status: SyncStatus) -> None:
        self._worker.status_changed.emit(status)

    def data_changed(self) -> None:
        self._worker.data_changed.emit()

    def notice(self, notice: Notice) -> None:
        self._worker.notice.emit(notice)

    def round_finished(self, report: SyncReport) -> None:
        self._worker.round_finished.emit(report)

    def deliver(self, done: Callable[[Any], None], result: object) -> None:
        self.delivered.emit(done, result)

    @Slot(object, object)
    def _on_delivered(self, done: Callable[[Any], None], result: object) -> None:
        try:
            done(result)
        except Exception:
            log.exception("a worker call's callback failed")


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
        self.settings = LoopSettings(store_path, secrets, policy, clock, dict(api_options or {}))
        self.channel = SyncChannel(_Relay(self), push_delay=policy.push_delay)
        self._thread: _LoopThread | None = None

    @property
    def policy(self) -> SyncPolicy:
        """The timing rules."""
        return self.settings.policy

    @property
    def status(self) -> SyncStatus:
        """The latest status."""
        return self.channel.status

    def start(self) -> None:
        """Start the worker thread (the first round pulls at once when connected)."""
        if self._thread is not None or self.channel.stopping:
            return
        # The network stack (httpx, pydantic, the engine) is imported here, on the calling
        # (GUI) thread, before the worker thread exists. Imported on the worker thread
        # instead, it raced imports on the GUI thread: CPython's import deadlock avoidance
        # then hands one thread a partly initialised pydantic module, and the worker died.
        from tracker.bridge.sync_loop import run_loop  # noqa: PLC0415

        settings, channel = self.settings, self.channel
        self._thread = _LoopThread(lambda: run_loop(settings, channel))
        self._thread.start()

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop: let a round in flight finish its write, close client and store, join.

        Returns ``True`` when the thread ended cleanly within ``timeout`` seconds; a round
        still running then was cut off, which is safe (its unclear create is reconciled on the
        next start) but not clean.
        """
        thread = self._thread
        self.channel.stop(timeout - SHUTDOWN_MARGIN)
        if thread is None:
            return True
        joined = thread.wait(int(timeout * 1000))
        self._thread = None
        return bool(joined) and self.channel.clean

    # --- asks (safe from any thread) -----------------------------------------------------------

    def request_sync(self, pull: bool = True) -> None:
        """Run a round now (with a pull unless ``pull`` is false)."""
        self.channel.ask_round(pull)

    @Slot()
    def local_change(self) -> None:
        """Something changed here: push after the push delay (a burst goes in one round)."""
        self.channel.local_change()

    @Slot()
    def look(self) -> None:
        """A window that shows server data opened: pull unless what is known is fresh."""
        self.channel.look()

    @Slot(bool)
    def on_locked(self, locked: bool) -> None:
        """The screen locked (no quiet polls) or unlocked (a look)."""
        self.channel.set_away("lock", locked)

    @Slot(bool)
    def on_sleeping(self, sleeping: bool) -> None:
        """The computer is about to sleep, or woke up (a look)."""
        self.channel.set_away("sleep", sleeping)

    @Slot(bool)
    def on_idle(self, idle: bool) -> None:
        """The person has been idle past the threshold, or is back (a look)."""
        self.channel.set_away("idle", idle)

    @Slot()
    def account_changed(self) -> None:
        """Key, server or workspace changed: re-read them, leave a 401 pause, sync now."""
        self.channel.account_changed()

    def connect_account(
        self,
        key: str,
        servers: Servers,
        done: Callable[[Any], None],
        *,
        wanted: str | None = None,
    ) -> None:
        """Check ``key`` with Clockify, keep it, record the account, then sync.

        Runs :func:`tracker.sync.connect.connect_key` on the loop with the worker's store;
        ``done`` gets its :class:`~tracker.sync.connect.Connected` or the exception on the
        GUI thread.
        """
        self.channel.connect(ConnectRequest(key, servers, done, wanted))

    def call(
        self, make: Callable[[], Awaitable[T]], done: Callable[[T | BaseException], None]
    ) -> CallHandle:
        """Run ``make()`` on the worker loop; ``done(result or exception)`` on the GUI thread.
        The handle cancels it, if it only reads (:class:`~tracker.bridge.channel.CallHandle`)."""
        return self.channel.call(make, done)
