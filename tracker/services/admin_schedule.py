"""The workspace's schedule: who is booked on what, week by week, against their capacity.

Read from Clockify's Scheduling (a Pro feature) in three requests for any number of weeks:
the assignments (with names), everyone's booked hours per day with their daily capacity and
working days, and the same totals for drafts only (the list does not say what is
published). Each week is kept on its own (``admin:schedule:week:<first day>:<ws>``, as of
when it was read), so a window or verb opens at once and offline, and a week read minutes ago
costs nothing. Booked hours per day are Clockify's own totals, which leave out the person's
days off, holidays and approved time off; capacity is the member profile's daily capacity on
their working days; a day booked past it is over-booked.

Changes go to Clockify at once and are never sent twice: before a create (or a copy, a move,
a delete) is sent, a marker records when it went out; if its answer is lost the schedule is
read back at once, and what is found there is taken as done. While it is not found it is not
sent again before the unclear horizon (:data:`tracker.sync.unclear.UNCLEAR_HORIZON`), since
Clockify may still commit it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from tracker.api.models.schedule import (
    Assignment,
    AssignmentCreate,
    AssignmentUpdate,
    CopyAssignment,
    PublishAssignments,
    RecurringWrite,
    UsersFilter,
    UserTotals,
    UserTotalsFilter,
)
from tracker.services.admin_base import (
    FRESH_SECONDS,
    AdminError,
    AdminOffline,
    Kept,
    ServerFirst,
    speaking,
)
from tracker.services.timesheet import week_start

__all__ = [
    "MAX_WEEKS",
    "SCHEDULING",
    "SERIES",
    "Booking",
    "DayLoad",
    "PersonWeek",
    "ProjectRow",
    "Schedule",
    "ScheduleWeek",
    "short_id",
]

SCHEDULING = "SCHEDULING"
"""Clockify's ``Feature`` name of Scheduling (Pro and up)."""

SERIES = {"this": "THIS_ONE", "following": "THIS_AND_FOLLOWING", "all": "ALL"}
"""What a change to one assignment of a series reaches, as people say it."""

MAX_WEEKS = 12
"""The most weeks read or booked at once (a quarter)."""

Named = Literal["project", "task"]
"""The catalog kinds an assignment names."""

_EPSILON = 1e-6
_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_INDEX = "index"
_INDEX_LIMIT = 2000
"""Assignments remembered for finding one by the start of its id (the newest kept)."""


# --- what the UI and the CLI read ---------------------------------------------------------------


@dataclass(frozen=True)
class Booking:
    """One assignment: a person on a project (and task) for hours a day over whole days."""

    id: str
    user_id: str
    user_name: str
    project_id: str
    project_name: str
    client_name: str
    task_id: str | None
    task_name: str | None
    first: date
    last: date
    hours_per_day: float
    note: str
    billable: bool
    start_time: str | None = None

    def on(self, day: date) -> bool:
        """Whether the assignment covers ``day``."""
        return self.first <= day <= self.last

    @property
    def label(self) -> str:
        """Project (and task), as listed."""
        return f"{self.project_name}: {self.task_name}" if self.task_name else self.project_name

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "user": self.user_name,
            "project_id": self.project_id,
            "project": self.project_name,
            "client": self.client_name,
            "task_id": self.task_id,
            "task": self.task_name,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "hours_per_day": self.hours_per_day,
            "note": self.note,
            "billable": self.billable,
            "start_time": self.start_time,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Booking:
        return cls(
            id=str(data["id"]),
            user_id=str(data.get("user_id") or ""),
            user_name=str(data.get("user") or ""),
            project_id=str(data.get("project_id") or ""),
            project_name=str(data.get("project") or ""),
            client_name=str(data.get("client") or ""),
            task_id=data.get("task_id") or None,
            task_name=data.get("task") or None,
            first=date.fromisoformat(data["first"]),
            last=date.fromisoformat(data["last"]),
            hours_per_day=float(data.get("hours_per_day") or 0.0),
            note=str(data.get("note") or ""),
            billable=bool(data.get("billable")),
            start_time=data.get("start_time") or None,
        )


@dataclass(frozen=True)
class DayLoad:
    """One person's day: hours booked against hours they work."""

    day: date
    scheduled: float
    capacity: float
    known: bool = True
    """Whether the capacity is known: a manager sees the bookings on their projects of
    people whose capacity Clockify does not show them."""

    @property
    def over(self) -> bool:
        """Booked past their capacity (any booking on a day they do not work)."""
        return self.known and self.scheduled > self.capacity + _EPSILON


