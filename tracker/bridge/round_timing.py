"""When the sync worker's next round may run, and whether it pulls.

Pulls go by the :class:`~tracker.sync.schedule.PullClock`, pushes by the GUI's push deadline;
on top of both lies one wait, ``retry_at``, that a failed round (backoff), a spent request
budget, an unclear create (recheck) or a busy sync lease sets. This is bookkeeping on monotonic
seconds only: the loop (:mod:`tracker.bridge.sync_loop`) reads the account, runs the rounds
and talks to the GUI; it asks here *when*.
"""

from __future__ import annotations

import random

from tracker.api import RateLimits
from tracker.bridge.channel import Requests
from tracker.sync.engine import SyncReport
from tracker.sync.schedule import PullClock, SyncPolicy

__all__ = ["LEASE_RETRY", "RoundTiming"]

LEASE_RETRY = 5.0
"""Seconds before trying again when another process holds the sync lease."""


class RoundTiming:
    """The schedule of one sync worker's rounds, for an account that may sync.

    Attributes:
        pulls: when the next pull is due.
        failures: rounds that failed in a row (offline, error), for the backoff.
        retry_at: no round before this (backoff, budget, recheck or lease), or ``None``.
        held_by_budget: ``retry_at`` is the budget's: someone looking does not hurry it.
        resume: a round stopped early: another is due at ``retry_at`` even with no push.
    """

    def __init__(self, policy: SyncPolicy) -> None:
        self.policy = policy
        self.pulls = PullClock(policy)
        self.rng = random.Random()  # noqa: S311 - jitter, not cryptography
        self.failures = 0
        self.retry_at: float | None = None
        self.held_by_budget = False
        self.resume = False

    def due(self, requests: Requests, now: float) -> bool | None:
        """Whether a round is due at ``now``: ``None`` no, else whether it pulls."""
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

    def sleep_for(self, push_at: float | None, now: float) -> float | None:
        """Seconds from ``now`` until the next planned round, or ``None`` to wait for a request."""
        times = [at for at in (self.pulls.next_at(), push_at) if at is not None]
        if self.retry_at is not None:
            if self.resume:
                times.append(self.retry_at)
            times = [max(at, self.retry_at) for at in times]
        if not times:
            return None
        return max(0.0, min(times) - now)

    def start_over(self) -> None:
        """The account changed: no backoff carries over to it."""
        self.retry_at = None
        self.failures = 0

    def lease_busy(self, now: float) -> None:
        """Another process holds the sync lease: try again shortly."""
        self.retry_at = now + LEASE_RETRY
        self.held_by_budget = False
        self.resume = True

    def round_started(self) -> None:
        """A round runs now: whatever it stopped early for is taken up by it."""
        self.resume = False

    def round_ended(self, report: SyncReport, pull: bool, limits: RateLimits, now: float) -> None:
        """Plan after a round: a pull that ran resets the pull clock; a round that stopped
        early sets the wait for its reason (a refused key waits for a new key instead)."""
        if pull and report.complete:
            self.pulls.pulled(now)
        self.pulls.set_limits(limits)
        self.held_by_budget = False
        if report.auth_required:
            return
        if report.offline is not None or report.error is not None:
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
