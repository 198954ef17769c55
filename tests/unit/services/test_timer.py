"""The running timer: start, stop, continue, discard, backdate, and the rules at start."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers.clock import FakeClock
from tests.unit.services.conftest import START, connect
from tracker.domain.model import Project, WorkspaceRules
from tracker.services import LOCAL_WORKSPACE, NotFound, ServiceError, Tracker
from tracker.services.timer import CLOCK_BEHIND, stop_note
from tracker.store import Store


def test_start_creates_a_running_entry_with_names_resolved(tracker: Tracker) -> None:
    project = tracker.catalog.create_project("Website")
    tag = tracker.catalog.create_tag("dev")
    task = tracker.catalog.create_task("Website", "Backend")

    result = tracker.timer.start("  Fix bug ", project="web", task="back", tags=["DEV"])

    entry = result.started
    assert result.stopped is None
    assert entry.running
    assert entry.start == START
    assert entry.description == "Fix bug"
    assert (entry.project_id, entry.task_id, entry.tag_ids) == (project.id, task.id, (tag.id,))
    assert entry.workspace_id == LOCAL_WORKSPACE
    assert tracker.timer.running() == entry


def test_billable_defaults_to_the_projects_setting(tracker: Tracker) -> None:
    tracker.catalog.create_project("Paid", billable=True)
    assert tracker.timer.start(project="Paid").started.billable is True
    assert tracker.timer.start(project="Paid", billable=False).started.billable is False
    assert tracker.timer.start().started.billable is False


def test_a_task_alone_brings_its_project(tracker: Tracker) -> None:
    project = tracker.catalog.create_project("Website")
    tracker.catalog.create_task(project, "Deploy")
    entry = tracker.timer.start(task="Deploy").started
    assert entry.project_id == project.id


def test_starting_stops_the_running_entry_at_the_same_instant(
    tracker: Tracker, clock: FakeClock
) -> None:
    first = tracker.timer.start("one").started
    later = clock.advance(minutes=25)

    result = tracker.timer.start("two")

    assert result.stopped is not None
    assert result.stopped.id == first.id
    assert result.stopped.end == later == result.started.start
    assert tracker.store.entries.get(first.id).entry.end == later  # type: ignore[union-attr]
    assert [r.entry.description for r in tracker.store.entries.latest(LOCAL_WORKSPACE, 5)] == [
        "two",
        "one",
    ]


def test_start_at_backdates_and_stops_the_running_one_there(
    tracker: Tracker, clock: FakeClock
) -> None:
    tracker.timer.start("one")
    now = clock.advance(hours=1)
    result = tracker.timer.start("two", at=now - timedelta(minutes=10))
    assert result.started.start == now - timedelta(minutes=10)
    assert result.stopped is not None
    assert result.stopped.end == now - timedelta(minutes=10)


def test_start_in_the_future_is_refused(tracker: Tracker) -> None:
    with pytest.raises(ServiceError, match="cannot start in the future"):
        tracker.timer.start("soon", at=START + timedelta(minutes=5))
    assert tracker.timer.running() is None


def test_start_before_the_running_entry_is_refused(tracker: Tracker, clock: FakeClock) -> None:
    tracker.timer.start("one")
    clock.advance(hours=1)
    with pytest.raises(ServiceError, match="started at 09:00; a new one cannot start before it"):
        tracker.timer.start("two", at=START - timedelta(minutes=1))
    running = tracker.timer.running()
    assert running is not None
    assert running.description == "one"


def test_a_required_project_is_enforced_at_start(store: Store, tracker: Tracker) -> None:
    connect(store, WorkspaceRules(require_project=True))
    with pytest.raises(ServiceError, match="requires a project") as caught:
        tracker.timer.start("no project")
    assert caught.value.message == "This workspace requires a project on every entry."
    assert tracker.timer.running() is None
    assert store.meta.pop_undo_in() is None


def test_a_running_entry_that_breaks_the_rules_blocks_the_switch(
    store: Store, tracker: Tracker, clock: FakeClock
) -> None:
    tracker.timer.start("untagged")
    connect(store, WorkspaceRules(require_tags=True))
    store.move_workspace(LOCAL_WORKSPACE, "ws1")
    tracker.catalog.create_tag("dev")
    clock.advance(minutes=5)
    with pytest.raises(ServiceError) as caught:
        tracker.timer.start("tagged", tags=["dev"])
    assert caught.value.message == (
        "Cannot change the running entry:\n"
        "  This workspace requires at least one tag on every entry."
    )
    running = tracker.timer.running()
    assert running is not None
    assert running.description == "untagged"


def test_stop(tracker: Tracker, clock: FakeClock) -> None:
    started = tracker.timer.start("work").started
    now = clock.advance(minutes=90)
    stopped = tracker.timer.stop()
    assert stopped.id == started.id
    assert stopped.end == now
    assert tracker.timer.running() is None


def test_stop_at(tracker: Tracker, clock: FakeClock) -> None:
    tracker.timer.start("work")
    now = clock.advance(hours=2)
    assert tracker.timer.stop(at=now - timedelta(minutes=30)).end == now - timedelta(minutes=30)


def test_stop_mistakes(tracker: Tracker, clock: FakeClock) -> None:
    with pytest.raises(ServiceError, match="No timer is running"):
        tracker.timer.stop()
    tracker.timer.start("work")
    clock.advance(hours=1)
    with pytest.raises(ServiceError, match="cannot be stopped in the future"):
        tracker.timer.stop(at=clock.now + timedelta(seconds=1))
    with pytest.raises(ServiceError, match="cannot stop before that"):
        tracker.timer.stop(at=START - timedelta(seconds=1))


def test_stop_with_the_clock_behind_the_start_stops_it_at_its_start(
    tracker: Tracker, clock: FakeClock
) -> None:
    started = tracker.timer.start("work").started
    clock.now = START - timedelta(minutes=10)  # the clock was set back
    stopped = tracker.timer.stop()
    assert (stopped.start, stopped.end) == (START, START)
    assert tracker.timer.running() is None
    assert stop_note(stopped, clock.now) == CLOCK_BEHIND
    assert "stopped at its start" in CLOCK_BEHIND
    assert tracker.store.entries.get(started.id).entry.end == START  # type: ignore[union-attr]


def test_an_explicit_stop_before_the_start_is_still_refused(
    tracker: Tracker, clock: FakeClock
) -> None:
    tracker.timer.start("work")
    clock.now = START - timedelta(minutes=10)
    with pytest.raises(ServiceError, match="cannot stop before that"):
        tracker.timer.stop(at=START - timedelta(minutes=20))
    assert tracker.timer.running() is not None


def test_an_ordinary_stop_has_no_note(tracker: Tracker, clock: FakeClock) -> None:
    tracker.timer.start("work")
    assert stop_note(tracker.timer.stop(), clock.now) is None  # zero length, but the clock is fine
    tracker.timer.start("again")
    clock.advance(minutes=5)
    assert stop_note(tracker.timer.stop(), clock.now) is None


def test_start_with_the_clock_behind_the_running_start_stops_that_one_at_its_start(
    tracker: Tracker, clock: FakeClock
) -> None:
    first = tracker.timer.start("one").started
    clock.now = START - timedelta(minutes=10)
    result = tracker.timer.start("two")
    assert result.stopped is not None
    assert result.stopped.id == first.id
    assert (result.stopped.start, result.stopped.end) == (START, START)
    assert result.started.start == clock.now
    assert result.note == CLOCK_BEHIND
    running = tracker.timer.running()
    assert running is not None
    assert running.description == "two"


def test_an_ordinary_switch_has_no_note(tracker: Tracker, clock: FakeClock) -> None:
    tracker.timer.start("one")
    clock.advance(minutes=5)
    assert tracker.timer.start("two").note is None


def test_no_way_of_ending_a_timer_makes_it_longer_than_999_hours(
    tracker: Tracker, clock: FakeClock
) -> None:
    with pytest.raises(ServiceError, match="999 hours"):
        tracker.timer.start("old", at=START - timedelta(hours=1000))
    tracker.timer.start("forgotten")
    clock.advance(hours=1000)
    for attempt in (tracker.timer.stop, lambda: tracker.timer.start("next")):
        with pytest.raises(ServiceError, match="999 hours"):
            attempt()
    assert tracker.timer.stop(at=START + timedelta(hours=8)).end == START + timedelta(hours=8)


def test_continue_takes_the_nth_latest_distinct_entry(tracker: Tracker, clock: FakeClock) -> None:
    tracker.catalog.create_project("Website")
    tracker.catalog.create_tag("dev")
    for description in ("alpha", "beta", "beta", "gamma"):
        tracker.timer.start(description, project="Website", tags=["dev"])
        clock.advance(minutes=10)
    tracker.timer.stop()
    clock.advance(minutes=10)

    latest = tracker.timer.continue_().started
    assert latest.description == "gamma"
    assert latest.tag_ids == tracker.store.entries.latest(LOCAL_WORKSPACE, 2)[1].entry.tag_ids
    assert latest.start == clock.now
    clock.advance(minutes=10)
    # The running entry is not a candidate; the earlier "gamma" is; "beta" counts once.
    assert tracker.timer.continue_(2).started.description == "beta"
    clock.advance(minutes=10)
    assert tracker.timer.continue_(3).started.description == "alpha"


def test_continue_a_given_entry(tracker: Tracker, clock: FakeClock) -> None:
    first = tracker.timer.start("alpha").started
    clock.advance(minutes=10)
    tracker.timer.start("beta")
    clock.advance(minutes=10)
    again = tracker.timer.continue_(first.id[:8]).started
    assert again.description == "alpha"
    assert again.id != first.id


def test_continue_with_nothing_to_continue(tracker: Tracker, clock: FakeClock) -> None:
    with pytest.raises(NotFound, match="no past entry"):
        tracker.timer.continue_()
    tracker.timer.start("only")
    clock.advance(minutes=1)
    tracker.timer.stop()
    with pytest.raises(NotFound, match="only 1 distinct"):
        tracker.timer.continue_(2)
    with pytest.raises(ServiceError, match="from 1"):
        tracker.timer.continue_(0)


def test_continue_refuses_an_archived_project(
    store: Store, tracker: Tracker, clock: FakeClock
) -> None:
    project = tracker.catalog.create_project("Old")
    tracker.timer.start("x", project="Old")
    clock.advance(minutes=1)
    tracker.timer.stop()
    store.catalog.replace_from_server("project", LOCAL_WORKSPACE, [])
    store.conn.execute("UPDATE refs SET archived = 1 WHERE id = ?", (project.id,))
    assert isinstance(store.catalog.get("project", project.id), Project)
    with pytest.raises(ServiceError, match="'Old' is archived"):
        tracker.timer.continue_()


def test_discard_and_undo(tracker: Tracker, clock: FakeClock) -> None:
    started = tracker.timer.start("oops").started
    clock.advance(minutes=1)
    assert tracker.timer.discard().id == started.id
    assert tracker.timer.running() is None
    assert tracker.entries.undo().startswith('undid discard of "oops"')
    assert tracker.timer.running() == started
    tracker.timer.discard()
    with pytest.raises(ServiceError, match="No timer is running"):
        tracker.timer.discard()


def test_undo_of_one_entry_never_undoes_a_later_change(tracker: Tracker, clock: FakeClock) -> None:
    started = tracker.timer.start("oops").started
    tracker.timer.discard()
    clock.advance(minutes=1)
    later = tracker.timer.start("meanwhile").started  # from the CLI, say
    with pytest.raises(ServiceError, match="Something else changed since"):
        tracker.entries.undo(touching=started.id)
    assert tracker.timer.running() == later  # the later start was not undone
    tracker.timer.discard()
    assert tracker.entries.undo(touching=later.id).startswith('undid discard of "meanwhile"')
    assert tracker.timer.running() == later


def test_backdate(tracker: Tracker, clock: FakeClock) -> None:
    tracker.timer.start("work")
    now = clock.advance(minutes=5)
    moved = tracker.timer.backdate(now - timedelta(minutes=20))
    assert moved.start == now - timedelta(minutes=20)
    assert moved.running
    with pytest.raises(ServiceError, match="future"):
        tracker.timer.backdate(now + timedelta(minutes=1))
    tracker.entries.undo()
    running = tracker.timer.running()
    assert running is not None
    assert running.start == START


def test_start_then_undo_restarts_the_previous_timer(tracker: Tracker, clock: FakeClock) -> None:
    first = tracker.timer.start("one").started
    clock.advance(minutes=30)
    tracker.timer.start("two")
    label = tracker.entries.undo()
    assert label.startswith('undid start of "two"')
    assert tracker.timer.running() == first
