"""The sync lease against real processes: it binds while its holder lives, and a dead
holder's lease is taken back at once, even when the holder's pid now names another process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.unit.store.support import python
from tracker.store import Store
from tracker.sync.runner import LEASE_KEY, lease_holder, process_started, take_lease

linux_only = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="process start times come from /proc"
)

Spawn = Callable[..., subprocess.Popen[str]]

HOLDER = """
    import sys, time
    from pathlib import Path
    from tracker.store import Store
    from tracker.sync.runner import take_lease
    with Store(Path(sys.argv[1])) as store:
        print("held" if take_lease(store, "cli") else "busy", flush=True)
        time.sleep(60)
    """

SLEEPER = "import time; print('up', flush=True); time.sleep(60)"


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    """Start ``python -c`` children; any still running at the end is killed (by its own id)."""
    children: list[subprocess.Popen[str]] = []

    def start(code: str, *args: str) -> subprocess.Popen[str]:
        child = python(code, *args)
        children.append(child)
        assert child.stdout is not None
        assert child.stdout.readline().strip() in {"held", "up"}
        return child

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
        child.communicate()


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.sqlite3"
    Store(path).close()
    return path


@linux_only
def test_a_live_holder_keeps_the_lease_and_a_killed_one_loses_it(
    store_file: Path, spawn: Spawn
) -> None:
    holder = spawn(HOLDER, str(store_file))
    with Store(store_file) as store:
        held = lease_holder(store)
        assert held is not None
        assert held["pid"] == holder.pid
        assert held["started"] == process_started(holder.pid)
        assert take_lease(store, "app") is None
        holder.kill()
        holder.wait()
        assert take_lease(store, "app") is not None


@linux_only
def test_a_lease_whose_pid_now_names_another_process_is_taken_back(
    store_file: Path, spawn: Spawn
) -> None:
    holder = spawn(HOLDER, str(store_file))
    stranger = spawn(SLEEPER)  # alive, ours, and started at another moment than the holder
    with Store(store_file) as store:
        holder.kill()
        holder.wait()
        # The holder died without releasing; its pid was then given to the stranger.
        store.meta.update(LEASE_KEY, lambda held: ({**held, "pid": stranger.pid}, None))
        assert process_started(stranger.pid) != store.meta.get(LEASE_KEY).get("started")
        assert lease_holder(store) is None
        lease = take_lease(store, "app")
        assert lease is not None
        assert take_lease(store, "cli") is None  # taken back by one process only
        assert stranger.poll() is None


def test_a_lease_without_a_start_time_binds_while_its_pid_lives(
    store_file: Path, spawn: Spawn
) -> None:
    holder = spawn(HOLDER, str(store_file))
    with Store(store_file) as store:
        # What a holder records where start times are unknown (no /proc).
        store.meta.update(LEASE_KEY, lambda held: ({**held, "started": None}, None))
        assert take_lease(store, "app") is None
        holder.kill()
        holder.wait()
        if os.name == "posix":
            assert take_lease(store, "app") is not None


@linux_only
def test_the_start_time_survives_a_command_name_with_parentheses(
    tmp_path: Path, spawn: Spawn
) -> None:
    odd = tmp_path / "x) 1 2 (3"  # /proc/<pid>/stat shows it as "(x) 1 2 (3)"
    odd.symlink_to(sys.executable)
    began = float(Path("/proc/uptime").read_text().split()[0])
    child = subprocess.Popen([str(odd), "-c", SLEEPER], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "up"
        assert "(x) 1 2 (3)" in Path(f"/proc/{child.pid}/stat").read_text()
        started = process_started(child.pid)
        assert started is not None
        ticks = int(started.rpartition(":")[2])
        assert abs(ticks / os.sysconf("SC_CLK_TCK") - began) < 5  # seconds after boot
    finally:
        child.kill()
        child.communicate()
