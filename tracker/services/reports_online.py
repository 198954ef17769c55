"""Reports from Clockify's Reports host, in the same :class:`Report` shape as the local ones.

A query becomes summary requests (one grouped as asked, one grouped by day for the chart
unless the day is the first level), each covering at most 31 days on a Free workspace, merged
exactly (whole seconds, cents from the server). A detailed export reads the detailed report
page by page. Every request goes through the client's request budget, and :meth:`cost` says
how many a query takes before any is sent.

Results are kept in the store's report cache (:mod:`tracker.store.report_cache`) with the time
they were fetched, so the same query within :data:`FRESH_SECONDS` costs nothing, and a cached
report can be shown offline, labelled with its "as of" time.

Clockify counts an entry on the day it starts and leaves a running timer out; the local store
clips entries to the period and counts a running timer up to now. For finished entries that
do not cross the period's edges the two agree to the second.

Who may see whose time: the owner, admins and managers (the people and projects they manage)
see others' time; a member only their own, unless the workspace lets everyone see all time
entries. :meth:`OnlineReports.access` learns it with one or two requests, kept for a day.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from tracker.api import ClockifyClient, ClockifyError, ForbiddenError, UnauthorizedError
from tracker.api.models.account import User, UsersFilter
from tracker.api.models.reports import DetailedEntry, EntityFilter, ReportFilter, ReportGroup
from tracker.api.resources.reports import FREE_REPORT_DAYS
from tracker.services.abilities import ACCESS_KEY, ELEVATED
from tracker.services.context import Context
from tracker.services.people import only_match
from tracker.services.reports import (
    WITHOUT,
    Group,
    Report,
    ReportEntry,
    ReportError,
    ReportQuery,
    ReportUnavailableError,
    _zone_label,
)
from tracker.store.report_cache import FRESH_SECONDS, CachedReport, ReportCache

__all__ = [
    "ACCESS_SECONDS",
    "ASK_ABOVE",
    "ONLINE_SOURCE",
    "Access",
    "OnlineReportSource",
    "OnlineReports",
    "Person",
    "forbidden_sentence",
    "online_label",
    "report_from_json",
    "unavailable_sentence",
]

ONLINE_SOURCE = "clockify"
"""The ``source`` an online report names (``--json``)."""

ASK_ABOVE = 3
"""On a Free workspace (30 requests an hour for everything, sync included), a report that
costs more requests than this is run only once the person agreed to its cost."""

ACCESS_SECONDS = 86_400.0
"""How long what the person may see is trusted before it is asked again: roles change rarely,
and asking costs requests from the same budget as sync."""

T = TypeVar("T")


_LEVEL = {
    "project": "PROJECT",
    "client": "CLIENT",
    "task": "TASK",
    "tag": "TAG",
    "date": "DATE",
    "description": "TIMEENTRY",
}
"""Our grouping names → the Reports host's group names."""

_ELEVATED_ROLES = ("OWNER", "WORKSPACE_ADMIN", "TEAM_MANAGER", "PROJECT_MANAGER")
_ADMIN_ROLES = ("OWNER", "WORKSPACE_ADMIN")
"""Asked second, only of someone elevated, to tell an administrator from a manager."""
"""Roles that see others' time (managers: the people and projects they manage)."""


@dataclass(frozen=True)
class Person:
    """Whose time a report shows: ``"me"``, ``"all"`` (all the person may see) or one
    member by id (``name`` for labels)."""

    kind: str = "me"
    user_id: str | None = None
    name: str | None = None

    @property
    def team(self) -> bool:
        """Whether others' time is asked for."""
        return self.kind != "me"


@dataclass(frozen=True)
class Access:
    """What the person may see in this workspace's reports."""

    role: str
    """``"admin or manager"`` or ``"member"``."""
    sees_team: bool
    """Whether others' time can be asked for (admins, managers, or a workspace that lets
    everyone see all time entries)."""
    free_plan: bool


def online_label(person: Person) -> str:
    """What an online report shows, for people."""
    if person.kind == "me":
        return "Your time on Clockify"
    if person.kind == "all":
        return "Everyone's time you may see on Clockify"
    return f"{person.name or 'One person'}'s time on Clockify"


