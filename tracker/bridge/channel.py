"""The one seam between the GUI thread and the sync worker's event loop.

The GUI thread *asks*: a round, a push after the push delay, a look at server data, who says
the person is away, an account change, an account to connect, calls to run, stop. Each ask
sets a field under a lock and wakes the loop; nothing waits. The loop *takes* what was asked
(:meth:`SyncChannel.take`) and *answers* (status, data changed, notices, round reports, call
results) through :class:`Answers`, which the worker turns into Qt signals on the GUI thread.
Neither side touches the other's members: this object is all they share. A call asked gives
back a :class:`CallHandle`, the one way to cancel it (a read only) and to see its requests.

Qt-free on purpose (it is plain ``threading`` and ``asyncio``), so the loop side can be read
and tested without a QApplication.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from tracker.bridge.status import Notice, SyncPhase, SyncStatus

if TYPE_CHECKING:
    from tracker.api import ClockifyClient, Servers
    from tracker.store import Store
    from tracker.sync.engine import SyncReport

__all__ = [
    "AWAY_SOURCES",
    "Answers",
    "Call",
    "CallHandle",
    "Cancelled",
    "ClientCall",
    "ConnectRequest",
    "Requests",
    "SyncChannel",
]

AWAY_SOURCES = frozenset({"sleep", "lock", "idle"})
"""Who may say the person is away: the computer sleeps, the screen is locked, no input."""

Done = Callable[[Any], None]


class Cancelled(Exception):
    """What ``done`` gets for a call whose :meth:`CallHandle.cancel` stopped it."""

    def __init__(self) -> None:
        super().__init__("cancelled")


class CallHandle:
    """A call asked of the loop, as the asker holds it: :meth:`cancel` from the GUI thread,
    :attr:`requests` sent so far (for a progress line).

    Cancelling stops the work at once: its task is cancelled on the loop, so a request in
    flight on a slow server ends now, not at its timeout, and ``done`` gets
    :class:`Cancelled`, once. Only cancel a call that *reads*: a write cut in the middle of
    its request may or may not have been done, and a person told "cancelled" may send it
    again. The Workspace window's pages therefore offer Cancel only while they read
    (:meth:`tracker.ui.admin_page.AdminPage.ask`). A call that already ended (or was
    cancelled) is not touched: its ``done`` keeps what it got.
    """

    def __init__(self, withdraw: Callable[[], bool]) -> None:
        self._lock = threading.Lock()
        self._withdraw = withdraw
        self._cancelled = False
        self._ended = False
        self._reads = False
        self._requests = 0
        self._task: asyncio.Task[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was asked before the call ended (one ending at that very
        moment still gives ``done`` its result)."""
        with self._lock:
            return self._cancelled

    @property
    def requests(self) -> int:
        """Requests the call sent so far (each attempt counts, as in the budget)."""
        with self._lock:
            return self._requests

    @property
    def reads(self) -> bool:
        """Whether the asker said the call only reads (:meth:`only_reads`)."""
        with self._lock:
            return self._reads

    def only_reads(self) -> None:
        """The asker says the call only reads: stopping the worker cancels it at once, while
        a change gets the shutdown's margin to be sent."""
        with self._lock:
            self._reads = True

    def cancel(self) -> bool:
        """Stop the call now (thread-safe); whether this cancelled it (``False`` when it had
        ended or was cancelled already)."""
        with self._lock:
            if self._cancelled or self._ended:
                return False
            self._cancelled = True
            task, loop = self._task, self._loop
        if task is not None and loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop just closed
                loop.call_soon_threadsafe(task.cancel)
        else:
            # Still queued: taken off the queue and answered now, even while the loop is
            # busy elsewhere (a locked keyring asking the person); if the loop took it
            # meanwhile, it sees ``cancelled`` before it runs it.
            self._withdraw()
        return True

    # --- the loop's side ------------------------------------------------------------------------

    def started(self, task: asyncio.Task[Any]) -> None:
        """The call runs as ``task`` on the running loop (cancelled now if it was asked to
        be meanwhile)."""
        with self._lock:
            self._task, self._loop = task, asyncio.get_running_loop()
            cancelled = self._cancelled
        if cancelled:
            task.cancel()

    def sent(self) -> None:
        """One more request went out."""
        with self._lock:
            self._requests += 1

    def end(self) -> bool:
        """The call is answered now: later cancels do nothing. Returns whether it was
        cancelled before."""
        with self._lock:
            self._ended = True
            return self._cancelled


@dataclass(frozen=True)
class Call:
    """Work for the loop: ``make()`` runs there, ``done(result or exception)`` on the GUI
    thread."""

    make: Callable[[], Awaitable[Any]]
    done: Done
    handle: CallHandle = field(default_factory=lambda: CallHandle(_nothing))


@dataclass(frozen=True)
class ClientCall:
    """Work for the loop that reads Clockify with the worker's own store and client (so the
    request is counted in the one budget and never leaves the worker thread):
    ``work(store, api)`` runs there, ``done(result or exception)`` on the GUI thread. Without
    a connected account ``done`` gets a :class:`LookupError`."""

    work: Callable[[Store, ClockifyClient], Awaitable[Any]]
    done: Done
    handle: CallHandle = field(default_factory=lambda: CallHandle(_nothing))


