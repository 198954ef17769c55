"""The request budget: sliding windows, waiting, refusing, and learning from 429s."""

import asyncio

import pytest

from tests.helpers.clock import FakeClock
from tracker.api import FREE_PLAN, BudgetExhaustedError, RateLimits, RequestBudget


def make(limits: RateLimits) -> tuple[RequestBudget, FakeClock]:
    """A budget on a hand clock that moves only when told (or when the budget sleeps)."""
    clock = FakeClock()
    return RequestBudget(limits, clock=clock.timestamp, sleep=clock.sleep), clock


def test_free_plan_allows_thirty_an_hour_then_refuses_with_the_wait() -> None:
    budget, clock = make(RateLimits(per_hour=30))

    async def spend(n: int) -> None:
        for _ in range(n):
            await budget.acquire(max_wait=0)
            clock.advance(seconds=10)

    asyncio.run(spend(30))
    assert budget.remaining() == 0
    with pytest.raises(BudgetExhaustedError) as caught:
        asyncio.run(budget.acquire(max_wait=5))
    # The oldest of the 30 was sent 300 s ago: it leaves the window in 3300 s.
    assert caught.value.retry_in == pytest.approx(3300)
    assert "55 min" in caught.value.message
    clock.advance(seconds=3300)
    asyncio.run(budget.acquire(max_wait=0))
    assert budget.spent() == 30


def test_per_second_limit_waits_instead_of_failing() -> None:
    budget, clock = make(RateLimits(per_second=5))

    async def burst() -> None:
        for _ in range(12):
            await budget.acquire(max_wait=2)

    asyncio.run(burst())
    assert clock.slept  # it had to wait for the one-second window
    assert sum(clock.slept) == pytest.approx(2.0)
    assert budget.spent(window=1.0) <= 5


def test_rate_limited_blocks_for_retry_after_and_tightens_to_what_was_spent() -> None:
    budget, clock = make(FREE_PLAN)

    async def spend(n: int) -> None:
        for _ in range(n):
            await budget.acquire(max_wait=0)
            clock.advance(seconds=60)

    asyncio.run(spend(12))
    budget.note_rate_limited(retry_after=30)
    assert budget.limits.per_hour == 12  # others share the workspace's 30
    assert budget.wait_time() >= 30 - 1e-9
    with pytest.raises(BudgetExhaustedError):
        asyncio.run(budget.acquire(max_wait=0))
    clock.advance(seconds=3700)  # an hour without 429 forgets the lesson
    assert budget.limits.per_hour == 30


def test_no_limits_never_waits() -> None:
    budget, clock = make(RateLimits())

    async def spend() -> None:
        for _ in range(1000):
            await budget.acquire(max_wait=0)

    asyncio.run(spend())
    assert clock.slept == []
    assert budget.remaining() is None


def test_limits_must_allow_something() -> None:
    with pytest.raises(ValueError, match="at least one"):
        RateLimits(per_hour=0)


def test_configure_changes_limits() -> None:
    budget, _ = make(FREE_PLAN)
    budget.configure(RateLimits(per_second=50))
    assert budget.limits == RateLimits(per_second=50)


def test_two_budgets_on_one_ledger_share_the_allowance() -> None:
    """The app and a CLI call spend one workspace allowance, not one each."""
    from tracker.api import MemoryLedger

    clock = FakeClock()
    ledger = MemoryLedger()
    app = RequestBudget(
        RateLimits(per_hour=4), ledger=ledger, clock=clock.timestamp, sleep=clock.sleep
    )
    cli = RequestBudget(
        RateLimits(per_hour=4), ledger=ledger, clock=clock.timestamp, sleep=clock.sleep
    )

    async def spend() -> None:
        for budget in (app, cli, app, cli):
            await budget.acquire(max_wait=0)

    asyncio.run(spend())
    with pytest.raises(BudgetExhaustedError):
        asyncio.run(cli.acquire(max_wait=0))
    assert app.remaining() == 0


def test_a_clock_set_back_holds_no_slot_longer_than_the_window() -> None:
    """Requests stamped "in the future" after a backwards jump neither block nor vanish."""
    budget, clock = make(FREE_PLAN)

    async def spend(n: int) -> None:
        for _ in range(n):
            await budget.acquire(max_wait=0)
            clock.advance(seconds=0.5)  # within the ten-a-second limit

    asyncio.run(spend(12))
    clock.advance(hours=-3)  # NTP set the clock back three hours
    assert budget.remaining() == 18  # the twelve still count...
    assert budget.wait_time() == 0  # ...but block nothing
    asyncio.run(spend(18))
    with pytest.raises(BudgetExhaustedError) as caught:
        asyncio.run(budget.acquire(max_wait=0))
    assert caught.value.retry_in <= 3600  # never the length of the jump
    clock.advance(seconds=3600)
    assert budget.remaining() == 30


def test_a_pause_learned_before_a_clock_jump_does_not_outlast_an_hour() -> None:
    budget, clock = make(FREE_PLAN)
    budget.note_rate_limited(retry_after=60)
    clock.advance(hours=-10)
    assert budget.wait_time() <= 3600
