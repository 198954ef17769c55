"""Projects administration over a big workspace: 5,000 projects with two tasks each.

Counts first (they do not depend on what else the machine runs): the requests one refresh
costs (pages of projects with their tasks, the people, ONE summary report), then the CPU
time of the client's thread (``time.thread_time``; the test server answers from its own
threads) for the refresh (decoding and keeping), and for opening the kept copy again (what
the Projects page does when it is shown).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.benchmarks import Figure, benchmark

PROJECTS = 5000


@benchmark("admin_projects_5000")
def admin_projects_5000() -> Iterator[Figure]:
    """One refresh of 5,000 projects with their progress, and the kept copy reopened."""
    from tests.fakeclockify import FakeClockify
    from tests.helpers.clock import FakeClock
    from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
    from tracker.domain.model import WorkspaceInfo
    from tracker.services.admin_projects import AdminProjects
    from tracker.services.context import Context
    from tracker.store import Store

    with (
        tempfile.TemporaryDirectory() as folder,
        FakeClockify(seed="demo", large_projects=PROJECTS, large_tasks_per_project=2) as server,
        Store(Path(folder) / "s.sqlite3") as store,
    ):
        store.meta.set_account({"user_id": server.user_id, "name": "Alex", "email": "a@x.io"})
        store.meta.set_workspace_id(server.workspace_id)
        store.meta.save_workspace(WorkspaceInfo(server.workspace_id, "Demo", free_plan=False))
        context = Context(store, FakeClock.starting_now())

        async def refresh() -> int:
            async with ClockifyClient(
                server.api_key,
                servers=Servers.custom(server.base_url, server.reports_url),
                budget=RequestBudget(RateLimits()),
            ) as api:
                kept = await AdminProjects(context, api).projects(refresh=True)
                return len(kept.value)

        server.clear_exchanges()
        began = time.thread_time()
        listed = asyncio.run(refresh())
        spent = time.thread_time() - began
        reports = sum(1 for e in server.exchanges if e.host == "reports")
        yield Figure("requests", len(server.exchanges), "requests", f"{listed} projects")
        yield Figure("report requests", reports, "requests", "one summary per refresh")
        yield Figure("refresh CPU", spent * 1000, "ms", "the client thread only")
        began = time.thread_time()
        kept = AdminProjects(context).kept_projects()
        reopened = time.thread_time() - began
        assert kept is not None
        yield Figure("kept copy reopened", reopened * 1000, "ms", f"{len(kept.value)} projects")
