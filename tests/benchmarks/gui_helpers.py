"""What the GUI benchmarks share: a display to run on, the app and the floor as processes,
readings from ``/proc``, and stores of a known size built straight through the store API.

The app and the floor always run the same way in one benchmark (same display, same
environment), so the difference between them is the app's own cost.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as dtime
from pathlib import Path
from typing import TYPE_CHECKING

from tests.desktop.harness import start_trayer

if TYPE_CHECKING:
    from PySide6.QtCore import QMessageLogContext, QtMsgType
    from PySide6.QtWidgets import QApplication

__all__ = [
    "LARGE_ENTRIES",
    "LARGE_PROJECTS",
    "LARGE_TASKS",
    "STORE_FILE",
    "Display",
    "Process",
    "add_synced_history",
    "app_command",
    "app_ready",
    "build_day_store",
    "build_large_store",
    "context_switches",
    "cpu_seconds",
    "display",
    "floor_command",
    "memory_kib",
    "offscreen_app",
    "p95",
    "percentile",
    "running_app",
    "running_floor",
    "spawn_to_exit",
    "summary",
    "switches_between",
    "switches_by_thread",
    "thread_count",
]

LARGE_PROJECTS = 10_000
LARGE_TASKS = 40_000
LARGE_ENTRIES = 10_000
"""The large workspace the GUI benchmarks measure on."""

READY = re.compile(r"ready in (\d+(?:\.\d+)?) ms")
STORE_FILE = "tracker.sqlite3"
QUIET_QT = "qt.core.qobject.connect=false"
TRAY_PROBE = (
    "from PySide6.QtWidgets import QApplication, QSystemTrayIcon\n"
    "app = QApplication([])\n"
    "print(QSystemTrayIcon.isSystemTrayAvailable())\n"
)


# --- statistics ---------------------------------------------------------------------------


def percentile(values: Sequence[float], rank: float) -> float:
    """The ``rank``-th percentile (nearest rank): 99 is the slow end of a hundred clicks."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank), the slow end a person still notices."""
    return percentile(values, 95)


def summary(values: Sequence[float]) -> str:
    """``n=7, min .., max ..`` for a figure's note."""
    return f"n={len(values)}, min {min(values):.3g}, max {max(values):.3g}"


# --- where the processes show their windows -----------------------------------------------


@dataclass
class Display:
    """The platform the app and the floor run on, and the environment that selects it."""

    name: str
    """``X11 + trayer`` (a real X server with a tray host) or ``offscreen``."""
    env: dict[str, str]
    tray_host: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def environ(self, home: Path | None = None, **extra: str) -> dict[str, str]:
        """The environment for one child process, with its own ``TRACKER_HOME``."""
        env = {**self.env, **extra}
        if home is not None:
            env["TRACKER_HOME"] = str(home)
        return env

    def close(self) -> None:
        """Stop the tray host this module started, if any."""
        if self.tray_host is not None and self.tray_host.poll() is None:
            self.tray_host.terminate()
            self.tray_host.wait(timeout=5)
        self.tray_host = None


_DISPLAY: Display | None = None


def display() -> Display:
    """Real X with a tray host when ``DISPLAY`` is set (trayer is started if no tray is
    there yet), else Qt's offscreen platform. Chosen once per run and shared."""
    global _DISPLAY
    if _DISPLAY is not None:
        return _DISPLAY
    base = {k: v for k, v in os.environ.items() if k not in ("CLOCKIFY_API_KEY", "TRACKER_HOME")}
    base["QT_LOGGING_RULES"] = QUIET_QT
    if not os.environ.get("DISPLAY"):
        _DISPLAY = Display("offscreen", {**base, "QT_QPA_PLATFORM": "offscreen"})
        return _DISPLAY
    base.pop("QT_QPA_PLATFORM", None)
    chosen = Display("X11 + trayer", base)
    if not _tray_available(base):
        if shutil.which("trayer") is None:
            chosen.name = "X11 without a tray host"
        else:
            chosen.tray_host = start_trayer()
            atexit.register(chosen.close)
            deadline = time.monotonic() + 10
            while not _tray_available(base):
                if time.monotonic() > deadline:
                    chosen.close()
                    raise RuntimeError("trayer started but no system tray appeared")
                time.sleep(0.2)
    _DISPLAY = chosen
    return chosen


def _tray_available(env: dict[str, str]) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", TRAY_PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.stdout.strip() == "True"


# --- the two programs ---------------------------------------------------------------------


def app_command(*options: str) -> list[str]:
    """``python -m tracker gui`` with ``options``."""
    return [sys.executable, "-m", "tracker", "gui", *options]


def floor_command(*options: str) -> list[str]:
    """The bare tray app of :mod:`tests.benchmarks.floor_tray`."""
    return [sys.executable, "-m", "tests.benchmarks.floor_tray", *options]


@dataclass(frozen=True)
class Started:
    """One ``--exit-when-ready`` run: wall time from spawn to exit, and the printed figure."""

    wall: float
    printed_ms: float | None


