"""The workspace's people and user groups, for its owner, admins and managers.

One read gathers the team: everyone with their workspace membership (status, hourly and cost
rate, in cents) and custom-field values, the groups with their members and team managers, and
who holds which role (``POST /users/info`` with ``roles``: Clockify's only role filter; three
requests, one per role). On a paid plan each person's member profile (daily capacity,
working days) is read too, while the team is small enough (:data:`PROFILES_AT_ONCE`); on a
Free plan (30 requests an hour) a profile is read only when that person is changed. The whole
is kept (``admin:team:<ws>``) with its time, so the window and the CLI open from it at once
and offline.

Filters run on Clockify where it has them: role (``roles``), project (``projectId``: who has
access), email (contains), status and group (``userGroups``) in one ``POST /users/info``; the
answer picks people out of the kept team. "member" (no role) has no filter there and is
applied here; offline, every filter but project is applied here to the kept copy.

Changes are sent at once and never twice: one whose answer was lost is read back, and sent
again only when the read shows it did not land. Several people at once (invitations) say
their cost first and stop before the hour's budget runs out on a Free plan.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from tracker.api.models.account import UsersFilter
from tracker.api.models.profile import WEEKDAYS, MemberProfileUpdate
from tracker.api.models.team import Person, RateChange, RoleGrant, UserGroup
from tracker.services.admin_base import (
    AdminError,
    AdminOffline,
    AdminUnclear,
    Kept,
    ServerFirst,
    speaking,
)

__all__ = [
    "MANAGER_ROLES",
    "PROFILES_AT_ONCE",
    "ROLES",
    "GroupView",
    "InviteResult",
    "PeopleAnswer",
    "PeopleFilter",
    "PersonView",
    "Team",
    "TeamView",
    "parse_money",
    "parse_working_days",
]

ADMIN = "admin"
TEAM_MANAGER = "team manager"
PROJECT_MANAGER = "project manager"
MANAGER_ROLES = (TEAM_MANAGER, PROJECT_MANAGER)
ROLES = ("admin", "manager", "member")
"""What ``--role`` filters by: owner or admin, a team or project manager, anyone else."""

_WIRE_ROLES = {
    ADMIN: "WORKSPACE_ADMIN",
    TEAM_MANAGER: "TEAM_MANAGER",
    PROJECT_MANAGER: "PROJECT_MANAGER",
}
STATUSES = ("ACTIVE", "INACTIVE", "PENDING", "DECLINED")

PEOPLE_PAGE = 200
"""People asked for per page: a team of 2,000 costs 10 requests, not 40 (FACTS §2: no
documented maximum; 200 was seen accepted live)."""

PROFILES_AT_ONCE = 100
"""The most member profiles one read of the team fetches (one request each, paid plans)."""

_PROJECT_OFFLINE = "Who has access to a project is known only to Clockify, which cannot be reached."
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class PersonView:
    """One person of the workspace as an administrator sees them. Rates are cents;
    ``capacity_seconds``/``working_days`` are ``None`` while their profile was not read."""

    id: str
    name: str
    email: str
    status: str
    roles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    hourly_rate: int | None = None
    cost_rate: int | None = None
    currency: str | None = None
    capacity_seconds: int | None = None
    working_days: tuple[str, ...] | None = None
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def role(self) -> str:
        """``admin``, ``manager`` or ``member``."""
        if ADMIN in self.roles:
            return ADMIN
        if set(MANAGER_ROLES) & set(self.roles):
            return "manager"
        return "member"


@dataclass(frozen=True)
class GroupView:
    """A user group: its members' and team managers' ids."""

    id: str
    name: str
    member_ids: tuple[str, ...] = ()
    manager_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamView:
    """The team as read at ``as_of``; ``stale`` when a change made here was not read back."""

    people: tuple[PersonView, ...]
    groups: tuple[GroupView, ...]
    as_of: datetime
    stale: bool = False
    profiles_read: bool = True
    note: str = ""
    offline: bool = False
    """Shown because Clockify could not be reached (not kept)."""

    def person(self, user_id: str) -> PersonView | None:
        return next((p for p in self.people if p.id == user_id), None)

    def group(self, group_id: str) -> GroupView | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def names(self, ids: Iterable[str]) -> list[str]:
        """People's names for ids (an id no longer in the team is shown as is)."""
        by_id = {p.id: p.name for p in self.people}
        return [by_id.get(i, i) for i in ids]


