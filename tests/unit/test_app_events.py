"""The app's own events and its hooks: ``sync.failed`` once a streak of failed rounds,
``idle.detected`` when the person comes back to a running timer, and the hook runner started
only when there are hooks."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tracker import app as app_module
from tracker.app import App
from tracker.bridge.hooks import HookRunner
from tracker.integrations.hooks import Hook, save
from tracker.integrations.secrets import MemorySecretStore
from tracker.sync.engine import SyncReport


@pytest.fixture
def app(tmp_path: Path, qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> Iterator[App]:
    caplog.set_level(logging.WARNING, logger="tracker.integrations.idle.choose")
    made = App(tmp_path / "tracker.sqlite3", choose_secrets=MemorySecretStore)
    window = made.tray.timer_window()
    if window is not None:
        qtbot.addWidget(window)
    yield made
    made.close()


def _kinds(app: App) -> list[str]:
    return [e.kind for e in app.store.events.all_after(0)]


def test_sync_failed_is_journalled_once_a_streak(app: App) -> None:
    app.journal_round(SyncReport(offline="Clockify cannot be reached."))
    app.journal_round(SyncReport(offline="Clockify cannot be reached."))  # a retry: no new event
    app.journal_round(SyncReport())  # a good round ends the streak
    app.journal_round(SyncReport(auth_required=True))
    events = list(app.store.events.all_after(0))
    assert [e.kind for e in events] == ["sync.failed", "sync.failed"]
    assert events[0].data["reason"] == "Clockify cannot be reached."
    assert events[0].data["offline"] is True
    assert events[1].data["reason"] == "Clockify refused the API key."


def test_idle_time_found_on_return_is_journalled_with_the_running_entry(app: App) -> None:
    app.toggle()
    running = app.controller.running()
    assert running is not None
    end = running.start + timedelta(minutes=20)
    app.journal_idle(running.start + timedelta(minutes=5), end, running)
    (event,) = [e for e in app.store.events.all_after(0) if e.kind == "idle.detected"]
    assert event.data["idle_seconds"] == 15 * 60
    assert event.data["entry"]["id"] == running.id


def _runner(app: App) -> HookRunner | None:
    return app.hooks


def test_the_hook_runner_runs_only_with_hooks_and_stops_with_the_app(
    app: App, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "HOOKS_LOOK_MS", 50)
    app.start_hooks()
    assert _runner(app) is None  # no hooks file: no thread
    hooks_file = Path(os.environ["TRACKER_HOME"]) / "hooks.json"
    save([Hook("*", (sys.executable, "-c", "pass"))], hooks_file)  # by hand, app running
    qtbot.waitUntil(lambda: _runner(app) is not None, timeout=2000)
    runner = _runner(app)
    assert runner is not None
    assert runner.alive
    app.close()
    assert not runner.alive
