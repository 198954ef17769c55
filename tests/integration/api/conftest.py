"""Clients pointed at the Clockify test server, with retries fast enough for tests."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpx
import pytest

from tracker.api import ClockifyClient, RateLimits, RequestBudget, RetryPolicy, Servers

T = TypeVar("T")

FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5)


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine on a fresh event loop, as the worker thread will."""
    return asyncio.run(coro)


@pytest.fixture
def make_client(clockify: Any) -> Callable[..., ClockifyClient]:
    """Build clients for the test server; keyword arguments override the defaults."""

    def make(**overrides: Any) -> ClockifyClient:
        options: dict[str, Any] = {
            "servers": Servers.custom(clockify.base_url, clockify.reports_url),
            "retry": FAST_RETRY,
            "timeout": httpx.Timeout(2.0),
            "budget": RequestBudget(RateLimits()),
        }
        options.update(overrides)
        api_key = options.pop("api_key", clockify.api_key)
        return ClockifyClient(api_key, **options)

    return make
