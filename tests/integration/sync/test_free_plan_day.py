"""A working day on a Free-plan workspace: never a 429, fully synced at the end."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.clock import FakeClock
from tracker.store import Store

from .conftest import Harness
from .day import simulate_day


@pytest.fixture
def day_server(clockify_factory: Callable[..., Any], clock: FakeClock) -> Any:
    server = clockify_factory(seed="empty", clock=lambda: clock().timestamp())
    server.set_rate_limit(per_hour=30)
    return server


def test_free_plan_day(store: Store, day_server: Any, clock: FakeClock) -> None:
    harness = Harness(store, day_server, clock)
    figures = simulate_day(harness)
    assert figures.rate_limited == 0
    assert figures.max_in_any_hour <= 30
    assert figures.entries == 12
    harness.assert_converged()
    # The day's budget: pushes for 12 entries and 10 edits, 5 looks, polls every 10 minutes.
    assert figures.requests < 110
