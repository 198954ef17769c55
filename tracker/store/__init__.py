"""The local SQLite store: entries with their sync state, reference data, and small facts.

Every action lands here first and at once; the sync engine sends it to Clockify later. One
:class:`Store` per thread (SQLite connections are not shared across threads); any number of
processes may open the same file.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path

from tracker.store.catalog import CatalogStore, Kind, Ref
from tracker.store.check import check
from tracker.store.db import SCHEMA_VERSION, connect, reading, transaction
from tracker.store.entries import EntryRow, EntryStore
from tracker.store.errors import StoreBusyError, StoreDamagedError, StoreError, StoreFullError
from tracker.store.events import Event, EventStore
from tracker.store.meta import Conflict, MetaStore

__all__ = [
    "SCHEMA_VERSION",
    "Conflict",
    "EntryRow",
    "Event",
    "Kind",
    "Ref",
    "Store",
    "StoreBusyError",
    "StoreDamagedError",
    "StoreError",
    "StoreFullError",
]


class Store:
    """One connection to the store file, with a repository per kind of data."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path)
        self.entries = EntryStore(self.conn)
        self.catalog = CatalogStore(self.conn)
        self.meta = MetaStore(self.conn)
        self.events = EventStore(self.conn)

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction for several changes that must land together."""
        return transaction(self.conn)

    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """Several reads from one snapshot (see :func:`tracker.store.db.reading`)."""
        return reading(self.conn)

    def move_workspace(self, source: str, target: str) -> int:
        """Move every entry and reference item of ``source`` into ``target``; count entries.

        Connecting an account to local-only data does this once: the rows keep their local
        ids and stay pending, so sync matches their names and sends them.
        """
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE refs SET workspace_id = ?, dirty = 1 WHERE workspace_id = ?",
                (target, source),
            )
            self.meta.move_favourites_in(source, target)
            return self.conn.execute(
                "UPDATE entries SET workspace_id = ? WHERE workspace_id = ?", (target, source)
            ).rowcount

    def check(self) -> list[str]:
        """What is damaged in the store, one sentence each with the way out (none: all is
        well). Reads every row, so it is for ``tracker doctor``, not for every call."""
        return check(self.conn)

    def close(self) -> None:
        """Close the connection (a checkpoint keeps the WAL file small)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
