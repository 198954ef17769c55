"""Opening the SQLite file: ownership, WAL, owner-only permissions, migrations, transactions.

Several processes use one file at once (the tray app's GUI and worker threads and any CLI
call), so every connection runs in WAL mode with a busy timeout, and every write happens in a
``BEGIN IMMEDIATE`` transaction: a writer takes the write lock up front instead of failing
half-way when another process got there first. Opening only reads (readers never wait for a
writer); the write lock is taken only when a migration is due. Schema changes are migrations
keyed by ``PRAGMA user_version``; each runs in the same transaction as its version bump.

A store is marked with :data:`APPLICATION_ID`, and tracker writes into no file that is not
its own: a new store is built under a temporary name beside the final one and then linked
into place whole, so an empty file at the store's path is never a store of ours.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tracker.store.errors import (
    StoreBusyError,
    StoreDamagedError,
    StoreError,
    StoreFullError,
    classify,
)

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "StoreConnection",
    "StoreError",
    "StoreFullError",
    "connect",
    "path_of",
    "reading",
    "transaction",
]

log = logging.getLogger("tracker.store")

BUSY_TIMEOUT_MS = 10_000

APPLICATION_ID = 0x74726B72
"""``PRAGMA application_id`` of a tracker store ("trkr"); migration 3 sets it."""

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema.
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        free_plan INTEGER NOT NULL DEFAULT 1,
        rules TEXT NOT NULL DEFAULT '{}',
        fetched_at REAL
    );
    CREATE TABLE refs (
        kind TEXT NOT NULL CHECK (kind IN ('client', 'project', 'task', 'tag', 'field')),
        id TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        server_id TEXT,
        name TEXT NOT NULL,
        parent_id TEXT,
        archived INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL DEFAULT '{}',
        dirty INTEGER NOT NULL DEFAULT 0,
        parked TEXT,
        PRIMARY KEY (kind, id)
    );
    CREATE UNIQUE INDEX refs_server ON refs (kind, workspace_id, server_id);
    CREATE INDEX refs_name ON refs (kind, workspace_id, name COLLATE NOCASE);
    CREATE TABLE entries (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL,
        server_id TEXT,
        start INTEGER NOT NULL,
        end INTEGER,
        description TEXT NOT NULL DEFAULT '',
        project_id TEXT,
        task_id TEXT,
        tag_ids TEXT NOT NULL DEFAULT '[]',
        billable INTEGER NOT NULL DEFAULT 0,
        custom_fields TEXT NOT NULL DEFAULT '{}',
        version INTEGER NOT NULL DEFAULT 1,
        synced_version INTEGER NOT NULL DEFAULT 0,
        synced TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        parked TEXT,
        in_flight INTEGER NOT NULL DEFAULT 0,
        updated_at REAL NOT NULL
    );
    CREATE UNIQUE INDEX entries_server ON entries (workspace_id, server_id);
    CREATE INDEX entries_start ON entries (workspace_id, start);
    CREATE INDEX entries_pending ON entries (workspace_id) WHERE version != synced_version;
    CREATE TABLE conflicts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id TEXT NOT NULL,
        field TEXT NOT NULL,
        kept TEXT,
        overwritten TEXT,
        at REAL NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE undo (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        label TEXT NOT NULL,
        rows TEXT NOT NULL,
        at REAL NOT NULL
    );
    """,
    # 2: the fields an unclear create carried, so sync looks for what it sent, not for the
    # row as edited since (sync rule 3).
    """
    ALTER TABLE entries ADD COLUMN sent TEXT;
    """,
    # 3: mark the file as a tracker store, so no other program's file is ever taken for
    # one; and let a range read bound ``start`` from both ends: the longest finished entry
    # (its length indexed) gives the lower bound, and running entries have their own index.
    """
    PRAGMA application_id = 1953655666;
    CREATE INDEX entries_length ON entries (workspace_id, end - start) WHERE end IS NOT NULL;
    CREATE INDEX entries_running ON entries (workspace_id, start) WHERE end IS NULL;
    """,
    # 4: when a create went out (wall-clock seconds, and this boot's clock, which no clock
    # change moves) and when it was last looked for on Clockify, so an unclear create is sent
    # again only after the horizon past which Clockify can no longer commit it, and looked
    # for sparingly until then (sync rule 3).
    """
    ALTER TABLE entries ADD COLUMN sent_at REAL;
    ALTER TABLE entries ADD COLUMN sent_boot TEXT;
    ALTER TABLE entries ADD COLUMN looked_at REAL;
    ALTER TABLE refs ADD COLUMN sent_at REAL;
    ALTER TABLE refs ADD COLUMN sent_boot TEXT;
    ALTER TABLE refs ADD COLUMN looked_at REAL;
    """,
    # 5: reports fetched from Clockify, kept per query with when they were fetched, so a
    # report opens at once and offline, and asking again within minutes costs no request.
    """
    CREATE TABLE report_cache (
        key TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL,
        fetched_at REAL NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX report_cache_age ON report_cache (fetched_at);
    """,
    # 6: the features a workspace's plan includes (``features`` of ``GET /workspaces/{id}``,
    # a JSON list; NULL: not known yet), so the app offers approvals, time off and the rest
    # only where the plan has them, without a request.
    """
    ALTER TABLE workspaces ADD COLUMN features TEXT;
    """,
    # 7: the event journal: what each local change did to the timer and the entries
    # (timer.started, entry.edited, ...), written in the change's own transaction, so
    # ``tracker events`` and the app's hooks see every change once, in order, whichever
    # process made it. Bounded by :data:`tracker.store.events.KEEP`.
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        kind TEXT NOT NULL,
        entry_id TEXT,
        data TEXT NOT NULL DEFAULT '{}'
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

