"""What a workspace allows, checked before anything is stored.

Clockify refuses an entry that breaks the workspace's rules (a forced project, task, tags or
description, a required custom field, a locked period) with a 400, even when only starting a
timer (FACTS §5). Refused offline work would sit parked for hours, so every change is checked
here first and the person sees the problem while they still remember what they meant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tracker.domain.bounds import MAX_DURATION
from tracker.domain.model import CustomFieldDef, Entry, WorkspaceRules, utc

__all__ = [
    "MAX_DESCRIPTION",
    "MAX_DURATION",
    "check_entry",
    "check_unlocked",
    "missing_custom_fields",
]

MAX_DESCRIPTION = 3000
"""Clockify's limit on a description, in characters."""


def check_entry(
    entry: Entry,
    rules: WorkspaceRules,
    *,
    now: datetime,
    fields: Sequence[CustomFieldDef] = (),
    task_required_ok: bool = True,
) -> list[str]:
    """Everything wrong with ``entry`` in a workspace with ``rules``, as sentences.

    A running entry is held to the same rules as a stopped one because Clockify refuses to
    start a timer without a required field. ``task_required_ok`` says whether the entry's
    project has tasks to pick from: when it has none, a missing required task is reported
    with the fix (create a task) instead of a bare "task required".
    An empty list means the entry may be stored.
    """
    problems: list[str] = []
    if rules.require_project and not entry.project_id:
        problems.append("This workspace requires a project on every entry.")
    if rules.require_task and not entry.task_id:
        if task_required_ok or not entry.project_id:
            problems.append("This workspace requires a task on every entry.")
        else:
            problems.append(
                "This workspace requires a task on every entry, and the project has none "
                "yet: create a task first."
            )
    if rules.require_tags and not entry.tag_ids:
        problems.append("This workspace requires at least one tag on every entry.")
    if rules.require_description and not entry.description.strip():
        problems.append("This workspace requires a description on every entry.")
    problems.extend(
        f"The custom field {name!r} is required." for name in missing_custom_fields(entry, fields)
    )
    if len(entry.description) > MAX_DESCRIPTION:
        problems.append(
            f"The description has {len(entry.description)} characters; "
            f"Clockify allows at most {MAX_DESCRIPTION}."
        )
    problems.extend(check_unlocked(entry.start, rules))
    problems.extend(_check_times(entry, utc(now)))
    return problems


def check_unlocked(start: datetime, rules: WorkspaceRules) -> list[str]:
    """A problem when an entry starting at ``start`` lies in the workspace's locked period.

    Services check the entry as it was too: moving an entry out of a locked period is as much
    a change to locked time as moving one in.
    """
    locked = rules.locked_before
    if locked is None or utc(start) >= locked:
        return []
    return [
        f"Time before {locked:%Y-%m-%d %H:%M} UTC is locked in this "
        "workspace; entries there cannot be added or changed."
    ]


def missing_custom_fields(entry: Entry, fields: Sequence[CustomFieldDef]) -> list[str]:
    """Names of the active required custom fields that ``entry`` leaves empty."""
    return [
        definition.name
        for definition in fields
        if definition.active and definition.required and _empty(entry.custom_fields, definition.id)
    ]


def _empty(values: Mapping[str, Any], field_id: str) -> bool:
    value = values.get(field_id)
    if value is None:
        return True
    if isinstance(value, str | list | tuple):
        return not (value.strip() if isinstance(value, str) else value)
    return False


def _check_times(entry: Entry, now: datetime) -> list[str]:
    if entry.end is None:
        if entry.start > now:
            return [
                "A timer cannot start in the future "
                f"({entry.start:%Y-%m-%d %H:%M} UTC is after now)."
            ]
        if now - entry.start > MAX_DURATION:
            return [
                "This timer has run for more than 999 hours, which Clockify refuses: "
                "stop it at the time you really stopped, or correct its start."
            ]
        return []
    if entry.end < entry.start:
        return ["The end is before the start."]
    if entry.end - entry.start > MAX_DURATION:
        return ["An entry cannot be longer than 999 hours."]
    return []
