"""``tracker week``: the timesheet table, its JSON, typing in a cell and copying last week,
over a real store, in process and as a real ``python -m tracker``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.cli.conftest import Cli, run_tracker


def test_the_week_as_a_table_and_as_json(cli: Cli) -> None:
    assert cli("add", "9:00", "10:30", "Design").code == 0  # Monday 2026-03-02
    assert cli("add", "2026-03-04 13:00", "2026-03-04 13:45", "Mail").code == 0
    shown = cli("week")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == "Week of Mon 02 Mar 2026 (UTC)"
    assert lines[2].split() == ["1", "(no", "project)", "-", "Design", "1:30", *["-"] * 6, "1:30"]
    assert "capacity" in lines[-1]
    assert lines[-1].split()[1:3] == ["8:00", "8:00"]
    data = cli("week", "this", "--json").json()
    assert data["week_start"] == "2026-03-02"
    assert data["total_seconds"] == 5400 + 2700
    assert [d["total_seconds"] for d in data["days"]][:3] == [5400, 0, 2700]
    assert data["days"][5]["working"] is False
    assert data["rows"][1]["seconds"][2] == 2700


def test_weeks_are_named_in_several_ways(cli: Cli) -> None:
    for text, start in [
        ("last", "2026-02-23"),
        ("-1", "2026-02-23"),
        ("next", "2026-03-09"),
        ("2026-W10", "2026-03-02"),
        ("2026-03-05", "2026-03-02"),
        ("fri", "2026-02-23"),  # the most recent Friday
    ]:
        result = cli("week", text, "--json")
        assert result.code == 0, (text, result.err)
        assert result.json()["week_start"] == start, text
    bad = cli("week", "soon")
    assert bad.code == 1
    assert "cannot read 'soon' as a week" in bad.err
    assert cli("week", "2026-W54").code == 1


def test_set_types_a_duration_in_a_cell_and_zero_clears_it(cli: Cli) -> None:
    cli("add", "9:00", "10:00", "Design")
    made = cli("week", "set", "1", "2026-03-04", "2h", "--json")
    assert made.code == 0, made.err
    assert made.json()["seconds"] == 7200
    with cli.store() as store:
        rows = store.entries.latest("local", 5)
    assert any(r.entry.start.hour == 9 and r.entry.start.day == 4 for r in rows)
    assert cli("week", "set", "1", "2026-03-04", "0").code == 0
    assert cli("week", "--json").json()["rows"][0]["seconds"][2] == 0
    missing = cli("week", "set", "7", "mon", "1h")
    assert missing.code == 1
    assert "No row '7'" in missing.err
    wrong = cli("week", "set", "1", "mon", "soon")
    assert wrong.code == 1
    assert "not a duration" in wrong.err


def test_copy_brings_last_weeks_entries(cli: Cli) -> None:
    cli("add", "9:00", "10:00", "Design")
    cli.advance(days=7)
    copied = cli("week", "copy", "--json")
    assert copied.code == 0, copied.err
    assert copied.json()["copied"] == 1
    assert copied.json()["total_seconds"] == 3600
    again = cli("week", "copy")
    assert again.code == 1
    assert "Nothing to copy" in again.err


def test_week_in_a_real_process(home: Path) -> None:
    assert run_tracker("add", "2026-03-02 09:00", "2026-03-02 10:00", "Design").code == 0
    result = run_tracker("week", "2026-03-02", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["rows"][0]["description"] == "Design"
    assert data["days"][0]["total_seconds"] == 3600
    usage = run_tracker("week", "set", "1")
    assert usage.code == 1
    assert "Give a row number, a day and a duration" in usage.err
