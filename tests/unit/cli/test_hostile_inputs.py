"""Every verb over a table of hostile inputs: a clear refusal or a result, never a traceback,
a hang, an internal error or raw control characters on the terminal.

Each case runs ``tracker.cli.main`` in this process on a copy of one prepared store (a
client, a project with a task, a tag, two finished entries and a running timer), with the
clock pinned. Network verbs talk to one test server for the whole module (contract-checked
at the end); their cases give hostile keys, workspace names and server addresses. The
subprocess cases (real invalid UTF-8 argv bytes, a non-ASCII key in the environment) are in
``test_subprocess.py``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest

from tests.contract import ContractLog
from tests.fakeclockify import FakeClockify
from tests.helpers.keyrings import keep_key
from tests.unit.cli.conftest import START
from tracker.cli import EXIT_INTERNAL, main
from tracker.cli.parser import VERBS
from tracker.domain.model import Profile
from tracker.integrations.secrets import MemorySecretStore
from tracker.services.preferences import Preferences
from tracker.store import Store
from tracker.sync.servers import servers_for

NOW = START + timedelta(hours=3)  # Monday 12:00 UTC; the timer runs since 11:00
STORE = "tracker.sqlite3"
GOOD_KEY = "<the test server's key>"

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What must never reach the terminal raw (tab and newline are the CLI's own)."""

# --- the hostile values ------------------------------------------------------------------------

NUMBERS = [
    "0", "-0", "-1", "1", "07", "99999999", "-99999999", "99999999999", "1" * 30, "9" * 30,
    "-" + "9" * 30, "1e309", "nan", "inf", "-inf", "0x10", "1_000", "\u0663", "\u00b2",
    "\u216b", "\uff11",
]  # fmt: skip
DURATIONS = [
    "99999999h", "P999999999D", "PT99999999999999999999H", "1000h", "999h1m", "P42D",
    "P6W", "-1h", "P-1D", "-PT1H", "1:99", "1:60:00", "99999999999:00", "1.5.5h", "1e9h",
    "999999999999999999999m", "0.0000001s", "h", "m", "PT", "P", "1hh", "90mm", ":30",
]  # fmt: skip
BAD_DAYS = [
    "0001-01-01", "9999-12-31", "1969-12-31", "2100-01-01", "0000-00-00", "2026-02-30",
    "-99999", "+99999", "-100000", "20260302", "2026-W10-1", "2026-061", "1" * 30,
    "yesterday yesterday", "someday", "2026-3-2",
    "\u0662\u0660\u0662\u0666-\u0660\u0663-\u0660\u0662",
]  # fmt: skip
BAD_TIMES = [
    "0001-01-01 00:00", "9999-12-31 23:59", "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00-14:00", "1969-12-31 12:00", "2100-01-01 00:00", "-99999999h",
    "+99999999h", "-P999999999D", "-999999999:00", "24:00", "23:60", "25", "13pm", "0am",
    "yesterday 25:00", "-99999 9:00", "1" * 30, "9" * 30, "111111111111T1111",
    "20260302T0900", "2026-03-02", "2026-W10-1T09:00", "T", "Z", "now now", "9:00:60",
    "2026-03-02T09:00:00+99:00",
]  # fmt: skip
BAD_REFS = [
    "#0", "#-1", "#99999999999", "#" + "9" * 30, "#", "##1", "#1#", "# 1", "ffffff",
    "000000", "a" * 24, "0" * 32, "-1", "nothere", "lastt",
]  # fmt: skip
TEXT = [
    "", " ", "\t", "\n", "\r", "\x00", "\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "\x7f", "\x9b2J",
    "\u202eevil", "\u2066x\u2069", "\udcff", "\ud800", "a\udcffb", "\u00e9" * 5000, "x" * 100_000,
    "'; DROP TABLE entries; --", "%s%n%x", "{0}{name}", "../../../etc/passwd", "last",
    "latest", "-", "--", "-x", "--json", "=", "now", "today", "\u00a0", "\ufeff", "\U0001f642",
    "\U0010ffff", "null", "true", "[]", "{}", "#\u0661",
]  # fmt: skip
FIELDS = [
    "=", "NAME", "=x", " =x", "a=b=c", "x" * 10_000 + "=1", "\x00=\x00", "nosuch=1",
    "\udcff=1", "a=\udcff",
]  # fmt: skip
NOISE = ["--bogus", "-Z", "extra", "", "\x1b[2J", "\udcff", "--json=1", "-"]
"""Extra words for verbs that take no arguments: always a usage error."""


