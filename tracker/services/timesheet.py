"""The week timesheet: one row per project/task/description, one column per day.

A cell is a view of the row's entries on that day, and typing a duration in it changes those
entries through the entry services (local first, undoable, synced as any edit), as Clockify's
timesheet does:

- an empty cell gets **one new entry**, at 9:00 when that hour is free for the whole length
  (Clockify's default day start), else right after an entry of the day, else in the first free
  stretch from midnight; it never goes over another entry or past midnight;
- a cell with **one entry** changes that entry's end;
- a cell with **several** changes the last one (the latest start) so the cell adds up, and is
  refused when the others already hold more than the typed length;
- zero, or clearing the cell, deletes the row's entries of that day (an entry that began the
  day before only loses its part in this day).

A running timer is counted live, and never changed or deleted from here (stop it first).

Cells show minutes as the today window does (each part from its shown start minute to its
shown end minute, :func:`~tracker.domain.durations.shown_seconds`); machine output says the
seconds, as Clockify and the reports count them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from tracker.domain.durations import format_clock, shown_seconds
from tracker.domain.model import Entry, Project, new_id
from tracker.domain.timeutil import WEEK_STARTS, day_bounds
from tracker.domain.workdays import DayPlan
from tracker.services.context import Context
from tracker.services.errors import ServiceError
from tracker.services.requests import Request
from tracker.services.undo import Change, commit
from tracker.services.views import zone_label
from tracker.services.workdays import week_plans

if TYPE_CHECKING:
    from tracker.services.tracker import Tracker

__all__ = [
    "DAY_START",
    "ClearCell",
    "CopyLastWeek",
    "RowKey",
    "SetCell",
    "WeekRow",
    "WeekSheet",
    "build_week",
    "kept_plans",
    "last_week_rows",
    "week_start",
]

DAY_START = time(9, 0)
"""Where a new entry of an empty cell starts when that time is free (Clockify's default)."""

DAYS = 7
PlanSource = Callable[[Sequence[date]], Mapping[date, DayPlan]]
"""Gives the day plans of a week's days (the profile's defaults, or holidays and time off
when they are known)."""


@dataclass(frozen=True, order=True)
class RowKey:
    """What makes a row: the project, the task and the description."""

    project_id: str | None
    task_id: str | None
    description: str

    @staticmethod
    def of(entry: Entry) -> RowKey:
        return RowKey(entry.project_id, entry.task_id, entry.description)

    def to_json(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "task_id": self.task_id,
            "description": self.description,
        }


@dataclass(frozen=True)
class WeekRow:
    """One row: its names, and per day (week order) the seconds and the entries it holds."""

    key: RowKey
    project: str | None
    client: str | None
    task: str | None
    color: str | None
    seconds: tuple[int, ...]
    """Per day, to the second (the running timer up to now)."""
    shown: tuple[int, ...]
    """Per day, as shown: whole minutes from each part's shown start to its shown end."""
    entry_ids: tuple[tuple[str, ...], ...]
    """Per day, the ids of the row's entries that have time on it, oldest first."""
    running: int | None = None
    """The day (index) the running timer of this row counts on now, if any."""

    @property
    def total(self) -> int:
        return sum(self.seconds)

    @property
    def shown_total(self) -> int:
        return sum(self.shown)

    def label(self) -> str:
        """Project / task - description, as one line."""
        work = self.project or "(no project)"
        if self.task:
            work = f"{work} / {self.task}"
        return f"{work} - {self.key.description}" if self.key.description else work

    def to_json(self) -> dict[str, Any]:
        return {
            **self.key.to_json(),
            "project": self.project,
            "client": self.client,
            "task": self.task,
            "seconds": list(self.seconds),
            "total_seconds": self.total,
            "entries": [list(ids) for ids in self.entry_ids],
        }


@dataclass(frozen=True)
class WeekSheet:
    """A week as a timesheet, at ``now``."""

    start: date
    zone: str
    rows: tuple[WeekRow, ...]
    plans: tuple[DayPlan, ...]
    now: datetime
    running: bool = False
    """A timer runs in this week: the figures grow with time."""
    days: tuple[date, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", tuple(self.start + timedelta(days=n) for n in range(DAYS)))

    @property
    def day_seconds(self) -> tuple[int, ...]:
        return tuple(sum(row.seconds[n] for row in self.rows) for n in range(DAYS))

    @property
    def day_shown(self) -> tuple[int, ...]:
        return tuple(sum(row.shown[n] for row in self.rows) for n in range(DAYS))

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def shown_total(self) -> int:
        return sum(row.shown_total for row in self.rows)

    @property
    def capacity(self) -> int:
        return sum(plan.capacity for plan in self.plans)

    def row(self, key: RowKey) -> WeekRow | None:
        return next((row for row in self.rows if row.key == key), None)

    def to_json(self) -> dict[str, Any]:
        """Plain values for ``--json``: seconds as Clockify counts them."""
        return {
            "week_start": self.start.isoformat(),
            "week_end": self.days[-1].isoformat(),
            "zone": self.zone,
            "days": [
                {
                    "day": day.isoformat(),
                    "total_seconds": seconds,
                    **_plan_json(plan),
                }
                for day, seconds, plan in zip(self.days, self.day_seconds, self.plans, strict=True)
            ],
            "rows": [row.to_json() for row in self.rows],
            "total_seconds": self.total,
            "capacity_seconds": self.capacity,
            "running": self.running,
        }


def _plan_json(plan: DayPlan) -> dict[str, Any]:
    return {
        "working": plan.working,
        "capacity_seconds": plan.capacity,
        "base_capacity_seconds": plan.base_capacity,
        "holiday": plan.holiday,
        "time_off": [
            {
                "policy": mark.policy,
                "seconds": mark.seconds,
                "status": mark.status,
                "half_day": mark.half_day,
            }
            for mark in plan.time_off
        ],
    }


# --- reading a week ---------------------------------------------------------------------------


def week_start(context: Context, day: date) -> date:
    """The first day of the person's week holding ``day`` (the profile's week start; an
    unexpected value from a profile falls back to Monday)."""
    key = context.store.meta.profile().week_start.strip().upper()
    first = WEEK_STARTS.index(key) if key in WEEK_STARTS else 0
    return day - timedelta(days=(day.weekday() - first) % 7)


def kept_plans(context: Context) -> PlanSource:
    """Day plans from what is kept of Clockify, without a request: the member profile's
    working days and daily capacity, holidays and time off
    (:func:`tracker.services.workdays.week_plans`; Clockify's defaults when nothing is kept)."""
    user_id = context.store.meta.profile().user_id

    def plans(days: Sequence[date]) -> Mapping[date, DayPlan]:
        return week_plans(context.store, context.workspace_id, user_id, days)

    return plans


def build_week(
    context: Context,
    day: date,
    *,
    plans: PlanSource | None = None,
    extra: Iterable[RowKey] = (),
) -> WeekSheet:
    """The week holding ``day`` from the store, in one read; ``extra`` rows are listed even
    with no time (rows the person added or copied, still empty)."""
    first = week_start(context, day)
    zone, now = context.zone(), context.now()
    days = [first + timedelta(days=n) for n in range(DAYS)]
    bounds = [day_bounds(d, zone) for d in days]
    rows = context.store.entries.between(context.workspace_id, bounds[0][0], bounds[-1][1], now=now)
    seconds: dict[RowKey, list[int]] = {}
    shown: dict[RowKey, list[int]] = {}
    ids: dict[RowKey, list[list[str]]] = {}
    running: dict[RowKey, int] = {}
    for key in extra:
        _blank(key, seconds, shown, ids)
    for row in rows:
        entry = row.entry
        key = RowKey.of(entry)
        _blank(key, seconds, shown, ids)
        finish = entry.end or max(now, entry.start)
        for n, (begin, end) in enumerate(bounds):
            low, high = max(entry.start, begin), min(finish, end)
            if entry.start == finish:  # an empty entry is listed on the day it starts
                if not begin <= entry.start < end:
                    continue
            elif high <= low:
                continue
            seconds[key][n] += int((high - low).total_seconds())
            shown[key][n] += shown_seconds(int(low.timestamp()), int(high.timestamp()))
            ids[key][n].append(entry.id)
            if entry.running:
                running[key] = n
    week_rows = _named(context, seconds, shown, ids, running)
    source = plans or kept_plans(context)
    plan_of = source(days)
    return WeekSheet(
        start=first,
        zone=zone_label(zone),
        rows=tuple(week_rows),
        plans=tuple(plan_of[d] for d in days),
        now=now,
        running=bool(running),
    )


def _blank(
    key: RowKey,
    seconds: dict[RowKey, list[int]],
    shown: dict[RowKey, list[int]],
    ids: dict[RowKey, list[list[str]]],
) -> None:
    if key not in seconds:
        seconds[key] = [0] * DAYS
        shown[key] = [0] * DAYS
        ids[key] = [[] for _ in range(DAYS)]


def _named(
    context: Context,
    seconds: dict[RowKey, list[int]],
    shown: dict[RowKey, list[int]],
    ids: dict[RowKey, list[list[str]]],
    running: dict[RowKey, int],
) -> list[WeekRow]:
    """The rows with their names, sorted by project, task and description (no project
    last)."""
    catalog = context.store.catalog
    projects = {
        p.id: p
        for p in (catalog.get("project", k.project_id) for k in seconds if k.project_id)
        if isinstance(p, Project)
    }
    clients = catalog.names(
        "client", sorted({p.client_id for p in projects.values() if p.client_id})
    )
    tasks = catalog.names("task", sorted({k.task_id for k in seconds if k.task_id}))
    made: list[WeekRow] = []
    for key, exact in seconds.items():
        project = projects.get(key.project_id or "")
        made.append(
            WeekRow(
                key=key,
                project=project.name if project else None,
                client=clients.get(project.client_id or "") if project else None,
                task=tasks.get(key.task_id or ""),
                color=project.color if project else None,
                seconds=tuple(exact),
                shown=tuple(shown[key]),
                entry_ids=tuple(tuple(day) for day in ids[key]),
                running=running.get(key),
            )
        )
    made.sort(
        key=lambda r: (
            r.project is None,
            (r.project or "").casefold(),
            (r.task or "").casefold(),
            r.key.description.casefold(),
            r.key,
        )
    )
    return made


def last_week_rows(context: Context, day: date) -> list[RowKey]:
    """The rows of the week before the one holding ``day`` that this week lacks: what "Copy
    last week" adds without time."""
    first = week_start(context, day)
    before = build_week(context, first - timedelta(days=DAYS))
    this = {row.key for row in build_week(context, first).rows}
    return [row.key for row in before.rows if row.key not in this]


# --- changing cells ---------------------------------------------------------------------------


def _cell_entries(context: Context, key: RowKey, day: date) -> tuple[list[Entry], list[Entry]]:
    """The row's entries with time on ``day`` and all of the day's entries, oldest first."""
    begin, end = day_bounds(day, context.zone())
    now = context.now()
    everyone = [
        r.entry for r in context.store.entries.between(context.workspace_id, begin, end, now=now)
    ]
    return [e for e in everyone if RowKey.of(e) == key], everyone


def _shown_in(entry: Entry, begin: datetime, end: datetime, now: datetime) -> int:
    finish = entry.end or max(now, entry.start)
    low, high = max(entry.start, begin), min(finish, end)
    return shown_seconds(int(low.timestamp()), int(high.timestamp())) if high > low else 0


def _running_refusal(entry: Entry) -> ServiceError:
    return ServiceError(
        f"The timer is running in this cell ({entry.description or 'no description'}); "
        "stop it first, then change the cell."
    )


def _free_start(
    busy: list[tuple[datetime, datetime]],
    bounds: tuple[datetime, datetime],
    length: timedelta,
    *,
    zone: tzinfo,
    day: date,
) -> datetime | None:
    """Where a new entry of ``length`` goes on the day ``begin``..``end``: 9:00 if free,
    else right after an entry, else the first free stretch from midnight."""
    begin, end = bounds
    nine = datetime.combine(day, DAY_START, zone)
    candidates = sorted({nine, begin, *(finish for _, finish in busy)}, key=lambda c: (c < nine, c))
    for start in candidates:
        stop = start + length
        if start < begin or stop > end:
            continue
        if all(not (low < stop and start < high) for low, high in busy):
            return start
    return None


def set_cell(tracker: Tracker, key: RowKey, day: date, duration: timedelta) -> Entry | None:
    """Make the row ``key`` hold ``duration`` on ``day`` (see the module's rules); returns
    the entry created or changed (``None`` when the cell was cleared)."""
    context = tracker.context
    if duration <= timedelta(0):
        clear_cell(tracker, key, day)
        return None
    zone, now = context.zone(), context.now()
    begin, end = day_bounds(day, zone)
    # Each change below is one entry service call, with its own transaction and undo step.
    mine, everyone = _cell_entries(context, key, day)
    if not mine:
        busy = [(max(e.start, begin), min(e.end or max(now, e.start), end)) for e in everyone]
        start = _free_start(busy, (begin, end), duration, zone=zone, day=day)
        if start is None:
            raise ServiceError(
                f"No free stretch of {format_clock(duration, seconds=False)} left on "
                f"{day:%a %d %b}: shorten another entry of that day first."
            )
        model = _model(context, key, day)
        return tracker.entries.add(
            start,
            start + duration,
            key.description,
            project=key.project_id or None,
            task=key.task_id or None,
            tags=model.tag_ids if model else (),
            billable=model.billable if model else None,
        )
    last = mine[-1]
    if last.running:
        raise _running_refusal(last)
    others = sum(_shown_in(e, begin, end, now) for e in mine[:-1])
    need = duration - timedelta(seconds=others)
    if need < timedelta(0):
        raise ServiceError(
            f"The other {len(mine) - 1} entries of this cell already hold "
            f"{format_clock(timedelta(seconds=others), seconds=False)}, more than "
            f"{format_clock(duration, seconds=False)}: change them in the today window."
        )
    new_end = max(last.start, begin) + need
    if new_end > end:
        raise ServiceError(
            f"That would run the last entry of this cell past midnight "
            f"({format_clock(duration, seconds=False)} does not fit after its start)."
        )
    if new_end == last.start:
        tracker.entries.delete(last.id)
        return None
    return tracker.entries.edit(last.id, end=new_end)


def _model(context: Context, key: RowKey, day: date) -> Entry | None:
    """The row's latest entry of the week around ``day``: its tags and billable are the new
    entry's."""
    begin = day_bounds(day - timedelta(days=DAYS), context.zone())[0]
    end = day_bounds(day + timedelta(days=DAYS), context.zone())[1]
    found = [
        r.entry
        for r in context.store.entries.between(context.workspace_id, begin, end, now=context.now())
        if RowKey.of(r.entry) == key
    ]
    return found[-1] if found else None


def clear_cell(tracker: Tracker, key: RowKey, day: date) -> int:
    """Delete the row's entries of ``day`` as one change (one undo); an entry that began the
    day before is cut at midnight instead. Returns how many entries were touched."""
    context = tracker.context
    zone = context.zone()
    begin, _ = day_bounds(day, zone)
    with context.store.transaction():
        mine, _ = _cell_entries(context, key, day)
        changes: list[Change] = []
        for entry in mine:
            if entry.running:
                raise _running_refusal(entry)
            after = replace(entry, end=begin) if entry.start < begin else None
            changes.append(
                Change(entry, after, what=f"the entry from {entry.start.astimezone(zone):%H:%M}")
            )
        if changes:
            commit(context, f"clear of {len(changes)} entries on {day:%a %d %b}", changes)
        return len(changes)


def copy_last_week(tracker: Tracker, day: date) -> int:
    """Copy the entries of the week before the one holding ``day`` into it, each a week
    later at the same local times, as one change (one undo). A row that already has time on
    a day gets nothing more there, so copying twice adds nothing. Returns how many were
    created."""
    context = tracker.context
    zone = context.zone()
    first = week_start(context, day)
    with context.store.transaction():
        this = build_week(context, first)
        taken = {(row.key, n) for row in this.rows for n in range(DAYS) if row.seconds[n]}
        begin = day_bounds(first - timedelta(days=DAYS), zone)[0]
        end = day_bounds(first, zone)[0]
        now = context.now()
        changes: list[Change] = []
        for row in context.store.entries.between(context.workspace_id, begin, end, now=now):
            entry = row.entry
            if entry.running or entry.end is None or entry.start < begin:
                continue
            local = entry.start.astimezone(zone)
            n = (local.date() - (first - timedelta(days=DAYS))).days
            if (RowKey.of(entry), n) in taken:
                continue
            start = _a_week_later(entry.start, zone)
            copy = replace(entry, id=new_id(), start=start, end=start + (entry.end - entry.start))
            changes.append(Change(None, copy, what=f"the copy of {local:%a %H:%M}"))
        if not changes:
            raise ServiceError("Nothing to copy: last week has no entries this week lacks.")
        commit(context, f"copy of last week ({len(changes)} entries)", changes)
        return len(changes)


def _a_week_later(instant: datetime, zone: tzinfo) -> datetime:
    """The same local time seven days later (across a DST change too)."""
    local = instant.astimezone(zone).replace(tzinfo=None) + timedelta(days=DAYS)
    return local.replace(tzinfo=zone, fold=0).astimezone(instant.tzinfo)


# --- requests ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetCell(Request["Entry | None"]):
    """Make the row ``key`` hold ``duration`` on ``day``."""

    key: RowKey
    day: date
    duration: timedelta

    def run(self, tracker: Tracker) -> Entry | None:
        return set_cell(tracker, self.key, self.day, self.duration)


@dataclass(frozen=True)
class ClearCell(Request[int]):
    """Delete the row ``key``'s entries of ``day``."""

    key: RowKey
    day: date

    def run(self, tracker: Tracker) -> int:
        return clear_cell(tracker, self.key, self.day)


@dataclass(frozen=True)
class CopyLastWeek(Request[int]):
    """Copy last week's entries (with their time) into the week holding ``day``."""

    day: date

    def run(self, tracker: Tracker) -> int:
        return copy_last_week(tracker, self.day)
