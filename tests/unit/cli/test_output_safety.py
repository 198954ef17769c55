"""Text from Clockify never drives the terminal, in human output, ``--json`` and errors alike.

Names and descriptions are written by anyone in a shared workspace. They come in through a
real sync from the test server here, as they would from Clockify.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import Cli
from tests.unit.cli.test_hostile_inputs import UNSAFE
from tracker.cli.safe_output import SafeWriter, clean

ESC_TITLE = "\x1b]0;pwned\x07"  # OSC: retitles the terminal
ESC_CLEAR = "\x1b[2J\x1b[H"  # CSI: clears the screen
C1_CSI = "\x9b2J"  # the one-character CSI of many terminals
BIDI = "\u202egnp.exe"  # reads as "exe.png"
DEL = "\x7f"
NAMES = {
    "project": f"Web{ESC_TITLE}site",
    "client": f"Acme{C1_CSI}",
    "task": f"Back{DEL}end",
    "tag": f"dev{BIDI}",
    "description": f"Fix{ESC_CLEAR} login\r\nTotal 99:00:00",
}


@pytest.fixture
def synced(
    cli: Cli,
    clockify_factory: Callable[..., FakeClockify],
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    """A store that pulled hostile names and an entry (the running one) from Clockify."""
    # A sync pulls what changed recently by the real clock, so the scene is set in the present.
    now = datetime.now(UTC).replace(microsecond=0)
    server = clockify_factory(seed="demo")
    monkeypatch.setenv("TRACKER_API_URL", server.base_url)
    monkeypatch.setenv("TRACKER_REPORTS_URL", server.reports_url)
    state, ws = server.state, server.workspace_id
    client = state.add_client(ws, NAMES["client"], currency_code="USD")
    project = state.add_project(ws, NAMES["project"], client_id=client.id)
    task = state.add_task(ws, project.id, NAMES["task"])
    tag = state.add_tag(ws, NAMES["tag"])
    state.add_entry(
        ws,
        server.user_id,
        int((now - timedelta(hours=1)).timestamp()),
        None,
        description=NAMES["description"],
        project_id=project.id,
        task_id=task.id,
        tag_ids=[tag.id],
    )
    cli.now = now
    monkeypatch.setattr(sys, "stdin", io.StringIO(server.api_key + "\n"))
    assert cli("login").code == 0
    synced = cli("sync")
    assert synced.code == 0, synced.err
    return cli


@pytest.mark.parametrize(
    "argv",
    [
        ("projects",),
        ("clients",),
        ("tags",),
        ("tasks",),
        ("today",),
        ("status",),
        ("log",),
        ("stop",),
        ("edit", "#1", "-m", f"again{ESC_CLEAR}"),
    ],
)
def test_human_output_shows_control_characters_instead_of_obeying_them(
    synced: Cli, argv: tuple[str, ...]
) -> None:
    result = synced(*argv)
    assert result.code == 0, result.err
    assert not UNSAFE.search(result.out), result.out
    shown = {
        "projects": "Web\\u001b]0;pwned\\u0007site",
        "clients": "Acme\\u009b2J",
        "tags": "dev\\u202egnp.exe",
        "tasks": "Back\\u007fend",
    }.get(argv[0], "\\u001b[2J\\u001b[H")
    assert shown in result.out


def test_a_description_cannot_add_lines_to_a_listing(synced: Cli) -> None:
    lines = synced("today").out.splitlines()
    assert [line for line in lines if "Total" in line and "week" not in line] == [
        next(line for line in lines if "\\u000d\\nTotal 99:00:00" in line)
    ]


@pytest.mark.parametrize("argv", [("projects",), ("tags",), ("today",), ("status",), ("log",)])
def test_json_output_escapes_every_control_character_and_keeps_the_text(
    synced: Cli, argv: tuple[str, ...]
) -> None:
    result = synced(*argv, "--json")
    assert result.code == 0, result.err
    assert not UNSAFE.search(result.out), result.out
    text = json.dumps(result.json(), ensure_ascii=False)
    found = [name for name in NAMES.values() if name in text]
    assert found, "the names arrive unchanged once the JSON is decoded"


def test_errors_quote_hostile_input_safely(synced: Cli) -> None:
    result = synced("start", "x", "-p", f"nope{ESC_TITLE}{C1_CSI}{BIDI}")
    assert result.code == 1
    assert result.err.startswith("tracker: ")
    assert not UNSAFE.search(result.err), result.err
    usage = synced("status", ESC_CLEAR)
    assert usage.code == 2
    assert not UNSAFE.search(usage.err), usage.err
    assert "\\u001b[2J" in usage.err


def test_clean_escapes_exactly_the_dangerous_characters() -> None:
    assert clean("plain text, tabs\tand\nnewlines, é and 🙂") == (
        "plain text, tabs\tand\nnewlines, é and 🙂"
    )
    assert clean("\x00\x1b\x7f\x80\x9b\x9f\u061c\u200e\u202a\u202e\u2066\u2069\udcff") == (
        "\\u0000\\u001b\\u007f\\u0080\\u009b\\u009f\\u061c\\u200e\\u202a\\u202e\\u2066"
        "\\u2069\\udcff"
    )
    for char in map(chr, range(0x110000)):
        if UNSAFE.fullmatch(char):
            assert json.loads(f'"{clean(char)}"') == char


def test_a_narrow_terminal_gets_escapes_instead_of_an_error() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    writer = SafeWriter(stream)
    print(json.dumps({"name": "Café 🙂\x9b"}, ensure_ascii=False), file=writer)
    stream.flush()
    written = raw.getvalue().decode("ascii")
    assert json.loads(written) == {"name": "Café 🙂\x9b"}


def test_escaped_names_keep_the_columns_aligned(cli: Cli) -> None:
    cli("projects", "add", f"Evil{ESC_TITLE}")
    cli("projects", "add", "Good")
    lines = cli("projects").out.splitlines()
    ids = [line.rindex(" ") for line in lines]
    assert len(set(ids)) == 1, lines
