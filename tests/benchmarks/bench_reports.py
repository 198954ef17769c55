"""Reports over a big store: how long a report takes, how fast the Reports window opens, and
what an export of 50,000 entries costs in time and memory.

The report and the window read 10,000 entries inside one week (eight projects, tags, a
running timer); the exports write a detailed table of 50,000 entries in each format, with
Python's allocations traced (``tracemalloc``: the peak of what the export allocated beyond
what was there before). The window figure is offscreen.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.benchmarks import Figure, benchmark

RUNS = 5
WEEK = date(2026, 3, 2)
NOW = datetime(2026, 3, 8, 23, tzinfo=UTC)


def build_store(path: Path, count: int, days: int) -> None:
    """``count`` finished entries spread over ``days`` days from :data:`WEEK`, on eight
    projects (two clients) with a tag each, and a running timer."""
    from tracker.domain.model import LOCAL_WORKSPACE, Client, Entry, Profile, Project, Tag
    from tracker.store import Store

    ws = LOCAL_WORKSPACE
    gap = timedelta(days=days) / count
    start = datetime.combine(WEEK, datetime.min.time(), UTC)
    with Store(path) as store:
        store.meta.save_profile(Profile(time_zone="UTC", daily_capacity=timedelta(hours=8)))
        store.catalog.replace_from_server(
            "client", ws, ((f"c{n}", Client(f"c{n}", ws, f"Client {n}")) for n in range(2))
        )
        store.catalog.replace_from_server(
            "project",
            ws,
            (
                (f"p{n}", Project(f"p{n}", ws, f"Project {n}", client_id=f"c{n % 2}"))
                for n in range(8)
            ),
        )
        store.catalog.replace_from_server(
            "tag", ws, ((f"t{n}", Tag(f"t{n}", ws, f"tag{n}")) for n in range(8))
        )
        with store.transaction():
            for n in range(count):
                began = start + gap * n
                store.entries.save_in(
                    Entry(
                        f"{n:08x}{'0' * 24}",
                        ws,
                        began,
                        began + gap * 0.9,
                        description=f"work item {n % 300}",
                        project_id=f"p{n % 8}",
                        tag_ids=(f"t{n % 8}",),
                        billable=n % 3 == 0,
                    ),
                    0.0,
                )
            store.entries.save_in(Entry("f" * 32, ws, NOW - timedelta(hours=1)), 0.0)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


@benchmark("report_10k")
def report_10k() -> Iterator[Figure]:
    """A week's report of 10,000 entries, grouped one, two and three levels deep."""
    from tracker.services.context import Context
    from tracker.services.reports import LocalReportSource, ReportQuery
    from tracker.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracker.sqlite3"
        build_store(path, 10_000, 7)
        with Store(path) as store:
            source = LocalReportSource(Context(store, lambda: NOW))
            for levels in (("project",), ("project", "tag"), ("client", "project", "date")):
                query = ReportQuery(WEEK, WEEK + timedelta(days=6), group_by=levels)
                times = []
                for _ in range(RUNS):
                    began = time.perf_counter()
                    report = source.report(query)
                    times.append(time.perf_counter() - began)
                yield Figure(
                    f"report by {' / '.join(levels)}",
                    _median_ms(times),
                    "ms",
                    f"{report.entries:,} entries, median of {RUNS}",
                )


