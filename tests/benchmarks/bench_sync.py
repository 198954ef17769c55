"""What sync costs: requests for a Free-plan day, replaying many offline edits, a big workspace."""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.benchmarks import Figure, benchmark
from tests.fakeclockify import FakeClockify
from tests.helpers.clock import FakeClock
from tests.integration.sync.conftest import Harness
from tests.integration.sync.day import free_plan, simulate_day
from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
from tracker.store import Store
from tracker.sync.account import connect_account
from tracker.sync.connect import connect_key
from tracker.sync.engine import SyncEngine
from tracker.sync.ledger import StoreBudgetLedger
from tracker.sync.runner import budget_for, sync_now


@benchmark("free_plan_day")
def free_plan_day() -> Iterator[Figure]:
    """A 9 h day on a Free workspace: connect, 12 switches, 10 edits, looks, lunch, idle."""
    clock = FakeClock.starting_now()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "t.sqlite3") as store:
        server = FakeClockify(seed="empty", clock=lambda: clock().timestamp())
        with server:
            free_plan(server)
            server.set_rate_limit(per_hour=30)
            figures = simulate_day(Harness(store, server, clock))
    yield Figure("requests for the day", figures.requests, "requests", "bound 38")
    yield Figure("most in any hour", figures.max_in_any_hour, "requests", "bound 15")
    yield Figure("429 answers", figures.rate_limited, "responses")
    yield Figure("sync rounds", figures.rounds, "rounds")
    yield Figure("rounds with a pull", figures.pulls, "rounds")


@benchmark("connect_account")
def connect_account_cost() -> Iterator[Figure]:
    """Connecting a key on a Free workspace, then the first round (as Settings and login do)."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        Store(Path(tmp) / "t.sqlite3") as store,
        FakeClockify(seed="empty") as server,
    ):
        free_plan(server)
        servers = Servers.custom(server.base_url, server.reports_url)
        asyncio.run(connect_key(store, server.api_key, servers, keep=None))
        connecting = len(server.exchanges)
        sync_now(store, server.api_key, servers)
        total = len(server.exchanges)
        counted = budget_for(store, server.workspace_id).spent()
    yield Figure("requests to connect", connecting, "requests", "user, workspaces, profile")
    yield Figure("first round after it", total - connecting, "requests", "refs and a pull")
    yield Figure("outside the shared budget", total - counted, "requests")


@benchmark("replay_1000_edits")
def replay_edits() -> Iterator[Figure]:
    """1,000 offline edits to 100 entries, replayed against a server limited to 50/s."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        Store(Path(tmp) / "t.sqlite3") as store,
        FakeClockify(seed="empty") as server,
    ):
        server.set_rate_limit(per_second=50)
        harness = Harness(store, server, FakeClock.starting_now())
        harness.limits = RateLimits(per_second=50)
        harness.real_time_budget = True
        entries = _offline_edits(harness)
        before = len(server.exchanges)
        started = time.perf_counter()
        report = harness.sync(pull=False, refresh_refs=False)
        wall = time.perf_counter() - started
        sent = server.exchanges[before:]
        server.set_rate_limit()
        harness.assert_converged()
    yield Figure("requests sent", len(sent), "requests", f"{entries} entries edited")
    yield Figure("wall time", wall, "s")
    yield Figure("429 answers", sum(1 for x in sent if x.status == 429), "responses")
    yield Figure("entries updated", report.updated, "entries")


def _offline_edits(harness: Harness) -> int:
    """Make 100 synced entries, then edit them 1,000 times offline; return how many changed."""
    rng = random.Random(3)
    harness.sync()
    base = harness.clock.now - timedelta(days=3)
    entries = [
        harness.new_entry(base + timedelta(minutes=30 * i), base + timedelta(minutes=30 * i + 20))
        for i in range(100)
    ]
    harness.sync(pull=False, refresh_refs=False)
    touched = set()
    for n in range(1000):
        target = rng.randrange(100)
        entries[target] = replace(entries[target], description=f"edit {n}")
        harness.store.entries.save(entries[target])
        touched.add(target)
    return len(touched)


@benchmark("initial_sync_large")
def initial_sync_large() -> Iterator[Figure]:
    """First sync of a workspace with 5,000 projects and 20,000 tasks."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.sqlite3"
        with (
            FakeClockify(seed="empty", large_projects=5000, large_tasks_per_project=4) as server,
            Store(path) as store,
        ):
            started = time.perf_counter()
            report = asyncio.run(_first_round(store, server))
            wall = time.perf_counter() - started
            projects = store.catalog.count("project", server.workspace_id)
            tasks = store.catalog.count("task", server.workspace_id)
        size = sum(p.stat().st_size for p in Path(tmp).glob("t.sqlite3*"))
    yield Figure("wall time", wall, "s", "includes the test server's own time")
    yield Figure("requests", report.requests, "requests")
    yield Figure("projects stored", projects, "projects")
    yield Figure("tasks stored", tasks, "tasks")
    yield Figure("store size", size / 2**20, "MiB")


async def _first_round(store: Store, server: FakeClockify):  # type: ignore[no-untyped-def]
    budget = RequestBudget(RateLimits(), ledger=StoreBudgetLedger(store))
    async with ClockifyClient(
        server.api_key, servers=Servers.custom(server.base_url), budget=budget
    ) as api:
        ws, _ = await connect_account(store, api)
        engine = SyncEngine(
            store, api, workspace_id=ws, user_id=server.user_id, clock=lambda: datetime.now(UTC)
        )
        return await engine.run_once()
