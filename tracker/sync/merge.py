"""Three-way merge of one entry, field by field (ARCHITECTURE "Sync rules" 5).

A field changed on one side only takes that side. A field changed on both sides to different
values keeps the local value, and the server's value is reported so the user can see what
was overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tracker.domain.model import ENTRY_FIELDS

__all__ = ["FieldConflict", "MergeResult", "merge"]


@dataclass(frozen=True)
class FieldConflict:
    """Both sides changed ``field``: ``kept`` (local) won over ``overwritten`` (server)."""

    field: str
    kept: Any
    overwritten: Any


@dataclass(frozen=True)
class MergeResult:
    """The merged fields, the conflicts, and whether the server's side changed anything."""

    fields: dict[str, Any]
    conflicts: tuple[FieldConflict, ...]
    took_remote: bool


def merge(
    base: Mapping[str, Any] | None, local: Mapping[str, Any], remote: Mapping[str, Any]
) -> MergeResult:
    """Merge ``local`` and ``remote`` over their common ``base`` (``None``: none known).

    Without a base every differing field counts as changed on both sides, so local wins and
    each difference is reported.
    """
    merged: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    took_remote = False
    for name in ENTRY_FIELDS:
        mine, theirs = local.get(name), remote.get(name)
        original = base.get(name) if base is not None else None
        remote_changed = base is None or theirs != original
        local_changed = base is None or mine != original
        if mine == theirs or not remote_changed:
            merged[name] = mine
        elif not local_changed:
            merged[name] = theirs
            took_remote = True
        else:
            merged[name] = mine
            conflicts.append(FieldConflict(name, mine, theirs))
    return MergeResult(merged, tuple(conflicts), took_remote)
