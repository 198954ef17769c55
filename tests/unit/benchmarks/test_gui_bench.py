"""The GUI benchmarks' own parts: the floor app, the /proc readings, the store builders."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.benchmarks.gui_helpers import (
    QUIET_QT,
    STORE_FILE,
    Display,
    Process,
    build_day_store,
    build_large_store,
    context_switches,
    cpu_seconds,
    floor_command,
    memory_kib,
    p95,
    running_floor,
    spawn_to_exit,
    summary,
    switches_between,
    thread_count,
)
from tracker.domain.model import LOCAL_WORKSPACE
from tracker.store import Store

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")


@pytest.fixture
def offscreen() -> Display:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    return Display(
        "offscreen", {**env, "QT_QPA_PLATFORM": "offscreen", "QT_LOGGING_RULES": QUIET_QT}
    )


def test_floor_exits_0_when_ready_and_says_how_long(offscreen: Display) -> None:
    started = spawn_to_exit(floor_command("--exit-when-ready"), offscreen.environ(), timeout=30)

    assert started.printed_ms is not None
    assert 0 <= started.printed_ms <= started.wall * 1000


def test_spawn_to_exit_reports_a_failing_program(offscreen: Display) -> None:
    with pytest.raises(RuntimeError, match="exited 2"):
        spawn_to_exit(floor_command("--no-such-option"), offscreen.environ(), timeout=30)


def test_running_floor_is_measured_and_stops_on_sigterm(offscreen: Display) -> None:
    with running_floor(offscreen) as floor:
        rss, peak = memory_kib(floor.pid)
        cpu = cpu_seconds(floor.pid)
        switches = context_switches(floor.pid)
        threads = thread_count(floor.pid)
        assert floor.printed_ready()

    assert 10_000 < rss <= peak  # a Qt process is tens of MiB
    assert cpu > 0
    assert switches > 0
    assert threads >= 1
    assert floor.proc.returncode == 0  # SIGTERM leaves the event loop cleanly


def test_process_that_dies_before_ready_fails_the_wait(offscreen: Display) -> None:
    process = Process(floor_command("--bad"), offscreen.environ())
    with pytest.raises(RuntimeError, match="exited 2"):
        process.wait_until(process.printed_ready, timeout=30, what="ready")
    process.stop()


def test_readings_of_this_process() -> None:
    rss, peak = memory_kib(os.getpid())
    assert 0 < rss <= peak
    assert cpu_seconds(os.getpid()) > 0
    assert context_switches(os.getpid()) > 0


def test_switches_between_ignores_ended_threads_and_counts_new_ones() -> None:
    before = {1: 100, 2: 50, 3: 7}
    after = {1: 130, 2: 51, 4: 5}  # thread 3 ended, thread 4 is new

    assert switches_between(before, after) == (30 + 1 + 5, 1)


def test_p95_and_summary() -> None:
    values = [float(n) for n in range(1, 101)]
    assert p95(values) == 95.0
    assert p95([3.0]) == 3.0
    assert summary([1.0, 2.0, 3.0]) == "n=3, min 1, max 3"


def test_large_store_holds_what_was_asked(tmp_path: Path) -> None:
    now = datetime(2024, 5, 6, 12, tzinfo=UTC)
    path = tmp_path / STORE_FILE
    build_large_store(path, projects=10, tasks=30, entries=25, running=True, now=now)

    with Store(path) as store:
        assert store.catalog.count("project", LOCAL_WORKSPACE) == 10
        assert store.catalog.count("task", LOCAL_WORKSPACE) == 30
        assert store.entries.running(LOCAL_WORKSPACE) is not None
        week = store.entries.between(LOCAL_WORKSPACE, now - timedelta(days=30), now, now=now)
        assert len(week) == 26  # 25 finished, back to back every 2 h, and the running one


def test_day_store_fills_one_local_day(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    day = date(2024, 3, 12)
    build_day_store(path, day, UTC, 300)

    with Store(path) as store:
        start = datetime(2024, 3, 12, tzinfo=UTC)
        end = start + timedelta(days=1)
        inside = store.entries.between(LOCAL_WORKSPACE, start, end, now=end)
        assert len(inside) == 300
        assert all(row.entry.start.date() == day for row in inside)
