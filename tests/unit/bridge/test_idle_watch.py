"""The idle watch with a backend and a clock the test moves: when it asks, when it decides
the person is away, and what it reports on their return (including sleep and lock)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from tracker.bridge.idle_watch import AWAY_POLL_MS, POLL_MS, IdleWatch

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
MINUTES = 60.0


class FakeIdle:
    """An :class:`~tracker.integrations.idle.IdleBackend` whose idle time the test sets."""

    name = "fake"

    def __init__(self) -> None:
        self.idle: float | None = 0.0
        self.calls = 0

    def idle_seconds(self) -> float | None:
        self.calls += 1
        return self.idle


class Scene:
    """A clock, a backend and a watch (threshold five minutes) with a running timer."""

    def __init__(self, qtbot: QtBot) -> None:
        self.now = NOW
        self.backend = FakeIdle()
        self.watch = IdleWatch(self.backend, lambda: self.now, threshold_seconds=5 * MINUTES)
        self.returns: list[tuple[datetime, datetime]] = []
        self.watch.returned.connect(lambda start, end: self.returns.append((start, end)))
        self.watch.set_running(True)
        self.qtbot = qtbot

    def idle_for(self, seconds: float) -> None:
        """No input for ``seconds`` more: the clock and the idle counter move together."""
        self.now += timedelta(seconds=seconds)
        assert self.backend.idle is not None
        self.backend.idle += seconds

    def polling(self) -> bool:
        """Whether the watch asks the backend (a call, not the property: the type checker
        must not carry one answer over to the next look)."""
        return self.watch.polling

    def touch(self, after: float = 0.0) -> None:
        """Input ``after`` seconds from now (the counter restarts then)."""
        self.now += timedelta(seconds=after)
        self.backend.idle = 0.0


@pytest.fixture
def scene(qtbot: QtBot) -> Scene:
    return Scene(qtbot)


def test_it_asks_only_while_a_timer_runs(scene: Scene) -> None:
    assert scene.polling()
    assert scene.watch.interval_ms == POLL_MS
    scene.watch.set_running(False)
    assert not scene.polling()
    scene.watch.poll()
    assert scene.backend.calls == 0  # stopped: the backend is never asked
    scene.watch.set_running(True)
    scene.watch.set_threshold(0)
    assert not scene.polling()  # 0 turns it off


def test_a_return_after_the_threshold_reports_the_absence(scene: Scene) -> None:
    scene.idle_for(4 * MINUTES)
    scene.watch.poll()
    assert scene.watch.away_since is None  # not yet away
    left = scene.now - timedelta(seconds=4 * MINUTES)
    scene.idle_for(2 * MINUTES)
    scene.watch.poll()
    assert scene.watch.away_since == left
    assert scene.watch.interval_ms == AWAY_POLL_MS  # watching closely for the return
    scene.idle_for(30 * MINUTES)
    scene.watch.poll()
    assert scene.returns == []
    scene.touch()
    back = scene.now
    scene.now += timedelta(seconds=0.8)  # the next poll comes a little later
    scene.backend.idle = 0.8
    with scene.qtbot.waitSignal(scene.watch.returned) as signal:
        scene.watch.poll()
    assert signal.args == [left, back]
    assert scene.watch.away_since is None
    assert scene.watch.interval_ms == POLL_MS


def test_input_before_the_threshold_asks_nothing(scene: Scene) -> None:
    for _ in range(5):
        scene.idle_for(4 * MINUTES)
        scene.watch.poll()
        scene.touch(10)
        scene.watch.poll()
    assert scene.returns == []


def test_a_stopped_timer_forgets_the_absence(scene: Scene) -> None:
    scene.idle_for(10 * MINUTES)
    scene.watch.poll()
    assert scene.watch.away_since is not None
    scene.watch.set_running(False)
    scene.touch()
    scene.watch.set_running(True)
    scene.watch.poll()
    assert scene.returns == []


def test_a_backend_without_an_answer_asks_nothing(scene: Scene) -> None:
    scene.backend.idle = None
    scene.now += timedelta(hours=2)
    scene.watch.poll()
    assert scene.watch.away_since is None


def test_sleep_counts_as_away_until_the_resume(scene: Scene) -> None:
    scene.idle_for(1 * MINUTES)
    scene.watch.on_sleeping(True)
    left = scene.now - timedelta(minutes=1)  # the idle minute before the sleep counts too
    assert scene.watch.away_since == left
    scene.now += timedelta(hours=1)
    scene.watch.on_sleeping(False)
    assert scene.returns == [(left, scene.now)]


def test_a_lock_counts_until_the_unlock_even_if_keys_are_pressed_meanwhile(
    scene: Scene,
) -> None:
    scene.watch.on_locked(True)
    left = scene.now
    scene.idle_for(10 * MINUTES)
    scene.touch()  # typing the password on the lock screen
    scene.watch.poll()
    assert scene.returns == []
    scene.now += timedelta(seconds=5)
    scene.watch.on_locked(False)
    assert scene.returns == [(left, scene.now)]


def test_sleep_with_the_lock_screen_up_ends_at_the_unlock(scene: Scene) -> None:
    scene.watch.on_locked(True)
    left = scene.now
    scene.watch.on_sleeping(True)
    scene.now += timedelta(hours=8)
    scene.watch.on_sleeping(False)
    assert scene.returns == []
    scene.now += timedelta(minutes=1)
    scene.watch.on_locked(False)
    assert scene.returns == [(left, scene.now)]


def test_a_short_lock_asks_nothing(scene: Scene) -> None:
    scene.watch.on_locked(True)
    scene.now += timedelta(minutes=2)
    scene.watch.on_locked(False)
    assert scene.returns == []
    scene.watch.set_running(False)
    scene.watch.on_locked(True)  # no timer: a lock is none of its business
    assert scene.watch.away_since is None


def test_the_qt_timer_drives_the_polls(qtbot: QtBot) -> None:
    backend = FakeIdle()
    backend.idle = 5.0
    watch = IdleWatch(backend, lambda: NOW, threshold_seconds=2)  # polls every second
    watch.set_running(True)
    qtbot.waitUntil(lambda: watch.away_since is not None, timeout=3000)
    assert watch.away_since == NOW - timedelta(seconds=5)
    watch.set_running(False)


def test_away_and_back_are_said_for_sync(scene: Scene) -> None:
    """Sync polls not at all while the person is away, and pulls when they are back."""
    said: list[bool] = []
    scene.watch.away_changed.connect(said.append)
    scene.idle_for(6 * MINUTES)
    scene.watch.poll()
    assert said == [True]
    scene.touch()
    scene.watch.poll()
    assert said == [True, False]
    scene.watch.on_locked(True)
    scene.watch.set_running(False)  # the absence is forgotten: no longer known to be away
    assert said == [True, False, True, False]
