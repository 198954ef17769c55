"""The reminder rules with pinned times: weekday and hour windows, a DST day, long-running,
stop-at (across midnight, and after sleeping through it), Pomodoro, and what comes next."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.services.preferences import Preferences
from tracker.services.reminders import Reminder, ReminderState, due, next_check

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
"""A Monday at 00:00 UTC; states use the UTC zone unless a test is about zones."""


def mon(hour: int, minute: int = 0, second: int = 0, *, days: int = 0) -> datetime:
    return MONDAY + timedelta(days=days, hours=hour, minutes=minute, seconds=second)


def idle(**changes: object) -> ReminderState:
    return ReminderState(**{"zone": UTC, **changes})  # type: ignore[arg-type]


def running(since: datetime, **changes: object) -> ReminderState:
    values: dict[str, object] = {
        "zone": UTC,
        "running_id": "e1",
        "running_since": since,
        "running_label": "Write report",
    }
    return ReminderState(**{**values, **changes})  # type: ignore[arg-type]


def shown(state: ReminderState, *reminders: Reminder) -> ReminderState:
    return replace(state, done=state.done | {r.key for r in reminders})


TRACK = Preferences().with_changes(remind_every_minutes=30)  # Mon-Fri 09:00-17:00


def kinds(found: list[Reminder]) -> list[tuple[str, datetime]]:
    return [(r.kind, r.at) for r in found]


# --- everything off -------------------------------------------------------------------------


def test_defaults_remind_of_nothing() -> None:
    prefs = Preferences()
    for state in (idle(), running(mon(9))):
        assert due(mon(12), state, prefs) == []
        assert next_check(mon(12), state, prefs) is None


# --- remind to track ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected_due", "expected_next"),
    [
        (mon(8), None, mon(9)),
        (mon(9), mon(9), mon(9, 30)),
        (mon(9, 10), mon(9), mon(9, 30)),
        (mon(9, 29, 59), mon(9), mon(9, 30)),
        (mon(16, 45), mon(16, 30), mon(9, days=1)),  # 17:00 is the end, excluded
        (mon(16, 59), mon(16, 30), mon(9, days=1)),
        (mon(17), None, mon(9, days=1)),  # 16:30 is a full interval old
        (mon(17, 10), None, mon(9, days=1)),  # 16:30 is over 30 minutes old
        (mon(16, 59, days=4), mon(16, 30, days=4), mon(9, days=7)),  # Friday → Monday
        (mon(12, days=5), None, mon(9, days=7)),  # Saturday
    ],
)
def test_track_windows(
    now: datetime, expected_due: datetime | None, expected_next: datetime
) -> None:
    found = due(now, idle(), TRACK)
    assert kinds(found) == ([("track", expected_due)] if expected_due else [])
    done = shown(idle(), *found)
    assert due(now, done, TRACK) == []  # shown once
    assert next_check(now, done, TRACK) == expected_next


def test_track_keys_differ_per_moment_and_carry_the_last_label() -> None:
    state = idle(last_label="Write report", last_stop=mon(8))
    first, second = due(mon(9), state, TRACK), due(mon(9, 30), state, TRACK)
    assert first[0].key != second[0].key
    assert first[0].label == "Write report"


def test_no_track_reminder_while_a_timer_runs_or_for_a_moment_it_ran_through() -> None:
    assert due(mon(9, 10), running(mon(8)), TRACK) == []
    assert next_check(mon(9, 10), running(mon(8)), TRACK) is None
    stopped = idle(last_stop=mon(9, 20), last_duration=timedelta(hours=1))
    assert due(mon(9, 25), stopped, TRACK) == []  # it ran at 09:00
    assert next_check(mon(9, 25), stopped, TRACK) == mon(9, 30)
    assert kinds(due(mon(9, 30), stopped, TRACK)) == [("track", mon(9, 30))]


def test_track_days_and_hours_are_the_chosen_ones() -> None:
    prefs = TRACK.with_changes(remind_days=(5,), remind_from="10:15", remind_to="10:45")
    assert next_check(mon(12), idle(), prefs) == mon(10, 15, days=5)
    assert kinds(due(mon(10, 44, days=5), idle(), prefs)) == [("track", mon(10, 15, days=5))]
    done = shown(idle(), *due(mon(10, 44, days=5), idle(), prefs))
    assert next_check(mon(10, 44, days=5), done, prefs) == mon(10, 15, days=12)
    assert next_check(mon(12), idle(), prefs.with_changes(remind_days=())) is None


def test_track_hours_are_read_in_the_profile_zone() -> None:
    state = idle(zone=BERLIN)  # CET, UTC+1 in March before the change
    assert next_check(mon(0), state, TRACK) == mon(8)
    assert kinds(due(mon(8), state, TRACK)) == [("track", mon(8))]


def test_track_on_the_spring_forward_day() -> None:
    # 2026-03-29: Berlin goes from 02:00 CET to 03:00 CEST.
    prefs = TRACK.with_changes(remind_days=tuple(range(7)), remind_every_minutes=60)
    prefs = prefs.with_changes(remind_from="09:00", remind_to="10:00")
    saturday, sunday = datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 3, 29, tzinfo=UTC)
    state = idle(zone=BERLIN)
    assert next_check(saturday, state, prefs) == saturday + timedelta(hours=8)  # 09:00 CET
    after = shown(state, *due(saturday + timedelta(hours=8), state, prefs))
    assert next_check(saturday + timedelta(hours=8), after, prefs) == sunday + timedelta(hours=7)

    # A night window across the change: every 30 real minutes, 01:00 CET to 04:00 CEST.
    night = prefs.with_changes(remind_every_minutes=30, remind_from="01:00", remind_to="04:00")
    moments, now, seen = [], saturday + timedelta(hours=20), state
    while (upcoming := next_check(now, seen, night)) is not None and upcoming < sunday + timedelta(
        hours=12
    ):
        found = due(upcoming, seen, night)
        assert len(found) == 1
        moments.append(found[0].at)
        seen, now = shown(seen, *found), upcoming
    assert moments == [sunday + timedelta(minutes=30 * k) for k in range(4)]
    # and the next night's 01:00 CEST is 23:00 UTC
    assert next_check(now, seen, night) == sunday + timedelta(hours=23)


def test_track_on_the_fall_back_day() -> None:
    prefs = TRACK.with_changes(remind_days=tuple(range(7)))
    saturday = datetime(2026, 10, 24, tzinfo=UTC)
    state = idle(zone=BERLIN)
    assert next_check(saturday, state, prefs) == saturday + timedelta(hours=7)  # CEST
    assert next_check(saturday + timedelta(hours=20), state, prefs) == saturday + timedelta(
        days=1, hours=8
    )  # CET


# --- long running ---------------------------------------------------------------------------


def test_long_running_warns_once_per_entry() -> None:
    prefs = Preferences().with_changes(long_running_hours=8)
    state = running(mon(9))
    assert due(mon(16, 59), state, prefs) == []
    assert next_check(mon(16, 59), state, prefs) == mon(17)
    [warning] = due(mon(17, 5), state, prefs)
    assert (warning.kind, warning.at, warning.entry_id, warning.label) == (
        "long_running",
        mon(17),
        "e1",
        "Write report",
    )
    assert due(mon(23), shown(state, warning), prefs) == []
    assert next_check(mon(23), shown(state, warning), prefs) is None
    other = running(mon(9), running_id="e2", done=frozenset({warning.key}))
    assert len(due(mon(23), other, prefs)) == 1


def test_long_running_fractions_of_an_hour() -> None:
    prefs = Preferences().with_changes(long_running_hours=1.5)
    assert next_check(mon(9), running(mon(9)), prefs) == mon(10, 30)


# --- stop at a time of day ------------------------------------------------------------------


def test_stop_at_the_set_time() -> None:
    prefs = Preferences().with_changes(stop_at="18:00")
    state = running(mon(9))
    assert next_check(mon(12), state, prefs) == mon(18)
    [stop] = due(mon(18), state, prefs)
    assert (stop.kind, stop.at, stop.entry_id) == ("stop_at", mon(18), "e1")


def test_stop_at_after_sleeping_through_it_stops_at_the_set_time() -> None:
    prefs = Preferences().with_changes(stop_at="18:00")
    [stop] = due(mon(7, days=1), running(mon(9)), prefs)
    assert stop.at == mon(18)


def test_stop_at_across_midnight() -> None:
    prefs = Preferences().with_changes(stop_at="01:00")
    state = running(mon(23))
    assert next_check(mon(23, 30), state, prefs) == mon(1, days=1)
    assert due(mon(0, 59, days=1), state, prefs) == []
    assert kinds(due(mon(1, days=1), state, prefs)) == [("stop_at", mon(1, days=1))]


def test_a_timer_started_after_the_stop_time_runs_until_the_next_day() -> None:
    prefs = Preferences().with_changes(stop_at="18:00")
    state = running(mon(18, 30))
    assert due(mon(19), state, prefs) == []
    assert next_check(mon(19), state, prefs) == mon(18, days=1)


def test_stop_at_in_the_profile_zone() -> None:
    prefs = Preferences().with_changes(stop_at="18:00")
    state = running(mon(9), zone=BERLIN)
    assert next_check(mon(12), state, prefs) == mon(17)  # 18:00 CET


# --- Pomodoro -------------------------------------------------------------------------------

POMODORO = Preferences().with_changes(pomodoro_minutes=25, break_minutes=5)


def test_pomodoro_work_blocks_end_every_block() -> None:
    state = running(mon(9))
    assert due(mon(9, 24), state, POMODORO) == []
    assert next_check(mon(9, 24), state, POMODORO) == mon(9, 25)
    [first] = due(mon(9, 25), state, POMODORO)
    assert (first.kind, first.at) == ("break", mon(9, 25))
    state = shown(state, first)
    assert next_check(mon(9, 25), state, POMODORO) == mon(9, 50)
    [second] = due(mon(9, 52), state, POMODORO)
    assert (second.kind, second.at) == ("break", mon(9, 50))
    assert second.key != first.key


def test_pomodoro_break_ends_after_a_full_block() -> None:
    state = idle(last_stop=mon(9, 26), last_duration=timedelta(minutes=26), last_label="Report")
    assert next_check(mon(9, 27), state, POMODORO) == mon(9, 31)
    [back] = due(mon(9, 31), state, POMODORO)
    assert (back.kind, back.at, back.label) == ("back_to_work", mon(9, 31), "Report")
    assert next_check(mon(9, 31), shown(state, back), POMODORO) is None
    assert due(mon(9, 40), state, POMODORO) == []  # long past: not said late


def test_pomodoro_no_break_after_a_short_entry_or_when_off() -> None:
    short = idle(last_stop=mon(9, 26), last_duration=timedelta(minutes=10))
    assert next_check(mon(9, 27), short, POMODORO) is None
    full = idle(last_stop=mon(9, 26), last_duration=timedelta(minutes=30))
    assert next_check(mon(9, 27), full, POMODORO.with_changes(break_minutes=0)) is None
    assert next_check(mon(9), running(mon(9)), POMODORO.with_changes(pomodoro_minutes=0)) is None


# --- together -------------------------------------------------------------------------------


def test_several_due_at_once_come_oldest_first_and_next_is_the_earliest() -> None:
    prefs = POMODORO.with_changes(long_running_hours=1, stop_at="10:10")
    state = running(mon(9))
    found = due(mon(10, 20), state, prefs)
    assert kinds(found) == [
        ("long_running", mon(10)),
        ("stop_at", mon(10, 10)),
        ("break", mon(10, 15)),
    ]
    assert next_check(mon(9, 1), state, prefs) == mon(9, 25)
    assert next_check(mon(10, 20), shown(state, *found), prefs) == mon(10, 40)


def test_reminder_times_are_utc() -> None:
    [reminder] = due(
        mon(9), idle(zone=ZoneInfo("America/New_York")), TRACK.with_changes(remind_from="04:00")
    )
    assert reminder.at.tzinfo is UTC


def test_no_track_reminder_on_a_day_away() -> None:
    prefs = Preferences(remind_days=(0, 1, 2, 3, 4), remind_every_minutes=60)
    monday = MONDAY.date()
    quiet = idle(away=frozenset({monday}))
    assert due(mon(10, 5), quiet, prefs) == []
    tuesday_first = next_check(mon(10, 5), quiet, prefs)
    assert tuesday_first is not None
    assert tuesday_first.date() == monday + timedelta(days=1)
    assert [r.kind for r in due(mon(10, 5), idle(), prefs)] == ["track"]
