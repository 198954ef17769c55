"""Small things the store remembers: settings-like values, workspaces, the profile,
the shared request budget, conflicts to show, and the undo stack.

Everything here but the undo stack is a setting or a cache that the next write replaces (a
sync refetches the profile and the workspaces), so a value that cannot be read is taken as
unset, with a warning in the log, rather than stopping every command. A damaged undo record
is an error instead: undoing something else than what the person expects would be worse.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, MutableSet
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

from tracker.domain.model import Profile, WorkspaceInfo, WorkspaceRules
from tracker.store.db import StoreConnection, path_of, transaction
from tracker.store.errors import damaged

__all__ = [
    "ACCOUNT",
    "AUTH_REQUIRED",
    "BUDGET",
    "FAVOURITES",
    "LAST_SYNC",
    "PULLED",
    "REFS",
    "REJECTED_REMOTE",
    "WELCOME_SHOWN",
    "WORKSPACE_ID",
    "Conflict",
    "MetaStore",
]

R = TypeVar("R")

WORKSPACE_ID = "workspace_id"
"""The workspace new entries go to; unset in local-only mode before any login."""
ACCOUNT = "account"
"""The connected account (``user_id``, ``name``, ``email``, ``api_url``); unset: local-only."""
AUTH_REQUIRED = "auth_required"
"""Clockify's message when it refused the API key; unset while the key is good."""
LAST_SYNC = "last_sync"
"""The record of the newest sync round (when, whether complete, what it did)."""
BUDGET = "budget"
"""The shared request budget's state (the ledger's own format)."""
REJECTED_REMOTE = "rejected_remote"
"""Server items sync skipped as unreadable (the newest ones, for ``tracker doctor``)."""
REFS = "refs_at"
"""Prefix of when a workspace's reference data (projects, tasks, tags...) was last fetched."""
PULLED = "pulled_at"
"""Prefix of when a workspace's recent time entries were last pulled."""
WELCOME_SHOWN = "welcome_shown"
"""Set once the welcome window was shown (or the store was found not new): never again."""
FAVOURITES = "favourites"
"""Prefix of a workspace's favourite project and task ids. Kept here only: Clockify's API has
no per-user favourites (only the workspace's ``projectFavorites`` switch)."""

log = logging.getLogger("tracker.store")

