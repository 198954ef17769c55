"""What the tray app costs a person: start-up, memory, click latency, picker, today window,
idle CPU. Each figure stands beside the floor (a bare PySide6 tray app,
:mod:`tests.benchmarks.floor_tray`) measured in the same run, on the same display.

Subprocess figures use a real X server with a tray host when ``DISPLAY`` is set (trayer is
started when no tray is there), else Qt's offscreen platform; each note says which. The
in-process figures (click latency, picker, today window) always run offscreen.

Knobs: ``TRACKER_BENCH_RUNS`` (start-up runs, default 7), ``TRACKER_BENCH_IDLE_SECONDS``
(idle window, default 60).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from tests.benchmarks import Figure, benchmark
from tests.benchmarks.gui_helpers import (
    LARGE_ENTRIES,
    LARGE_PROJECTS,
    LARGE_TASKS,
    STORE_FILE,
    add_synced_history,
    app_command,
    build_day_store,
    build_large_store,
    cpu_seconds,
    display,
    floor_command,
    memory_kib,
    offscreen_app,
    p95,
    percentile,
    running_app,
    running_floor,
    spawn_to_exit,
    summary,
    switches_between,
    switches_by_thread,
    thread_count,
)
from tests.benchmarks.server_process import ServerInfo, server_process
from tracker.services.preferences import Preferences, save
from tracker.store import Store

LARGE = f"{LARGE_PROJECTS:,} projects, {LARGE_TASKS:,} tasks, {LARGE_ENTRIES:,} entries"
LARGE_NAME = "large store"
LARGE_SERVER_ARGS = (
    "--large-projects",
    str(LARGE_PROJECTS),
    "--large-tasks-per-project",
    str(LARGE_TASKS // LARGE_PROJECTS),
)
"""The test server's bulk catalog for the large store (the history is added locally)."""


def _runs(default: int = 7) -> int:
    return max(1, int(os.environ.get("TRACKER_BENCH_RUNS", default)))


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


# --- 1. start-up --------------------------------------------------------------------------


@benchmark("startup")
def startup() -> Iterator[Figure]:
    """Spawn to ``--exit-when-ready`` exit (the tray icon shown with a working menu): the app
    on an empty store, the demo store (connected) and a large one, against the floor."""
    shown = display()
    runs = _runs()
    with ExitStack() as stack:
        homes = _homes(Path(stack.enter_context(tempfile.TemporaryDirectory())))
        cases = {"floor": (floor_command("--exit-when-ready"), shown.environ())}
        for name, home in homes.items():
            cases[f"app, {name}"] = (app_command("--exit-when-ready"), shown.environ(home))
        walls, printed = _time_starts(cases, runs)
    how = f"median of {runs}, {shown.name}; spawn to exit 0"
    yield from _startup_figures(walls, printed, how)


_Case = tuple[list[str], dict[str, str]]


def _time_starts(
    cases: dict[str, _Case], runs: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Each case's wall times and its own printed "ready in" times, over ``runs`` rounds."""
    for command, env in cases.values():  # warm the page cache and the .pyc files
        spawn_to_exit(command, env)
    walls: dict[str, list[float]] = {name: [] for name in cases}
    printed: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):  # interleaved, so drift in the machine hits all alike
        for name, (command, env) in cases.items():
            started = spawn_to_exit(command, env)
            walls[name].append(started.wall)
            if started.printed_ms is not None:
                printed[name].append(started.printed_ms)
    return walls, printed


def _startup_figures(
    walls: dict[str, list[float]], printed: dict[str, list[float]], how: str
) -> Iterator[Figure]:
    """The wall times, each app case against the floor, and the app's own reading."""
    floor = statistics.median(walls["floor"])
    for name, times in walls.items():
        store = f"; {LARGE}" if name.endswith(LARGE_NAME) else ""
        yield Figure(f"{name}: wall", _median_ms(times), "ms", f"{how}{store}")
    for name, times in walls.items():
        if name != "floor":
            ratio = statistics.median(times) / floor
            yield Figure(f"{name}: wall / floor", ratio, "x", "target: 2 or less")
    for name, values in printed.items():
        if values:
            yield Figure(
                f"{name}: own 'ready in'",
                statistics.median(values),
                "ms",
                f"median of {len(values)}; printed by the process, counted from after "
                "its Python imports (interpreter start and imports are the rest of wall)",
            )


