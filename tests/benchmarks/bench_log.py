"""``tracker log`` over a big store: wall time and peak memory of real CLI processes.

A store of 100,000 entries over ten years (about 27 a day, with projects, tags and a running
timer); ``log`` over its last year, and ``log --json`` over all ten years. Days are read one
indexed range at a time and printed as they come, so time follows the range listed, not the
store's size, and memory stays flat however long the range.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.benchmarks import Figure, benchmark

STORE_FILE = "tracker.sqlite3"
RUNS = 3


def build_log_store(path: Path, count: int, years: float, now: datetime) -> None:
    """``count`` finished entries spread evenly over ``years`` before ``now``, each half the
    gap to the next, on eight projects with a tag each; and a timer running since an hour."""
    from tracker.domain.model import LOCAL_WORKSPACE, Entry, Profile, Project, Tag
    from tracker.store import Store

    ws = LOCAL_WORKSPACE
    gap = timedelta(days=365.25 * years) / count
    with Store(path) as store:
        store.meta.save_profile(Profile(time_zone="UTC"))
        store.catalog.replace_from_server(
            "project", ws, ((f"p{n}", Project(f"p{n}", ws, f"Project {n}")) for n in range(8))
        )
        store.catalog.replace_from_server(
            "tag", ws, ((f"t{n}", Tag(f"t{n}", ws, f"tag{n}")) for n in range(8))
        )
        with store.transaction():
            for n in range(count):
                start = now - timedelta(hours=2) - gap * (n + 1)
                entry = Entry(
                    f"{n:08x}{'0' * 24}",
                    ws,
                    start,
                    start + gap / 2,
                    description=f"work item {n % 300}",
                    project_id=f"p{n % 8}",
                    tag_ids=(f"t{n % 8}",),
                )
                store.entries.save_in(entry, 0.0)
            store.entries.save_in(Entry("f" * 32, ws, now - timedelta(hours=1)), 0.0)


@dataclass(frozen=True)
class Run:
    """One CLI process: how long it took, its peak resident memory, and what it printed."""

    seconds: float
    cpu_seconds: float
    """User and system time: unlike the wall time, hardly moved by other work on the machine."""
    peak_mib: float
    out_bytes: int


# The peak is read by the process itself, from its own VmHWM: a forked child's ru_maxrss
# would include the parent's memory copied at fork time.
_MEASURED = """
import atexit, sys

def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write(f"peak-kib {line.split()[1]}\\n")

atexit.register(peak)
from tracker.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def run_cli(home: Path, *args: str) -> Run:
    """``tracker ARGS`` as a process on the store in ``home``, its output to a file."""
    env = {**os.environ, "TRACKER_HOME": str(home)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _MEASURED, *args], env=env, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        size = out.seek(0, os.SEEK_END)
        err.seek(0)
        errors = err.read().decode(errors="replace")
    lines = errors.splitlines()
    if child.returncode != 0 or not lines or not lines[-1].startswith("peak-kib "):
        raise RuntimeError(f"tracker {' '.join(args)} exited {child.returncode}: {errors}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, int(lines[-1].split()[1]) / 1024, size)


def _figures(label: str, runs: list[Run]) -> Iterator[Figure]:
    times = [r.seconds for r in runs]
    yield Figure(f"{label}: wall", statistics.median(times), "s", f"median of {len(runs)}")
    cpu = [r.cpu_seconds for r in runs]
    yield Figure(f"{label}: CPU", statistics.median(cpu), "s", "user + system, median")
    yield Figure(f"{label}: peak RSS", max(r.peak_mib for r in runs), "MiB", "own VmHWM")


@benchmark("log_year_100k")
def log_year_100k() -> Iterator[Figure]:
    """``tracker log`` over a year and ``--json`` over ten years of a 100k-entry store."""
    now = datetime.now(UTC)
    today = now.date()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        began = time.perf_counter()
        build_log_store(home / STORE_FILE, 100_000, 10, now)
        yield Figure("store build", time.perf_counter() - began, "s", "100,000 entries")
        floor = [run_cli(home, "status") for _ in range(RUNS)]
        year = [
            run_cli(home, "log", "--from", str(today - timedelta(days=365)), "--to", "today")
            for _ in range(RUNS)
        ]
        decade = [
            run_cli(
                home, "log", "--json", "--from", str(today - timedelta(days=3653)), "--to", "today"
            )
            for _ in range(RUNS)
        ]
    yield from _figures("tracker status (floor)", floor)
    yield from _figures("log, one year", year)
    yield from _figures("log --json, ten years", decade)
    yield Figure("log --json, ten years: output", decade[0].out_bytes / 2**20, "MiB")
