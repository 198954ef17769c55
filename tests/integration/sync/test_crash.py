"""kill -9 at any moment loses nothing and duplicates nothing (ARCHITECTURE "Sync rules" 8).

A child process syncs the store the test keeps filling, against a test server that slows
creates and updates down so the kill often lands while one is in flight; the trial loop is in
``crashkid.py`` (the crash benchmark runs the same loop a few hundred times). A second test
kills a child that saves as fast as it can (hundreds of commits before the kill) and checks
that the file is sound, every row reads back, every save it reported is there and pending.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.contract import ContractLog
from tracker.store import Store

from .crashkid import check_store, crash_trials, kill, spawn

TRIALS = 8
STORM_TRIALS = 300
WORKSPACE = "ws"


def test_killed_sync_loses_and_duplicates_nothing(tmp_path: Path, contract: ContractLog) -> None:
    figures = crash_trials(TRIALS, seed=20261128, workdir=tmp_path, listener=contract.record)
    assert figures.entries > 0
    assert figures.kills > 0  # most children die with work in hand
    damage = (figures.duplicates, figures.lost, figures.local_extra, figures.diverged)
    assert damage == (0, 0, 0, 0), figures


def test_killed_while_saving_leaves_a_sound_store(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "tracker.sqlite3"
    kept: set[str] = set()
    gone: set[str] = set()
    with Store(path) as store:  # open in this process too, as the tray app would be
        for trial in range(4):
            child = spawn("edit", str(path), WORKSPACE, f"{trial}")
            _, lines = kill(child, rng.uniform(0.05, 0.3))
            for line in lines:
                verb, entry_id = line.split()
                if verb == "deleting":  # the kill may land between its commit and "deleted"
                    kept.discard(entry_id)
                    continue
                (kept if verb == "saved" else gone).add(entry_id)
                (gone if verb == "saved" else kept).discard(entry_id)
            assert check_store(store) >= len(kept)
            for entry_id in kept:
                row = store.entries.get(entry_id)
                assert row is not None, f"saved {entry_id} before the kill, but it is gone"
                assert row.pending
            for entry_id in gone:
                assert store.entries.get(entry_id) is None  # never sent: simply removed
        assert kept, "the child was killed before it saved anything"
        # Every row the children left is pending work that the next sync round will send.
        assert store.entries.counts(WORKSPACE) == (check_store(store), 0)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_kill_storm_loses_duplicates_and_diverges_nothing(tmp_path: Path) -> None:
    """Over a thousand operations and three hundred kills under every kind of server trouble.

    The same loop as ``python -m tests.benchmarks crash_trials``; a few minutes of wall time,
    so it runs in the test command's slow stage, beside the main suite.
    """
    figures = crash_trials(STORM_TRIALS, seed=20261205, workdir=tmp_path)
    assert figures.operations >= 1000, figures
    assert figures.kills >= 300, figures
    assert figures.concurrent > 0, figures
    assert figures.unclear > 0, figures
    damage = (figures.duplicates, figures.lost, figures.local_extra, figures.diverged)
    assert damage == (0, 0, 0, 0), figures
