"""The controller writes locally at once, tells listeners, and turns refusals into messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tracker.bridge.controller import Controller
from tracker.services import Tracker
from tracker.services.changes import Changes, Origin
from tracker.services.preferences import Preferences
from tracker.services.requests import CreateProject, Edit, Start, Stop, Toggle
from tracker.store import Store

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def controller(store: Store, clock: FakeClock, qtbot: QtBot) -> Controller:
    return Controller(Tracker(store, clock))


def test_an_action_writes_at_once_and_says_what_changed_once(
    controller: Controller, qtbot: QtBot
) -> None:
    heard: list[Changes] = []
    controller.changed.connect(heard.append)
    result = controller.act(Start("Write report"))
    assert result is not None
    running = controller.running()
    assert running is not None
    assert running.description == "Write report"
    [changes] = heard  # one signal per action, however many parts it wrote
    assert (changes.entries, changes.running, changes.sync, changes.to_send) == (
        True,
        True,
        True,
        True,
    )
    assert changes.days == frozenset({NOW.date()})
    assert (changes.catalog, changes.account, changes.preferences) == (False, False, False)


def test_a_refusal_is_a_message_not_an_exception(controller: Controller, qtbot: QtBot) -> None:
    with (
        qtbot.waitSignal(controller.failed, timeout=100) as failed,
        qtbot.assertNotEmitted(controller.changed),
    ):
        assert controller.act(Stop()) is None
    assert "running" in failed.args[0].lower()


def test_toggle_stops_then_continues_the_latest(controller: Controller, clock: FakeClock) -> None:
    assert controller.act(Toggle()) is not None  # nothing yet: an empty timer starts
    clock.now += timedelta(minutes=5)
    controller.act(Edit(controller.running().id, description="Design"))  # type: ignore[union-attr]
    stopped = controller.act(Toggle())
    assert stopped is not None
    assert stopped.end == clock.now
    assert controller.running() is None
    clock.now += timedelta(minutes=5)
    controller.act(Toggle())
    running = controller.running()
    assert running is not None
    assert running.description == "Design"
    assert running.start == clock.now


def test_recent_lists_distinct_past_entries_newest_first(
    controller: Controller, clock: FakeClock
) -> None:
    for description in ("A", "B", "A", "C"):
        controller.act(Start(description))
        clock.now += timedelta(minutes=10)
    controller.act(Stop())
    labels = [item.entry.description for item in controller.recent(5)]
    assert labels == ["C", "A", "B"]


def test_recent_leaves_out_the_running_entry(controller: Controller, clock: FakeClock) -> None:
    controller.act(Start("A"))
    clock.now += timedelta(minutes=10)
    controller.act(Start("B"))
    assert [item.entry.description for item in controller.recent()] == ["A"]


def test_preferences_round_trip_and_bad_ones_are_refused(
    controller: Controller, qtbot: QtBot
) -> None:
    prefs = controller.preferences().with_changes(left_click="toggle")
    with qtbot.waitSignal(controller.changed, timeout=100) as changed:
        assert controller.save_preferences(prefs)
    assert changed.args[0] == Changes(preferences=True)
    assert controller.preferences().left_click == "toggle"
    with pytest.raises(ValueError, match="left_click"):
        Preferences(left_click="explode").with_changes()


def test_only_catalog_changes_ask_pickers_to_rebuild(controller: Controller, qtbot: QtBot) -> None:
    heard: list[Changes] = []
    controller.changed.connect(heard.append)
    controller.act(Start("Plain start"))
    controller.act(Stop())
    assert not any(changes.catalog for changes in heard)
    with qtbot.waitSignal(controller.changed, timeout=100) as created:
        assert controller.act(CreateProject("Website")) is not None
    assert (created.args[0].catalog, created.args[0].entries) == (True, False)
    with qtbot.waitSignal(controller.changed, timeout=100) as outside:
        controller.refresh()  # a sync round or a CLI call may have brought new projects
    assert (outside.args[0].catalog, outside.args[0].origin) == (True, Origin.OUTSIDE)


def test_a_clock_set_back_behind_the_timer_is_said_not_refused(
    controller: Controller, clock: FakeClock, qtbot: QtBot
) -> None:
    controller.act(Start("running"))
    clock.now = NOW - timedelta(hours=2)  # the clock was set back behind the timer's start
    with qtbot.waitSignal(controller.noted) as noted:
        stopped = controller.act(Stop())
    assert stopped is not None
    assert stopped.end == stopped.start
    assert "clock is behind" in noted.args[0]
    clock.now = NOW
    controller.act(Start("again"))
    clock.now = NOW - timedelta(hours=1)
    with qtbot.waitSignal(controller.noted):
        controller.act(Start("switched"))  # the running one stops at its start, said too
