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

from tests.unit.store.support import WS, Spawn, damage_pages, entry
from tracker.store import (
    SCHEMA_VERSION,
    Store,
    StoreBusyError,
    StoreDamagedError,
    StoreError,
    StoreFullError,
    db,
)
from tracker.store.db import APPLICATION_ID, MIGRATIONS
from tracker.store.errors import classify

HOLD_WRITE_LOCK = """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("holding", flush=True)
    time.sleep(60)
    """


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
    caplog.clear()  # only the reopening counts (another test may have left INFO on)
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


# --- files that are not ours ------------------------------------------------------------------


def objects(path: Path) -> list[tuple[str, str]]:
    conn = raw(path)
    try:
        return conn.execute("SELECT type, name FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def test_a_new_store_is_marked_as_ours(path: Path) -> None:
    Store(path).close()
    conn = raw(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_an_empty_file_at_the_store_path_is_refused_and_left_alone(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.touch()

    with pytest.raises(StoreDamagedError) as caught:
        Store(path)
    message = str(caught.value)
    assert str(path) in message
    assert "empty" in message
    assert "Move it aside or delete it" in message
    assert path.stat().st_size == 0


def test_a_foreign_sqlite_file_is_refused_and_left_alone(path: Path) -> None:
    path.parent.mkdir(parents=True)
    conn = raw(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.close()
    before = path.read_bytes()

    with pytest.raises(StoreDamagedError, match="not a tracker store") as caught:
        Store(path)
    assert str(path) in str(caught.value)
    assert "TRACKER_HOME" in str(caught.value)
    assert path.read_bytes() == before
    assert objects(path) == [("table", "notes")]


def test_a_file_of_another_program_is_refused_even_with_our_tables(path: Path) -> None:
    Store(path).close()
    conn = raw(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.close()
    before = path.read_bytes()

    with pytest.raises(StoreDamagedError, match=r"another program \(application id 0x4d2\)"):
        Store(path)
    assert path.read_bytes() == before


def test_a_store_with_tables_tracker_does_not_know_is_refused(path: Path) -> None:
    with Store(path) as store:
        store.entries.save(entry("a"))
    conn = raw(path)
    conn.execute("CREATE TABLE someone_elses (x)")
    conn.close()

    with pytest.raises(StoreDamagedError, match="does not know: someone_elses"):
        Store(path)


def test_a_store_from_before_the_mark_is_marked_and_keeps_everything(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A store as the first two schemas left it: no application id, no range indexes."""
    path.parent.mkdir(parents=True)
    conn = raw(path)
    conn.execute("PRAGMA journal_mode = WAL")
    for number in (0, 1):
        conn.executescript(MIGRATIONS[number])
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO entries (id, workspace_id, start, end, description, updated_at) "
        "VALUES ('old', ?, 1710061200, 1710063000, 'kept', 0)",
        (WS,),
    )
    conn.execute("INSERT INTO meta VALUES ('workspace_id', '\"ws1\"')")
    conn.close()

    caplog.set_level(logging.INFO, logger="tracker.store")
    with Store(path) as store:
        row = store.entries.get("old")
        assert row is not None
        assert row.entry.description == "kept"
        assert store.meta.get("workspace_id") == WS
    assert any("migrating" in r.getMessage() for r in caplog.records)
    conn = raw(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert ("index", "entries_length") in objects(path)
    assert ("index", "entries_running") in objects(path)


def test_a_new_store_appears_whole_or_not_at_all(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while the schema is built leaves no file at the store's path (and no
    temporary one beside it), so the next start builds it afresh."""
    monkeypatch.setattr(db, "MIGRATIONS", (*db.MIGRATIONS, "CREATE TABLE broken ("))
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))

    with pytest.raises(StoreError):
        Store(path)
    assert list(path.parent.iterdir()) == []

    monkeypatch.undo()
    with Store(path) as store:
        store.entries.save(entry("a"))
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_journal_left_without_its_store_is_not_taken_in(path: Path) -> None:
    path.parent.mkdir(parents=True)
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"frames of a store that was moved away" * 100)

    with pytest.raises(StoreError, match="-wal is left from a store") as caught:
        Store(path)
    assert "Move it" in str(caught.value)
    assert not path.exists()
    assert wal.read_bytes() == b"frames of a store that was moved away" * 100


# --- what SQLite says, by its result code ------------------------------------------------------


def corrupt_pages(path: Path) -> None:
    with Store(path) as store:
        for i in range(200):
            store.entries.save(entry(f"e{i:03d}", i, description="x" * 200))
    damage_pages(path)


def test_a_damaged_file_is_a_clear_error_on_any_read(path: Path) -> None:
    corrupt_pages(path)

    with pytest.raises(StoreDamagedError) as caught, Store(path) as store:
        store.entries.latest(WS, 500)
    message = str(caught.value)
    assert "damaged" in message
    assert str(path) in message
    assert "restore a backup" in message
    assert "aside" in message


def test_a_read_only_store_is_named_as_such(store: Store) -> None:
    store.conn.execute("PRAGMA query_only = 1")  # SQLite then refuses writes: SQLITE_READONLY

    with pytest.raises(StoreError, match="read-only") as caught:
        store.entries.save(entry("a"))
    assert str(store.path) in str(caught.value)
    assert not isinstance(caught.value, StoreFullError)


def test_a_store_busy_past_the_timeout_says_so(path: Path, spawn: Spawn) -> None:
    Store(path).close()
    holder = spawn(HOLD_WRITE_LOCK, str(path))
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    with Store(path) as store:
        store.conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(StoreBusyError, match="busy in another tracker process") as caught:
            store.entries.save(entry("a"))
    assert str(path) in str(caught.value)


def test_a_folder_at_the_store_path_cannot_be_opened(path: Path) -> None:
    path.mkdir(parents=True)

    with pytest.raises(StoreError, match="cannot be opened") as caught:
        Store(path)
    assert str(path) in str(caught.value)


def test_errors_are_sorted_by_code_not_by_their_wording(path: Path) -> None:
    """A message that happens to contain "full" or "locked" does not decide the kind."""
    worded = sqlite3.OperationalError("table full_names is locked")
    worded.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
    assert isinstance(classify(worded, path), StoreDamagedError)
    extended = sqlite3.OperationalError("disk I/O error")
    extended.sqlite_errorcode = sqlite3.SQLITE_FULL | (1 << 8)
    assert isinstance(classify(extended, path), StoreFullError)


# --- reading from one snapshot ---------------------------------------------------------------


def test_reads_in_one_snapshot_agree_while_another_connection_commits(path: Path) -> None:
    with Store(path) as app, Store(path) as worker:
        app.meta.set("n", 1)
        with app.reading():
            assert app.meta.get("n") == 1
            worker.meta.set("n", 2)  # the worker's commit does not wait for the reader
            assert app.meta.get("n") == 1
            count = app.conn.execute("SELECT count(*) FROM meta WHERE key = 'n'").fetchone()
            assert count == (1,)
        assert app.meta.get("n") == 2  # seen once the snapshot is let go
        assert not app.conn.in_transaction


def test_reading_inside_a_transaction_is_part_of_it(store: Store) -> None:
    with store.transaction():
        store.meta.set_in("n", 1)
        with store.reading():
            assert store.meta.get("n") == 1
        assert store.conn.in_transaction
    assert store.meta.get("n") == 1


def test_a_write_while_reading_is_refused_and_lets_the_snapshot_go(store: Store) -> None:
    with pytest.raises(StoreError), store.reading():
        store.meta.set("n", 1)
    assert not store.conn.in_transaction
    assert store.meta.get("n") is None
    store.meta.set("n", 2)
    assert store.meta.get("n") == 2


def test_every_transaction_begins_through_the_two_doors() -> None:
    """What is kept of the meta values relies on it: a transaction begun elsewhere would
    not be told from the one checked last (see ``StoreConnection.serial``)."""
    import re

    root = Path(__file__).parents[3] / "tracker"
    begins = re.compile(r"[\"']BEGIN\b", re.I)
    found = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if begins.search(path.read_text(encoding="utf-8"))
    )
    assert found == [str(Path("store/db.py"))]
