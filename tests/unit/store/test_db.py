"""Opening the store file, its permissions and schema, and what a full disk does."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.unit.store.support import WS, entry
from tracker.store import SCHEMA_VERSION, Store, StoreError, StoreFullError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def permissive_umask() -> Iterator[None]:
    """Umask 0, so owner-only modes can only come from the store's own code."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def raw(path: Path) -> sqlite3.Connection:
    """A plain SQLite connection that bypasses the store (autocommit)."""
    return sqlite3.connect(path, isolation_level=None)


# --- opening ---------------------------------------------------------------------------------


def test_a_fresh_store_is_owner_only_in_wal_mode_at_the_current_schema(path: Path) -> None:
    with permissive_umask(), Store(path) as store:
        store.entries.save(entry("a"))  # a write, so the WAL file has content
        wal = path.with_name(path.name + "-wal")
        shm = path.with_name(path.name + "-shm")
        assert wal.exists()
        assert shm.exists()
        assert {p.name: mode(p) for p in (path, wal, shm)} == {
            path.name: 0o600,
            wal.name: 0o600,
            shm.name: 0o600,
        }
        assert mode(path.parent) & 0o077 == 0
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # WAL mode is a property of the file, not just of the store's connection.
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_reopening_changes_nothing(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with Store(path) as store:
        store.entries.save(entry("a", description="kept"))
        store.meta.set("k", [1, 2])
    caplog.set_level(logging.INFO, logger="tracker.store")
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        row = store.entries.get("a")
        assert row is not None
        assert row.entry.description == "kept"
        assert row.version == 1
        assert store.meta.get("k") == [1, 2]
    assert not [r for r in caplog.records if "migrating" in r.getMessage()]


def test_reopening_tightens_a_store_file_someone_made_readable(path: Path) -> None:
    Store(path).close()
    path.chmod(0o644)
    Store(path).close()
    assert mode(path) == 0o600


def test_a_store_from_a_newer_tracker_is_refused_and_left_alone(path: Path) -> None:
    with Store(path) as store:
        store.entries.save(entry("a"))
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()

    with pytest.raises(StoreError, match="newer tracker") as caught:
        Store(path)
    assert "update tracker" in str(caught.value)
    assert str(path) in str(caught.value)

    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert conn.execute("SELECT id FROM entries").fetchall() == [("a",)]
    conn.close()


def test_a_file_that_is_not_a_database_gives_a_clear_error(path: Path) -> None:
    path.parent.mkdir(parents=True)
    junk = b"These are my notes, not a database.\n" * 200
    path.write_bytes(junk)

    with pytest.raises(StoreError, match="damaged or not a tracker store") as caught:
        Store(path)
    assert not isinstance(caught.value, StoreFullError)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == junk


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_a_refused_file_is_not_left_open(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database " * 100)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        with pytest.raises(StoreError):
            Store(path)
    assert len(os.listdir("/proc/self/fd")) == before


# --- a full disk -----------------------------------------------------------------------------


def fill_up(store: Store) -> None:
    """Let the file grow no further: SQLite then reports SQLITE_FULL, as on a full disk."""
    (pages,) = store.conn.execute("PRAGMA page_count").fetchone()
    store.conn.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_is_a_clear_error_and_loses_nothing(store: Store) -> None:
    saved = [
        store.entries.save(entry(f"e{i:02d}", i * 60, description=f"work {i}")) for i in range(30)
    ]
    fill_up(store)

    tried: list[str] = []

    def save_until_full() -> None:
        for i in range(30, 1000):
            tried.append(f"e{i:04d}")
            store.entries.save(entry(tried[-1], i * 60, description="x" * 4000))

    with pytest.raises(StoreFullError) as caught:
        save_until_full()
    message = str(caught.value)
    assert "disk is full" in message
    assert "not saved" in message
    assert "intact" in message
    assert not store.conn.in_transaction

    # Everything saved before is there and readable, on this connection and a new one.
    assert all(store.entries.get(row.id) == row for row in saved)
    with Store(store.path) as other:
        assert other.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert other.entries.latest(WS, 10_000)[-30:] == list(reversed(saved))
        assert other.entries.get(tried[-1]) is None  # the refused one is not half there


def test_a_full_disk_rolls_back_the_whole_transaction(store: Store) -> None:
    store.entries.save(entry("before"))
    fill_up(store)

    def save_together() -> None:
        with store.transaction():
            store.meta.set_in("marker", "set inside")
            for i in range(1000):
                store.entries.save_in(entry(f"big{i}", i, description="y" * 4000), 0.0)

    with pytest.raises(StoreFullError):
        save_together()

    assert store.meta.get("marker") is None
    assert store.entries.get("big0") is None
    assert store.entries.get("before") is not None

    # Once there is room again, the store works as before.
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    store.entries.save(entry("after"))
    assert store.entries.get("after") is not None
