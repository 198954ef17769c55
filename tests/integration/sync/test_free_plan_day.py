"""A working day on a Free-plan workspace: within the bounds of ``tracker.sync.schedule``,
never a 429, fully synced at the end."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.clock import FakeClock
from tracker.store import Store

from .conftest import Harness
from .day import free_plan, simulate_day

DAY_REQUESTS = 38
"""The most a 9-hour working day may cost (the module docstring of tracker.sync.schedule)."""
HOUR_REQUESTS = 15
"""The most any hour of it may cost: half of the workspace's 30, shared with the team."""


@pytest.fixture
def day_server(clockify_factory: Callable[..., Any], clock: FakeClock) -> Any:
    server = clockify_factory(seed="empty", clock=lambda: clock().timestamp())
    free_plan(server)
    server.set_rate_limit(per_hour=30)
    return server


def test_free_plan_day(store: Store, day_server: Any, clock: FakeClock) -> None:
    harness = Harness(store, day_server, clock)
    figures = simulate_day(harness)
    assert figures.rate_limited == 0
    assert figures.entries == 12
    harness.assert_converged()
    # Pushes alone are 23 (12 starts, 10 edits, the last stop), connecting and the first
    # fetch of projects 7: pulls at start-up, on looks and returns and quiet polls must fit
    # in what is left.
    assert figures.requests <= DAY_REQUESTS, figures
    assert figures.max_in_any_hour <= HOUR_REQUESTS, figures
