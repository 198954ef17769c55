"""Manual entries, edits of every field, split, delete, and undo round trips."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.clock import FakeClock
from tests.unit.services.conftest import START, connect
from tracker.domain.model import CustomFieldDef, Entry, WorkspaceRules
from tracker.services import LOCAL_WORKSPACE, NotFound, ServiceError, Tracker
from tracker.store import Store

HOUR = timedelta(hours=1)


def stored(tracker: Tracker, entry_id: str) -> Entry:
    row = tracker.store.entries.get(entry_id)
    assert row is not None
    assert not row.deleted
    return row.entry


def test_add_with_an_end_or_a_duration(tracker: Tracker) -> None:
    tracker.catalog.create_project("Website")
    first = tracker.entries.add(START - 3 * HOUR, START - 2 * HOUR, "Planning", project="Website")
    second = tracker.entries.add(
        START - 2 * HOUR, description="Review", duration=timedelta(minutes=45)
    )
    assert stored(tracker, first.id) == first
    assert first.end == START - 2 * HOUR
    assert second.end == START - 2 * HOUR + timedelta(minutes=45)


def test_add_needs_exactly_one_of_end_and_duration(tracker: Tracker) -> None:
    with pytest.raises(ServiceError, match="either an end or a duration"):
        tracker.entries.add(START - HOUR)
    with pytest.raises(ServiceError, match="either an end or a duration"):
        tracker.entries.add(START - HOUR, START, duration=HOUR)


def test_add_checks_the_rules(store: Store, tracker: Tracker) -> None:
    connect(store, WorkspaceRules(require_description=True))
    with pytest.raises(ServiceError, match="requires a description"):
        tracker.entries.add(START - HOUR, START)
    with pytest.raises(ServiceError, match="end is before the start"):
        tracker.entries.add(START, START - HOUR, "backwards")
    with pytest.raises(ServiceError, match="longer than 999 hours"):
        tracker.entries.add(START - 1000 * HOUR, START, "long")
    assert store.entries.latest("ws1", 5) == []


def test_locked_periods_refuse_adding_and_moving_out(store: Store, tracker: Tracker) -> None:
    old = tracker.entries.add(START - 48 * HOUR, START - 47 * HOUR, "old")
    store.move_workspace(LOCAL_WORKSPACE, "ws1")
    connect(store, WorkspaceRules(locked_before=START - 24 * HOUR))
    with pytest.raises(ServiceError, match="is locked in this workspace"):
        tracker.entries.add(START - 30 * HOUR, START - 29 * HOUR, "late")
    with pytest.raises(ServiceError, match="is locked in this workspace"):
        tracker.entries.edit(old.id, start=START - 2 * HOUR, end=START - HOUR)
    with pytest.raises(ServiceError, match="is locked in this workspace"):
        tracker.entries.delete(old.id)
    assert stored(tracker, old.id).start == START - 48 * HOUR


def test_edit_text_tags_and_billable(tracker: Tracker) -> None:
    tag = tracker.catalog.create_tag("dev")
    entry = tracker.entries.add(START - HOUR, START, "draft")
    edited = tracker.entries.edit(entry.id, description="final", tags=["dev"], billable=True)
    assert (edited.description, edited.tag_ids, edited.billable) == ("final", (tag.id,), True)
    cleared = tracker.entries.edit(entry.id, tags=[])
    assert cleared.tag_ids == ()
    assert stored(tracker, entry.id) == cleared


def test_edit_project_drops_a_task_of_another_project(tracker: Tracker) -> None:
    web = tracker.catalog.create_project("Website")
    app = tracker.catalog.create_project("App")
    deploy = tracker.catalog.create_task(web, "Deploy")
    entry = tracker.entries.add(START - HOUR, START, "x", project="Website", task="Deploy")
    assert entry.task_id == deploy.id

    moved = tracker.entries.edit(entry.id, project="App")
    assert (moved.project_id, moved.task_id) == (app.id, None)
    cleared = tracker.entries.edit(entry.id, project="")
    assert (cleared.project_id, cleared.task_id) == (None, None)


def test_edit_task_within_the_entrys_project_first(tracker: Tracker) -> None:
    web = tracker.catalog.create_project("Website")
    app = tracker.catalog.create_project("App")
    web_review = tracker.catalog.create_task(web, "Review")
    tracker.catalog.create_task(app, "Review")
    entry = tracker.entries.add(START - HOUR, START, "x", project="Website")
    assert tracker.entries.edit(entry.id, task="review").task_id == web_review.id
    assert tracker.entries.edit(entry.id, task="").task_id is None


def test_edit_times(tracker: Tracker) -> None:
    entry = tracker.entries.add(START - 2 * HOUR, START - HOUR, "x")
    moved = tracker.entries.edit(entry.id, start=START - 3 * HOUR)
    assert (moved.start, moved.end) == (START - 3 * HOUR, START - HOUR)
    longer = tracker.entries.edit(entry.id, duration=timedelta(minutes=30))
    assert longer.end == START - 3 * HOUR + timedelta(minutes=30)
    both = tracker.entries.edit(entry.id, start=START - 2 * HOUR, duration=HOUR)
    assert (both.start, both.end) == (START - 2 * HOUR, START - HOUR)
    with pytest.raises(ServiceError, match="end is before the start"):
        tracker.entries.edit(entry.id, end=START - 5 * HOUR)
    with pytest.raises(ServiceError, match="not both"):
        tracker.entries.edit(entry.id, end=START, duration=HOUR)
    with pytest.raises(ServiceError, match="negative"):
        tracker.entries.edit(entry.id, duration=-HOUR)


def test_lengths_and_times_outside_the_range_are_refused_before_any_arithmetic(
    tracker: Tracker,
) -> None:
    entry = tracker.entries.add(START - 2 * HOUR, START - HOUR, "x")
    huge = timedelta(days=999_999_999)
    far = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    early = datetime(1, 1, 1, tzinfo=UTC)
    attempts: list[tuple[Callable[[], object], str]] = [
        (lambda: tracker.entries.add(START, duration=huge), "at most 999 hours"),
        (lambda: tracker.entries.add(START, duration=timedelta(hours=1000)), "at most 999 hours"),
        (lambda: tracker.entries.add(START, duration=-HOUR), "negative"),
        (lambda: tracker.entries.add(far, duration=HOUR), "out of range"),
        (lambda: tracker.entries.add(early, START), "out of range"),
        (lambda: tracker.entries.add(START, far), "out of range"),
        (lambda: tracker.entries.edit(entry.id, duration=huge), "at most 999 hours"),
        (lambda: tracker.entries.edit(entry.id, start=far), "out of range"),
        (lambda: tracker.entries.edit(entry.id, end=far), "out of range"),
        (lambda: tracker.entries.split(entry.id, early), "out of range"),
    ]
    for attempt, message in attempts:
        with pytest.raises(ServiceError, match=message):
            attempt()
    assert stored(tracker, entry.id) == entry
    assert tracker.entries.add(START, duration=999 * HOUR).end == START + 999 * HOUR


def test_edit_the_running_entry(tracker: Tracker, clock: FakeClock) -> None:
    started = tracker.timer.start("work").started
    now = clock.advance(hours=1)
    backdated = tracker.entries.edit(started.id, start=START - timedelta(minutes=15))
    assert backdated.running
    with pytest.raises(ServiceError, match="cannot be stopped in the future"):
        tracker.entries.edit(started.id, end=now + HOUR)
    stopped = tracker.entries.edit(started.id, duration=timedelta(minutes=30))
    assert stopped.end == START + timedelta(minutes=15)
    assert tracker.timer.running() is None


def test_an_edit_that_changes_nothing_leaves_no_undo_record(store: Store, tracker: Tracker) -> None:
    entry = tracker.entries.add(START - HOUR, START, "same")
    assert tracker.entries.edit(entry.id, description="same") == entry
    assert tracker.entries.undo().startswith('undid add of "same"')
    assert store.entries.get(entry.id) is None


def test_edit_and_undo_round_trip(tracker: Tracker) -> None:
    tracker.catalog.create_project("Website")
    entry = tracker.entries.add(START - HOUR, START, "before", project="Website")
    tracker.entries.edit(entry.id, description="after", project="", start=START - 2 * HOUR)
    label = tracker.entries.undo()
    assert label == 'undid edit of "before" Mon 02 Mar 08:00-09:00'
    assert stored(tracker, entry.id) == entry


def test_split_a_finished_entry_and_undo(tracker: Tracker) -> None:
    tracker.catalog.create_tag("dev")
    entry = tracker.entries.add(START - 2 * HOUR, START, "long", tags=["dev"], billable=True)
    first, second = tracker.entries.split(entry.id, START - HOUR)
    assert first.id == entry.id
    assert (first.start, first.end) == (START - 2 * HOUR, START - HOUR)
    assert (second.start, second.end) == (START - HOUR, START)
    assert (second.description, second.tag_ids, second.billable) == (
        "long",
        entry.tag_ids,
        True,
    )
    assert tracker.entries.undo().startswith('undid split of "long"')
    assert stored(tracker, entry.id) == entry
    assert tracker.store.entries.get(second.id) is None


def test_split_the_running_entry_keeps_the_second_part_running(
    tracker: Tracker, clock: FakeClock
) -> None:
    started = tracker.timer.start("work").started
    clock.advance(hours=2)
    first, second = tracker.entries.split(started.id, START + HOUR)
    assert first.end == START + HOUR
    assert second.running
    assert tracker.timer.running() == second


def test_split_outside_the_entry_is_refused(tracker: Tracker) -> None:
    entry = tracker.entries.add(START - HOUR, START, "x")
    for at in (START - HOUR, START, START + HOUR):
        with pytest.raises(
            ServiceError, match="Split inside the entry: after 08:00 and before 09:00"
        ):
            tracker.entries.split(entry.id, at)


def test_delete_and_undo_an_entry_clockify_never_had(store: Store, tracker: Tracker) -> None:
    entry = tracker.entries.add(START - HOUR, START, "local")
    tracker.entries.delete(entry.id)
    assert store.entries.get(entry.id) is None  # never sent: simply gone
    assert tracker.entries.undo() == 'undid delete of "local" Mon 02 Mar 08:00-09:00'
    assert stored(tracker, entry.id) == entry


def test_delete_and_undo_a_synced_entry_keeps_its_clockify_id(
    store: Store, tracker: Tracker
) -> None:
    connect(store)
    entry = tracker.entries.add(START - HOUR, START, "synced")
    row = store.entries.get(entry.id)
    assert row is not None
    store.entries.record_synced(
        entry.id, server_id="srv1", sent_version=row.version, server_fields=entry.fields()
    )
    tracker.entries.delete(entry.id)
    tombstone = store.entries.get(entry.id)
    assert tombstone is not None
    assert tombstone.deleted
    assert tombstone.pending
    with pytest.raises(NotFound):
        tracker.find(entry.id)

    tracker.entries.undo()
    revived = store.entries.get(entry.id)
    assert revived is not None
    assert (revived.deleted, revived.server_id, revived.entry) == (False, "srv1", entry)
    assert revived.pending  # the revival is sent like any edit


def test_undo_walks_back_in_order(tracker: Tracker, clock: FakeClock) -> None:
    tracker.timer.start("a")
    clock.advance(minutes=10)
    tracker.timer.start("b")
    clock.advance(minutes=10)
    tracker.timer.stop()
    labels = [tracker.entries.undo() for _ in range(3)]
    assert [label.split(" of ")[0] for label in labels] == [
        "undid stop",
        "undid start",
        "undid start",
    ]
    assert tracker.store.entries.latest(LOCAL_WORKSPACE, 5) == []
    with pytest.raises(ServiceError, match="Nothing to undo"):
        tracker.entries.undo()


def test_undo_will_not_leave_two_timers_running(
    store: Store, tracker: Tracker, clock: FakeClock
) -> None:
    started = tracker.timer.start("a").started
    clock.advance(minutes=10)
    tracker.timer.stop()
    # Another process (or a pull) started a timer without going through this undo stack.
    other = Entry("other", LOCAL_WORKSPACE, clock.now)
    store.entries.save(other)
    with pytest.raises(ServiceError, match="Another timer is running now"):
        tracker.entries.undo()
    tracker.timer.stop()
    tracker.entries.undo()  # the stop of "other"
    store.entries.save(Entry("other", LOCAL_WORKSPACE, clock.now, clock.now))
    assert tracker.entries.undo().startswith("undid stop")
    assert tracker.timer.running() == started


def test_custom_fields_by_name_with_kinds(store: Store, tracker: Tracker) -> None:
    connect(store)
    store.catalog.replace_from_server(
        "field",
        "ws1",
        [
            ("f1", CustomFieldDef("f1", "ws1", "Ticket", required=True)),
            ("f2", CustomFieldDef("f2", "ws1", "Hours", kind="NUMBER")),
            (
                "f3",
                CustomFieldDef(
                    "f3", "ws1", "Kind", kind="DROPDOWN_SINGLE", allowed_values=("a", "b")
                ),
            ),
            ("f4", CustomFieldDef("f4", "ws1", "Done", kind="CHECKBOX")),
        ],
    )
    with pytest.raises(ServiceError, match="The custom field 'Ticket' is required"):
        tracker.entries.add(START - HOUR, START, "x")
    entry = tracker.entries.add(
        START - HOUR,
        START,
        "x",
        fields={"ticket": "ABC-1", "Hours": "1,5", "Kind": "a", "Done": "yes"},
    )
    assert dict(entry.custom_fields) == {"f1": "ABC-1", "f2": 1.5, "f3": "a", "f4": True}
    with pytest.raises(ServiceError, match="allows only: a, b"):
        tracker.entries.edit(entry.id, fields={"Kind": "c"})
    with pytest.raises(ServiceError, match="takes a number"):
        tracker.entries.edit(entry.id, fields={"Hours": "lots"})
    with pytest.raises(ServiceError, match="'Ticket' is required"):
        tracker.entries.edit(entry.id, fields={"Ticket": ""})
    assert dict(tracker.entries.edit(entry.id, fields={"Hours": None}).custom_fields) == {
        "f1": "ABC-1",
        "f3": "a",
        "f4": True,
    }


def test_every_change_lands_as_a_pending_row(store: Store, tracker: Tracker) -> None:
    connect(store)
    entry = tracker.entries.add(START - HOUR, START, "x")
    row = store.entries.get(entry.id)
    assert row is not None
    assert row.pending
    assert row.server_id is None
    assert store.entries.counts("ws1") == (1, 0)


def test_time_is_whole_seconds(tracker: Tracker, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 2, 9, 0, 0, 700_000, tzinfo=UTC)
    assert tracker.timer.start("x").started.start == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_choosing_a_billable_project_makes_the_entry_billable(tracker: Tracker) -> None:
    """Clockify's rule: a project's billable default applies when the project is chosen."""
    paid = tracker.catalog.create_project("Consulting", billable=True)
    free = tracker.catalog.create_project("Internal")
    entry = tracker.entries.add(START - HOUR, START, "call", project="Internal")
    assert not entry.billable
    moved = tracker.entries.edit(entry.id, project=paid.id)
    assert moved.billable
    assert stored(tracker, entry.id).billable
    back = tracker.entries.edit(entry.id, project=free.id)
    assert not back.billable
    # Said explicitly, the person's choice wins over the default.
    chosen = tracker.entries.edit(entry.id, project=paid.id, billable=False)
    assert not chosen.billable
    # Keeping the project (or clearing it) leaves billable as it is.
    kept = tracker.entries.edit(entry.id, project=paid.id, description="call 2")
    assert not kept.billable
    assert not tracker.entries.edit(entry.id, project="").billable


def test_a_task_brings_its_billable_project_along(tracker: Tracker) -> None:
    paid = tracker.catalog.create_project("Consulting", billable=True)
    tracker.catalog.create_task(paid, "Audit")
    entry = tracker.entries.add(START - HOUR, START, "audit")
    assert tracker.entries.edit(entry.id, task="Audit").billable
