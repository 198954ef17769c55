"""The request budget every Clockify call passes through.

New Free-plan workspaces get 30 requests per hour for the whole workspace; paid plans get 50
per second. The budget holds the calls of the last hour and second, makes a caller wait for a
slot when the wait is short, and refuses with :class:`BudgetExhaustedError` when it is not, so
the sync layer can schedule the work instead of blocking a worker for forty minutes. A 429
from the server means the real limit is lower than configured (other apps share the workspace's
allowance): the budget pauses and tightens itself (see :meth:`RequestBudget.note_rate_limited`).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tracker.api.errors import BudgetExhaustedError

__all__ = ["FREE_PLAN", "PAID_PLAN", "RateLimits", "RequestBudget"]

HOUR = 3600.0
SECOND = 1.0


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


class RequestBudget:
    """A sliding-window budget over the last second and the last hour.

    Args:
        limits: the configured limits.
        clock: wall-clock seconds (wall time, so a record can outlive the process).
        sleep: the coroutine used to wait for a slot (tests pass a fake).
    """

    def __init__(
        self,
        limits: RateLimits = PAID_PLAN,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._configured = limits
        self._learned_per_hour: int | None = None
        self._learned_per_second: int | None = None
        self._learned_at = 0.0
        self._blocked_until = 0.0
        self._streak = 0
        self._spent: deque[float] = deque()
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()

    @property
    def limits(self) -> RateLimits:
        """The limits in force: the configured ones, tightened by recent 429s."""
        self._forget_old_lessons()
        return RateLimits(
            per_second=_min(self._configured.per_second, self._learned_per_second),
            per_hour=_min(self._configured.per_hour, self._learned_per_hour),
        )

    def configure(self, limits: RateLimits) -> None:
        """Change the configured limits (the user changed plan or setting)."""
        self._configured = limits

    def spent(self, window: float = HOUR) -> int:
        """How many requests were sent in the last ``window`` seconds."""
        now = self._clock()
        self._trim(now)
        return sum(1 for stamp in self._spent if stamp > now - window)

    def remaining(self) -> int | None:
        """Requests left in the current hour, or ``None`` when there is no hourly limit."""
        per_hour = self.limits.per_hour
        return None if per_hour is None else max(0, per_hour - self.spent(HOUR))

    def wait_time(self) -> float:
        """Seconds until one more request may be sent (0 when it may go now)."""
        now = self._clock()
        self._trim(now)
        limits = self.limits
        wait = max(0.0, self._blocked_until - now)
        for limit, window in ((limits.per_second, SECOND), (limits.per_hour, HOUR)):
            if limit is None:
                continue
            inside = [stamp for stamp in self._spent if stamp > now - window]
            if len(inside) >= limit:
                # The slot frees when the oldest call that keeps us at the limit leaves.
                wait = max(wait, inside[len(inside) - limit] + window - now)
        return wait

    async def acquire(self, *, max_wait: float) -> None:
        """Take one slot, waiting up to ``max_wait`` seconds for it.

        Raises:
            BudgetExhaustedError: when no slot frees within ``max_wait``.
        """
        async with self._lock:
            while True:
                wait = self.wait_time()
                if wait <= 0:
                    self._spent.append(self._clock())
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
        self._trim(now)
        self._streak += 1
        pause = retry_after if retry_after is not None else min(900.0, 2.0 ** (self._streak - 1))
        self._blocked_until = max(self._blocked_until, now + pause)
        limits = self.limits
        in_hour = self.spent(HOUR)
        if limits.per_hour is not None and in_hour < limits.per_hour:
            self._learned_per_hour = max(1, in_hour)
        else:
            in_second = self.spent(SECOND)
            self._learned_per_second = max(1, in_second // 2)
        self._learned_at = now

    def note_success(self) -> None:
        """A request went through: the next 429 starts a new streak."""
        self._streak = 0

    def _forget_old_lessons(self) -> None:
        if self._learned_at and self._clock() - self._learned_at > HOUR:
            self._learned_per_hour = self._learned_per_second = None
            self._learned_at = 0.0

    def _trim(self, now: float) -> None:
        while self._spent and self._spent[0] <= now - HOUR:
            self._spent.popleft()


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
