"""A simulated working day on a Free-plan workspace, shared by a test and a benchmark."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from tracker.api import FREE_PLAN
from tracker.domain.model import Entry, new_id
from tracker.sync.schedule import SyncPolicy

DAY = timedelta(hours=9)
SWITCHES = 12
EDITS = 10
LOOKS = 5


@dataclass
class DayFigures:
    """What the day cost."""

    requests: int
    rate_limited: int
    rounds: int
    entries: int
    max_in_any_hour: int


def simulate_day(harness: Any, seed: int = 7) -> DayFigures:
    """About 12 starts and stops, 10 edits, 5 looks at today, idle time, all synced."""
    rng = random.Random(seed)
    policy = SyncPolicy()
    harness.limits = FREE_PLAN
    clock = harness.clock
    begin = clock.now
    minutes = int(DAY.total_seconds() // 60)
    switch_at = set(rng.sample(range(1, minutes - 30), SWITCHES))
    edit_at = set(rng.sample(range(30, minutes - 30), EDITS))
    look_at = set(rng.sample(range(10, minutes - 10), LOOKS))
    poll_every = int(policy.poll_interval(FREE_PLAN) // 60)
    rounds = 0
    running: Entry | None = None
    made: list[Entry] = []

    stamps: list[float] = []

    def round_(*, pull: bool) -> None:
        nonlocal rounds
        rounds += 1
        before = len(harness.server.exchanges)
        harness.sync(pull=pull, refresh_refs=rounds == 1)
        stamps.extend([clock.now.timestamp()] * (len(harness.server.exchanges) - before))

    round_(pull=True)  # start-up
    for minute in range(1, minutes + 1):
        clock.now = begin + timedelta(minutes=minute)
        changed = False
        if minute in switch_at:
            if running is not None:
                harness.store.entries.save(replace(running, end=clock.now))
            running = Entry(new_id(), harness.ws, clock.now, description=f"task {minute}")
            harness.store.entries.save(running)
            made.append(running)
            changed = True
        if minute in edit_at:
            finished = [e for e in made if e is not running]
            if finished:
                target = rng.choice(finished)
                row = harness.store.entries.get(target.id)
                if row is not None:
                    edited = replace(row.entry, description=row.entry.description + " (fixed)")
                    harness.store.entries.save(edited)
                    changed = True
        if changed:
            round_(pull=False)  # push after the user's own change
        if minute in look_at or minute % poll_every == 0:
            round_(pull=True)
    clock.now = begin + DAY + timedelta(minutes=1)
    if running is not None:
        harness.store.entries.save(replace(running, end=clock.now))
    round_(pull=False)
    # Let what the budget held back go out, as the app's retry timer would.
    for _ in range(20):
        if harness.store.entries.counts(harness.ws)[0] == 0:
            break
        clock.now += timedelta(minutes=10)
        round_(pull=False)
    exchanges = list(harness.server.exchanges)
    return DayFigures(
        requests=len(exchanges),
        rate_limited=sum(1 for x in exchanges if x.status == 429),
        rounds=rounds,
        entries=len(made),
        max_in_any_hour=_max_per_hour(stamps),
    )


def _max_per_hour(stamps: list[float]) -> int:
    best = 0
    start = 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= 3600:
            start += 1
        best = max(best, end - start + 1)
    return best
