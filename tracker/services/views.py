"""What the person looks at: a day, the status line, a log of days.

Days and weeks are counted in the profile's time zone (the system's without one). An entry
that crosses midnight is listed on both days, and each day's total counts only the part that
falls inside that day, so a week's days add up to the week and no day exceeds 24 hours.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from tracker.domain.durations import format_iso, shown_length
from tracker.domain.model import Entry, Project, SyncState
from tracker.domain.timeutil import day_bounds, week_bounds, zone_named
from tracker.services.context import Context
from tracker.services.lookup import find_entry as _find_entry
from tracker.services.lookup import short_ids
from tracker.services.zones import system_zone
from tracker.store import EntryRow

__all__ = ["DayView", "EntryView", "LogView", "StatusView", "Views", "day_rows", "find_entry"]


@dataclass(frozen=True)
class EntryView:
    """One entry as listed: names instead of ids, its sync state, its part of the day."""

    entry: Entry
    short_id: str
    index: int | None
    """``#N`` within the day listed (1-based), ``None`` outside a day list."""
    state: SyncState
    parked: str | None
    project: str | None
    client: str | None
    task: str | None
    tags: tuple[str, ...]
    color: str | None
    duration: timedelta
    """The whole entry: finished, from its shown start minute to its shown end minute
    (:func:`~tracker.domain.durations.shown_length`); running, to the second so far."""
    in_range: timedelta
    """The part inside the day (or week) listed, counted as shown (what totals add up)."""
    exact: timedelta
    """The whole entry to the second (running: so far): what ``--json`` says, as Clockify
    and the reports count."""
    exact_in_range: timedelta
    """The part inside the day listed, to the second."""
    starts_before: bool
    """It began before the day listed (crossed midnight into it)."""
    ends_after: bool
    """It ends after the day listed."""
    overlaps: tuple[str, ...] = ()
    """The ids of the entries listed with it whose time it shares (a running one up to
    now): tracked twice, which is seldom meant."""

    def to_json(self) -> dict[str, Any]:
        """Plain values for ``--json``."""
        entry = self.entry
        return {
            "id": entry.id,
            "short_id": self.short_id,
            "index": self.index,
            "start": entry.start.isoformat(),
            "end": entry.end.isoformat() if entry.end else None,
            "running": entry.running,
            # Machine output counts seconds (as Clockify and the reports do); the screens
            # count from shown minute to shown minute.
            "duration": format_iso(self.exact),
            "duration_seconds": int(self.exact.total_seconds()),
            "in_day_seconds": int(self.exact_in_range.total_seconds()),
            "description": entry.description,
            "project_id": entry.project_id,
            "project": self.project,
            "client": self.client,
            "task_id": entry.task_id,
            "task": self.task,
            "tag_ids": list(entry.tag_ids),
            "tags": list(self.tags),
            "billable": entry.billable,
            "custom_fields": dict(entry.custom_fields),
            "state": self.state.value,
            "parked": self.parked,
            "starts_before": self.starts_before,
            "ends_after": self.ends_after,
            "overlaps": list(self.overlaps),
        }


@dataclass(frozen=True)
class DayView:
    """One day's entries and totals."""

    day: date
    zone: str
    entries: tuple[EntryView, ...]
    total: timedelta
    week_total: timedelta
    capacity: timedelta | None
    """The profile's daily capacity on a working day, zero on a day off, ``None`` unknown."""
    running: EntryView | None
    exact_total: timedelta
    """The day's total to the second (``total`` is counted as shown)."""
    exact_week_total: timedelta

    def to_json(self) -> dict[str, Any]:
        """Plain values for ``--json``."""
        return {
            "day": self.day.isoformat(),
            "zone": self.zone,
            "total_seconds": int(self.exact_total.total_seconds()),
            "week_total_seconds": int(self.exact_week_total.total_seconds()),
            "capacity_seconds": None
            if self.capacity is None
            else int(self.capacity.total_seconds()),
            "entries": [e.to_json() for e in self.entries],
        }


