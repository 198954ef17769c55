"""A reminder fires in the real app: a timer that has run too long is announced (through
the desktop's notification service where there is one, the tray balloon here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.harness import AppProcess, screenshot, wait_for
from tracker.integrations.paths import STORE_FILE
from tracker.services.preferences import load, save
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:trayer", "cmd:import")


def test_a_long_running_timer_is_announced(
    tray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    with Store(tmp_path / STORE_FILE) as store:
        # 0.002 h = 7.2 s: long enough to start the app first, short enough for a test.
        save(store, load(store).with_changes(long_running_hours=0.002))
    app = AppProcess(
        tmp_path, {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"}
    )
    app.env.pop("CLOCKIFY_API_KEY")
    subprocess.run(
        [sys.executable, "-m", "tracker", "start", "Deep work"],
        env=app.env,
        check=True,
        capture_output=True,
        timeout=30,
    )
    app.start()
    try:
        assert app.probe()["reminders_shown"] == []
        assert app.probe()["reminders_next"] is not None  # asleep until it is due, no polling
        wait_for(
            lambda: "long_running" in app.probe()["reminders_shown"],
            timeout=30,
            what="the long-running reminder",
        )
        screenshot("reminder-long-running")
        assert app.probe()["reminders_shown"].count("long_running") == 1  # once, not per tick
    finally:
        assert app.stop() == 0, app.output()