@dataclass(frozen=True)
class ConnectRequest:
    """Connect this key (checked with Clockify first) on these servers; ``done`` gets the
    :class:`~tracker.sync.connect.Connected` or the exception, on the GUI thread."""

    key: str
    servers: Servers
    done: Done
    wanted: str | None = None

    def __repr__(self) -> str:  # never the key
        return f"ConnectRequest(servers={self.servers!r}, wanted={self.wanted!r})"


@dataclass(frozen=True)
class Requests:
    """What the GUI asked since the loop last took its requests.

    Attributes:
        round_asked: ``None`` when no round was asked, else whether it should pull.
        looked: someone opened a window that shows server data.
        came_back: the person came back (the last of ``away`` cleared) at least once.
        away: who says the person is away now (see :data:`AWAY_SOURCES`).
        account_changed: key, server or workspace changed.
        connects: accounts to connect, oldest first.
        calls: work to run, oldest first.
        push_at: when local changes are due to be pushed (monotonic), or ``None``.
        stopping: the worker is shutting down.
    """

    round_asked: bool | None = None
    looked: bool = False
    came_back: bool = False
    away: frozenset[str] = frozenset()
    account_changed: bool = False
    connects: tuple[ConnectRequest, ...] = ()
    calls: tuple[Call | ClientCall, ...] = ()
    push_at: float | None = None
    stopping: bool = False


class Answers(Protocol):
    """How the loop's answers reach the GUI thread (the worker emits Qt signals)."""

    def status(self, status: SyncStatus) -> None:
        """The headline changed."""
        ...

    def data_changed(self) -> None:
        """A round changed the store; views re-read."""
        ...

    def notice(self, notice: Notice) -> None:
        """Something the person should hear about once."""
        ...

    def round_finished(self, report: SyncReport) -> None:
        """A round ended (or a requested one could not run)."""
        ...

    def deliver(self, done: Done, result: object) -> None:
        """Hand ``result`` to ``done`` on the GUI thread."""
        ...


