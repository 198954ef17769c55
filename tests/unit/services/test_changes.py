"""Every request says what it changed: which days, the timer, the catalog, the account, the
preferences, the backlog; with no Qt, as the CLI sees it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock as Clock
from tests.unit.services.conftest import START, connect
from tracker.domain.model import Entry, WorkspaceInfo
from tracker.services import ServiceError, Tracker
from tracker.services.changes import (
    EVERYTHING,
    Changes,
    Origin,
    days_of,
    entry_changes,
    from_sync,
)
from tracker.services.idle import IdleChoice
from tracker.services.preferences import Preferences
from tracker.services.requests import (
    Add,
    CreateProject,
    Delete,
    Edit,
    ForgetAccount,
    ResolveIdle,
    SavePreferences,
    Split,
    Start,
    Stop,
    Toggle,
    Undo,
    UseWorkspace,
)
from tracker.store import Store

MONDAY = START.date()
HOUR = timedelta(hours=1)


def entry(start: datetime, end: datetime | None) -> Entry:
    return Entry("e1", "local", start, end, "x")


def test_days_of_an_entry_in_a_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    night = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, Monday
    assert days_of(entry(night, night + HOUR), UTC, night) == frozenset({date(2026, 3, 2)})
    assert days_of(entry(night, night + HOUR), berlin, night) == frozenset(
        {date(2026, 3, 2), date(2026, 3, 3)}
    )
    # Ending at midnight is not being on the next day.
    midnight = datetime(2026, 3, 3, tzinfo=UTC)
    assert days_of(entry(midnight - HOUR, midnight), UTC, midnight) == frozenset({date(2026, 3, 2)})
    # A running entry is on every day up to now.
    now = night + timedelta(days=2)
    assert days_of(entry(night, None), UTC, now) == frozenset({date(2026, 3, d) for d in (2, 3, 4)})
    # A very long one counts as any day.
    assert days_of(entry(night, night + timedelta(days=90)), UTC, now) is None


def test_changes_combine_and_say_whether_to_send() -> None:
    monday = Changes(entries=True, days=frozenset({MONDAY}), sync=True)
    both = monday | Changes(catalog=True)
    assert both == Changes(entries=True, days=frozenset({MONDAY}), catalog=True, sync=True)
    assert both.to_send
    assert not Changes()
    assert not Changes(origin=Origin.SYNC)
    assert not from_sync(entries=True, catalog=True).to_send  # never sent back
    assert (monday | EVERYTHING).days is None
    assert monday.ids is None  # not said: the days are read whole
    written = Changes(entries=True, days=frozenset({MONDAY}), ids=frozenset({"a"}))
    assert (written | Changes(entries=True, ids=frozenset({"b"}))).ids == frozenset({"a", "b"})
    assert (written | Changes(catalog=True)).ids == frozenset({"a"})  # no entries: all known
    assert (written | monday).ids is None
    assert monday.touches(MONDAY)
    assert not monday.touches(MONDAY + timedelta(days=1))
    assert monday.touches(MONDAY + timedelta(days=6), around=6)  # the week's total
    assert Changes(account=True).touches(MONDAY + timedelta(days=300))


def test_timer_requests_name_the_day_and_the_timer(tracker: Tracker, clock: Clock) -> None:
    started = tracker.act(Start("Write report"))
    assert started.changes == Changes(
        entries=True,
        days=frozenset({MONDAY}),
        running=True,
        sync=True,
        ids=frozenset({started.value.started.id}),
    )
    clock.advance(hours=1)
    stopped = tracker.act(Stop())
    assert stopped.changes.running
    assert stopped.changes.days == frozenset({MONDAY})
    assert stopped.value.end == clock.now


def test_an_edit_that_moves_an_entry_names_both_days(tracker: Tracker) -> None:
    added = tracker.act(Add(START - 2 * HOUR, START - HOUR, "Review")).value
    moved = tracker.act(Edit(added.id, start=START + timedelta(days=2), duration=HOUR))
    assert moved.changes.days == frozenset({MONDAY, MONDAY + timedelta(days=2)})
    assert not moved.changes.running
    undone = tracker.act(Undo())
    assert undone.changes.days == frozenset({MONDAY, MONDAY + timedelta(days=2)})
    assert undone.value.startswith("undid edit of")


def test_split_delete_and_idle_answers(tracker: Tracker, clock: Clock) -> None:
    added = tracker.act(Add(START - 2 * HOUR, START - HOUR, "Review")).value
    parts = tracker.act(Split(added.id, START - timedelta(minutes=90)))
    assert parts.changes.days == frozenset({MONDAY})
    assert tracker.act(Delete(parts.value[1].id)).changes.entries
    running = tracker.act(Start("Focus")).value.started
    clock.advance(hours=1)
    kept = tracker.act(ResolveIdle(IdleChoice.KEEP, START, START + HOUR, running.id))
    assert not kept.changes  # nothing written, nothing to tell
    resolved = tracker.act(
        ResolveIdle(IdleChoice.DISCARD, START + timedelta(minutes=10), clock.now, running.id)
    )
    assert resolved.changes.running


def test_a_refused_request_leaves_nothing_noted_for_the_next(tracker: Tracker) -> None:
    with pytest.raises(ServiceError):
        tracker.act(Stop())
    with pytest.raises(ServiceError):
        tracker.act(Add(START - HOUR))  # neither an end nor a duration
    created = tracker.act(CreateProject("Website"))
    assert created.changes == Changes(catalog=True, sync=True)


def test_toggle_notes_a_clock_behind_the_timer(tracker: Tracker, clock: Clock) -> None:
    tracker.act(Start("running"))
    clock.now = START - HOUR
    done = tracker.act(Toggle())
    assert done.value.end == done.value.start
    assert done.note is not None
    assert "clock is behind" in done.note


def test_account_and_preferences_requests(tracker: Tracker, store: Store) -> None:
    connect(store)
    store.meta.save_workspace(WorkspaceInfo("ws2", "Beta"))
    switched = tracker.act(UseWorkspace("Beta"))
    assert switched.value == "ws2"
    assert store.meta.workspace_id() == "ws2"
    assert switched.changes.account
    assert switched.changes.touches(MONDAY + timedelta(days=400))
    with pytest.raises(ServiceError, match="Gamma"):
        tracker.act(UseWorkspace("Gamma"))
    saved = tracker.act(SavePreferences(Preferences(left_click="toggle")))
    assert saved.changes == Changes(preferences=True)
    forgotten = tracker.act(ForgetAccount())
    assert forgotten.changes.account
    assert store.meta.account() is None


def test_entry_changes_of_a_creation_and_a_deletion() -> None:
    made = entry(START, START + HOUR)
    later = entry(START + timedelta(days=1), START + timedelta(days=1) + HOUR)
    found = entry_changes([(None, made), (later, None)], UTC, START)
    assert found.days == frozenset({MONDAY, MONDAY + timedelta(days=1)})
    assert not found.running


def test_forgetting_the_account_forgets_its_kept_reports(tracker: Tracker, store: Store) -> None:
    # Disconnecting in Settings, like `tracker logout`: the account's reports go with it.
    from tracker.store.report_cache import ReportCache

    connect(store)
    cache = ReportCache(store.conn)
    cache.put("week", "ws1", {"total": 1}, fetched_at=1.0)
    assert cache.get("week") is not None
    tracker.act(ForgetAccount())
    assert cache.get("week") is None
