"""Hooks: commands the person sets up to run on events (a timer started, a sync failed...).

They live in a file of their own (``hooks.json`` beside the store with ``TRACKER_HOME``, else
in the platform's config folder), which Settings writes and anyone may edit::

    {"hooks": [
      {"on": "timer.started", "run": ["notify-send", "Tracking"], "timeout": 10},
      {"on": "*", "run": ["sh", "-c", "cat >> ~/tracker-events.jsonl"]}
    ]}

A command is a list of words run as given, never through a shell built from anything
Clockify sends: the event itself reaches the command only on its standard input, as one JSON
object. It runs with the person's own rights, in a session of its own, and is killed with
everything it started when it outlives its timeout; the API key (``CLOCKIFY_API_KEY``) is
not passed on to it. A file others may write is refused, since whoever can write it chooses
what runs.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shlex
import signal
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tracker.integrations.paths import HOME_VAR
from tracker.integrations.secrets import ENV_VAR as KEY_VARIABLE

__all__ = [
    "ANY",
    "DEFAULT_TIMEOUT",
    "HOOKS_FILE",
    "Hook",
    "HookError",
    "Outcome",
    "hooks_path",
    "load",
    "parse_lines",
    "run",
    "save",
    "to_lines",
]

log = logging.getLogger("tracker.hooks")

HOOKS_FILE = "hooks.json"
ANY = "*"
"""``on`` for every event."""
DEFAULT_TIMEOUT = 10.0
"""Seconds a hook may run before it is killed."""
MAX_TIMEOUT = 600.0
OUTPUT_KEPT = 2000
"""Characters of a hook's output and errors written to the log."""


