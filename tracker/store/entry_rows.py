"""An entry's row on disk: its columns, the :class:`EntryRow` they make, and reading them
back checked column by column (SQLite keeps any type in any column, and a damaged file must
name the entry and the column, never hand a wrong value on or skip recorded time)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker.domain.model import Entry, SyncState
from tracker.store.errors import damaged

__all__ = ["COLUMNS", "UNREADABLE", "EntryRow", "decode", "read_row", "stamp", "values"]

COLUMNS = (
    "id, workspace_id, server_id, start, end, description, project_id, task_id, tag_ids, "
    "billable, custom_fields, version, synced_version, synced, deleted, parked, in_flight, sent, "
    "sent_at, sent_boot, looked_at"
)


@dataclass(frozen=True)
class EntryRow:
    """An entry with its sync bookkeeping."""

    entry: Entry
    server_id: str | None
    version: int
    synced_version: int
    synced: dict[str, Any] | None
    deleted: bool
    parked: str | None
    in_flight: bool
    sent: dict[str, Any] | None = None
    """While ``in_flight``: the fields the create carried (``None`` from older stores)."""
    sent_at: float | None = None
    """While ``in_flight``: when that create went out, in wall-clock seconds."""
    sent_boot: str | None = None
    """While ``in_flight``: when that create went out on this boot's clock (``boot:seconds``)."""
    looked_at: float | None = None
    """While ``in_flight``: when sync last looked for it on Clockify."""

    @property
    def id(self) -> str:
        """The local id."""
        return self.entry.id

    @property
    def pending(self) -> bool:
        """Whether something about this row still has to reach Clockify."""
        return self.version != self.synced_version

    @property
    def unclear(self) -> bool:
        """Whether a create went out with no clear answer: Clockify may or may not have it."""
        return self.in_flight and self.server_id is None

    def state(self, *, connected: bool) -> SyncState:
        """What the user is shown about this row."""
        if self.parked:
            return SyncState.PARKED
        if not connected:
            return SyncState.LOCAL_ONLY
        if self.unclear:
            return SyncState.UNCLEAR
        return SyncState.PENDING if self.pending else SyncState.SYNCED


def stamp(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def _instant(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


class _Damaged(ValueError):
    """A column holds what tracker never writes there."""


def _typed(value: Any, kind: type | tuple[type, ...], column: str) -> Any:
    """``value`` if it is a ``kind``; else :class:`_Damaged` naming the column."""
    if isinstance(value, kind) and not isinstance(value, bool):
        return value
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    raise _Damaged(f"{column} holds {type(value).__name__} {shown}")


_NAMES = tuple(name.strip() for name in COLUMNS.split(","))
_NULLABLE = (str, type(None))
_KINDS: tuple[type | tuple[type, ...], ...] = (
    str,  # id
    str,  # workspace_id
    _NULLABLE,  # server_id
    int,  # start
    (int, type(None)),  # end
    str,  # description
    _NULLABLE,  # project_id
    _NULLABLE,  # task_id
    str,  # tag_ids
    int,  # billable
    str,  # custom_fields
    int,  # version
    int,  # synced_version
    _NULLABLE,  # synced
    int,  # deleted
    _NULLABLE,  # parked
    int,  # in_flight
    _NULLABLE,  # sent
    (float, int, type(None)),  # sent_at
    _NULLABLE,  # sent_boot
    (float, int, type(None)),  # looked_at
)
"""What SQLite may hand back for each column of :data:`COLUMNS` (it keeps any type in any
column, so what was read is checked, never assumed)."""


def _json(text: str, kind: type, column: str) -> Any:
    """A JSON column's value, which must be a ``kind``."""
    if text in ("[]", "{}"):  # most rows: no tags, no custom fields
        value: Any = [] if text == "[]" else {}
    else:
        try:
            value = json.loads(text)
        except ValueError:
            shown = text if len(text) <= 40 else text[:37] + "..."
            raise _Damaged(f"{column} is not valid JSON ({shown!r})") from None
    if not isinstance(value, kind):
        raise _Damaged(f"{column} holds JSON {type(value).__name__}, not {kind.__name__}")
    return value


def read_row(raw: sqlite3.Row | tuple[Any, ...], path: Path | None = None) -> EntryRow:
    """A row as read, checked column by column.

    Raises:
        StoreDamagedError: a column holds what tracker never writes; the message names the
            entry and the column. The row is never skipped: that would hide recorded time.
    """
    try:
        return decode(raw)
    except UNREADABLE as exc:
        raise damaged(path or "file", f"entry {raw[0]!r} cannot be read: {exc}") from exc


UNREADABLE = (_Damaged, OverflowError, OSError, ValueError)


def decode(raw: sqlite3.Row | tuple[Any, ...]) -> EntryRow:
    if not all(map(isinstance, raw, _KINDS)):  # one pass in C for the usual, sound row
        for value, kind, name in zip(raw, _KINDS, _NAMES, strict=True):
            _typed(value, kind, name)
    (
        local_id,
        workspace_id,
        server_id,
        start,
        end,
        description,
        project_id,
        task_id,
        tag_ids,
        billable,
        custom_fields,
        version,
        synced_version,
        synced,
        deleted,
        parked,
        in_flight,
        sent,
        sent_at,
        sent_boot,
        looked_at,
    ) = raw
    tags = _json(tag_ids, list, "tag_ids")
    for tag in tags:
        _typed(tag, str, "an item of tag_ids")
    entry = Entry(
        id=local_id,
        workspace_id=workspace_id,
        start=datetime.fromtimestamp(start, UTC),
        end=_instant(end),
        description=description,
        project_id=project_id,
        task_id=task_id,
        tag_ids=tuple(tags),
        billable=bool(billable),
        custom_fields=_json(custom_fields, dict, "custom_fields"),
    )
    return EntryRow(
        entry=entry,
        server_id=server_id,
        version=version,
        synced_version=synced_version,
        synced=_json(synced, dict, "synced") if synced else None,
        deleted=bool(deleted),
        parked=parked,
        in_flight=bool(in_flight),
        sent=_json(sent, dict, "sent") if sent and in_flight else None,
        sent_at=float(sent_at) if in_flight and sent_at is not None else None,
        sent_boot=sent_boot if in_flight else None,
        looked_at=float(looked_at) if in_flight and looked_at is not None else None,
    )


def values(entry: Entry) -> tuple[Any, ...]:
    return (
        entry.workspace_id,
        stamp(entry.start),
        stamp(entry.end),
        entry.description,
        entry.project_id,
        entry.task_id,
        json.dumps(sorted(entry.tag_ids)),
        int(entry.billable),
        json.dumps(dict(entry.custom_fields), sort_keys=True),
    )