@dataclass(frozen=True)
class ProjectRow:
    """One person's hours on one project (and task) per day of the weeks shown."""

    project_id: str
    label: str
    hours: tuple[float, ...]
    bookings: tuple[str, ...]

    @property
    def total(self) -> float:
        return sum(self.hours)


@dataclass(frozen=True)
class PersonWeek:
    """One person's weeks: their day loads, their rows, and hours not yet published."""

    user_id: str
    name: str
    capacity_per_day: float
    days: tuple[DayLoad, ...]
    rows: tuple[ProjectRow, ...]
    drafts: float

    @property
    def scheduled(self) -> float:
        return sum(d.scheduled for d in self.days)

    @property
    def capacity(self) -> float:
        return sum(d.capacity for d in self.days)

    @property
    def over_booked(self) -> bool:
        return any(d.over for d in self.days)

    @property
    def capacity_known(self) -> bool:
        return all(d.known for d in self.days)


@dataclass(frozen=True)
class ScheduleWeek:
    """The weeks shown: their days, everyone in them, and the assignments behind the rows.

    ``as_of`` is the oldest read of the weeks; ``stale`` when a change made here has not been
    read back yet; ``offline`` says why Clockify was not asked (shown from what was kept).
    """

    days: tuple[date, ...]
    people: tuple[PersonWeek, ...]
    bookings: tuple[Booking, ...]
    as_of: datetime
    stale: bool = False
    offline: str | None = None

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]

    @property
    def drafts(self) -> float:
        """Hours booked and not yet published (that the person may see)."""
        return sum(p.drafts for p in self.people)

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "as_of": self.as_of.isoformat(),
            "stale": self.stale,
            "offline": self.offline,
            "people": [
                {
                    "user_id": p.user_id,
                    "name": p.name,
                    "capacity_per_day_hours": p.capacity_per_day if p.capacity_known else None,
                    "scheduled_hours": p.scheduled,
                    "capacity_hours": p.capacity if p.capacity_known else None,
                    "over_booked": p.over_booked,
                    "unpublished_hours": p.drafts,
                    "days": [
                        {
                            "day": d.day.isoformat(),
                            "scheduled_hours": d.scheduled,
                            "capacity_hours": d.capacity if d.known else None,
                            "over": d.over,
                        }
                        for d in p.days
                    ],
                    "rows": [
                        {
                            "project_id": r.project_id,
                            "project": r.label,
                            "hours": list(r.hours),
                            "total_hours": r.total,
                            "assignments": list(r.bookings),
                        }
                        for r in p.rows
                    ],
                }
                for p in self.people
            ],
            "assignments": [b.to_json() for b in self.bookings],
        }


# --- building the view from what was kept -------------------------------------------------------


def _day(moment: datetime | None) -> date | None:
    """An assignment's calendar day (Clockify writes days as UTC instants)."""
    return None if moment is None else moment.astimezone(UTC).date()


def booking_of(item: Assignment) -> Booking | None:
    """The booking an assignment from Clockify shows (``None`` without its days)."""
    first, last = _day(item.period.start), _day(item.period.end)
    if first is None or last is None:
        return None
    return Booking(
        id=item.id,
        user_id=item.user_id,
        user_name=item.user_name or "",
        project_id=item.project_id,
        project_name=item.project_name or "",
        client_name=item.client_name or "",
        task_id=item.task_id or None,
        task_name=item.task_name or None,
        first=first,
        last=max(first, last),
        hours_per_day=float(item.hours_per_day),
        note=item.note or "",
        billable=bool(item.billable),
        start_time=item.start_time,
    )


def _totals_json(found: UserTotals, days: list[date]) -> dict[str, Any]:
    by_day = {_day(d.date): float(d.total_hours) for d in found.total_hours_per_day}
    return {
        "user_id": found.user_id,
        "name": found.user_name or "",
        "capacity_seconds": float(found.capacity_per_day),
        "working_days": list(found.working_days),
        "hours": [by_day.get(day, 0.0) for day in days],
    }


