"""Reference data: clients, projects, tasks, tags and custom field definitions.

One table holds them all (``kind`` tells which), because they share everything sync cares
about: a local id, a server id once Clockify has them, a name, archived, and ``dirty`` for one
created here that Clockify has not seen yet. Kind-specific fields live in ``data`` as JSON.
A reference to another row (a task's project, a project's client) is its local id.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any, Literal

from tracker.domain.model import Client, CustomFieldDef, Project, Tag, Task
from tracker.store.db import transaction
from tracker.store.meta import replace_favourite

__all__ = ["CatalogStore", "Kind", "Ref"]

log = logging.getLogger("tracker.store")

Kind = Literal["client", "project", "task", "tag", "field"]
Ref = Client | Project | Task | Tag | CustomFieldDef


def kind_of(item: Ref) -> Kind:
    """The ``kind`` a value is stored under."""
    kinds: dict[type[Any], Kind] = {
        Client: "client",
        Project: "project",
        Task: "task",
        Tag: "tag",
        CustomFieldDef: "field",
    }
    return kinds[type(item)]


def _columns(item: Ref) -> tuple[str | None, bool, dict[str, Any]]:
    """(parent id, archived, kind-specific data) of a value."""
    if isinstance(item, Project):
        return item.client_id, item.archived, {"color": item.color, "billable": item.billable}
    if isinstance(item, Task):
        estimate = item.estimate.total_seconds() if item.estimate is not None else None
        return item.project_id, item.done, {"estimate": estimate}
    if isinstance(item, CustomFieldDef):
        data = {"type": item.kind, "required": item.required, "allowed": list(item.allowed_values)}
        return None, not item.active, data
    return None, item.archived, {}


def _data(kind: str, local_id: str, data_text: Any) -> dict[str, Any]:
    """An item's kind-specific fields: a cache of Clockify's (the next refresh rewrites it),
    so fields that cannot be read count as unset, with a warning in the log."""
    try:
        data = json.loads(data_text)
        if not isinstance(data, dict):
            raise ValueError(f"holds JSON {type(data).__name__}, not an object")
    except (TypeError, ValueError) as exc:
        log.warning(
            "the %s %r in the store cannot be read (%s); its details count as unset",
            kind,
            local_id,
            exc,
        )
        return {}
    return data


def _value(kind: str, raw: tuple[Any, ...]) -> Ref:
    local_id, workspace_id, name, parent_id, archived, data_text = raw
    data = _data(kind, local_id, data_text)
    if kind == "project":
        return Project(
            local_id,
            workspace_id,
            name,
            client_id=parent_id,
            color=data.get("color"),
            billable=bool(data.get("billable")),
            archived=bool(archived),
        )
    if kind == "task":
        estimate = data.get("estimate")
        return Task(
            local_id,
            workspace_id,
            parent_id or "",
            name,
            done=bool(archived),
            estimate=timedelta(seconds=estimate) if isinstance(estimate, int | float) else None,
        )
    if kind == "field":
        return CustomFieldDef(
            local_id,
            workspace_id,
            name,
            kind=data.get("type") or "TXT",
            required=bool(data.get("required")),
            allowed_values=tuple(data.get("allowed") or ()),
            active=not archived,
        )
    if kind == "client":
        return Client(local_id, workspace_id, name, archived=bool(archived))
    return Tag(local_id, workspace_id, name, archived=bool(archived))


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True)


_SELECT = "SELECT id, workspace_id, name, parent_id, archived, data FROM refs"


class CatalogStore:
    """Reads and writes reference data on one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def all(self, kind: Kind, workspace_id: str, *, archived: bool = False) -> list[Ref]:
        """Every item of a kind, by name; archived (or done) ones only when asked."""
        where = "" if archived else " AND archived = 0"
        rows = self._conn.execute(
            f"{_SELECT} WHERE kind = ? AND workspace_id = ?{where} ORDER BY name COLLATE NOCASE",
            (kind, workspace_id),
        )
        return [_value(kind, raw) for raw in rows]

    def get(self, kind: Kind, local_id: str) -> Ref | None:
        """One item by local id."""
        raw = self._conn.execute(
            f"{_SELECT} WHERE kind = ? AND id = ?", (kind, local_id)
        ).fetchone()
        return None if raw is None else _value(kind, raw)

    def children(self, kind: Kind, parent_id: str, *, archived: bool = False) -> list[Ref]:
        """Items whose parent is ``parent_id`` (a project's tasks)."""
        where = "" if archived else " AND archived = 0"
        rows = self._conn.execute(
            f"{_SELECT} WHERE kind = ? AND parent_id = ?{where} ORDER BY name COLLATE NOCASE",
            (kind, parent_id),
        )
        return [_value(kind, raw) for raw in rows]

    def named(self, kind: Kind, workspace_id: str, name: str) -> list[Ref]:
        """Items whose name is ``name``, ignoring case (several when names repeat)."""
        rows = self._conn.execute(
            f"{_SELECT} WHERE kind = ? AND workspace_id = ? AND name = ? COLLATE NOCASE",
            (kind, workspace_id, name),
        )
        return [_value(kind, raw) for raw in rows]

    def server_id(self, kind: Kind, local_id: str) -> str | None:
        """The Clockify id of an item, once Clockify has it."""
        raw = self._conn.execute(
            "SELECT server_id FROM refs WHERE kind = ? AND id = ?", (kind, local_id)
        ).fetchone()
        return None if raw is None or raw[0] is None else str(raw[0])

    def local_id(self, kind: Kind, workspace_id: str, server_id: str) -> str | None:
        """The local id of the item Clockify knows by ``server_id``."""
        raw = self._conn.execute(
            "SELECT id FROM refs WHERE kind = ? AND workspace_id = ? AND server_id = ?",
            (kind, workspace_id, server_id),
        ).fetchone()
        return None if raw is None else str(raw[0])

    def local_ids(self, kind: Kind, workspace_id: str) -> dict[str, str]:
        """Clockify's id → the local id, for every item of a kind Clockify has (one read)."""
        rows = self._conn.execute(
            "SELECT server_id, id FROM refs WHERE kind = ? AND workspace_id = ? "
            "AND server_id IS NOT NULL",
            (kind, workspace_id),
        )
        return {str(server): str(local) for server, local in rows}

    def unsent(self, kind: Kind, workspace_id: str) -> list[Ref]:
        """Items created here that Clockify does not have yet."""
        rows = self._conn.execute(
            f"{_SELECT} WHERE kind = ? AND workspace_id = ? AND dirty = 1 AND parked IS NULL "
            "ORDER BY rowid",
            (kind, workspace_id),
        )
        return [_value(kind, raw) for raw in rows]

    def count(self, kind: Kind, workspace_id: str) -> int:
        """How many items of a kind the workspace has (archived included)."""
        (number,) = self._conn.execute(
            "SELECT count(*) FROM refs WHERE kind = ? AND workspace_id = ?", (kind, workspace_id)
        ).fetchone()
        return int(number)

    def add_local(self, item: Ref) -> None:
        """Store an item created here; sync creates it on Clockify before entries that use it."""
        parent, archived, data = _columns(item)
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO refs (kind, id, workspace_id, server_id, name, parent_id, archived, "
                "data, dirty) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, 1)",
                (
                    kind_of(item),
                    item.id,
                    item.workspace_id,
                    item.name,
                    parent,
                    archived,
                    json.dumps(data),
                ),
            )

    def mark_sent(self, kind: Kind, local_id: str, server_id: str) -> None:
        """Clockify created the item under ``server_id``."""
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE refs SET server_id = ?, dirty = 0, parked = NULL, sent_at = NULL, "
                "sent_boot = NULL, looked_at = NULL WHERE kind = ? AND id = ?",
                (server_id, kind, local_id),
            )

    def mark_in_flight(self, kind: Kind, local_id: str, at: float, boot: str | None) -> None:
        """Record, durably, that a create of the item goes out ``at`` (wall-clock seconds;
        ``boot``: on this boot's clock).

        Until Clockify's copy is found by name, or the horizon past which Clockify can no
        longer commit it has passed, sync never sends the create again (sync rule 3).
        """
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE refs SET sent_at = ?, sent_boot = ?, looked_at = NULL "
                "WHERE kind = ? AND id = ?",
                (at, boot, kind, local_id),
            )

    def note_looked(self, kind: Kind, local_id: str, at: float) -> None:
        """Sync looked for an unclear create by name ``at`` and did not find it (a send time
        after ``at``, from a clock that ran ahead, becomes ``at``)."""
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE refs SET looked_at = ?, sent_at = min(sent_at, ?) "
                "WHERE kind = ? AND id = ? AND sent_at IS NOT NULL",
                (at, at, kind, local_id),
            )

    def record_not_sent(self, kind: Kind, local_id: str) -> None:
        """The create certainly did not land: the next push may send it."""
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE refs SET sent_at = NULL, sent_boot = NULL, looked_at = NULL "
                "WHERE kind = ? AND id = ?",
                (kind, local_id),
            )

    def flight(self, kind: Kind, local_id: str) -> tuple[float, str | None, float | None] | None:
        """An unclear create of the item: when it went out (wall clock, boot clock) and when
        it was last looked for; ``None`` when none is out."""
        raw = self._conn.execute(
            "SELECT sent_at, sent_boot, looked_at FROM refs WHERE kind = ? AND id = ? "
            "AND dirty = 1 AND sent_at IS NOT NULL",
            (kind, local_id),
        ).fetchone()
        if raw is None:
            return None
        sent_at, boot, looked = raw
        return float(sent_at), boot, None if looked is None else float(looked)

    def unclear_count(self, workspace_id: str) -> int:
        """Items whose create went out with no clear answer and is not settled yet."""
        (count,) = self._conn.execute(
            "SELECT count(*) FROM refs WHERE workspace_id = ? AND dirty = 1 "
            "AND sent_at IS NOT NULL AND parked IS NULL",
            (workspace_id,),
        ).fetchone()
        return int(count)

    def merge_into(self, kind: Kind, local_id: str, target_id: str) -> None:
        """Fold an item made here into an existing one with the same name (same transaction
        for every reference to it), as connecting an account does for local-only data."""
        columns = {"project": "project_id", "task": "task_id"}
        with transaction(self._conn):
            if kind in columns:
                owner = self._conn.execute(
                    "SELECT workspace_id FROM refs WHERE kind = ? AND id = ?", (kind, local_id)
                ).fetchone()
                if owner is not None:
                    replace_favourite(self._conn, owner[0], local_id, target_id)
            if kind in columns:
                column = columns[kind]
                self._conn.execute(
                    f"UPDATE entries SET {column} = ?, version = version + 1 WHERE {column} = ?",
                    (target_id, local_id),
                )
            elif kind == "tag":
                rows = self._conn.execute(
                    "SELECT id, tag_ids FROM entries WHERE tag_ids LIKE ?", (f'%"{local_id}"%',)
                ).fetchall()
                for entry_id, tag_text in rows:
                    tags = sorted({target_id if t == local_id else t for t in json.loads(tag_text)})
                    self._conn.execute(
                        "UPDATE entries SET tag_ids = ?, version = version + 1 WHERE id = ?",
                        (json.dumps(tags), entry_id),
                    )
            self._conn.execute(
                "UPDATE refs SET parent_id = ? WHERE parent_id = ?", (target_id, local_id)
            )
            self._conn.execute("DELETE FROM refs WHERE kind = ? AND id = ?", (kind, local_id))

    def park(self, kind: Kind, local_id: str, reason: str) -> None:
        """Clockify refused to create the item; keep it and say why."""
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE refs SET parked = ?, sent_at = NULL WHERE kind = ? AND id = ?",
                (reason, kind, local_id),
            )

    def replace_from_server(
        self, kind: Kind, workspace_id: str, items: Iterable[tuple[str, Ref]]
    ) -> int:
        """Make the server's list of a kind the truth (one transaction).

        ``items`` are (server id, value with *server* parent ids) pairs. Parent ids are mapped
        to local ids; rows Clockify no longer lists are marked archived, not dropped, so old
        entries still show their project's name. Items created here and not sent yet stay.
        """
        count = 0
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE refs SET archived = 1 WHERE kind = ? AND workspace_id = ? "
                "AND server_id IS NOT NULL",
                (kind, workspace_id),
            )
            for server_id, item in items:
                parent, archived, data = _columns(item)
                if parent is not None:
                    parent = self._parent_local_id(kind, workspace_id, parent)
                local = self.local_id(kind, workspace_id, server_id) or server_id
                self._conn.execute(
                    "INSERT INTO refs (kind, id, workspace_id, server_id, name, parent_id, "
                    "archived, data, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) "
                    "ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name, "
                    "parent_id = excluded.parent_id, archived = excluded.archived, "
                    "data = excluded.data, server_id = excluded.server_id",
                    (
                        kind,
                        local,
                        workspace_id,
                        server_id,
                        item.name,
                        parent,
                        archived,
                        json.dumps(data),
                    ),
                )
                count += 1
        return count

    def _parent_local_id(self, kind: Kind, workspace_id: str, server_parent: str) -> str:
        parent_kind: Kind = "project" if kind == "task" else "client"
        return self.local_id(parent_kind, workspace_id, server_parent) or server_parent

    def names(self, kind: Kind, ids: Sequence[str]) -> dict[str, str]:
        """Local id → name for the given ids (for display)."""
        if not ids:
            return {}
        marks = ",".join("?" for _ in ids)
        rows = self._conn.execute(
            f"SELECT id, name FROM refs WHERE kind = ? AND id IN ({marks})", (kind, *ids)
        )
        return {local_id: name for local_id, name in rows}
