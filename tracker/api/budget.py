"""The request budget every Clockify call passes through.

New Free-plan workspaces get 30 requests per hour for the whole workspace; paid plans get 50
per second. The budget holds the calls of the last hour, makes a caller wait for a slot when
the wait is short, and refuses with :class:`BudgetExhaustedError` when it is not, so the sync
layer can schedule the work instead of blocking a worker for forty minutes. A 429 from the
server means the real limit is lower than configured (other apps share the workspace's
allowance): the budget pauses and tightens itself (see :meth:`RequestBudget.note_rate_limited`).

The state lives in a :class:`BudgetLedger`. The default keeps it in memory; the store keeps
it in SQLite so that the tray app and every CLI call spend one shared allowance.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol, TypeVar

from tracker.api.errors import BudgetExhaustedError

__all__ = [
    "FREE_PLAN",
    "PAID_PLAN",
    "BudgetLedger",
    "BudgetState",
    "MemoryLedger",
    "RateLimits",
    "RequestBudget",
]

HOUR = 3600.0
SECOND = 1.0
MAX_PAUSE = 900.0
"""The longest pause a streak of 429s without ``Retry-After`` imposes."""
R = TypeVar("R")


@dataclass(frozen=True)
class RateLimits:
    """Requests allowed per second and per hour; ``None`` means no limit of that kind."""

    per_second: int | None = None
    per_hour: int | None = None

    def __post_init__(self) -> None:
        for value in (self.per_second, self.per_hour):
            if value is not None and value < 1:
                raise ValueError("a rate limit must allow at least one request")


FREE_PLAN = RateLimits(per_second=10, per_hour=30)
PAID_PLAN = RateLimits(per_second=50, per_hour=None)


@dataclass
class BudgetState:
    """What the budget remembers: when requests went out, and what 429s taught it."""

    stamps: list[float] = field(default_factory=list)
    blocked_until: float = 0.0
    learned_per_hour: int | None = None
    learned_per_second: int | None = None
    learned_at: float = 0.0
    streak: int = 0


class BudgetLedger(Protocol):
    """Keeps a :class:`BudgetState`; ``update`` changes it atomically, across processes too."""

    def update(self, change: Callable[[BudgetState], R]) -> R:
        """Load the state, apply ``change`` to it, store it, and return what ``change`` gave."""
        ...


class MemoryLedger:
    """A ledger for one process."""

    def __init__(self) -> None:
        self._state = BudgetState()
        self._lock = threading.Lock()

    def update(self, change: Callable[[BudgetState], R]) -> R:
        with self._lock:
            return change(self._state)


class RequestBudget:
    """A sliding-window budget over the last second and the last hour.

    Args:
        limits: the configured limits.
        ledger: where the state lives (default: this process's memory).
        clock: wall-clock seconds (wall time, so a record can outlive the process).
        sleep: the coroutine used to wait for a slot (tests pass a fake).
    """

    def __init__(
        self,
        limits: RateLimits = PAID_PLAN,
        *,
        ledger: BudgetLedger | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._configured = limits
        self._ledger: BudgetLedger = ledger or MemoryLedger()
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()

    @property
    def limits(self) -> RateLimits:
        """The limits in force: the configured ones, tightened by recent 429s."""
        return self._ledger.update(lambda state: self._limits(state, self._clock()))

    def configure(self, limits: RateLimits) -> None:
        """Change the configured limits (the user changed plan or setting)."""
        self._configured = limits

    def spent(self, window: float = HOUR) -> int:
        """How many requests were sent in the last ``window`` seconds."""
        now = self._clock()
        return self._ledger.update(lambda state: _count(state, now, window))

    def remaining(self) -> int | None:
        """Requests left in the current hour, or ``None`` when there is no hourly limit."""
        now = self._clock()

        def left(state: BudgetState) -> int | None:
            per_hour = self._limits(state, now).per_hour
            return None if per_hour is None else max(0, per_hour - _count(state, now, HOUR))

        return self._ledger.update(left)

    def wait_time(self) -> float:
        """Seconds until one more request may be sent (0 when it may go now)."""
        now = self._clock()
        return self._ledger.update(lambda state: self._wait(state, now))

    async def acquire(self, *, max_wait: float) -> None:
        """Take one slot, waiting up to ``max_wait`` seconds for it.

        Raises:
            BudgetExhaustedError: when no slot frees within ``max_wait``.
        """
        async with self._lock:
            while True:
                wait = self._ledger.update(partial(self._take, now=self._clock()))
                if wait <= 0:
                    return
                if wait > max_wait:
                    raise BudgetExhaustedError(
                        f"The Clockify request budget is used up; the next request can go in "
                        f"{_human_seconds(wait)}.",
                        retry_in=wait,
                    )
                await self._sleep(wait)

    def note_rate_limited(self, retry_after: float | None) -> None:
        """Learn from a 429: pause, and lower the limit that must have been hit.

        The pause is ``retry_after`` when the server gave one, else 1, 2, 4 … seconds for
        429s in a row (at most 15 minutes). Without headers the limit that was hit is a guess:
        under a configured hourly limit, the workspace's shared allowance was used up by
        others too, so the hourly limit drops to what this client spent; otherwise it was a
        burst, and the per-second limit halves. Lessons are forgotten after an hour.
        """
        now = self._clock()

        def learn(state: BudgetState) -> None:
            state.streak += 1
            pause = (
                retry_after if retry_after is not None else min(MAX_PAUSE, 2.0**state.streak / 2)
            )
            state.blocked_until = max(state.blocked_until, now + pause)
            limits = self._limits(state, now)
            in_hour = _count(state, now, HOUR)
            if limits.per_hour is not None and in_hour < limits.per_hour:
                state.learned_per_hour = max(1, in_hour)
            else:
                state.learned_per_second = max(1, _count(state, now, SECOND) // 2)
            state.learned_at = now

        self._ledger.update(learn)

    def note_success(self) -> None:
        """A request went through: the next 429 starts a new streak."""

        def reset(state: BudgetState) -> None:
            state.streak = 0

        self._ledger.update(reset)

    def _limits(self, state: BudgetState, now: float) -> RateLimits:
        _settle_clock_jump(state, now)
        if state.learned_at and now - state.learned_at > HOUR:
            state.learned_per_hour = state.learned_per_second = None
            state.learned_at = 0.0
        return RateLimits(
            per_second=_min(self._configured.per_second, state.learned_per_second),
            per_hour=_min(self._configured.per_hour, state.learned_per_hour),
        )

    def _wait(self, state: BudgetState, now: float) -> float:
        state.stamps = [stamp for stamp in state.stamps if stamp > now - HOUR]
        limits = self._limits(state, now)
        wait = max(0.0, state.blocked_until - now)
        for limit, window in ((limits.per_second, SECOND), (limits.per_hour, HOUR)):
            if limit is None:
                continue
            inside = [stamp for stamp in state.stamps if stamp > now - window]
            if len(inside) >= limit:
                # The slot frees when the oldest call that keeps us at the limit leaves.
                wait = max(wait, inside[len(inside) - limit] + window - now)
        return wait

    def _take(self, state: BudgetState, *, now: float) -> float:
        wait = self._wait(state, now)
        if wait <= 0:
            state.stamps.append(now)
        return wait


def _settle_clock_jump(state: BudgetState, now: float) -> None:
    """Bring times recorded "after now" back to now: the wall clock went backwards.

    Those requests did go out, at an unknown real time before now. Each still counts toward
    the hour, but as sent a second ago (not a burst happening now): it holds a slot for at most
    an hour instead of for the length of the jump. Left as they were, a clock set back three
    hours would stop every request for three hours, since all of them would sit inside the
    one-second window. A pause can likewise last no longer than an hour from now.
    """
    if any(stamp > now for stamp in state.stamps):
        state.stamps = [now - SECOND if stamp > now else stamp for stamp in state.stamps]
    state.blocked_until = min(state.blocked_until, now + HOUR)
    state.learned_at = min(state.learned_at, now)


def _count(state: BudgetState, now: float, window: float) -> int:
    _settle_clock_jump(state, now)
    return sum(1 for stamp in state.stamps if stamp > now - window)


def _min(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _human_seconds(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"
