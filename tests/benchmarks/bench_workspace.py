"""The Workspace window's pages at scale: the Team page with 2,000 people and the Projects
page with 5,000 projects, opened from the kept copy (what the window does when shown, offline
too) to the first paint, and the filter per keystroke to the paint, beside the floor (a
``QTableWidget`` of the same size filled by hand). Offscreen, in process. Goals: open
<= 150 ms, filter <= 16 ms per keystroke.

The kept copies are made the way the app makes them: the services read the test server (a
seeded 2,000-person team, a 5,000-project catalog) once before the clock starts.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.benchmarks import Figure, benchmark
from tests.benchmarks.bench_gui import PaintClock, _median_ms, _runs, _until_idle, _until_painted
from tests.benchmarks.gui_helpers import offscreen_app, summary

PEOPLE = 2000
PROJECTS = 5000
KEYS = ("p", "pr", "pro", "proj", "proje", "projec", "project", "project 4", "project 42")
"""What a person types into the filter, one keystroke at a time (words the rows hold)."""


def _keep_copies(folder: Path) -> Path:
    """A store whose kept copies hold the big team and the big project list."""
    from tests.fakeclockify import FakeClockify
    from tests.fakeclockify.team_seed import seed_people
    from tests.helpers.clock import FakeClock
    from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
    from tracker.domain.model import WorkspaceInfo
    from tracker.services.admin_people import Team
    from tracker.services.admin_projects import AdminProjects
    from tracker.services.context import Context
    from tracker.store import Store

    path = folder / "tracker.sqlite3"
    with (
        FakeClockify(seed="demo", large_projects=PROJECTS, large_tasks_per_project=2) as server,
        Store(path) as store,
    ):
        seed_people(server.state, server.workspace_id, PEOPLE)
        store.meta.set_account({"user_id": server.user_id, "name": "Alex", "email": "a@x.io"})
        store.meta.set_workspace_id(server.workspace_id)
        store.meta.save_workspace(WorkspaceInfo(server.workspace_id, "Demo", free_plan=False))
        context = Context(store, FakeClock.starting_now())

        async def read() -> None:
            import httpx

            async with ClockifyClient(
                server.api_key,
                servers=Servers.custom(server.base_url, server.reports_url),
                budget=RequestBudget(RateLimits()),
                timeout=httpx.Timeout(60.0),
            ) as api:
                await Team(context, api).team(refresh=True)
                await AdminProjects(context, api).projects(refresh=True)

        asyncio.run(read())
    return path


def _page(path: Path, title: str, runs: int) -> tuple[list[float], list[float], int]:
    """Page ``title`` from the kept copy to its first paint, then each keystroke of
    :data:`KEYS` in its filter to the paint; ``runs`` times after one warm-up."""
    from tracker.store import Store
    from tracker.ui.workspace import PAGES, WorkspaceWindow

    app = offscreen_app()
    paint = PaintClock()
    number = next(n for n, (name, _m, _c) in enumerate(PAGES) if name == title)
    opened: list[float] = []
    keys: list[float] = []
    rows = 0

    def run(_work: Any, _done: Callable[[Any], None]) -> None:
        """The worker's side is not timed: the service would answer from the fresh copy."""

    with Store(path) as store:
        for attempt in range(runs + 1):
            _until_idle(app)
            began = time.perf_counter()  # the window opened on this page, as a person does
            window = WorkspaceWindow(store, time_now, run)
            window.resize(1100, 700)
            window.show_page(number)
            window.show()
            page = window.page(number)
            done = _until_painted(paint, began, _has_rows(page.model)) - began
            rows = page.model.total
            if attempt:
                opened.append(done)
            for text in KEYS:
                _until_idle(app)
                began = time.perf_counter()
                page.search.setText(text)
                took = _until_painted(paint, began, lambda: True) - began
                if attempt:
                    keys.append(took)
            window.close()
            window.deleteLater()
            _until_idle(app)
    paint.close()
    return opened, keys, rows


def _has_rows(model: Any) -> Callable[[], bool]:
    return lambda: bool(model.rowCount())


def time_now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _floor(rows: int, columns: int, runs: int) -> list[float]:
    """A QTableWidget of the same size filled by hand, to its first paint."""
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    app = offscreen_app()
    paint = PaintClock()
    took: list[float] = []
    for attempt in range(runs + 1):
        _until_idle(app)
        began = time.perf_counter()
        table = QTableWidget(rows, columns)
        for row in range(rows):
            for column in range(columns):
                table.setItem(row, column, QTableWidgetItem(f"cell {row} {column}"))
        table.resize(1100, 700)
        table.show()
        done = _until_painted(paint, began, lambda: True) - began
        if attempt:
            took.append(done)
        table.close()
        table.deleteLater()
    paint.close()
    return took


@benchmark("workspace_pages")
def workspace_pages() -> Iterator[Figure]:
    """The Team page (2,000 people) and the Projects page (5,000 projects) from the kept
    copy, and their filter per keystroke, beside a hand-filled table of the same size."""
    runs = _runs(5)
    with tempfile.TemporaryDirectory() as folder:
        path = _keep_copies(Path(folder))
        for title, columns in (("Team", 6), ("Projects", 7)):
            opened, keys, rows = _page(path, title, runs)
            yield Figure(f"{title} page opens", _median_ms(opened), "ms", summary(opened))
            yield Figure(f"{title} filter keystroke", _median_ms(keys), "ms", summary(keys))
            floor = _floor(rows, columns, runs)
            yield Figure(f"floor: {rows} x {columns} table", _median_ms(floor), "ms", "")