def _person(
    totals: dict[str, Any], drafts: float, bookings: list[Booking], days: list[date]
) -> PersonWeek:
    per_day = totals["capacity_seconds"] / 3600.0
    working = set(totals["working_days"]) or set(_WEEKDAYS[:5])
    hours: list[float] = list(totals["hours"])
    known = bool(totals.get("known", True))
    loads = tuple(
        DayLoad(day, hours[i], per_day if _WEEKDAYS[day.weekday()] in working else 0.0, known)
        for i, day in enumerate(days)
    )
    rows: dict[tuple[str, str | None], list[Booking]] = {}
    for item in bookings:
        rows.setdefault((item.project_id, item.task_id), []).append(item)
    shown = []
    for (project_id, _task), items in sorted(
        rows.items(), key=lambda kv: kv[1][0].label.casefold()
    ):
        per = tuple(
            # Clockify's total is 0 on the person's days off: the booking counts nothing there.
            sum(b.hours_per_day for b in items if b.on(day)) if hours[i] > 0 else 0.0
            for i, day in enumerate(days)
        )
        shown.append(ProjectRow(project_id, items[0].label, per, tuple(b.id for b in items)))
    return PersonWeek(totals["user_id"], totals["name"], per_day, loads, tuple(shown), drafts)


def _week_view(kept: list[Kept[dict[str, Any]]], offline: str | None) -> ScheduleWeek:
    days: list[date] = []
    people: dict[str, list[dict[str, Any]]] = {}
    drafts: dict[str, float] = {}
    bookings: dict[str, Booking] = {}
    for week in kept:
        data = week.value
        week_days = [date.fromisoformat(d) for d in data["days"]]
        days.extend(week_days)
        for item in data["assignments"]:
            booking = Booking.from_json(item)
            bookings[booking.id] = booking
        for person in data["people"]:
            people.setdefault(person["user_id"], []).append(person)
        for user_id, hours in data["drafts"].items():
            drafts[user_id] = drafts.get(user_id, 0.0) + float(hours)
    by_person: dict[str, list[Booking]] = {}
    for booking in bookings.values():
        by_person.setdefault(booking.user_id, []).append(booking)
    shown = []
    for user_id, weeks in people.items():
        merged = {**weeks[-1], "hours": [h for w in weeks for h in w["hours"]]}
        if len(merged["hours"]) != len(days):
            continue  # not in every week read (joined or left): shown once it is
        shown.append(_person(merged, drafts.get(user_id, 0.0), by_person.get(user_id, []), days))
    listed = {p.user_id for p in shown}
    for user_id in by_person.keys() - listed:
        # Booked on a project the person manages, but not one of their people: Clockify
        # shows the bookings, not the capacity (nor which days the person is off).
        mine = by_person[user_id]
        unknown = {
            "user_id": user_id,
            "name": mine[0].user_name or user_id,
            "capacity_seconds": 0.0,
            "working_days": [],
            "hours": [sum(b.hours_per_day for b in mine if b.on(day)) for day in days],
            "known": False,
        }
        shown.append(_person(unknown, drafts.get(user_id, 0.0), mine, days))
    shown.sort(key=lambda p: (p.name.casefold(), p.user_id))
    ordered = sorted(bookings.values(), key=lambda b: (b.user_name.casefold(), b.first, b.id))
    return ScheduleWeek(
        days=tuple(days),
        people=tuple(shown),
        bookings=tuple(ordered),
        as_of=min(k.as_of for k in kept),
        stale=any(k.stale for k in kept),
        offline=offline,
    )


# --- the service --------------------------------------------------------------------------------


