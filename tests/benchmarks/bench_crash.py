"""kill -9 during sync, a few hundred times: what a crash costs (it must cost nothing)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.benchmarks import Figure, benchmark
from tests.integration.sync.crashkid import MAX_KILL_DELAY, crash_trials

TRIALS = 200


@benchmark("crash_trials")
def crash_trials_benchmark() -> Iterator[Figure]:
    """200 syncing children killed with SIGKILL at a random moment, then one clean round."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = crash_trials(TRIALS, seed=1, workdir=Path(tmp))
    window = f"kill 0-{MAX_KILL_DELAY * 1000:.0f} ms after start; creates and updates slowed"
    yield Figure("trials", figures.trials, "trials", window)
    yield Figure("killed mid-work", figures.killed, "trials", "the rest had finished")
    yield Figure("killed mid-request", figures.mid_request, "trials", "server still on it")
    yield Figure("creates left unclear", figures.unclear, "trials", "looked for, not resent")
    yield Figure("entries at the end", figures.entries, "entries")
    yield Figure("duplicates", figures.duplicates, "entries", "must be 0")
    yield Figure("lost", figures.lost, "entries", "must be 0")
    yield Figure("local extras", figures.local_extra, "rows", "must be 0")
    yield Figure("wall time", figures.seconds, "s", "includes a Python start-up per trial")
