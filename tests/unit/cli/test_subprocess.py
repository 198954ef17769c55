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

import pytest

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


# --- hostile input that only a real process receives ------------------------------------------


def _run_bytes(
    *argv: bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable.encode(), b"-m", b"tracker", *argv],
        capture_output=True,
        env={
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            **(env or {}),
        },
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("locale", [None, "C", "C.UTF-8"])
@pytest.mark.parametrize(
    "argv",
    [
        (b"start", b"caf\xe9"),
        (b"add", b"9:00", b"10:00", b"\xff\xfe"),
        (b"projects", b"add", b"\xc3("),
        (b"edit", b"last", b"-m", b"\xed\xa0\x80"),  # an encoded surrogate: not UTF-8 either
        (b"day", b"\x80"),
        (b"--json", b"status", b"\xff"),
    ],
)
def test_arguments_that_are_not_utf8_are_refused_without_a_traceback(
    home: object, argv: tuple[bytes, ...], locale: str | None
) -> None:
    done = _run_bytes(*argv, env={"LC_ALL": locale} if locale else None)
    assert done.returncode == 2, done.stderr
    assert done.stdout == b""
    err = done.stderr.decode("utf-8")  # printable: the bad bytes are shown as escapes
    assert err.startswith("tracker: an argument is not valid UTF-8 text")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("whoami",), 1),
        (("check",), 1),
        (("sync",), 1),
        (("login",), 1),
        (("workspace", "--refresh"), 1),
        (("doctor", "--online"), 0),
    ],
)
@pytest.mark.parametrize("key", ["clé-secrète-0123456789", "key with spaces", "k\x1bey0123"])
def test_an_api_key_clockify_could_never_have_is_refused_before_any_request(
    home: object, clockify: FakeClockify, argv: tuple[str, ...], code: int, key: str
) -> None:
    done = run_tracker(*argv, env={"CLOCKIFY_API_KEY": key, "TRACKER_API_URL": clockify.base_url})
    assert done.code == code, done.err
    assert "Traceback" not in done.out + done.err
    assert key.strip() not in done.out + done.err
    said = done.out if code == 0 else done.err
    assert "which a Clockify API key never has" in said
    assert "CLOCKIFY_API_KEY" in said
    assert clockify.exchanges == []


def test_a_narrow_terminal_gets_escapes_instead_of_a_crash(home: object) -> None:
    ascii_out = {"PYTHONIOENCODING": "ascii"}
    assert run_tracker("start", "Café 🙂 \x9b", env=ascii_out).code == 0
    for argv in (("today",), ("status",)):
        shown = run_tracker(*argv, env=ascii_out)
        assert shown.code == 0, shown.err
        assert "Caf\\u00e9 \\ud83d\\ude42 \\u009b" in shown.out
    data = run_tracker("status", "--json", env=ascii_out)
    assert data.code == 0, data.err
    assert json.loads(data.out)["running"]["description"] == "Café 🙂 \x9b"


_BUGGY = """
import sys
from tracker.cli.parser import VERBS
VERBS["status"] = ("json", "nonexistent_function")  # a verb that is not there: a bug
from tracker.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_bug_in_a_real_process_exits_70_with_one_line(home: object) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _BUGGY, "status"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 70
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "internal error, a bug in tracker" in done.stderr
    assert "AttributeError" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [("status",), ("status", "--json"), ("log", "--from", "-30")])
def test_a_full_disk_under_stdout_is_a_clear_refusal(home: object, argv: tuple[str, ...]) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tracker", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
            timeout=60,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert done.stderr == "tracker: could not write the output: No space left on device.\n"


def test_a_closed_stdout_drops_the_output_quietly(home: object) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "status"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),  # the child starts with no stdout
    )
    assert (done.returncode, done.stderr) == (0, "")
