"""The report cache: kept per key with its fetch time, fresh for a few minutes, bounded."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tracker.store import Store
from tracker.store.report_cache import FRESH_SECONDS, ReportCache


def test_a_report_is_kept_and_read_back_with_its_fetch_time(store: Store) -> None:
    cache = ReportCache(store.conn)
    cache.put("k1", "ws", {"total_seconds": 3600, "label": "Zoë"}, 1000.0)
    kept = cache.get("k1")
    assert kept is not None
    assert kept.data == {"total_seconds": 3600, "label": "Zoë"}
    assert kept.fetched_at == 1000.0
    assert kept.fresh(1000.0 + FRESH_SECONDS - 1)
    assert not kept.fresh(1000.0 + FRESH_SECONDS)
    assert not kept.fresh(999.0)  # the clock was set back: fetch again
    assert cache.get("other") is None


def test_the_oldest_reports_go_first_beyond_the_limit(store: Store) -> None:
    cache = ReportCache(store.conn, limit=3)
    for n in range(5):
        cache.put(f"k{n}", "ws", {"n": n}, 100.0 + n)
    assert cache.count() == 3
    assert [cache.get(f"k{n}") is not None for n in range(5)] == [False, False, True, True, True]


def test_a_damaged_copy_is_dropped_not_an_error(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    cache = ReportCache(store.conn)
    cache.put("k", "ws", {"a": 1}, 1.0)
    store.conn.execute("UPDATE report_cache SET data = 'not json' WHERE key = 'k'")
    with caplog.at_level(logging.WARNING, logger="tracker.store"):
        assert cache.get("k") is None
    assert cache.count() == 0


def test_the_cache_survives_reopening_and_clears_per_workspace(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with Store(path) as first:
        ReportCache(first.conn).put("a", "ws1", {"x": 1}, 5.0)
        ReportCache(first.conn).put("b", "ws2", {"x": 2}, 5.0)
    with Store(path) as second:
        cache = ReportCache(second.conn)
        assert cache.count() == 2
        cache.clear("ws1")
        assert cache.get("a") is None
        assert cache.get("b") is not None