class HookError(Exception):
    """The hooks file cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Hook:
    """Run ``command`` (a list of words) on events of kind ``on`` (or :data:`ANY`)."""

    on: str
    command: tuple[str, ...]
    timeout: float = DEFAULT_TIMEOUT

    def matches(self, kind: str) -> bool:
        """Whether this hook runs for an event of ``kind``."""
        return self.on in (ANY, kind)

    def text(self) -> str:
        """The command as one line a person can read (and :func:`parse_lines` reads back)."""
        return shlex.join(self.command)


@dataclass(frozen=True)
class Outcome:
    """How one run of a hook ended: its exit code (``None``: killed after its timeout, or
    it could not start), what it printed, and why it failed when it did."""

    code: int | None
    out: str
    err: str
    problem: str | None = None
    seconds: float = 0.0


def hooks_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$TRACKER_HOME/hooks.json``, else the platform's user config folder."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_VAR, "").strip()
    if home:
        return Path(home).expanduser() / HOOKS_FILE
    import platformdirs  # noqa: PLC0415 - TRACKER_HOME users never pay for it

    return platformdirs.user_config_path("tracker", appauthor=False) / HOOKS_FILE


def load(path: Path | None = None) -> list[Hook]:
    """The hooks in ``path`` (none when there is no file).

    Raises:
        HookError: the file cannot be read, is not hooks, or others may write it.
    """
    path = path or hooks_path()
    try:  # checked and read through one descriptor: the file cannot be swapped in between
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise HookError(f"The hooks file {path} cannot be read: {exc.strerror or exc}.") from exc
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise HookError(f"The hooks file {path} is not a file; none of it is run.")
        _check_private(path, info)
        try:
            text = file.read().decode("utf-8")
        except (OSError, UnicodeError) as exc:
            raise HookError(
                f"The hooks file {path} cannot be read ({exc}); fix or delete it."
            ) from exc
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise HookError(
            f"The hooks file {path} is not valid JSON ({exc}); fix or delete it."
        ) from exc
    items = raw.get("hooks") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise HookError(f'The hooks file {path} needs a "hooks" list; fix or delete it.')
    return [_hook(path, number, item) for number, item in enumerate(items, start=1)]


def _check_private(path: Path, info: os.stat_result) -> None:
    """Refuse a file another user owns or may write (POSIX): it would choose what runs."""
    if os.name != "posix":
        return
    if info.st_uid != os.getuid():
        raise HookError(f"The hooks file {path} belongs to another user; none of it is run.")
    if stat.S_IMODE(info.st_mode) & 0o022:
        raise HookError(
            f"Others may write the hooks file {path}, so none of it is run; "
            f"make it yours only (chmod 600 {shlex.quote(str(path))})."
        )
    for folder in dict.fromkeys((path.parent, Path(os.path.realpath(path)).parent)):
        _check_folder(path, folder)


def _check_folder(path: Path, folder: Path) -> None:
    """Refuse a file in a folder another user may change: they could put their own file in
    its place. A shared folder with the sticky bit (like /tmp) lets only the file's owner
    replace it."""
    try:
        info = folder.stat()
    except OSError as exc:
        raise HookError(f"The folder of the hooks file {path} cannot be read: {exc}.") from exc
    mode = stat.S_IMODE(info.st_mode)
    if info.st_uid not in (os.getuid(), 0) or (mode & 0o022 and not mode & stat.S_ISVTX):
        raise HookError(
            f"Others may write the folder {folder} of the hooks file {path}, so none of it "
            f"is run; keep the file in a folder only you may change (chmod 700)."
        )


def _hook(path: Path, number: int, item: Any) -> Hook:
    where = f"Hook {number} in {path}"
    if not isinstance(item, dict):
        raise HookError(f'{where} is not an object with "on" and "run".')
    on = item.get("on")
    command = item.get("run")
    timeout = item.get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(on, str) or not on.strip():
        raise HookError(f'{where} needs "on": an event kind such as "timer.started", or "*".')
    if (
        not isinstance(command, list)
        or not command
        or not all(isinstance(word, str) and word for word in command)
    ):
        raise HookError(f'{where} needs "run": the command as a list of words.')
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not 0 < timeout <= MAX_TIMEOUT
    ):
        raise HookError(
            f'{where}: "timeout" is seconds, more than 0 and at most {MAX_TIMEOUT:.0f}.'
        )
    return Hook(on.strip(), tuple(command), float(timeout))


def save(hooks: Sequence[Hook], path: Path | None = None) -> None:
    """Write ``hooks`` whole (owner-only, replaced in one rename: a reader never sees half)."""
    path = path or hooks_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {
        "hooks": [
            {"on": h.on, "run": list(h.command), "timeout": h.timeout}
            if h.timeout != DEFAULT_TIMEOUT
            else {"on": h.on, "run": list(h.command)}
            for h in hooks
        ]
    }
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=2, ensure_ascii=False)
            file.write("\n")
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


def to_lines(hooks: Sequence[Hook]) -> str:
    """The hooks as Settings shows them: ``KIND  COMMAND`` a line."""
    return "\n".join(f"{h.on}  {h.text()}" for h in hooks)


def parse_lines(text: str, kinds: Sequence[str], old: Sequence[Hook] = ()) -> list[Hook]:
    """Hooks from Settings' lines (``KIND  COMMAND WORDS``; ``#`` starts a comment line).

    The command is split into words as a POSIX shell would (quotes keep spaces), but never
    run by one. A line that was there before keeps its timeout.

    Raises:
        HookError: a line names an unknown event or has no command (its number says which).
    """
    timeouts = {(h.on, h.command): h.timeout for h in old}
    hooks: list[Hook] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        on, _, rest = stripped.partition(" ")
        if on != ANY and on not in kinds:
            raise HookError(
                f"Line {number}: {on!r} is not an event; use one of {', '.join(kinds)}, or *."
            )
        try:
            words = tuple(shlex.split(rest))
        except ValueError as exc:
            raise HookError(f"Line {number}: {exc}.") from exc
        if not words:
            raise HookError(f"Line {number}: give the command to run after {on}.")
        hooks.append(Hook(on, words, timeouts.get((on, words), DEFAULT_TIMEOUT)))
    return hooks


def run(hook: Hook, payload: str, environ: Mapping[str, str], stopping: Any = None) -> Outcome:
    """Run ``hook`` with ``payload`` on its standard input; kill it (and whatever it started)
    after its timeout. ``environ`` is added to this process's environment. ``stopping``, when
    given, is called with the started process so that whoever stops the app can kill it.

    Its output is read as it comes but only the end of it is kept (:data:`BYTES_KEPT`): a hook
    that prints without end must not fill the app's memory."""
    began = time.monotonic()
    try:
        process = subprocess.Popen(  # noqa: S603 - the person's own command, no shell
            list(hook.command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(environ),
            start_new_session=True,
        )
    except OSError as exc:
        return Outcome(None, "", "", f"could not start: {exc.strerror or exc}")
    if stopping is not None:
        stopping(process)
    assert process.stdin is not None  # the pipes asked for above
    assert process.stdout is not None
    assert process.stderr is not None
    _start(_feed, process.stdin, payload.encode("utf-8"))
    out, err = _Tail(process.stdout), _Tail(process.stderr)
    deadline = began + hook.timeout
    try:
        killed = not _ended(process, (out, err), deadline)
        if killed:
            _kill(process)
            process.wait()
            _ended(process, (out, err), time.monotonic() + 2)  # else left with what it has
    finally:
        if stopping is not None:
            stopping(None)
    seconds = time.monotonic() - began
    if killed:
        stopped = f"killed after its timeout of {hook.timeout:g} s"
        return Outcome(None, out.text(), err.text(), stopped, seconds)
    problem = None if process.returncode == 0 else f"exited with {process.returncode}"
    return Outcome(process.returncode, out.text(), err.text(), problem, seconds)


BYTES_KEPT = 64 * 1024
"""Bytes of a hook's output (and of its errors) the app keeps: the last ones."""


def _ended(process: subprocess.Popen[bytes], tails: Sequence[_Tail], deadline: float) -> bool:
    """Whether the hook exited and closed its output before ``deadline``."""
    try:
        process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return False
    for tail in tails:
        tail.thread.join(max(0.0, deadline - time.monotonic()))
    return not any(tail.thread.is_alive() for tail in tails)


def _start(target: Any, *args: Any) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, name="hook-pipe", daemon=True)
    thread.start()
    return thread