def forbidden_sentence(person: Person) -> str:
    """The one sentence a 403 on a report becomes."""
    if person.team:
        return (
            "Clockify does not let you see other people's time in this workspace (only the "
            "owner, admins and managers can); leave out --user to see your own."
        )
    return "Clockify refused this report for your role or your workspace's plan."


def unavailable_sentence(exc: ClockifyError) -> str:
    """Why Clockify gave no report, in one sentence without a full stop (the client's
    messages go on about sync, which a report does not need)."""
    if isinstance(exc, UnauthorizedError):
        return "Clockify refused the API key (run `tracker login`)"
    first = exc.message.split(". ")[0].rstrip(".")
    return f"Clockify could not give the report ({first})"


@contextlib.contextmanager
def _asking(person: Person) -> Iterator[None]:
    """Clockify's failures as the report's: a 403 in one sentence, the rest unavailable."""
    try:
        yield
    except ForbiddenError as exc:
        raise ReportError(forbidden_sentence(person)) from exc
    except ClockifyError as exc:
        raise ReportUnavailableError(unavailable_sentence(exc)) from exc


class OnlineReports:
    """Reports for one workspace and person from Clockify, through one client.

    Args:
        context: the store (for the cache, ids and the profile's zone) and clock.
        api: the client; every request it sends is counted in its budget.
        person: whose time.
    """

    def __init__(self, context: Context, api: ClockifyClient | None, person: Person) -> None:
        self.context = context
        self._api = api
        self.person = person
        self.cache = ReportCache(context.store.conn)
        self.label = online_label(person)

    @property
    def api(self) -> ClockifyClient:
        """The client (only the cache and the cost are usable without one)."""
        if self._api is None:
            raise RuntimeError("these reports were opened without a client")
        return self._api

    # --- plan, cost and cache ---------------------------------------------------------------

    @property
    def workspace_id(self) -> str:
        """The current workspace."""
        return self.context.workspace_id

    def free_plan(self) -> bool:
        """Whether the workspace is (or may be) on the Free plan: 31-day reports, and every
        request from 30 an hour."""
        info = self.context.store.meta.workspace(self.workspace_id)
        return info is None or info.free_plan

    def pieces(self, query: ReportQuery) -> int:
        """How many ranges the query is asked in (31 days each on a Free workspace)."""
        return math.ceil(query.days / FREE_REPORT_DAYS) if self.free_plan() else 1

    def cost(self, query: ReportQuery, *, refresh: bool = False) -> int:
        """How many requests :meth:`report` will send (0 when the kept copy is fresh)."""
        if not refresh and self.fresh(query) is not None:
            return 0
        per_piece = 1 if query.group_by[0] == "date" else 2
        return self.pieces(query) * per_piece

    def key(self, query: ReportQuery) -> str:
        """A stable key of everything that changes the answer."""
        account = self.context.store.meta.account() or {}
        parts = {
            "workspace": self.workspace_id,
            "account": account.get("user_id"),
            "person": [self.person.kind, self.person.user_id],
            "from": query.start.isoformat(),
            "to": query.end.isoformat(),
            "group_by": list(query.group_by),
            "projects": sorted(query.projects),
            "clients": sorted(query.clients),
            "tasks": sorted(query.tasks),
            "tags": sorted(query.tags),
            "billable": query.billable,
            "description": query.description,
            "without_project": query.without_project,
            "zone": _zone_label(self.context.zone()),
        }
        text = json.dumps(parts, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def kept(self, query: ReportQuery) -> Report | None:
        """The kept copy of the query's report, however old (for offline)."""
        found = self.cache.get(self.key(query))
        return None if found is None else self._thaw(query, found)

    def fresh(self, query: ReportQuery) -> Report | None:
        """The kept copy when it is younger than :data:`FRESH_SECONDS`."""
        found = self.cache.get(self.key(query))
        if found is None or not found.fresh(self.context.clock().timestamp(), FRESH_SECONDS):
            return None
        return self._thaw(query, found)

    def _thaw(self, query: ReportQuery, found: CachedReport) -> Report | None:
        try:
            return report_from_json(query, found.data)
        except (KeyError, TypeError, ValueError):
            self.cache.drop(self.key(query))
            return None

    # --- access ---------------------------------------------------------------------------

    async def access(self, *, refresh: bool = False) -> Access:
        """What the person may see: from the store when learnt within a day, else one
        request (``POST /users/info``, the only role filter: is this person owner, admin or
        manager) and one more: for someone elevated, whether they are owner or admin (the
        Workspace window offers more to them); for a member, whether the workspace lets
        everyone see all time entries."""
        meta = self.context.store.meta
        key = ACCESS_KEY + self.workspace_id
        now = self.context.clock().timestamp()
        known = meta.get(key)
        if (
            not refresh
            and isinstance(known, dict)
            and isinstance(known.get("at"), (int, float))
            and 0 <= now - known["at"] < ACCESS_SECONDS
            and (known.get("role") != ELEVATED or isinstance(known.get("admin"), bool))
        ):
            return Access(str(known["role"]), bool(known["sees_team"]), self.free_plan())
        role, team, admin = "member", False, False
        account = meta.account() or {}
        me = account.get("user_id")
        with _asking(self.person):
            found = await self._with_roles(account, _ELEVATED_ROLES)
        if any(user.id == me for user in found):
            role, team = ELEVATED, True
            with _asking(self.person):
                found = await self._with_roles(account, _ADMIN_ROLES)
            admin = any(user.id == me for user in found)
        else:
            with _asking(self.person):
                workspace = await self.api.workspaces.get(self.workspace_id)
            team = workspace.workspace_settings.only_admins_see_all_time_entries is False
        meta.set(key, {"role": role, "sees_team": team, "at": now, "admin": admin})
        return Access(role, team, self.free_plan())

    async def _with_roles(self, account: dict[str, Any], roles: tuple[str, ...]) -> list[User]:
        """The people with this email who hold one of ``roles`` (one request)."""
        try:
            return await self.api.users.search(
                self.workspace_id,
                UsersFilter(
                    email=account.get("email") or None,
                    roles=list(roles),
                    page=1,
                    page_size=50,
                ),
            )
        except ForbiddenError:
            return []  # a member may not list roles: not elevated

    async def find_person(self, name: str) -> Person:
        """The member called ``name`` (exact, else the only one containing it); one
        request.

        Raises:
            ReportError: no one or several people match.
        """
        with _asking(self.person):
            found = [u async for u in self.api.users.list(self.workspace_id, name=name.strip())]
        try:
            user = only_match(found, name)
        except LookupError as exc:
            raise ReportError(str(exc)) from exc
        return Person("user", user.id, user.name or user.email or name)

    # --- reports --------------------------------------------------------------------------

    async def report(self, query: ReportQuery, *, refresh: bool = False) -> Report:
        """The query's report: the kept copy while fresh, else fetched and kept.

        Raises:
            ReportError: a filter names something Clockify does not have yet, or Clockify
                refused the report for the person's role (one sentence).
            ClockifyError: the request failed (offline, budget spent...).
        """
        if not refresh:
            kept = self.fresh(query)
            if kept is not None:
                return kept
        filters = self._filter(query)
        groups = [_LEVEL[level] for level in query.group_by]
        max_days = FREE_REPORT_DAYS if self.free_plan() else None
        with _asking(self.person):
            summary = await self.api.reports.summary(
                self.workspace_id, filters, groups=groups, max_days=max_days
            )
            if query.group_by[0] == "date":
                by_day = summary.group_one
            else:
                by_day = (
                    await self.api.reports.summary(
                        self.workspace_id, filters, groups=["DATE"], max_days=max_days
                    )
                ).group_one
        now = self.context.now()
        totals = summary.total
        days = _days(query, by_day)
        report = Report(
            query=query,
            source=ONLINE_SOURCE,
            label=self.label,
            as_of=now,
            zone=_zone_label(self.context.zone()),
            total_seconds=totals.total_time,
            billable_seconds=totals.total_billable_time,
            amount_cents=totals.total_amount,
            currency=None,
            entries=totals.entries_count,
            running=False,
            groups=_groups(summary.group_one, query.group_by, 0),
            days=days,
        )
        self.cache.put(self.key(query), self.workspace_id, report.to_json(), now.timestamp())
        return report

    async def entries(self, query: ReportQuery) -> list[ReportEntry]:
        """Every entry of the query from the detailed report, oldest first (one request per
        200 entries and range piece)."""
        filters = self._filter(query)
        max_days = FREE_REPORT_DAYS if self.free_plan() else None
        found: list[ReportEntry] = []
        with _asking(self.person):
            async for line in self.api.reports.detailed(
                self.workspace_id, filters, max_days=max_days
            ):
                found.append(_entry(line))
        found.sort(key=lambda e: (e.start, e.id))
        return found

    def _filter(self, query: ReportQuery) -> ReportFilter:
        """The Reports host's filter: server ids for our local ids, the profile's zone."""
        users = None
        if self.person.kind == "me":
            account = self.context.store.meta.account() or {}
            user_id = account.get("user_id")
            if isinstance(user_id, str) and user_id:
                users = EntityFilter(ids=[user_id])
        elif self.person.user_id:
            users = EntityFilter(ids=[self.person.user_id])
        projects = self._ids("project", query.projects)
        if query.without_project:
            projects = ["", *projects]
        return ReportFilter(
            first_day=query.start,
            last_day=query.end,
            time_zone=_zone_label(self.context.zone()),
            users=users,
            projects=EntityFilter(ids=projects) if projects else None,
            clients=_entities(self._ids("client", query.clients)),
            tasks=_entities(self._ids("task", query.tasks)),
            tags=_entities(self._ids("tag", query.tags)),
            billable=query.billable,
            description=query.description,
        )

    def _ids(self, kind: Any, local_ids: Iterable[str]) -> list[str]:
        found = []
        for local_id in local_ids:
            server_id = self.context.store.catalog.server_id(kind, local_id)
            if server_id is None:
                raise ReportError(
                    f"A {kind} in the filter is not on Clockify yet (it is sent with the next "
                    "sync); use --offline to report from this computer."
                )
            found.append(server_id)
        return found


def _entities(ids: list[str]) -> EntityFilter | None:
    return EntityFilter(ids=ids) if ids else None


def _days(query: ReportQuery, by_day: Sequence[ReportGroup]) -> tuple[tuple[date, int], ...]:
    """Every day of the period with its seconds (zero included), from DATE groups."""
    seconds: dict[date, int] = {}
    for group in by_day:
        try:
            day = date.fromisoformat((group.id or group.name)[:10])
        except ValueError:
            continue
        seconds[day] = seconds.get(day, 0) + group.duration
    return tuple(
        (d, seconds.get(d, 0)) for d in (query.start + timedelta(days=n) for n in range(query.days))
    )


def _groups(groups: Sequence[ReportGroup], levels: Sequence[str], depth: int) -> tuple[Group, ...]:
    """The server's group tree as ours: ``""`` ids are the "without" groups; the billable
    time of a group is not in a summary, so it is unknown (``None``)."""
    if depth >= len(levels):
        return ()
    kind = levels[depth]
    found = []
    for group in groups:
        key: str | None = group.id or None
        if kind == "date":
            key = (group.id or group.name)[:10] or None
        label = group.name if key is not None and group.name else WITHOUT[kind]
        if kind == "description" and key is not None:
            label = key
        found.append(
            Group(
                kind=kind,
                key=key,
                label=label,
                seconds=group.duration,
                billable_seconds=None,
                amount_cents=group.amount,
                children=_groups(group.children, levels, depth + 1),
            )
        )
    if kind == "date":
        found.sort(key=lambda g: g.key or "")
    else:
        found.sort(key=lambda g: (g.key is None, -g.seconds, g.label.casefold()))
    return tuple(found)


def _entry(line: DetailedEntry) -> ReportEntry:
    start = line.time_interval.start.astimezone(UTC)
    seconds = line.time_interval.duration
    end = (
        line.time_interval.end.astimezone(UTC)
        if line.time_interval.end is not None
        else start + timedelta(seconds=seconds)
    )
    return ReportEntry(
        id=line.id,
        start=start,
        end=end,
        running=line.time_interval.end is None,
        description=line.description,
        project=line.project_name,
        client=line.client_name,
        task=line.task_name,
        tags=tuple(sorted(t.name for t in line.tags)),
        billable=line.billable,
        seconds=seconds,
        rate_cents=line.rate if line.billable else None,
        amount_cents=line.amount if line.billable else None,
        user=line.user_name,
    )


def report_from_json(query: ReportQuery, data: dict[str, Any]) -> Report:
    """A report back from :meth:`Report.to_json` (the cache's format).

    Raises:
        KeyError, TypeError, ValueError: the data is not a report.
    """

    def group(item: dict[str, Any]) -> Group:
        return Group(
            kind=str(item["group"]),
            key=item["key"],
            label=str(item["name"]),
            seconds=int(item["seconds"]),
            billable_seconds=item["billable_seconds"],
            amount_cents=item["amount"],
            children=tuple(group(c) for c in item["children"]),
        )

    return Report(
        query=query,
        source=str(data["source"]),
        label=str(data["label"]),
        as_of=datetime.fromisoformat(data["as_of"]),
        zone=str(data["zone"]),
        total_seconds=int(data["total_seconds"]),
        billable_seconds=int(data["billable_seconds"]),
        amount_cents=data["amount"],
        currency=data["currency"],
        entries=int(data["entries"]),
        running=bool(data["running"]),
        groups=tuple(group(g) for g in data["groups"]),
        days=tuple((date.fromisoformat(d["day"]), int(d["seconds"])) for d in data["days"]),
    )


class OnlineReportSource:
    """A :class:`~tracker.services.reports.ReportSource` on Clockify for a process without
    an event loop (the CLI): each call opens a client with ``connect`` and runs to the end.

    Entries are fetched once per query and kept for :meth:`count` and :meth:`entries`, so an
    export that counts before it writes pays for the detailed report once.
    """

    name = ONLINE_SOURCE

    def __init__(
        self,
        context: Context,
        connect: Callable[[], ClockifyClient],
        person: Person,
        *,
        refresh: bool = False,
    ) -> None:
        self.context = context
        self.connect = connect
        self.person = person
        self.refresh = refresh
        self.label = online_label(person)
        self._entries: dict[ReportQuery, list[ReportEntry]] = {}

    def run(self, work: Callable[[OnlineReports], Awaitable[T]]) -> T:
        """Run ``work`` with a fresh client on a fresh event loop.

        Raises:
            ReportUnavailableError: Clockify could not answer (one sentence why).
            ReportError: the query or the person's role does not allow the report.
        """

        async def go() -> T:
            async with self.connect() as api:
                return await work(OnlineReports(self.context, api, self.person))

        try:
            return asyncio.run(go())
        except ClockifyError as exc:  # opening or closing the client
            raise ReportUnavailableError(unavailable_sentence(exc)) from exc

    def offline(self) -> OnlineReports:
        """Reports without a client, for what needs no request (cost, the cache)."""
        return OnlineReports(self.context, None, self.person)

    def report(self, query: ReportQuery) -> Report:
        """The query's report (kept copy while fresh, unless refreshing)."""
        return self.run(lambda online: online.report(query, refresh=self.refresh))

    def count(self, query: ReportQuery) -> int:
        """How many entries :meth:`entries` yields (fetches them once)."""
        return len(self._fetched(query))

    def entries(self, query: ReportQuery) -> Iterator[ReportEntry]:
        """The query's entries, oldest first."""
        yield from self._fetched(query)

    def _fetched(self, query: ReportQuery) -> list[ReportEntry]:
        found = self._entries.get(query)
        if found is None:
            found = self._entries[query] = self.run(lambda online: online.entries(query))
        return found
