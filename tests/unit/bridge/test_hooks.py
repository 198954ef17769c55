"""The hook runner: follows the journal on its own thread and runs the person's hooks."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tracker.bridge.hooks import HookRunner
from tracker.integrations.hooks import Hook, Outcome, save
from tracker.services import Tracker
from tracker.store import Event, Store

RECORD = "import sys; open(sys.argv[1], 'a').write(sys.stdin.read())"
"""A hook that appends the event it is given to a file."""


class Runs:
    """What the runner ran, for a test to wait on."""

    def __init__(self) -> None:
        self.done: list[tuple[Event, Hook, Outcome]] = []
        self._changed = threading.Condition()

    def __call__(self, event: Event, hook: Hook, outcome: Outcome) -> None:
        with self._changed:
            self.done.append((event, hook, outcome))
            self._changed.notify_all()

    def wait(self, count: int, timeout: float = 15.0) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.done) >= count, timeout), self.done


def test_hooks_get_each_new_event_of_their_kind_with_the_entry(
    store: Store, tmp_path: Path
) -> None:
    log_file = tmp_path / "events.jsonl"
    hooks_file = tmp_path / "hooks.json"
    record = (sys.executable, "-c", RECORD, str(log_file))
    save([Hook("timer.started", record), Hook("timer.stopped", record)], hooks_file)
    tracker = Tracker(store)
    tracker.timer.start("Before the app")  # not run: it was there before the runner
    runs = Runs()
    runner = HookRunner(store.path, hooks_file, ran=runs)
    runner.start()
    try:
        with Store(store.path) as other:  # as a CLI call in a terminal would write
            other_tracker = Tracker(other)
            other_tracker.timer.start("Review")  # stops "Before the app", starts "Review"
            other_tracker.entries.add(
                other_tracker.context.now() - timedelta(hours=3),
                other_tracker.context.now() - timedelta(hours=2),
                "no hook for entry.created",
            )
        tracker.timer.stop()
        runs.wait(3)
    finally:
        runner.stop()
    events = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert [(e["kind"], e["entry"]["description"]) for e in events] == [
        ("timer.stopped", "Before the app"),
        ("timer.started", "Review"),
        ("timer.stopped", "Review"),
    ]
    assert events[2]["entry"]["running"] is False
    assert all(outcome.code == 0 for _, _, outcome in runs.done)


def test_a_hanging_hook_is_killed_and_the_next_events_still_run(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log_file = tmp_path / "events.jsonl"
    hooks_file = tmp_path / "hooks.json"
    hang = Hook("timer.started", (sys.executable, "-c", "import time; time.sleep(60)"), 1.0)
    save([hang, Hook("*", (sys.executable, "-c", RECORD, str(log_file)))], hooks_file)
    runs = Runs()
    runner = HookRunner(store.path, hooks_file, ran=runs)
    runner.start()
    with caplog.at_level(logging.WARNING, logger="tracker.hooks"):
        began = time.monotonic()
        with Store(store.path) as other:
            Tracker(other).timer.start("Stuck")
            Tracker(other).timer.stop()
        runs.wait(3)
        runner.stop()
    assert time.monotonic() - began < 10
    first = runs.done[0][2]
    assert first.code is None
    assert first.problem == "killed after its timeout of 1 s"
    assert "killed after its timeout of 1 s" in caplog.text
    kinds = [json.loads(line)["kind"] for line in log_file.read_text().splitlines()]
    assert kinds == ["timer.started", "timer.stopped"]


def test_stopping_the_runner_kills_the_hook_that_runs(store: Store, tmp_path: Path) -> None:
    hooks_file = tmp_path / "hooks.json"
    save([Hook("*", (sys.executable, "-c", "import time; time.sleep(60)"), 60.0)], hooks_file)
    runner = HookRunner(store.path, hooks_file)
    runner.start()
    with Store(store.path) as other:
        Tracker(other).timer.start("Long hook")
    time.sleep(1.5)  # the hook runs now
    began = time.monotonic()
    runner.stop(timeout=5)
    assert time.monotonic() - began < 5
    assert not runner.alive