_PROFILE_TYPES: dict[str, tuple[type, ...]] = {
    "user_id": (str, type(None)),
    "name": (str, type(None)),
    "email": (str, type(None)),
    "time_zone": (str, type(None)),
    "week_start": (str,),
    "daily_capacity": (int, float, type(None)),
    "working_days": (list,),
}
_RULE_FLAGS = ("require_project", "require_task", "require_tags", "require_description")


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
        self._texts: dict[str, str | None] = {}
        """Each key's stored text as last read (``None``: no row), valid while
        :attr:`_seen` is the store's :meth:`_version`."""
        self._typed: dict[str, Any] = {}
        """What the typed accessors made of those texts (immutable values), valid as long."""
        self._seen: tuple[int, int] | None = None
        self._checked: tuple[int | None, int] | None = None
        """The open transaction and the own-writes count when :attr:`_seen` was last checked."""

    # --- key-value ------------------------------------------------------------------------

    def _version(self) -> tuple[int, int]:
        """What changes whenever any value may have: ``PRAGMA data_version`` moves when
        another connection (the worker's, a CLI process) commits, and :meth:`_own_writes`
        when this connection writes one."""
        raw = self._conn.execute("PRAGMA data_version").fetchone()
        return int(raw[0]), self._own_writes()

    def _own_writes(self) -> int:
        """A count that moves with each write of a meta value through this connection:
        every such write goes through :meth:`set_in` (of this object or another on the same
        connection); on a connection of another kind, every row it wrote counts."""
        conn = self._conn
        return conn.meta_writes if isinstance(conn, StoreConnection) else conn.total_changes

    def _current(self) -> None:
        """Forget what was read unless nothing was written since (one cheap statement, and
        none at all when it was checked earlier in the transaction still open: no other
        connection commits into it)."""
        conn = self._conn
        serial = getattr(conn, "serial", None)
        within = conn.in_transaction and serial is not None
        if within and self._checked == (serial, self._own_writes()):
            return
        version = self._version()
        if version != self._seen:
            self._texts.clear()
            self._typed.clear()
            self._seen = version
        self._checked = (serial, self._own_writes()) if within else None

    def _keeps(self) -> bool:
        """Whether what is read now may be kept: outside a transaction, or in a read snapshot
        before any write of this connection (a rollback could take that back)."""
        conn = self._conn
        return not conn.in_transaction or getattr(conn, "reading_from", None) == (
            conn.total_changes
        )

    def _text(self, key: str) -> str | None:
        """A key's stored text, read once per version of the store.

        Read inside a write transaction it is not kept: a rollback could take it back
        without moving the version (see :meth:`_keeps`)."""
        self._current()
        if key in self._texts:
            return self._texts[key]
        raw = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        text = None if raw is None else raw[0]
        if self._keeps():
            self._texts[key] = text
        return text

    def _typed_value(self, name: str, make: Callable[[], R]) -> R:
        """``make()`` (which reads through :meth:`get`) kept until the store changes."""
        self._current()
        if name in self._typed:
            return cast(R, self._typed[name])
        value = make()
        if self._keeps():
            self._typed[name] = value
        return value

    def get(self, key: str, default: Any = None) -> Any:
        """A stored JSON value; one that cannot be read counts as unset (and is logged).

        Each call parses afresh (callers may change what they get); the text is read from
        the store only when it may have changed since (see :meth:`_current`)."""
        text = self._text(key)
        if text is None:
            return default
        try:
            return json.loads(text)
        except (TypeError, ValueError) as exc:
            self._unreadable(f"setting {key!r}", exc)
            return default

    def _unreadable(self, what: str, exc: Exception) -> None:
        log.warning(
            "%s in the store %s cannot be read (%s); taken as unset until it is written again",
            what,
            path_of(self._conn),
            exc,
        )

    def set(self, key: str, value: Any) -> None:
        """Store a JSON value (``None`` removes it)."""
        with transaction(self._conn):
            self.set_in(key, value)

    def set_in(self, key: str, value: Any) -> None:
        """:meth:`set` inside the caller's transaction (the one way a meta value is written:
        what every MetaStore on this connection keeps is read again)."""
        if isinstance(self._conn, StoreConnection):
            self._conn.meta_writes += 1
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

    # --- the values several layers share, typed ---------------------------------------------

    def workspace_id(self) -> str | None:
        """The chosen workspace's id; ``None`` before one is chosen (local-only)."""
        return self._typed_value(WORKSPACE_ID, self._workspace_id)

    def _workspace_id(self) -> str | None:
        value = self.get(WORKSPACE_ID)
        return str(value) if value else None

    def set_workspace_id(self, workspace_id: str | None) -> None:
        """Choose the workspace new entries go to (``None`` forgets the choice)."""
        self.set(WORKSPACE_ID, workspace_id)

    def account(self) -> dict[str, Any] | None:
        """The connected account's facts, or ``None`` in local-only mode (or unreadable)."""
        value = self.get(ACCOUNT)
        return dict(value) if isinstance(value, dict) else None

    def connected(self) -> bool:
        """Whether an account is connected (read on every action: kept while unchanged)."""
        return self._typed_value("connected", lambda: self.account() is not None)

    def account_user_id(self) -> str | None:
        """The connected account's Clockify user id, or ``None`` (local-only, unreadable)."""
        return self._typed_value("account_user_id", self._account_user_id)

    def _account_user_id(self) -> str | None:
        user_id = (self.account() or {}).get("user_id")
        return user_id if isinstance(user_id, str) and user_id else None

    def set_account(self, account: dict[str, Any] | None) -> None:
        """Remember the connected account; ``None`` makes the store local-only."""
        self.set(ACCOUNT, account)

    def auth_required(self) -> str | None:
        """Clockify's message when it refused the key (sync waits for a new one)."""
        value = self.get(AUTH_REQUIRED)
        return str(value) if value else None

    def set_auth_required(self, message: str | None) -> None:
        """Record that the key was refused (``None``: it is good again)."""
        self.set(AUTH_REQUIRED, message)

    def last_sync(self) -> dict[str, Any] | None:
        """The newest sync round's record, if any round ran."""
        value = self.get(LAST_SYNC)
        return dict(value) if isinstance(value, dict) else None

    def set_last_sync(self, record: dict[str, Any]) -> None:
        """Record the round that just ended."""
        self.set(LAST_SYNC, record)

    def fetched_at(self, what: str, workspace_id: str) -> float | None:
        """When ``what`` (:data:`REFS` or :data:`PULLED`) was last fetched for a workspace, as a
        POSIX timestamp (``None``: never, or unreadable)."""
        value = self.get(f"{what}:{workspace_id}")
        return float(value) if isinstance(value, int | float) else None

    def set_fetched_at(self, what: str, workspace_id: str, when: float) -> None:
        """Record a fetch of ``what`` for a workspace (see :meth:`fetched_at`)."""
        self.set(f"{what}:{workspace_id}", when)

    def favourites(self, workspace_id: str) -> frozenset[str]:
        """The project and task ids the person pinned in a workspace (unreadable: none)."""
        value = self.get(f"{FAVOURITES}:{workspace_id}")
        if not isinstance(value, list):
            return frozenset()
        return frozenset(item for item in value if isinstance(item, str) and item)

    def set_favourites(self, workspace_id: str, change: Callable[[MutableSet[str]], None]) -> None:
        """Apply ``change`` to a workspace's favourite ids, atomically across processes (the
        app and a CLI call may pin at once)."""

        def apply(value: Any) -> tuple[Any, None]:
            listed = value if isinstance(value, list) else []
            ids = {i for i in listed if isinstance(i, str) and i}
            change(ids)
            return (sorted(ids) or None), None

        self.update(f"{FAVOURITES}:{workspace_id}", apply)

    def move_favourites_in(self, source: str, target: str) -> None:
        """Add ``source``'s favourites to ``target``'s, inside the caller's transaction (the
        local-only workspace's items move into an account's workspace with their ids)."""
        moved = self.favourites(source)
        if moved:
            ids = sorted(self.favourites(target) | moved)
            self.set_in(f"{FAVOURITES}:{target}", ids)
            self.set_in(f"{FAVOURITES}:{source}", None)

    def budget(self) -> Any:
        """The request budget's stored state as written by its ledger (``None``: unset)."""
        return self.get(BUDGET)

    # --- workspaces and profile -----------------------------------------------------------

    def save_workspace(self, workspace: WorkspaceInfo) -> None:
        """Remember a workspace and its rules."""
        rules = asdict(workspace.rules)
        if workspace.rules.locked_before is not None:
            rules["locked_before"] = workspace.rules.locked_before.isoformat()
        with transaction(self._conn):
            features = (
                None if workspace.features is None else json.dumps(sorted(workspace.features))
            )
            self._conn.execute(
                "INSERT INTO workspaces (id, name, free_plan, rules, fetched_at, features) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                "free_plan = excluded.free_plan, rules = excluded.rules, "
                "fetched_at = excluded.fetched_at, "
                "features = coalesce(excluded.features, workspaces.features)",
                (
                    workspace.id,
                    workspace.name,
                    workspace.free_plan,
                    json.dumps(rules),
                    time.time(),
                    features,
                ),
            )

    def workspaces(self) -> list[WorkspaceInfo]:
        """Every remembered workspace, by name."""
        rows = self._conn.execute(
            "SELECT id, name, free_plan, rules, features FROM workspaces "
            "ORDER BY name COLLATE NOCASE"
        )
        return [self._workspace(*raw) for raw in rows]

    def workspace(self, workspace_id: str) -> WorkspaceInfo | None:
        """One remembered workspace."""
        raw = self._conn.execute(
            "SELECT id, name, free_plan, rules, features FROM workspaces WHERE id = ?",
            (workspace_id,),
        ).fetchone()
        return None if raw is None else self._workspace(*raw)

    def _workspace(
        self,
        workspace_id: str,
        name: str,
        free_plan: int,
        rules_text: str,
        features_text: str | None = None,
    ) -> WorkspaceInfo:
        try:
            rules = _rules(rules_text)
        except (TypeError, ValueError) as exc:
            self._unreadable(f"the rules of workspace {workspace_id!r}", exc)
            rules = WorkspaceRules()
        features: frozenset[str] | None = None
        if features_text is not None:
            try:
                listed = json.loads(features_text)
                if not isinstance(listed, list):
                    raise TypeError("not a list")
                features = frozenset(str(item) for item in listed)
            except (TypeError, ValueError) as exc:
                self._unreadable(f"the plan's features of workspace {workspace_id!r}", exc)
        return WorkspaceInfo(
            str(workspace_id), str(name), rules, free_plan=bool(free_plan), features=features
        )

    def profile(self) -> Profile:
        """The user's profile as last fetched (empty in local-only mode, or unreadable).

        Read on every action (days are counted in its zone), so it is parsed only when the
        store changed since: always current, rarely parsed.
        """
        return self._typed_value("profile", self._parse_profile)

    def _parse_profile(self) -> Profile:
        data = self.get("profile") or {}
        problem = _profile_problem(data)
        if problem:
            self._unreadable("the profile", ValueError(problem))
            return Profile()
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
            Conflict(seq, entry_id, field, _shown(kept), _shown(overwritten), at)
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
        try:
            rows = json.loads(raw[2])
            if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
                raise ValueError("not a list of changes")
        except (TypeError, ValueError) as exc:
            raise damaged(
                path_of(self._conn) or "file",
                f"the newest undo record ({raw[1]!r}) cannot be read ({exc}), so it cannot be "
                "undone; your entries are as they are now",
            ) from exc
        return str(raw[1]), rows


