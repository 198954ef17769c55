"""Wire models: tolerant of what Clockify really sends, strict about what we send."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tracker.api import ResponseFormatError
from tracker.api.models import (
    Client,
    CustomField,
    EntryCreate,
    EntryUpdate,
    MemberProfile,
    Project,
    Tag,
    TagUpdate,
    Task,
    TimeEntry,
    User,
    WireModel,
    Workspace,
    decode,
    decode_list,
)

RUNNING = {
    "id": "64a687e29ae1f428e7ebe303",
    "description": None,
    "tagIds": None,
    "userId": "64a687e29ae1f428e7ebe304",
    "billable": False,
    "taskId": None,
    "projectId": None,
    "workspaceId": "64a687e29ae1f428e7ebe305",
    "timeInterval": {"start": "2026-05-20T14:00:00Z", "end": None, "duration": None},
    "customFieldValues": [{"customFieldId": "cf1", "value": None}],
    "kioskId": None,
    "hourlyRate": None,
    "costRate": {"amount": 0, "currency": "USD"},
    "isLocked": False,
    "type": "REGULAR",
    "currentlyRunning": True,
    "somethingNew": {"nested": [1, 2]},
}


def test_running_entry_with_nulls_everywhere() -> None:
    entry = decode(TimeEntry, RUNNING, what="time entry")
    assert entry.running
    assert entry.description == ""
    assert entry.tag_ids == []
    assert entry.project_id is None
    assert entry.hourly_rate is None
    assert entry.start == datetime(2026, 5, 20, 14, tzinfo=UTC)
    now = datetime(2026, 5, 20, 15, 30, tzinfo=UTC)
    assert entry.elapsed(now) == timedelta(hours=1, minutes=30)


def test_finished_entry_with_long_duration_and_hydrated_parts() -> None:
    data = {
        **RUNNING,
        "timeInterval": {
            "start": "2026-05-20T14:00:00Z",
            "end": "2026-05-24T07:13:28Z",
            "duration": "PT89H13M28S",
        },
        "project": {"id": "p1", "name": "Web", "clientId": "", "duration": "P120H"},
        "tags": [{"id": "t1", "name": "deep work"}],
        "task": {"id": "k1", "name": "Design", "estimate": "", "status": "DONE"},
    }
    entry = decode(TimeEntry, data, what="time entry")
    assert not entry.running
    assert entry.time_interval.duration == timedelta(hours=89, minutes=13, seconds=28)
    assert entry.project is not None
    assert entry.project.client_id is None
    assert entry.project.duration == timedelta(hours=120)
    assert entry.task is not None
    assert not entry.task.active
    assert entry.task.estimate is None


def test_reference_data_quirks() -> None:
    project = decode(
        Project,
        {
            "id": "p",
            "name": "X",
            "hourlyRate": None,
            "estimate": {"estimate": "PT0S", "type": "AUTO"},
            "budgetEstimate": None,
            "public": True,
            "clientId": "",
        },
        what="project",
    )
    assert project.estimate is not None
    assert project.estimate.estimate == timedelta(0)
    assert decode(Client, {"id": "c", "ccEmails": None}, what="client").cc_emails == []
    assert decode(Tag, {"id": "t", "archived": True}, what="tag").archived
    assert decode(Task, {"id": "k", "assigneeIds": None}, what="task").active
    field = decode(CustomField, {"id": "f", "allowedValues": None, "required": True}, what="cf")
    assert field.required
    assert field.allowed_values == []
    assert decode(MemberProfile, {"workCapacity": "PT7H"}, what="p").work_capacity == timedelta(
        hours=7
    )


def test_user_with_null_settings_and_name() -> None:
    user = decode(User, {"id": "u", "name": None, "settings": None}, what="user")
    assert user.name is None
    assert user.settings is None


def test_workspace_plan_and_force_settings() -> None:
    ws = decode(
        Workspace,
        {
            "id": "w",
            "name": "Acme",
            "featureSubscriptionType": {"weird": "object"},  # spec models it as an object
            "workspaceSettings": {"forceProjects": True, "workingDays": None},
        },
        what="workspace",
    )
    assert ws.workspace_settings.force_projects
    assert ws.is_free_plan
    paid = decode(Workspace, {"id": "w", "featureSubscriptionType": "PRO_2021"}, what="ws")
    assert not paid.is_free_plan


@pytest.mark.parametrize(
    ("plan", "free"),
    [
        # The spec's FeaturePlan names (addonSubscriptionPlan), as the API sends them.
        ("FREE", True),
        ("BASIC_2021", False),
        ("STANDARD_2021", False),  # the spec's example
        ("PRO_YEAR_2021", False),
        ("ENTERPRISE_2021", False),
        ("BUNDLE_YEAR_2024", False),
        ("PREMIUM", False),
        ("SELF_HOSTED", False),
        # Not known to be paid: the Free limits, so a team's allowance is never overspent.
        ("TRIAL", True),
        ("SOMETHING_NEW", True),
        ("", True),
        (None, True),
        # The object the spec describes.
        ({"addonSubscriptionPlan": "PRO", "paidPlan": True}, False),
        ({"addonSubscriptionPlan": "FREE", "paidPlan": False}, True),
    ],
)
def test_only_a_plan_known_to_be_paid_lifts_the_free_limits(plan: object, free: bool) -> None:
    ws = decode(Workspace, {"id": "w", "featureSubscriptionType": plan}, what="workspace")
    assert ws.is_free_plan is free


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "text",
        {"id": "x"},  # no timeInterval
        {"id": "x", "timeInterval": {"start": "yesterday"}},
        {"id": "x", "timeInterval": {"start": "2026-01-01T00:00:00Z", "duration": "8000"}},
        {"id": 5, "timeInterval": {"start": "2026-01-01T00:00:00Z"}},
    ],
)
def test_malformed_entries_give_a_typed_error(data: Any) -> None:
    with pytest.raises(ResponseFormatError, match="time entry"):
        decode(TimeEntry, data, what="time entry")


@pytest.mark.parametrize("seconds", [86400000000000.0, float("inf"), 10**30])
def test_absurd_numeric_durations_give_a_typed_error(seconds: float) -> None:
    with pytest.raises(ResponseFormatError, match="out of range"):
        decode(Project, {"id": "p", "duration": seconds}, what="project")


def test_decode_list_wants_a_list() -> None:
    with pytest.raises(ResponseFormatError, match="list of tags"):
        decode_list(Tag, {"id": "t"}, what="tags")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
ENTRY_KEYS = st.sampled_from(
    ["id", "description", "tagIds", "projectId", "timeInterval", "start", "end", "duration"]
)
ENTRYISH = st.recursive(
    JSON,
    lambda children: st.dictionaries(ENTRY_KEYS, children, max_size=6),
    max_leaves=15,
)
MODELS: list[type[WireModel]] = [TimeEntry, Project, Task, Client, Tag, User, Workspace]


@settings(max_examples=300, deadline=None)
@given(data=ENTRYISH, model=st.sampled_from(MODELS))
def test_arbitrary_json_fails_only_with_a_typed_error(data: Any, model: type[WireModel]) -> None:
    try:
        decode(model, data, what="thing")
    except ResponseFormatError as exc:
        message = exc.message
    else:
        return
    assert message.startswith("Clockify sent")


def test_requests_are_strict_and_complete() -> None:
    start = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1)))
    body = EntryUpdate(start=start, description="x", tag_ids=[]).body()
    # Full replace: fields that would be cleared are still sent explicitly.
    assert body == {
        "start": "2026-03-29T00:30:00Z",
        "description": "x",
        "tagIds": [],
        "billable": False,
    }
    with pytest.raises(ValidationError, match="time zone"):
        EntryCreate(start=datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match=r"customFieldValues|extra"):
        EntryCreate.model_validate({"start": start, "customFieldValues": []})
    with pytest.raises(ValidationError):
        EntryCreate(start=start, description="x" * 3001)
    assert TagUpdate(name="t").body() == {"name": "t", "archived": False}
