"""Running the CLI in-process with a pinned clock, and as a real ``python -m tracker``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

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