def replace_favourite(
    conn: sqlite3.Connection, workspace_id: str, old_id: str, new_id: str
) -> None:
    """Pin ``new_id`` where ``old_id`` was pinned, inside the caller's transaction (an item
    made here was folded into an existing one of the same name)."""
    meta = MetaStore(conn)
    pinned = meta.favourites(workspace_id)
    if old_id in pinned:
        ids = sorted((pinned - {old_id}) | {new_id})
        meta.set_in(f"{FAVOURITES}:{workspace_id}", ids)


def _shown(text: Any) -> Any:
    """A conflict's value for display: its raw text when it is not valid JSON."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def _profile_problem(data: Any) -> str | None:
    """What makes a stored profile unusable, if anything."""
    if not isinstance(data, dict):
        return f"holds JSON {type(data).__name__}, not an object"
    for key, value in data.items():
        kinds = _PROFILE_TYPES.get(key)
        if kinds is None:
            return f"has an unknown field {key!r}"
        if not isinstance(value, kinds) or isinstance(value, bool):
            return f"{key} holds {type(value).__name__}"
    if not all(isinstance(day, str) for day in data.get("working_days") or ()):
        return "working_days holds something else than names of days"
    return None


def _rules(rules_text: Any) -> WorkspaceRules:
    """A workspace's stored rules, checked field by field."""
    rules = json.loads(rules_text)
    if not isinstance(rules, dict):
        raise ValueError(f"holds JSON {type(rules).__name__}, not an object")
    unknown = set(rules) - {*_RULE_FLAGS, "locked_before"}
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    if not all(isinstance(rules.get(flag, False), bool) for flag in _RULE_FLAGS):
        raise ValueError("a requirement is not true or false")
    locked = rules.pop("locked_before", None)
    if locked is not None and not isinstance(locked, str):
        raise ValueError("locked_before is not a date")
    return WorkspaceRules(
        **rules,
        locked_before=datetime.fromisoformat(locked).astimezone(UTC) if locked else None,
    )