KNOWN_OBJECTS = frozenset(
    name.lower()
    for migration in MIGRATIONS
    for name in re.findall(r"CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+(\w+)", migration)
)
"""The tables and indexes the migrations create: anything else makes a file not ours."""


class StoreCursor(sqlite3.Cursor):
    """A cursor whose SQLite failures are :class:`StoreError` s naming the file.

    A damaged page may surface on any read, not just when a statement starts, so the fetches
    are wrapped too: no SQLite error reaches a person as a traceback.
    """

    def _error(self, exc: sqlite3.Error) -> StoreError:
        return classify(exc, path_of(self.connection))

    def execute(self, sql: str, parameters: Any = (), /) -> StoreCursor:
        try:
            super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        return self

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> StoreCursor:
        try:
            super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        return self

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def fetchmany(self, size: int | None = 1) -> list[Any]:
        try:
            return super().fetchmany(size)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc


class StoreConnection(sqlite3.Connection):
    """A connection that knows its file and hands out :class:`StoreCursor` s."""

    path: Path | None = None
    serial: int = 0
    """How many transactions (writes and read snapshots) began here, each through
    :func:`transaction` or :func:`reading`: a cache that checked the store inside the one
    still open need not check again (no other connection commits into an open one)."""
    reading_from: int | None = None
    """``total_changes`` when the open read snapshot began (``None``: none is open)."""
    meta_writes: int = 0
    """How many meta values were written through this connection (by any
    :class:`~tracker.store.meta.MetaStore` on it): what it keeps of them is then read again."""

    def execute(self, sql: str, parameters: Any = (), /) -> StoreCursor:
        return self.cursor(StoreCursor).execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> StoreCursor:
        return self.cursor(StoreCursor).executemany(sql, parameters)


def path_of(conn: sqlite3.Connection) -> Path | None:
    """The file behind a store connection (``None`` for another connection)."""
    return getattr(conn, "path", None)


