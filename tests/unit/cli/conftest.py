"""Running the CLI in-process with a pinned clock, and as a real ``python -m tracker``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.fakeclockify import FakeClockify
from tests.helpers.keyrings import keep_key
from tracker.cli import main
from tracker.domain.model import Profile
from tracker.integrations.secrets import MemorySecretStore
from tracker.store import Store

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Result:
    """What one call printed and returned."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    """``cli("start", "x")`` runs ``tracker start x`` in this process."""

    def __init__(self, capsys: pytest.CaptureFixture[str], home: Path) -> None:
        self.capsys = capsys
        self.home = home
        self.now = START
        self.secrets = MemorySecretStore()

    def __call__(self, *argv: str) -> Result:
        self.capsys.readouterr()
        code = main(list(argv), clock=lambda: self.now, secret_store=self.secrets)
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def store(self) -> Store:
        return Store(self.home / "tracker.sqlite3")


@pytest.fixture
def home() -> Path:
    """The folder the suite's guard set as ``TRACKER_HOME``, with a UTC profile in its store."""
    folder = Path(os.environ["TRACKER_HOME"])
    with Store(folder / "tracker.sqlite3") as store:
        store.meta.save_profile(Profile(time_zone="UTC"))
    return folder


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], home: Path) -> Cli:
    return Cli(capsys, home)


def run_tracker(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> Result:
    """``python -m tracker ...`` as a real process, with the test's environment.

    The child gets keyring's ``fail`` backend: the suite's in-process keyring guard does not
    reach a subprocess, and no test may touch the machine's real keyring.
    """
    completed = subprocess.run(
        [sys.executable, "-m", "tracker", *argv],
        capture_output=True,
        text=True,
        input=stdin,
        env={
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            **(env or {}),
        },
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


Person = Callable[..., Result]
"""The CLI run as one person: ``priya("admin", "users")``."""

People = Callable[[str], Person]
"""``people("Priya Shah")`` logs that person in (once) and gives the CLI run as them."""


def people_of(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> People:
    """``people_of(...)("Priya Shah")("admin", "users")`` runs the CLI as that person: their
    own folder (store) and keyring, logged in with their key to ``server``, at the server's
    time."""
    cli.now = datetime.fromtimestamp(server.state.now(), UTC).replace(microsecond=0)
    monkeypatch.setenv("TRACKER_API_URL", server.base_url)
    monkeypatch.setenv("TRACKER_REPORTS_URL", server.reports_url)
    seeded = {u.name: u for u in server.users}
    keyrings: dict[str, MemorySecretStore] = {}

    def person(name: str) -> Person:
        home = tmp_path / name.replace(" ", "-")

        def call(*argv: str) -> Result:
            monkeypatch.setenv("TRACKER_HOME", str(home))
            cli.secrets = keyrings[name]
            return cli(*argv)

        if name not in keyrings:
            home.mkdir(parents=True)
            keyrings[name] = MemorySecretStore()
            user = seeded[name]
            with Store(home / "tracker.sqlite3") as store:
                store.meta.save_profile(Profile(time_zone="Europe/Berlin"))
                keep_key(keyrings[name], store, server.base_url, user.user_id, user.api_key)
            monkeypatch.setattr(sys, "stdin", io.StringIO(user.api_key + "\n"))
            login = call("login")
            assert login.code == 0, login.err
        return call

    return person


@pytest.fixture
def people(
    cli: Cli, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> People:
    """The seeded people of the ``demo`` test server, each with their own tracker."""
    return people_of(cli, clockify, monkeypatch, tmp_path)


def ok(result: Result) -> Result:
    """``result``, once it is known to have succeeded (else its stderr fails the test)."""
    assert result.code == 0, result.err
    return result
