"""When and how long to wait before trying a request again.

Kept apart from the transport so the policy reads in one screen and tests can check it
without a socket. The rules:

- 429, 5xx and connection failures are retried with exponential backoff and full jitter;
  a ``Retry-After`` header (seconds or an HTTP date) wins over the computed delay.
- A request that is not idempotent (creating an entry, stopping the timer) is retried only
  when it certainly did not reach the server: the connection was never made, or the server
  said 429. Anything else may have been committed, and the sync layer reconciles it.
- Never retried: an attempt that ran into its deadline (the server answers, too slowly; another
  attempt would hold the caller as long again) and a refused TLS certificate (waiting does
  not change a certificate, and it may be someone in the middle).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["RetryPolicy", "parse_retry_after"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts and how long between them.

    Attributes:
        max_attempts: attempts in total, the first included.
        base_delay: the first backoff step in seconds.
        max_delay: the cap of one backoff step.
        max_retry_after: a longer ``Retry-After`` is not slept through; the error goes to the
            caller, which schedules the work instead of holding a worker.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_retry_after: float = 60.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if retry_after is not None:
            return retry_after + rng.uniform(0, min(1.0, self.base_delay))
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return rng.uniform(ceiling / 2, ceiling)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Read a ``Retry-After`` header: delta seconds or an HTTP date. Garbage gives ``None``."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)
