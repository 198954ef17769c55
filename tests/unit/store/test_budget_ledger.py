"""The request budget's ledger in the store: one hourly allowance for every process."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.unit.store.support import start_together
from tracker.api.budget import RateLimits, RequestBudget
from tracker.api.errors import BudgetExhaustedError
from tracker.store import Store
from tracker.sync.ledger import StoreBudgetLedger

Spawn = Callable[..., subprocess.Popen[str]]

SPENDER = """
    import asyncio, sys
    from pathlib import Path
    from tracker.api.budget import RateLimits, RequestBudget
    from tracker.api.errors import BudgetExhaustedError
    from tracker.store import Store
    from tracker.sync.ledger import StoreBudgetLedger

    async def spend(budget):
        got = 0
        for _ in range(10):
            try:
                await budget.acquire(max_wait=0)
            except BudgetExhaustedError:
                continue
            got += 1
            await asyncio.sleep(0.01)  # so the two processes spend in the same stretch
        return got

    with Store(Path(sys.argv[1])) as store:
        budget = RequestBudget(RateLimits(per_hour=10), ledger=StoreBudgetLedger(store))
        print("ready", flush=True)
        sys.stdin.readline()
        print(asyncio.run(spend(budget)), flush=True)
    """


def test_two_processes_share_one_hourly_allowance(path: Path, spawn: Spawn) -> None:
    Store(path).close()
    children = [spawn(SPENDER, str(path)) for _ in range(2)]
    start_together(children)
    granted = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        granted.append(int(out.strip()))
    assert sum(granted) == 10

    # A third process (this one) sees the allowance spent too.
    with Store(path) as store:
        budget = RequestBudget(RateLimits(per_hour=10), ledger=StoreBudgetLedger(store))
        assert budget.spent() == 10
        assert budget.remaining() == 0
        with pytest.raises(BudgetExhaustedError, match="used up"):
            asyncio.run(budget.acquire(max_wait=0))


def test_the_ledger_outlives_the_process_and_what_429s_taught(path: Path) -> None:
    clock = [1_000_000.0]
    with Store(path) as store:
        budget = RequestBudget(
            RateLimits(per_hour=30), ledger=StoreBudgetLedger(store), clock=lambda: clock[0]
        )
        for _ in range(3):
            asyncio.run(budget.acquire(max_wait=0))
        budget.note_rate_limited(retry_after=120)

    with Store(path) as store:
        budget = RequestBudget(
            RateLimits(per_hour=30), ledger=StoreBudgetLedger(store), clock=lambda: clock[0]
        )
        assert budget.spent() == 3
        assert budget.limits.per_hour == 3  # learned from the 429
        assert budget.wait_time() == pytest.approx(3600.0)
        clock[0] += 3601
        assert budget.spent() == 0
        assert budget.limits.per_hour == 30  # lessons are forgotten after an hour


def test_ledgers_under_different_keys_are_separate(path: Path) -> None:
    with Store(path) as store:
        first = RequestBudget(RateLimits(per_hour=1), ledger=StoreBudgetLedger(store, "a"))
        second = RequestBudget(RateLimits(per_hour=1), ledger=StoreBudgetLedger(store, "b"))
        asyncio.run(first.acquire(max_wait=0))
        asyncio.run(second.acquire(max_wait=0))
        assert first.remaining() == second.remaining() == 0
