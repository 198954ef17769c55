"""Time entries on disk, with what sync needs to know about each.

Pending work is derived from the row, never queued separately (ARCHITECTURE "Sync rules" 1):

- ``version`` counts local edits; ``synced_version`` is the version Clockify has. A row whose
  versions differ has something to send. Ten offline edits are one difference, one request.
- ``server_id`` is ``None`` until Clockify has the entry: such a row needs a create.
- ``deleted`` is a tombstone: the row stays until Clockify has deleted it too.
- ``in_flight`` is set, in its own transaction, before a create is sent. If the process dies
  or the answer never comes, the create is *unclear*: the next sync looks on the server before
  it creates again, and sends again only once ``sent_at`` lies further back than the horizon
  past which Clockify can no longer commit the first attempt. That is how a create never
  duplicates, even on a slow server that commits late. ``sent`` keeps the fields that create
  carried, so the look is for what Clockify may have, even after the user edited or deleted
  the row meanwhile.
- ``synced`` is the last copy both sides agreed on, the base of the three-way merge.
- ``parked`` holds Clockify's reason for refusing the row; it is not sent again until edited.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from tracker.domain.durations import shown_seconds
from tracker.domain.model import Entry
from tracker.store.db import path_of, transaction
from tracker.store.entry_rows import (
    COLUMNS,
    UNREADABLE,
    EntryRow,
    decode,
    read_row,
    stamp,
    values,
)
from tracker.store.errors import damaged

__all__ = ["EntryRow", "EntryStore"]

ID_CHUNK = 400
"""Ids bound in one statement: well inside SQLite's limit on variables (999 in old builds)."""

SUGGESTION_WINDOW = 500
"""Matching entries :meth:`EntryStore.suggestions` groups first (see there)."""


# Range reads bound ``start`` on both ends so that they walk only the entries in range, not
# every entry before it: a finished entry that ends after ``lo`` started less than the
# longest finished entry's length before ``lo`` (that length is one seek in
# ``entries_length``); running entries come from their own small index.
_OVERLAP_FINISHED = (
    "workspace_id = :ws AND deleted = 0 AND end IS NOT NULL AND start < :hi AND end > :lo "
    "AND start > :lo - (SELECT max(end - start) FROM entries "
    "WHERE workspace_id = :ws AND end IS NOT NULL)"
)
_OVERLAP_RUNNING = (
    "workspace_id = :ws AND deleted = 0 AND end IS NULL AND start < :hi "
    "AND (start >= :lo OR :now >= :lo)"
)


def _bounds(workspace_id: str, start: datetime, end: datetime, now: datetime) -> dict[str, Any]:
    return {"ws": workspace_id, "lo": stamp(start), "hi": stamp(end), "now": stamp(now)}


