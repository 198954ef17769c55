"""The app as a process, offscreen: where no tray exists the timer window stands in, and the
app still starts, reports ready and leaves cleanly (on --exit-when-ready and on SIGTERM)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.desktop.harness import wait_for
from tracker.cli.runtime import STORE_FILE
from tracker.integrations.instance import address, send


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "TRACKER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("CLOCKIFY_API_KEY", None)
    return env


@contextmanager
def running_app(home: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``tracker`` (the app) as a process, once it answers on its channel; killed if the
    test leaves it running."""
    app = subprocess.Popen(
        [sys.executable, "-m", "tracker"],
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    channel = address(home / STORE_FILE)
    try:
        wait_for(lambda: send(channel, "probe") is not None, timeout=30, what="the app")
        yield app, channel
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def test_exit_when_ready_without_a_tray(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "gui", "--exit-when-ready"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ready in ")


def test_sigterm_leaves_cleanly_and_keeps_the_store(tmp_path: Path) -> None:
    with running_app(tmp_path) as (app, channel):
        reply = send(channel, "toggle")  # starts a timer through the app itself
        assert reply is not None
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=30) == 0
    status = subprocess.run(
        [sys.executable, "-m", "tracker", "status", "--json"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert '"running": {' in status.stdout  # the timer the app started is in the store


def test_tracker_quit_asks_the_running_app_to_leave(tmp_path: Path) -> None:
    with running_app(tmp_path) as (app, _channel):
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "quit", "--json"],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        assert '"was_running": true' in done.stdout
        assert app.wait(timeout=30) == 0
