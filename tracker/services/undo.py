"""Writing changes with their undo record, and undoing them.

A change is one transaction: the entries it writes and one undo record holding each touched
entry as it was before (``None`` for an entry the change created). Undo restores those
copies as a new local edit, so sync sends the restored entry like any other edit; the undo
record itself never reaches Clockify.

Undo record rows: ``{"id": local id, "before": {"workspace_id": ..., **Entry.fields()} | None}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tracker.domain.model import Entry, Task
from tracker.domain.rules import check_entry, check_unlocked
from tracker.services.approval_locks import locked_reason
from tracker.services.changes import entry_changes
from tracker.services.context import Context
from tracker.services.errors import ServiceError
from tracker.services.events import journal
from tracker.services.invoice_locks import invoiced_reason

__all__ = ["Change", "commit", "undo_last"]


@dataclass(frozen=True)
class Change:
    """One entry's change: ``before`` ``None`` creates, ``after`` ``None`` deletes.

    ``what`` names the entry in an error about it when the change touches several entries
    ("the running entry"), so the person knows which one to fix.
    """

    before: Entry | None
    after: Entry | None
    what: str = ""


def snapshot(entry: Entry) -> dict[str, Any]:
    """An entry as JSON-able values, enough to bring it back exactly."""
    return {"workspace_id": entry.workspace_id, **entry.fields()}


def revive(entry_id: str, data: dict[str, Any]) -> Entry:
    """The entry a :func:`snapshot` was taken of."""
    fields = {name: value for name, value in data.items() if name != "workspace_id"}
    blank = Entry(id=entry_id, workspace_id=data["workspace_id"], start=datetime.now(UTC))
    return blank.with_fields(fields)


def validate(context: Context, changes: Sequence[Change]) -> None:
    """Refuse (with every problem) unless each new entry obeys the workspace's rules.

    The entry as it was is checked against the lock too: moving an entry out of a locked
    period changes locked time as much as moving one in.
    """
    rules = context.rules()
    fields = context.custom_fields()
    now = context.now()
    messages: list[str] = []
    for change in changes:
        problems: list[str] = []
        if change.before is not None:
            problems.extend(check_unlocked(change.before.start, rules))
        problems.extend(
            p for p in approval_locks(context, change.before, change.after) if p not in problems
        )
        if change.before is not None:
            invoiced = invoiced_reason(context.store, context.workspace_id, change.before.id)
            if invoiced is not None and invoiced not in problems:
                problems.append(invoiced)
        if change.after is not None:
            problems.extend(
                p
                for p in check_entry(
                    change.after,
                    rules,
                    now=now,
                    fields=fields,
                    # Only asked where tasks are required: it reads the project's tasks.
                    task_required_ok=not rules.require_task
                    or _project_has_tasks(context, change.after),
                )
                if p not in problems
            )
        if problems and change.what:
            messages.append(f"Cannot change {change.what}:")
            messages.extend(f"  {p}" for p in problems)
        else:
            messages.extend(problems)
    if messages:
        raise ServiceError("\n".join(messages))


def approval_locks(context: Context, *entries: Entry | None) -> list[str]:
    """Why the entries' days cannot change: each lies in a period of mine that Clockify has
    approved (as last fetched; :mod:`tracker.services.approval_locks`)."""
    user_id = context.store.meta.account_user_id()
    if user_id is None:
        return []
    zone = context.zone()
    reasons: list[str] = []
    for entry in entries:
        if entry is None or entry.workspace_id != context.workspace_id:
            continue
        reason = locked_reason(
            context.store.conn, entry.workspace_id, user_id, entry.start.astimezone(zone).date()
        )
        if reason is not None and reason not in reasons:
            reasons.append(reason)
    return reasons


def _project_has_tasks(context: Context, entry: Entry) -> bool:
    if entry.project_id is None:
        return True
    return any(
        isinstance(item, Task) for item in context.store.catalog.children("task", entry.project_id)
    )


def commit(context: Context, label: str, changes: Sequence[Change]) -> None:
    """Validate and write ``changes`` with one undo record, inside the caller's transaction,
    note what they change (:mod:`tracker.services.changes`) and journal it
    (:mod:`tracker.services.events`)."""
    validate(context, changes)
    stamp = context.clock().timestamp()
    entries = context.store.entries
    rows: list[dict[str, Any]] = []
    for change in changes:
        if change.after is not None:
            entries.save_in(change.after, stamp)
            rows.append(
                {
                    "id": change.after.id,
                    "before": None if change.before is None else snapshot(change.before),
                }
            )
        elif change.before is not None:
            entries.delete_in(change.before.id, stamp)
            rows.append({"id": change.before.id, "before": snapshot(change.before)})
    context.store.meta.push_undo_in(label, rows)
    pairs = [(change.before, change.after) for change in changes]
    journal(context, pairs)
    context.note(entry_changes(pairs, context.zone(), context.now()))


def _must_touch(label: str, rows: list[dict[str, Any]], entry_id: str | None) -> None:
    """Refuse unless the undo record ``label``/``rows`` changed ``entry_id`` (any, if
    ``None``)."""
    if entry_id is not None and entry_id not in {str(row.get("id")) for row in rows}:
        raise ServiceError(f"Something else changed since ({label}); undo from the today window.")


def undo_last(context: Context, *, touching: str | None = None) -> str:
    """Restore what the newest change overwrote; returns its label.

    ``touching`` (an entry id) undoes the newest change only if it changed that entry: an
    undo button offered for one change must never undo a later one made meanwhile.

    Raises:
        ServiceError: nothing to undo, the newest change is not about ``touching``, or the
            restore would touch locked time or leave two timers running; the record then
            stays for a later try.
    """
    store = context.store
    with store.transaction():
        record = store.meta.pop_undo_in()
        if record is None:
            raise ServiceError("Nothing to undo.")
        label, rows = record
        _must_touch(label, rows, touching)
        rules = context.rules()
        stamp = context.clock().timestamp()
        touched = {str(row["id"]) for row in rows}
        written: list[tuple[Entry | None, Entry | None]] = []
        for row in reversed(rows):
            entry_id = str(row["id"])
            current = store.entries.get(entry_id)
            live = current is not None and not current.deleted
            before = None if row["before"] is None else revive(entry_id, row["before"])
            problems: list[str] = []
            if live and current is not None:
                problems.extend(check_unlocked(current.entry.start, rules))
            problems.extend(
                p
                for p in approval_locks(
                    context, current.entry if live and current else None, before
                )
                if p not in problems
            )
            if before is not None:
                problems.extend(p for p in check_unlocked(before.start, rules) if p not in problems)
                if before.running:
                    other = store.entries.running(before.workspace_id)
                    if other is not None and other.id not in touched:
                        problems.append(
                            "Another timer is running now; stop or discard it, then undo again."
                        )
            if problems:
                raise ServiceError(f"Cannot undo the {label}: " + " ".join(problems))
            if before is not None:
                # save_in revives a tombstone in place (keeping its Clockify id) or inserts.
                store.entries.save_in(before, stamp)
            elif live:
                store.entries.delete_in(entry_id, stamp)
            written.append((current.entry if live and current is not None else None, before))
        journal(context, written)
        context.note(entry_changes(written, context.zone(), context.now()))
    return label