def _homes(tmp: Path) -> dict[str, Path]:
    """Three stores: empty (local-only), the demo workspace connected (its server is gone
    again: start-up reads only the store) and a large local-only one."""
    homes = {name: tmp / name.replace(" ", "-") for name in ("empty store", "demo store")}
    homes[LARGE_NAME] = tmp / "large"
    for home in homes.values():
        home.mkdir()
    with server_process("--seed", "demo") as info:
        _connect(homes["demo store"] / STORE_FILE, info)
    build_large_store(homes[LARGE_NAME] / STORE_FILE)
    return homes


# --- 2. memory ----------------------------------------------------------------------------

SETTLE = 3.0
"""Seconds between ready and the memory reading (first sync round, lazy work done)."""


@benchmark("rss_large_workspace")
def rss_large_workspace() -> Iterator[Figure]:
    """RSS a few seconds after ready, against the floor: the app local-only on an empty and
    a large store, and connected to the test server on the demo store (its worker, network
    stack and keyring loaded)."""
    shown = display()
    runs = 3
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        homes = _homes(tmp)
        size = sum(p.stat().st_size for p in homes[LARGE_NAME].glob(f"{STORE_FILE}*"))
        info = stack.enter_context(server_process("--seed", "demo"))
        with Store(homes["demo store"] / STORE_FILE) as store:
            save(store, Preferences(server="custom", api_url=info.base_url))
        online = {"CLOCKIFY_API_KEY": info.api_key, "TRACKER_API_URL": info.base_url}
        readings: dict[str, list[tuple[int, int]]] = {"floor": []}
        readings.update({name: [] for name in homes})
        for _ in range(runs):
            with running_floor(shown) as floor:
                time.sleep(SETTLE)
                readings["floor"].append(memory_kib(floor.pid))
            for name, home in homes.items():
                extra = online if name == "demo store" else {}
                with running_app(home, shown, **extra) as app:
                    time.sleep(SETTLE)
                    readings[name].append(memory_kib(app.pid))
    how = f"median of {runs} starts, {shown.name}; /proc/PID/status {SETTLE:.0f} s after ready"
    floor_rss = statistics.median(r for r, _ in readings["floor"])
    for key, values in readings.items():
        label = key if key == "floor" else f"app, {key}"
        rss = statistics.median(r for r, _ in values)
        hwm = statistics.median(h for _, h in values)
        note = {
            LARGE_NAME: f"; {LARGE}, store {size / 2**20:.1f} MiB, local-only",
            "empty store": "; local-only",
            "demo store": "; connected to the test server (worker, network stack; the key from "
            "CLOCKIFY_API_KEY, so keyring is not loaded)",
        }.get(key, "")
        yield Figure(f"{label}: VmRSS", rss / 1024, "MiB", how + note)
        yield Figure(f"{label}: VmHWM", hwm / 1024, "MiB", "peak resident set")
        if key != "floor":
            yield Figure(f"{label}: VmRSS / floor", rss / floor_rss, "x", "target: 1.8 or less")


# --- 6. idle ------------------------------------------------------------------------------


def _idle_seconds() -> float:
    return float(os.environ.get("TRACKER_BENCH_IDLE_SECONDS", "60"))


