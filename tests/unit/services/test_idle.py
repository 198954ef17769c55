"""The idle prompt's four answers against a real store: what each writes, clamping, midnight,
undo, and refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers.clock import FakeClock
from tests.unit.services.conftest import START, connect
from tracker.domain.model import Entry, WorkspaceRules
from tracker.services import ServiceError, Tracker
from tracker.services.idle import IDLE_DESCRIPTION, IdleChoice, resolve
from tracker.store import Store

MIN = timedelta(minutes=1)


def entries(tracker: Tracker) -> list[Entry]:
    """Every live entry, oldest first."""
    rows = tracker.store.entries.latest(tracker.context.workspace_id, 100)
    return sorted((row.entry for row in rows), key=lambda e: e.start)


def away(tracker: Tracker, clock: FakeClock) -> Entry:
    """ "Write report" ran from 9:00; the person left at 10:12 and came back at 10:47."""
    project = tracker.catalog.create_project("Website")
    tag = tracker.catalog.create_tag("deep work")
    started = tracker.timer.start("Write report", project=project.id, tags=[tag.id]).started
    clock.now = START + timedelta(hours=1, minutes=47)
    return started


IDLE_START = START + timedelta(hours=1, minutes=12)
IDLE_END = START + timedelta(hours=1, minutes=47)


def test_keep_changes_nothing(tracker: Tracker, clock: FakeClock) -> None:
    started = away(tracker, clock)
    outcome = resolve(tracker.context, IdleChoice.KEEP, IDLE_START, IDLE_END)
    assert not outcome.changed
    assert entries(tracker) == [started]
    assert "start of" in tracker.entries.undo()  # the newest change is still the start


def test_discard_stops_the_entry_when_the_absence_began(tracker: Tracker, clock: FakeClock) -> None:
    started = away(tracker, clock)
    outcome = resolve(tracker.context, "discard", IDLE_START, IDLE_END, entry_id=started.id)
    assert outcome.stopped is not None
    assert (outcome.stopped.start, outcome.stopped.end) == (START, IDLE_START)
    assert outcome.resumed is None
    assert outcome.idle is None
    assert entries(tracker) == [outcome.stopped]
    assert tracker.timer.running() is None


def test_discard_and_continue_starts_the_same_work_from_the_return(
    tracker: Tracker, clock: FakeClock
) -> None:
    started = away(tracker, clock)
    outcome = resolve(tracker.context, IdleChoice.DISCARD_CONTINUE, IDLE_START, IDLE_END)
    first, second = entries(tracker)
    assert (first.id, first.start, first.end) == (started.id, START, IDLE_START)
    assert second.id != started.id
    assert (second.start, second.end) == (IDLE_END, None)
    assert (second.description, second.project_id, second.tag_ids) == (
        started.description,
        started.project_id,
        started.tag_ids,
    )
    assert tracker.timer.running() == second == outcome.resumed


def test_add_as_new_records_the_absence_between_the_two_parts(
    tracker: Tracker, clock: FakeClock
) -> None:
    started = away(tracker, clock)
    outcome = resolve(tracker.context, IdleChoice.ADD_AS_NEW, IDLE_START, IDLE_END)
    first, idle, second = entries(tracker)
    assert (first.id, first.end) == (started.id, IDLE_START)
    assert (idle.start, idle.end) == (IDLE_START, IDLE_END)
    assert idle.description == IDLE_DESCRIPTION
    assert (idle.project_id, idle.tag_ids, idle.billable) == (None, (), False)
    assert (second.start, second.end, second.description) == (IDLE_END, None, "Write report")
    assert outcome.idle == idle
    assert outcome.resumed == second


def test_one_undo_brings_the_running_entry_back(tracker: Tracker, clock: FakeClock) -> None:
    started = away(tracker, clock)
    resolve(tracker.context, IdleChoice.ADD_AS_NEW, IDLE_START, IDLE_END)
    assert "idle time" in tracker.entries.undo()
    assert entries(tracker) == [started]
    assert tracker.timer.running() == started


@pytest.mark.parametrize(
    ("choice", "running_from"),
    [
        (IdleChoice.DISCARD, None),
        (IdleChoice.DISCARD_CONTINUE, IDLE_END),
        (IdleChoice.ADD_AS_NEW, IDLE_END),
    ],
)
def test_an_absence_from_before_the_start_counts_from_the_start(
    tracker: Tracker, clock: FakeClock, choice: IdleChoice, running_from: object
) -> None:
    started = away(tracker, clock)
    resolve(tracker.context, choice, START - 30 * MIN, IDLE_END)
    live = entries(tracker)
    running = tracker.timer.running()
    assert (running.start if running else None) == running_from
    if running is not None:
        assert running.id == started.id  # the same entry moved: nothing of it was kept
    idle = [e for e in live if e.description == IDLE_DESCRIPTION]
    if choice is IdleChoice.ADD_AS_NEW:
        assert [(e.start, e.end) for e in idle] == [(START, IDLE_END)]
    else:
        assert idle == []
    assert all(e.start >= START for e in live)
    assert len(live) == (2 if choice is IdleChoice.ADD_AS_NEW else 1 if running else 0)


def test_an_absence_across_midnight(tracker: Tracker, clock: FakeClock) -> None:
    clock.now = START.replace(hour=22)
    started = tracker.timer.start("Late fix").started
    leave = START.replace(hour=23, minute=30)
    back = leave + timedelta(hours=1)  # 00:30 the next day
    clock.now = back + 2 * MIN
    resolve(tracker.context, IdleChoice.ADD_AS_NEW, leave, back)
    first, idle, second = entries(tracker)
    assert (first.id, first.start, first.end) == (started.id, started.start, leave)
    assert (idle.start, idle.end) == (leave, back)
    assert back.date() != leave.date()
    assert (second.start.date(), second.end) == (back.date(), None)
    today = tracker.views.day(back.date())
    assert [e.entry.description for e in today.entries] == ["Idle", "Late fix"]


def test_the_return_is_clamped_to_now(tracker: Tracker, clock: FakeClock) -> None:
    away(tracker, clock)
    resolve(tracker.context, IdleChoice.DISCARD_CONTINUE, IDLE_START, clock.now + 10 * MIN)
    running = tracker.timer.running()
    assert running is not None
    assert running.start == clock.now


def test_an_entry_started_after_the_return_is_left_alone(
    tracker: Tracker, clock: FakeClock
) -> None:
    clock.now = IDLE_END + MIN
    started = tracker.timer.start("Fresh").started
    outcome = resolve(tracker.context, IdleChoice.DISCARD, IDLE_START, IDLE_END)
    assert not outcome.changed
    assert entries(tracker) == [started]


def test_nothing_changes_when_the_timer_was_stopped_or_switched(
    tracker: Tracker, clock: FakeClock
) -> None:
    started = away(tracker, clock)
    tracker.timer.start("Something else")
    with pytest.raises(ServiceError, match="Another timer"):
        resolve(tracker.context, IdleChoice.DISCARD, IDLE_START, IDLE_END, entry_id=started.id)
    tracker.timer.stop()
    with pytest.raises(ServiceError, match="No timer is running"):
        resolve(tracker.context, IdleChoice.DISCARD, IDLE_START, IDLE_END)


def test_the_idle_entry_borrows_what_the_workspace_requires(
    tracker: Tracker, store: Store, clock: FakeClock
) -> None:
    connect(store, WorkspaceRules(require_project=True, require_tags=True))
    started = away(tracker, clock)
    outcome = resolve(tracker.context, IdleChoice.ADD_AS_NEW, IDLE_START, IDLE_END)
    assert outcome.idle is not None
    assert outcome.idle.project_id == started.project_id
    assert outcome.idle.tag_ids == started.tag_ids
    assert outcome.idle.billable is False


def test_a_rule_the_result_breaks_refuses_the_whole_answer(
    tracker: Tracker, store: Store, clock: FakeClock
) -> None:
    started = away(tracker, clock)
    connect(store, WorkspaceRules(locked_before=IDLE_END), workspace=started.workspace_id)
    with pytest.raises(ServiceError):
        resolve(tracker.context, IdleChoice.ADD_AS_NEW, IDLE_START, IDLE_END)
    assert entries(tracker) == [started]
