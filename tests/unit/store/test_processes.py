"""Several processes on one store file: concurrent writers, and a writer killed at random."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from tests.unit.store.support import WS, start_together
from tracker.store import SCHEMA_VERSION, Store

Spawn = Callable[..., subprocess.Popen[str]]

WRITERS = 4
PER_WRITER = 200
SHARED_EDITS = 50  # each writer also edits one shared entry this often

WRITER = f"""
    import sys
    from pathlib import Path
    from tests.unit.store.support import entry
    from tracker.store import Store

    n = sys.argv[2]
    with Store(Path(sys.argv[1])) as store:
        print("ready", flush=True)
        sys.stdin.readline()
        for i in range({PER_WRITER}):
            store.entries.save(entry(f"w{{n}}-{{i:03d}}", i, 1, description=f"first {{i}}"))
            if i % 2:
                store.entries.save(entry(f"w{{n}}-{{i:03d}}", i, 1, description=f"second {{i}}"))
            if i % {PER_WRITER // SHARED_EDITS} == 0:
                store.entries.save(entry("shared", 0, 1, description=f"by {{n}}"))
    print("done", flush=True)
    """


def test_four_writers_and_a_reader_share_one_file(path: Path, spawn: Spawn) -> None:
    with Store(path) as reader:
        children = [spawn(WRITER, str(path), str(n)) for n in range(WRITERS)]
        start_together(children)

        seen: list[int] = []
        while any(child.poll() is None for child in children):
            pending, parked = reader.entries.counts(WS)
            assert parked == 0
            seen.append(pending)
            reader.entries.latest(WS, 50)  # reads rows while they are being written
            time.sleep(0.005)

        for child in children:
            out, err = child.communicate(timeout=60)
            assert child.returncode == 0, err
            assert "locked" not in err.lower()
            assert err.strip() == ""
            assert out.strip() == "done"
        assert seen == sorted(seen)  # a reader never sees a count go back

        total = WRITERS * PER_WRITER + 1
        assert reader.entries.counts(WS) == (total, 0)
        assert reader.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for n in range(WRITERS):
            for i in range(PER_WRITER):
                row = reader.entries.get(f"w{n}-{i:03d}")
                assert row is not None
                expected = (2, f"second {i}") if i % 2 else (1, f"first {i}")
                assert (row.version, row.entry.description) == expected
                assert row.synced_version == 0
        shared = reader.entries.get("shared")
        assert shared is not None
        assert shared.version == WRITERS * SHARED_EDITS  # no edit lost to a race


def test_processes_opening_a_new_file_at_once_all_succeed(path: Path, spawn: Spawn) -> None:
    code = """
        import sys
        from pathlib import Path
        from tracker.store import Store

        print("ready", flush=True)
        sys.stdin.readline()
        with Store(Path(sys.argv[1])) as store:
            store.meta.set(f"opened-by-{sys.argv[2]}", True)
        """
    children = [spawn(code, str(path), str(n)) for n in range(WRITERS)]
    start_together(children)
    for child in children:
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert all(store.meta.get(f"opened-by-{n}") for n in range(WRITERS))
    assert path.stat().st_mode & 0o077 == 0


KILLED = """
    import sys, time
    from pathlib import Path
    from tests.unit.store.support import entry
    from tracker.store import Store

    run = sys.argv[2]
    with Store(Path(sys.argv[1])) as store:
        print("ready", flush=True)
        sys.stdin.readline()
        i = 0
        while True:
            # Three changes that must land together, or not at all.
            with store.transaction():
                store.entries.save_in(entry(f"k{run}-{i:05d}", i, 1), time.time())
                store.entries.save_in(entry(f"tally-{run}", 0, 1, description=str(i)), time.time())
                store.meta.set_in(f"last-{run}", i)
            print(i, flush=True)
            i += 1
    """


def test_a_writer_killed_at_any_moment_leaves_a_consistent_store(path: Path, spawn: Spawn) -> None:
    Store(path).close()
    chance = random.Random()
    committed: dict[int, list[int]] = {}
    for run in range(3):
        child = spawn(KILLED, str(path), str(run))
        start_together([child])
        assert child.stdout is not None
        for _ in range(20):  # well into the loop
            assert child.stdout.readline().strip().isdigit()
        time.sleep(chance.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=10)
        assert child.returncode == -signal.SIGKILL
        committed[run] = [int(line) for line in out.split()]

    with Store(path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        all_ids = [local_id for (local_id,) in store.conn.execute("SELECT id FROM entries")]
        assert all(store.entries.get(local_id) is not None for local_id in all_ids)
        for run, reported in committed.items():
            last = store.meta.get(f"last-{run}")
            assert last is not None
            assert last >= max(reported, default=19)  # what was reported committed is there
            rows = [local_id for local_id in all_ids if local_id.startswith(f"k{run}-")]
            assert sorted(rows) == [f"k{run}-{i:05d}" for i in range(last + 1)]
            tally = store.entries.get(f"tally-{run}")
            assert tally is not None
            assert tally.version == last + 1
            assert tally.entry.description == str(last)
        # The store is fully usable afterwards.
        store.meta.set("after", 1)
        assert store.meta.get("after") == 1