@benchmark("reports_window_10k")
def reports_window_10k() -> Iterator[Figure]:
    """The Reports window opening on a week of 10,000 entries (offscreen): built, shown and
    painted once. Target: 100 ms."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from tracker.bridge.controller import Controller
    from tracker.services.tracker import Tracker
    from tracker.store import Store
    from tracker.ui.reports import local_reports_window

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracker.sqlite3"
        build_store(path, 10_000, 7)
        with Store(path) as store:
            controller = Controller(Tracker(store, lambda: NOW))
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                window = local_reports_window(controller, path)
                window.show()
                app.processEvents()
                window.grab()  # one full paint
                times.append(time.perf_counter() - began)
                window.close()
                window.deleteLater()
                app.processEvents()
    yield Figure("window open, 10,000 entries", _median_ms(times), "ms", f"median of {RUNS}")


@benchmark("reports_window_cached_10k")
def reports_window_cached_10k() -> Iterator[Figure]:
    """The Reports window opening, with an account, on Clockify's kept report of a week of
    10,000 entries (offscreen): no request, the kept copy read and painted. Target: 100 ms."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from tracker.bridge.channel import SyncChannel
    from tracker.bridge.controller import Controller
    from tracker.services.context import Context
    from tracker.services.reports import LocalReportSource, ReportQuery
    from tracker.services.reports_online import OnlineReports, Person
    from tracker.services.tracker import Tracker
    from tracker.store import Store
    from tracker.store.report_cache import ReportCache
    from tracker.ui.reports import local_reports_window

    def no_requests() -> SyncChannel:
        raise AssertionError("the window asked Clockify although its copy was fresh")

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracker.sqlite3"
        build_store(path, 10_000, 7)
        with Store(path) as store:
            context = Context(store, lambda: NOW)
            store.meta.set_account({"user_id": "u", "name": "Bench", "email": "b@example.com"})
            store.meta.set_workspace_id(context.workspace_id)
            controller = Controller(Tracker(store, lambda: NOW))
            # What the window asks first (this week, by project), kept as Clockify's.
            query = ReportQuery(WEEK, WEEK + timedelta(days=6), group_by=("project",))
            kept = LocalReportSource(context).report(query).to_json()
            kept.update(source="clockify", label="Your time on Clockify")
            key = OnlineReports(context, None, Person()).key(query)
            ReportCache(store.conn).put(key, context.workspace_id, kept, NOW.timestamp())
            store.meta.set(  # learnt this morning: a member
                f"report_access:{context.workspace_id}",
                {"role": "member", "sees_team": False, "at": NOW.timestamp() - 3600},
            )
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                window = local_reports_window(controller, path, no_requests)
                window.show()
                app.processEvents()
                window.grab()  # one full paint
                times.append(time.perf_counter() - began)
                shown = window.report()
                assert shown is not None
                assert shown.source == "clockify"
                window.close()
                window.deleteLater()
                app.processEvents()
    yield Figure(
        "window open from the kept copy, 10,000 entries",
        _median_ms(times),
        "ms",
        f"median of {RUNS}",
    )


@benchmark("report_requests")
def report_requests() -> Iterator[Figure]:
    """Requests a report from Clockify spends (test server, demo seed): last week by project,
    the same again within five minutes, and 90 days on a Free plan (31-day pieces)."""
    import asyncio

    from tests.fakeclockify import FakeClockify
    from tracker.api import ClockifyClient, Servers
    from tracker.domain.model import Profile
    from tracker.services.context import Context
    from tracker.services.reports import ReportQuery, named_period
    from tracker.services.reports_online import OnlineReportSource, Person
    from tracker.store import Store
    from tracker.sync.runner import budget_for, fetch_references

    for plan in ("PRO", "FREE"):
        with (
            FakeClockify(seed="demo", plan=plan) as server,
            tempfile.TemporaryDirectory() as folder,
        ):
            servers = Servers.custom(server.base_url, server.reports_url, allow_insecure=True)
            with Store(Path(folder) / "tracker.sqlite3") as store:
                store.meta.save_profile(Profile(time_zone="UTC"))
                asyncio.run(fetch_references(store, server.api_key, servers))
                context = Context(store, lambda: datetime.now(UTC))
                workspace = store.meta.workspace_id()

                def connect(
                    key: str = server.api_key,
                    servers: Servers = servers,
                    store: Store = store,
                    workspace: str | None = workspace,
                ) -> ClockifyClient:
                    return ClockifyClient(key, servers=servers, budget=budget_for(store, workspace))

                source = OnlineReportSource(context, connect, Person())
                today = context.today()
                week = ReportQuery(*named_period("last-week", today), group_by=("project",))
                long = ReportQuery(today - timedelta(days=90), today, group_by=("project",))
                for label, query in (
                    ("last week by project", week),
                    ("the same within 5 minutes", week),
                    ("90 days by project", long),
                ):
                    before = budget_for(store, workspace).spent()
                    source.report(query)
                    spent = budget_for(store, workspace).spent() - before
                    yield Figure(f"{plan}: {label}", spent, "requests", "")


