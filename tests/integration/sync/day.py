"""A simulated working day on a Free-plan workspace, shared by a test and a benchmark.

The person's day, 9 hours from the app's start at login (minute 0):

- the app starts and an account is connected: the first round connects, fetches the
  projects and pulls;
- 12 timer switches: 3 from the timer popup (opening it is a look: the first timer of the
  morning, the first after lunch, one in the afternoon), the other 9 from the tray menu's
  Continue or the toggle hotkey, which show only local data;
- 10 edits in the today window (opening it is a look), in two sittings: 4 in the morning,
  6 at the end of the day;
- lunch: the screen locked for 45 minutes (no input meanwhile);
- a meeting: 50 minutes without touching the computer while its timer runs, so the idle
  watch says "away" after its 5 minute threshold and "back" at the end;
- the timer stopped at the end of the day.

What the app does about it is decided by the same :class:`~tracker.sync.schedule.PullClock`
the sync worker uses, fed the same events (looks, away and back, rounds done), with the same
order of checks: a round is due when a pull is due or local changes wait, and pulls when a
pull is due. A change is pushed in its own round (the push delay is 2 s; a minute is the
step here). The limits come from the workspace's plan, as in the app.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from tracker.domain.model import Entry, new_id
from tracker.sync.runner import limits_for
from tracker.sync.schedule import PullClock, SyncPolicy, sent_running, unsent_timer

DAY = timedelta(hours=9)
SWITCHES = 12
POPUP_SWITCHES = 3
EDITS = (4, 6)
LUNCH = 45
MEETING = 50
IDLE_THRESHOLD = 5


@dataclass
class DayFigures:
    """What the day cost."""

    requests: int
    rate_limited: int
    rounds: int
    pulls: int
    entries: int
    max_in_any_hour: int


@dataclass(frozen=True)
class Plan:
    """When things happen, in minutes from the start (see the module docstring)."""

    lunch: int
    meeting: int
    switches: tuple[int, ...]
    popup: frozenset[int]
    edits: tuple[int, ...]
    sittings: tuple[int, ...]


def plan_day(seed: int = 7) -> Plan:
    """A day's events at random minutes within the shape the module docstring describes."""
    rng = random.Random(seed)
    minutes = int(DAY.total_seconds() // 60)
    lunch = rng.randrange(200, 240)
    meeting = rng.randrange(330, 380)
    busy = set(range(lunch, lunch + LUNCH + 1)) | set(range(meeting, meeting + MEETING + 1))
    morning_edits = rng.randrange(100, 170)
    evening_edits = minutes - 20
    sittings = (morning_edits, evening_edits)
    edits = tuple(
        start + i for start, count in zip(sittings, EDITS, strict=True) for i in range(count)
    )
    first = rng.randrange(2, 6)  # the first timer of the morning, from the popup
    after_lunch = lunch + LUNCH + rng.randrange(1, 4)  # the first after lunch, from the popup
    afternoon = rng.randrange(meeting + MEETING + 10, minutes - 40)  # from the popup
    fixed = {first, after_lunch, meeting, afternoon}  # the meeting's timer: from the menu
    free = [
        m
        for m in range(10, minutes - 30)
        if m not in busy and m not in fixed and m not in edits and m - 1 not in edits
    ]
    switches = sorted(fixed | set(rng.sample(free, SWITCHES - len(fixed))))
    popup = frozenset({first, after_lunch, afternoon})
    return Plan(lunch, meeting, tuple(switches), popup, edits, sittings)


class _App:
    """The sync worker's decisions for the day: the same pull clock, fed the same events."""

    def __init__(self, harness: Any) -> None:
        self.harness = harness
        self.pulls = PullClock(SyncPolicy())
        self.away: set[str] = set()
        self.rounds = 0
        self.pulled = 0
        self.stamps: list[float] = []

    def now(self) -> float:
        return float(self.harness.clock().timestamp())

    def look(self) -> None:
        self.pulls.look(self.now())
        self.tick()

    def set_away(self, source: str, away: bool) -> None:
        (self.away.add if away else self.away.discard)(source)
        self.pulls.set_away(self.away, self.now())
        self.tick()

    def tick(self, *, push: bool = False) -> Any:
        pull = self.pulls.due(self.now())
        if pull or push:
            return self.round(pull=pull)
        return None

    def round(self, *, pull: bool) -> Any:
        harness, store = self.harness, self.harness.store
        self.rounds += 1
        self.pulled += pull
        harness.limits = limits_for(store, store.meta.get("workspace_id"))
        before = len(harness.server.exchanges)
        unsent = unsent_timer(store, harness.ws)
        report = harness.sync(pull=pull)
        self.stamps.extend([self.now()] * (len(harness.server.exchanges) - before))
        if unsent is not None and sent_running(store, unsent):
            self.pulls.timer_started(self.now())
        if pull and report.complete:
            self.pulls.pulled(self.now())
        self.pulls.set_limits(limits_for(store, store.meta.get("workspace_id")))
        return report


def simulate_day(harness: Any, seed: int = 7) -> DayFigures:
    """Run the day of the module docstring against ``harness`` (store, server, hand clock)."""
    plan = plan_day(seed)
    app = _App(harness)
    person = _Person(harness, random.Random(seed))
    presence = _presence_changes(plan)
    clock = harness.clock
    begin = clock.now
    minutes = int(DAY.total_seconds() // 60)

    app.tick()  # start-up: connect, fetch the projects, pull
    for minute in range(1, minutes + 1):
        clock.now = begin + timedelta(minutes=minute)
        for source, away in presence.get(minute, ()):
            app.set_away(source, away)
        if minute in plan.sittings:
            app.look()  # the today window opens
        app.tick(push=person.work(plan, minute, app))
    clock.now = begin + DAY + timedelta(minutes=1)
    person.stop()
    app.tick(push=True)
    # Let what the budget held back go out, as the app's retry timer would.
    for _ in range(20):
        if harness.store.entries.counts(harness.ws)[0] == 0:
            break
        clock.now += timedelta(minutes=10)
        app.tick(push=True)
    exchanges = list(harness.server.exchanges)
    return DayFigures(
        requests=len(exchanges),
        rate_limited=sum(1 for x in exchanges if x.status == 429),
        rounds=app.rounds,
        pulls=app.pulled,
        entries=len(person.made),
        max_in_any_hour=_max_per_hour(app.stamps),
    )


def _presence_changes(plan: Plan) -> dict[int, list[tuple[str, bool]]]:
    """What the lock and the idle watch say, by minute: (source, away), in the app's order."""
    changes: dict[int, list[tuple[str, bool]]] = {}
    for minute, source, away in (
        (plan.lunch, "lock", True),
        (plan.lunch + LUNCH, "lock", False),
        (plan.meeting + IDLE_THRESHOLD, "idle", True),
        (plan.meeting + MEETING, "idle", False),
    ):
        changes.setdefault(minute, []).append((source, away))
    return changes


class _Person:
    """The person at the keyboard: a new timer at each switch, fixes to finished entries."""

    def __init__(self, harness: Any, rng: random.Random) -> None:
        self.harness = harness
        self.rng = rng
        self.running: Entry | None = None
        self.made: list[Entry] = []

    def work(self, plan: Plan, minute: int, app: _App) -> bool:
        """Do what the plan says for ``minute``; returns whether local data changed."""
        changed = False
        if minute in plan.switches:
            if minute in plan.popup:
                app.look()  # the timer popup opens
            self.switch(f"task {minute}")
            changed = True
        if minute in plan.edits:
            changed = self.fix_one() or changed
        return changed

    def switch(self, description: str) -> None:
        """Stop the running timer (if any) and start a new one now."""
        store, now = self.harness.store, self.harness.clock.now
        self.stop()
        self.running = Entry(new_id(), self.harness.ws, now, description=description)
        store.entries.save(self.running)
        self.made.append(self.running)

    def fix_one(self) -> bool:
        """Fix the description of a finished entry; returns whether one was found."""
        finished = [e for e in self.made if e is not self.running]
        target = self.rng.choice(finished)
        row = self.harness.store.entries.get(target.id)
        if row is None:
            return False
        edited = replace(row.entry, description=row.entry.description + " (fixed)")
        self.harness.store.entries.save(edited)
        return True

    def stop(self) -> None:
        """Stop the running timer now, if one runs."""
        if self.running is not None:
            self.harness.store.entries.save(replace(self.running, end=self.harness.clock.now))


def free_plan(server: Any) -> None:
    """Put the test server's workspace on the Free plan (its features shrink with it)."""
    with server.state.lock:
        workspace = server.state.workspaces[server.workspace_id].workspace
        workspace.plan = "FREE"
        workspace.features = ["TIME_TRACKING"]


def _max_per_hour(stamps: list[float]) -> int:
    best = 0
    start = 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= 3600:
            start += 1
        best = max(best, end - start + 1)
    return best
