"""``tracker events``: the journal printed, and followed as another process writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tests.unit.cli.conftest import ROOT, Cli, run_tracker
from tracker.integrations.hooks import Hook, save


def test_events_lists_what_changes_did_as_json_lines(cli: Cli) -> None:
    cli("start", "Fix bug")
    cli.advance(minutes=30)
    cli("stop")
    cli("add", "7:00", "8:00", "Plan")

    listed = cli("events", "--json")
    lines = [json.loads(line) for line in listed.out.splitlines()]
    assert listed.code == 0
    assert [e["kind"] for e in lines] == ["timer.started", "timer.stopped", "entry.created"]
    assert [e["id"] for e in lines] == [1, 2, 3]
    assert lines[1]["entry"]["duration_seconds"] == 30 * 60
    assert set(lines[1]["entry"]) == set(cli("today", "--json").json()["entries"][0])

    since = cli("events", "--json", "--since", "2")
    assert [json.loads(line)["kind"] for line in since.out.splitlines()] == ["entry.created"]

    text = cli("events")
    assert "timer.stopped" in text.out
    assert "Fix bug" in text.out
    assert len(text.out.splitlines()) == 3


def test_server_text_cannot_drive_the_terminal(cli: Cli) -> None:
    cli("add", "7:00", "8:00", "evil\x1b]0;title\x07\nline")
    out = cli("events").out
    assert "\x1b" not in out
    assert len(out.splitlines()) == 1


def _spawn_follow(since: int) -> subprocess.Popen[str]:
    """``tracker events --follow --json --since ID`` (an id, so that how long the process
    takes to start cannot change what it prints)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "events", "--follow", "--json", "--since", str(since)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )


@contextmanager
def _killed(process: subprocess.Popen[str]) -> Iterator[None]:
    """Never leave the follower running after a failed test."""
    try:
        yield
    finally:
        if process.poll() is None:
            process.kill()


def _line(stream: IO[str] | None) -> dict[str, object]:
    assert stream is not None
    line = stream.readline()
    assert line, "the follower printed nothing"
    shown: dict[str, object] = json.loads(line)
    return shown


def test_follow_prints_events_from_another_process_and_ends_on_ctrl_c(cli: Cli) -> None:
    assert run_tracker("start", "Before").code == 0  # event 1, before the follower's id
    with _spawn_follow(1) as follower, _killed(follower):
        assert run_tracker("start", "Review").code == 0
        assert run_tracker("stop").code == 0
        first, second, third = (
            _line(follower.stdout),
            _line(follower.stdout),
            _line(follower.stdout),
        )
        assert [first["kind"], second["kind"], third["kind"]] == [
            "timer.stopped",
            "timer.started",
            "timer.stopped",
        ]
        assert isinstance(third["entry"], dict)
        assert third["entry"]["description"] == "Review"
        follower.send_signal(signal.SIGINT)
        _, err = follower.communicate(timeout=10)
        assert follower.returncode == 0
        assert "Traceback" not in err
        assert err == ""


def test_follow_ends_quietly_when_its_reader_leaves(cli: Cli) -> None:
    with _spawn_follow(0) as follower, _killed(follower):
        assert follower.stdout is not None
        follower.stdout.close()  # `tracker events -f | head -1` after head left
        assert run_tracker("start", "One").code == 0
        assert run_tracker("stop").code == 0
        follower.wait(timeout=10)
        assert follower.stderr is not None
        err = follower.stderr.read()
        assert follower.returncode == 0, err
        assert "Traceback" not in err


def test_doctor_lists_the_hooks_and_a_file_it_cannot_use(cli: Cli, home: Path) -> None:
    assert "Hooks        none" in cli("doctor").out
    save([Hook("timer.started", ("notify-send", "Tracking now"), 5.0)], home / "hooks.json")

    listed = cli("doctor")
    assert "Hooks        1 in" in listed.out
    assert "timer.started    notify-send 'Tracking now'  (timeout 5 s)" in listed.out
    assert cli("doctor", "--json").json()["hooks"]["hooks"] == [
        {"on": "timer.started", "run": ["notify-send", "Tracking now"], "timeout": 5.0}
    ]

    (home / "hooks.json").chmod(0o666)
    refused = cli("doctor")
    assert refused.code == 1
    assert "Others may write the hooks file" in refused.out
