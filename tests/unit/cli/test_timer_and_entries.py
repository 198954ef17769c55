"""The CLI's everyday verbs in-process: output people read, JSON scripts read, exit codes."""

from __future__ import annotations

from tests.unit.cli.conftest import Cli


def test_a_session(cli: Cli) -> None:
    assert cli("clients", "add", "Acme").code == 0
    assert cli("projects", "add", "Website", "--client", "Acme", "--color", "#03a9f4").code == 0
    assert cli("tags", "add", "dev").code == 0

    started = cli("start", "Fix", "login", "-p", "web", "--tag", "dev")
    assert started.code == 0, started.err
    assert "Started" in started.out
    assert "Fix login  [Website (Acme)]  #dev" in started.out

    cli.advance(minutes=25)
    status = cli("status")
    assert status.out.splitlines()[:3] == [
        "Running  Fix login  [Website (Acme)]  #dev",
        "         0:25:00 since 09:00",
        "Today    0:25:00",
    ]

    cli.advance(minutes=5)
    stopped = cli("stop")
    assert stopped.code == 0
    assert "09:00-09:30  0:30:00  Fix login" in stopped.out

    today = cli("today")
    lines = today.out.splitlines()
    assert lines[0] == "Mon 02 Mar 2026 (UTC)"
    assert lines[1].split() == ["#", "id", "start", "end", "time", "what"]
    assert lines[2].split()[:5] == ["#1", lines[2].split()[1], "09:00", "09:30", "0:30:00"]
    assert lines[-1].strip() == "Total 0:30:00   week 0:30:00"

    edited = cli("edit", "#1", "--description", "Fixed login", "--duration", "20m")
    assert edited.code == 0
    assert "09:00-09:20  0:20:00  Fixed login" in edited.out

    undone = cli("undo")
    assert undone.out.strip() == 'Undid edit of "Fix login" Mon 02 Mar 09:00-09:30'
    assert cli("today", "--json").json()["entries"][0]["description"] == "Fix login"


def test_start_json_reports_both_entries(cli: Cli) -> None:
    first = cli("start", "one", "--json").json()
    assert first["stopped"] is None
    assert first["started"]["running"] is True
    cli.advance(minutes=10)
    second = cli("--json", "start", "two").json()
    assert second["stopped"]["id"] == first["started"]["id"]
    assert second["stopped"]["end"] == second["started"]["start"] == "2026-03-02T09:10:00+00:00"


def test_relative_times_after_options_and_as_positionals(cli: Cli) -> None:
    cli.advance(hours=2)
    assert cli("start", "late", "--at", "-30m").code == 0
    entry = cli("today", "--json").json()["entries"][0]
    assert entry["start"] == "2026-03-02T10:30:00+00:00"
    split = cli("split", "#1", "-10m", "--json")
    assert split.code == 0, split.err
    assert split.json()["second"]["start"] == "2026-03-02T10:50:00+00:00"


def test_add_with_an_end_or_a_duration_and_words_after_options(cli: Cli) -> None:
    cli.advance(hours=3)
    assert cli("add", "9:00", "10:00", "Planning", "session").code == 0
    added = cli("add", "10:00", "-d", "45m", "Stand", "up", "--json")
    assert added.code == 0, added.err
    assert added.json()["description"] == "Stand up"
    assert added.json()["duration_seconds"] == 45 * 60
    day = cli("today", "--json").json()
    assert [e["description"] for e in day["entries"]] == ["Planning session", "Stand up"]
    assert day["total_seconds"] == 105 * 60


def test_continue_discard_and_delete(cli: Cli) -> None:
    cli("start", "alpha")
    cli.advance(minutes=10)
    cli("start", "beta")
    cli.advance(minutes=10)
    continued = cli("continue", "--json").json()  # the running "beta" is not a candidate
    assert continued["started"]["description"] == "alpha"
    assert cli("discard").out.startswith("Discarded  alpha")
    assert cli("status", "--json").json()["running"] is None
    deleted = cli("delete", "#1")
    assert deleted.out.startswith("Deleted  alpha")
    assert cli("undo").out.startswith("Undid delete of")
    assert [e["description"] for e in cli("today", "--json").json()["entries"]] == [
        "alpha",
        "beta",
    ]


