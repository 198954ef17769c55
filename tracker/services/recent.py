"""The latest distinct entries: what Continue offers, and what ``continue N`` counts.

Read newest first, a short page at a time, and with names looked up for the few entries
found only: the tray asks on every change, and a large workspace must not pay for its whole
catalog (or hundreds of entries) to label five menu items.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from tracker.domain.model import Entry
from tracker.services.context import Context

__all__ = [
    "FIRST_PAGE",
    "RecentEntry",
    "distinct_latest",
    "recent_entries",
    "suggestions",
    "work_of",
]

FIRST_PAGE = 4
"""Entries read first per distinct one wanted; people repeat a few things, so this mostly
finds enough, and each further read takes eight times as many."""


@dataclass(frozen=True)
class RecentEntry:
    """A past entry offered for Continue, with the names to show."""

    entry: Entry
    label: str
    project: str | None
    task: str | None


def work_of(entry: Entry) -> tuple[Hashable, ...]:
    """What continuing ``entry`` would start again: description, project, task, tags."""
    return (entry.description, entry.project_id, entry.task_id, tuple(sorted(entry.tag_ids)))


def distinct_latest(
    context: Context,
    count: int,
    depth: int,
    key: Callable[[Entry], Hashable] = work_of,
) -> list[Entry]:
    """Up to ``count`` latest entries that differ by ``key``, newest first, leaving out the
    running one; at most ``depth`` entries are looked through."""
    store, workspace = context.store, context.workspace_id
    running = store.entries.running(workspace)
    page = min(FIRST_PAGE * count + 1, depth)  # +1: the running one may be among them
    while True:
        rows = store.entries.latest(workspace, page)
        seen: set[Hashable] = set()
        found: list[Entry] = []
        for row in rows:
            if running is not None and row.id == running.id:
                continue
            mark = key(row.entry)
            if mark in seen:
                continue
            seen.add(mark)
            found.append(row.entry)
            if len(found) >= count:
                return found
        if len(rows) < page or page >= depth:
            return found
        page = min(page * 8, depth)


def recent_entries(context: Context, limit: int, depth: int = 300) -> list[RecentEntry]:
    """The latest ``limit`` distinct past entries with their project and task names."""
    return _named(context, distinct_latest(context, limit, depth))


def suggestions(context: Context, text: str, limit: int = 8) -> list[RecentEntry]:
    """Past work whose description holds ``text``, from the whole history, newest first:
    the latest entry of each description, project and task, so that choosing one brings
    back its project, task, tags and billable as they were last used."""
    rows = context.store.entries.suggestions(context.workspace_id, text, limit)
    return _named(context, [row.entry for row in rows])


def _named(context: Context, entries: list[Entry]) -> list[RecentEntry]:
    """``entries`` with their project and task names, looked up for these entries only."""
    catalog = context.store.catalog
    projects = catalog.names("project", sorted({e.project_id for e in entries if e.project_id}))
    tasks = catalog.names("task", sorted({e.task_id for e in entries if e.task_id}))
    found: list[RecentEntry] = []
    for entry in entries:
        project = projects.get(entry.project_id or "")
        task = tasks.get(entry.task_id or "")
        label = entry.description or "(no description)"
        if project is not None:
            label += f" — {project}" + (f": {task}" if task else "")
        found.append(RecentEntry(entry, label, project, task))
    return found
