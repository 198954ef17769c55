"""A look through the whole store for damage, for ``tracker doctor``.

Everyday reads meet damage only where they look (a day, a setting); this reads everything
once, with SQLite's own page check and tracker's row checks, so a person learns of a damaged
entry before it is needed, and which one it is.
"""

from __future__ import annotations

import json
import sqlite3

from tracker.store.db import path_of
from tracker.store.entries import EntryStore
from tracker.store.errors import StoreDamagedError, way_out

__all__ = ["MAX_LISTED", "check"]

MAX_LISTED = 10
"""Problems named one by one; more are counted."""


def check(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the store, one sentence each (none when all is well).

    Raises:
        StoreError: the store could not be read far enough to check it.
    """
    path = path_of(conn) or "the store file"
    try:
        pages = [str(line) for (line,) in conn.execute("PRAGMA quick_check")]
    except StoreDamagedError as exc:  # too damaged for the check to finish
        return [str(exc)]
    if pages != ["ok"]:
        shown = "; ".join(pages[:3]) + (f" (and {len(pages) - 3} more)" if len(pages) > 3 else "")
        return [f"The store {path} is damaged: SQLite's check found {shown}. {way_out(path)}"]
    problems = []
    entries = EntryStore(conn).unreadable()
    if entries:
        listed = entries[:MAX_LISTED]
        if len(entries) > MAX_LISTED:
            listed.append(f"and {len(entries) - MAX_LISTED} more entries")
        problems.append(f"The store {path} is damaged: {'; '.join(listed)}. {way_out(path)}")
    problems.extend(
        f"The setting {key!r} in {path} cannot be read, so it counts as unset until tracker "
        "writes it again (a sync, a login or a change in Settings does)."
        for key in _unreadable_settings(conn)
    )
    return problems


def _unreadable_settings(conn: sqlite3.Connection) -> list[str]:
    found = []
    for key, value in conn.execute("SELECT key, value FROM meta ORDER BY key"):
        try:
            json.loads(value)
        except (TypeError, ValueError):
            found.append(str(key))
    return found
