"""When to sync: the request economy in numbers.

New Free-plan workspaces get 30 requests an hour for the whole workspace, shared by every
member and app. A round costs one request per changed entry plus one per pull, so pushes
follow the user's own actions, and pulls (the only way to see a timer started in the web app
or on a phone) are spaced so that polling takes at most ``poll_share`` of the hourly budget.

At the default budget (30 an hour, a fifth of it for polling) a pull runs every 10 minutes,
so **a timer started or stopped elsewhere shows up within 10 minutes** while the app runs,
and at once whenever a window that shows server data opens. On a paid plan (no hourly limit)
the bound is one minute.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tracker.api.budget import RateLimits

__all__ = ["SyncPolicy"]


@dataclass(frozen=True)
class SyncPolicy:
    """The timing rules of background sync.

    Attributes:
        poll_share: the part of the hourly budget periodic pulls may use.
        min_poll: the shortest interval between periodic pulls, in seconds.
        push_delay: how long to wait after a local change before pushing, so that a burst of
            edits (typing, start-then-discard) costs one request, not several.
        max_backoff: the longest wait after failures, in seconds.
    """

    poll_share: float = 0.2
    min_poll: float = 60.0
    push_delay: float = 2.0
    max_backoff: float = 900.0

    def poll_interval(self, limits: RateLimits) -> float:
        """Seconds between periodic pulls under ``limits``."""
        if limits.per_hour is None:
            return self.min_poll
        return max(self.min_poll, 3600.0 / max(1.0, limits.per_hour * self.poll_share))

    def backoff(self, failures: int, rng: random.Random) -> float:
        """Seconds to wait after ``failures`` failed rounds in a row (with jitter)."""
        if failures <= 0:
            return 0.0
        ceiling = min(self.max_backoff, 10.0 * 2 ** (failures - 1))
        return rng.uniform(ceiling / 2, ceiling)