@benchmark("export_50k")
def export_50k() -> Iterator[Figure]:
    """A detailed export of 50,000 entries as CSV, JSON, XLSX and PDF: wall time, and the
    peak of Python allocations while it ran (``tracemalloc``)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tracker.integrations.pdf import write_pdf
    from tracker.services.context import Context
    from tracker.services.exports import export
    from tracker.services.reports import LocalReportSource, ReportQuery
    from tracker.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracker.sqlite3"
        build_store(path, 50_000, 28)
        query = ReportQuery(WEEK, WEEK + timedelta(days=27))
        with Store(path) as store:
            source = LocalReportSource(Context(store, lambda: NOW))
            for fmt in ("csv", "json", "xlsx", "pdf"):
                out = Path(folder) / f"out.{fmt}"
                began = time.perf_counter()
                result = export(source, query, out, zone=UTC, writers={"pdf": write_pdf})
                seconds = time.perf_counter() - began
                note = f"{result.rows:,} rows, {out.stat().st_size / 2**20:.1f} MiB file"
                yield Figure(f"export {fmt}: wall", seconds, "s", note)
                tracemalloc.start()
                export(source, query, out, zone=UTC, writers={"pdf": write_pdf})
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                yield Figure(
                    f"export {fmt}: peak Python memory", peak / 2**20, "MiB", "tracemalloc"
                )


def keep_big_rates(path: Path, people: int, projects: int) -> None:
    """Kept copies as administration writes them for a large workspace: ``people`` in the
    team, ``projects`` projects with ten tasks and five members each (the benchmark's own
    eight among them), and the workspace's rates."""
    from tracker.domain.model import LOCAL_WORKSPACE
    from tracker.services.admin_base import admin_key
    from tracker.store import Store
    from tracker.store.report_cache import ReportCache
    from tracker.sync.account import workspace_rates_key

    ws = LOCAL_WORKSPACE
    rate = {"hourly_rate": 5000, "cost_rate": 2000}
    with Store(path) as store:
        store.meta.set_account({"user_id": "u0", "name": "U", "email": "u@example.com"})
        store.meta.set(workspace_rates_key(ws), {"hourly": 9000, "cost": 4000, "currency": "EUR"})
        cache = ReportCache(store.conn)
        team = [{"id": f"u{n}", "name": f"Person {n}", "email": "", **rate} for n in range(people)]
        cache.put(admin_key("team", ws), ws, {"people": team, "groups": []}, 0.0)
        listed = [
            {
                "id": f"p{n}",
                "name": f"Project {n}",
                **rate,
                "members": [{"user_id": f"u{m}", **rate} for m in range(5)],
                "tasks": [{"id": f"p{n}k{m}", "name": f"Task {m}", **rate} for m in range(10)],
            }
            for n in range(projects)
        ]
        cache.put(admin_key("projects", ws), ws, {"projects": listed}, 0.0)


@benchmark("report_10k_rated")
def report_10k_rated() -> Iterator[Figure]:
    """A week's report of 10,000 entries priced from the rates kept for a workspace of 2,000
    people and 5,000 projects (50,000 tasks): reading the rates and the whole report."""
    from tracker.services.context import Context
    from tracker.services.rates import kept_rates
    from tracker.services.reports import LocalReportSource, ReportQuery
    from tracker.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracker.sqlite3"
        build_store(path, 10_000, 7)
        keep_big_rates(path, 2_000, 5_000)
        with Store(path) as store:
            context = Context(store, lambda: NOW)
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                kept_rates(context)
                times.append(time.perf_counter() - began)
            yield Figure("read the kept rates", _median_ms(times), "ms", f"median of {RUNS}")
            source = LocalReportSource(context)
            query = ReportQuery(WEEK, WEEK + timedelta(days=6), group_by=("project",))
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                report = source.report(query)
                times.append(time.perf_counter() - began)
            assert report.amount_cents is not None
            assert report.priced_entries == report.entries
            yield Figure(
                "report by project, priced",
                _median_ms(times),
                "ms",
                f"{report.entries:,} entries, median of {RUNS}",
            )
