"""Wall time of CLI calls, as a person at a shell feels them."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

from tests.benchmarks import Figure, benchmark

RUNS = 15


def _time(args: list[str], env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tracker", *args], env=env, check=True, stdout=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - started)
    return times


@benchmark("cli_wall_time")
def cli_wall_time() -> Iterator[Figure]:
    """``tracker status`` and ``tracker start`` on a store with 20 entries."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TRACKER_HOME": home}
        for n in range(20):
            subprocess.run(
                [sys.executable, "-m", "tracker", "add", f"-{n + 2}h", f"-{n + 1}h", f"entry {n}"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        floor = _time(["--version"], env)
        status = _time(["status"], env)
        start = _time(["start", "benchmark"], env)
    for name, times in (
        ("python -m tracker --version", floor),
        ("tracker status", status),
        ("tracker start", start),
    ):
        yield Figure(
            name, statistics.median(times), "s", f"median of {RUNS}; best {min(times):.3f}"
        )
