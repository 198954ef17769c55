"""What the timer popup's suggestions cost on a large history: one query per key typed."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.benchmarks import Figure, benchmark
from tests.benchmarks.gui_helpers import LARGE_ENTRIES, build_large_store
from tracker.domain.model import LOCAL_WORKSPACE
from tracker.services.context import Context
from tracker.services.recent import suggestions
from tracker.store import Store

SIZES = (LARGE_ENTRIES, 5 * LARGE_ENTRIES)
"""Entries in the history: the large store's, and five times as many (400 distinct
descriptions over 200 projects either way)."""

TYPED = ("w", "wo", "wor", "work", "work ", "work i", "item 1", "item 39", "zzz")
"""What is typed, key by key: broad matches (most rows) and narrow ones."""


@benchmark("popup_suggestions")
def popup_suggestions() -> Iterator[Figure]:
    """Suggestions for each key typed, on the large store's history and a larger one."""
    for entries in SIZES:
        times = _typing(entries)
        yield Figure(f"median per key, {entries} entries", statistics.median(times), "ms")
        yield Figure(f"slowest key, {entries} entries", times[-1], "ms")


def _typing(entries: int) -> list[float]:
    """Milliseconds per suggestion query for :data:`TYPED`, five times over, sorted."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.sqlite3"
        build_large_store(path, projects=200, tasks=400, entries=entries)
        with Store(path) as store:
            context = Context(store)
            assert context.workspace_id == LOCAL_WORKSPACE
            suggestions(context, "warm up")
            times: list[float] = []
            for _ in range(5):
                for text in TYPED:
                    started = time.perf_counter()
                    suggestions(context, text)
                    times.append((time.perf_counter() - started) * 1000)
    return sorted(times)