@dataclass(frozen=True)
class PeopleFilter:
    """What ``tracker admin users`` filters by (``project_id`` is Clockify's id)."""

    role: str | None = None
    project_id: str | None = None
    email: str | None = None
    status: str | None = None
    group_id: str | None = None

    @property
    def any(self) -> bool:
        return any((self.role, self.project_id, self.email, self.status, self.group_id))


@dataclass(frozen=True)
class PeopleAnswer:
    """The team, the people a filter picked, and where it was applied (``clockify``, or
    ``here`` on the kept copy; empty without a filter)."""

    team: TeamView
    people: tuple[PersonView, ...]
    filtered: str = ""


@dataclass(frozen=True)
class InviteResult:
    """What an invitation of several people did."""

    added: tuple[str, ...] = ()
    already: tuple[str, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()
    cost: int = 0


@dataclass
class _Read:
    """A team read being put together."""

    people: list[Person] = field(default_factory=list)
    groups: list[UserGroup] = field(default_factory=list)
    roles: dict[str, set[str]] = field(default_factory=dict)


def parse_money(text: str) -> int:
    """``85``, ``85.5`` or ``85,50`` as cents.

    Raises:
        ValueError: not an amount of money with at most two decimals.
    """
    cleaned = text.strip().replace(",", ".")
    if not re.fullmatch(r"\d{1,7}(\.\d{1,2})?", cleaned):
        raise ValueError(f"{text!r} is not an amount such as 85 or 85.50.")
    whole, _, cents = cleaned.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def parse_working_days(text: str) -> tuple[str, ...]:
    """``mon,tue,wed`` (or full names) as Clockify's day names, Monday first.

    Raises:
        ValueError: a part is not a day of the week.
    """
    days: set[str] = set()
    for part in (p.strip().upper() for p in text.split(",") if p.strip()):
        found = [d for d in WEEKDAYS if len(part) >= 2 and d.startswith(part)]
        if len(found) != 1:
            raise ValueError(f"{part.lower()!r} is not a day of the week (mon, tue, ...).")
        days.add(found[0])
    return tuple(d for d in WEEKDAYS if d in days)


def _person(
    person: Person,
    workspace_id: str,
    roles: dict[str, set[str]],
    groups: Sequence[UserGroup],
    profile: tuple[int | None, tuple[str, ...] | None],
) -> PersonView:
    membership = next(
        (
            m
            for m in person.memberships or []
            if m.target_id in (None, workspace_id) and m.membership_type in (None, "WORKSPACE")
        ),
        None,
    )
    hourly = membership.hourly_rate if membership else None
    cost = membership.cost_rate if membership else None
    fields = tuple(
        (v.custom_field_name or v.custom_field_id or "", _value_text(v.value))
        for v in person.custom_fields
        if v.value not in (None, "", [])
    )
    return PersonView(
        id=person.id,
        name=_one_line(person.name or person.email or person.id),
        email=person.email or "",
        status=(membership.membership_status if membership else None) or "ACTIVE",
        roles=tuple(r for r in (ADMIN, TEAM_MANAGER, PROJECT_MANAGER) if person.id in roles[r]),
        groups=tuple(sorted(g.name for g in groups if person.id in g.user_ids)),
        hourly_rate=hourly.amount if hourly else None,
        cost_rate=cost.amount if cost else None,
        currency=(hourly.currency if hourly else None) or (cost.currency if cost else None),
        capacity_seconds=profile[0],
        working_days=profile[1],
        fields=fields,
    )


def _value_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _one_line(text: str) -> str:
    """A name as one line (a newline in a name must not forge a line of a message)."""
    return " ".join(text.split())


def _group(group: UserGroup) -> GroupView:
    return GroupView(
        id=group.id,
        name=_one_line(group.name),
        member_ids=tuple(group.user_ids),
        manager_ids=tuple(m.id for m in group.team_managers),
    )


def _to_json(view: TeamView) -> dict[str, Any]:
    return {
        "people": [asdict(p) for p in view.people],
        "groups": [asdict(g) for g in view.groups],
        "profiles_read": view.profiles_read,  # ``offline`` is not kept: it is this read's
        "note": view.note,
    }


def _from_json(kept: Kept[dict[str, Any]]) -> TeamView:
    data = kept.value
    people = []
    for raw in data.get("people", []):
        days = raw.get("working_days")
        people.append(
            PersonView(
                **{
                    **raw,
                    "roles": tuple(raw.get("roles", ())),
                    "groups": tuple(raw.get("groups", ())),
                    "working_days": None if days is None else tuple(days),
                    "fields": tuple(tuple(f) for f in raw.get("fields", ())),
                }
            )
        )
    groups = [
        GroupView(
            id=g["id"],
            name=g["name"],
            member_ids=tuple(g.get("member_ids", ())),
            manager_ids=tuple(g.get("manager_ids", ())),
        )
        for g in data.get("groups", [])
    ]
    return TeamView(
        tuple(people),
        tuple(groups),
        kept.as_of,
        kept.stale,
        bool(data.get("profiles_read", False)),
        str(data.get("note", "")),
    )


def _matches(person: PersonView, wanted: PeopleFilter, view: TeamView) -> bool:
    """A filter applied here (offline, and "member", which Clockify cannot filter by)."""
    if wanted.role and person.role != wanted.role:
        return False
    if wanted.email and wanted.email.casefold() not in person.email.casefold():
        return False
    if wanted.status and wanted.status not in ("ALL", person.status):
        return False
    if wanted.group_id:
        group = view.group(wanted.group_id)
        if group is None or person.id not in group.member_ids:
            return False
    return True


class Team(ServerFirst):
    """People and groups of the connected workspace (see the module's docstring)."""

    area = "team"

    # --- reading ---------------------------------------------------------------------------

    def kept_team(self) -> TeamView | None:
        """What is kept, however old (for a window opening at once)."""
        kept = self.kept()
        return None if kept is None else _from_json(kept)

    async def team(self, *, refresh: bool = False) -> TeamView:
        """The team: kept while fresh (or offline), else read from Clockify.

        Raises:
            AdminOffline: Clockify cannot be reached and nothing is kept.
            AdminError: Clockify refused (one sentence).
        """
        reused = self.reuse(refresh=refresh)
        if reused is not None:
            return _from_json(reused)
        try:
            return await self._read()
        except AdminOffline:
            kept = self.kept()
            if kept is None:
                raise
            return replace(_from_json(kept), offline=True)

    async def _read(self) -> TeamView:
        api = self.api
        ws = self.workspace_id
        read = _Read()
        with speaking("read the workspace's people"):
            read.people = [
                p async for p in api.team.people(ws, status="ALL", page_size=PEOPLE_PAGE)
            ]
            read.groups = [g async for g in api.team.groups(ws)]
            for role, wire in _WIRE_ROLES.items():
                query = UsersFilter(roles=[wire], status="ALL", page_size=PEOPLE_PAGE)
                found = await api.team.search(ws, query)
                read.roles[role] = {p.id for p in found}
        before = self.kept_team()
        free = self._free_plan()
        many = len(read.people) > PROFILES_AT_ONCE
        profiles: dict[str, tuple[int | None, tuple[str, ...] | None]] = {}
        if before is not None:
            for old in before.people:
                profiles[old.id] = (old.capacity_seconds, old.working_days)
        note = ""
        if free or many:
            note = (
                "Capacity and working days are read per person on a Free plan (each costs a "
                "request)."
                if free
                else f"Capacity and working days are read per person past {PROFILES_AT_ONCE}."
            )
        else:
            with speaking("read the people's member profiles"):
                for person in read.people:
                    if person.status != "NOT_REGISTERED":  # no profile before they sign up
                        profiles[person.id] = await self._profile(person.id)
        people = tuple(
            _person(p, ws, read.roles, read.groups, profiles.get(p.id, (None, None)))
            for p in read.people
        )
        view = TeamView(
            people=tuple(sorted(people, key=lambda p: (p.name.casefold(), p.id))),
            groups=tuple(sorted((_group(g) for g in read.groups), key=lambda g: g.name.casefold())),
            as_of=self.now(),
            profiles_read=not (free or many),
            note=note,
        )
        self.keep(_to_json(view))
        return view

    async def _profile(self, user_id: str) -> tuple[int | None, tuple[str, ...] | None]:
        profile = await self.api.member_profile.get(self.workspace_id, user_id)
        seconds = (
            int(profile.work_capacity.total_seconds())
            if profile.work_capacity is not None
            else None
        )
        return seconds, tuple(d for d in WEEKDAYS if d in profile.working_days)

    async def read_profile(self, person: PersonView) -> PersonView:
        """Read someone's capacity and working days (one request) and keep them."""
        with speaking(f"read {person.name}'s member profile"):
            seconds, days = await self._profile(person.id)
        self._amend_person(person.id, capacity_seconds=seconds, working_days=days)
        return replace(person, capacity_seconds=seconds, working_days=days)

    def _free_plan(self) -> bool:
        info = self.context.store.meta.workspace(self.workspace_id)
        return info is None or info.free_plan

    async def people(self, wanted: PeopleFilter, *, refresh: bool = False) -> PeopleAnswer:
        """The team and the people in it matching ``wanted`` (see the module's docstring for
        which filters Clockify applies).

        Raises:
            AdminOffline: a project filter without Clockify, or nothing kept offline.
        """
        view = await self.team(refresh=refresh)
        if not wanted.any:
            return PeopleAnswer(view, tuple(view.people))
        server = replace(wanted, role=None if wanted.role == "member" else wanted.role)
        if self.online and server.any:
            try:
                ids = await self._filtered_ids(server)
            except AdminOffline as exc:
                if wanted.project_id:
                    raise AdminOffline(_PROJECT_OFFLINE) from exc
            else:
                found = [p for p in view.people if p.id in ids]
                if wanted.role == "member":
                    found = [p for p in found if p.role == "member"]
                return PeopleAnswer(view, tuple(found), "clockify")
        if wanted.project_id:
            raise AdminOffline(_PROJECT_OFFLINE)
        found = [p for p in view.people if _matches(p, wanted, view)]
        return PeopleAnswer(view, tuple(found), "here")

    async def _filtered_ids(self, wanted: PeopleFilter) -> set[str]:
        roles: list[str] | None = None
        if wanted.role == ADMIN:
            roles = ["WORKSPACE_ADMIN"]
        elif wanted.role == "manager":
            roles = ["TEAM_MANAGER", "PROJECT_MANAGER"]
        query = UsersFilter(
            roles=roles,
            project_id=wanted.project_id,
            email=wanted.email,
            status=wanted.status or "ALL",
            user_groups=[wanted.group_id] if wanted.group_id else None,
            page_size=PEOPLE_PAGE,
        )
        with speaking("filter the workspace's people"):
            found = await self.api.team.search(self.workspace_id, query)
        return {p.id for p in found}

    def find(self, view: TeamView, text: str) -> PersonView:
        """The one person ``text`` names: an email, a name (any case), or the only one whose
        name or email contains it.

        Raises:
            AdminError: nobody, or several people, match.
        """
        wanted = text.strip().casefold()
        people = view.people
        exact = [p for p in people if wanted in (p.email.casefold(), p.name.casefold(), p.id)]
        found = exact or [
            p for p in people if wanted in p.name.casefold() or wanted in p.email.casefold()
        ]
        if not found:
            raise AdminError(f"No one in this workspace is called {text!r}.")
        if len(found) > 1:
            names = ", ".join(sorted(p.name for p in found))
            raise AdminError(
                f"{text!r} matches several people ({names}); give a full name or email."
            )
        return found[0]

    def find_group(self, view: TeamView, text: str) -> GroupView:
        """The one group ``text`` names (exact name in any case, or the only one containing it).

        Raises:
            AdminError: no group, or several, match.
        """
        wanted = text.strip().casefold()
        exact = [g for g in view.groups if g.name.casefold() == wanted or g.id == text.strip()]
        found = exact or [g for g in view.groups if wanted in g.name.casefold()]
        if not found:
            raise AdminError(f"No group in this workspace is called {text!r}.")
        if len(found) > 1:
            names = ", ".join(sorted(g.name for g in found))
            raise AdminError(f"{text!r} matches several groups ({names}); give its full name.")
        return found[0]

    # --- changing people ----------------------------------------------------------------------

    async def _once(
        self,
        what: str,
        send: Callable[[], Awaitable[object]],
        landed: Callable[[], Awaitable[bool]],
    ) -> None:
        """Send a change; when its answer was lost, read back, and send again only if the
        read shows it did not land (a second loss is left unclear)."""
        try:
            with speaking(what, change=True):
                await send()
            return
        except AdminUnclear:
            with speaking(f"read back whether Clockify could {what}"):
                if await landed():
                    return
        with speaking(what, change=True):
            await send()

    async def _read_person(self, person: PersonView) -> Person | None:
        query = UsersFilter(email=person.email or None, status="ALL", memberships="WORKSPACE")
        found = await self.api.team.search(self.workspace_id, query)
        return next((p for p in found if p.id == person.id), None)

    async def set_status(self, person: PersonView, *, active: bool) -> None:
        """Reactivate or deactivate someone."""
        status = "ACTIVE" if active else "INACTIVE"
        ws = self.workspace_id

        async def landed() -> bool:
            now = await self._read_person(person)
            return now is not None and any(
                m.membership_status == status for m in now.memberships or [] if m.target_id == ws
            )

        verb = "reactivate" if active else "deactivate"
        await self._once(
            f"{verb} {person.name}",
            lambda: self.api.team.set_status(ws, person.id, active=active),
            landed,
        )
        self._amend_person(person.id, status=status)

    async def set_rate(
        self, person: PersonView, kind: str, cents: int, *, since: datetime | None = None
    ) -> None:
        """Set someone's ``hourly`` or ``cost`` rate (cents)."""
        ws = self.workspace_id
        change = RateChange(
            amount=cents, since=None if since is None else since.strftime("%Y-%m-%dT%H:%M:%SZ")
        )

        async def landed() -> bool:
            now = await self._read_person(person)
            if now is None:
                return False
            for m in now.memberships or []:
                rate = m.hourly_rate if kind == "hourly" else m.cost_rate
                if m.target_id == ws and rate is not None and rate.amount == cents:
                    return True
            return False

        await self._once(
            f"set {person.name}'s {kind} rate",
            lambda: self.api.team.set_rate(ws, person.id, kind, change),
            landed,
        )
        self._amend_person(person.id, **{f"{kind}_rate": cents})

    async def set_profile(
        self,
        person: PersonView,
        *,
        capacity_seconds: int | None = None,
        working_days: tuple[str, ...] | None = None,
    ) -> None:
        """Set someone's daily capacity and working days (their member profile)."""
        if capacity_seconds is None and working_days is None:
            return
        hours, rest = divmod(capacity_seconds or 0, 3600)
        iso = (
            None
            if capacity_seconds is None
            else f"PT{hours}H{rest // 60}M"
            if rest
            else f"PT{hours}H"
        )
        change = MemberProfileUpdate(
            work_capacity=iso, working_days=None if working_days is None else list(working_days)
        )
        ws = self.workspace_id

        async def landed() -> bool:
            seconds, days = await self._profile(person.id)
            return (capacity_seconds is None or seconds == capacity_seconds) and (
                working_days is None or days == working_days
            )

        await self._once(
            f"change {person.name}'s capacity and working days",
            lambda: self.api.member_profile.update(ws, person.id, change),
            landed,
        )
        changes: dict[str, Any] = {}
        if capacity_seconds is not None:
            changes["capacity_seconds"] = capacity_seconds
        if working_days is not None:
            changes["working_days"] = list(working_days)
        self._amend_person(person.id, **changes)

    async def set_field(self, person: PersonView, name: str, value: str) -> None:
        """Set (an empty ``value``: clear) someone's value of a custom field on people."""
        ws = self.workspace_id
        with speaking("read the workspace's custom fields"):
            fields = await self.api.custom_fields.list(ws, entity_type="USER")
        wanted = name.strip().casefold()
        found = [f for f in fields if (f.name or "").casefold() == wanted]
        if not found:
            known = ", ".join(sorted(f.name or "" for f in fields)) or "none"
            raise AdminError(f"No custom field on people is called {name!r} (there are: {known}).")
        field_id = found[0].id

        async def landed() -> bool:
            now = await self._read_person(person)
            return now is not None and any(
                v.custom_field_id == field_id and _value_text(v.value) == value
                for v in now.custom_fields
            )

        await self._once(
            f"set {person.name}'s {found[0].name}",
            lambda: self.api.team.set_field_value(ws, person.id, field_id, value or None),
            landed,
        )

        def change(data: dict[str, Any]) -> None:
            for raw in data.get("people", []):
                if raw["id"] == person.id:
                    kept = [f for f in raw.get("fields", []) if f[0] != found[0].name]
                    raw["fields"] = kept + ([[found[0].name, value]] if value else [])

        self.amend(change)

    async def set_role(
        self, view: TeamView, person: PersonView, role: str, *, group: GroupView | None = None
    ) -> list[str]:
        """Make someone an ``admin``, the team ``manager`` of ``group``, or take their admin
        and team-manager roles away (``none``). Returns what was done, one line each."""
        ws = self.workspace_id
        done: list[str] = []
        if role == ADMIN:
            await self._grant(person, RoleGrant(role="WORKSPACE_ADMIN", entity_id=ws), "admin")
            done.append(f"{person.name} is now an admin.")
        elif role == "manager":
            if group is None:
                raise AdminError("Say which group they manage (--group NAME).")
            grant = RoleGrant(role="TEAM_MANAGER", entity_id=group.id, source_type="USER_GROUP")
            await self._grant(person, grant, f"team manager of {group.name}")
            done.append(f"{person.name} now manages {group.name}.")
        elif role == "none":
            if ADMIN in person.roles:
                await self._revoke(person, RoleGrant(role="WORKSPACE_ADMIN", entity_id=ws), "admin")
                done.append(f"{person.name} is no longer an admin.")
            for managed in view.groups:
                if person.id in managed.manager_ids:
                    grant = RoleGrant(
                        role="TEAM_MANAGER", entity_id=managed.id, source_type="USER_GROUP"
                    )
                    await self._revoke(person, grant, f"team manager of {managed.name}")
                    done.append(f"{person.name} no longer manages {managed.name}.")
            if PROJECT_MANAGER in person.roles:
                done.append(f"{person.name} still manages projects (change that on each project).")
            if not done:
                done.append(f"{person.name} has no admin or team-manager role.")
        else:
            raise AdminError(f"Unknown role {role!r}: admin, manager or none.")
        self._amend_roles(person, role, group)
        return done

    def _amend_roles(self, person: PersonView, role: str, group: GroupView | None) -> None:
        def change(data: dict[str, Any]) -> None:
            for raw in data.get("people", []):
                if raw["id"] != person.id:
                    continue
                roles = [r for r in raw.get("roles", []) if role != "none" or r == PROJECT_MANAGER]
                added = {ADMIN: ADMIN, "manager": TEAM_MANAGER}.get(role)
                if added and added not in roles:
                    roles.append(added)
                raw["roles"] = roles
            for raw in data.get("groups", []):
                managers = [
                    m for m in raw.get("manager_ids", []) if role != "none" or m != person.id
                ]
                if group is not None and raw["id"] == group.id and person.id not in managers:
                    managers.append(person.id)
                raw["manager_ids"] = managers

        self.amend(change)

    async def _holds(self, person: PersonView, grant: RoleGrant) -> bool:
        if grant.role == "TEAM_MANAGER" and grant.source_type == "USER_GROUP":
            groups = [g async for g in self.api.team.groups(self.workspace_id)]
            return any(
                g.id == grant.entity_id and person.id in [m.id for m in g.team_managers]
                for g in groups
            )
        query = UsersFilter(roles=[grant.role], email=person.email or None, status="ALL")
        found = await self.api.team.search(self.workspace_id, query)
        return any(p.id == person.id for p in found)

    async def _grant(self, person: PersonView, grant: RoleGrant, what: str) -> None:
        async def landed() -> bool:
            return await self._holds(person, grant)

        await self._once(
            f"make {person.name} {what}",
            lambda: self.api.team.grant(self.workspace_id, person.id, grant),
            landed,
        )

    async def _revoke(self, person: PersonView, grant: RoleGrant, what: str) -> None:
        async def landed() -> bool:
            return not await self._holds(person, grant)

        await self._once(
            f"take {person.name}'s role of {what}",
            lambda: self.api.team.revoke(self.workspace_id, person.id, grant),
            landed,
        )

    def cannot_invite(self) -> str:
        """Why nobody can be invited through the API here ("" when they can, as far as is
        known): the workspace is on the Free plan. No request."""
        info = self.context.store.meta.workspace(self.workspace_id)
        if info is not None and info.free_plan:
            return (
                "Clockify adds people through its API on paid plans only; invite them from "
                "Clockify's Team page. Nothing was sent."
            )
        return ""

    def invite_cost(self, emails: Sequence[str]) -> int:
        """Requests an invitation of ``emails`` costs: one each, and the read of who is
        already in the workspace (a page of :data:`PEOPLE_PAGE` each, as many as the kept
        team needs and one more, should people have joined since)."""
        kept = self.kept_team()
        people = len(kept.people) if kept is not None else 0
        return len(emails) + people // PEOPLE_PAGE + 1

    async def invite(self, emails: Sequence[str]) -> InviteResult:
        """Add people by email (paid plans only): one request each, after one read of who
        is already there; an invitation whose answer was lost is looked for, not resent.

        Raises:
            AdminError: an email is not one, the plan cannot invite, or the hour's budget
                would run out before the end (nothing was sent).
        """
        bad = [e for e in emails if not _EMAIL.fullmatch(e.strip())]
        if bad:
            raise AdminError(f"Not an email address: {', '.join(bad)}; nothing was sent.")
        plan_says = self.cannot_invite()
        if plan_says:
            raise AdminError(plan_says)
        cost = self.invite_cost(emails)
        left = self.api.budget.remaining()
        if left is not None and left < cost:
            raise AdminOffline(
                f"Inviting {len(emails)} people costs {cost} requests and {left} are left "
                "this hour; nothing was sent (try fewer, or later)."
            )
        ws = self.workspace_id
        spent = self.api.budget.spent()
        with speaking("read the workspace's people"):
            present = {
                (p.email or "").casefold()
                async for p in self.api.team.people(ws, status="ALL", page_size=PEOPLE_PAGE)
            }
        added: list[str] = []
        already: list[str] = []
        refused: list[tuple[str, str]] = []
        for email in (e.strip() for e in emails):
            if email.casefold() in present:
                already.append(email)
                continue

            async def landed(email: str = email) -> bool:
                found = [p async for p in self.api.team.people(ws, email=email, status="ALL")]
                return any((p.email or "").casefold() == email.casefold() for p in found)

            try:
                await self._once(
                    f"add {email}",
                    lambda email=email: self.api.team.invite(ws, email),  # type: ignore[misc]
                    landed,
                )
            except AdminOffline:
                raise
            except AdminError as exc:
                refused.append((email, exc.message))
                continue
            present.add(email.casefold())
            added.append(email)
        if added:
            self.amend(lambda _data: None)  # who was added is read back next
        used = self.api.budget.spent() - spent  # what it took (a lost answer: a read more)
        return InviteResult(tuple(added), tuple(already), tuple(refused), used)

    def _amend_person(self, user_id: str, **changes: Any) -> None:
        def change(data: dict[str, Any]) -> None:
            for raw in data.get("people", []):
                if raw["id"] == user_id:
                    raw.update(changes)

        self.amend(change)

    # --- groups ----------------------------------------------------------------------------

    async def create_group(self, name: str) -> GroupView:
        """A new group; one whose answer was lost, or whose process was killed while it was
        out, is looked for by name before it is sent again (:meth:`ServerFirst.send_once`)."""
        ws = self.workspace_id
        clean = " ".join(name.split())
        if not clean:
            raise AdminError("A group needs a name.")

        async def by_name() -> UserGroup | None:
            with speaking(f"look for the group {clean}"):
                found = [g async for g in self.api.team.groups(ws, name=clean)]
            return next((g for g in found if g.name.casefold() == clean.casefold()), None)

        async def send() -> UserGroup:
            return await self.api.team.create_group(ws, clean)

        key = f"group:{clean.casefold()}"
        made = await self.send_once(key, f"create the group {clean}", by_name, send)
        view = _group(made)
        self.amend(lambda data: data.setdefault("groups", []).append(asdict(view)))
        return view

    async def rename_group(self, group: GroupView, name: str) -> GroupView:
        """Rename a group; a rename whose answer was lost is read back before it is sent
        again (sent twice, it could undo another administrator's rename in between)."""
        clean = " ".join(name.split())
        if not clean:
            raise AdminError("A group needs a name.")
        ws = self.workspace_id

        async def renamed() -> bool:
            found = [g async for g in self.api.team.groups(ws)]
            return any(g.id == group.id and g.name == clean for g in found)

        await self._once(
            f"rename the group {group.name}",
            lambda: self.api.team.rename_group(ws, group.id, clean),
            renamed,
        )
        self._amend_group(group.id, name=clean)
        return replace(group, name=_one_line(clean))

    async def delete_group(self, group: GroupView) -> None:
        """Delete a group (its people stay in the workspace)."""
        ws = self.workspace_id

        async def gone() -> bool:
            return all(g.id != group.id for g in [g async for g in self.api.team.groups(ws)])

        await self._once(
            f"delete the group {group.name}", lambda: self.api.team.delete_group(ws, group.id), gone
        )
        self.amend(
            lambda data: data.__setitem__(
                "groups", [g for g in data.get("groups", []) if g["id"] != group.id]
            )
        )

    async def add_member(self, group: GroupView, person: PersonView) -> None:
        """Put someone in a group (sending it twice does no harm: already there is kept)."""
        ws = self.workspace_id

        async def inside() -> bool:
            found = [g async for g in self.api.team.groups(ws)]
            return any(g.id == group.id and person.id in g.user_ids for g in found)

        await self._once(
            f"add {person.name} to {group.name}",
            lambda: self.api.team.add_to_group(ws, group.id, person.id),
            inside,
        )
        members = [*group.member_ids, *([] if person.id in group.member_ids else [person.id])]
        self._amend_group(group.id, member_ids=members)
        self._amend_person(person.id, groups=sorted({*person.groups, group.name}))

    async def remove_member(self, group: GroupView, person: PersonView) -> None:
        """Take someone out of a group."""
        ws = self.workspace_id

        async def out() -> bool:
            found = [g async for g in self.api.team.groups(ws)]
            return any(g.id == group.id and person.id not in g.user_ids for g in found)

        await self._once(
            f"take {person.name} out of {group.name}",
            lambda: self.api.team.remove_from_group(ws, group.id, person.id),
            out,
        )
        self._amend_group(group.id, member_ids=[i for i in group.member_ids if i != person.id])
        self._amend_person(person.id, groups=[g for g in person.groups if g != group.name])

    def _amend_group(self, group_id: str, **changes: Any) -> None:
        def change(data: dict[str, Any]) -> None:
            for raw in data.get("groups", []):
                if raw["id"] == group_id:
                    raw.update(changes)

        self.amend(change)
