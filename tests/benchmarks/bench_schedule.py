"""The schedule's cost: requests per read against the test server, and the CPU time of opening
a kept week of 2,000 people (what the Schedule page and ``tracker admin schedule`` do first).

CPU time (``time.process_time``) rather than wall time: the machine is shared.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.benchmarks import Figure, benchmark
from tests.fakeclockify import FakeClockify
from tracker.api import ClockifyClient, Servers
from tracker.domain.model import Profile
from tracker.services.admin_schedule import Schedule
from tracker.services.context import Context
from tracker.store import Store

PEOPLE = 2000
_MONDAY = date(2026, 12, 7)


def _week(people: int) -> dict[str, object]:
    days = [_MONDAY + timedelta(days=n) for n in range(7)]
    return {
        "days": [d.isoformat() for d in days],
        "assignments": [
            {
                "id": f"{n:024x}",
                "user_id": f"u{n:05d}",
                "user": f"Person {n:05d}",
                "project_id": f"p{n % 300:04d}",
                "project": f"Project {n % 300}",
                "first": days[0].isoformat(),
                "last": days[4].isoformat(),
                "hours_per_day": 4 + n % 5,
            }
            for n in range(people)
        ],
        "people": [
            {
                "user_id": f"u{n:05d}",
                "name": f"Person {n:05d}",
                "capacity_seconds": 28800.0,
                "working_days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
                "hours": [float(4 + n % 5)] * 5 + [0.0, 0.0],
            }
            for n in range(people)
        ],
        "drafts": {f"u{n:05d}": 20.0 for n in range(0, people, 3)},
    }


@benchmark("schedule")
def schedule() -> Iterator[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder) / "s.sqlite3") as store:
            store.meta.save_profile(Profile(time_zone="UTC"))
            store.meta.set_workspace_id("w1")
            now = datetime(2026, 12, 7, 9, tzinfo=UTC)
            service = Schedule(Context(store, lambda: now))
            service.keep(_week(PEOPLE), f"week:{_MONDAY}")
            began = time.process_time()
            rounds = 5
            for _ in range(rounds):
                shown = service.kept_week(_MONDAY)
            took = (time.process_time() - began) / rounds * 1000
            assert shown is not None
            assert len(shown.people) == PEOPLE
        yield Figure("open a kept week", took, "CPU ms", f"{PEOPLE:,} people, one booking each")

    with (
        FakeClockify("demo") as server,
        tempfile.TemporaryDirectory() as folder,
        Store(Path(folder) / "s.sqlite3") as store,
    ):
        store.meta.save_profile(Profile(time_zone="UTC"))
        store.meta.set_workspace_id(server.workspace_id)
        context = Context(store)

        async def read(weeks: int) -> None:
            servers = Servers.custom(server.base_url, server.reports_url)
            async with ClockifyClient(server.api_key, servers=servers) as api:
                await Schedule(context, api).week(_MONDAY, weeks, refresh=True)

        for weeks in (1, 12):
            before = len(server.exchanges)
            asyncio.run(read(weeks))
            yield Figure(
                f"read {weeks} week(s)", len(server.exchanges) - before, "requests", "demo"
            )
