"""The app as a process, offscreen: where no tray exists the timer window stands in, and the
app still starts, reports ready and leaves cleanly (on --exit-when-ready and on SIGTERM); and
it refuses, saying why, to start when another user holds its channel."""

from __future__ import annotations

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.desktop.harness import wait_for
from tracker.integrations.instance import address, send
from tracker.integrations.paths import STORE_FILE


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
    done = _start_once(tmp_path)
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


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0,
    reason="playing another local user needs root (os.chown to another uid)",
)
def test_the_app_will_not_start_when_another_user_holds_its_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = Path(tempfile.mkdtemp(prefix="rt-", dir="/tmp"))  # short, private (0700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    channel = address(tmp_path / STORE_FILE)
    squatter = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        squatter.bind(channel)
        squatter.listen()
        os.chown(channel, 65534, 65534)  # another user listens where the app would
        done = _start_once(tmp_path)
        assert done.returncode == 1, done.stderr
        assert "belongs to another user (uid 65534)" in done.stderr
        assert "Traceback" not in done.stderr
        logged = "".join(log.read_text() for log in (tmp_path / "logs").glob("*.log"))
        assert "belongs to another user (uid 65534)" in logged
        assert not select.select([squatter], [], [], 0)[0]  # never even connected to
    finally:
        squatter.close()
        shutil.rmtree(runtime)


def _start_once(home: Path) -> subprocess.CompletedProcess[str]:
    """Start the app on ``home`` until it is ready (or refuses), as a person would."""
    return subprocess.run(
        [sys.executable, "-m", "tracker", "gui", "--exit-when-ready"],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_damaged_store_stops_the_app_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / STORE_FILE).write_bytes(b"")  # truncated to nothing: not a store to write into
    done = _start_once(tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Tracker cannot start" in done.stderr
    assert str(tmp_path / STORE_FILE) in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / STORE_FILE).stat().st_size == 0  # nothing was written into it
