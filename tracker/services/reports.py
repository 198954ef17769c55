"""Reports: where the time of a period went, grouped and totalled.

A :class:`ReportQuery` names a period of whole days in the profile's zone, up to three
grouping levels and some filters; a :class:`ReportSource` answers it with a :class:`Report`.
:class:`LocalReportSource` answers from the local store (the person's own entries on this
computer, offline); an online source reading Clockify's Reports host fits the same protocol,
so callers (the CLI, the Reports window, the exports) do not change when it arrives.

Counting follows ``tracker log`` exactly, so the two never disagree:

* an entry is **clipped to the period**: only its part inside ``[first day 00:00, day after
  the last day 00:00)`` counts, so an entry across midnight at a period's edge counts its
  inside part only (and, grouped by date, each day gets its own part);
* a running entry counts from its start up to now;
* everything is whole seconds (the store keeps whole seconds), so totals are exact integers;
  money is each entry's part in the period times its rate, rounded to a cent per entry
  (:func:`entry_cents`) and then added up, as Clockify's reports add up each entry's amount
  (a group split by date holds parts of an entry across midnight: rounded half up once per
  group and day, :func:`amount_cents`).

Amounts come from the rates workspace administration kept (:mod:`tracker.services.rates`,
no request): earned for billable time only, cost for all time (as Clockify's ``EARNED`` and
``COST``), and profit, earned less cost (``PROFIT``). An entry whose rates are not kept is
left out of the amounts and counted, so a report says "amounts for 12 of 14 entries".

Grouped by tag, an entry with several tags counts under each of them (as in Clockify), so
tag groups can add up to more than the total; the total counts every entry once.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Protocol

from tracker.domain.bounds import DAY_RANGE, FIRST_DAY, LAST_DAY
from tracker.domain.timeutil import day_bounds, week_bounds
from tracker.services.context import Context
from tracker.services.errors import ServiceError
from tracker.services.rates import EntryRates, RateBook, kept_rates
from tracker.store.report_rows import (
    ReportFilter,
    ReportRow,
    catalog_names,
    count_rows,
    report_rows,
)

__all__ = [
    "GROUPS",
    "LOCAL_LABEL",
    "PERIODS",
    "Group",
    "LocalReportSource",
    "Report",
    "ReportEntry",
    "ReportError",
    "ReportQuery",
    "ReportSource",
    "ReportUnavailableError",
    "amount_cents",
    "amounts_note",
    "entry_cents",
    "named_period",
]

GROUPS = ("project", "client", "task", "tag", "date", "description")
"""What a report can be grouped by, one to three levels."""

PERIODS = (
    "today",
    "yesterday",
    "this-week",
    "last-week",
    "this-month",
    "last-month",
    "this-year",
)
"""Named periods, counted in the profile's zone (weeks from the profile's week start)."""

LOCAL_LABEL = "Your entries on this computer"
"""What a local report says it shows: only this person's entries, as this computer has them."""

WITHOUT = {
    "project": "(Without project)",
    "client": "(Without client)",
    "task": "(Without task)",
    "tag": "(Without tag)",
    "description": "(Without description)",
    "date": "?",
}


class ReportError(ServiceError):
    """A query that cannot be answered (reversed period, unknown grouping); says why."""


class ReportUnavailableError(ReportError):
    """Clockify could not give a report (offline, the key refused, the budget spent): the
    caller may show a kept copy or the local store instead; the message says why."""


def amount_cents(cent_seconds: int) -> int:
    """Cents from seconds x cents-per-hour, rounded half up: the one money rounding rule."""
    return (cent_seconds + 1800) // 3600


def amounts_note(report: Report, fetch: str) -> str:
    """One sentence when the amounts leave entries out or are unknown ("" otherwise);
    ``fetch`` says how a person gets the rates here (the window and the CLI differ)."""
    if report.source != "local" or not report.entries:
        return ""
    if report.amount_cents is None:
        return f"Amounts unknown: this computer keeps no rates for these entries; {fetch}."
    if report.unpriced:
        return (
            f"Amounts for {report.priced_entries} of {report.entries} entries (the others' "
            f"rates are not kept here); {fetch}."
        )
    return ""


def _day_checked(day: date, what: str) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ReportError(f"The {what} day {day} is outside the {DAY_RANGE}.")
    return day


