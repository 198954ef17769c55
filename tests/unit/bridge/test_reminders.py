"""The reminder scheduler with a clock the test moves: the single-shot timer is set to the
exact time until the next due moment, re-planned when the timer or the preferences change,
and a stop-at reminder stops the timer through the controller at the set time."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tracker.bridge.controller import Controller
from tracker.bridge.reminders import MAX_SLEEP_MS, Reminders
from tracker.services import Tracker
from tracker.services.changes import Changes
from tracker.services.reminders import Reminder
from tracker.services.requests import Start, Stop
from tracker.services.timeoff import HolidayView, cache_key
from tracker.store import Store
from tracker.store.report_cache import ReportCache

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
MINUTE_MS = 60_000


def mon(hour: int, minute: int = 0) -> datetime:
    return MONDAY + timedelta(hours=hour, minutes=minute)


class Scene:
    def __init__(self, controller: Controller, clock: FakeClock) -> None:
        self.controller = controller
        self.clock = clock
        self.reminders = Reminders(controller, clock)
        self.heard: list[Reminder] = []
        self.reminders.remind.connect(self.heard.append)

    def prefs(self, **changes: object) -> None:
        assert self.controller.save_preferences(
            self.controller.preferences().with_changes(**changes)
        )

    def at(self, when: datetime) -> None:
        """The clock reaches ``when`` and the timer goes off (as Qt would then)."""
        self.clock.now = when
        self.reminders.timer.timeout.emit()

    def interval(self) -> int | None:
        """The timer's wait in ms, or None when it is off (a call, not a property: the
        type checker must not carry one answer over to the next look)."""
        timer = self.reminders.timer
        return timer.interval() if timer.isActive() else None


@pytest.fixture
def scene(store: Store, qtbot: QtBot) -> Scene:
    clock = FakeClock(mon(8, 50))
    return Scene(Controller(Tracker(store, clock)), clock)


def test_nothing_planned_when_every_reminder_is_off(scene: Scene) -> None:
    scene.reminders.plan()
    assert scene.interval() is None
    assert scene.reminders.next_at is None


def test_track_reminders_sleep_exactly_until_the_next_moment(scene: Scene) -> None:
    scene.prefs(remind_every_minutes=15)  # preferences_changed plans again
    assert scene.reminders.next_at == mon(9)
    assert scene.interval() == 10 * MINUTE_MS
    assert scene.reminders.timer.isSingleShot()

    scene.at(mon(9))
    assert [(r.kind, r.at) for r in scene.heard] == [("track", mon(9))]
    assert scene.interval() == 15 * MINUTE_MS

    scene.at(mon(9, 3))  # woken early (or re-planned): nothing new, sleep the rest
    assert len(scene.heard) == 1
    assert scene.interval() == 12 * MINUTE_MS


def test_starting_a_timer_replans(scene: Scene) -> None:
    scene.prefs(remind_every_minutes=15, long_running_hours=0.1)  # six minutes
    assert scene.interval() == 10 * MINUTE_MS
    scene.controller.act(Start("Write report"))  # changed → plan
    assert scene.reminders.next_at == mon(8, 56)
    assert scene.interval() == 6 * MINUTE_MS
    scene.at(mon(8, 56))
    assert [(r.kind, r.label) for r in scene.heard] == [("long_running", "Write report")]
    assert scene.interval() is None  # warned once; no track reminder while it runs
    scene.controller.act(Stop())
    assert scene.reminders.next_at == mon(9)


def test_a_long_wait_is_cut_into_capped_sleeps(scene: Scene) -> None:
    scene.prefs(remind_every_minutes=15, remind_from="11:00")
    assert scene.reminders.next_at == mon(11)
    assert scene.interval() == MAX_SLEEP_MS
    scene.at(mon(10, 55))
    assert scene.heard == []
    assert scene.interval() == 5 * MINUTE_MS


def test_stop_at_stops_the_timer_at_the_set_time_through_the_controller(scene: Scene) -> None:
    scene.controller.act(Start("Write report"))
    scene.prefs(stop_at="09:00")
    assert scene.interval() == 10 * MINUTE_MS
    changes: list[Changes] = []
    scene.controller.changed.connect(changes.append)
    scene.at(mon(9, 25))  # woke late: the stop still lands at 09:00
    assert scene.controller.running() is None
    [stopped] = scene.controller.recent(1)
    assert stopped.entry.end == mon(9)
    assert [(r.kind, r.at) for r in scene.heard] == [("stop_at", mon(9))]
    assert any(c.running and c.to_send for c in changes)  # saved here, to be sent


def test_pomodoro_breaks_follow_the_running_timer(scene: Scene) -> None:
    scene.prefs(pomodoro_minutes=10, break_minutes=5)
    scene.controller.act(Start("Write report"))
    assert scene.interval() == 10 * MINUTE_MS
    scene.at(mon(9, 5))
    assert [r.kind for r in scene.heard] == ["break"]
    scene.controller.act(Stop())
    assert scene.reminders.next_at == mon(9, 10)
    assert scene.interval() == 5 * MINUTE_MS
    scene.at(mon(9, 10))
    assert [r.kind for r in scene.heard] == ["break", "back_to_work"]
    assert scene.heard[1].label == "Write report"


def test_no_track_reminder_on_a_holiday_kept_from_clockify(scene: Scene, store: Store) -> None:
    store.meta.set_account({"user_id": "u1", "name": "Ann", "email": "ann@example.com"})
    store.meta.set_workspace_id("w1")
    monday = MONDAY.date()
    holiday = HolidayView("h1", "Founders' Day", monday, monday, annual=False)
    key = cache_key("holidays", "w1", "u1")
    ReportCache(store.conn).put(key, "w1", {"items": [holiday.to_json()]}, MONDAY.timestamp())
    scene.prefs(remind_every_minutes=30, remind_from="09:00", remind_to="17:00")
    scene.at(mon(9, 0))
    assert scene.heard == []
    assert scene.reminders.next_at == mon(9, 0) + timedelta(days=1)  # Tuesday's first