def test_ids_by_prefix_and_full(cli: Cli) -> None:
    entry = cli("add", "8:00", "8:30", "x", "--json").json()
    for ref in (entry["id"], entry["short_id"], entry["id"][:10], "#1", "last"):
        result = cli("edit", ref, "-m", f"via {ref}")
        assert result.code == 0, (ref, result.err)


def test_user_errors_exit_1_with_a_message(cli: Cli) -> None:
    result = cli("stop")
    assert (result.code, result.out) == (1, "")
    assert result.err == "tracker: No timer is running.\n"
    assert cli("edit", "#4", "-m", "x").err.startswith("tracker: There is no entry #4 today")
    assert cli("start", "x", "--at", "teatime").err.startswith(
        "tracker: cannot read 'teatime' as a time"
    )
    assert cli("add", "9:00", "-d", "forever").err.startswith("tracker: not a duration")
    assert cli("edit", "last").code == 1  # nothing to change (and no entries)
    assert cli("undo").err == "tracker: Nothing to undo.\n"


def test_an_ambiguous_project_lists_the_candidates(cli: Cli) -> None:
    cli("clients", "add", "Acme")
    cli("clients", "add", "Globex")
    cli("projects", "add", "Website", "-c", "Acme")
    cli("projects", "add", "Website", "-c", "Globex")
    cli("projects", "add", "Web shop")
    result = cli("start", "x", "-p", "web")
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == "tracker: 'web' matches 3 projects; be more specific, or use one of these:"
    assert [line.split("  (id ")[0].strip() for line in lines[1:]] == [
        "Web shop",
        "Website (Acme)",
        "Website (Globex)",
    ]
    assert cli("start", "x", "-p", "Website (Globex)").code == 0


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("frobnicate").code == 2
    assert cli("split", "#1").code == 2
    assert cli("start", "x", "--bogus").code == 2
    assert cli("start", "--billable", "--no-billable").code == 2


def test_version_and_help(cli: Cli) -> None:
    version = cli("--version")
    assert (version.code, version.out.strip()) == (0, "tracker 0.1.0")
    help_text = cli()
    assert help_text.code == 0
    assert "status" in help_text.out
    assert cli("start", "--help").code == 0


def test_log_over_several_days(cli: Cli) -> None:
    cli("add", "2026-02-27 09:00", "2026-02-27 10:00", "friday")
    cli("add", "8:00", "8:30", "monday")
    result = cli("log", "--from", "2026-02-26", "--to", "today")
    assert result.code == 0
    assert "Fri 27 Feb 2026 (UTC)" in result.out
    assert result.out.strip().endswith("Total 1:30:00 from 2026-02-26 to 2026-03-02")
    data = cli("log", "--json").json()
    assert (data["from"], data["to"], data["total_seconds"]) == ("2026-02-24", "2026-03-02", 5400)
    assert cli("log", "--from", "2026-01-01", "--to", "2026-01-02").out.startswith("No entries")


def test_a_midnight_crossing_entry_shows_its_dates(cli: Cli) -> None:
    cli("add", "2026-03-01 23:00", "2026-03-02 01:00", "night")
    lines = cli("today").out.splitlines()
    assert "2026-03-01 23:00" in lines[2]
    assert "1:00:00" in lines[2]
    sunday = cli("day", "yesterday").out.splitlines()
    assert "2026-03-02 01:00" in sunday[2]


def test_custom_field_option_syntax(cli: Cli) -> None:
    assert cli("start", "x", "--field", "nonsense").err == (
        "tracker: --field takes NAME=VALUE, not 'nonsense'.\n"
    )
