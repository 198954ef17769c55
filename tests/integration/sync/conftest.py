"""A store, a clock and sync rounds against the Clockify test server."""

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.helpers.clock import FakeClock
from tests.integration.api.conftest import FAST_RETRY
from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
from tracker.domain.model import Entry, new_id
from tracker.store import Store
from tracker.sync.account import connect_account
from tracker.sync.engine import SyncEngine, SyncReport
from tracker.sync.ledger import StoreBudgetLedger


@pytest.fixture
def clock() -> FakeClock:
    """The test server keeps real time, so the hand clock starts at the real now."""
    return FakeClock.starting_now()


class Harness:
    """Runs rounds and reads the server's truth for one store."""

    def __init__(self, store: Store, server: Any, clock: FakeClock) -> None:
        self.store = store
        self.server = server
        self.clock = clock
        self.limits = RateLimits()
        # Per-second limits need real time to pass; hourly ones are tested on the hand clock.
        self.real_time_budget = False

    def sync(self, **options: Any) -> SyncReport:
        async def round_() -> SyncReport:
            budget = RequestBudget(
                self.limits,
                ledger=StoreBudgetLedger(self.store),
                clock=time.time if self.real_time_budget else self.clock().timestamp,
            )
            async with ClockifyClient(
                self.server.api_key,
                servers=Servers.custom(self.server.base_url, self.server.reports_url),
                budget=budget,
                retry=FAST_RETRY,
                timeout=httpx.Timeout(2.0),
                budget_wait=2.0 if self.real_time_budget else 0.0,
            ) as api:
                ws, _ = await connect_account(self.store, api)
                engine = SyncEngine(
                    self.store,
                    api,
                    workspace_id=ws,
                    user_id=self.server.user_id,
                    clock=self.clock,
                    boot=self.clock.boot,
                )
                return await engine.run_once(**options)

        return asyncio.run(round_())

    @property
    def ws(self) -> str:
        return str(self.server.workspace_id)

    def new_entry(self, start: datetime, end: datetime | None = None, **fields: Any) -> Entry:
        entry = Entry(id=new_id(), workspace_id=self.ws, start=start, end=end, **fields)
        self.store.entries.save(entry)
        return entry

    def server_entries(self) -> dict[str, dict[str, Any]]:
        """The user's entries on the server by id (all of them)."""
        url = (
            f"{self.server.base_url}/v1/workspaces/{self.ws}/user/{self.server.user_id}"
            "/time-entries"
        )
        found: dict[str, dict[str, Any]] = {}
        with httpx.Client(headers={"X-Api-Key": self.server.api_key}) as raw:
            page = 1
            while True:
                response = raw.get(url, params={"page": page, "page-size": 500})
                response.raise_for_status()
                items = response.json()
                found.update({item["id"]: item for item in items})
                if response.headers.get("last-page") == "true" or not items:
                    return found
                page += 1

    def assert_converged(self) -> None:
        """The server holds exactly the local state: nothing lost, nothing duplicated."""
        local = {}
        for row in self.store.entries.latest(self.ws, 100_000):
            assert row.server_id is not None, f"never sent: {row}"
            assert not row.pending, f"still pending: {row}"
            local[row.server_id] = row.entry
        remote = self.server_entries()
        assert set(remote) == set(local)
        for server_id, entry in local.items():
            item = remote[server_id]
            assert item["description"] == entry.description
            assert item["timeInterval"]["start"] == entry.start.strftime("%Y-%m-%dT%H:%M:%SZ")
            end = entry.end.strftime("%Y-%m-%dT%H:%M:%SZ") if entry.end else None
            assert item["timeInterval"]["end"] == end
            project = (
                self.store.catalog.server_id("project", entry.project_id)
                if entry.project_id
                else None
            )
            assert item["projectId"] == (project or entry.project_id)


@pytest.fixture
def server(clockify_factory: Callable[..., Any]) -> Any:
    """An empty workspace, so the server's truth is exactly what these tests put there."""
    return clockify_factory(seed="empty")


@pytest.fixture
def harness(store: Store, server: Any, clock: FakeClock) -> Harness:
    return Harness(store, server, clock)


Make = Callable[..., Entry]