def spawn_to_exit(command: Sequence[str], env: dict[str, str], timeout: float = 60) -> Started:
    """Run ``command`` (with ``--exit-when-ready``) and time it from spawn to exit."""
    began = time.perf_counter()
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    wall = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[-3:])} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )
    found = READY.search(done.stdout)
    return Started(wall, float(found.group(1)) if found else None)


class Process:
    """A program left running: its output is collected by a thread, SIGTERM stops it."""

    def __init__(self, command: Sequence[str], env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.began = time.perf_counter()
        self.proc = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        """The process id."""
        return self.proc.pid

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def output(self) -> str:
        """Everything it printed so far."""
        return "".join(self.lines)

    def wait_until(
        self, condition: Callable[[], bool], timeout: float = 60, what: str = ""
    ) -> float:
        """Poll ``condition`` until true; returns seconds since spawn. Fails if it exits."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.proc.poll() is not None:
                raise RuntimeError(f"exited {self.proc.returncode} before {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}:\n{self.output()}")
            time.sleep(0.02)
        return time.perf_counter() - self.began

    def printed_ready(self) -> bool:
        """Whether it printed ``ready in N ms`` (the floor does, also without exiting)."""
        return any(READY.search(line) for line in self.lines)

    def stop(self) -> int:
        """SIGTERM, then wait (kill after 15 s); returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return self.proc.returncode


def app_ready(home: Path, tray_host: bool) -> Callable[[], bool]:
    """A condition: the app answers ``probe`` on its single-instance channel, with a docked
    icon when a tray host exists (the event loop runs and the tray is shown)."""
    from tracker.integrations.instance import address, send

    channel = address(home / STORE_FILE)

    def check() -> bool:
        reply = send(channel, "probe", timeout=1.0)
        if not reply:  # nobody listens yet, or a busy start-up gave no answer within a second
            return False
        if not tray_host:
            return True
        tray = json.loads(reply).get("tray") or [0, 0, 0, 0]
        return bool(tray[2] > 0 and tray[3] > 0)

    return check


@contextmanager
def running_app(home: Path, shown: Display, **extra: str) -> Iterator[Process]:
    """The app started without ``--exit-when-ready`` and left running until the block ends
    (``extra``: more environment variables)."""
    process = Process(app_command(), shown.environ(home, **extra))
    try:
        ready = app_ready(home, shown.name == "X11 + trayer")
        process.wait_until(ready, what="the app's probe answer")
        yield process
    finally:
        process.stop()


@contextmanager
def running_floor(shown: Display) -> Iterator[Process]:
    """The floor left running until the block ends."""
    process = Process(floor_command(), shown.environ())
    try:
        process.wait_until(process.printed_ready, what="the floor's ready line")
        yield process
    finally:
        process.stop()


# --- readings from /proc ------------------------------------------------------------------


def memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in KiB: resident now, and the peak."""
    values = _status_fields(Path(f"/proc/{pid}/status"), ("VmRSS", "VmHWM"))
    return values["VmRSS"], values["VmHWM"]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the whole process (all its threads), in seconds."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def switches_by_thread(pid: int) -> dict[int, int]:
    """Voluntary plus involuntary context switches of each live thread, by thread id: each
    is a wake-up (or a preemption) of that thread."""
    found: dict[int, int] = {}
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            values = _status_fields(
                status, ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")
            )
        except FileNotFoundError:  # the thread ended meanwhile
            continue
        found[int(status.parent.name)] = sum(values.values())
    return found


def context_switches(pid: int) -> int:
    """Context switches summed over the live threads."""
    return sum(switches_by_thread(pid).values())


def switches_between(before: dict[int, int], after: dict[int, int]) -> tuple[int, int]:
    """(switches in between, threads that ended in between). A thread that ended took its
    count with it, so the first number is then a lower bound; a new thread counts from 0."""
    delta = sum(count - before.get(tid, 0) for tid, count in after.items())
    return delta, len(set(before) - set(after))


def thread_count(pid: int) -> int:
    """How many threads the process has now."""
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


def _status_fields(path: Path, names: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition(":")
        if key in names:
            found[key] = int(value.split()[0])
    missing = set(names) - set(found)
    if missing:
        raise KeyError(f"{path} has no {sorted(missing)}")
    return found


# --- stores of a known size ---------------------------------------------------------------


def build_large_store(
    path: Path,
    *,
    projects: int = LARGE_PROJECTS,
    tasks: int = LARGE_TASKS,
    entries: int = LARGE_ENTRIES,
    running: bool = False,
    now: datetime | None = None,
) -> None:
    """A store as a big workspace leaves it: the catalog in two transactions
    (``replace_from_server``, the sync engine's own path) and the entries in one."""
    from tracker.domain.model import LOCAL_WORKSPACE, Entry, Project, Task
    from tracker.store import Store

    now = now or datetime.now(UTC)
    ws = LOCAL_WORKSPACE
    project_ids = [f"{n:024x}" for n in range(1, projects + 1)]
    per_project = max(1, tasks // max(1, projects))
    with Store(path) as store:
        store.catalog.replace_from_server(
            "project",
            ws,
            (
                (pid, Project(pid, ws, f"Project {n:05d} {_WORDS[n % len(_WORDS)]}"))
                for n, pid in enumerate(project_ids)
            ),
        )
        store.catalog.replace_from_server(
            "task",
            ws,
            (
                (tid, Task(tid, ws, project_ids[n // per_project], f"Task {n:05d} {_WORDS[n % 7]}"))
                for n, tid in ((n, f"{0xF << 92 | n:024x}") for n in range(tasks))
            ),
        )
        stamp = time.time()
        with store.transaction():
            for n in range(entries):
                end = now - timedelta(hours=2 * n + 1)
                start = end - timedelta(minutes=45)
                entry = Entry(
                    f"{0xE << 124 | n:032x}",
                    ws,
                    start,
                    end,
                    description=f"work item {n % 400}",
                    project_id=project_ids[n % len(project_ids)],
                )
                store.entries.save_in(entry, stamp)
            if running:
                store.entries.save_in(
                    Entry(f"{0xD << 124:032x}", ws, now - timedelta(minutes=10), None, "running"),
                    stamp,
                )


def add_synced_history(path: Path, entries: int, *, before: timedelta = timedelta(days=8)) -> None:
    """``entries`` finished entries, as synced with Clockify, 45 minutes every 2 hours from
    ``before`` ago back, over the connected workspace's projects and tasks: a long history
    that the pulls (a week back) never touch."""
    from tracker.domain.model import Entry, Project, Task
    from tracker.store import Store

    top = datetime.now(UTC).replace(microsecond=0) - before
    with Store(path) as store:
        workspace = store.meta.workspace_id()
        assert workspace is not None, "connect the store first"
        projects = [p for p in store.catalog.all("project", workspace) if isinstance(p, Project)]
        tasks: dict[str, list[str]] = {}
        for task in store.catalog.all("task", workspace):
            if isinstance(task, Task):
                tasks.setdefault(task.project_id, []).append(task.id)
        for n in range(entries):  # each a transaction of its own, as sync writes them
            end = top - timedelta(hours=2 * n)
            project = projects[n % len(projects)] if projects else None
            options = tasks.get(project.id, []) if project else []
            entry = Entry(
                f"{0xB << 124 | n:032x}",
                workspace,
                end - timedelta(minutes=45),
                end,
                description=f"{_WORDS[n % len(_WORDS)]} {n % 400}",
                project_id=project.id if project else None,
                task_id=options[n % len(options)] if options else None,
            )
            store.entries.adopt_remote(workspace, f"{0xC << 92 | n:024x}", entry)


def build_day_store(path: Path, day: date, tz: tzinfo, count: int = 300) -> None:
    """``count`` finished entries inside ``day`` (local to ``tz``), back to back, with
    projects."""
    from tracker.domain.model import LOCAL_WORKSPACE, Entry, Project
    from tracker.store import Store

    ws = LOCAL_WORKSPACE
    ids = [f"{n:024x}" for n in range(1, 51)]
    begin = datetime.combine(day, dtime(0, 0), tz)
    step = timedelta(days=1) / count
    with Store(path) as store:
        store.catalog.replace_from_server(
            "project", ws, ((pid, Project(pid, ws, f"Project {n}")) for n, pid in enumerate(ids))
        )
        stamp = time.time()
        with store.transaction():
            for n in range(count):
                start = begin + n * step
                entry = Entry(
                    f"{0xA << 124 | n:032x}",
                    ws,
                    start.replace(microsecond=0),
                    (start + step * 0.9).replace(microsecond=0),
                    description=f"{_WORDS[n % len(_WORDS)]} {n}",
                    project_id=ids[n % len(ids)],
                )
                store.entries.save_in(entry, stamp)


_WORDS = (
    "alpha", "backend", "customer", "design", "estimate", "frontend", "grooming",
    "hiring", "infra", "journal", "kickoff", "legal", "meeting", "notes",
)  # fmt: skip


# --- Qt in this process -------------------------------------------------------------------


def offscreen_app() -> QApplication:
    """This process's QApplication on the offscreen platform (whatever ``DISPLAY`` says)."""
    os.environ.setdefault("QT_LOGGING_RULES", QUIET_QT)
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        assert isinstance(existing, QApplication)
        return existing
    qInstallMessageHandler(_quiet_offscreen)
    return QApplication(["tracker-bench", "-platform", "offscreen"])


_OFFSCREEN_NOISE = ("This plugin does not support",)
"""Offscreen's notes about window-manager features it lacks; not about the code measured."""


def _quiet_offscreen(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message.startswith(_OFFSCREEN_NOISE):
        return
    sys.stderr.write(f"{message}\n")
