"""Reports fetched from Clockify, kept per query with the time they were fetched.

A report is server-first data: the window and the CLI show the copy kept here at once (and
offline), labelled with when it was fetched, and ask Clockify again only when the copy is
older than :data:`FRESH_SECONDS` or the person asks to refresh. The table holds at most
:data:`MAX_REPORTS` reports; the oldest go first. It holds report figures and names only,
never the API key or a request's headers.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from tracker.store.db import StoreConnection, transaction

__all__ = ["FRESH_SECONDS", "MAX_REPORTS", "CachedReport", "ReportCache"]

FRESH_SECONDS = 300.0
"""How long a fetched report is reused without asking Clockify again: long enough that
reopening the window or re-running a verb a few times costs no request from the Free plan's
30 an hour, short enough that what a person tracked minutes ago shows up without a refresh."""

MAX_REPORTS = 200
"""How many reports are kept; the oldest fetched are dropped first. A report is a few KiB, so
this bounds the table to a few MiB whatever periods and groupings are asked for."""

log = logging.getLogger("tracker.store")


@dataclass(frozen=True)
class CachedReport:
    """A kept report: its plain-JSON data and when it was fetched (Unix seconds)."""

    data: dict[str, Any]
    fetched_at: float

    def fresh(self, now: float, seconds: float = FRESH_SECONDS) -> bool:
        """Whether it may be shown without asking again (a clock set back counts as stale)."""
        return 0 <= now - self.fetched_at < seconds


class ReportCache:
    """The ``report_cache`` table of one store connection."""

    def __init__(self, conn: StoreConnection, *, limit: int = MAX_REPORTS) -> None:
        self.conn = conn
        self.limit = limit

    def get(self, key: str) -> CachedReport | None:
        """The report kept under ``key``; ``None`` when there is none or it cannot be read
        (a damaged copy is only a cache: it is dropped and fetched again)."""
        row = self.conn.execute(
            "SELECT data, fetched_at FROM report_cache WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except ValueError:
            data = None
        if not isinstance(data, dict):
            log.warning("A kept report could not be read; it will be fetched again.")
            self.drop(key)
            return None
        return CachedReport(data, float(row[1]))

    def text(self, key: str) -> str | None:
        """The JSON text kept under ``key`` as stored, unparsed: a reader that keeps what it
        made of a large copy compares this to know whether to read it again."""
        row = self.conn.execute("SELECT data FROM report_cache WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, workspace_id: str, data: dict[str, Any], fetched_at: float) -> None:
        """Keep ``data`` under ``key`` and drop the oldest beyond the limit, in one
        transaction."""
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO report_cache (key, workspace_id, fetched_at, data) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                "workspace_id = excluded.workspace_id, fetched_at = excluded.fetched_at, "
                "data = excluded.data",
                (key, workspace_id, fetched_at, text),
            )
            self.conn.execute(
                "DELETE FROM report_cache WHERE key NOT IN "
                "(SELECT key FROM report_cache ORDER BY fetched_at DESC, key LIMIT ?)",
                (self.limit,),
            )

    def drop(self, key: str) -> None:
        """Forget one report."""
        with transaction(self.conn):
            self.conn.execute("DELETE FROM report_cache WHERE key = ?", (key,))

    def clear(self, workspace_id: str | None = None) -> None:
        """Forget every report (of one workspace): on logout or an account change."""
        with transaction(self.conn):
            if workspace_id is None:
                self.conn.execute("DELETE FROM report_cache")
            else:
                self.conn.execute(
                    "DELETE FROM report_cache WHERE workspace_id = ?", (workspace_id,)
                )

    def count(self) -> int:
        """How many reports are kept."""
        return int(self.conn.execute("SELECT count(*) FROM report_cache").fetchone()[0])
