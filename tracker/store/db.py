"""Opening the SQLite file: WAL, owner-only permissions, migrations, transactions.

Several processes use one file at once (the tray app's GUI and worker threads and any CLI
call), so every connection runs in WAL mode with a busy timeout, and every write happens in a
``BEGIN IMMEDIATE`` transaction: a writer takes the write lock up front instead of failing
half-way when another process got there first. Schema changes are migrations keyed by
``PRAGMA user_version``; each runs in the same transaction as its version bump.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["SCHEMA_VERSION", "StoreError", "StoreFullError", "connect", "transaction"]

log = logging.getLogger("tracker.store")

BUSY_TIMEOUT_MS = 10_000

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
    # 3: when that create went out and when it was last looked for on Clockify (wall-clock
    # seconds), so an unclear create is sent again only after the horizon past which Clockify
    # can no longer commit it, and looked for sparingly until then (sync rule 3).
    """
    ALTER TABLE entries ADD COLUMN sent_at REAL;
    ALTER TABLE entries ADD COLUMN looked_at REAL;
    ALTER TABLE refs ADD COLUMN sent_at REAL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The store cannot do what was asked; the message says what the person can do."""


class StoreFullError(StoreError):
    """The disk is full: nothing was written, and nothing already stored is lost."""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the store at ``path``, migrated and readable by its owner only.

    Raises:
        StoreError: the file is not a tracker store, is newer than this program, or unusable.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fresh = not path.exists()
    if fresh:
        # Create it owner-only before SQLite opens it, so it is never readable by others.
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.DatabaseError as exc:
        raise classify(exc, path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = _enable_wal(conn)
        if mode != "wal":
            log.warning("SQLite refused WAL mode (%s); concurrent use will be slower", mode)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, path)
    except BaseException as exc:
        # A file that cannot be used must not stay open (and locked) behind the error.
        conn.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise classify(exc, path) from exc
        raise
    _owner_only(path)
    return conn


def _enable_wal(conn: sqlite3.Connection) -> str:
    """Switch to WAL, retrying while another process does the same on a new file.

    Changing the journal mode needs an exclusive lock, and SQLite reports "locked" at once
    instead of waiting in the busy handler when processes race to set it.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _owner_only(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                candidate.chmod(0o600)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    with transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer tracker (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); update tracker instead of downgrading."
            )
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
    except sqlite3.DatabaseError as exc:
        raise classify(exc, None) from exc
    try:
        yield conn
    except sqlite3.DatabaseError as exc:
        _rollback(conn)
        raise classify(exc, None) from exc
    except BaseException:
        _rollback(conn)
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        _rollback(conn)
        raise classify(exc, None) from exc


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite rolls the whole transaction back by itself after some errors (a full disk, an
    # I/O error); a second ROLLBACK would then fail and hide the error that matters.
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def classify(exc: sqlite3.DatabaseError, path: Path | None) -> StoreError:
    """Turn a SQLite failure into something a person can act on."""
    text = str(exc).lower()
    where = f" ({path})" if path else ""
    if "full" in text:
        return StoreFullError(
            f"The disk is full{where}: the change was not saved. Free some space and try again; "
            "everything saved before is intact."
        )
    if "locked" in text or "busy" in text:
        return StoreError(f"The store is busy in another tracker process{where}; try again.")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"The store file{where} is damaged or not a tracker store: {exc}")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"The store{where} is read-only; check the folder's permissions.")
    return StoreError(f"The store failed{where}: {exc}")
