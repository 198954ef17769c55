"""Hooks as a person sets them up: the tray starts and stops a timer, the app runs the
person's commands with the event on their standard input, kills one that hangs without the
app waiting on it, and ``tracker events --follow`` shows the same events."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.harness import AppProcess, click, key, screenshot, type_text, wait_for
from tracker.integrations.hooks import Hook, save

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")

RECORD = "import sys; open(sys.argv[1], 'a').write(sys.stdin.read())"
HANG = "import time; time.sleep(120)"
HANG_TIMEOUT = 6.0


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def app(tray: None, home: Path) -> Iterator[AppProcess]:
    record = (sys.executable, "-c", RECORD, str(home / "hooked.jsonl"))
    save(
        [
            Hook("timer.started", (sys.executable, "-c", HANG), HANG_TIMEOUT),
            Hook("timer.started", record),
            Hook("timer.stopped", record),
        ],
        home / "hooks.json",
    )
    # Local-only: hooks need no account.
    process = AppProcess(
        home, {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"}
    )
    process.start()
    try:
        yield process
    finally:
        code = process.stop()
        assert code == 0, process.output()


def _hooked(home: Path) -> list[dict[str, Any]]:
    path = home / "hooked.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_tray_start_and_stop_run_the_hooks_and_a_hanging_one_is_killed(
    app: AppProcess, home: Path
) -> None:
    follower = subprocess.Popen(
        [sys.executable, "-m", "tracker", "events", "--follow", "--json", "--since", "0"],
        env=app.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        x, y = app.tray_center()
        click(x, y, 1)
        wait_for(lambda: app.probe()["popup"], what="the timer popup")
        type_text("Hooked from the tray")
        key("Return")
        wait_for(lambda: app.probe()["running"], what="a running timer")
        started_at = time.monotonic()

        # The hanging hook runs now: the app answers and the tray stops the timer meanwhile.
        asked = time.monotonic()
        assert app.probe()["running"]
        assert time.monotonic() - asked < 2.0
        click(x, y, 3)
        wait_for(lambda: app.probe()["menu"], what="the tray menu")
        key("Down", "Return")  # the first item: Stop
        wait_for(lambda: not app.probe()["running"], what="the timer to stop")
        assert time.monotonic() - started_at < HANG_TIMEOUT  # stopped before the hook ended

        wait_for(
            lambda: len(_hooked(home)) >= 2,
            timeout=HANG_TIMEOUT + 15,
            what="both events at the recording hook",
        )
        hooked = _hooked(home)
        assert [e["kind"] for e in hooked] == ["timer.started", "timer.stopped"]
        assert hooked[0]["entry"]["description"] == "Hooked from the tray"
        assert hooked[0]["entry"]["running"] is True
        assert hooked[1]["entry"]["running"] is False
        assert hooked[0]["entry"]["id"] == hooked[1]["entry"]["id"]
        wait_for(
            lambda: "killed after its timeout of 6 s" in app.output(),
            what="the hanging hook's kill in the log",
        )

        followed = [json.loads(_read_line(follower)) for _ in range(2)]
        assert [(e["id"], e["kind"], e["entry"]["id"]) for e in followed] == [
            (e["id"], e["kind"], e["entry"]["id"]) for e in hooked
        ]
    finally:
        follower.terminate()
        follower.communicate(timeout=10)

    app.ask("settings")
    wait_for(lambda: app.probe()["settings"], what="the settings")
    for _ in range(8):  # Ctrl+Tab through the pages to Hooks
        if app.probe()["settings_tab"] == "Hooks":
            break
        key("ctrl+Tab")
        time.sleep(0.2)
    assert app.probe()["settings_tab"] == "Hooks"
    screenshot("settings-hooks")
    key("Escape")


def _read_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, "tracker events --follow printed nothing"
    return line