@dataclass(frozen=True)
class StatusView:
    """The running entry, today's total and the sync backlog, for a status line."""

    now: datetime
    workspace_id: str
    workspace_name: str | None
    connected: bool
    running: EntryView | None
    elapsed: timedelta | None
    today_total: timedelta
    capacity: timedelta | None
    pending: int
    parked: int
    zone: str
    zone_warning: str | None
    exact_today_total: timedelta
    """Today's total to the second (``today_total`` is counted as shown)."""

    def to_json(self) -> dict[str, Any]:
        """Plain values for ``--json``."""
        return {
            "now": self.now.isoformat(),
            "workspace_id": self.workspace_id,
            "workspace": self.workspace_name,
            "connected": self.connected,
            "running": self.running.to_json() if self.running else None,
            "elapsed_seconds": None if self.elapsed is None else int(self.elapsed.total_seconds()),
            "today_seconds": int(self.exact_today_total.total_seconds()),
            "capacity_seconds": None
            if self.capacity is None
            else int(self.capacity.total_seconds()),
            "pending": self.pending,
            "parked": self.parked,
            "zone": self.zone,
            "zone_warning": self.zone_warning,
        }


@dataclass(frozen=True)
class LogView:
    """Several days (only those with entries) and their total."""

    start: date
    end: date
    days: tuple[DayView, ...]
    total: timedelta
    """As shown; ``--json`` says the days' totals to the second."""

    def to_json(self) -> dict[str, Any]:
        """Plain values for ``--json``."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "total_seconds": int(sum(d.exact_total.total_seconds() for d in self.days)),
            "days": [d.to_json() for d in self.days],
        }


def day_rows(context: Context, day: date) -> list[EntryRow]:
    """The live entries that overlap ``day`` (in the context's zone), oldest first: the order
    ``#N`` counts in."""
    start, end = day_bounds(day, context.zone())
    return context.store.entries.between(context.workspace_id, start, end, now=context.now())


def find_entry(context: Context, ref: str) -> EntryRow:
    """The live entry ``ref`` (full id, short id, ``#N`` of today, ``last``) points at."""
    return _find_entry(context, ref, today=lambda: day_rows(context, context.today()))


def zone_label(zone: tzinfo, now: datetime | None = None) -> str:
    """A zone's IANA name, or its abbreviation when the system zone has no name."""
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key != "localtime":
        return key
    return zone.tzname(now) or str(zone)


def _week(day: date, zone: tzinfo, week_start: str) -> tuple[datetime, datetime]:
    """The week's bounds; an unexpected ``week_start`` from a profile falls back to Monday."""
    try:
        return week_bounds(day, zone, week_start)
    except ValueError:
        return week_bounds(day, zone, "MONDAY")


def _exact_overlap(entry: Entry, start: datetime, end: datetime, now: datetime) -> timedelta:
    finish = entry.end or max(now, entry.start)
    return max(min(finish, end) - max(entry.start, start), timedelta(0))


def _overlap(entry: Entry, start: datetime, end: datetime, now: datetime) -> timedelta:
    finish = entry.end or max(now, entry.start)
    return shown_length(max(entry.start, start), min(finish, end))


def _placed(view: EntryView, index: int, short_id: str) -> EntryView:
    """``view`` as ``#index`` of its day, its overlaps to be marked again (the same object
    when nothing differs: a table compares it with what it shows)."""
    if (view.index, view.short_id, view.overlaps) == (index, short_id, ()):
        return view
    return replace(view, index=index, short_id=short_id, overlaps=())


def _with_overlaps(views: list[EntryView], now: datetime) -> list[EntryView]:
    """``views`` (oldest first) with each one's :attr:`EntryView.overlaps` filled in: an entry
    overlaps the later ones that start before it ends."""
    shared: dict[str, list[str]] = {}
    for number, view in enumerate(views):
        entry = view.entry
        finish = entry.end or max(now, entry.start)
        for later in views[number + 1 :]:
            if later.entry.start >= finish:
                break
            if later.entry.start == (later.entry.end or max(now, later.entry.start)):
                continue  # an empty entry takes no time from anyone
            shared.setdefault(entry.id, []).append(later.entry.id)
            shared.setdefault(later.entry.id, []).append(entry.id)
    return [
        replace(v, overlaps=tuple(shared[v.entry.id])) if v.entry.id in shared else v for v in views
    ]


class Views:
    """Read-only views over the store."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def day(self, day: date | None = None) -> DayView:
        """One day's entries with names, sync state and totals (``None``: today), read from
        one snapshot (the totals agree with the rows while sync writes)."""
        context = self.context
        with context.store.reading():
            when = day or context.today()
            zone, now = context.zone(), context.now()
            return self._day(when, self._rows(when, zone, now), zone, now, {})

    def day_again(self, shown: DayView, ids: Collection[str]) -> DayView:
        """``shown`` as :meth:`day` would read it now, reading again only the entries
        ``ids`` (the ones a change wrote) and the running one: a click on a long day does
        not read, name and measure every row anew. ``#N``, overlaps, short ids and totals
        are counted again over the whole day."""
        context = self.context
        with context.store.reading():
            zone, now = context.zone(), context.now()
            if zone_label(zone) != shown.zone:  # another zone: other days altogether
                return self.day(shown.day)
            start, end = day_bounds(shown.day, zone)
            again = set(ids) | {v.entry.id for v in shown.entries if v.entry.running}
            rows = context.store.entries.between(
                context.workspace_id, start, end, now=now, among=again
            )
            fresh = self._entry_views(rows, start, end, now, numbered=False)
            kept = [v for v in shown.entries if v.entry.id not in again]
            merged = sorted([*kept, *fresh], key=lambda v: (v.entry.start, v.entry.id))
            shorts = short_ids(context, [v.entry.id for v in merged])
            placed = [
                _placed(view, number, shorts[view.entry.id])
                for number, view in enumerate(merged, start=1)
            ]
            return self._assemble(shown.day, _with_overlaps(placed, now), zone, now, {})

    def days(self, start: date, end: date) -> Iterator[DayView]:
        """Every day from ``start`` to ``end`` (inclusive, either order) that has entries,
        one at a time: a long range is listed as it is read, in little memory.

        Each day is one indexed read, and each week's total one more, not one per day.
        """
        if end < start:
            start, end = end, start
        zone, now = self.context.zone(), self.context.now()
        weeks: dict[datetime, tuple[timedelta, timedelta]] = {}
        when = start
        while when <= end:
            rows = self._rows(when, zone, now)
            if rows:
                yield self._day(when, rows, zone, now, weeks)
            when += timedelta(days=1)

    def log(self, start: date, end: date) -> LogView:
        """Every day from ``start`` to ``end`` (inclusive) that has entries, all at once."""
        days = tuple(self.days(start, end))
        first, last = min(start, end), max(start, end)
        return LogView(first, last, days, sum((d.total for d in days), timedelta(0)))

    def status(self) -> StatusView:
        """What runs, for how long, today's total and what waits to be sent (one snapshot)."""
        with self.context.store.reading():
            return self._status()

    def _status(self) -> StatusView:
        context = self.context
        store = context.store
        workspace = context.workspace_id
        now = context.now()
        zone = context.zone()
        start, end = day_bounds(now.astimezone(zone).date(), zone)
        running_row = store.entries.running(workspace)
        running = None
        if running_row is not None:
            running = self._entry_views([running_row], start, end, now, numbered=False)[0]
        pending, parked = store.entries.counts(workspace)
        info = store.meta.workspace(workspace)
        today = store.entries.totals(workspace, start, end, now=now)
        return StatusView(
            now=now,
            workspace_id=workspace,
            workspace_name=info.name if info else None,
            connected=context.connected,
            running=running,
            elapsed=running.duration if running else None,
            today_total=today[0],
            exact_today_total=today[1],
            capacity=self._capacity(now.astimezone(zone).date()),
            pending=pending,
            parked=parked,
            zone=zone_label(zone),
            zone_warning=self.zone_warning(),
        )

    def week_totals(self, day: date, now: datetime) -> tuple[timedelta, timedelta]:
        """The total of the week holding ``day`` as shown and to the second, counted at
        ``now``: what :meth:`day` gives as ``week_total`` and ``exact_week_total``."""
        context = self.context
        zone = context.zone()
        start, end = _week(day, zone, context.store.meta.profile().week_start)
        return context.store.entries.totals(context.workspace_id, start, end, now=now)

    def timer(self) -> tuple[Entry | None, Entry | None]:
        """The running entry and the latest other one (the one Continue offers first), in two
        reads: what the reminders plan from, with no names to look up."""
        entries, workspace = self.context.store.entries, self.context.workspace_id
        running = entries.running(workspace)
        last = next(
            (
                row.entry
                for row in entries.latest(workspace, 2)
                if running is None or row.id != running.id
            ),
            None,
        )
        return (running.entry if running else None), last

    def running(self) -> Entry | None:
        """The running entry of the current workspace, if any."""
        row = self.context.store.entries.running(self.context.workspace_id)
        return None if row is None else row.entry

    def zone_warning(self) -> str | None:
        """A sentence when the Clockify profile's zone differs from this computer's now."""
        name = self.context.store.meta.profile().time_zone
        if not name:
            return None
        if zone_named(name) is None:
            return (
                f"Your Clockify profile's time zone ({name}) is unknown on this computer; "
                f"days are counted in the system's ({zone_label(system_zone())})."
            )
        now = self.context.now()
        profile_zone = self.context.zone()
        local = system_zone()
        if now.astimezone(profile_zone).utcoffset() == now.astimezone(local).utcoffset():
            return None
        return (
            f"Your Clockify profile's time zone ({zone_label(profile_zone)}) differs from this "
            f"computer's ({zone_label(local)}); days are counted in {zone_label(profile_zone)}."
        )

    def entry(self, row: EntryRow) -> EntryView:
        """One entry with names and state, outside any day list."""
        now = self.context.now()
        return self._entry_views([row], row.entry.start, row.entry.end or now, now, numbered=False)[
            0
        ]

    # --- helpers ----------------------------------------------------------------------------

    def _rows(self, when: date, zone: tzinfo, now: datetime) -> list[EntryRow]:
        start, end = day_bounds(when, zone)
        return self.context.store.entries.between(self.context.workspace_id, start, end, now=now)

    def _day(
        self,
        when: date,
        rows: list[EntryRow],
        zone: tzinfo,
        now: datetime,
        weeks: dict[datetime, tuple[timedelta, timedelta]],
    ) -> DayView:
        """``when`` as a day view of ``rows``; ``weeks`` keeps week totals by the week's
        start, so the other days of that week do not read the week again."""
        start, end = day_bounds(when, zone)
        entries = _with_overlaps(self._entry_views(rows, start, end, now, numbered=True), now)
        return self._assemble(when, entries, zone, now, weeks)

    def _assemble(
        self,
        when: date,
        entries: list[EntryView],
        zone: tzinfo,
        now: datetime,
        weeks: dict[datetime, tuple[timedelta, timedelta]],
    ) -> DayView:
        """The day view of ``entries`` (numbered, overlaps marked), with its totals."""
        context = self.context
        week_start, week_end = _week(when, zone, context.store.meta.profile().week_start)
        if week_start not in weeks:
            weeks[week_start] = context.store.entries.totals(
                context.workspace_id, week_start, week_end, now=now
            )
        return DayView(
            day=when,
            zone=zone_label(zone),
            entries=tuple(entries),
            total=sum((e.in_range for e in entries), timedelta(0)),
            week_total=weeks[week_start][0],
            capacity=self._capacity(when),
            running=next((e for e in entries if e.entry.running), None),
            exact_total=sum((e.exact_in_range for e in entries), timedelta(0)),
            exact_week_total=weeks[week_start][1],
        )

    def _capacity(self, day: date) -> timedelta | None:
        profile = self.context.store.meta.profile()
        if profile.daily_capacity is None:
            return None
        weekday = day.strftime("%A").upper()
        if profile.working_days and weekday not in profile.working_days:
            return timedelta(0)
        return profile.daily_capacity

    def _entry_views(
        self,
        rows: Sequence[EntryRow],
        start: datetime,
        end: datetime,
        now: datetime,
        *,
        numbered: bool,
    ) -> list[EntryView]:
        context = self.context
        catalog = context.store.catalog
        connected = context.connected
        project_ids = sorted({r.entry.project_id for r in rows if r.entry.project_id})
        projects = {
            p.id: p
            for p in (catalog.get("project", i) for i in project_ids)
            if isinstance(p, Project)
        }
        client_names = catalog.names(
            "client", sorted({p.client_id for p in projects.values() if p.client_id})
        )
        task_names = catalog.names(
            "task", sorted({r.entry.task_id for r in rows if r.entry.task_id})
        )
        tag_names = catalog.names("tag", sorted({t for r in rows for t in r.entry.tag_ids}))
        shorts = short_ids(context, [r.id for r in rows])
        views: list[EntryView] = []
        for number, row in enumerate(rows, start=1):
            entry = row.entry
            project = projects.get(entry.project_id or "")
            views.append(
                EntryView(
                    entry=entry,
                    short_id=shorts[entry.id],
                    index=number if numbered else None,
                    state=row.state(connected=connected),
                    parked=row.parked,
                    project=project.name if project else None,
                    client=client_names.get(project.client_id or "") if project else None,
                    task=task_names.get(entry.task_id or ""),
                    tags=tuple(sorted(tag_names.get(t, "?") for t in entry.tag_ids)),
                    color=project.color if project else None,
                    duration=entry.duration(max(now, entry.start))
                    if entry.end is None
                    else shown_length(entry.start, entry.end),
                    in_range=_overlap(entry, start, end, now),
                    exact=entry.duration(max(now, entry.start)),
                    exact_in_range=_exact_overlap(entry, start, end, now),
                    starts_before=entry.start < start,
                    ends_after=(entry.end or now) > end,
                )
            )
        return views
