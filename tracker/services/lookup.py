"""Entry ids as people type them: a full id, a short prefix, ``#N`` of today, or ``last``.

Short ids are the shortest prefix (at least six characters) that no other live entry of the
workspace shares. Clockify ids begin with their creation time, so entries made close together
share long prefixes and need a few more characters; ``#N`` is the quick form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from tracker.services.context import Context
from tracker.services.errors import AmbiguousName, NotFound
from tracker.store import EntryRow

__all__ = ["MIN_SHORT", "find_entry", "short_ids"]

MIN_SHORT = 6
_INDEX = re.compile(r"#(\d+)")
_PREFIX = re.compile(r"[0-9a-fA-F]{4,}")


def find_entry(context: Context, ref: str, *, today: Callable[[], Sequence[EntryRow]]) -> EntryRow:
    """The live entry ``ref`` points at.

    ``today`` lists today's entries in the order ``#N`` counts them (the day view's order).

    Raises:
        NotFound: nothing matches.
        AmbiguousName: a prefix matches several entries.
    """
    text = ref.strip()
    store = context.store
    workspace = context.workspace_id
    index = _INDEX.fullmatch(text)
    if index is not None:
        rows = today()
        number = int(index.group(1))
        if not 1 <= number <= len(rows):
            raise NotFound(
                f"There is no entry {text} today (today has {len(rows)}); see `tracker today`."
            )
        return rows[number - 1]
    if text.lower() in ("last", "latest"):
        latest = store.entries.latest(workspace, 1)
        if not latest:
            raise NotFound("There are no entries yet.")
        return latest[0]
    row = store.entries.get(text)
    if row is None or row.deleted or row.entry.workspace_id != workspace:
        row = store.entries.by_server_id(workspace, text)
    if row is not None and not row.deleted:
        return row
    if not _PREFIX.fullmatch(text):
        raise NotFound(f"{text!r} is not an entry id; use the id from `tracker today` or #N.")
    ids = _with_prefix(context, text.lower())
    if not ids:
        raise NotFound(f"No entry has an id starting with {text!r}.")
    if len(ids) > 1:
        raise AmbiguousName(
            "entry", text, [_describe(store.entries.get(i)) for i in ids], plural="entries"
        )
    found = store.entries.get(ids[0])
    assert found is not None
    return found


def _with_prefix(context: Context, prefix: str) -> list[str]:
    # An index range on the primary key instead of LIKE, which SQLite may not index.
    rows = context.store.conn.execute(
        "SELECT id FROM entries WHERE id >= ? AND id < ? AND workspace_id = ? AND deleted = 0 "
        "ORDER BY id LIMIT 10",
        (prefix, prefix + "\U0010ffff", context.workspace_id),
    )
    return [str(entry_id) for (entry_id,) in rows]


def _describe(row: EntryRow | None) -> str:
    if row is None:
        return "?"
    entry = row.entry
    return (
        f"{entry.id}  {entry.start:%Y-%m-%d %H:%M} UTC  {entry.description or '(no description)'}"
    )


def short_ids(context: Context, ids: Iterable[str]) -> dict[str, str]:
    """id → its shortest unique prefix of at least :data:`MIN_SHORT` characters.

    A prefix is unique when it is longer than what the id shares with its neighbours in id
    order (read for all ids at once: a day of 300 entries is one statement, not 600).
    """
    neighbours = context.store.entries.neighbours(context.workspace_id, ids)
    result: dict[str, str] = {}
    for entry_id, around in neighbours.items():
        shared = max((_common(entry_id, n) for n in around if n), default=0)
        result[entry_id] = entry_id[: max(MIN_SHORT, shared + 1)]
    return result


def _common(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length
