"""Workspace rules: every problem an entry can have, as the sentence the person reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracker.domain.model import CustomFieldDef, Entry, WorkspaceRules
from tracker.domain.rules import MAX_DESCRIPTION, check_entry, check_unlocked

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
STRICT = WorkspaceRules(
    require_project=True, require_task=True, require_tags=True, require_description=True
)


def entry(**changes: object) -> Entry:
    values: dict[str, object] = {
        "id": "e1",
        "workspace_id": "ws",
        "start": NOW - timedelta(hours=2),
        "end": NOW - timedelta(hours=1),
    }
    values.update(changes)
    return Entry(**values)  # type: ignore[arg-type]


def test_a_plain_entry_in_a_lenient_workspace_is_fine() -> None:
    assert check_entry(entry(), WorkspaceRules(), now=NOW) == []


def test_required_fields_each_have_a_message() -> None:
    problems = check_entry(entry(), STRICT, now=NOW)
    assert problems == [
        "This workspace requires a project on every entry.",
        "This workspace requires a task on every entry.",
        "This workspace requires at least one tag on every entry.",
        "This workspace requires a description on every entry.",
    ]


def test_a_complete_entry_satisfies_a_strict_workspace() -> None:
    full = entry(project_id="p", task_id="t", tag_ids=("g",), description="Work")
    assert check_entry(full, STRICT, now=NOW) == []


def test_a_blank_description_counts_as_missing() -> None:
    rules = WorkspaceRules(require_description=True)
    assert check_entry(entry(description="   "), rules, now=NOW) == [
        "This workspace requires a description on every entry."
    ]


def test_a_running_timer_is_held_to_the_same_rules() -> None:
    running = entry(end=None)
    assert "This workspace requires a project on every entry." in check_entry(
        running, STRICT, now=NOW
    )


def test_a_required_task_on_a_project_without_tasks_says_what_to_do() -> None:
    rules = WorkspaceRules(require_task=True)
    problems = check_entry(entry(project_id="p"), rules, now=NOW, task_required_ok=False)
    assert problems == [
        "This workspace requires a task on every entry, and the project has none yet: "
        "create a task first."
    ]


def test_required_custom_fields() -> None:
    fields = [
        CustomFieldDef("f1", "ws", "Ticket", required=True),
        CustomFieldDef("f2", "ws", "Notes"),
        CustomFieldDef("f3", "ws", "Old", required=True, active=False),
        CustomFieldDef("f4", "ws", "Labels", kind="DROPDOWN_MULTIPLE", required=True),
    ]
    problems = check_entry(
        entry(custom_fields={"f4": []}), WorkspaceRules(), now=NOW, fields=fields
    )
    assert problems == [
        "The custom field 'Ticket' is required.",
        "The custom field 'Labels' is required.",
    ]
    filled = entry(custom_fields={"f1": "ABC-1", "f4": ["x"]})
    assert check_entry(filled, WorkspaceRules(), now=NOW, fields=fields) == []


def test_a_zero_or_false_custom_value_is_a_value() -> None:
    fields = [CustomFieldDef("n", "ws", "Count", kind="NUMBER", required=True)]
    assert (
        check_entry(entry(custom_fields={"n": 0}), WorkspaceRules(), now=NOW, fields=fields) == []
    )


def test_locked_period() -> None:
    rules = WorkspaceRules(locked_before=datetime(2026, 3, 1, tzinfo=UTC))
    old = entry(
        start=datetime(2026, 2, 28, 9, tzinfo=UTC), end=datetime(2026, 2, 28, 10, tzinfo=UTC)
    )
    assert check_entry(old, rules, now=NOW) == [
        "Time before 2026-03-01 00:00 UTC is locked in this workspace; "
        "entries there cannot be added or changed."
    ]
    assert check_entry(entry(), rules, now=NOW) == []
    assert check_unlocked(datetime(2026, 3, 1, tzinfo=UTC), rules) == []


def test_end_before_start() -> None:
    backwards = entry(start=NOW - timedelta(hours=1), end=NOW - timedelta(hours=2))
    assert check_entry(backwards, WorkspaceRules(), now=NOW) == ["The end is before the start."]


def test_zero_length_is_allowed() -> None:
    assert check_entry(entry(start=NOW, end=NOW), WorkspaceRules(), now=NOW) == []


def test_too_long() -> None:
    long = entry(start=NOW - timedelta(hours=1000), end=NOW)
    assert check_entry(long, WorkspaceRules(), now=NOW) == [
        "An entry cannot be longer than 999 hours."
    ]
    just = entry(start=NOW - timedelta(hours=999), end=NOW)
    assert check_entry(just, WorkspaceRules(), now=NOW) == []


def test_a_forgotten_timer_beyond_999_hours() -> None:
    forgotten = entry(start=NOW - timedelta(hours=1000), end=None)
    [problem] = check_entry(forgotten, WorkspaceRules(), now=NOW)
    assert problem.startswith("This timer has run for more than 999 hours")


def test_a_timer_cannot_start_in_the_future_but_a_planned_entry_can() -> None:
    later = NOW + timedelta(hours=1)
    [problem] = check_entry(entry(start=later, end=None), WorkspaceRules(), now=NOW)
    assert problem.startswith("A timer cannot start in the future")
    planned = entry(start=later, end=later + timedelta(hours=1))
    assert check_entry(planned, WorkspaceRules(), now=NOW) == []


@pytest.mark.parametrize(("length", "ok"), [(MAX_DESCRIPTION, True), (MAX_DESCRIPTION + 1, False)])
def test_description_length(length: int, ok: bool) -> None:
    problems = check_entry(entry(description="x" * length), WorkspaceRules(), now=NOW)
    assert (problems == []) is ok
    if not ok:
        assert problems == ["The description has 3001 characters; Clockify allows at most 3000."]


def test_several_problems_are_all_reported() -> None:
    rules = WorkspaceRules(require_project=True, locked_before=NOW)
    assert len(check_entry(entry(), rules, now=NOW)) == 2
