"""Day, week, status and log views: midnight, zones, sync states and the ids people type."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.helpers.clock import FakeClock
from tests.unit.services.conftest import START, connect
from tracker.domain.model import Entry, Profile, SyncState
from tracker.services import AmbiguousName, NotFound, Tracker
from tracker.store import Store

HOUR = timedelta(hours=1)
MONDAY = date(2026, 3, 2)


@pytest.fixture
def system_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine is in New York for this test."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_day_lists_entries_with_names_totals_and_indexes(tracker: Tracker) -> None:
    tracker.catalog.create_client("Acme")
    tracker.catalog.create_project("Website", "Acme", "#ff0000")
    tracker.catalog.create_tag("dev")
    tracker.catalog.create_tag("api")
    tracker.entries.add(
        START - 2 * HOUR, START - HOUR, "one", project="Website", tags=["dev", "api"]
    )
    tracker.entries.add(START - HOUR, START - HOUR / 2, "two")
    tracker.timer.start("three")

    day = tracker.views.day()

    assert day.day == MONDAY
    assert day.zone == "UTC"
    assert [(e.index, e.entry.description) for e in day.entries] == [
        (1, "one"),
        (2, "two"),
        (3, "three"),
    ]
    first = day.entries[0]
    assert (first.project, first.client, first.color, first.tags) == (
        "Website",
        "Acme",
        "#ff0000",
        ("api", "dev"),
    )
    assert first.state is SyncState.LOCAL_ONLY
    assert day.total == HOUR + HOUR / 2  # the running entry has run for 0 s
    assert day.running is not None
    assert day.running.entry.description == "three"
    assert day.week_total == day.total


def test_a_running_entry_counts_up_to_now(tracker: Tracker, clock: FakeClock) -> None:
    tracker.timer.start("work")
    clock.advance(minutes=20)
    day = tracker.views.day()
    assert day.total == timedelta(minutes=20)
    assert day.entries[0].duration == timedelta(minutes=20)


def test_a_running_entry_is_listed_up_to_today_never_on_days_to_come(
    tracker: Tracker, clock: FakeClock
) -> None:
    tracker.entries.add(START - 2 * HOUR, START - HOUR, "done")
    tracker.timer.start("work")
    clock.advance(days=1, hours=2)  # Tuesday 11:00: it has run through Monday night

    assert [e.entry.description for e in tracker.views.day(MONDAY).entries] == ["done", "work"]
    tuesday = tracker.views.day(MONDAY + timedelta(days=1))
    assert [e.entry.description for e in tuesday.entries] == ["work"]
    assert tuesday.total == 11 * HOUR
    for later in (MONDAY + timedelta(days=2), date(2030, 1, 1)):
        day = tracker.views.day(later)
        assert (day.entries, day.total, day.running) == ((), timedelta(0), None)
    # The week counts it up to now, once.
    assert tracker.views.day(MONDAY + timedelta(days=3)).week_total == HOUR + 26 * HOUR
    log = tracker.views.log(MONDAY, date(2026, 3, 31))
    assert [d.day for d in log.days] == [MONDAY, MONDAY + timedelta(days=1)]
    assert log.total == HOUR + 26 * HOUR


def test_a_log_reads_each_day_once_and_each_week_once(
    store: Store, tracker: Tracker, clock: FakeClock
) -> None:
    """A day's week total comes from one read of its week, shared by the week's days."""
    first = date(2026, 2, 2)  # a Monday; four weeks up to Sunday 1 March
    for n in range(28):
        day = datetime.combine(first + timedelta(days=n), datetime.min.time(), UTC)
        tracker.entries.add(day + 9 * HOUR, day + 10 * HOUR, f"day {n}")
    reads: list[str] = []
    store.conn.set_trace_callback(reads.append)
    days = list(tracker.views.days(first, first + timedelta(days=27)))
    store.conn.set_trace_callback(None)

    assert len(days) == 28
    assert all(d.week_total == 7 * HOUR for d in days)
    ranges = [sql for sql in reads if "FROM entries" in sql and "start <" in sql]
    assert len(ranges) == 28 + 4, "\n".join(ranges)


def test_days_are_produced_one_at_a_time(tracker: Tracker) -> None:
    tracker.entries.add(START - HOUR, START, "mon")
    days = tracker.views.days(date(2020, 1, 1), date(2030, 12, 31))
    assert next(days).day == MONDAY  # a decade's walk yields the day as soon as it reaches it
    assert next(days, None) is None


def test_an_entry_across_midnight_is_split_between_the_days(tracker: Tracker) -> None:
    late = tracker.entries.add(
        datetime(2026, 3, 1, 23, 0, tzinfo=UTC), datetime(2026, 3, 2, 1, 30, tzinfo=UTC), "late"
    )
    sunday = tracker.views.day(date(2026, 3, 1))
    monday = tracker.views.day(MONDAY)
    assert [e.entry.id for e in sunday.entries] == [late.id]
    assert [e.entry.id for e in monday.entries] == [late.id]
    assert (sunday.total, monday.total) == (HOUR, timedelta(hours=1, minutes=30))
    assert (sunday.entries[0].starts_before, sunday.entries[0].ends_after) == (False, True)
    assert (monday.entries[0].starts_before, monday.entries[0].ends_after) == (True, False)
    assert monday.entries[0].duration == timedelta(hours=2, minutes=30)
    # The week starts on Monday: Sunday's part belongs to the week before.
    assert monday.week_total == timedelta(hours=1, minutes=30)


def test_week_start_from_the_profile(store: Store, tracker: Tracker) -> None:
    store.meta.save_profile(Profile(time_zone="UTC", week_start="SUNDAY"))
    tracker.entries.add(
        datetime(2026, 3, 1, 10, tzinfo=UTC), datetime(2026, 3, 1, 11, tzinfo=UTC), "sun"
    )
    tracker.entries.add(START - HOUR, START, "mon")
    assert tracker.views.day(MONDAY).week_total == 2 * HOUR


def test_days_follow_the_profile_zone_not_the_system_zone(
    system_tz: None, store: Store, tracker: Tracker, clock: FakeClock
) -> None:
    store.meta.save_profile(Profile(time_zone="Europe/Berlin"))
    # 23:30 UTC on Sunday is 00:30 on Monday in Berlin, and 18:30 on Sunday in New York.
    entry = tracker.entries.add(
        datetime(2026, 3, 1, 23, 30, tzinfo=UTC), datetime(2026, 3, 2, 0, 30, tzinfo=UTC), "x"
    )
    clock.now = datetime(2026, 3, 2, 0, 45, tzinfo=UTC)
    day = tracker.views.day()
    assert (day.day, day.zone) == (MONDAY, "Europe/Berlin")
    assert [e.entry.id for e in day.entries] == [entry.id]
    assert tracker.views.day(date(2026, 3, 1)).entries == ()
    status = tracker.views.status()
    assert status.today_total == HOUR
    assert status.zone_warning == (
        "Your Clockify profile's time zone (Europe/Berlin) differs from this computer's "
        "(America/New_York); days are counted in Europe/Berlin."
    )


def test_without_a_profile_zone_the_system_zone_counts(
    system_tz: None, store: Store, tracker: Tracker, clock: FakeClock
) -> None:
    store.meta.save_profile(Profile())
    tracker.entries.add(
        datetime(2026, 3, 1, 23, 30, tzinfo=UTC), datetime(2026, 3, 2, 0, 30, tzinfo=UTC), "x"
    )
    clock.now = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # still Sunday 20:00 in New York
    day = tracker.views.day()
    assert (day.day, day.zone, day.total) == (date(2026, 3, 1), "America/New_York", HOUR)
    assert tracker.views.status().zone_warning is None


def test_a_dst_day_has_23_hours(store: Store, tracker: Tracker, clock: FakeClock) -> None:
    store.meta.save_profile(Profile(time_zone="Europe/Berlin"))
    clock.now = datetime(2026, 3, 30, 12, tzinfo=UTC)
    # From Saturday 23:00 to Monday 01:00 Berlin time: 23 h fall on the short Sunday.
    tracker.entries.add(
        datetime(2026, 3, 28, 22, tzinfo=UTC), datetime(2026, 3, 29, 23, tzinfo=UTC), "long"
    )
    assert tracker.views.day(date(2026, 3, 29)).total == timedelta(hours=23)


def test_capacity_on_working_days_and_days_off(store: Store, tracker: Tracker) -> None:
    store.meta.save_profile(Profile(time_zone="UTC"))  # no working day set
    assert tracker.views.day(MONDAY).capacity is None
    store.meta.save_profile(
        Profile(
            time_zone="UTC",
            daily_capacity=timedelta(hours=8),
            working_days=("MONDAY", "TUESDAY"),
        )
    )
    assert tracker.views.day(MONDAY).capacity == timedelta(hours=8)
    assert tracker.views.day(date(2026, 3, 1)).capacity == timedelta(0)


def test_sync_states_when_connected(store: Store, tracker: Tracker) -> None:
    connect(store)
    synced = tracker.entries.add(START - 3 * HOUR, START - 2 * HOUR, "synced")
    parked = tracker.entries.add(START - 2 * HOUR, START - HOUR, "parked")
    tracker.entries.add(START - HOUR, START, "pending")
    for entry in (synced, parked):
        row = store.entries.get(entry.id)
        assert row is not None
        store.entries.record_synced(
            entry.id, server_id=f"s-{entry.id}", sent_version=row.version, server_fields={}
        )
    tracker.entries.edit(parked.id, description="parked!")
    row = store.entries.get(parked.id)
    assert row is not None
    store.entries.park(parked.id, "Project is required", sent_version=row.version)

    day = tracker.views.day()
    assert [(e.entry.description, e.state) for e in day.entries] == [
        ("synced", SyncState.SYNCED),
        ("parked!", SyncState.PARKED),
        ("pending", SyncState.PENDING),
    ]
    assert day.entries[1].parked == "Project is required"
    status = tracker.views.status()
    assert (status.pending, status.parked, status.connected) == (2, 1, True)
    assert status.workspace_name == "Acme"


def test_status(tracker: Tracker, clock: FakeClock) -> None:
    tracker.entries.add(START - HOUR, START, "done")
    tracker.timer.start("now")
    clock.advance(minutes=15)
    status = tracker.views.status()
    assert status.running is not None
    assert status.running.entry.description == "now"
    assert status.elapsed == timedelta(minutes=15)
    assert status.today_total == timedelta(minutes=75)
    assert status.to_json()["elapsed_seconds"] == 900
    assert status.connected is False


def test_status_when_nothing_runs(tracker: Tracker) -> None:
    status = tracker.views.status()
    assert (status.running, status.elapsed, status.today_total) == (None, None, timedelta(0))


def test_log_lists_days_with_entries(tracker: Tracker) -> None:
    tracker.entries.add(
        datetime(2026, 2, 27, 9, tzinfo=UTC), datetime(2026, 2, 27, 10, tzinfo=UTC), "fri"
    )
    tracker.entries.add(START - HOUR, START, "mon")
    log = tracker.views.log(date(2026, 2, 26), MONDAY)
    assert [d.day for d in log.days] == [date(2026, 2, 27), MONDAY]
    assert log.total == 2 * HOUR
    assert tracker.views.log(MONDAY, date(2026, 2, 26)).total == 2 * HOUR  # reversed range
    assert log.to_json()["days"][1]["entries"][0]["description"] == "mon"


def test_entries_are_found_by_index_prefix_id_and_last(tracker: Tracker) -> None:
    first = tracker.entries.add(START - 2 * HOUR, START - HOUR, "first")
    second = tracker.entries.add(START - HOUR, START, "second")
    assert tracker.find("#2").entry == second
    assert tracker.find(first.id).entry == first
    assert tracker.find(first.id[:6]).entry == first
    assert tracker.find(first.id[:6].upper()).entry == first
    assert tracker.find("last").entry == second
    with pytest.raises(NotFound, match="There is no entry #3 today"):
        tracker.find("#3")
    with pytest.raises(NotFound, match="is not an entry id"):
        tracker.find("nonsense!")
    with pytest.raises(NotFound, match="No entry has an id starting with 'ffffffffff'"):
        tracker.find("ffffffffff")


def test_short_ids_grow_until_unique(store: Store, tracker: Tracker) -> None:
    # Clockify ids start with their creation time, so neighbours share long prefixes.
    for suffix in ("a1", "b2"):
        store.entries.save(
            Entry(f"65f0c1d2e3{suffix}00000000000000", "local", START - HOUR, START, suffix)
        )
    other = tracker.entries.add(START - HOUR, START, "other")
    shorts = [e.short_id for e in tracker.views.day().entries]
    assert sorted(shorts) == sorted(["65f0c1d2e3a", "65f0c1d2e3b", other.id[:6]])
    with pytest.raises(AmbiguousName, match="'65f0c1' matches 2 entries"):
        tracker.find("65f0c1")
    assert tracker.find("65f0c1d2e3b").entry.description == "b2"


def test_an_unknown_profile_zone_is_reported(store: Store, tracker: Tracker) -> None:
    store.meta.save_profile(Profile(time_zone="Mars/Olympus_Mons", week_start="someday"))
    assert tracker.views.status().zone_warning is not None
    assert "Mars/Olympus_Mons" in (tracker.views.status().zone_warning or "")
    assert tracker.views.day().week_total == timedelta(0)  # a bad week start falls back to Monday


def test_durations_and_totals_agree_with_the_minutes_shown(
    tracker: Tracker, clock: FakeClock
) -> None:
    """08:45:40 to 09:15:10 is shown 08:45-09:15, so it lasts 0:30, and totals add that."""
    seconds = timedelta(seconds=1)
    day_start = START.replace(hour=0)
    tracker.entries.add(
        day_start + timedelta(hours=8, minutes=45, seconds=40),
        day_start + timedelta(hours=9, minutes=15, seconds=10),
        "cut",
    )
    tracker.entries.add(
        day_start + timedelta(hours=10, seconds=59),
        day_start + timedelta(hours=10, minutes=30, seconds=1),
        "also",
    )
    day = tracker.views.day(MONDAY)
    assert [e.duration for e in day.entries] == [30 * 60 * seconds, 30 * 60 * seconds]
    assert [e.in_range for e in day.entries] == [30 * 60 * seconds, 30 * 60 * seconds]
    assert day.total == HOUR
    assert day.week_total == HOUR
    clock.now = day_start + timedelta(hours=11, minutes=0, seconds=50)
    tracker.timer.start("run")  # 11:00:50
    clock.now = day_start + timedelta(hours=11, minutes=10, seconds=5)  # 11:10:05
    status = tracker.views.status()
    assert status.elapsed == timedelta(minutes=9, seconds=15)  # the clock ticks exactly
    assert status.today_total == HOUR + timedelta(minutes=10)  # 11:00 to 11:10 as shown
    assert tracker.views.day(MONDAY).total == status.today_total


def test_entries_that_share_time_name_each_other(tracker: Tracker, clock: FakeClock) -> None:
    day_start = START.replace(hour=0)
    one = tracker.entries.add(day_start + 9 * HOUR, day_start + 10 * HOUR, "one")
    two = tracker.entries.add(day_start + 9.5 * HOUR, day_start + 11 * HOUR, "two")
    three = tracker.entries.add(day_start + 11 * HOUR, day_start + 12 * HOUR, "three")
    empty = tracker.entries.add(day_start + 9.75 * HOUR, day_start + 9.75 * HOUR, "empty")
    clock.now = day_start + 13 * HOUR
    running = tracker.timer.start("run", at=day_start + 11.5 * HOUR).started
    overlaps = {e.entry.id: set(e.overlaps) for e in tracker.views.day(MONDAY).entries}
    assert overlaps == {
        one.id: {two.id},
        two.id: {one.id},
        empty.id: set(),
        three.id: {running.id},
        running.id: {three.id},
    }
    assert tracker.views.day(MONDAY).entries[0].to_json()["overlaps"] == [two.id]


def test_a_day_read_again_for_the_entries_a_change_wrote_is_the_day_read_whole(
    tracker: Tracker, clock: FakeClock
) -> None:
    """Whatever the change (added, moved in or out, deleted, overlapping, a timer started
    and stopped), re-reading only its entries gives what reading the whole day gives."""
    from tracker.services.requests import Add, Delete, Edit, Request, Start, Stop, Undo

    hour, minute = timedelta(hours=1), timedelta(minutes=1)
    day = START.date()
    tracker.catalog.create_project("Website", color="#03a9f4")
    tracker.catalog.create_project("Internal")
    tracker.catalog.create_tag("deep work")
    tracker.act(Add(START - 2 * hour, START - hour, "Write report", project="Website"))
    late = tracker.act(Add(START + 3 * hour, START + 4 * hour, "Late")).value
    shown = tracker.views.day(day)
    steps: list[Request[Any]] = [
        Add(START - 3 * hour, START - 150 * minute, "Early", tags=["deep work"]),
        Edit(late.id, start=START - 90 * minute, end=START - 30 * minute),  # overlaps
        Start("Focus", project="Internal"),
        Add(START + timedelta(days=1), START + timedelta(days=1) + hour, "Tomorrow"),  # not here
        Edit(late.id, start=START + timedelta(days=1), end=START + timedelta(days=1) + hour),
        Undo(),  # back in
        Stop(),
        Delete(late.id),
        Start("Again"),
    ]
    for step in steps:
        clock.advance(minutes=20)
        done = tracker.act(step)
        assert done.changes.ids is not None
        again = tracker.views.day_again(shown, done.changes.ids)
        assert again == tracker.views.day(day), step
        shown = again