@dataclass(frozen=True)
class ReportQuery:
    """What to report: days ``start``..``end`` (inclusive) and how to group and filter.

    Filters take local ids; an empty tuple means "any". ``billable`` ``None`` means both;
    ``description`` matches text contained in the description, ignoring case;
    ``without_project`` keeps only entries with no project.
    """

    start: date
    end: date
    group_by: tuple[str, ...] = ("project",)
    projects: tuple[str, ...] = ()
    clients: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    billable: bool | None = None
    description: str | None = None
    without_project: bool = False

    def __post_init__(self) -> None:
        _day_checked(self.start, "first")
        _day_checked(self.end, "last")
        if self.end < self.start:
            raise ReportError(
                f"The period ends ({self.end}) before it starts ({self.start}); "
                "give the first day first."
            )
        groups = tuple(g.strip().lower() for g in self.group_by)
        unknown = [g for g in groups if g not in GROUPS]
        if unknown:
            raise ReportError(f"Cannot group by {unknown[0]!r}; choose from {', '.join(GROUPS)}.")
        if not 1 <= len(groups) <= 3 or len(set(groups)) != len(groups):
            raise ReportError("Group by one to three different things, e.g. project,task.")
        object.__setattr__(self, "group_by", groups)

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1


def named_period(name: str, today: date, week_start: str = "MONDAY") -> tuple[date, date]:
    """The first and last day of a named period (:data:`PERIODS`) around ``today``.

    Raises:
        ReportError: for a name that is not one of :data:`PERIODS`.
    """
    key = name.strip().lower().replace("_", "-")
    if key == "today":
        return today, today
    if key == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if key in ("this-week", "last-week"):
        try:
            first, _ = week_bounds(today, UTC, week_start)
        except ValueError:
            first, _ = week_bounds(today, UTC, "MONDAY")
        monday = first.date() - timedelta(days=7 if key == "last-week" else 0)
        return monday, monday + timedelta(days=6)
    if key == "this-month":
        first_day = today.replace(day=1)
        return first_day, _next_month(first_day) - timedelta(days=1)
    if key == "last-month":
        this_month = today.replace(day=1)
        last = this_month - timedelta(days=1)
        return last.replace(day=1), last
    if key == "this-year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    raise ReportError(f"Unknown period {name!r}; use one of {', '.join(PERIODS)}.")


def _next_month(first: date) -> date:
    return (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )


@dataclass(frozen=True)
class Group:
    """One group of a report: its key (an id, a date, a text; ``None`` for "without"),
    what it is called, its time and money, and the groups of the next level."""

    kind: str
    key: str | None
    label: str
    seconds: int
    billable_seconds: int | None
    """``None`` when unknown (Clockify's summary report does not say it per group)."""
    amount_cents: int | None
    """Earned; ``None`` when unknown (some of the group's entries have no known rates)."""
    children: tuple[Group, ...] = ()
    cost_cents: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain values for ``--json`` and the JSON export."""
        return {
            "group": self.kind,
            "key": self.key,
            "name": self.label,
            "seconds": self.seconds,
            "billable_seconds": self.billable_seconds,
            "amount": self.amount_cents,
            "cost": self.cost_cents,
            "children": [c.to_json() for c in self.children],
        }


@dataclass(frozen=True)
class Report:
    """A period's totals, groups and days.

    ``amount_cents`` (earned) and ``cost_cents`` are ``None`` when no rates are known; when
    only some entries' are, they count those :attr:`priced_entries` and say so.
    """

    query: ReportQuery
    source: str
    """``"local"`` or the online source's name."""
    label: str
    """What the data is, for people (:data:`LOCAL_LABEL`)."""
    as_of: datetime
    zone: str
    total_seconds: int
    billable_seconds: int
    amount_cents: int | None
    currency: str | None
    entries: int
    running: bool
    """A running timer counts up to :attr:`as_of`."""
    groups: tuple[Group, ...]
    days: tuple[tuple[date, int], ...]
    """Every day of the period with its seconds (zero included), in order."""
    cost_cents: int | None = None
    priced_entries: int | None = None
    """How many of :attr:`entries` the amounts count (``None``: all, as Clockify's do)."""

    @property
    def profit_cents(self) -> int | None:
        """Earned less cost, when both are known."""
        if self.amount_cents is None or self.cost_cents is None:
            return None
        return self.amount_cents - self.cost_cents

    @property
    def unpriced(self) -> int:
        """How many entries the amounts leave out (their rates are not known here)."""
        return 0 if self.priced_entries is None else self.entries - self.priced_entries

    def to_json(self) -> dict[str, Any]:
        """Plain values for ``--json``."""
        return {
            "source": self.source,
            "label": self.label,
            "as_of": self.as_of.isoformat(),
            "from": self.query.start.isoformat(),
            "to": self.query.end.isoformat(),
            "zone": self.zone,
            "group_by": list(self.query.group_by),
            "total_seconds": self.total_seconds,
            "billable_seconds": self.billable_seconds,
            "amount": self.amount_cents,
            "cost": self.cost_cents,
            "profit": self.profit_cents,
            "currency": self.currency,
            "entries": self.entries,
            "priced_entries": self.priced_entries,
            "running": self.running,
            "groups": [g.to_json() for g in self.groups],
            "days": [{"day": d.isoformat(), "seconds": s} for d, s in self.days],
        }


