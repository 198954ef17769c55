"""How catalog lists filter and sort, the same for projects, tasks, clients and tags.

Clockify's ``name`` filter matches a part of the name, or the whole name with ``strict-name-
search``, ignoring case; its flags (``archived``, ``billable``...) are three-valued (omitted:
both); ``sort-column`` and ``sort-order`` sort, by name unless told otherwise (FACTS §6).
"""

from __future__ import annotations

from typing import Any

from tests.fakeclockify.routing import Request

__all__ = ["name_matches", "sorted_by_request", "tri_state"]


def name_matches(candidate: str, wanted: str | None, *, strict: bool) -> bool:
    if not wanted:
        return True
    if strict:
        return candidate.lower() == wanted.lower()
    return wanted.lower() in candidate.lower()


def tri_state(value: bool | None, actual: bool) -> bool:
    """Clockify's three-valued filters: None = both, True/False = only that."""
    return value is None or value == actual


def sorted_by_request(items: list[Any], req: Request, key_for: dict[str, Any]) -> list[Any]:
    column = (req.first("sort-column") or "NAME").upper()
    descending = (req.first("sort-order") or "ASCENDING").upper() == "DESCENDING"
    key = key_for.get(column, key_for["NAME"])
    return sorted(items, key=key, reverse=descending)
