"""Where a new entry goes, how a gap is filled and where a split is offered: product rules,
tried without any window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock as Clock
from tests.unit.services.conftest import START
from tracker.domain.model import Entry, Profile
from tracker.services import ServiceError, Tracker
from tracker.services.placing import split_point
from tracker.services.recent import recent_entries
from tracker.services.requests import Add, AddToDay, Continue, FillGap, Start, Stop

HOUR = timedelta(hours=1)
MONDAY = START.date()


def at(hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    return START.replace(hour=hour, minute=minute) + timedelta(days=days)


def test_today_a_new_entry_covers_the_time_since_the_last_one(
    tracker: Tracker, clock: Clock
) -> None:
    clock.now = at(17)
    tracker.act(Add(at(9), at(14, 15), "Morning"))
    added = tracker.act(AddToDay(MONDAY)).value
    assert (added.start, added.end) == (at(14, 15), at(17))


def test_today_with_nothing_before_or_a_timer_running_it_is_the_last_half_hour(
    tracker: Tracker, clock: Clock
) -> None:
    clock.now = at(17)
    first = tracker.act(AddToDay(MONDAY)).value
    assert (first.start, first.end) == (at(16, 30), at(17))
    clock.now = at(18)
    tracker.act(Start("Focus"))
    clock.now = at(18, 40)
    second = tracker.act(AddToDay(MONDAY)).value
    assert (second.start, second.end) == (at(18, 10), at(18, 40))


def test_another_day_starts_at_nine_or_after_its_last_entry_inside_the_day(
    tracker: Tracker, clock: Clock
) -> None:
    clock.now = at(17)
    empty = tracker.act(AddToDay(MONDAY - timedelta(days=1))).value
    assert (empty.start, empty.end) == (at(9, days=-1), at(9, 30, days=-1))
    tracker.act(Add(at(23, 50, days=-2), at(23, 55, days=-2), "Late"))
    late = tracker.act(AddToDay(MONDAY - timedelta(days=2))).value
    assert (late.start, late.end) == (at(23, 30, days=-2), at(0, days=-1))  # kept in the day


def test_nine_o_clock_is_local(tracker: Tracker, clock: Clock) -> None:
    tracker.store.meta.save_profile(Profile(time_zone="America/New_York"))
    clock.now = at(22)
    added = tracker.act(AddToDay(MONDAY - timedelta(days=3))).value
    local = added.start.astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute, local.date()) == (9, 0, MONDAY - timedelta(days=3))


def test_fill_gap_covers_the_time_before_the_entry(tracker: Tracker, clock: Clock) -> None:
    clock.now = at(17)
    tracker.act(Add(at(9), at(11), "Write"))
    review = tracker.act(Add(at(13), at(14), "Review")).value
    right_after = tracker.act(Add(at(14), at(15), "Call")).value
    filled = tracker.act(FillGap(review.id, MONDAY)).value
    assert (filled.start, filled.end) == (at(11), at(13))
    with pytest.raises(ServiceError, match="no gap"):
        tracker.act(FillGap(right_after.id, MONDAY))
    first = tracker.store.entries.latest(tracker.context.workspace_id, 10)[-1].entry
    with pytest.raises(ServiceError, match="no earlier entry"):
        tracker.act(FillGap(first.id, MONDAY))


def test_a_split_is_offered_at_the_middle_on_a_five_minute_step() -> None:
    entry = Entry("e", "local", at(9), at(10, 33), "x")
    assert split_point(entry, at(17), UTC) == at(9, 45)
    running = Entry("e", "local", at(9), None, "x")
    assert split_point(running, at(10), UTC) == at(9, 30)
    kathmandu = ZoneInfo("Asia/Kathmandu")  # UTC+5:45: rounded on the local clock
    offered = split_point(entry, at(17), kathmandu).astimezone(kathmandu)
    assert offered.minute % 5 == 0
    short = Entry("e", "local", at(9, 1), at(9, 3), "x")
    assert split_point(short, at(17), UTC) == at(9, 2)  # inside the entry, not rounded out


def test_recent_entries_are_distinct_newest_first_with_names(
    tracker: Tracker, clock: Clock
) -> None:
    project = tracker.catalog.create_project("Website")
    task = tracker.catalog.create_task(project, "Design")
    for n in range(60):  # more than the first page read, all the same work
        tracker.act(Add(at(0) - (n + 1) * HOUR, at(0) - n * HOUR, "Same", project=project.id))
    tracker.act(Add(at(0) - 100 * HOUR, at(0) - 99 * HOUR, "Older", task=task.id))
    found = recent_entries(tracker.context, 5)
    assert [r.label for r in found] == ["Same — Website", "Older — Website: Design"]
    tracker.act(Continue(2))  # continue counts the same distinct entries
    running = tracker.timer.running()
    assert running is not None
    assert running.description == "Older"
    assert [r.entry.description for r in recent_entries(tracker.context, 5)] == [
        "Same",
        "Older",
    ]  # the running one is left out, its earlier entry is not
    clock.advance(minutes=5)
    tracker.act(Stop())