class EntryStore:
    """Reads and writes entries on one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._path = path_of(conn)

    def _row(self, raw: sqlite3.Row | tuple[Any, ...]) -> EntryRow:
        return read_row(raw, self._path)

    # --- reads ----------------------------------------------------------------------------

    def get(self, entry_id: str) -> EntryRow | None:
        """One entry by local id, tombstones included."""
        raw = self._conn.execute(
            f"SELECT {COLUMNS} FROM entries WHERE id = ?", (entry_id,)
        ).fetchone()
        return None if raw is None else self._row(raw)

    def by_server_id(self, workspace_id: str, server_id: str) -> EntryRow | None:
        """The entry Clockify knows by ``server_id``."""
        raw = self._conn.execute(
            f"SELECT {COLUMNS} FROM entries WHERE workspace_id = ? AND server_id = ?",
            (workspace_id, server_id),
        ).fetchone()
        return None if raw is None else self._row(raw)

    def between(
        self,
        workspace_id: str,
        start: datetime,
        end: datetime,
        *,
        now: datetime,
        among: Collection[str] | None = None,
    ) -> list[EntryRow]:
        """Live entries that overlap ``[start, end)``, oldest first; only those of ``among``
        when given (the few a change wrote, on a day already shown).

        A running entry counts from its start up to ``now``: it is listed on the days it has
        run on, never on a day still to come.
        """
        bounds = _bounds(workspace_id, start, end, now)
        only = ""
        if among is not None:
            names = [f"id{n}" for n in range(len(among))]
            bounds.update(zip(names, among, strict=True))
            only = f" AND id IN ({', '.join(':' + name for name in names)})"
        rows = self._conn.execute(
            f"SELECT {COLUMNS} FROM entries WHERE {_OVERLAP_FINISHED}{only} UNION ALL "
            f"SELECT {COLUMNS} FROM entries WHERE {_OVERLAP_RUNNING}{only} ORDER BY start, id",
            bounds,
        ).fetchall()  # one call for the lot: rows are read in one go, not one by one
        return [self._row(raw) for raw in rows]

    def total(
        self, workspace_id: str, start: datetime, end: datetime, *, now: datetime
    ) -> timedelta:
        """How much of ``[start, end)`` live entries cover (a running one up to ``now``),
        summed per entry as their times are shown (:func:`~tracker.domain.durations.
        shown_seconds`)."""
        return self.totals(workspace_id, start, end, now=now)[0]

    def totals(
        self, workspace_id: str, start: datetime, end: datetime, *, now: datetime
    ) -> tuple[timedelta, timedelta]:
        """:meth:`total` as shown, and to the second (machine output and reports count
        seconds, as Clockify does), in one read of two columns: a week costs little."""
        rows = self._conn.execute(
            f"SELECT id, start, end FROM entries WHERE {_OVERLAP_FINISHED} UNION ALL "
            f"SELECT id, start, end FROM entries WHERE {_OVERLAP_RUNNING}",
            _bounds(workspace_id, start, end, now),
        ).fetchall()
        low, high, until = (int(moment.timestamp()) for moment in (start, end, now))
        shown = exact = 0
        for entry_id, began, ended in rows:
            if not isinstance(began, int) or not isinstance(ended, int | None):
                raise damaged(self._path or "file", f"entry {entry_id!r} has a broken start or end")
            finish = max(until, began) if ended is None else ended
            first, last = max(began, low), min(finish, high)
            shown += shown_seconds(first, last)
            exact += max(last - first, 0)
        return timedelta(seconds=shown), timedelta(seconds=exact)

    def running(self, workspace_id: str) -> EntryRow | None:
        """The live entry without an end, if any."""
        raw = self._conn.execute(
            f"SELECT {COLUMNS} FROM entries WHERE workspace_id = ? AND deleted = 0 "
            "AND end IS NULL ORDER BY start DESC LIMIT 1",
            (workspace_id,),
        ).fetchone()
        return None if raw is None else self._row(raw)

    def latest(self, workspace_id: str, limit: int) -> list[EntryRow]:
        """The newest live entries, newest first."""
        rows = self._conn.execute(
            f"SELECT {COLUMNS} FROM entries WHERE workspace_id = ? AND deleted = 0 "
            "ORDER BY start DESC, id LIMIT ?",
            (workspace_id, limit),
        )
        return [self._row(raw) for raw in rows]

    def pending(self, workspace_id: str) -> list[EntryRow]:
        """Rows with something to send, in the order they should go: oldest start first."""
        rows = self._conn.execute(
            f"SELECT {COLUMNS} FROM entries WHERE workspace_id = ? "
            "AND version != synced_version ORDER BY start, id",
            (workspace_id,),
        )
        return [self._row(raw) for raw in rows]

    def counts(self, workspace_id: str) -> tuple[int, int]:
        """How many rows are pending, and how many of those are parked."""
        pending, parked = self._conn.execute(
            "SELECT count(*), count(parked) FROM entries WHERE workspace_id = ? "
            "AND version != synced_version",
            (workspace_id,),
        ).fetchone()
        return int(pending), int(parked)

    def unclear_count(self, workspace_id: str) -> int:
        """How many creates went out with no clear answer and are not settled yet."""
        (count,) = self._conn.execute(
            "SELECT count(*) FROM entries WHERE workspace_id = ? AND in_flight = 1 "
            "AND server_id IS NULL AND version != synced_version",
            (workspace_id,),
        ).fetchone()
        return int(count)

    def neighbours(
        self, workspace_id: str, ids: Iterable[str]
    ) -> dict[str, tuple[str | None, str | None]]:
        """id → the live ids just before and after it in id order (for short unique ids)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, tuple[str | None, str | None]] = {}
        for begin in range(0, len(wanted), ID_CHUNK):
            chunk = wanted[begin : begin + ID_CHUNK]
            values = ", ".join("(?)" for _ in chunk)
            rows = self._conn.execute(
                f"WITH wanted(id) AS (VALUES {values}) SELECT w.id, "
                # ``+e.workspace_id`` keeps the planner on the primary key: walking ids
                # from w.id finds the neighbour at once, where the workspace index would
                # sort the whole workspace for every id.
                "(SELECT e.id FROM entries e WHERE e.id < w.id AND +e.workspace_id = ? "
                "AND e.deleted = 0 ORDER BY e.id DESC LIMIT 1), "
                "(SELECT e.id FROM entries e WHERE e.id > w.id AND +e.workspace_id = ? "
                "AND e.deleted = 0 ORDER BY e.id LIMIT 1) FROM wanted w",
                (*chunk, workspace_id, workspace_id),
            )
            for entry_id, before, after in rows:
                found[entry_id] = (before, after)
        return found

    def unreadable(self) -> list[str]:
        """Every entry, of any workspace, that cannot be read, and why (for a health check:
        everyday reads meet a damaged row only where they look)."""
        found = []
        for raw in self._conn.execute(f"SELECT {COLUMNS} FROM entries ORDER BY id"):
            try:
                decode(raw)
            except UNREADABLE as exc:
                found.append(f"entry {raw[0]!r} cannot be read: {exc}")
        return found

    def descriptions(self, workspace_id: str, limit: int = 500) -> list[str]:
        """Distinct descriptions, most recently used first (for autocomplete)."""
        rows = self._conn.execute(
            "SELECT description FROM entries WHERE workspace_id = ? AND deleted = 0 "
            "AND description != '' GROUP BY description ORDER BY max(start) DESC LIMIT ?",
            (workspace_id, limit),
        )
        return [description for (description,) in rows]

    def suggestions(self, workspace_id: str, text: str, limit: int = 8) -> list[EntryRow]:
        """The latest finished entry of each distinct (description, project, task) whose
        description holds ``text`` (any case), newest first: what the popup suggests, from
        the whole history.

        The newest :data:`SUGGESTION_WINDOW` matching rows are read first, newest first
        along the ``start`` index, and grouped; a short word matches nearly every row, and
        this way it costs the same on any history. Only when that window held fewer
        distinct ones than asked for is the whole history grouped.
        """
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matching = (
            "SELECT * FROM entries WHERE workspace_id = ? AND deleted = 0 AND end IS NOT NULL "
            "AND description != '' AND description LIKE ? ESCAPE '\\' ORDER BY start DESC"
        )
        # SQLite takes a bare column's value from the row that max() picked; ``seen`` is
        # how many rows the window held (all matches, unless it is full).
        grouped = (
            f"SELECT {COLUMNS}, seen FROM (SELECT *, max(start) AS latest FROM "
            f"(SELECT *, count(*) OVER () AS seen FROM ({matching} {{}})) "
            "GROUP BY description, project_id, task_id) ORDER BY latest DESC, id LIMIT ?"
        )
        window = self._conn.execute(
            grouped.format("LIMIT ?"), (workspace_id, pattern, SUGGESTION_WINDOW, limit)
        ).fetchall()
        if len(window) < limit and window and window[0][-1] >= SUGGESTION_WINDOW:
            window = self._conn.execute(
                grouped.format(""), (workspace_id, pattern, limit)
            ).fetchall()
        return [self._row(raw[:-1]) for raw in window]

    # --- local edits (the user's) ---------------------------------------------------------

    def save(self, entry: Entry, *, now: float | None = None) -> EntryRow:
        """Insert or change an entry as a local edit: it becomes pending, and un-parked."""
        stamp = time.time() if now is None else now
        with transaction(self._conn):
            return self.save_in(entry, stamp)

    def save_in(self, entry: Entry, stamp: float) -> EntryRow:
        """:meth:`save` inside a transaction the caller holds."""
        updated = self._conn.execute(
            "UPDATE entries SET workspace_id = ?, start = ?, end = ?, description = ?, "
            "project_id = ?, task_id = ?, tag_ids = ?, billable = ?, custom_fields = ?, "
            "version = version + 1, deleted = 0, parked = NULL, updated_at = ? WHERE id = ?",
            (*values(entry), stamp, entry.id),
        ).rowcount
        if not updated:
            self._conn.execute(
                "INSERT INTO entries (workspace_id, start, end, description, project_id, "
                "task_id, tag_ids, billable, custom_fields, id, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values(entry), entry.id, stamp),
            )
        row = self.get(entry.id)
        assert row is not None
        return row

    def delete_in(self, entry_id: str, stamp: float) -> None:
        """Tombstone an entry inside the caller's transaction; sync deletes it on Clockify.

        An entry Clockify never saw (and that is not in flight) is simply removed.
        """
        self._conn.execute(
            "DELETE FROM entries WHERE id = ? AND server_id IS NULL AND in_flight = 0",
            (entry_id,),
        )
        self._conn.execute(
            "UPDATE entries SET deleted = 1, version = version + 1, parked = NULL, "
            "updated_at = ? WHERE id = ?",
            (stamp, entry_id),
        )

    def restore_in(self, row: EntryRow, stamp: float) -> None:
        """Bring back a deleted row as it was (undo), as a local edit.

        A tombstone is revived in place (it keeps its Clockify id); a row that was removed
        outright, because Clockify never had it, is inserted afresh.
        """
        self.save_in(row.entry, stamp)

    # --- sync's records -------------------------------------------------------------------

    def mark_in_flight(
        self,
        entry_id: str,
        sent: Mapping[str, Any] | None = None,
        *,
        at: float | None = None,
        boot: str | None = None,
        expect_version: int | None = None,
    ) -> bool:
        """Record, durably, that a create carrying ``sent`` (the row's fields) goes out ``at``
        (and ``boot``, this boot's clock); whether it may go.

        With ``expect_version`` it is a compare-and-set: a row removed or edited since it was
        read is not sent (the next round reads it again). ``sent`` and the times are read back
        only while the flag is set; each flight writes its own.
        """
        guard = "" if expect_version is None else " AND version = ?"
        with transaction(self._conn):
            return bool(
                self._conn.execute(
                    "UPDATE entries SET in_flight = 1, sent = ?, sent_at = ?, sent_boot = ?, "
                    f"looked_at = NULL WHERE id = ?{guard}",
                    (
                        None if sent is None else json.dumps(dict(sent)),
                        time.time() if at is None else at,
                        boot,
                        entry_id,
                        *(() if expect_version is None else (expect_version,)),
                    ),
                ).rowcount
            )

    def note_looked(self, entry_id: str, at: float) -> None:
        """Sync looked for an unclear create on Clockify ``at`` and did not find it.

        A create from an older store (no send time known) gets ``at`` as its send time too, so
        its horizon counts from now; so does one whose send time lies after ``at`` (the clock
        ran ahead when it was sent and was set right since), or it would wait out the jump.
        """
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE entries SET looked_at = ?, sent_at = min(coalesce(sent_at, ?), ?) "
                "WHERE id = ? AND in_flight = 1",
                (at, at, at, entry_id),
            )

    def note_stopped_by_start(self, workspace_id: str, start: datetime, *, but: str) -> None:
        """Clockify stopped the timer it ran when a create of ours started one at ``start``.

        That stop was our doing, not an edit made elsewhere: the agreed copy (``synced``) of a
        row whose timer ran on Clockify gets the end Clockify gave it, so a merge does not
        take it for a change to copy here. A row still running here (an undone switch, or a
        timer started after a create that Clockify committed late) becomes pending, so it is
        sent again and runs on Clockify too.
        """
        with transaction(self._conn):
            rows = self._conn.execute(
                "SELECT id, synced, end FROM entries WHERE workspace_id = ? AND id != ? "
                "AND server_id IS NOT NULL AND deleted = 0 "
                # Only the timer Clockify ran: the agreed copy has no end (SQLite's JSON, so
                # a large store is not parsed row by row in Python).
                "AND CASE WHEN json_valid(synced) THEN json_extract(synced, '$.end') IS NULL "
                "ELSE 0 END",
                (workspace_id, but),
            ).fetchall()
            for entry_id, synced_text, end in rows:
                synced = json.loads(synced_text)
                if not isinstance(synced, dict) or synced.get("end") is not None:
                    continue
                began = datetime.fromisoformat(synced["start"])
                synced["end"] = max(began, start).isoformat()
                bump = ", version = version + 1" if end is None else ""
                self._conn.execute(
                    f"UPDATE entries SET synced = ?{bump} WHERE id = ?",
                    (json.dumps(synced), entry_id),
                )

    def record_not_sent(self, entry_id: str) -> None:
        """A create certainly did not land (refused before it was sent, or not on Clockify
        after the horizon): clear the flag, so the next push creates it."""
        with transaction(self._conn):
            self._conn.execute("UPDATE entries SET in_flight = 0 WHERE id = ?", (entry_id,))

    def record_synced(
        self,
        entry_id: str,
        *,
        server_id: str,
        sent_version: int,
        server_fields: Mapping[str, Any],
    ) -> None:
        """Clockify now has ``sent_version`` of the row, as ``server_fields``.

        A local edit made while the request was out keeps the row pending: ``synced_version``
        moves to the version that was sent, not to the current one.
        """
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE entries SET server_id = ?, synced_version = ?, synced = ?, "
                "in_flight = 0, parked = NULL WHERE id = ?",
                (server_id, sent_version, json.dumps(dict(server_fields)), entry_id),
            )

    def record_deleted(self, entry_id: str, *, sent_version: int | None = None) -> None:
        """Clockify no longer has the entry: the tombstone can go.

        With ``sent_version``, a row edited since the delete was sent (an undo brought it back)
        is kept, without its Clockify id: it is created again by the next push.
        """
        with transaction(self._conn):
            if sent_version is not None:
                self._conn.execute(
                    "UPDATE entries SET server_id = NULL, synced = NULL, synced_version = 0, "
                    "in_flight = 0 WHERE id = ? AND version != ? AND deleted = 0",
                    (entry_id, sent_version),
                )
            self._conn.execute("DELETE FROM entries WHERE id = ? AND deleted = 1", (entry_id,))

    def park_gone(self, entry_id: str, reason: str, *, sent_version: int) -> None:
        """Clockify no longer has the row's entry (deleted there): it loses its Clockify id,
        so an edit sends it again as a new entry; parked with ``reason`` until then, unless
        it was edited meanwhile (then that edit goes out as a new entry at once)."""
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE entries SET server_id = NULL, synced = NULL, synced_version = 0, "
                "in_flight = 0 WHERE id = ?",
                (entry_id,),
            )
            self._conn.execute(
                "UPDATE entries SET parked = ? WHERE id = ? AND version = ? AND deleted = 0",
                (reason, entry_id, sent_version),
            )

    def revive_refused_delete(self, entry_id: str, reason: str) -> None:
        """Clockify refused to delete the entry: bring it back, parked with the reason, where
        the person sees it (a parked tombstone would be shown nowhere)."""
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE entries SET deleted = 0, parked = ?, in_flight = 0 WHERE id = ?",
                (reason, entry_id),
            )

    def park(self, entry_id: str, reason: str, *, sent_version: int) -> None:
        """Keep the row from being sent again until it is edited; remember why.

        A refusal means nothing was created, so the in-flight flag goes in any case; the
        reason sticks only if the row was not edited meanwhile (an edit may have fixed it).
        """
        with transaction(self._conn):
            self._conn.execute("UPDATE entries SET in_flight = 0 WHERE id = ?", (entry_id,))
            self._conn.execute(
                "UPDATE entries SET parked = ? WHERE id = ? AND version = ?",
                (reason, entry_id, sent_version),
            )

    def adopt_remote(
        self,
        workspace_id: str,
        server_id: str,
        entry: Entry,
        *,
        local_id: str | None = None,
        keep_local_version: bool = False,
        server_fields: Mapping[str, Any] | None = None,
        expect_version: int | None = None,
    ) -> bool:
        """Write what Clockify has, as the agreed copy; whether it was written.

        With ``keep_local_version`` the row's fields are replaced (a merge result) but it stays
        pending, and ``server_fields`` (the server's own copy) becomes the base of the next
        merge; otherwise the row becomes exactly the server's and is synced.

        ``expect_version`` makes the write a compare-and-set: the caller merged the row as it
        was at that version, so an edit committed since (by the GUI, the CLI, another process)
        makes the write a no-op. The edit stays pending and wins; the next pull merges again.
        A row that does not exist yet is inserted only when ``expect_version`` is ``None``.
        """
        fields = json.dumps(dict(server_fields) if server_fields is not None else entry.fields())
        with transaction(self._conn):
            target = local_id or self._local_id(workspace_id, server_id) or entry.id
            exists = self._conn.execute("SELECT 1 FROM entries WHERE id = ?", (target,)).fetchone()
            if exists is None:
                if expect_version is not None:
                    return False  # the row was deleted outright meanwhile
                self._conn.execute(
                    "INSERT INTO entries (workspace_id, start, end, description, project_id, "
                    "task_id, tag_ids, billable, custom_fields, id, server_id, version, "
                    "synced_version, synced, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?)",
                    (*values(entry), target, server_id, fields, time.time()),
                )
                return True
            bump = "version + 1" if keep_local_version else "version"
            synced_version = "synced_version" if keep_local_version else "version"
            guard = "" if expect_version is None else " AND version = ?"
            return bool(
                self._conn.execute(
                    "UPDATE entries SET workspace_id = ?, start = ?, end = ?, description = ?, "
                    "project_id = ?, task_id = ?, tag_ids = ?, billable = ?, custom_fields = ?, "
                    f"server_id = ?, synced = ?, version = {bump}, "
                    f"synced_version = {synced_version}, in_flight = 0 WHERE id = ?{guard}",
                    (
                        *values(entry),
                        server_id,
                        fields,
                        target,
                        *(() if expect_version is None else (expect_version,)),
                    ),
                ).rowcount
            )

    def forget_remote(self, entry_ids: Iterable[str]) -> None:
        """Remove synced rows that Clockify no longer has (deleted there)."""
        with transaction(self._conn):
            self._conn.executemany(
                "DELETE FROM entries WHERE id = ? AND version = synced_version",
                [(entry_id,) for entry_id in entry_ids],
            )

    def _local_id(self, workspace_id: str, server_id: str) -> str | None:
        raw = self._conn.execute(
            "SELECT id FROM entries WHERE workspace_id = ? AND server_id = ?",
            (workspace_id, server_id),
        ).fetchone()
        return None if raw is None else str(raw[0])

    def server_ids_between(
        self, workspace_id: str, start: datetime, end: datetime
    ) -> dict[str, str]:
        """server id → local id for synced-at-some-point rows starting in ``[start, end)``."""
        rows = self._conn.execute(
            "SELECT server_id, id FROM entries WHERE workspace_id = ? AND server_id IS NOT NULL "
            "AND start >= ? AND start < ?",
            (workspace_id, stamp(start), stamp(end)),
        )
        return {server_id: local_id for server_id, local_id in rows}
