"""Small things the store remembers: settings-like values, workspaces, the profile,
the shared request budget, conflicts to show, and the undo stack."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from tracker.domain.model import Profile, WorkspaceInfo, WorkspaceRules
from tracker.store.db import transaction

__all__ = ["Conflict", "MetaStore"]

R = TypeVar("R")

REJECTED_REMOTE = "rejected_remote"


@dataclass(frozen=True)
class Conflict:
    """A field that both sides changed: the local value was kept, the server's overwritten."""

    seq: int
    entry_id: str
    field: str
    kept: Any
    overwritten: Any
    at: float


class MetaStore:
    """Key-value facts, workspaces, profile, budget state, conflicts and undo."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # --- key-value ------------------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        """A stored JSON value."""
        raw = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if raw is None else json.loads(raw[0])

    def set(self, key: str, value: Any) -> None:
        """Store a JSON value (``None`` removes it)."""
        with transaction(self._conn):
            self.set_in(key, value)

    def set_in(self, key: str, value: Any) -> None:
        """:meth:`set` inside the caller's transaction."""
        if value is None:
            self._conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def update(self, key: str, change: Callable[[Any], tuple[Any, R]]) -> R:
        """Read, change and write one value atomically across processes."""
        with transaction(self._conn):
            new, result = change(self.get(key))
            self.set_in(key, new)
            return result

    # --- workspaces and profile -----------------------------------------------------------

    def save_workspace(self, workspace: WorkspaceInfo) -> None:
        """Remember a workspace and its rules."""
        rules = asdict(workspace.rules)
        if workspace.rules.locked_before is not None:
            rules["locked_before"] = workspace.rules.locked_before.isoformat()
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO workspaces (id, name, free_plan, rules, fetched_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                "free_plan = excluded.free_plan, rules = excluded.rules, "
                "fetched_at = excluded.fetched_at",
                (workspace.id, workspace.name, workspace.free_plan, json.dumps(rules), time.time()),
            )

    def workspaces(self) -> list[WorkspaceInfo]:
        """Every remembered workspace, by name."""
        rows = self._conn.execute(
            "SELECT id, name, free_plan, rules FROM workspaces ORDER BY name COLLATE NOCASE"
        )
        return [_workspace(*raw) for raw in rows]

    def workspace(self, workspace_id: str) -> WorkspaceInfo | None:
        """One remembered workspace."""
        raw = self._conn.execute(
            "SELECT id, name, free_plan, rules FROM workspaces WHERE id = ?", (workspace_id,)
        ).fetchone()
        return None if raw is None else _workspace(*raw)

    def profile(self) -> Profile:
        """The user's profile as last fetched (empty in local-only mode)."""
        data = self.get("profile") or {}
        capacity = data.pop("daily_capacity", None)
        data["working_days"] = tuple(data.get("working_days") or ())
        return Profile(
            **data, daily_capacity=None if capacity is None else timedelta(seconds=capacity)
        )

    def save_profile(self, profile: Profile) -> None:
        """Remember the profile."""
        data = asdict(profile)
        capacity = profile.daily_capacity
        data["daily_capacity"] = None if capacity is None else capacity.total_seconds()
        data["working_days"] = list(profile.working_days)
        self.set("profile", data)

    # --- what sync could not read ---------------------------------------------------------

    def rejected_remote(self) -> list[dict[str, Any]]:
        """Items Clockify sent that sync skipped as unreadable, newest first
        (``{"id", "reason", "at"}``)."""
        value = self.get(REJECTED_REMOTE)
        if not isinstance(value, list):
            return []
        return [item for item in value if isinstance(item, dict)]

    def remember_rejected(
        self, rejected: list[tuple[str | None, str]], at: float, *, keep: int = 50
    ) -> None:
        """Put newly skipped items first; an item already listed for the same reason moves up."""
        fresh = [{"id": item, "reason": reason, "at": at} for item, reason in rejected]
        seen = set(rejected)

        def change(value: Any) -> tuple[Any, None]:
            known = value if isinstance(value, list) else []
            older = [
                old
                for old in known
                if isinstance(old, dict) and (old.get("id"), old.get("reason")) not in seen
            ]
            return (fresh + older)[:keep], None

        self.update(REJECTED_REMOTE, change)

    # --- conflicts ------------------------------------------------------------------------

    def add_conflict(self, entry_id: str, field: str, kept: Any, overwritten: Any) -> None:
        """Record that ``overwritten`` (the server's value) lost to ``kept`` (the local one)."""
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO conflicts (entry_id, field, kept, overwritten, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (entry_id, field, json.dumps(kept), json.dumps(overwritten), time.time()),
            )

    def conflicts(self, *, unseen_only: bool = False, limit: int = 100) -> list[Conflict]:
        """Recorded conflicts, newest first."""
        where = " WHERE seen = 0" if unseen_only else ""
        rows = self._conn.execute(
            "SELECT seq, entry_id, field, kept, overwritten, at FROM conflicts"
            f"{where} ORDER BY seq DESC LIMIT ?",
            (limit,),
        )
        return [
            Conflict(seq, entry_id, field, json.loads(kept), json.loads(overwritten), at)
            for seq, entry_id, field, kept, overwritten, at in rows
        ]

    def mark_conflicts_seen(self) -> None:
        """The user has been told."""
        with transaction(self._conn):
            self._conn.execute("UPDATE conflicts SET seen = 1 WHERE seen = 0")

    # --- undo -----------------------------------------------------------------------------

    def push_undo_in(self, label: str, rows: list[dict[str, Any]]) -> None:
        """Remember how to undo a change (inside the caller's transaction); keeps the last 50."""
        self._conn.execute(
            "INSERT INTO undo (label, rows, at) VALUES (?, ?, ?)",
            (label, json.dumps(rows), time.time()),
        )
        self._conn.execute(
            "DELETE FROM undo WHERE seq NOT IN (SELECT seq FROM undo ORDER BY seq DESC LIMIT 50)"
        )

    def pop_undo_in(self) -> tuple[str, list[dict[str, Any]]] | None:
        """Take the newest undo record (inside the caller's transaction)."""
        raw = self._conn.execute(
            "SELECT seq, label, rows FROM undo ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if raw is None:
            return None
        self._conn.execute("DELETE FROM undo WHERE seq = ?", (raw[0],))
        return str(raw[1]), json.loads(raw[2])


def _workspace(workspace_id: str, name: str, free_plan: int, rules_text: str) -> WorkspaceInfo:
    rules = json.loads(rules_text)
    locked = rules.pop("locked_before", None)
    return WorkspaceInfo(
        workspace_id,
        name,
        WorkspaceRules(
            **rules,
            locked_before=datetime.fromisoformat(locked).astimezone(UTC) if locked else None,
        ),
        free_plan=bool(free_plan),
    )
