"""The rows a report reads: entries overlapping a range, filtered in SQL, as plain tuples.

Reports read thousands of entries at once, so they skip :class:`~tracker.store.EntryRow`
(its JSON columns and sync bookkeeping) and read only the eight columns a report needs,
one row at a time from the cursor.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ReportFilter", "ReportRow", "catalog_names", "count_rows", "report_rows"]

ReportRow = tuple[str, int, int | None, str, str | None, str | None, str, int]
"""(id, start, end or ``None`` while running, description, project id, task id, tag ids as
JSON text, billable) with instants in Unix seconds."""

# The same bounded range read as ``EntryStore.between``: a finished entry that ends after
# ``lo`` started less than the longest finished entry's length before it, so the
# ``entries_start`` index walks only the range, not every entry before it.
_FINISHED = (
    "workspace_id = :ws AND deleted = 0 AND end IS NOT NULL AND start < :hi AND end > :lo "
    "AND start > :lo - (SELECT max(end - start) FROM entries "
    "WHERE workspace_id = :ws AND end IS NOT NULL)"
)
_RUNNING = (
    "workspace_id = :ws AND deleted = 0 AND end IS NULL AND start < :hi "
    "AND (start >= :lo OR :now >= :lo)"
)
_FIELDS = "id, start, end, description, project_id, task_id, tag_ids, billable"
_LIKE_SPECIAL = re.compile(r"([\\%_])")
_BATCH = 500
"""Rows fetched at once: few calls into SQLite, and a bounded amount held."""


@dataclass(frozen=True)
class ReportFilter:
    """Which entries: local ids per kind (empty: any), billable or not (``None``: both),
    text the description contains (any case), or only those without a project."""

    projects: Sequence[str] = ()
    clients: Sequence[str] = ()
    tasks: Sequence[str] = ()
    tags: Sequence[str] = ()
    billable: bool | None = None
    description: str | None = None
    without_project: bool = False


def _where(
    workspace_id: str, lo: int, hi: int, now: int, only: ReportFilter
) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {"ws": workspace_id, "lo": lo, "hi": hi, "now": now}
    clauses: list[str] = []

    def marks(name: str, values: Sequence[str]) -> str:
        for number, value in enumerate(values):
            params[f"{name}{number}"] = value
        return ", ".join(f":{name}{number}" for number in range(len(values)))

    if only.without_project:
        clauses.append("project_id IS NULL")
    if only.projects:
        clauses.append(f"project_id IN ({marks('p', only.projects)})")
    if only.clients:
        clauses.append(
            "project_id IN (SELECT id FROM refs WHERE kind = 'project' "
            f"AND parent_id IN ({marks('c', only.clients)}))"
        )
    if only.tasks:
        clauses.append(f"task_id IN ({marks('k', only.tasks)})")
    if only.tags:
        clauses.append(
            "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(tag_ids) THEN tag_ids "
            f"ELSE '[]' END) WHERE value IN ({marks('t', only.tags)}))"
        )
    if only.billable is not None:
        params["billable"] = int(only.billable)
        clauses.append("billable = :billable")
    if only.description:
        params["text"] = "%" + _LIKE_SPECIAL.sub(r"\\\1", only.description) + "%"
        clauses.append("description LIKE :text ESCAPE '\\'")
    return "".join(f" AND {c}" for c in clauses), params


def report_rows(
    conn: sqlite3.Connection,
    workspace_id: str,
    lo: int,
    hi: int,
    *,
    now: int,
    only: ReportFilter,
    ordered: bool = False,
) -> Iterator[ReportRow]:
    """Live entries overlapping ``[lo, hi)`` (a running one up to ``now``) that pass
    ``only``, read one by one (oldest first when ``ordered``). A row whose start or end is
    not a number (damage ``tracker doctor`` names) is skipped."""
    where, params = _where(workspace_id, lo, hi, now, only)
    order = " ORDER BY start, id" if ordered else ""
    cursor = conn.execute(
        f"SELECT {_FIELDS} FROM entries WHERE {_FINISHED}{where} UNION ALL "
        f"SELECT {_FIELDS} FROM entries WHERE {_RUNNING}{where}{order}",
        params,
    )
    while batch := cursor.fetchmany(_BATCH):
        for row in batch:
            if isinstance(row[1], int) and isinstance(row[2], int | None):
                yield (
                    str(row[0]),
                    row[1],
                    row[2],
                    str(row[3] or ""),
                    row[4],
                    row[5],
                    str(row[6] or "[]"),
                    int(row[7] or 0),
                )


def count_rows(
    conn: sqlite3.Connection, workspace_id: str, lo: int, hi: int, *, now: int, only: ReportFilter
) -> int:
    """How many rows :func:`report_rows` yields (for a progress bar)."""
    where, params = _where(workspace_id, lo, hi, now, only)
    (counted,) = conn.execute(
        f"SELECT count(*) FROM (SELECT id FROM entries WHERE {_FINISHED}{where} "
        f"UNION ALL SELECT id FROM entries WHERE {_RUNNING}{where})",
        params,
    ).fetchone()
    return int(counted)


def catalog_names(
    conn: sqlite3.Connection, workspace_id: str
) -> Iterator[tuple[str, str, str, str | None]]:
    """(kind, id, name, parent id) of every project, client, task and tag, archived ones
    included (old entries still name them)."""
    rows = conn.execute(
        "SELECT kind, id, name, parent_id FROM refs WHERE workspace_id = ? "
        "AND kind IN ('project', 'client', 'task', 'tag')",
        (workspace_id,),
    )
    for kind, local_id, name, parent in rows:
        yield str(kind), str(local_id), str(name), parent