BAD_URLS = [
    "not a url", "ftp://127.0.0.1", "http://", "http://[::1", "http://127.0.0.1:99999",
    "http://127.0.0.1:-1", "http://:80", "http://127.0.0.1:x",
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    argv: tuple[str, ...]
    refused: bool
    """Whether the input is wrong, so the call must exit 1 or 2 (else 0 is fine too)."""
    key: str | None = None
    """The stored API key (:data:`GOOD_KEY` stands for the test server's)."""
    stdin: str | None = None
    api_url: str | None = None
    """``TRACKER_API_URL`` instead of the test server's."""


def _word(text: str) -> str:
    return text.encode("unicode_escape", "backslashreplace").decode()[:24]


_SLOT = "{}"
"""Where a template's argv takes the hostile value."""


def _each(values: Iterable[str], *templates: Case) -> Iterator[Case]:
    """Every value in every template's slot, value by value."""
    for value in values:
        for template in templates:
            argv = tuple(value if word == _SLOT else word for word in template.argv)
            yield replace(template, argv=argv)


def _ok(*argv: str, **extra: str) -> Case:
    """A template whose call may succeed: the value can be fine there."""
    return Case(argv, refused=False, **extra)


def _no(*argv: str, **extra: str) -> Case:
    """A template whose call must be refused: the value is wrong there."""
    return Case(argv, refused=True, **extra)


_ANY_TEXT = (
    _ok("start", _SLOT),
    _ok("start", "x", "-p", _SLOT),
    _ok("start", "x", "-t", _SLOT),
    _ok("start", "x", "--tag", _SLOT),
    _ok("start", "x", "--at", _SLOT),
    _ok("stop", "--at", _SLOT),
    _ok("continue", _SLOT),
    _ok("day", _SLOT),
    _ok("add", "9:00", "10:00", _SLOT),
    _ok("add", _SLOT, "10:00"),
    _ok("edit", "#1", "-m", _SLOT),
    _ok("edit", _SLOT, "-m", "x"),
    _ok("split", "#1", _SLOT),
    _ok("delete", _SLOT),
    _ok("projects", "add", _SLOT),
    _ok("tasks", "add", "-p", "Website", _SLOT),
    _ok("tags", "add", _SLOT),
    _ok("clients", "add", _SLOT),
    _ok("projects", "add", "p", "--color", _SLOT),
    _ok("tasks", "-p", _SLOT),
    _no("workspace", "use", _SLOT),  # no key: refused before asking
    _ok("workspace", "use", _SLOT, key=GOOD_KEY),
    _ok("login", "-w", _SLOT, stdin=GOOD_KEY + "\n"),
)
_ANY_FIELD = (
    _ok("start", "x", "--field", _SLOT),
    _ok("add", "9:00", "-d", "1h", "--field", _SLOT),
    _ok("edit", "last", "--field", _SLOT),
)
_A_DURATION = (_no("add", "9:00", "-d", _SLOT), _no("edit", "last", "--duration", _SLOT))
_A_DAY = (
    _no("day", _SLOT),
    _no("today", _SLOT),
    _no("log", "--from", _SLOT),
    _no("log", "--to", _SLOT),
)
_A_TIME = (
    _no("start", "x", "--at", _SLOT),
    _no("stop", "--at", _SLOT),
    _no("continue", "--at", _SLOT),
    _no("add", _SLOT, "-d", "1h"),
    _no("add", "9:00", _SLOT),
    _no("edit", "last", "--start", _SLOT),
    _no("edit", "last", "--end", _SLOT),
    _no("split", "#1", _SLOT),
)
_A_REPORT_TEXT = (
    _ok("report", "--group-by", _SLOT),
    _ok("report", "-p", _SLOT),
    _ok("report", "--description", _SLOT),
    _no("export", _SLOT),  # none ends in .csv, .xlsx, .pdf or .json
)
_REPORT_DAY = (_no("report", "--from", _SLOT), _no("export", "out.csv", "--to", _SLOT))
_PERIODS_OR_FINE = ("", "today", "--", "--json")
"""Values the ``report`` period slot takes (the rest of TEXT is no period)."""
_AN_ENTRY = (
    _no("edit", _SLOT, "-m", "x"),
    _no("split", _SLOT, "9:30"),
    _no("delete", _SLOT),
    _no("continue", _SLOT),
)
_BARE_VERBS = sorted(
    {"status", "discard", "toggle", "undo", "popup", "open-today", "quit", "logout"}
    | {"whoami", "check", "sync", "doctor"}
)
"""Verbs that take no arguments."""
BAD_KEYS = ("\u00e9" * 40, "key with spaces", "\x00" * 8, "k\ney", "\udcff" * 8, "\u202ekey")


def _cases() -> Iterator[tuple[str, Case]]:
    made = [
        *_each(TEXT + NUMBERS, *_ANY_TEXT),
        *(Case(("report", text), refused=text not in _PERIODS_OR_FINE) for text in TEXT),
        *_each(TEXT, *_A_REPORT_TEXT),
        *_each(NUMBERS, _ok("log", "--from", _SLOT)),
        *_each(FIELDS, *_ANY_FIELD),
        *_each(DURATIONS, *_A_DURATION),
        *_each(BAD_DAYS, *_A_DAY, *_REPORT_DAY),
        *_each(BAD_TIMES, *_A_TIME),
        *_each(BAD_REFS, *_AN_ENTRY),
        *_each(("0", "-1", "999", "-0"), _no("continue", _SLOT)),
        *(_no(verb, noise) for verb in _BARE_VERBS for noise in NOISE),
        *_key_cases(),
        *_url_cases(),
        _ok("doctor", "--online", key="\u00e9" * 40),
        *(_no("login", stdin=stdin) for stdin in ("", "\n", " \t \n", "\x04")),
        *_option_cases(),
    ]
    for index, made_case in enumerate(made):
        yield f"{index}-{'_'.join(_word(word) for word in made_case.argv)}", made_case


def _key_cases() -> Iterator[Case]:
    """Keys that cannot be sent, then a key Clockify refuses."""
    for key in BAD_KEYS:
        yield _no("whoami", key=key)
        yield _no("check", key=key)
        yield _no("sync", key=key)
        yield _no("workspace", "--refresh", key=key)
        yield _no("login", stdin=key + "\n")
    for verb in ("whoami", "check", "sync"):
        yield _no(verb, key="abcd1234")


def _url_cases() -> Iterator[Case]:
    """Server addresses that are no address."""
    for url in BAD_URLS:
        yield _no("whoami", key=GOOD_KEY, api_url=url)
        yield _no("sync", key=GOOD_KEY, api_url=url)
        yield _no("login", stdin=GOOD_KEY + "\n", api_url=url)


def _option_cases() -> Iterator[Case]:
    """An unknown option and a missing option value, on every verb."""
    for verb in sorted(VERBS):
        yield _no(verb, "--no-such-option")
        yield Case((verb, "--json", "--json", "\x1b[2J"), refused=verb != "start")


CASES = dict(_cases())


def test_every_verb_is_in_the_table() -> None:
    covered = {case.argv[0] for case in CASES.values()}
    assert covered == set(VERBS)
    assert len(CASES) > 700


# --- running one case --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FakeClockify]:
    """One test server for every case; each exchange is checked against the contract."""
    contract = ContractLog()
    with FakeClockify(seed="demo") as fake:
        fake.add_listener(contract.record)
        yield fake
    if report := contract.report():
        pytest.fail(report, pytrace=False)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with something in it for every verb to find; copied for each case."""
    folder = tmp_path_factory.mktemp("hostile-template")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRACKER_HOME", str(folder))
        with Store(folder / STORE) as store:
            store.meta.save_profile(Profile(time_zone="UTC"))
        secrets = MemorySecretStore()

        def run(*argv: str) -> None:
            code = main(list(argv), clock=lambda: NOW, secret_store=secrets)
            assert code == 0, argv

        run("clients", "add", "Acme")
        run("projects", "add", "Website", "-c", "Acme")
        run("tasks", "add", "-p", "Website", "Backend")
        run("tags", "add", "dev")
        run("add", "9:00", "10:00", "Planning", "-p", "Website", "--tag", "dev")
        run("add", "10:00", "-d", "30m", "Review")
        run("start", "Coding", "--at", "11:00", "-p", "Website", "-t", "Backend")
    return folder


@pytest.mark.slow
@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(
    name: str,
    prepared: Path,
    server: FakeClockify,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = CASES[name]
    home = Path(os.environ["TRACKER_HOME"])
    for suffix in ("", "-wal"):
        if (prepared / (STORE + suffix)).exists():
            shutil.copy(prepared / (STORE + suffix), home / (STORE + suffix))
    monkeypatch.setenv("TRACKER_API_URL", case.api_url or server.base_url)
    monkeypatch.setenv("TRACKER_REPORTS_URL", server.reports_url)
    stdin = (case.stdin or "").replace(GOOD_KEY, server.api_key)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    secrets = MemorySecretStore()
    if case.key is not None:
        try:
            api_url = servers_for(Preferences()).api  # the address the CLI will use
        except ValueError:
            api_url = case.api_url or server.base_url
        key = server.api_key if case.key == GOOD_KEY else case.key
        with Store(home / STORE) as store:
            keep_key(secrets, store, api_url, server.user_id, key)
    capsys.readouterr()

    code = main(list(case.argv), clock=lambda: NOW, secret_store=secrets)

    out, err = capsys.readouterr()
    assert code != EXIT_INTERNAL, err
    assert code in ((1, 2) if case.refused else (0, 1, 2)), (code, out[-500:], err[-500:])
    assert "Traceback" not in out + err
    assert not UNSAFE.search(out), out[-500:]
    assert not UNSAFE.search(err), err[-500:]
    if code != 0:
        assert err.startswith(("tracker: ", "usage: tracker")), err[:500]