@dataclass(frozen=True)
class ReportEntry:
    """One entry's part inside the period, with names, for a detailed export.

    ``start``/``end`` are the clipped instants (aware UTC), so ``end - start`` is
    ``seconds``; a running entry ends at the report's "now".
    """

    id: str
    start: datetime
    end: datetime
    running: bool
    description: str
    project: str | None
    client: str | None
    task: str | None
    tags: tuple[str, ...]
    billable: bool
    seconds: int
    rate_cents: int | None
    amount_cents: int | None
    user: str | None = None
    """Whose entry, when a report covers several people (``None``: the profile's)."""


class ReportSource(Protocol):
    """Where reports come from: the local store now, Clockify's Reports host later."""

    name: str
    label: str

    def report(self, query: ReportQuery) -> Report:
        """The grouped totals of ``query``."""
        ...

    def count(self, query: ReportQuery) -> int:
        """How many entries :meth:`entries` will yield (for a progress bar)."""
        ...

    def entries(self, query: ReportQuery) -> Iterator[ReportEntry]:
        """The entries of ``query``, oldest first, read as they are yielded."""
        ...


# --- the local source ----------------------------------------------------------------------


@dataclass
class _Names:
    projects: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """project id → (name, client id)."""
    clients: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class _Node:
    seconds: int = 0
    billable: int = 0
    cent_seconds: int = 0
    cost_cent_seconds: int = 0
    unpriced: int = 0
    """Seconds of entries whose rates are not known (the group's amounts are then unknown)."""
    label: str = ""
    children: dict[str | None, _Node] = field(default_factory=dict)


_UNKNOWN = EntryRates(None, None)

_Alike = dict[tuple[Any, ...], tuple[list[int], list[int], list[int]]]
"""Entries alike in every grouped field: seconds per day (one slot unless grouped by date)
and what rounding their amounts added, earned and cost, per day."""


