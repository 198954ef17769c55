"""When to sync: the request economy in numbers.

New Free-plan workspaces get 30 requests an hour for the whole workspace, shared by every
member and every app. A round costs one request per changed entry plus one per pull. Pushes
follow the person's own actions (a burst of edits goes in one round). Pulls are the only way
to see a timer started in the web app or on a phone, so they happen when someone would see
the answer, and otherwise rarely:

- at start-up, and whenever asked ("Sync now", ``tracker sync``);
- when the person looks at server data: the timer popup or the today window opens;
- when the person comes back: the computer wakes, the screen unlocks, the idle time ends;
- otherwise a *quiet poll*, only while the person is there: every 90 minutes on a Free plan
  (longer under a lower limit a 429 taught), every minute on a plan without an hourly
  limit. None while the computer sleeps, the screen is locked or the person is idle (the
  idle watch runs while a timer runs; with none running, a lock or sleep stops the polls).

A look or a return pulls only when what is known is older than ``look_fresh`` (5 minutes on
a Free plan, 10 seconds on a paid one), so opening the popup right after unlocking costs one
pull, not two. A round that sends a new running timer counts as knowing what runs: Clockify
stops any other timer of the person's when one starts (the engine relies on this to switch
timers in one request). So on a Free plan **a timer started elsewhere shows when the person
looks (what is shown is at most 5 minutes old), and within 90 minutes while nobody looks**;
looks and returns pull at most 12 times an hour however often the popup opens, and quiet
polls at most once in 90 minutes.

The measured working day (``tests/integration/sync/day.py``: 9 hours from connecting an
account at login, 12 timer switches, 10 edits, popup and today looks, the screen locked over
lunch, an idle meeting) costs at most **38 requests, and at most 15 in any hour** (36 and
13 as measured: connecting and the first fetch 7, pushes 23, pulls 6);
``tests/integration/sync/test_free_plan_day.py`` holds those bounds.

:class:`PullClock` is the pull rule as a plain object over monotonic seconds: the sync
worker's loop and the simulated day run the same code.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass

from tracker.api.budget import FREE_PLAN, RateLimits
from tracker.store import Store

__all__ = ["PullClock", "SyncPolicy", "sent_running", "unsent_timer"]

FREE_PER_HOUR = FREE_PLAN.per_hour or 30


@dataclass(frozen=True)
class SyncPolicy:
    """The timing rules of background sync.

    Attributes:
        quiet_poll: seconds between quiet polls at 30 requests an hour (proportionally
            longer under a lower limit, such as one a 429 taught).
        min_poll: the shortest interval between quiet polls, in seconds (the interval on
            plans without an hourly limit).
        look_fresh: on an hourly-limited plan, how old (seconds) what is known may be before
            a look or a return pulls again.
        look_fresh_unlimited: the same on plans without an hourly limit.
        push_delay: how long to wait after a local change before pushing, so that a burst of
            edits (typing, start-then-discard) costs one request, not several.
        max_backoff: the longest wait after failures, in seconds.
    """

    quiet_poll: float = 5400.0
    min_poll: float = 60.0
    look_fresh: float = 300.0
    look_fresh_unlimited: float = 10.0
    push_delay: float = 2.0
    max_backoff: float = 900.0

    def poll_interval(self, limits: RateLimits) -> float:
        """Seconds between quiet polls under ``limits``."""
        if limits.per_hour is None:
            return self.min_poll
        return max(self.min_poll, self.quiet_poll * FREE_PER_HOUR / limits.per_hour)

    def fresh_for(self, limits: RateLimits) -> float:
        """Seconds a pull's answer stays good enough for a look under ``limits``."""
        return self.look_fresh_unlimited if limits.per_hour is None else self.look_fresh

    def backoff(self, failures: int, rng: random.Random) -> float:
        """Seconds to wait after ``failures`` failed rounds in a row (with jitter)."""
        if failures <= 0:
            return 0.0
        ceiling = min(self.max_backoff, 10.0 * 2 ** (failures - 1))
        return rng.uniform(ceiling / 2, ceiling)


class PullClock:
    """Whether a pull is due, from what happened; time is monotonic seconds passed in.

    A pull is *owed* from start-up, after a look or a return that found what is known stale,
    and until a round with a pull completes; a *quiet poll* comes due ``poll_interval``
    after the last complete pull while nobody is away.

    Args:
        policy: the timing rules.
        limits: the workspace's request limits (change them with :meth:`set_limits`).
    """

    def __init__(self, policy: SyncPolicy, limits: RateLimits = FREE_PLAN) -> None:
        self.policy = policy
        self.limits = limits
        self.owed = True  # the start-up pull
        self.known_at: float | None = None
        self.away: frozenset[str] = frozenset()

    def set_limits(self, limits: RateLimits) -> None:
        """The plan (or what a 429 taught) changed the limits."""
        self.limits = limits

    def look(self, now: float) -> bool:
        """Someone looks at server data: owe a pull unless what is known is fresh.

        Returns whether a pull is owed now.
        """
        if not self._fresh(now):
            self.owed = True
        return self.owed

    def set_away(self, sources: Collection[str], now: float) -> bool:
        """Who says the person is away (``"lock"``, ``"sleep"``, ``"idle"``); none: here.

        Coming back counts as a look. Returns whether a pull is owed now.
        """
        was_away = bool(self.away)
        self.away = frozenset(sources)
        if was_away and not self.away:
            return self.look(now)
        return self.owed

    def pulled(self, now: float) -> None:
        """A round with a pull completed: what is known is as of ``now``."""
        self.known_at = now
        self.owed = False

    def timer_started(self, now: float) -> None:
        """A round sent a new running timer: Clockify runs no other of the person's timers
        now (starting one stops the one running, as the engine relies on to switch in one
        request), so what a look or a quiet poll is for is known as of ``now``. A pull
        owed stays owed."""
        if self.known_at is None or now > self.known_at:
            self.known_at = now

    def due(self, now: float) -> bool:
        """Whether a round should pull now."""
        at = self.next_at()
        return at is not None and now >= at

    def next_at(self) -> float | None:
        """When the next pull is due (monotonic seconds; ``-inf`` when owed now), or
        ``None`` while the person is away and nothing is owed."""
        if self.owed or self.known_at is None:
            return float("-inf")
        if self.away:
            return None
        return self.known_at + self.policy.poll_interval(self.limits)

    def _fresh(self, now: float) -> bool:
        return self.known_at is not None and now - self.known_at < self.policy.fresh_for(
            self.limits
        )


def unsent_timer(store: Store, workspace_id: str) -> str | None:
    """The running entry Clockify has not been sent yet (its local id), if any: read it
    before a round, ask :func:`sent_running` after it."""
    row = store.entries.running(workspace_id)
    return row.id if row is not None and row.server_id is None else None


def sent_running(store: Store, entry_id: str) -> bool:
    """Whether ``entry_id`` is on Clockify now and still running there as here."""
    row = store.entries.get(entry_id)
    return row is not None and row.server_id is not None and not row.pending and row.entry.running
