"""Typed events for what local changes did, and the journal they are kept in.

Every change to entries (:func:`tracker.services.undo.commit`, and undo) journals what it
did in its own transaction: a timer started, stopped or discarded, an entry created, edited
or deleted. The app adds ``sync.failed`` and ``idle.detected``. ``tracker events`` prints the
journal and the app's hooks run on it, whichever process (tray, hotkey, CLI) made the change.

An event stores the entry's fields as they were written (nothing more is read to write it:
a click pays one ``INSERT``); :func:`event_json` adds the names and sync state when it is
read, in the shape ``tracker today --json`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tracker.domain.model import Entry
from tracker.services.context import Context
from tracker.services.views import Views
from tracker.store import EntryRow, Event, Store

__all__ = ["Kind", "event_json", "journal", "kind_of", "record"]


class Kind(StrEnum):
    """What an event says happened."""

    TIMER_STARTED = "timer.started"
    TIMER_STOPPED = "timer.stopped"
    TIMER_DISCARDED = "timer.discarded"
    ENTRY_CREATED = "entry.created"
    ENTRY_EDITED = "entry.edited"
    ENTRY_DELETED = "entry.deleted"
    SYNC_FAILED = "sync.failed"
    IDLE_DETECTED = "idle.detected"


KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)


def kind_of(before: Entry | None, after: Entry | None) -> Kind | None:
    """What writing ``after`` over ``before`` did (``None``: nothing)."""
    if after is None:
        if before is None:
            return None
        return Kind.TIMER_DISCARDED if before.running else Kind.ENTRY_DELETED
    if before is None:
        return Kind.TIMER_STARTED if after.running else Kind.ENTRY_CREATED
    if before.running and not after.running:
        return Kind.TIMER_STOPPED
    if after.running and not before.running:
        return Kind.TIMER_STARTED  # an undone stop: the timer runs again
    return Kind.ENTRY_EDITED


def snapshot(entry: Entry) -> dict[str, Any]:
    """An entry's written fields, as the journal keeps them."""
    return {"id": entry.id, "workspace_id": entry.workspace_id, **entry.fields()}


def journal(context: Context, pairs: Iterable[tuple[Entry | None, Entry | None]]) -> None:
    """Journal what each ``(before, after)`` pair did, inside the caller's transaction (one
    statement for all of them)."""
    rows: list[tuple[str, str | None, dict[str, Any]]] = []
    for before, after in pairs:
        kind = kind_of(before, after)
        written = after if after is not None else before
        if kind is not None and written is not None:
            rows.append((kind.value, written.id, {"entry": snapshot(written)}))
    context.store.events.append_in(rows)


def record(store: Store, kind: Kind, data: dict[str, Any]) -> int:
    """Journal an event of the app's own (a failed sync round, idle time found) in its own
    transaction; returns its id."""
    with store.transaction():
        return store.events.append_in([(kind.value, None, data)])[0]


def event_json(context: Context, event: Event) -> dict[str, Any]:
    """The event as ``tracker events --json`` prints it and hooks read it on stdin.

    ``entry`` has the shape of an entry in ``tracker today --json``: the fields as the change
    wrote them, with names and sync state as they are when read.
    """
    out: dict[str, Any] = {
        "id": event.id,
        "kind": event.kind,
        "at": datetime.fromtimestamp(event.at, UTC).isoformat(),
    }
    data = dict(event.data)
    written = data.pop("entry", None)
    if isinstance(written, dict):
        out["entry"] = _entry_json(context, written)
    out.update(data)
    return out


def _entry_json(context: Context, written: dict[str, Any]) -> dict[str, Any]:
    """The journal's copy of an entry, shown with today's names and the row's sync state."""
    try:
        fields = {k: v for k, v in written.items() if k not in ("id", "workspace_id")}
        blank = Entry(
            id=str(written["id"]),
            workspace_id=str(written["workspace_id"]),
            start=datetime.now(UTC),
        )
        entry = blank.with_fields(fields)
    except (KeyError, TypeError, ValueError):
        return dict(written)  # from a newer tracker, or damaged: shown as kept
    current = context.store.entries.get(entry.id)
    if current is None:
        row = EntryRow(entry, None, 1, 0, None, deleted=True, parked=None, in_flight=False)
    else:
        row = EntryRow(
            entry,
            current.server_id,
            current.version,
            current.synced_version,
            current.synced,
            deleted=current.deleted,
            parked=current.parked,
            in_flight=current.in_flight,
        )
    shown = Views(context).entry(row).to_json()
    if row.deleted:
        shown["deleted"] = True
    return shown
