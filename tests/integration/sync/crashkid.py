"""Processes killed with SIGKILL in the middle of their work, and what must survive them.

Run as a child: ``python -m tests.integration.sync.crashkid sync STORE API_URL API_KEY`` runs
sync rounds (the CLI's :func:`~tracker.sync.runner.sync_once`) until one completes with nothing
pending; ``... edit STORE WORKSPACE SEED`` saves, edits and deletes entries in a loop and prints
``saved ID`` or ``deleted ID`` after each commit (and ``deleting ID`` before a delete). Both
print ``ready`` once the store is open, so the parent's random kill delay counts from there
and not from the interpreter's start-up.

:func:`crash_trials` is the loop that ``test_crash.py`` runs a few times and
``tests/benchmarks/bench_crash.py`` a few hundred: the parent (the user) makes pending work,
a child syncs it against a test server whose creates and updates are slowed down, and the
child is killed at a random moment; at the end one clean round runs in the parent and the
server is compared with what the user made.
"""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tracker.api import Servers
from tracker.domain.model import Entry, new_id
from tracker.store import Store

REPO = Path(__file__).resolve().parents[3]
MAX_KILL_DELAY = 0.4  # seconds after "ready"
ROUNDS = 20  # a child gives up after this many rounds (it is normally killed long before)


# --- the children ----------------------------------------------------------------------------


def _sync_child(store_path: str, api_url: str, api_key: str) -> int:
    from tracker.sync.runner import SyncBusyError, sync_once

    with Store(Path(store_path)) as store:
        print("ready", flush=True)
        for _ in range(ROUNDS):
            try:
                report = asyncio.run(sync_once(store, api_key, Servers.custom(api_url)))
            except SyncBusyError:  # the other child syncs this store now: one sender at a time
                time.sleep(0.02)
                continue
            if report.complete and report.pending == 0:
                print("done", flush=True)
                return 0
            time.sleep(0.02)
    return 1


def _edit_child(store_path: str, workspace_id: str, seed: str) -> int:
    rng = random.Random(seed)
    mine: list[Entry] = []
    with Store(Path(store_path)) as store:
        print("ready", flush=True)
        start = datetime.now(UTC) - timedelta(days=2)
        while True:
            start += timedelta(minutes=1)
            roll = rng.random()
            doomed = rng.randrange(len(mine)) if mine and roll < 0.15 else None
            if doomed is not None:
                # Said before the commit: a kill between the commit and "deleted" leaves the
                # parent knowing the entry may be gone, instead of believing it was kept.
                print(f"deleting {mine[doomed].id}", flush=True)
            with store.transaction():
                if doomed is not None:
                    gone = mine.pop(doomed)
                    store.entries.delete_in(gone.id, time.time())
                    line = f"deleted {gone.id}"
                elif mine and roll < 0.4:
                    index = rng.randrange(len(mine))
                    mine[index] = replace(mine[index], description=f"edited {rng.random()}")
                    store.entries.save_in(mine[index], time.time())
                    line = f"saved {mine[index].id}"
                else:
                    made = Entry(
                        new_id(),
                        workspace_id,
                        start,
                        start + timedelta(seconds=30),
                        description=f"child {len(mine)}",
                    )
                    store.entries.save_in(made, time.time())
                    mine.append(made)
                    line = f"saved {made.id}"
            print(line, flush=True)  # only after the commit: printed means stored


def main(argv: list[str]) -> int:
    """``sync STORE API_URL API_KEY`` or ``edit STORE WORKSPACE SEED``."""
    mode, *args = argv
    if mode == "sync":
        return _sync_child(*args)
    if mode == "edit":
        return _edit_child(*args)
    raise SystemExit(f"unknown mode {mode!r}")


# --- the parent's side -----------------------------------------------------------------------


