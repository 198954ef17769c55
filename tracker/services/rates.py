"""Which hourly and cost rate an entry is priced at, from what workspace administration kept.

Clockify prices an entry by the most specific rate set for it, in the order its help page
"The rate change won't apply to time entries" gives (the spec is silent; :data:`ORDER`, and
the test server's reports follow it too): the rate of the entry's person on its project,
else the task's, else the person's workspace ("team") rate, else the project's, else the
workspace's. A rate of ``0`` is a rate (Clockify sends unset rates
as ``null`` or as ``amount: 0``, FACTS §5; only ``null`` falls through, as on the test
server). Nothing set anywhere prices at 0.

Everything comes from what is kept, without a request: the Team area's copy (each person's
workspace rates), the Projects area's copy (project, member and task rates) and the
workspace's own rates, kept with the workspace when it is read. A level whose copy is not
kept (a member's computer, or administration never opened) makes the rate **unknown**
unless a more specific level already set it: a report never prices an entry at a rate that a
kept copy it lacks might override.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from tracker.services.admin_base import admin_key
from tracker.services.context import Context
from tracker.store.report_cache import ReportCache
from tracker.sync.account import workspace_rates_key

__all__ = ["ORDER", "EntryRates", "ProjectRates", "RateBook", "kept_rates"]

ORDER = ("project member", "task", "workspace member", "project", "workspace")
"""Most specific first: the first level that sets a rate prices the entry."""

T = TypeVar("T")

Pair = tuple[int | None, int | None]
"""(hourly, cost) in cents per hour; ``None``: not set at this level."""


@dataclass(frozen=True)
class EntryRates:
    """An entry's hourly (billable) and cost rate in cents per hour; ``None``: unknown."""

    hourly: int | None
    cost: int | None


@dataclass(frozen=True)
class ProjectRates:
    """A project's own (hourly, cost), its members' by user id and its tasks' by task id."""

    rates: Pair
    members: Mapping[str, Pair]
    tasks: Mapping[str, Pair]


def _pair(raw: Mapping[str, Any]) -> Pair:
    hourly, cost = raw.get("hourly_rate"), raw.get("cost_rate")
    return (
        hourly if isinstance(hourly, int) else None,
        cost if isinstance(cost, int) else None,
    )


@dataclass(frozen=True)
class RateBook:
    """The rates kept for one workspace, by Clockify ids; ``None`` for a copy not kept.

    Args:
        workspace: the workspace's own (hourly, cost).
        people: each person's workspace (hourly, cost) by user id.
        projects: each project's rates, its members' and its tasks', by project id.
        currency: the currency the rates are in (the workspace's).
    """

    workspace: Pair | None
    people: Mapping[str, Pair] | None
    projects: Mapping[str, ProjectRates] | None
    currency: str | None = None

    @property
    def anything(self) -> bool:
        """Whether any copy is kept (else every rate is unknown)."""
        return not (self.workspace is None and self.people is None and self.projects is None)

    def rates(self, project_id: str | None, task_id: str | None, user_id: str | None) -> EntryRates:
        """The hourly and cost rate of an entry on ``project_id``/``task_id`` by ``user_id``
        (Clockify ids; ``None``: without one)."""
        levels = self._levels(project_id, task_id, user_id)
        return EntryRates(_first(levels, 0), _first(levels, 1))

    def _levels(
        self, project_id: str | None, task_id: str | None, user_id: str | None
    ) -> list[Pair | None]:
        """Each level of :data:`ORDER` that applies, most specific first; ``None`` for a
        level that applies but is not known."""
        levels: list[Pair | None] = []
        project = None
        if project_id:
            project = None if self.projects is None else self.projects.get(project_id)
            if project is None:
                return [None]
            member = project.members.get(user_id or "")
            levels.append(member if member is not None else (None, None))
            if task_id:
                levels.append(project.tasks.get(task_id))
        if user_id is None:
            levels.append((None, None))  # no account: no person on Clockify has a rate
        else:
            levels.append(None if self.people is None else self.people.get(user_id))
        if project is not None:
            levels.append(project.rates)
        levels.append(self.workspace)
        return levels


def _first(levels: list[Pair | None], which: int) -> int | None:
    """The first rate set, 0 when none is, ``None`` when an unknown level comes first."""
    for level in levels:
        if level is None:
            return None
        if level[which] is not None:
            return level[which]
    return 0


def _projects(data: Mapping[str, Any]) -> dict[str, ProjectRates]:
    projects: dict[str, ProjectRates] = {}
    for raw in data.get("projects", []):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        members = {
            m["user_id"]: _pair(m)
            for m in raw.get("members", ())
            if isinstance(m, dict) and isinstance(m.get("user_id"), str)
        }
        tasks = {
            t["id"]: _pair(t)
            for t in raw.get("tasks", ())
            if isinstance(t, dict) and isinstance(t.get("id"), str)
        }
        projects[raw["id"]] = ProjectRates(_pair(raw), members, tasks)
    return projects


def _people(data: Mapping[str, Any]) -> tuple[dict[str, Pair], str | None]:
    people: dict[str, Pair] = {}
    currency = None
    for raw in data.get("people", []):
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            people[raw["id"]] = _pair(raw)
            currency = currency or (raw.get("currency") or None)
    return people, currency if isinstance(currency, str) else None


_MADE: dict[str, tuple[bytes, Any]] = {}
"""Per kept copy: a digest of its text and the rates made of it. A large workspace's copy
is megabytes of JSON, and a report is read again at every change the window sees."""


def _made_of(cache: ReportCache, key: str, make: Callable[[dict[str, Any]], T]) -> T | None:
    """What ``make`` makes of the copy kept under ``key`` (``None``: none kept, or not
    readable), made again only when the copy's text changed."""
    text = cache.text(key)
    if text is None:
        return None
    digest = hashlib.blake2b(text.encode(), digest_size=16).digest()
    known = _MADE.get(key)
    if known is not None and known[0] == digest:
        return cast("T", known[1])
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    made = make(data)
    _MADE[key] = (digest, made)
    return made


def kept_rates(context: Context) -> RateBook:
    """The rates kept for the context's workspace (no request; a copy not kept is ``None``).

    The kept copies are read as plain JSON (the administration services keep them so):
    reading them through those services would build every person's and project's view.
    """
    ws = context.workspace_id
    workspace: Pair | None = None
    currency = None
    own = context.store.meta.get(workspace_rates_key(ws))
    if isinstance(own, dict):
        workspace = (
            own["hourly"] if isinstance(own.get("hourly"), int) else None,
            own["cost"] if isinstance(own.get("cost"), int) else None,
        )
        currency = own.get("currency") if isinstance(own.get("currency"), str) else None
    found = ReportCache(context.store.conn)
    team = _made_of(found, admin_key("team", ws), _people)
    people = None if team is None else team[0]
    currency = currency or (None if team is None else team[1])
    projects = _made_of(found, admin_key("projects", ws), _projects)
    return RateBook(workspace, people, projects, currency)