@benchmark("idle_cpu")
def idle_cpu() -> Iterator[Figure]:
    """CPU time and wake-ups per second with a timer running: the floor, the app local-only
    and the app connected to the test server, all three over the same window."""
    from tracker.services.tracker import Tracker

    shown = display()
    window = _idle_seconds()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        local, connected = tmp / "local", tmp / "connected"
        local.mkdir()
        connected.mkdir()
        build_large_store(local / STORE_FILE, projects=20, tasks=40, entries=50, running=True)
        info = stack.enter_context(server_process("--seed", "demo"))
        _connect(connected / STORE_FILE, info)
        with Store(connected / STORE_FILE) as store:
            Tracker(store).timer.start("idle benchmark")
        online = {"CLOCKIFY_API_KEY": info.api_key, "TRACKER_API_URL": info.base_url}
        pids = {
            "floor": stack.enter_context(running_floor(shown)).pid,
            "app, local-only": stack.enter_context(running_app(local, shown)).pid,
            "app, connected": stack.enter_context(running_app(connected, shown, **online)).pid,
        }
        time.sleep(SETTLE)
        cpu0 = {k: cpu_seconds(p) for k, p in pids.items()}
        ctx0 = {k: switches_by_thread(p) for k, p in pids.items()}
        began = time.monotonic()
        time.sleep(window)
        elapsed = time.monotonic() - began
        cpu1 = {k: cpu_seconds(p) for k, p in pids.items()}
        ctx1 = {k: switches_by_thread(p) for k, p in pids.items()}
        threads = {k: thread_count(p) for k, p in pids.items()}
        answered = len(_control(info, "exchanges", None, "GET"))
    how = (
        f"over {elapsed:.0f} s, {SETTLE:.0f} s after ready, all three at once, {shown.name}; "
        "a timer running in each app's store"
    )
    for key in pids:
        used = (cpu1[key] - cpu0[key]) * 1000
        yield Figure(f"{key}: CPU", used, "ms", f"utime+stime (10 ms ticks) {how}")
        switches, ended = switches_between(ctx0[key], ctx1[key])
        lost = f"; {ended} thread(s) ended meanwhile (a lower bound)" if ended else ""
        yield Figure(
            f"{key}: wake-ups",
            switches / elapsed,
            "/s",
            f"voluntary+involuntary context switches of its {threads[key]} threads{lost}",
        )
    yield Figure("connected app: server answers", answered, "responses", "first sync included")


# --- 3. click to UI -----------------------------------------------------------------------