class SyncChannel:
    """Thread-safe requests from the GUI thread and answers from the loop.

    Args:
        answers: where the loop's answers go.
        push_delay: seconds between the first of a burst of local changes and its push.
        monotonic: the clock push deadlines are measured on.
    """

    def __init__(
        self,
        answers: Answers,
        *,
        push_delay: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._answers = answers
        self._push_delay = push_delay
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._status = SyncStatus(SyncPhase.LOCAL)
        self._clean = True
        self._grace = 0.0
        self._asked = Requests()
        self._away: set[str] = set()

    # --- the GUI thread's side ------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        """The latest status the loop answered."""
        with self._lock:
            return self._status

    @property
    def clean(self) -> bool:
        """``False`` once the loop had to cut a round off at shutdown."""
        with self._lock:
            return self._clean

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        with self._lock:
            return self._asked.stopping

    def ask_round(self, pull: bool = True) -> None:
        """A round now, with a pull unless ``pull`` is false (a pull asked earlier stays)."""
        self._ask(lambda r: replace(r, round_asked=bool(pull) or bool(r.round_asked)))

    def local_change(self) -> None:
        """Something changed here: push after the push delay (a burst goes in one round)."""
        at = self._monotonic() + self._push_delay
        self._ask(lambda r: r if r.push_at is not None else replace(r, push_at=at))

    def look(self) -> None:
        """Someone looks at server data: pull unless what is known is fresh."""
        self._ask(lambda r: replace(r, looked=True))

    def set_away(self, source: str, away: bool) -> None:
        """``source`` (one of :data:`AWAY_SOURCES`) says the person is away, or no longer."""
        if source not in AWAY_SOURCES:
            raise ValueError(f"unknown away source {source!r}")
        with self._lock:
            before = bool(self._away)
            (self._away.add if away else self._away.discard)(source)
            came_back = before and not self._away
            self._asked = replace(
                self._asked,
                away=frozenset(self._away),
                came_back=self._asked.came_back or came_back,
            )
        self._kick()

    def account_changed(self) -> None:
        """Key, server or workspace changed: re-read them, leave a 401 pause, sync now."""
        self._ask(lambda r: replace(r, account_changed=True, round_asked=True))

    def connect(self, request: ConnectRequest) -> None:
        """Check and connect an account on the loop (refused once stopping)."""
        if not self._queue(lambda r: replace(r, connects=(*r.connects, request))):
            self._answers.deliver(request.done, RuntimeError("the sync worker has stopped"))

    def call(self, make: Callable[[], Awaitable[Any]], done: Done) -> CallHandle:
        """Run ``make()`` on the loop; ``done(result or exception)`` on the GUI thread. The
        handle cancels a read (:class:`CallHandle`: never a write)."""
        call = Call(make, done, self._handle())
        if not self._queue(lambda r: replace(r, calls=(*r.calls, call))):
            call.handle.end()
            self._answers.deliver(done, RuntimeError("the sync worker has stopped"))
        return call.handle

    def stop(self, grace: float) -> None:
        """Shut down: a round in flight gets ``grace`` seconds to finish its write."""
        with self._lock:
            self._grace = max(0.0, grace)
        self._ask(lambda r: replace(r, stopping=True))

    # --- the loop's side ------------------------------------------------------------------------

    def bind(self) -> None:
        """Attach to the running event loop (call on the loop, before anything else)."""
        wake = asyncio.Event()
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._wake = wake

    def unbind(self) -> None:
        """The loop is ending: asks no longer wake it."""
        with self._lock:
            self._loop = None

    def take(self) -> Requests:
        """What was asked since the last take; one-shot requests are consumed.

        The push deadline stays until :meth:`pushed`; who is away stays until it changes.
        """
        self._wake_event().clear()  # before reading, so no ask is lost
        with self._lock:
            taken = self._asked
            self._asked = Requests(away=taken.away, push_at=taken.push_at, stopping=taken.stopping)
            return taken

    def call_with_client(
        self, work: Callable[[Store, ClockifyClient], Awaitable[Any]], done: Done
    ) -> CallHandle:
        """Run ``work(store, api)`` on the loop with the worker's store and client;
        ``done(result or exception)`` on the GUI thread. The handle cancels a read
        (:class:`CallHandle`: never a write) and counts its requests."""
        call = ClientCall(work, done, self._handle())
        if not self._queue(lambda r: replace(r, calls=(*r.calls, call))):
            call.handle.end()
            self._answers.deliver(done, RuntimeError("the sync worker has stopped"))
        return call.handle

    def take_calls(self) -> tuple[Call | ClientCall, ...]:
        """Only the calls asked meanwhile (while a round runs, the rest waits for it).

        This clears the wake like :meth:`take`, so the loop must :meth:`take` again before
        it next waits, or asks made meanwhile would sleep until the next one.
        """
        self._wake_event().clear()
        with self._lock:
            calls = self._asked.calls
            self._asked = replace(self._asked, calls=())
            return calls

    def push_deadline(self) -> float | None:
        """When local changes are due to be pushed (monotonic), or ``None``."""
        with self._lock:
            return self._asked.push_at

    def pushed(self, asked_at: float) -> None:
        """A round started at ``asked_at``: changes made up to then are in it."""
        with self._lock:
            push_at = self._asked.push_at
            if push_at is not None and push_at <= asked_at:
                self._asked = replace(self._asked, push_at=None)

    @property
    def grace(self) -> float:
        """Seconds a round in flight may still take once stopping."""
        with self._lock:
            return self._grace

    async def wait(self, at_most: float | None = None) -> None:
        """Until something is asked, or ``at_most`` seconds pass."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake_event().wait(), at_most)

    def cut_off(self) -> None:
        """A round outlived the shutdown grace and was cancelled."""
        with self._lock:
            self._clean = False

    # --- the loop's answers ---------------------------------------------------------------------

    def answer_status(self, status: SyncStatus) -> None:
        """Publish a new status (said only when it changed)."""
        with self._lock:
            if status == self._status:
                return
            self._status = status
        self._answers.status(status)

    def answer_data_changed(self) -> None:
        """A round changed the store."""
        self._answers.data_changed()

    def answer_notice(self, notice: Notice) -> None:
        """Something for the person to hear about once."""
        self._answers.notice(notice)

    def answer_round(self, report: SyncReport) -> None:
        """A round ended."""
        self._answers.round_finished(report)

    def answer_call(self, done: Done, result: object) -> None:
        """A call (or connect) ended with ``result`` (a value or an exception)."""
        self._answers.deliver(done, result)

    # --- helpers --------------------------------------------------------------------------------

    def _handle(self) -> CallHandle:
        """A handle whose cancel, while its call still waits in the queue, takes it off and
        answers :class:`Cancelled` at once."""
        made: list[CallHandle] = []

        def withdraw() -> bool:
            with self._lock:
                found = [c for c in self._asked.calls if c.handle is made[0]]
                if not found:
                    return False  # the loop took it: it answers
                calls = tuple(c for c in self._asked.calls if c.handle is not made[0])
                self._asked = replace(self._asked, calls=calls)
            found[0].handle.end()
            self._answers.deliver(found[0].done, Cancelled())
            return True

        made.append(CallHandle(withdraw))
        return made[0]

    def _ask(self, change: Callable[[Requests], Requests]) -> None:
        with self._lock:
            self._asked = change(self._asked)
        self._kick()

    def _queue(self, change: Callable[[Requests], Requests]) -> bool:
        with self._lock:
            if self._asked.stopping:
                return False
            self._asked = change(self._asked)
        self._kick()
        return True

    def _kick(self) -> None:
        with self._lock:
            loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop just closed
                loop.call_soon_threadsafe(wake.set)

    def _wake_event(self) -> asyncio.Event:
        with self._lock:
            wake = self._wake
        if wake is None:
            raise RuntimeError("the channel is not bound to a loop")
        return wake


def _nothing() -> bool:
    """A handle's withdrawal when no channel queues its call: nothing to take back."""
    return False
