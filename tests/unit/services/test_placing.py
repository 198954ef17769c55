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


def test_today_with_nothing_before_it_is_the_last_half_hour(tracker: Tracker, clock: Clock) -> None:
    clock.now = at(17)
    first = tracker.act(AddToDay(MONDAY)).value
    assert (first.start, first.end) == (at(16, 30), at(17))


def test_a_new_entry_never_goes_over_a_running_timer_or_another_entry(
    tracker: Tracker, clock: Clock
) -> None:
    clock.now = at(9)
    tracker.act(Start("Focus"))  # runs from 9:00
    clock.now = at(9, 40)
    with pytest.raises(ServiceError, match="No free half hour"):
        tracker.act(AddToDay(MONDAY))  # 9:10-9:40 is the timer's
    clock.now = at(18, 40)
    with pytest.raises(ServiceError, match="No free half hour"):
        tracker.act(AddToDay(MONDAY))  # the timer holds the whole day so far


def test_a_new_entry_goes_in_the_first_gap_of_the_day_that_holds_half_an_hour(
    tracker: Tracker, clock: Clock
) -> None:
    clock.now = at(17)
    tracker.act(Add(at(9), at(10), "Write"))
    tracker.act(Add(at(10, 20), at(11), "Call"))  # 20 minutes free: too short
    tracker.act(Add(at(12), at(16, 50), "Review"))
    added = tracker.act(AddToDay(MONDAY)).value
    assert (added.start, added.end) == (at(11), at(11, 30))
    again = tracker.act(AddToDay(MONDAY)).value
    assert (again.start, again.end) == (at(11, 30), at(12))
    last = tracker.act(AddToDay(MONDAY)).value  # then the time since the last entry
    assert (last.start, last.end) == (at(16, 50), at(17))
    clock.now = at(17)
    tracker.act(Start("Focus"))
    clock.now = at(17, 20)
    with pytest.raises(ServiceError, match="No free half hour"):
        tracker.act(AddToDay(MONDAY))  # 16:50-17:20 would cover the timer


def test_the_morning_before_the_first_entry_is_a_gap(tracker: Tracker, clock: Clock) -> None:
    clock.now = at(17)
    tracker.act(Add(at(10), at(16), "Late start"))
    added = tracker.act(AddToDay(MONDAY)).value
    assert (added.start, added.end) == (at(9), at(9, 30))


def test_another_day_starts_at_nine_or_after_its_last_entry_inside_the_day(
    tracker: Tracker, clock: Clock
) -> None:
    clock.now = at(17)
    empty = tracker.act(AddToDay(MONDAY - timedelta(days=1))).value
    assert (empty.start, empty.end) == (at(9, days=-1), at(9, 30, days=-1))
    tracker.act(Add(at(8, days=-2), at(23, 20, days=-2), "Long"))
    late = tracker.act(AddToDay(MONDAY - timedelta(days=2))).value
    assert (late.start, late.end) == (at(23, 20, days=-2), at(23, 50, days=-2))
    tracker.act(Add(at(23, 55, days=-2), at(23, 58, days=-2), "Late"))
    with pytest.raises(ServiceError, match="No free half hour"):  # not over "Late"
        tracker.act(AddToDay(MONDAY - timedelta(days=2)))
    tracker.act(Add(at(8, days=-4), at(23, 0, days=-4), "Longer"))
    kept = tracker.act(AddToDay(MONDAY - timedelta(days=4))).value
    assert (kept.start, kept.end) == (at(23, days=-4), at(23, 30, days=-4))  # inside the day


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
