"""What the team's read costs on a workspace of 2,000 people: requests (the Free plan's
currency), CPU time of the service (not wall time: other work shares the cores), and the
size of the kept copy the window opens from."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.benchmarks import Figure, benchmark
from tests.fakeclockify import FakeClockify
from tests.fakeclockify.team_seed import seed_people
from tests.helpers.clock import FakeClock
from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
from tracker.domain.model import WorkspaceInfo
from tracker.services.admin_people import PeopleFilter, Team, TeamView
from tracker.services.context import Context
from tracker.store import Store

PEOPLE = 2000


@benchmark("team_read")
def team_read() -> Iterator[Figure]:
    """One whole read of a 2,000-person team, then one filtered by role (admin key)."""
    with FakeClockify("demo") as server, tempfile.TemporaryDirectory() as folder:
        seed_people(server.state, server.workspace_id, PEOPLE)
        store = Store(Path(folder) / "tracker.sqlite3")
        store.meta.set_account({"user_id": server.user_id, "name": "Alex", "email": "a@b.c"})
        store.meta.set_workspace_id(server.workspace_id)
        store.meta.save_workspace(WorkspaceInfo(server.workspace_id, "Demo", free_plan=False))
        context = Context(store, FakeClock.starting_now())

        async def read() -> tuple[TeamView, int]:
            client = ClockifyClient(
                server.api_key,
                servers=Servers.custom(server.base_url, server.reports_url),
                budget=RequestBudget(RateLimits()),
                timeout=httpx.Timeout(30.0),
            )
            async with client as api:
                view = await Team(context, api).team(refresh=True)
                asked = len(server.exchanges)
                await Team(context, api).people(PeopleFilter(role="manager"))
                return view, len(server.exchanges) - asked

        cpu = time.process_time()
        view, filtered = asyncio.run(read())
        cpu = time.process_time() - cpu  # the server runs in this process too
        whole = len(server.exchanges) - filtered
        found = store.conn.execute("SELECT sum(length(data)) FROM report_cache").fetchone()[0]
        store.close()
    note = f"{len(view.people)} people, {len(view.groups)} groups"
    yield Figure("requests, whole team", whole, "requests", note + "; profiles not read past 100")
    yield Figure("requests, filtered by role", filtered, "requests", "POST /users/info")
    yield Figure("CPU, read + filter (client and test server)", cpu * 1000, "ms", note)
    yield Figure("kept copy", (found or 0) / 1024, "KiB", "admin:team:<ws>")