class LocalReportSource:
    """Reports from the local store: this person's entries in the current workspace.

    Args:
        context: the store, clock and workspace.
        rates: the rates to price entries at; by default those administration kept, read
            again for each report (a window open for hours sees a rate fetched meanwhile).
    """

    name = "local"
    label = LOCAL_LABEL

    def __init__(self, context: Context, *, rates: RateBook | None = None) -> None:
        self.context = context
        self._given = rates
        self._book: RateBook | None = rates
        self._priced: dict[tuple[str | None, str | None], EntryRates] = {}

    def rates_changed(self) -> bool:
        """Whether the kept rates differ from those the last report was priced at (a
        window reads its report again only then: re-reading would fold its open groups)."""
        return self._given is None and kept_rates(self.context) != self._book

    def _prices(self) -> RateBook:
        """The rate book for one report or export, and a fresh memo of entries' rates."""
        self._book = self._given or kept_rates(self.context)
        self._priced = {}
        return self._book

    # --- the protocol -------------------------------------------------------------------------

    def report(self, query: ReportQuery) -> Report:
        """Totals, groups and days of ``query``; one range read, then grouping in memory."""
        zone = self.context.zone()
        now = self.context.now()
        lo, hi = self._bounds(query, zone)
        edges, days = _day_edges(query, zone)
        names = self._names()
        book = self._prices()
        root = _Node()
        per_day = [0] * len(days)
        entries = priced = 0
        running = False
        total = billable_total = cent_total = cost_total = 0
        levels = query.group_by
        by_date = "date" in levels
        by_tag = "tag" in levels
        by_text = "description" in levels
        until = int(now.timestamp())
        # Entries alike in every grouped field are summed first (per day when grouped by
        # date) and walked into the tree once: a week of 10,000 entries is a few hundred walks.
        alike: _Alike = {}
        for row in self._rows(query, lo, hi, now):
            _, began, ended, description, project_id, task_id, tag_text, billable = row
            finish = max(until, began) if ended is None else ended
            first, last = max(began, lo), min(finish, hi)
            if last <= first:
                continue
            seconds = last - first
            entries += 1
            running = running or ended is None
            total += seconds
            billable_total += seconds if billable else 0
            earned, cost, earned_off, cost_off = self._money(
                seconds, self._rate(project_id, task_id, bool(billable))
            )
            priced += earned is not None
            cent_total += earned or 0
            cost_total += cost or 0
            key = (
                project_id,
                task_id,
                tag_text if by_tag else None,
                description if by_text else None,
                billable,
            )
            bucket = alike.get(key)
            if bucket is None:
                width = len(days) if by_date else 1
                bucket = alike[key] = ([0] * width, [0] * width, [0] * width)
            sums, earned_offs, cost_offs = bucket
            day = bisect.bisect_right(edges, first) - 1
            slot = day if by_date else 0
            # The entry's rounding goes with its first part (its start's day, as Clockify's).
            earned_offs[slot], cost_offs[slot] = (
                earned_offs[slot] + earned_off,
                cost_offs[slot] + cost_off,
            )
            if last <= edges[day + 1]:  # most entries lie within one day
                per_day[day] += seconds
                sums[slot] += seconds
                continue
            for index, part in _split(first, last, edges):
                per_day[index] += part
                sums[index if by_date else 0] += part
        self._grow(root, alike, levels, days, names)
        known = book.anything and (priced > 0 or entries == 0)
        amount = amount_cents(cent_total) if known else None
        return Report(
            query=query,
            source=self.name,
            label=self.label,
            as_of=now,
            zone=_zone_label(zone),
            total_seconds=total,
            billable_seconds=billable_total,
            amount_cents=amount,
            currency=book.currency if amount is not None else None,
            entries=entries,
            running=running,
            groups=_freeze(root, levels, 0, known_money=amount is not None),
            days=tuple(zip(days, per_day, strict=True)),
            cost_cents=amount_cents(cost_total) if known else None,
            priced_entries=priced if known else None,
        )

    @staticmethod
    def _money(seconds: int, rates: EntryRates) -> tuple[int | None, int | None, int, int]:
        """An entry's earned and cost (cent-seconds, rounded to whole cents; ``None`` when
        its rates are unknown) and what the rounding added to each."""
        if rates is _UNKNOWN:
            return None, None, 0, 0
        exact, exact_cost = seconds * (rates.hourly or 0), seconds * (rates.cost or 0)
        earned, cost = _per_entry(exact), _per_entry(exact_cost)
        return earned, cost, earned - exact, cost - exact_cost

    def _grow(
        self,
        root: _Node,
        alike: _Alike,
        levels: Sequence[str],
        days: list[date],
        names: _Names,
    ) -> None:
        """Walk each bucket of alike entries into the group tree once."""
        for (project_id, task_id, tag_text, description, billable), bucket in alike.items():
            sums, earned_offs, cost_offs = bucket
            rates = self._rate(project_id, task_id, bool(billable))
            keys = _keys(
                levels,
                project_id=project_id,
                task_id=task_id,
                tag_ids=_tag_ids(tag_text),
                description=description or "",
                names=names,
            )
            _add(
                root,
                levels,
                keys,
                parts=[
                    (i, part, earned_offs[i], cost_offs[i]) for i, part in enumerate(sums) if part
                ],
                days=days,
                billable=bool(billable),
                rates=rates,
            )

    def count(self, query: ReportQuery) -> int:
        """How many entries overlap the period and pass the filters."""
        lo, hi = self._bounds(query, self.context.zone())
        now = int(self.context.now().timestamp())
        return count_rows(
            self.context.store.conn,
            self.context.workspace_id,
            lo,
            hi,
            now=now,
            only=self._filter(query),
        )

    def entries(self, query: ReportQuery) -> Iterator[ReportEntry]:
        """Each entry's part inside the period, oldest first, read from the store as yielded
        (a long period takes little memory)."""
        zone = self.context.zone()
        now = self.context.now()
        lo, hi = self._bounds(query, zone)
        names = self._names()
        self._prices()
        until = int(now.timestamp())
        for row in self._rows(query, lo, hi, now, ordered=True):
            entry_id, began, ended, description, project_id, task_id, tag_text, billable = row
            finish = max(until, began) if ended is None else ended
            first, last = max(began, lo), min(finish, hi)
            if last <= first:
                continue
            seconds = last - first
            project = names.projects.get(project_id or "")
            rate = self._rate(project_id, task_id, True).hourly if billable else None
            yield ReportEntry(
                id=entry_id,
                start=datetime.fromtimestamp(first, UTC),
                end=datetime.fromtimestamp(last, UTC),
                running=ended is None,
                description=description,
                project=project[0] if project else None,
                client=names.clients.get(project[1] or "") if project else None,
                task=names.tasks.get(task_id or ""),
                tags=tuple(sorted(names.tags.get(t, "?") for t in _tag_ids(tag_text))),
                billable=bool(billable),
                seconds=seconds,
                rate_cents=rate,
                amount_cents=None if rate is None else entry_cents(seconds * rate),
            )

    # --- helpers ------------------------------------------------------------------------------

    def _rate(self, project_id: str | None, task_id: str | None, billable: bool) -> EntryRates:
        """An entry's rates (local ids), :data:`_UNKNOWN` when the ones it needs are not
        known: the hourly rate for billable time (others earn nothing) and the cost rate."""
        found = self._priced.get((project_id, task_id))
        if found is None:
            book = self._book or self._prices()
            catalog = self.context.store.catalog
            server_project = project_id and (catalog.server_id("project", project_id) or project_id)
            server_task = task_id and (catalog.server_id("task", task_id) or task_id)
            user = self.context.store.meta.account_user_id()
            found = self._priced[(project_id, task_id)] = book.rates(
                server_project or None, server_task or None, user
            )
        if found.cost is None or (billable and found.hourly is None):
            return _UNKNOWN
        return found if billable else EntryRates(0, found.cost)

    @staticmethod
    def _bounds(query: ReportQuery, zone: tzinfo) -> tuple[int, int]:
        lo = day_bounds(query.start, zone)[0]
        hi = day_bounds(query.end, zone)[1]
        return int(lo.timestamp()), int(hi.timestamp())

    def _filter(self, query: ReportQuery) -> ReportFilter:
        return ReportFilter(
            projects=query.projects,
            clients=query.clients,
            tasks=query.tasks,
            tags=query.tags,
            billable=query.billable,
            description=query.description,
            without_project=query.without_project,
        )

    def _rows(
        self, query: ReportQuery, lo: int, hi: int, now: datetime, *, ordered: bool = False
    ) -> Iterator[ReportRow]:
        return report_rows(
            self.context.store.conn,
            self.context.workspace_id,
            lo,
            hi,
            now=int(now.timestamp()),
            only=self._filter(query),
            ordered=ordered,
        )

    def _names(self) -> _Names:
        names = _Names()
        for kind, local_id, name, parent in catalog_names(
            self.context.store.conn, self.context.workspace_id
        ):
            if kind == "project":
                names.projects[local_id] = (name, parent)
            elif kind == "client":
                names.clients[local_id] = name
            elif kind == "task":
                names.tasks[local_id] = name
            else:
                names.tags[local_id] = name
        return names