class Schedule(ServerFirst):
    """Read and change the workspace's schedule."""

    area = "schedule"

    # --- reading ---------------------------------------------------------------------------

    def week_of(self, day: date) -> date:
        """The first day of the person's week holding ``day``."""
        return week_start(self.context, day)

    def _weeks(self, day: date, weeks: int) -> list[date]:
        if not 1 <= weeks <= MAX_WEEKS:
            raise AdminError(f"Show between 1 and {MAX_WEEKS} weeks at once.")
        first = self.week_of(day)
        return [first + timedelta(days=7 * n) for n in range(weeks)]

    async def week(self, day: date, weeks: int = 1, *, refresh: bool = False) -> ScheduleWeek:
        """The weeks from the one holding ``day``: kept copies while fresh (or with no
        client), else one read of them all; when Clockify cannot be reached, what was kept
        (with why), else :class:`AdminOffline`."""
        starts = self._weeks(day, weeks)
        kept = [self.reuse(f"week:{s}", refresh=refresh) for s in starts]
        if all(k is not None for k in kept):
            return _week_view([k for k in kept if k is not None], None)
        try:
            fresh = await self._read(starts)
        except AdminOffline as exc:
            old = [self.kept(f"week:{s}") for s in starts]
            if any(k is None for k in old):
                raise
            return _week_view([k for k in old if k is not None], exc.message)
        return _week_view(fresh, None)

    def kept_week(self, day: date, weeks: int = 1) -> ScheduleWeek | None:
        """The weeks as kept here, without a request (``None`` when one was never read)."""
        kept = [self.kept(f"week:{s}") for s in self._weeks(day, weeks)]
        if any(k is None for k in kept):
            return None
        return _week_view([k for k in kept if k is not None], None)

    def due(self, week: ScheduleWeek | None) -> bool:
        """Whether a window showing ``week`` should ask Clockify again (never read, old, or
        changed here since)."""
        if week is None or week.stale:
            return True
        age = (self.now() - week.as_of).total_seconds()
        return not 0 <= age < FRESH_SECONDS

    async def _read(self, starts: list[date]) -> list[Kept[dict[str, Any]]]:
        first, last = starts[0], starts[-1] + timedelta(days=6)
        start, end = _instant(first), _instant(last)
        ws = self.workspace_id
        with speaking("read the schedule"):
            found = await self.api.schedule.assignments(ws, start, end)
            totals = await self.api.schedule.users_totals(
                ws, UserTotalsFilter(start=start, end=end, page_size=200)
            )
            drafts = await self.api.schedule.users_totals(
                ws,
                UserTotalsFilter(start=start, end=end, page_size=200, status_filter="UNPUBLISHED"),
            )
        bookings = [b for b in (booking_of(a) for a in found) if b is not None]
        self._remember(bookings)
        kept = []
        for week_first in starts:
            days = [week_first + timedelta(days=n) for n in range(7)]
            data = {
                "days": [d.isoformat() for d in days],
                "assignments": [
                    b.to_json() for b in bookings if b.first <= days[-1] and b.last >= days[0]
                ],
                "people": [_totals_json(t, days) for t in totals],
                "drafts": {
                    t.user_id: hours
                    for t in drafts
                    if (hours := sum(_totals_json(t, days)["hours"])) > 0
                },
            }
            kept.append(self.keep(data, f"week:{week_first}"))
        return kept

    # --- finding an assignment --------------------------------------------------------------

    def _remember(self, bookings: Iterable[Booking]) -> None:
        """Add assignments to the index used to find one by the start of its id."""
        index = dict((self.kept(_INDEX) or Kept({}, self.now())).value)
        known: dict[str, Any] = dict(index.get("bookings") or {})
        for booking in bookings:
            known.pop(booking.id, None)
            known[booking.id] = booking.to_json()
        while len(known) > _INDEX_LIMIT:
            known.pop(next(iter(known)))
        self.keep({"bookings": known}, _INDEX)

    def _forget(self, ids: Iterable[str]) -> None:
        gone = set(ids)

        def change(data: dict[str, Any]) -> None:
            data["bookings"] = {k: v for k, v in data.get("bookings", {}).items() if k not in gone}

        self.amend(change, _INDEX)

    def find(self, short: str) -> Booking:
        """The assignment whose id ends (as shown: :func:`short_id`) or starts with
        ``short``, among those read here.

        Raises:
            AdminError: none, or several, match (the message says what to do).
        """
        wanted = short.strip().lower()
        kept = self.kept(_INDEX)
        known = (kept.value.get("bookings") or {}) if kept else {}
        matches = [
            v
            for k, v in known.items()
            if wanted and (k.lower().endswith(wanted) or k.lower().startswith(wanted))
        ]
        if not matches:
            raise AdminError(
                f"No assignment {short.strip()[:30]!r} among those read here; show its week "
                "first (`tracker admin schedule WEEK`)."
            )
        if len(matches) > 1:
            raise AdminError(f"{short.strip()[:30]!r} fits several assignments' ids; give more.")
        return Booking.from_json(matches[0])

    # --- changing ---------------------------------------------------------------------------

    async def add(
        self,
        user_id: str,
        project_id: str,
        first: date,
        last: date,
        hours: float,
        *,
        task_id: str | None = None,
        weeks: int = 1,
        note: str | None = None,
        user_name: str = "",
    ) -> list[Booking]:
        """Book ``user_id`` on the project for ``hours`` a day from ``first`` to ``last``
        (repeated weekly for ``weeks`` weeks, a series, when more than one); the bookings
        made (drafts until published).

        Raises:
            AdminError: refused (one sentence); AdminUnclear while a lost create may land.
        """
        _check_booking(first, last, hours, weeks)
        body = AssignmentCreate(
            user_id=user_id,
            project_id=project_id,
            start=_instant(first),
            end=_instant(last),
            hours_per_day=hours,
            task_id=task_id,
            note=note,
            recurring_assignment=RecurringWrite(repeat=True, weeks=weeks) if weeks > 1 else None,
        )
        starts = {first + timedelta(days=7 * n) for n in range(weeks)}

        def same(b: Booking) -> bool:
            return b.user_id == user_id and b.project_id == project_id and b.first in starts

        async def send() -> list[Assignment]:
            return await self.api.schedule.create(self.workspace_id, body)

        key = f"create:{user_id}:{project_id}:{first}"
        span = (first, last + timedelta(days=7 * (weeks - 1)))
        made = await self._once(key, "schedule this", span, same, send)
        return [self._named(b, user_name) for b in made]

    async def edit(
        self,
        booking: Booking,
        *,
        first: date | None = None,
        last: date | None = None,
        hours: float | None = None,
        note: str | None = None,
        task_id: str | None = None,
        series: str = "this",
    ) -> list[Booking]:
        """Change an assignment (and, with ``series`` ``following`` or ``all``, the others of
        its series, moved by the same days); the bookings changed."""
        new_first = first or booking.first
        new_last = last or (new_first + (booking.last - booking.first))
        new_hours = booking.hours_per_day if hours is None else hours
        _check_booking(new_first, new_last, new_hours, 1)
        body = AssignmentUpdate(
            start=_instant(new_first),
            end=_instant(new_last),
            hours_per_day=new_hours,
            billable=booking.billable,
            note=booking.note if note is None else note,
            start_time=booking.start_time,
            task_id=booking.task_id if task_id is None else task_id,
            series_update_option=_series(series),
        )

        def same(b: Booking) -> bool:
            return b.id == booking.id and b.first == new_first and b.hours_per_day == new_hours

        async def send() -> list[Assignment]:
            return await self.api.schedule.update(self.workspace_id, booking.id, body)

        span = (min(booking.first, new_first), max(booking.last, new_last))
        made = await self._once(f"edit:{booking.id}", "change this assignment", span, same, send)
        return [self._named(b, booking.user_name) for b in made]

    async def copy(
        self,
        booking: Booking,
        *,
        to_week: date | None = None,
        to_user: str | None = None,
        user_name: str = "",
    ) -> list[Booking]:
        """Copy an assignment to another week (the same weekdays) and/or another person; the
        copies (drafts)."""
        shift = timedelta(0)
        if to_week is not None:
            shift = timedelta(
                days=7 * ((self.week_of(to_week) - self.week_of(booking.first)).days // 7)
            )
        user_id = to_user or booking.user_id
        if shift == timedelta(0) and user_id == booking.user_id:
            raise AdminError(
                "Say where to copy it: another week (--to) or another person (--user)."
            )
        if shift != timedelta(0):
            return await self.add(
                user_id,
                booking.project_id,
                booking.first + shift,
                booking.last + shift,
                booking.hours_per_day,
                task_id=booking.task_id,
                note=booking.note or None,
                user_name=user_name if to_user else booking.user_name,
            )

        def same(b: Booking) -> bool:
            return (
                b.user_id == user_id
                and b.project_id == booking.project_id
                and b.first == booking.first
                and b.id != booking.id
            )

        async def send() -> list[Assignment]:
            body = CopyAssignment(user_id=user_id, series_update_option="THIS_ONE")
            return await self.api.schedule.copy(self.workspace_id, booking.id, body)

        key = f"copy:{booking.id}:{user_id}"
        span = (booking.first, booking.last)
        made = await self._once(key, "copy this assignment", span, same, send)
        return [self._named(b, user_name) for b in made]

    async def delete(self, booking: Booking, *, series: str = "this") -> list[Booking]:
        """Delete an assignment (and, with ``series``, the following ones or its series); what
        was deleted (an empty list when a delete whose answer was lost had landed)."""
        option = _series(series)

        async def send() -> list[Assignment]:
            return await self.api.schedule.delete(self.workspace_id, booking.id, series=option)

        async def look() -> list[Booking] | None:
            found = await self._look((booking.first, booking.last))
            return [] if all(b.id != booking.id for b in found) else None

        gone = await self._send_once(f"delete:{booking.id}", "delete this assignment", look, send)
        gone = [self._named(b, booking.user_name) for b in gone]
        self._forget([booking.id, *(b.id for b in gone)])
        self._stale((booking.first, booking.last))
        return gone

    async def publish(
        self, day: date, weeks: int = 1, *, user_ids: list[str] | None = None
    ) -> None:
        """Publish the drafts of the weeks from the one holding ``day`` (only these people's
        when given): the people booked then see them. Publishing twice publishes the same, so
        a lost answer is simply asked again by running it again."""
        starts = self._weeks(day, weeks)
        first, last = starts[0], starts[-1] + timedelta(days=6)
        body = PublishAssignments(
            start=_instant(first),
            end=_instant(last),
            user_filter=UsersFilter(ids=user_ids) if user_ids else None,
        )
        with speaking("publish the schedule", change=True):
            await self.api.schedule.publish(self.workspace_id, body)
        self._stale((first, last))

    # --- names -----------------------------------------------------------------------------

    def server_id(self, kind: Named, local_id: str) -> str:
        """Clockify's id of a project or task of this computer's catalog.

        Raises:
            AdminError: it was made here and has not reached Clockify yet.
        """
        found = self.context.store.catalog.server_id(kind, local_id)
        if not found:
            raise AdminError(f"That {kind} is not on Clockify yet; run `tracker sync` first.")
        return found

    def _name_of(self, kind: Named, server_id: str | None) -> str | None:
        if not server_id:
            return None
        catalog = self.context.store.catalog
        local = catalog.local_id(kind, self.workspace_id, server_id)
        found = catalog.get(kind, local) if local else None
        name = getattr(found, "name", None)
        return name if isinstance(name, str) else None

    def _named(self, booking: Booking, user_name: str) -> Booking:
        """A change's answer has ids only: the names come from this computer's catalog and
        what the caller knows of the person."""
        return replace(
            booking,
            user_name=booking.user_name or user_name,
            project_name=booking.project_name or self._name_of("project", booking.project_id) or "",
            task_name=booking.task_name or self._name_of("task", booking.task_id),
        )

    # --- never twice ------------------------------------------------------------------------

    async def _look(self, span: tuple[date, date]) -> list[Booking]:
        with speaking("read the schedule back"):
            found = await self.api.schedule.assignments(
                self.workspace_id, _instant(span[0]), _instant(span[1])
            )
        return [b for b in (booking_of(a) for a in found) if b is not None]

    async def _once(
        self,
        key: str,
        what: str,
        span: tuple[date, date],
        same: Callable[[Booking], bool],
        send: Callable[[], Awaitable[list[Assignment]]],
    ) -> list[Booking]:
        async def look() -> list[Booking] | None:
            found = [b for b in await self._look(span) if same(b)]
            return found or None

        made = await self._send_once(key, what, look, send)
        self._remember(made)
        self._stale(span)
        return made

    async def _send_once(
        self,
        key: str,
        what: str,
        look: Callable[[], Awaitable[list[Booking] | None]],
        send: Callable[[], Awaitable[list[Assignment]]],
    ) -> list[Booking]:
        """Send a change never twice (:meth:`ServerFirst.send_once`), answered as bookings."""

        async def sent() -> list[Booking]:
            return [b for b in (booking_of(a) for a in await send()) if b is not None]

        return await self.send_once(key, what, look, sent)

    def _stale(self, span: tuple[date, date]) -> None:
        """Mark the kept weeks a change touched: shown until read again, which asks."""
        week = self.week_of(span[0])
        while week <= span[1]:
            self.amend(_unchanged, f"week:{week}")
            week += timedelta(days=7)


def short_id(assignment_id: str) -> str:
    """How an assignment's id is shown: its last six characters (Clockify's ids start with
    the second they were made, so assignments made together share their start)."""
    return assignment_id[-6:]


def _unchanged(data: dict[str, Any]) -> None:
    """A kept week after a change here: left as read (marked stale by ``amend``)."""


def _instant(day: date) -> datetime:
    """A calendar day as Clockify's Scheduling reads it (midnight UTC)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _series(series: str) -> str:
    option = SERIES.get(series.strip().lower())
    if option is None:
        raise AdminError("Say which of a series: this, following or all.")
    return option


def _check_booking(first: date, last: date, hours: float, weeks: int) -> None:
    """What Clockify would refuse, said before anything is sent."""
    if last < first:
        raise AdminError("The last day comes before the first.")
    if not 0 < hours <= 24:
        raise AdminError("Hours a day must be more than 0 and at most 24.")
    if not 1 <= weeks <= MAX_WEEKS:
        raise AdminError(f"Repeat for 1 to {MAX_WEEKS} weeks.")
    if weeks > 1 and (last - first).days >= 7:
        raise AdminError("Only a booking of a week or less can repeat weekly.")