def _feed(pipe: IO[bytes], data: bytes) -> None:
    """Write the event to the hook's stdin; a hook that does not read it is no error."""
    with contextlib.suppress(OSError):
        try:
            pipe.write(data)
        finally:
            pipe.close()


class _Tail:
    """Reads a pipe to its end on a thread of its own, keeping only its last bytes.

    The thread owns the pipe and closes it when the writer is gone: something a hook started
    and that left its session may hold it open after the hook was killed."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self._pipe = pipe
        self._data = bytearray()
        self.thread = _start(self._read)

    def _read(self) -> None:
        try:
            fd = self._pipe.fileno()
            while chunk := os.read(fd, 65536):
                self._data += chunk
                if len(self._data) > BYTES_KEPT:
                    del self._data[: len(self._data) - BYTES_KEPT]
        except OSError:
            pass
        finally:
            self._pipe.close()

    def text(self) -> str:
        """What was kept, as text."""
        return bytes(self._data).decode("utf-8", errors="replace")


def _environment(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment for a hook, without the API key (a hook gets the event, not
    the key to the account), plus ``extra``."""
    kept = {name: value for name, value in os.environ.items() if name != KEY_VARIABLE}
    return {**kept, **extra}


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the hook and everything it started (its session's process group)."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(OSError):
            process.kill()


def kill(process: subprocess.Popen[bytes]) -> None:
    """Kill a running hook now (the app is quitting)."""
    if process.poll() is None:
        _kill(process)


def trimmed(text: str) -> str:
    """A hook's output as the log keeps it: the end of it, at most :data:`OUTPUT_KEPT`."""
    text = text.strip()
    return text if len(text) <= OUTPUT_KEPT else "…" + text[-OUTPUT_KEPT:]
