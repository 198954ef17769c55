"""``tracker admin users``: the workspace's people, for owners, admins and managers.

``tracker admin users [--role R] [--project P] [--email E] [--status S] [--group G]`` lists
them (role, project, email, status and group are filtered by Clockify; "member", no role, and
everything offline on the kept copy: the listing says which, and "as of" when); ``add
EMAIL...`` invites (its cost said first, asked before unless ``--yes``); ``set USER ...``
changes rates, capacity, working days, custom-field values, the admin or team-manager role and
the status (deactivating asks first). Services are imported inside functions: a CLI call must
start fast.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any

from tracker.cli.admin_verbs import confirm, require_admin_account, run_online
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.services.admin_people import PeopleAnswer, PersonView, Team, TeamView

__all__ = ["arguments", "refuse_below_admin", "run", "said_offline", "with_json"]

_STATUSES = ("active", "inactive", "pending", "declined", "all")
_DAYS = {"MONDAY": "mon", "TUESDAY": "tue", "WEDNESDAY": "wed", "THURSDAY": "thu"}
_DAYS |= {"FRIDAY": "fri", "SATURDAY": "sat", "SUNDAY": "sun"}


def arguments(parser: argparse.ArgumentParser) -> None:
    """``tracker admin users [add|set] ...``."""
    _filters(parser)
    ops = parser.add_subparsers(dest="users_op", metavar="ACTION", parser_class=with_json(parser))
    add = ops.add_parser("add", help="invite people by email (paid plans)")
    add.add_argument("emails", nargs="+", metavar="EMAIL")
    _asking(add)
    change = ops.add_parser("set", help="change someone's rates, capacity, role or status")
    change.add_argument("user", metavar="USER", help="a name, part of one, or an email")
    change.add_argument("--hourly-rate", metavar="X", help="e.g. 85 or 85.50 (workspace currency)")
    change.add_argument("--cost-rate", metavar="X", help="e.g. 40 or 40.50")
    change.add_argument("--capacity", metavar="H", help="daily capacity: 7.5, 7h30 or 7:30")
    change.add_argument("--working-days", metavar="DAYS", help="e.g. mon,tue,wed,thu,fri")
    change.add_argument(
        "--field", action="append", default=[], metavar="NAME=VALUE", help="a custom field"
    )
    change.add_argument("--role", choices=("admin", "manager", "none"))
    change.add_argument("--group", metavar="G", help="the group a manager manages")
    change.add_argument("--status", choices=("active", "inactive"))
    _asking(change)


def with_json(parent: argparse.ArgumentParser) -> type[argparse.ArgumentParser]:
    """The parser class of ``parent``'s actions, each taking ``--json`` after its own
    arguments too (``tracker admin groups add NAME --json``)."""
    base: type[argparse.ArgumentParser] = type(parent)

    class WithJson(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.add_argument(
                "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
            )

    return WithJson


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=("admin", "manager", "member"), dest="filter_role")
    parser.add_argument("--project", metavar="P", help="people with access to the project")
    parser.add_argument("--email", metavar="E", help="part of the email")
    parser.add_argument("--status", choices=_STATUSES, dest="filter_status")
    parser.add_argument("--group", metavar="G", dest="filter_group")
    parser.add_argument("--refresh", action="store_true", help="ask Clockify even if just read")


def _asking(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="say what would be done")
    parser.add_argument("--yes", action="store_true", help="do it without asking")


def refuse_below_admin(rt: Runtime, what: str, listing: str) -> None:
    """Only owners and admins change people and groups on Clockify (a team manager
    approves and reports, no more): someone known to be a member or a manager is told so
    without a request. An unknown role is left to Clockify's answer."""
    from tracker.services.abilities import ROLE_MANAGER, ROLE_MEMBER, abilities  # noqa: PLC0415

    if abilities(rt.store).role in (ROLE_MEMBER, ROLE_MANAGER):
        raise UserError(
            f"Only the workspace's owner and admins change {what} on Clockify; "
            f"`{listing}` lists them."
        )


def run(rt: Runtime) -> int:
    """Run ``tracker admin users ...``."""
    require_admin_account(rt)
    op = getattr(rt.args, "users_op", None)
    if op in ("add", "set"):
        refuse_below_admin(rt, "people", "tracker admin users")
    if op == "add":
        return _add(rt)
    if op == "set":
        return _set(rt)
    return _list(rt)


# --- listing ---------------------------------------------------------------------------------