def spawn(*args: str) -> subprocess.Popen[str]:
    """Start a child and wait until its store is open."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.sync.crashkid", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if line.strip() != "ready":
        child.kill()
        child.wait()
        raise RuntimeError(f"crash child did not start (said {line!r})")
    return child


def kill(child: subprocess.Popen[str], delay: float) -> tuple[bool, list[str]]:
    """SIGKILL the child after ``delay`` seconds; whether it was still running, and its lines."""
    time.sleep(delay)
    running = child.poll() is None
    if running:
        child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.stdout is not None
    lines = child.stdout.read().splitlines()
    child.stdout.close()
    return running, lines


def check_store(store: Store) -> int:
    """The store file is sound and every row reads back; returns how many rows there are."""
    (verdict,) = store.conn.execute("PRAGMA integrity_check").fetchone()
    assert verdict == "ok", verdict
    ids = [row_id for (row_id,) in store.conn.execute("SELECT id FROM entries")]
    for row_id in ids:
        assert store.entries.get(row_id) is not None
    return len(ids)


class InFlight:
    """Counts the test server's requests that are still being handled.

    A killed child leaves its request behind: the server finishes a slowed-down create after
    the client is gone. The next process starts seconds later in real life, so each trial
    waits for the server to go quiet before the next child looks for unclear creates.
    """

    def __init__(self, server: Any) -> None:
        self.server = server
        self.started = 0
        self.finished = 0
        take = server.take_fault

        def counting_take(method: str, path: str) -> Any:
            self.started += 1  # called once per API request, as it arrives
            return take(method, path)

        server.take_fault = counting_take
        server.add_listener(self._finished)  # called once per API request, when it is done

    def _finished(self, _exchange: Any) -> None:
        self.finished += 1

    def wait_quiet(self, timeout: float = 5.0) -> None:
        self.server.wait_for(lambda _log: self.finished >= self.started, timeout=timeout)


@dataclass
class User:
    """The person at the keyboard between crashes: makes pending work, remembers what it meant."""

    store: Store
    ws: str
    rng: random.Random
    live: dict[str, Entry] = field(default_factory=dict)
    cursor: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(days=4))
    made: int = 0

    def _name(self) -> str:
        self.made += 1
        return f"entry {self.made}"

    def _save(self, *entries: Entry) -> None:
        with self.store.transaction():
            for entry in entries:
                self.store.entries.save_in(entry, time.time())
        self.live.update((entry.id, entry) for entry in entries)

    def act(self) -> None:
        """One thing a user does offline."""
        self.cursor += timedelta(minutes=10)
        roll = self.rng.random()
        running = next((e for e in self.live.values() if e.running), None)
        others = [e for e in self.live.values() if not e.running]
        if roll < 0.35:  # a past entry
            end = self.cursor + timedelta(minutes=5)
            self._save(Entry(new_id(), self.ws, self.cursor, end, description=self._name()))
        elif roll < 0.55:  # start a timer; the running one stops at the same instant
            fresh = Entry(new_id(), self.ws, self.cursor, None, description=self._name())
            self._save(*([replace(running, end=self.cursor)] if running else []), fresh)
        elif roll < 0.75 and self.live:  # rename (perhaps one whose create is unclear)
            target = self.rng.choice(list(self.live.values()))
            self._save(replace(target, description=self._name()))
        elif roll < 0.85 and others:  # move the start a little
            target = self.rng.choice(others)
            self._save(replace(target, start=target.start - timedelta(minutes=1)))
        elif self.live:
            target = self.rng.choice(list(self.live.values()))
            with self.store.transaction():
                self.store.entries.delete_in(target.id, time.time())
            del self.live[target.id]


@dataclass
class CrashFigures:
    """What a run of crash trials found."""

    trials: int
    operations: int
    """Things the user did offline between the kills (adds, timer switches, edits, deletes)."""
    kills: int
    """Children killed while they still worked (the others finished first)."""
    mid_request: int
    """Kills while the server was still handling one of the children's requests."""
    unclear: int
    """Trials that left a create unclear: no child may send it again before it is settled."""
    concurrent: int
    """Trials with two syncing children at once (the sync lease lets one send)."""
    entries: int
    """Live entries the user had at the end."""
    duplicates: int
    """Server entries that are no live entry's copy (created twice, or a delete not sent)."""
    lost: int
    """Live entries the server does not hold as the user left them."""
    local_extra: int
    """Local rows the user never made (a server copy pulled back as a separate entry)."""
    diverged: int
    """Rows still pending or unsent after the final clean rounds."""
    seconds: float
    faults: dict[str, int] = field(default_factory=dict)
    """How many trials ran under each kind of trouble."""


TROUBLES = ("slow", "late_commit", "drop_before_commit", "drop_after_commit", "server_error")


