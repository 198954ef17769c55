"""How the command line fails: a bug gets its own exit code and a private crash report,
undecodable arguments and a clock set back are handled, and every exit code is documented."""

from __future__ import annotations

import io
import stat
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers.keyrings import keep_key
from tests.unit.cli.conftest import START, Cli
from tracker.api import Servers
from tracker.cli import EXIT_INTERNAL
from tracker.cli.parser import VERBS
from tracker.cli.runtime import Runtime

SECRET = "k3y-that-must-not-leak-0123456789"


def explode(rt: object) -> int:
    """A verb with a bug, whose error text quotes the API key."""
    raise RuntimeError(f"unexpected state while using {SECRET}")


def explode_with_the_stored_key(rt: Runtime) -> int:
    """A verb with a bug, whose error text quotes the key it read from the keyring."""
    raise RuntimeError(f"unexpected answer for {rt.api_key()}")


@pytest.fixture
def buggy_status(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(VERBS, "status", (__name__, "explode"))
    monkeypatch.setenv("CLOCKIFY_API_KEY", SECRET)


@pytest.mark.usefixtures("buggy_status")
def test_a_bug_exits_70_with_one_line_and_a_private_report(cli: Cli) -> None:
    result = cli("status")
    assert result.code == EXIT_INTERNAL == 70
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("tracker: internal error, a bug in tracker")
    assert "RuntimeError" in lines[0]
    assert "Traceback" not in result.err
    assert SECRET not in result.err
    reports = list((cli.home / "logs").glob("crash-*.txt"))
    assert len(reports) == 1
    assert str(reports[0]) in lines[0]
    assert stat.S_IMODE(reports[0].stat().st_mode) == 0o600
    text = reports[0].read_text(encoding="utf-8")
    assert "Traceback" in text
    assert "in explode" in text
    assert "command: tracker 'status'" in text
    assert SECRET not in text


def test_a_key_from_the_keyring_is_masked_in_the_report(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(VERBS, "status", (__name__, "explode_with_the_stored_key"))
    with cli.store() as store:
        keep_key(cli.secrets, store, Servers().api, "u1", SECRET.upper())
    result = cli("status")
    assert result.code == EXIT_INTERNAL
    (report,) = (cli.home / "logs").glob("crash-*.txt")
    text = report.read_text(encoding="utf-8")
    assert "unexpected answer for ***" in text
    assert SECRET.upper() not in text


@pytest.mark.usefixtures("buggy_status")
def test_tracker_debug_prints_the_details_too(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DEBUG", "1")
    result = cli("status")
    assert result.code == EXIT_INTERNAL
    assert "Traceback" in result.err
    assert "in explode" in result.err
    assert SECRET not in result.err


@pytest.mark.usefixtures("buggy_status")
def test_a_report_that_cannot_be_written_still_gets_one_clear_line(cli: Cli) -> None:
    (cli.home / "logs").write_text("a file where the folder should be", encoding="utf-8")
    result = cli("status")
    assert result.code == EXIT_INTERNAL
    assert len(result.err.splitlines()) == 1
    assert "could not be saved" in result.err
    assert "TRACKER_DEBUG=1" in result.err


@pytest.mark.usefixtures("buggy_status")
def test_old_crash_reports_are_pruned(cli: Cli) -> None:
    logs = cli.home / "logs"
    logs.mkdir()
    for n in range(30):
        (logs / f"crash-20200101T0000{n:02d}Z-1.txt").write_text("old", encoding="utf-8")
    assert cli("status").code == EXIT_INTERNAL
    reports = sorted(logs.glob("crash-*.txt"))
    assert len(reports) == 20
    assert reports[-1].read_text(encoding="utf-8") != "old"


def test_every_exit_code_is_documented(cli: Cli) -> None:
    shown = cli("--help").out
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    for code, meaning in [
        ("0", "done"),
        ("1", "refused"),
        ("2", "usage error"),
        ("70", "internal error"),
        ("130", "interrupted"),
    ]:
        assert f"  {code} " in shown
        assert meaning in shown
        assert f"{code} {meaning}" in readme.replace("`", "").replace(":", "")
    assert "TRACKER_DEBUG=1" in shown


@pytest.mark.parametrize("word", ["\udcff", "caf\udce9", "\udcc3("])
def test_arguments_that_are_not_utf8_are_a_usage_error(cli: Cli, word: str) -> None:
    for argv in (("start", word), ("add", "9:00", "10:00", word), ("projects", "add", word)):
        result = cli(*argv)
        assert result.code == 2
        assert "is not valid UTF-8" in result.err
        result.err.encode("utf-8")  # printable: the bad bytes are shown as escapes
    assert cli("today", "--json").json()["entries"] == []


def test_stop_and_toggle_with_the_clock_behind_the_timer(cli: Cli) -> None:
    assert cli("start", "work").code == 0
    cli.now = START - timedelta(minutes=5)  # the clock was set back
    stopped = cli("stop")
    assert stopped.code == 0, stopped.err
    assert "09:00-09:00  0:00:00  work" in stopped.out
    assert "Note     Your clock is behind the timer's start; it was stopped at its start." in (
        stopped.out
    )
    cli.now = START
    assert cli("start", "again").code == 0
    cli.now = START - timedelta(minutes=5)
    toggled = cli("toggle", "--json")
    assert toggled.code == 0, toggled.err
    assert toggled.json()["stopped"]["end"] == "2026-03-02T09:00:00+00:00"
    assert "stopped at its start" in toggled.json()["stopped"]["note"]
    assert cli("stop").code == 1  # nothing runs any more


def test_start_with_the_clock_behind_the_running_timer(cli: Cli) -> None:
    assert cli("start", "first").code == 0
    cli.now = START - timedelta(minutes=5)
    switched = cli("start", "second", "--json")
    assert switched.code == 0, switched.err
    data = switched.json()
    assert data["stopped"]["end"] == data["stopped"]["start"] == "2026-03-02T09:00:00+00:00"
    assert data["started"]["start"] == "2026-03-02T08:55:00+00:00"
    assert "stopped at its start" in data["note"]
    assert cli("start", "third", "--at", "8:00").code == 1  # typed before it: still refused


def test_an_ordinary_stop_has_no_note(cli: Cli) -> None:
    cli("start", "work")
    cli.advance(minutes=5)
    stopped = cli("stop", "--json")
    assert stopped.json()["note"] is None
    assert "Note" not in cli("start", "x").out


@pytest.mark.parametrize("typed", [b"\xff\xfekey\n", b"cl\xc3\xa9-0123456789\n", b"\n", b""])
def test_login_refuses_a_typed_key_that_cannot_be_one(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, typed: bytes
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(typed), encoding="utf-8"))
    result = cli("login")
    assert result.code == 1
    assert result.err.startswith("tracker: ")
    assert "Traceback" not in result.err
    assert cli.secrets.accounts() == []


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_a_store_folder_that_cannot_exist_is_refused_with_a_message(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    (cli.home / "a-file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TRACKER_HOME", str(cli.home / where))
    result = cli("status")
    assert result.code == 1, result.err
    assert result.err.startswith("tracker: Cannot keep the store in ")
    assert result.err.rstrip().endswith("check TRACKER_HOME.")