def _control(info: ServerInfo, path: str, body: dict[str, Any] | None, method: str = "POST") -> Any:
    """One request to the test server's control plane (``body`` None: none sent)."""
    origin = info.base_url.split("/api")[0]
    request = urllib.request.Request(
        f"{origin}/__control/{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def _connect(store_file: Path, info: ServerInfo) -> None:
    """Connect the account and pull once, before the delay starts (a cached workspace)."""
    from tracker.api import ClockifyClient, Servers
    from tracker.sync.account import connect_account
    from tracker.sync.engine import SyncEngine

    async def first_round(store: Store) -> None:
        servers = Servers.custom(info.base_url, info.reports_url)
        async with ClockifyClient(info.api_key, servers=servers) as api:
            ws, _ = await connect_account(store, api)
            user_id = str(store.meta.profile().user_id)
            engine = SyncEngine(store, api, workspace_id=ws, user_id=user_id, clock=_now)
            await engine.run_once()

    with Store(store_file) as store:
        save(store, Preferences(server="custom", api_url=info.base_url))
        asyncio.run(first_round(store))


def _now() -> datetime:
    return datetime.now(UTC)


class PaintClock:
    """Records when a widget was last painted (an application-wide event filter)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        clock = self

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    clock.last = time.perf_counter()
                return False

        self.last = 0.0
        self.filter = Filter()
        offscreen_app().installEventFilter(self.filter)

    def close(self) -> None:
        offscreen_app().removeEventFilter(self.filter)


def _until_painted(paint: PaintClock, after: float, check: Callable[[], bool]) -> float:
    """Process events until something painted after ``after`` and ``check`` holds."""
    app = offscreen_app()
    deadline = time.perf_counter() + 2.0
    while time.perf_counter() < deadline:
        app.processEvents()
        if paint.last > after and check():
            return paint.last
    raise RuntimeError("the UI did not show the change within 2 s")


CLICKS = 100
"""Start/Stop clicks per series: enough for a 99th percentile that is not the maximum."""


@benchmark("click_to_ui_latency")
def click_to_ui_latency() -> Iterator[Figure]:
    """Start/Stop in the tray menu to the UI showing it, through the real app (its tray,
    worker, reminders and idle watch), while every server answer takes 2 s and sync rounds
    are in flight; on the demo store and on a large one, with and without the today window
    open; beside a QAction updating a label (offscreen, in this process)."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel

    app = offscreen_app()
    paint = PaintClock()
    try:
        for store_name, server_args, history in (
            ("demo store", ("--seed", "demo"), 0),
            (LARGE_NAME, ("--seed", "demo", *LARGE_SERVER_ARGS), LARGE_ENTRIES),
        ):
            yield from _click_series(app, paint, store_name, server_args, history)
        label = QLabel("stopped")
        label.resize(200, 30)
        label.show()
        action = QAction("Start")
        action.triggered.connect(lambda: label.setText(f"running {time.perf_counter():.6f}"))
        floor: list[float] = []
        for _ in range(CLICKS):
            _until_idle(app)
            began = time.perf_counter()
            action.trigger()
            floor.append(_until_painted(paint, began, lambda: True) - began)
        label.close()
    finally:
        paint.close()
    yield from _latency_figures("floor: QAction to painted label", floor, "")


def _click_series(
    qapp: Any, paint: PaintClock, store_name: str, server_args: tuple[str, ...], history: int
) -> Iterator[Figure]:
    """Both click series on one store (a fresh test server and app)."""
    from tracker.app import App
    from tracker.bridge.status import SyncPhase
    from tracker.integrations.secrets import MemorySecretStore, key_account
    from tracker.services.requests import Toggle

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        info = stack.enter_context(server_process(*server_args))
        store_file = tmp / STORE_FILE
        _connect(store_file, info)
        if history:
            add_synced_history(store_file, history)
        _control(info, "faults", {"kind": "delay", "delay": 2.0, "times": None})
        _control(info, "exchanges", None, "DELETE")
        secrets = MemorySecretStore()
        with Store(store_file) as store:  # the account the first round recorded
            user_id = str((store.meta.account() or {}).get("user_id"))
        secrets.set(key_account(info.base_url, user_id), info.api_key)
        app = App(store_file, choose_secrets=lambda: secrets)
        stack.callback(app.close)
        app.start(rest=False)
        app.start_rest()  # the worker (an account is there), reminders, idle watch
        worker = app.worker
        _wait(lambda: worker.status.state is SyncPhase.SYNCING, "the first round to start")
        tray = app.tray
        start_stop = next(a for a in tray.menu().actions() if a.objectName() == "startStop")
        app.controller.act(Toggle())  # warm: the first use of each request and view
        app.controller.act(Toggle())

        loaded = [0.0]  # when the today window last took in a change

        def shows(running: bool) -> bool:
            """The tray says it, and the today window (when open) shows it, painted."""
            tip = tray.tooltip()
            if ("Running" in tip) != running or ("No timer running" in tip) == running:
                return False
            today = app.windows.today_window
            if today is None or not today.isVisible():
                return True
            day = today.model.day
            return (
                day is not None
                and (day.running is not None) == running
                and (paint.last > loaded[0])
            )

        def series() -> tuple[list[float], list[float], int]:
            returned, shown, in_flight = [], [], 0
            for _ in range(CLICKS):
                _until_idle(qapp)
                in_flight += worker.status.state is SyncPhase.SYNCING
                want = app.controller.running() is None
                began = time.perf_counter()
                start_stop.trigger()
                returned.append(time.perf_counter() - began)
                shown.append(_until_painted(paint, began, partial(shows, want)) - began)
            return returned, shown, in_flight

        began = time.perf_counter()
        tray_only = series()
        app.windows.show_today()
        today = app.windows.today_window
        assert today is not None
        model = today.model  # the table follows a change row by row: any of these
        for changed in (
            model.modelReset,
            model.dataChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.rowsMoved,
        ):
            changed.connect(lambda *_: loaded.__setitem__(0, time.perf_counter()))
        _until_idle(qapp)
        with_today = series()
        took = time.perf_counter() - began
        answered = len(_control(info, "exchanges", None, "GET"))
    for view, (returned, shown, in_flight) in (
        ("tray", tray_only),
        ("tray + today window", with_today),
    ):
        name = f"app, {store_name}, {view}"
        yield Figure(f"{name}: click returns", _median_ms(returned), "ms", f"median of {CLICKS}")
        yield from _latency_figures(
            f"{name}: click to painted",
            shown,
            f"; {in_flight} of {CLICKS} clicks made while a sync round waited on the server",
        )
    yield Figure(
        f"{store_name}: server answers during the clicks",
        answered,
        "responses",
        f"answered while the {2 * CLICKS} clicks ran ({took:.1f} s); each takes 2 s",
    )


def _latency_figures(name: str, values: list[float], note: str) -> Iterator[Figure]:
    """Median, p99 and the slowest of a series, in ms."""
    yield Figure(f"{name}: median", _median_ms(values), "ms", f"n={len(values)}{note}")
    yield Figure(f"{name}: p99", percentile(values, 99) * 1000, "ms", "target: 16 ms or less")
    yield Figure(f"{name}: max", max(values) * 1000, "ms", "")


def _wait(condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    app = offscreen_app()
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.005)


def _until_idle(app: Any) -> None:
    """Let queued events settle between clicks, so one click's paint is not the next's."""
    for _ in range(5):
        app.processEvents()


# --- 4. picker ----------------------------------------------------------------------------


PICKER_QUERIES = ("design", "wbsrdx")
"""A word that many labels hold, and a scattered one (fuzzy: letters of several words)."""


def _catalog(projects: int = 10_000, tasks_per_project: int = 4) -> tuple[list[Any], list[Any]]:
    """Projects and tasks with names made of common work words, and clients."""
    import random

    from tracker.domain.model import Client, Project, Task

    rng = random.Random(4)
    clients = [Client(f"c{n}", "ws", f"{rng.choice(_NOUNS).title()} {n}") for n in range(200)]
    found_projects, found_tasks = [], []
    for n in range(projects):
        name = f"{rng.choice(_NOUNS).title()} {rng.choice(_NOUNS)} {rng.choice(_VERBS)} {n}"
        project = Project(f"p{n}", "ws", name, client_id=rng.choice(clients).id, color="#1e88e5")
        found_projects.append(project)
        for t in range(tasks_per_project):
            label = f"{rng.choice(_VERBS).title()} {rng.choice(_NOUNS)}"
            found_tasks.append(Task(f"t{n}.{t}", "ws", project.id, label))
    return found_projects, [*clients, *found_tasks]


_NOUNS = (
    "website", "backend", "database", "design", "report", "invoice", "mobile", "search",
    "onboarding", "review", "support", "billing", "release", "research", "api", "dashboard",
    "sprint", "campaign", "audit", "migration", "training", "budget", "roadmap", "server",
)  # fmt: skip
_VERBS = (
    "redesign", "build", "fix", "plan", "write", "test", "deploy", "refactor", "document",
    "estimate", "meet", "analyse", "prototype", "review", "support", "ship",
)  # fmt: skip


def _per_prefix(query: str, step: Callable[[str], object]) -> list[float]:
    """Seconds ``step`` takes for each prefix of ``query``, shortest first."""
    took = []
    for n in range(1, len(query) + 1):
        began = time.perf_counter()
        step(query[:n])
        took.append(time.perf_counter() - began)
    return took


def _typed_search(index: Any) -> Callable[[str], object]:
    """``Search.run`` as typing calls it: each prefix picks up the previous search."""
    from tracker.services.search import Search

    previous: list[Any] = [None]

    def step(part: str) -> object:
        previous[0] = Search.run(part, index, previous=previous[0])
        return previous[0]

    return step


def _indexing(picker: Any, paint: PaintClock, catalog: tuple[Any, ...]) -> list[Figure]:
    """The catalog given to a fresh picker, indexed on a pool thread, with keys typed
    meanwhile (the list says it is loading; the GUI thread shares the interpreter)."""
    from PySide6.QtTest import QTest

    began = time.perf_counter()
    picker.set_catalog(*catalog)
    returned = time.perf_counter() - began
    while_loading: list[float] = []
    for char in "design":
        if not picker.is_loading():
            break
        t = time.perf_counter()
        QTest.keyClicks(picker.edit, char)
        while_loading.append(_until_painted(paint, t, lambda: True) - t)
    _wait(lambda: not picker.is_loading(), "the picker's index")
    loaded = time.perf_counter() - began
    figures = [
        Figure(
            "set_catalog() returns",
            returned * 1000,
            "ms",
            "the GUI thread's part: the listing and the index are built on a pool thread",
        ),
        Figure(
            "set_catalog() to searchable", loaded * 1000, "ms", "pool thread, keys typed meanwhile"
        ),
    ]
    if while_loading:
        figures.append(
            Figure(
                "key to painted while indexing: median",
                _median_ms(while_loading),
                "ms",
                f"{len(while_loading)} keys typed during the build (the list says it is "
                f"loading); max {max(while_loading) * 1000:.1f} ms",
            )
        )
    return figures


def _pump(seconds: float) -> None:
    """Let the event loop run for ``seconds`` (a person between two keys)."""
    app = offscreen_app()
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        app.processEvents()
        time.sleep(0.002)


def _rebuilding(picker: Any, paint: PaintClock, catalog: tuple[Any, ...]) -> list[Figure]:
    """Keys typed into a picker that has an index while a new one is built (the catalog
    changed: a sync, a project created): each key searches the old index and is painted
    while the pool thread builds. Keys come in bursts (80 ms apart, a quick typist) and
    one at a time after a pause longer than the build's pause after a key (400 ms), so the
    build is running at full speed when the key arrives."""
    from PySide6.QtTest import QTest

    projects, tasks, clients = catalog
    series: dict[str, list[float]] = {"burst": [], "cold": []}
    builds: list[float] = []
    for round_ in range(6):
        kind = "burst" if round_ % 2 else "cold"
        picker.edit.clear()
        picker.close_list()
        _until_idle(offscreen_app())
        changed = [*projects, replace(projects[0], id=f"new{round_}", name=f"New {round_}")]
        began = time.perf_counter()
        picker.set_catalog(changed, tasks, clients)
        for char in "design":
            _pump(0.08 if kind == "burst" else 0.4)
            if not picker.is_loading():
                break
            t = time.perf_counter()
            QTest.keyClicks(picker.edit, char)
            series[kind].append(_until_painted(paint, t, lambda: True) - t)
        _wait(lambda: not picker.is_loading(), "the picker's new index")
        builds.append(time.perf_counter() - began)
    figures = []
    for kind, what in (
        ("burst", "keys 80 ms apart (the build waits while someone types)"),
        ("cold", "each key 400 ms after the last (the build runs when the key comes)"),
    ):
        took = series[kind]
        if took:
            figures.append(
                Figure(
                    f"key to painted during a rebuild, {kind}: median",
                    _median_ms(took),
                    "ms",
                    f"{len(took)} keys; {what}; max {max(took) * 1000:.1f} ms",
                )
            )
    figures.append(
        Figure(
            "rebuild with keys typed: median",
            _median_ms(builds),
            "ms",
            "set_catalog() of a changed catalog to the new index in use",
        )
    )
    return figures


@benchmark("picker_keystroke")
def picker_keystroke() -> Iterator[Figure]:
    """Per keystroke of a 6-letter query over 10,000 projects and 40,000 tasks: rank(), the
    typed search, the picker's model, and the picker widget to its painted list; Qt's own
    filter as floor. Also the catalog indexed on a pool thread, and keys typed meanwhile."""
    from PySide6.QtCore import QSortFilterProxyModel, QStringListModel, Qt
    from PySide6.QtTest import QTest

    from tracker.domain.model import Client
    from tracker.services.search import rank
    from tracker.services.search_candidates import candidates
    from tracker.services.search_index import SearchIndex
    from tracker.ui.picker import ProjectPicker
    from tracker.ui.picker_model import PickerModel

    repeats = 5
    app = offscreen_app()
    paint = PaintClock()
    made, rest = _catalog()
    clients = {c.id: c.name for c in rest if isinstance(c, Client)}
    tasks = [t for t in rest if not isinstance(t, Client)]
    began = time.perf_counter()
    items = candidates(made, tasks, clients)
    index = SearchIndex(items)
    built = time.perf_counter() - began

    picker = ProjectPicker()
    picker.resize(420, 320)
    picker.show()
    _until_idle(app)
    indexing = _indexing(picker, paint, (made, tasks, clients))
    indexing += _rebuilding(picker, paint, (made, tasks, clients))
    model = PickerModel()
    model.set_candidates(items)
    _wait(lambda: not model.is_loading(), "the model's index")
    labels = QStringListModel([c.label for c in items])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(labels)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def press(char: str) -> float:
        t = time.perf_counter()
        QTest.keyClicks(picker.edit, char)
        return _until_painted(paint, t, lambda: True) - t

    def filter_floor(part: str) -> int:
        proxy.setFilterFixedString(part)
        return int(proxy.rowCount())

    series: dict[str, dict[str, list[float]]] = {}
    hits: dict[str, int] = {}
    for query in PICKER_QUERIES:
        hits[query] = len(rank(query, index, limit=len(items)))
        found = series[query] = {"rank": [], "typed": [], "model": [], "key": [], "floor": []}
        for _ in range(repeats):
            found["rank"] += _per_prefix(query, lambda part: rank(part, index))
            found["typed"] += _per_prefix(query, _typed_search(index))
            model.set_query("")
            found["model"] += _per_prefix(query, model.set_query)
            picker.edit.clear()
            picker.close_list()
            _until_idle(app)
            found["key"] += [press(char) for char in query]
            proxy.setFilterFixedString("")
            found["floor"] += _per_prefix(query, filter_floor)
    picker.close()
    paint.close()

    size = f"{len(made):,} projects + {len(tasks):,} tasks"
    for query in PICKER_QUERIES:
        per = f"{repeats}x{len(query)} keystrokes"
        matched = f"'{query}' matches {hits[query]:,} of {len(items):,}"
        for key, name, what in (
            ("rank", "rank()", f"{per}; {matched}; each prefix from scratch, top 50"),
            ("typed", "Search.run, typed", "each prefix picks up the previous search"),
            ("model", "PickerModel.set_query", "the same, plus the model reset"),
            ("key", "ProjectPicker key to painted", "QTest.keyClick on the edit, offscreen"),
            ("floor", "floor: QSortFilterProxyModel", "fixed-string filter, case-insensitive"),
        ):
            values = series[query][key]
            yield Figure(f"'{query}' {name}: median", _median_ms(values), "ms", what)
            yield Figure(f"'{query}' {name}: p95", p95(values) * 1000, "ms", size)
    yield Figure("candidates() + SearchIndex build", built * 1000, "ms", f"on this thread; {size}")
    yield from indexing


# --- 5. today window ----------------------------------------------------------------------


@benchmark("today_window_open")
def today_window_open() -> Iterator[Figure]:
    """Build and show the today window for a day of 300 entries, to its first paint."""
    from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem

    from tracker.bridge.controller import Controller
    from tracker.services.tracker import Tracker
    from tracker.services.zones import system_zone
    from tracker.store import Store
    from tracker.ui.today import TodayWindow

    runs = _runs()
    app = offscreen_app()
    paint = PaintClock()
    day = date(2024, 3, 12)
    opened: list[float] = []
    floor: list[float] = []
    rows = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / STORE_FILE
        build_day_store(path, day, system_zone(), 300)
        with Store(path) as store:
            controller = Controller(Tracker(store))
            for _ in range(runs + 1):  # the first run pays for imports and caches
                _until_idle(app)
                began = time.perf_counter()
                window = TodayWindow(controller)
                window.show_day(day)
                window.show()
                opened.append(_until_painted(paint, began, lambda: True) - began)
                rows = _rows(window)
                window.close()
                window.deleteLater()
                _until_idle(app)

                began = time.perf_counter()
                table = QTableWidget(300, 6)
                for r in range(300):
                    for c in range(6):
                        table.setItem(r, c, QTableWidgetItem(f"{r}:{c}"))
                title = QLabel("Today", table)
                table.show()
                floor.append(_until_painted(paint, began, lambda: True) - began)
                del title
                table.close()
                table.deleteLater()
    paint.close()
    opened, floor = opened[1:], floor[1:]
    yield Figure(
        "app: TodayWindow to first paint",
        _median_ms(opened),
        "ms",
        f"median of {runs} after one warm-up, offscreen; {rows} rows shown; "
        f"{summary([v * 1000 for v in opened])} ms",
    )
    yield Figure(
        "floor: QTableWidget 300x6 to first paint",
        _median_ms(floor),
        "ms",
        f"median of {runs}; {summary([v * 1000 for v in floor])} ms",
    )


def _rows(window: Any) -> int:
    from PySide6.QtWidgets import QTableView

    tables = window.findChildren(QTableView)
    return max((t.model().rowCount() for t in tables if t.model() is not None), default=0)
