"""The event journal: one row per thing a local change did (``timer.started``, ...).

Rows are appended inside the change's own transaction, with one statement however many
events the change makes (a start that stops the running timer makes two), so a click pays
one ``INSERT`` for it. Readers follow the journal by id: ids only grow, and an id is never
reused (``AUTOINCREMENT``), so "everything after the last id I saw" is exact across
processes. The journal keeps the newest :data:`KEEP` events; older ones are dropped every
:data:`PRUNE_EVERY` events, by the write that crosses that mark (one ``DELETE`` then).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tracker.store.db import StoreConnection

__all__ = ["KEEP", "PRUNE_EVERY", "Event", "EventStore"]

log = logging.getLogger("tracker.store")

KEEP = 10_000
"""How many of the newest events the journal keeps (a busy day makes about a hundred)."""
PRUNE_EVERY = 256
"""Older events are dropped when an event id crosses a multiple of this."""

ROWS_PER_STATEMENT = 200
"""Events one ``INSERT`` writes (SQLite before 3.32 takes at most 999 values a statement)."""
PAGE = 500
"""Events read per statement while following the journal."""


@dataclass(frozen=True)
class Event:
    """One journal row: ``data`` is what the writer put there (an entry's fields, a reason)."""

    id: int
    at: float
    kind: str
    entry_id: str | None
    data: dict[str, Any]


class EventStore:
    """Appends to and reads the journal on one connection."""

    def __init__(self, conn: StoreConnection) -> None:
        self._conn = conn

    def append_in(self, rows: Sequence[tuple[str, str | None, dict[str, Any]]]) -> list[int]:
        """Add ``(kind, entry_id, data)`` rows inside the caller's transaction, in one
        statement (up to :data:`ROWS_PER_STATEMENT` rows); returns their ids."""
        now = time.time()
        ids: list[int] = []
        for first in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[first : first + ROWS_PER_STATEMENT]
            values = ", ".join("(?, ?, ?, ?)" for _ in chunk)
            params: list[Any] = []
            for kind, entry_id, data in chunk:
                params.extend((now, kind, entry_id, json.dumps(data, ensure_ascii=False)))
            ids.extend(
                int(row[0])
                for row in self._conn.execute(
                    f"INSERT INTO events (at, kind, entry_id, data) VALUES {values} RETURNING id",
                    params,
                ).fetchall()
            )
        if any(i % PRUNE_EVERY == 0 for i in ids) and max(ids) > KEEP:
            self._conn.execute("DELETE FROM events WHERE id <= ?", (max(ids) - KEEP,))
        return ids

    def last_id(self) -> int:
        """The newest event's id (0: none yet)."""
        row = self._conn.execute("SELECT MAX(id) FROM events").fetchone()
        return int(row[0] or 0)

    def after(self, since: int, limit: int = PAGE) -> list[Event]:
        """Up to ``limit`` events newer than ``since``, oldest first."""
        rows = self._conn.execute(
            "SELECT id, at, kind, entry_id, data FROM events WHERE id > ? ORDER BY id LIMIT ?",
            (since, limit),
        ).fetchall()
        return [_event(row) for row in rows]

    def all_after(self, since: int) -> Iterator[Event]:
        """Every event newer than ``since``, read a page at a time (a long journal is never
        held whole)."""
        while True:
            page = self.after(since)
            yield from page
            if len(page) < PAGE:
                return
            since = page[-1].id


def _event(row: tuple[Any, ...]) -> Event:
    try:
        data = json.loads(row[4])
    except (TypeError, ValueError):
        data = None
    if not isinstance(data, dict):
        log.warning("event %s has unreadable data; it is shown without it", row[0])
        data = {}
    return Event(int(row[0]), float(row[1]), str(row[2]), row[3], data)
