"""What opening the week timesheet costs: a week of 300 entries, and this week of the large
store (10,000 projects, 40,000 tasks, 10,000 entries), to the first paint, beside the floor
(a ``QTableWidget`` of the same size filled by hand). Offscreen, in process, like the today
window's benchmark; the goal is 100 ms.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.benchmarks import Figure, benchmark
from tests.benchmarks.bench_gui import PaintClock, _median_ms, _runs, _until_idle, _until_painted
from tests.benchmarks.gui_helpers import (
    STORE_FILE,
    build_large_store,
    offscreen_app,
    summary,
)

WEEK_ENTRIES = 300
WORDS = ("design", "review", "planning", "support", "meeting", "backend", "frontend", "docs")


def build_week_store(path: Path, monday: date, count: int = WEEK_ENTRIES) -> None:
    """``count`` finished entries over the week from ``monday`` (UTC), over 20 projects and
    8 descriptions: about 40 rows, each with several entries a day."""
    from tracker.domain.model import LOCAL_WORKSPACE, Entry, Profile, Project
    from tracker.store import Store

    ws = LOCAL_WORKSPACE
    ids = [f"{n:024x}" for n in range(1, 21)]
    begin = datetime.combine(monday, datetime.min.time(), UTC)
    step = timedelta(days=7) / count
    with Store(path) as store:
        store.meta.save_profile(Profile(time_zone="UTC"))
        store.catalog.replace_from_server(
            "project", ws, ((pid, Project(pid, ws, f"Project {n}")) for n, pid in enumerate(ids))
        )
        stamp = time.time()
        with store.transaction():
            for n in range(count):
                start = (begin + n * step).replace(microsecond=0)
                entry = Entry(
                    f"{0xA << 124 | n:032x}",
                    ws,
                    start,
                    start + timedelta(seconds=int(step.total_seconds() * 0.8)),
                    description=WORDS[n % len(WORDS)],
                    project_id=ids[n % 5 + 5 * (n % 4)],
                )
                store.entries.save_in(entry, stamp)


def _open(path: Path, day: date, runs: int) -> tuple[list[float], list[float], int]:
    """The timesheet to first paint, and the floor, ``runs`` times after one warm-up."""
    from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem

    from tracker.bridge.controller import Controller
    from tracker.services.tracker import Tracker
    from tracker.store import Store
    from tracker.ui.week import WeekWindow

    app = offscreen_app()
    paint = PaintClock()
    opened: list[float] = []
    floor: list[float] = []
    rows = 0
    with Store(path) as store:
        controller = Controller(Tracker(store))
        for _ in range(runs + 1):
            _until_idle(app)
            began = time.perf_counter()
            window = WeekWindow(controller)
            window.show_week(day)
            window.show()
            opened.append(_until_painted(paint, began, lambda: True) - began)
            rows = window.model.rowCount()
            window.close()
            window.deleteLater()
            _until_idle(app)

            began = time.perf_counter()
            table = QTableWidget(max(rows, 1), 9)
            for r in range(max(rows, 1)):
                for c in range(9):
                    table.setItem(r, c, QTableWidgetItem(f"{r}:{c}"))
            title = QLabel("Timesheet", table)
            table.show()
            floor.append(_until_painted(paint, began, lambda: True) - began)
            del title
            table.close()
            table.deleteLater()
    paint.close()
    return opened[1:], floor[1:], rows


@benchmark("week_window_open")
def week_window_open() -> Iterator[Figure]:
    """Build and show the timesheet for a week of 300 entries, and for this week of the
    large store, to the first paint."""
    runs = _runs()
    monday = date(2024, 3, 11)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / STORE_FILE
        build_week_store(path, monday)
        opened, floor, rows = _open(path, monday, runs)
    yield Figure(
        "app: WeekWindow to first paint, 300 entries",
        _median_ms(opened),
        "ms",
        f"median of {runs} after one warm-up, offscreen; {rows} rows (with the total); "
        f"{summary([v * 1000 for v in opened])} ms; goal 100 ms",
    )
    yield Figure(
        f"floor: QTableWidget {rows}x9 to first paint",
        _median_ms(floor),
        "ms",
        f"median of {runs}; {summary([v * 1000 for v in floor])} ms",
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / STORE_FILE
        now = datetime.now(UTC).replace(microsecond=0)
        build_large_store(path, now=now)
        opened, floor, rows = _open(path, now.date(), runs)
    yield Figure(
        "app: WeekWindow to first paint, large store",
        _median_ms(opened),
        "ms",
        f"this week of 10,000 projects, 40,000 tasks, 10,000 entries; {rows} rows; "
        f"{summary([v * 1000 for v in opened])} ms; goal 100 ms",
    )
    yield Figure(
        f"floor: QTableWidget {rows}x9 to first paint, large store",
        _median_ms(floor),
        "ms",
        f"median of {runs}; {summary([v * 1000 for v in floor])} ms",
    )
