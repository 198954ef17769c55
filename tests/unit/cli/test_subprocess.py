"""The real console command: exit codes, JSON on stdout, and what it imports.

How fast ``tracker status`` and ``tracker start`` answer is measured by the ``cli_wall_time``
benchmark; a wall-clock assertion here would fail on a busy machine and pass on a fast one
whatever the code does. What makes them fast is checked instead: neither loads Qt, the HTTP
stack, pydantic, the keyring or the sync engine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import ROOT, run_tracker


def test_start_stop_and_json(home: object) -> None:
    started = run_tracker("start", "Write", "report", "--json")
    assert started.code == 0, started.err
    data = json.loads(started.out)
    assert data["started"]["description"] == "Write report"
    assert data["started"]["state"] == "local-only"

    status = run_tracker("status", "--json")
    assert json.loads(status.out)["running"]["id"] == data["started"]["id"]

    stopped = run_tracker("stop", "--json")
    assert stopped.code == 0
    assert json.loads(stopped.out)["running"] is False


def test_exit_codes(home: object) -> None:
    refused = run_tracker("stop")
    assert (refused.code, refused.out, refused.err) == (1, "", "tracker: No timer is running.\n")
    usage = run_tracker("stop", "--frob")
    assert usage.code == 2
    assert "unrecognized arguments: --frob" in usage.err
    assert run_tracker("--version").out.strip() == "tracker 0.1.0"


def test_login_and_check_with_the_environment_key(home: object, clockify: FakeClockify) -> None:
    env = {"CLOCKIFY_API_KEY": clockify.api_key, "TRACKER_API_URL": clockify.base_url}
    login = run_tracker("login", "--json", env=env)
    assert login.code == 0, login.err
    assert json.loads(login.out)["email"] == "alex.morgan@example.com"
    check = run_tracker("check", env=env)
    assert check.code == 0, check.err
    assert check.out.startswith("Alex Morgan <alex.morgan@example.com>")
    refused = run_tracker("check", env={**env, "CLOCKIFY_API_KEY": "wrong"})
    assert refused.code == 1
    assert "refused the API key" in refused.err


_PROBE = """
import json, sys, time
began = time.perf_counter()
from tracker.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _imports(*argv: str) -> set[str]:
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        timeout=60,
        check=True,
    )
    report = json.loads(probe.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    return set(report["modules"])


def _assert_light(modules: set[str]) -> None:
    roots = {name.split(".")[0] for name in modules}
    assert "PySide6" not in roots
    assert not roots & {"httpx", "pydantic", "keyring", "asyncio"}
    assert not [m for m in modules if m.startswith(("tracker.api", "tracker.sync"))]


def test_status_imports_neither_qt_nor_http(home: object) -> None:
    run_tracker("start", "something")
    _assert_light(_imports("status"))


def test_start_imports_neither_qt_nor_http(home: object) -> None:
    _assert_light(_imports("start", "quick"))
