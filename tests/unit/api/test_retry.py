"""Retry delays and Retry-After parsing."""

import random
from datetime import UTC, datetime

import pytest

from tracker.api import RetryPolicy
from tracker.api.retry import parse_retry_after


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-4", 0.0),
        ("Wed, 21 Oct 2026 07:28:10 GMT", 10.0),
        ("soon", None),
        ("nan", None),
        ("inf", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == expected


def test_backoff_grows_and_is_capped_with_jitter() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    rng = random.Random(1)
    delays = [policy.delay(attempt, None, rng) for attempt in range(1, 8)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(4.0, 0.5 * 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 4.0


def test_retry_after_wins_over_backoff() -> None:
    policy = RetryPolicy(base_delay=0.5)
    delay = policy.delay(1, 7.0, random.Random(2))
    assert 7.0 <= delay <= 7.5
