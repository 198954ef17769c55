"""The week timesheet over a real store: rows, totals, typing in cells, clearing, copying."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from tests.unit.services.conftest import START, connect
from tracker.domain.model import Profile, WorkspaceRules
from tracker.services import ServiceError, Tracker
from tracker.services.requests import Add, CreateProject, CreateTag, Start, Undo
from tracker.services.timesheet import (
    ClearCell,
    CopyLastWeek,
    RowKey,
    SetCell,
    build_week,
    last_week_rows,
    week_start,
)
from tracker.store import Store

HOUR = timedelta(hours=1)
MONDAY = START.date()


def at(hour: int, minute: int = 0, *, days: int = 0, second: int = 0) -> datetime:
    return START.replace(hour=hour, minute=minute, second=second) + timedelta(days=days)


def test_rows_are_project_task_description_with_day_and_week_totals(tracker: Tracker) -> None:
    web = tracker.act(CreateProject("Website")).value
    tracker.act(Add(at(9), at(10), "Design", project=web.id))
    tracker.act(Add(at(11), at(11, 30), "Design", project=web.id))
    tracker.act(Add(at(9, days=1), at(12, days=1), "Design", project=web.id))
    tracker.act(Add(at(13), at(14), "Mail"))
    sheet = build_week(tracker.context, MONDAY + timedelta(days=3))
    assert sheet.start == MONDAY
    assert [r.label() for r in sheet.rows] == ["Website - Design", "(no project) - Mail"]
    design = sheet.rows[0]
    assert design.seconds[:2] == (5400, 3 * 3600)
    assert design.total == 5400 + 3 * 3600
    assert len(design.entry_ids[0]) == 2
    assert sheet.day_seconds[0] == 5400 + 3600
    assert sheet.total == 5400 + 3 * 3600 + 3600
    assert [p.capacity for p in sheet.plans] == [8 * 3600] * 5 + [0, 0]
    data = sheet.to_json()
    assert data["total_seconds"] == sheet.total
    assert data["days"][5]["working"] is False


def test_cells_show_minutes_and_json_says_seconds(tracker: Tracker) -> None:
    tracker.act(Add(at(8, 45, second=40), at(9, 15, second=10), "Call"))
    row = build_week(tracker.context, MONDAY).rows[0]
    assert row.shown[0] == 30 * 60  # 08:45-09:15 as shown
    assert row.seconds[0] == 1770  # as Clockify bills it


def test_an_entry_across_midnight_counts_on_both_days(tracker: Tracker) -> None:
    tracker.act(Add(at(22), at(2, days=1), "Deploy"))
    row = build_week(tracker.context, MONDAY).rows[0]
    assert row.seconds[:2] == (2 * 3600, 2 * 3600)


def test_the_running_timer_counts_live(tracker: Tracker, clock: FakeClock) -> None:
    tracker.act(Start("Focus"))
    clock.now = at(10, 30)
    sheet = build_week(tracker.context, MONDAY)
    assert sheet.running
    assert sheet.rows[0].running == 0
    assert sheet.rows[0].seconds[0] == 5400
    clock.now = at(11)
    assert build_week(tracker.context, MONDAY).rows[0].seconds[0] == 7200


def test_the_week_starts_on_the_profiles_week_start(store: Store, tracker: Tracker) -> None:
    store.meta.save_profile(Profile(time_zone="UTC", week_start="SUNDAY"))
    assert week_start(tracker.context, MONDAY) == MONDAY - timedelta(days=1)
    store.meta.save_profile(Profile(time_zone="UTC", working_days=("MONDAY",), daily_capacity=HOUR))
    plans = build_week(tracker.context, MONDAY).plans
    assert [p.capacity for p in plans] == [3600, 0, 0, 0, 0, 0, 0]


def test_typing_in_an_empty_cell_creates_one_entry_at_nine(tracker: Tracker) -> None:
    key = RowKey(None, None, "Review")
    entry = tracker.act(SetCell(key, MONDAY + timedelta(days=1), timedelta(hours=2))).value
    assert entry is not None
    assert (entry.start, entry.end) == (at(9, days=1), at(11, days=1))
    assert entry.description == "Review"


def test_a_new_entry_goes_after_the_days_entries_when_nine_is_taken(tracker: Tracker) -> None:
    tracker.act(Add(at(8), at(12), "Morning"))
    made = tracker.act(SetCell(RowKey(None, None, "Later"), MONDAY, HOUR)).value
    assert made is not None
    assert (made.start, made.end) == (at(12), at(13))
    tracker.act(Add(at(13), at(23, 30), "Long"))
    early = tracker.act(SetCell(RowKey(None, None, "Early"), MONDAY, HOUR)).value
    assert early is not None
    assert (early.start, early.end) == (at(0), at(1))
    with pytest.raises(ServiceError, match="No free stretch of 8:00"):
        tracker.act(SetCell(RowKey(None, None, "Too long"), MONDAY, 8 * HOUR))


def test_a_new_entry_takes_the_rows_project_task_tags_and_billable(tracker: Tracker) -> None:
    web = tracker.act(CreateProject("Website", billable=True)).value
    tracker.act(CreateTag("ux"))
    tracker.act(Add(at(9), at(10), "Design", project=web.id, billable=False, tags=["ux"]))
    key = RowKey(web.id, None, "Design")
    made = tracker.act(SetCell(key, MONDAY + timedelta(days=2), HOUR)).value
    assert made is not None
    assert made.project_id == web.id
    assert made.billable is False
    assert len(made.tag_ids) == 1


def test_typing_in_a_cell_with_one_entry_changes_its_end(tracker: Tracker) -> None:
    first = tracker.act(Add(at(9), at(10), "Write")).value
    changed = tracker.act(SetCell(RowKey.of(first), MONDAY, timedelta(minutes=150))).value
    assert changed is not None
    assert changed.id == first.id
    assert changed.end == at(11, 30)
    assert build_week(tracker.context, MONDAY).rows[0].shown[0] == 150 * 60
    tracker.act(Undo())
    assert build_week(tracker.context, MONDAY).rows[0].seconds[0] == 3600


def test_several_entries_adjust_the_last_or_refuse(tracker: Tracker) -> None:
    tracker.act(Add(at(9), at(10), "Write"))
    last = tracker.act(Add(at(14), at(14, 30), "Write")).value
    key = RowKey.of(last)
    tracker.act(SetCell(key, MONDAY, 2 * HOUR))
    assert build_week(tracker.context, MONDAY).rows[0].seconds[0] == 2 * 3600
    assert tracker.find(last.id).entry.end == at(15)
    with pytest.raises(ServiceError, match="already hold 1:00, more than 0:30"):
        tracker.act(SetCell(key, MONDAY, timedelta(minutes=30)))
    tracker.act(SetCell(key, MONDAY, HOUR))  # the last one would last nothing: it goes
    row = build_week(tracker.context, MONDAY).rows[0]
    assert row.seconds[0] == 3600
    assert len(row.entry_ids[0]) == 1


def test_a_running_timer_in_the_cell_is_not_changed_here(
    tracker: Tracker, clock: FakeClock
) -> None:
    started = tracker.act(Start("Focus")).value.started
    clock.now = at(10)
    with pytest.raises(ServiceError, match="timer is running in this cell"):
        tracker.act(SetCell(RowKey.of(started), MONDAY, 3 * HOUR))
    with pytest.raises(ServiceError, match="timer is running"):
        tracker.act(ClearCell(RowKey.of(started), MONDAY))


def test_clearing_deletes_the_days_entries_of_the_row_in_one_undo(tracker: Tracker) -> None:
    tracker.act(Add(at(9), at(10), "Write"))
    tracker.act(Add(at(11), at(12), "Write"))
    tracker.act(Add(at(13), at(14), "Other"))
    key = RowKey(None, None, "Write")
    assert tracker.act(ClearCell(key, MONDAY)).value == 2
    assert [r.key.description for r in build_week(tracker.context, MONDAY).rows] == ["Other"]
    tracker.act(Undo())
    assert build_week(tracker.context, MONDAY).row(key) is not None
    assert build_week(tracker.context, MONDAY).row(key).seconds[0] == 7200  # type: ignore[union-attr]


def test_clearing_keeps_the_part_of_an_entry_before_midnight(tracker: Tracker) -> None:
    night = tracker.act(Add(at(22), at(2, days=1), "Deploy")).value
    tracker.act(ClearCell(RowKey.of(night), MONDAY + timedelta(days=1)))
    assert tracker.find(night.id).entry.end == at(0, days=1)
    assert build_week(tracker.context, MONDAY).rows[0].seconds[:2] == (7200, 0)


def test_zero_clears_the_cell(tracker: Tracker) -> None:
    entry = tracker.act(Add(at(9), at(10), "Write")).value
    assert tracker.act(SetCell(RowKey.of(entry), MONDAY, timedelta(0))).value is None
    assert build_week(tracker.context, MONDAY).rows == ()


def test_a_locked_day_is_refused_with_the_reason(store: Store, tracker: Tracker) -> None:
    entry = tracker.act(Add(at(9), at(10), "Write")).value
    connect(store, WorkspaceRules(locked_before=at(0, days=1)), workspace=entry.workspace_id)
    with pytest.raises(ServiceError, match="locked"):
        tracker.act(SetCell(RowKey.of(entry), MONDAY, 2 * HOUR))
    with pytest.raises(ServiceError, match="locked"):
        tracker.act(ClearCell(RowKey.of(entry), MONDAY))
    with pytest.raises(ServiceError, match="locked"):
        tracker.act(SetCell(RowKey(None, None, "New"), MONDAY, HOUR))
    assert tracker.find(entry.id).entry.end == at(10)


def test_copy_last_week_copies_entries_a_week_later_once(
    tracker: Tracker, clock: FakeClock
) -> None:
    web = tracker.act(CreateProject("Website")).value
    tracker.act(CreateTag("ux"))
    tracker.act(Add(at(9), at(10, 30), "Design", project=web.id, tags=["ux"]))
    tracker.act(Add(at(13, days=2), at(14, days=2), "Mail"))
    clock.now = at(9, days=7)
    next_week = MONDAY + timedelta(days=7)
    assert {k.description for k in last_week_rows(tracker.context, next_week)} == {
        "Design",
        "Mail",
    }
    done = tracker.act(CopyLastWeek(next_week))
    assert done.value == 2
    sheet = build_week(tracker.context, next_week)
    assert {(r.key.description, r.seconds[0], r.seconds[2]) for r in sheet.rows} == {
        ("Design", 5400, 0),
        ("Mail", 0, 3600),
    }
    assert last_week_rows(tracker.context, next_week) == []
    with pytest.raises(ServiceError, match="Nothing to copy"):
        tracker.act(CopyLastWeek(next_week))
    tracker.act(Undo())
    assert build_week(tracker.context, next_week).rows == ()


def test_copy_keeps_local_times_across_a_clock_change(store: Store, tracker: Tracker) -> None:
    store.meta.save_profile(Profile(time_zone="Europe/Berlin"))
    berlin = ZoneInfo("Europe/Berlin")
    # Berlin moves to summer time on Sunday 2026-03-29.
    start = datetime(2026, 3, 23, 9, 0, tzinfo=berlin)
    tracker.act(Add(start, start + HOUR, "Stand-up"))
    tracker.act(CopyLastWeek(date(2026, 3, 30)))
    row = build_week(tracker.context, date(2026, 3, 30)).rows[0]
    (copied,) = row.entry_ids[0]
    assert tracker.find(copied).entry.start.astimezone(berlin).hour == 9


def test_an_empty_entry_at_midnight_is_listed_on_its_own_day_only(tracker: Tracker) -> None:
    empty = tracker.act(Add(at(0, days=1), at(0, days=1), "Marker")).value
    row = build_week(tracker.context, MONDAY).rows[0]
    assert row.entry_ids[:2] == ((), (empty.id,))
