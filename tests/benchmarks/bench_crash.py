"""kill -9 during sync, a few hundred times: what a crash costs (it must cost nothing)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.benchmarks import Figure, benchmark
from tests.integration.sync.crashkid import MAX_KILL_DELAY, crash_trials

TRIALS = 320


@benchmark("crash_trials")
def crash_trials_benchmark() -> Iterator[Figure]:
    """320 trials of syncing children killed with SIGKILL at a random moment under slow
    creates, late commits, drops before and after the commit, 5xx and two syncs at once;
    then clean rounds past the unclear horizon."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = crash_trials(TRIALS, seed=1, workdir=Path(tmp))
    window = f"kill 0-{MAX_KILL_DELAY * 1000:.0f} ms after start"
    yield Figure("trials", figures.trials, "trials", window)
    yield Figure("operations", figures.operations, "ops", "offline work between the kills")
    yield Figure("kills mid-work", figures.kills, "kills", "the other children had finished")
    yield Figure("killed mid-request", figures.mid_request, "trials", "server still on it")
    yield Figure("two syncs at once", figures.concurrent, "trials")
    yield Figure("creates left unclear", figures.unclear, "trials", "looked for, not resent")
    for kind, count in sorted(figures.faults.items()):
        yield Figure(f"trouble: {kind}", count, "trials")
    yield Figure("entries at the end", figures.entries, "entries")
    yield Figure("duplicates", figures.duplicates, "entries", "must be 0")
    yield Figure("lost", figures.lost, "entries", "must be 0")
    yield Figure("local extras", figures.local_extra, "rows", "must be 0")
    yield Figure("diverged", figures.diverged, "rows", "must be 0")
    yield Figure("wall time", figures.seconds, "s", "includes a Python start-up per child")