def _zone_label(zone: tzinfo) -> str:
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else str(zone)


def _day_edges(query: ReportQuery, zone: tzinfo) -> tuple[list[int], list[date]]:
    """Each day's start (and the period's end) as Unix seconds, and the days themselves."""
    days = [query.start + timedelta(days=n) for n in range(query.days)]
    edges = [int(day_bounds(d, zone)[0].timestamp()) for d in days]
    edges.append(int(day_bounds(query.end, zone)[1].timestamp()))
    return edges, days


def entry_cents(cent_seconds: int) -> int:
    """One entry's money (seconds x cents per hour) in whole cents, as the Reports host
    rounds each entry's amount: to the nearest cent, a half cent to the even one (the test
    server's arithmetic, which the reports of both sources are checked against)."""
    cents, rest = divmod(cent_seconds, 3600)
    up = rest > 1800 or (rest == 1800 and cents % 2 == 1)
    return cents + 1 if up else cents


def _per_entry(cent_seconds: int) -> int:
    """An entry's money rounded to a whole cent, kept in cent-seconds so that sums of
    rounded entries and exact parts add up in one unit."""
    return entry_cents(cent_seconds) * 3600


def _split(first: int, last: int, edges: list[int]) -> list[tuple[int, int]]:
    """(day index, seconds) of ``[first, last)`` on each day it touches."""
    index = max(0, bisect.bisect_right(edges, first) - 1)
    parts: list[tuple[int, int]] = []
    cursor = first
    while cursor < last and index < len(edges) - 1:
        stop = min(last, edges[index + 1])
        if stop > cursor:
            parts.append((index, stop - cursor))
            cursor = stop
        index += 1
    return parts


