"""A damaged, foreign or busy store: every verb says what is wrong, with which file, and the
way out (exit 1, never a traceback); ``doctor`` reports it; reads never wait for a writer."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.cli.conftest import ROOT, Cli, run_tracker
from tests.unit.store.support import damage_pages

VERBS = [
    ("status",),
    ("today",),
    ("day", "2026-03-01"),
    ("log",),
    ("start", "work"),
    ("stop",),
    ("add", "9:00", "10:00", "meeting"),
    ("edit", "last", "-m", "x"),
    ("delete", "last"),
    ("undo",),
    ("continue",),
    ("projects",),
    ("workspace",),
]


def store_file(home: Path) -> Path:
    return home / "tracker.sqlite3"


def poke(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(sql)
    conn.close()


def assert_told(code: int, err: str, path: Path, *words: str) -> None:
    assert code == 1, err
    assert err.startswith("tracker: "), err
    assert "Traceback" not in err
    assert str(path) in err
    for word in words:
        assert word in err, err


@pytest.mark.parametrize("verb", VERBS, ids=" ".join)
def test_every_verb_on_a_damaged_file_says_so(cli: Cli, home: Path, verb: tuple[str, ...]) -> None:
    cli("add", "8:00", "8:30", "before")
    damage_pages(store_file(home))

    result = cli(*verb)
    assert_told(result.code, result.err, store_file(home), "damaged", "restore a backup")


def test_a_damaged_file_is_told_by_the_real_command_too(home: Path) -> None:
    run_tracker("add", "8:00", "8:30", "before")
    damage_pages(store_file(home))

    for verb in ("status", "today", "log"):
        result = run_tracker(verb)
        assert_told(result.code, result.err, store_file(home), "damaged")


def test_doctor_reports_a_damaged_file_with_the_rest(cli: Cli, home: Path) -> None:
    cli("add", "8:00", "8:30", "before")
    damage_pages(store_file(home))

    result = cli("doctor")
    assert result.code == 1
    assert result.err == ""
    problem = next(line for line in result.out.splitlines() if line.startswith("Problem"))
    assert str(store_file(home)) in problem
    assert "damaged" in problem
    assert "restore a backup" in problem
    assert "API key      " in result.out  # what needs no store is still reported
    data = cli("doctor", "--json").json()
    assert data["store"] == str(store_file(home))
    assert "damaged" in data["store_problems"][0]


@pytest.mark.parametrize("kind", ["empty", "foreign", "junk"])
def test_a_file_that_is_not_a_store_is_refused_and_reported(
    cli: Cli, home: Path, kind: str
) -> None:
    path = store_file(home)
    for leftover in home.iterdir():
        leftover.unlink()
    if kind == "empty":
        path.touch()
    elif kind == "foreign":
        poke(path, "CREATE TABLE recipes (name TEXT)")
    else:
        path.write_bytes(b"shopping list\n" * 500)
    before = path.read_bytes()

    status = cli("status")
    assert_told(status.code, status.err, path)
    doctor = cli("doctor", "--json")
    assert doctor.code == 1
    assert str(path) in doctor.json()["store_problems"][0]
    assert cli("start", "x").code == 1
    assert path.read_bytes() == before


def test_a_damaged_entry_stops_the_verbs_that_show_it_and_names_it(cli: Cli, home: Path) -> None:
    cli("add", "8:00", "8:30", "fine")
    hurt = cli("add", "9:00", "10:00", "hurt", "--json").json()["id"]
    poke(store_file(home), f"UPDATE entries SET start = 'nine' WHERE id = '{hurt}'")

    for verb in (("edit", hurt, "-m", "y"), ("edit", "last", "-m", "y")):
        result = cli(*verb)
        assert_told(result.code, result.err, store_file(home), f"entry '{hurt}'", "start")
    poke(store_file(home), f"UPDATE entries SET start = 0, tag_ids = '[' WHERE id = '{hurt}'")
    assert cli("log", "--from", "1970-01-01", "--to", "1970-01-01").code == 1
    doctor = cli("doctor")
    assert doctor.code == 1
    assert f"entry '{hurt}' cannot be read: tag_ids is not valid JSON" in doctor.out


def test_a_damaged_setting_counts_as_unset_and_doctor_says_so(
    cli: Cli, home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Expected: every read names the damage.
    caplog.set_level(logging.WARNING, logger="tracker.store")
    cli("add", "8:00", "8:30", "kept")
    poke(store_file(home), "UPDATE meta SET value = '{\"time_zone\": ' WHERE key = 'profile'")

    status = cli("status")
    assert status.code == 0, status.err
    assert "kept" in cli("today").out
    doctor = cli("doctor")
    assert doctor.code == 1
    assert "The setting 'profile'" in doctor.out
    assert "counts as unset" in doctor.out


# --- reads do not wait for a writer -------------------------------------------------------------


HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO meta VALUES ('held', '1')")
print("holding", flush=True)
time.sleep(120)
"""


@pytest.fixture
def writer(home: Path) -> Iterator[None]:
    """Another process holds the store's write lock (a write transaction in progress)."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store_file(home))],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "holding"
        yield
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()


def timed(*argv: str) -> tuple[float, str]:
    began = time.monotonic()
    result = run_tracker(*argv, "--json")
    assert result.code == 0, result.err
    return time.monotonic() - began, result.out


@pytest.mark.parametrize("verb", ["status", "today", "log", "doctor"])
def test_a_read_answers_at_once_while_another_process_writes(
    home: Path, verb: str, request: pytest.FixtureRequest
) -> None:
    run_tracker("add", "8:00", "8:30", "before")
    alone, expected = timed(verb)

    request.getfixturevalue("writer")
    took, out = timed(verb)

    answer, before = json.loads(out), json.loads(expected)
    if verb == "status":
        answer.pop("now")
        before.pop("now")
    assert answer == before
    assert took < alone + 1.0, (alone, took)  # the busy timeout would be 10 s