def _list(rt: Runtime) -> int:
    from tracker.services.admin_people import PeopleFilter  # noqa: PLC0415

    args = rt.args
    project_id = _project_id(rt, args.project) if args.project else None
    status = (args.filter_status or "").upper() or None
    refresh = bool(args.refresh)

    async def work(api: ClockifyClient | None) -> PeopleAnswer:
        team = _team(rt, api)
        group_id = None
        if args.filter_group:
            view = await team.team(refresh=refresh)
            group_id = team.find_group(view, args.filter_group).id
        wanted = PeopleFilter(
            role=args.filter_role,
            project_id=project_id,
            email=args.email,
            status=status,
            group_id=group_id,
        )
        return await team.people(wanted, refresh=refresh)

    answer = run_online(rt, work)
    view = answer.team
    said_offline(view)
    where = {"clockify": "filtered by Clockify", "here": "filtered on the kept copy"}.get(
        answer.filtered, "everyone"
    )
    data = {
        "as_of": view.as_of.isoformat(),
        "stale": view.stale,
        "filtered": answer.filtered or None,
        "people": [_person_json(p) for p in answer.people],
    }
    lines = [f"People as of {view.as_of:%Y-%m-%d %H:%M} UTC ({len(answer.people)}, {where})."]
    rows = [_row(p) for p in answer.people]
    if rows:
        lines += table(
            ("Name", "Email", "Role", "Groups", "Status", "Rate", "Cost", "Day", "Days"), rows
        )
    if view.note:
        lines.append(view.note)
    rt.emit(data, lines)
    return 0


def said_offline(view: TeamView) -> None:
    """On stderr: what is shown was kept, because Clockify could not be reached."""
    if view.offline:
        print(
            "tracker: Clockify cannot be reached; showing what was fetched at "
            f"{view.as_of:%Y-%m-%d %H:%M} UTC.",
            file=sys.stderr,
        )


def _money(cents: int | None) -> str:
    return "—" if cents is None else f"{cents / 100:.2f}"


def _hours(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}" if rest else f"{hours}h"


def _days(days: tuple[str, ...] | None) -> str:
    return "—" if days is None else ",".join(_DAYS[d] for d in days)


def _row(person: PersonView) -> list[str]:
    return [
        one_line(person.name),
        one_line(person.email),
        person.role,
        one_line(", ".join(person.groups)) or "—",
        person.status.lower(),
        _money(person.hourly_rate),
        _money(person.cost_rate),
        _hours(person.capacity_seconds),
        _days(person.working_days),
    ]


def _person_json(person: PersonView) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "role": person.role,
        "roles": list(person.roles),
        "groups": list(person.groups),
        "status": person.status,
        "hourly_rate_cents": person.hourly_rate,
        "cost_rate_cents": person.cost_rate,
        "currency": person.currency,
        "capacity_seconds": person.capacity_seconds,
        "working_days": None if person.working_days is None else list(person.working_days),
        "fields": dict(person.fields),
    }


def _team(rt: Runtime, api: ClockifyClient | None) -> Team:
    from tracker.services.admin_people import Team  # noqa: PLC0415

    return Team(rt.context, api)


def _project_id(rt: Runtime, text: str) -> str:
    """Clockify's id of the project ``text`` names (as every verb's ``-p`` finds it)."""
    from tracker.services.catalog import Catalog  # noqa: PLC0415
    from tracker.services.errors import ServiceError  # noqa: PLC0415

    rt.fetch_references_once()
    try:
        project = Catalog(rt.context).resolve_project(text)
    except ServiceError as exc:
        raise UserError(str(exc)) from exc
    server_id = rt.store.catalog.server_id("project", project.id)
    if server_id is None:
        raise UserError(
            f"The project {project.name!r} is not on Clockify yet (run `tracker sync`)."
        )
    return server_id


# --- inviting --------------------------------------------------------------------------------


def _add(rt: Runtime) -> int:
    emails = [e.strip() for e in rt.args.emails]
    cost = _team(rt, None).invite_cost(emails)
    said = f"invite {len(emails)} people to the workspace ({cost} requests)"
    if not confirm(rt, said):
        rt.emit({"dry_run": True, "emails": emails, "cost": cost}, [])
        return 0

    async def work(api: ClockifyClient | None) -> Any:
        return await _team(rt, api).invite(emails)

    result = run_online(rt, work)
    lines = [f"Invited {one_line(e)} (pending until they accept)." for e in result.added]
    lines += [f"{one_line(e)} is already in the workspace." for e in result.already]
    lines += [f"{one_line(e)}: {one_line(why)}" for e, why in result.refused]
    rt.emit(
        {
            "added": list(result.added),
            "already": list(result.already),
            "refused": [{"email": e, "reason": why} for e, why in result.refused],
            "cost": result.cost,
        },
        lines,
    )
    return 1 if result.refused else 0


