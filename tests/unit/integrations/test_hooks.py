"""The hooks file and running one hook: stdin, timeout, exit code, a file others may write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.integrations.hooks import (
    DEFAULT_TIMEOUT,
    Hook,
    HookError,
    hooks_path,
    load,
    parse_lines,
    run,
    save,
    to_lines,
)
from tracker.services.events import KINDS


def test_hooks_are_saved_privately_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "hooks.json"
    hooks = [Hook("timer.started", ("notify-send", "Tracking now")), Hook("*", ("logger",), 3.0)]
    save(hooks, path)
    assert load(path) == hooks
    assert (path.stat().st_mode & 0o777) == 0o600


def test_no_file_means_no_hooks(tmp_path: Path) -> None:
    assert load(tmp_path / "hooks.json") == []


def test_the_file_sits_beside_the_store_with_tracker_home(tmp_path: Path) -> None:
    assert hooks_path({"TRACKER_HOME": str(tmp_path)}) == tmp_path / "hooks.json"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "not valid JSON"),
        ('{"hooks": {}}', '"hooks" list'),
        ('{"hooks": [{"on": "timer.started", "run": "notify-send hi"}]}', "list of words"),
        ('{"hooks": [{"on": "", "run": ["true"]}]}', '"on"'),
        ('{"hooks": [{"on": "*", "run": ["true"], "timeout": 0}]}', '"timeout"'),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "hooks.json"
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(HookError, match=says):
        load(path)


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_file_others_may_write_runs_nothing(tmp_path: Path) -> None:
    path = tmp_path / "hooks.json"
    save([Hook("*", ("true",))], path)
    path.chmod(0o666)
    with pytest.raises(HookError, match="Others may write"):
        load(path)


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_file_in_a_folder_others_may_write_runs_nothing(tmp_path: Path) -> None:
    """Whoever may write the folder may swap the file for theirs between the check and the
    read; a shared folder with the sticky bit (like /tmp) lets nobody else replace it."""
    folder = tmp_path / "shared"
    path = folder / "hooks.json"
    save([Hook("*", ("true",))], path)
    folder.chmod(0o777)
    try:
        with pytest.raises(HookError, match="Others may write the folder"):
            load(path)
        folder.chmod(0o1777)
        assert load(path) == [Hook("*", ("true",))]
    finally:
        folder.chmod(0o700)


def test_settings_lines_become_hooks_split_into_words_never_a_shell() -> None:
    old = [Hook("timer.stopped", ("logger", "stopped"), 4.0)]
    text = (
        "# a comment\n"
        "timer.started  notify-send 'Tracking now' $HOME\n"
        "\n"
        "timer.stopped logger stopped"
    )
    hooks = parse_lines(text, KINDS, old)
    assert hooks == [
        Hook("timer.started", ("notify-send", "Tracking now", "$HOME")),
        Hook("timer.stopped", ("logger", "stopped"), 4.0),  # its timeout kept
    ]
    assert parse_lines(to_lines(hooks), KINDS, hooks) == hooks
    with pytest.raises(HookError, match=r"Line 1: 'timer\.paused' is not an event"):
        parse_lines("timer.paused true", KINDS)
    with pytest.raises(HookError, match="Line 2: give the command"):
        parse_lines("* true\nentry.created", KINDS)


def _python(code: str, timeout: float = DEFAULT_TIMEOUT) -> Hook:
    return Hook("*", (sys.executable, "-c", code), timeout)


def test_a_hook_reads_the_event_on_stdin_and_its_output_is_kept() -> None:
    hook = _python(
        "import json, os, sys; e = json.load(sys.stdin); "
        "print(e['kind'], os.environ['TRACKER_EVENT']); sys.exit(3)"
    )
    outcome = run(hook, json.dumps({"kind": "timer.started"}), {"TRACKER_EVENT": "timer.started"})
    assert outcome.code == 3
    assert outcome.out.strip() == "timer.started timer.started"
    assert outcome.problem == "exited with 3"


def test_a_hook_never_gets_the_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOCKIFY_API_KEY", "secret-key-value")
    hook = _python("import os; print(sorted(os.environ))")
    outcome = run(hook, "{}", {"TRACKER_EVENT": "timer.started"})
    assert outcome.code == 0
    assert "CLOCKIFY_API_KEY" not in outcome.out
    assert "TRACKER_EVENT" in outcome.out


def test_a_hanging_hook_and_what_it_started_are_killed_after_the_timeout(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    hook = _python(
        "import subprocess, sys, time; "
        f"c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        f"open({str(marker)!r}, 'w').write(str(c.pid)); time.sleep(60)",
        timeout=1.0,
    )
    began = time.monotonic()
    outcome = run(hook, "{}", {})
    assert time.monotonic() - began < 10
    assert outcome.code is None
    assert outcome.problem == "killed after its timeout of 1 s"
    child = int(marker.read_text())
    for _ in range(50):  # the kill reaches the grandchild too; it is reaped by init
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        state = (
            Path(f"/proc/{child}/stat").read_text().split()[2]
            if Path(f"/proc/{child}").exists()
            else "X"
        )
        if state == "Z":
            break
        time.sleep(0.1)
    else:
        pytest.fail("the hook's child outlived the timeout")


def test_a_command_that_is_not_there_says_so() -> None:
    outcome = run(Hook("*", ("/nonexistent/hook",)), "{}", {})
    assert outcome.code is None
    assert outcome.problem is not None
    assert outcome.problem.startswith("could not start")


_FLOOD = """
import resource, sys
from tracker.integrations.hooks import Hook, run
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
writer = (
    "import sys; b = b'x' * 1048576\\n"
    "for _ in range(100): sys.stdout.buffer.write(b); sys.stderr.buffer.write(b)"
)
outcome = run(Hook("*", (sys.executable, "-c", writer), 60.0), "{}", {})
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(outcome.code, len(outcome.out), len(outcome.err), grew // 1024)
"""


def test_a_hook_flooding_its_output_does_not_fill_the_apps_memory() -> None:
    """100 MB on stdout and on stderr: the app keeps only the end of each, in bounded memory."""
    done = subprocess.run(
        [sys.executable, "-c", _FLOOD], capture_output=True, text=True, timeout=120, check=True
    )
    code, out, err, grew_mb = (int(word) for word in done.stdout.split())
    assert code == 0
    assert out <= 64 * 1024
    assert err <= 64 * 1024
    assert grew_mb < 40, f"running the hook grew the app by {grew_mb} MB"