def _tag_ids(text: Any) -> list[str]:
    try:
        value = json.loads(text) if isinstance(text, str) else []
    except ValueError:
        return []
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


Key = tuple[str | None, str]
"""(key, label) of one level."""


def _keys(
    levels: Sequence[str],
    *,
    project_id: str | None,
    task_id: str | None,
    tag_ids: list[str],
    description: str,
    names: _Names,
) -> list[list[Key]]:
    """For each level, the groups an entry belongs to (several for tags; none yet for dates,
    which come from the day parts)."""
    out: list[list[Key]] = []
    project = names.projects.get(project_id or "")
    for level in levels:
        if level == "project":
            out.append([_named(project_id, project[0] if project else None, "project")])
        elif level == "client":
            client = project[1] if project else None
            out.append([_named(client, names.clients.get(client or ""), "client")])
        elif level == "task":
            out.append([_named(task_id, names.tasks.get(task_id or ""), "task")])
        elif level == "tag":
            tags = sorted((_named(t, names.tags.get(t), "tag") for t in tag_ids), key=_by_label)
            out.append(list(dict.fromkeys(tags)) or [(None, WITHOUT["tag"])])
        elif level == "description":
            text = description.strip()
            out.append([(text, text) if text else (None, WITHOUT["description"])])
        else:
            out.append([])
    return out


def _named(key: str | None, name: str | None, kind: str) -> Key:
    """A group's key and label; an id the catalog does not know (yet) keeps its own group."""
    if key is None:
        return None, WITHOUT[kind]
    return key, name if name is not None else f"(Unknown {kind})"


def _by_label(key: Key) -> str:
    return key[1].casefold()


def _add(
    root: _Node,
    levels: Sequence[str],
    keys: list[list[Key]],
    *,
    parts: list[tuple[int, int, int, int]],
    days: list[date],
    billable: bool,
    rates: EntryRates,
) -> None:
    """Add one entry under every group path it belongs to, counting it once per node.

    A node reached twice by the same entry (two tags below it) must not count it twice, so
    each node remembers, per entry, the day parts it already took. Each part carries what
    rounding its entries to whole cents added (cent-seconds), so groups add up as the total.
    """
    taken: dict[int, set[int]] = {}

    def walk(node: _Node, depth: int, part: tuple[int, int, int, int]) -> None:
        day, seconds, earned_off, cost_off = part
        if depth == len(levels):
            return
        options = keys[depth]
        if levels[depth] == "date":
            stamp = days[day].isoformat()
            options = [(stamp, stamp)]
        for key, label in options:
            child = node.children.get(key)
            if child is None:
                child = node.children[key] = _Node(label=label)
            seen = taken.setdefault(id(child), set())
            if day not in seen:
                seen.add(day)
                child.seconds += seconds
                if billable:
                    child.billable += seconds
                if rates is _UNKNOWN:
                    child.unpriced += seconds
                else:
                    child.cent_seconds += seconds * (rates.hourly or 0) + earned_off
                    child.cost_cent_seconds += seconds * (rates.cost or 0) + cost_off
            walk(child, depth + 1, part)

    for part in parts:
        walk(root, 0, part)


def _freeze(
    node: _Node, levels: Sequence[str], depth: int, *, known_money: bool
) -> tuple[Group, ...]:
    if depth == len(levels):
        return ()
    kind = levels[depth]
    groups = []
    for key, child in node.children.items():
        # A group holding an entry whose rates are unknown shows no amount: a partial one
        # would read as the group's whole.
        priced = known_money and not child.unpriced
        groups.append(
            Group(
                kind=kind,
                key=key,
                label=child.label,
                seconds=child.seconds,
                billable_seconds=child.billable,
                amount_cents=amount_cents(child.cent_seconds) if priced else None,
                children=_freeze(child, levels, depth + 1, known_money=known_money),
                cost_cents=amount_cents(child.cost_cent_seconds) if priced else None,
            )
        )
    if kind == "date":
        groups.sort(key=lambda g: g.key or "")
    else:
        groups.sort(key=lambda g: (g.key is None, -g.seconds, g.label.casefold()))
    return tuple(groups)
