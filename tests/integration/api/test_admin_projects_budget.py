"""A projects refresh on a Free workspace (30 requests an hour for everything, the timer's
sync included) is not started when the hour's budget cannot pay for it: nothing is spent on
pages that would be thrown away, and the kept copy stays shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakeclockify import FakeClockify
from tests.helpers.clock import FakeClock
from tracker.api import ClockifyClient, RateLimits, RequestBudget
from tracker.services.admin_base import AdminOffline
from tracker.services.admin_projects import AdminProjects
from tracker.store import Store

from .conftest import run
from .test_admin_projects_service import connect

Make = Callable[..., ClockifyClient]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock.starting_now()


def test_a_refresh_the_hours_budget_cannot_pay_for_is_not_started(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = connect(store, clockify, "Alex Morgan", clock)
    ws = clockify.workspace_id
    for n in range(1000):  # five pages of projects
        clockify.state.add_project(ws, f"Bulk {n:04d}")

    async def go() -> None:
        async with make_client() as api:
            kept = await AdminProjects(context, api).projects()
        tight = RequestBudget(RateLimits(per_hour=6))
        async with make_client(budget=tight) as api:
            clockify.clear_exchanges()
            with pytest.raises(AdminOffline, match="requests") as refused:
                await AdminProjects(context, api).projects(refresh=True)
            assert "\n" not in refused.value.message
            assert clockify.exchanges == []  # nothing spent on pages thrown away
            assert tight.remaining() == 6
            shown = AdminProjects(context, None)
            assert len((await shown.projects()).value) == len(kept.value)
        roomy = RequestBudget(RateLimits(per_hour=30))
        async with make_client(budget=roomy) as api:
            again = await AdminProjects(context, api).projects(refresh=True)
            assert len(again.value) == len(kept.value)
            assert roomy.remaining() == 30 - len(clockify.exchanges)

    run(go())


def test_a_refresh_nobody_asked_for_leaves_the_timer_its_share(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    """An old copy read again (the window shown, ``list`` without ``--refresh``) does not
    spend what the timer's sync needs this hour; F5 or ``--refresh`` may."""
    context = connect(store, clockify, "Alex Morgan", clock)
    ws = clockify.workspace_id
    for n in range(1000):
        clockify.state.add_project(ws, f"Bulk {n:04d}")

    async def go() -> None:
        async with make_client() as api:
            await AdminProjects(context, api).projects()
        clock.advance(minutes=30)  # the kept copy is old now
        hour = RequestBudget(RateLimits(per_hour=15))
        async with make_client(budget=hour) as api:
            clockify.clear_exchanges()
            with pytest.raises(AdminOffline, match="which the timer needs"):
                await AdminProjects(context, api).projects()
            assert clockify.exchanges == []
            asked = await AdminProjects(context, api).projects(refresh=True)
            assert asked.as_of == clock.now

    run(go())