# --- changing someone ------------------------------------------------------------------------


def _capacity(text: str) -> int:
    from tracker.domain.durations import DurationError, parse_human  # noqa: PLC0415

    raw = text.strip()
    if re.fullmatch(r"\d{1,2}([.,]\d+)?", raw):
        seconds = round(float(raw.replace(",", ".")) * 3600)
    else:
        try:
            seconds = int(parse_human(raw).total_seconds())
        except DurationError as exc:
            raise UserError(f"--capacity: {exc}") from exc
    if not 0 <= seconds <= 24 * 3600:
        raise UserError("--capacity: a day holds at most 24 hours.")
    return seconds - seconds % 60


def _amounts(args: argparse.Namespace) -> dict[str, Any]:
    """Rates, capacity and working days as given, checked."""
    from tracker.services.admin_people import parse_money, parse_working_days  # noqa: PLC0415

    changes: dict[str, Any] = {}
    try:
        for kind in ("hourly", "cost"):
            given = getattr(args, f"{kind}_rate")
            if given is not None:
                changes[f"{kind}_rate"] = parse_money(given)
        if args.working_days is not None:
            changes["working_days"] = parse_working_days(args.working_days)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    if args.capacity is not None:
        changes["capacity"] = _capacity(args.capacity)
    return changes


def _fields(args: argparse.Namespace) -> list[tuple[str, str]]:
    fields = []
    for given in args.field:
        name, sep, value = given.partition("=")
        if not sep or not name.strip():
            raise UserError(f"--field takes NAME=VALUE, not {given!r}.")
        fields.append((name.strip(), value.strip()))
    return fields


def _changes(rt: Runtime) -> dict[str, Any]:
    """What ``set`` was asked to change, checked before any request."""
    args = rt.args
    changes = _amounts(args)
    fields = _fields(args)
    if fields:
        changes["fields"] = fields
    if args.role == "manager" and not args.group:
        raise UserError("Say which group they manage: --role manager --group NAME.")
    if args.group and args.role != "manager":
        raise UserError("--group goes with --role manager.")
    for name in ("role", "status"):
        if getattr(args, name):
            changes[name] = getattr(args, name)
    if not changes:
        raise UserError("Say what to change (--hourly-rate, --capacity, --role, --status...).")
    return changes


async def _apply(
    team: Team, who: PersonView, changes: dict[str, Any], group: str | None
) -> list[str]:
    """Make the changes one after the other; each line says one that was made."""
    view = await team.team()
    done: list[str] = []
    name = one_line(who.name)
    for kind in ("hourly", "cost"):
        if f"{kind}_rate" in changes:
            await team.set_rate(who, kind, changes[f"{kind}_rate"])
            done.append(f"{name}'s {kind} rate is {_money(changes[f'{kind}_rate'])}.")
    if "capacity" in changes or "working_days" in changes:
        await team.set_profile(
            who, capacity_seconds=changes.get("capacity"), working_days=changes.get("working_days")
        )
        done.append(f"{name}'s capacity and working days are changed.")
    for field_name, value in changes.get("fields", []):
        await team.set_field(who, field_name, value)
        done.append(f"{name}'s {one_line(field_name)} is {one_line(value) or 'cleared'}.")
    if "role" in changes:
        managed = team.find_group(view, group) if group else None
        said = await team.set_role(view, who, changes["role"], group=managed)
        done += [one_line(line) for line in said]
    if "status" in changes:
        await team.set_status(who, active=changes["status"] == "active")
        done.append(f"{name} is {changes['status']}.")
    return done


def _set(rt: Runtime) -> int:
    changes = _changes(rt)

    async def find(api: ClockifyClient | None) -> tuple[TeamView, PersonView]:
        team = _team(rt, api)
        view = await team.team()
        return view, team.find(view, rt.args.user)

    _view, person = run_online(rt, find)
    if changes.get("status") == "inactive" and not confirm(
        rt, f"deactivate {one_line(person.name)} (they can no longer track time here)"
    ):
        return 0
    if getattr(rt.args, "dry_run", False):
        print(f"Would change {one_line(person.name)}: {', '.join(changes)} (dry run).")
        return 0

    async def work(api: ClockifyClient | None) -> list[str]:
        team = _team(rt, api)
        return await _apply(team, person, changes, rt.args.group)

    done = run_online(rt, work)
    rt.emit({"user": person.id, "done": done}, done)
    return 0