def _trouble(server: Any, rng: random.Random) -> str:
    """Set this trial's trouble on the server: what a slow or broken Clockify does."""
    from tests.fakeclockify import Fault

    server.clear_faults()
    kind = rng.choice(TROUBLES)
    if kind == "slow":  # every create and update is in flight a little while
        slow = rng.uniform(0.05, 0.15)
        for method in ("POST", "PUT"):
            server.add_fault(Fault(kind="delay", delay=slow, method=method, times=None))
    elif kind == "late_commit":  # a create is committed long after the kill: a late commit
        server.add_fault(Fault(kind="delay", delay=rng.uniform(0.4, 1.2), method="POST"))
    elif kind == "server_error":
        status = rng.choice((500, 502, 503))
        server.add_fault(Fault(kind="status", status=status, method=rng.choice(("POST", "PUT"))))
    else:  # the connection breaks before or after the server commits
        server.add_fault(Fault(kind=kind, method=rng.choice(("POST", "PUT", "DELETE"))))
    return kind


def crash_trials(
    trials: int,
    *,
    seed: int,
    workdir: Path,
    listener: Callable[[Any], None] | None = None,
) -> CrashFigures:
    """Run ``trials`` kill -9 trials of syncing children, then clean rounds; count damage.

    Each trial: the user does two to five things offline, the server gets one kind of trouble
    (slow, a late commit, a drop before or after the commit, a 5xx), one child (or, in a
    quarter of the trials, two at once) syncs and is killed at a random moment, and in half
    of the trials the next child starts at once, while the server may still be working on
    the killed child's request. At the end the faults stop, the clock is moved past the
    horizon of unclear creates, and clean rounds settle everything.
    """
    from tests.fakeclockify import FakeClockify
    from tests.helpers.clock import FakeClock
    from tests.integration.sync.conftest import Harness
    from tracker.sync.engine import UNCLEAR_HORIZON

    rng = random.Random(seed)
    started = time.perf_counter()
    kills = mid_request = unclear = concurrent = operations = 0
    faults: dict[str, int] = {}
    with FakeClockify(seed="empty") as server, Store(workdir / "tracker.sqlite3") as store:
        if listener is not None:
            server.add_listener(listener)
        flights = InFlight(server)
        user = User(store, server.workspace_id, rng)
        for _ in range(trials):
            for _ in range(rng.randint(2, 5)):
                user.act()
                operations += 1
            kind = _trouble(server, rng)
            faults[kind] = faults.get(kind, 0) + 1
            children = 2 if rng.random() < 0.25 else 1
            concurrent += children == 2
            spawned = [
                spawn("sync", str(store.path), server.base_url, server.api_key)
                for _ in range(children)
            ]
            for child in spawned:
                was_running, _ = kill(child, rng.uniform(0, MAX_KILL_DELAY))
                kills += was_running
            mid_request += flights.started > flights.finished
            if rng.random() < 0.5:
                flights.wait_quiet()  # else the next child starts while the server still works
            check_store(store)
            unclear += any(row.unclear for row in store.entries.pending(user.ws))
        server.clear_faults()
        flights.wait_quiet()
        clock = FakeClock.starting_now()
        clock.advance(seconds=UNCLEAR_HORIZON.total_seconds() + 60)
        harness = Harness(store, server, clock)
        for _ in range(5):
            report = harness.sync()
            if report.complete and report.pending == 0:
                break
        figures = _damage(harness, user.live)
    return CrashFigures(
        trials=trials,
        operations=operations,
        kills=kills,
        mid_request=mid_request,
        unclear=unclear,
        concurrent=concurrent,
        entries=len(user.live),
        seconds=time.perf_counter() - started,
        faults=faults,
        **figures,
    )


def _damage(harness: Any, live: dict[str, Entry]) -> dict[str, int]:
    remote = harness.server_entries()
    rows = {row.id: row for row in harness.store.entries.latest(harness.ws, 100_000)}
    copies = {rows[i].server_id: live[i] for i in live if i in rows and rows[i].server_id}
    lost = len(live) - sum(
        1
        for server_id, entry in copies.items()
        if server_id in remote and _same(remote[server_id], entry)
    )
    unsettled = [row for row in harness.store.entries.pending(harness.ws)]
    return {
        "duplicates": sum(1 for server_id in remote if server_id not in copies),
        "lost": lost,
        "local_extra": len(set(rows) - set(live)),
        "diverged": len(unsettled) + sum(1 for i in live if i in rows and not rows[i].server_id),
    }


def _same(item: dict[str, Any], entry: Entry) -> bool:
    interval = item["timeInterval"]
    return (item["description"], interval["start"], interval["end"]) == (
        entry.description,
        _wire(entry.start),
        _wire(entry.end) if entry.end else None,
    )


def _wire(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