def connect(path: Path) -> StoreConnection:
    """Open (creating if needed) the store at ``path``, migrated and readable by its owner only.

    Raises:
        StoreError: the file is not a tracker store, is newer than this program, is damaged,
            or cannot be used; nothing was written to it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.path.lexists(path):
            _create(path)
        if path.is_file() and path.stat().st_size == 0:
            raise StoreDamagedError(
                f"{path} is empty, so it is not a tracker store (tracker never leaves an empty "
                "store file); nothing was written to it. Move it aside or delete it, and "
                "tracker starts a new store there."
            )
    except OSError as exc:
        raise StoreError(f"The store {path} cannot be created or opened: {exc}") from exc
    try:
        conn = sqlite3.connect(
            path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            factory=StoreConnection,
        )
    except sqlite3.Error as exc:
        raise classify(exc, path) from exc
    conn.path = path
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _check_ours(conn, path)
        mode = _enable_wal(conn)
        if mode != "wal":
            log.warning("SQLite refused WAL mode (%s); concurrent use will be slower", mode)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, path)
    except BaseException:
        # A file that cannot be used must not stay open (and locked) behind the error.
        conn.close()
        raise
    try:
        _owner_only(path)
    except OSError as exc:
        conn.close()
        raise StoreError(f"The store {path} cannot be made private to you: {exc}") from exc
    return conn


def _create(path: Path) -> None:
    """Build a new store beside ``path`` and link it into place, never over another file.

    Processes that start at once each build one; the first link wins and the others open it.
    """
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if leftover.exists():
            if os.path.lexists(path):
                return  # another process created the store (and opened it) just now
            raise StoreError(
                f"{leftover} is left from a store that is no longer at {path}; a new store "
                "beside it could take in its old contents. Move it (and any other "
                f"{path.name}-* files) aside, or put the store back, then try again."
            )
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)  # mkstemp made it owner-only; SQLite fills it
    temp = Path(name)
    try:
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            _apply(conn, 0, path)
            conn.execute("COMMIT")
        finally:
            conn.close()
        _fsync(temp)
        _place(temp, path)
    except sqlite3.Error as exc:
        raise classify(exc, path) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _place(temp: Path, path: Path) -> None:
    """Link the finished ``temp`` at ``path`` unless something is there already."""
    try:
        os.link(temp, path)
    except FileExistsError:
        return  # another process was first: its store is used
    except OSError:
        # No hard links on this file system: a rename, checked first (a narrow race).
        if os.path.lexists(path):
            return
        os.rename(temp, path)
    if hasattr(os, "O_DIRECTORY"):  # make the new name durable (POSIX)
        _fsync(path.parent, os.O_RDONLY | os.O_DIRECTORY)


def _fsync(path: Path, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that another program made, or that holds what tracker never wrote.

    Stores from before the application id (id 0) are recognised by their schema version and
    by holding nothing but tracker's own tables; migration 3 then marks them.
    """
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    names = {
        str(name).lower()
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    }
    if app_id not in (APPLICATION_ID, 0):
        _not_ours(path, f"it belongs to another program (application id {app_id:#x})")
    if app_id == 0 and not (names and 1 <= version <= SCHEMA_VERSION):
        _not_ours(path, "it is an SQLite database that tracker did not make")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer tracker (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); update tracker instead of downgrading."
        )
    foreign = sorted(names - KNOWN_OBJECTS)
    if foreign:
        _not_ours(path, f"it holds tables or indexes tracker does not know: {', '.join(foreign)}")


def _not_ours(path: Path, why: str) -> None:
    raise StoreDamagedError(
        f"{path} is not a tracker store: {why}. Tracker changed nothing in it. Move it "
        "elsewhere (tracker then starts a new store there), or set TRACKER_HOME to another "
        "folder."
    )


def _enable_wal(conn: sqlite3.Connection) -> str:
    """Switch to WAL, retrying while another process does the same on a new file.

    Changing the journal mode needs an exclusive lock, and SQLite reports "locked" at once
    instead of waiting in the busy handler when processes race to set it. A store already in
    WAL mode needs no lock at all.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except StoreBusyError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _owner_only(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                candidate.chmod(0o600)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date; the write lock is taken only when a migration is due,
    so opening a current store never waits for another process's write."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= SCHEMA_VERSION:
        return
    with transaction(conn):
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:  # a newer tracker got there first
            raise StoreError(
                f"{path} was written by a newer tracker (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); update tracker instead of downgrading."
            )
        _apply(conn, version, path)


def _apply(conn: sqlite3.Connection, version: int, path: Path) -> None:
    """Run the migrations after ``version`` inside the caller's transaction."""
    for number in range(version, SCHEMA_VERSION):
        log.info("migrating store %s to schema %d", path, number + 1)
        for statement in MIGRATIONS[number].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number + 1}")


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the lock first and rolls back on any error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise classify(exc, path_of(conn)) from exc
    _begun(conn)
    try:
        yield conn
    except sqlite3.Error as exc:
        _rollback(conn)
        raise classify(exc, path_of(conn)) from exc
    except BaseException:
        _rollback(conn)
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise classify(exc, path_of(conn)) from exc
    except BaseException:
        _rollback(conn)
        raise


@contextlib.contextmanager
def reading(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Several reads from one snapshot of the store: what they read agrees even when another
    connection commits meanwhile, and the meta values are checked once for all of them.

    Only for reads (:func:`transaction` inside fails: one is already open); inside another
    transaction it adds nothing. Readers never wait in WAL mode, and writers do not wait for
    it either."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    _begun(conn)
    if isinstance(conn, StoreConnection):
        conn.reading_from = conn.total_changes
    try:
        yield conn
    except BaseException:
        _ended(conn)
        _rollback(conn)
        raise
    _ended(conn)
    conn.execute("COMMIT")  # nothing was written: this only lets the snapshot go


def _begun(conn: sqlite3.Connection) -> None:
    if isinstance(conn, StoreConnection):
        conn.serial += 1


def _ended(conn: sqlite3.Connection) -> None:
    if isinstance(conn, StoreConnection):
        conn.reading_from = None


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite rolls the whole transaction back by itself after some errors (a full disk, an
    # I/O error); a second ROLLBACK would then fail and hide the error that matters.
    if conn.in_transaction:
        conn.execute("ROLLBACK")
