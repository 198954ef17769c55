"""``tracker admin groups``: the workspace's user groups and who is in them.

``list`` (the default) shows each group with its members and team managers; ``members G``
one group's people; ``add NAME``, ``rename G NAME``, ``delete G`` (asked first unless
``--yes``; ``--dry-run`` says what would go), ``add-member G USER`` and ``remove-member G
USER`` change them (owners and admins). Groups and people are named as typed: the exact name
in any case, else the only one containing it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tracker.cli.admin_team_verbs import refuse_below_admin, said_offline, with_json
from tracker.cli.admin_verbs import confirm, require_admin_account, run_online
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.services.admin_groups import Groups
    from tracker.services.admin_people import GroupView, TeamView

__all__ = ["arguments", "run"]


def arguments(parser: argparse.ArgumentParser) -> None:
    """``tracker admin groups [list|add|rename|delete|members|add-member|remove-member]``."""
    parser.add_argument("--refresh", action="store_true", help="ask Clockify even if just read")
    ops = parser.add_subparsers(dest="groups_op", metavar="ACTION", parser_class=with_json(parser))
    ops.add_parser("list", help="every group with its people (the default)")
    add = ops.add_parser("add", help="create a group")
    add.add_argument("name", metavar="NAME")
    rename = ops.add_parser("rename", help="rename a group")
    rename.add_argument("group", metavar="G")
    rename.add_argument("name", metavar="NAME")
    delete = ops.add_parser("delete", help="delete a group (its people stay)")
    delete.add_argument("group", metavar="G")
    delete.add_argument("--dry-run", action="store_true", help="say what would be deleted")
    delete.add_argument("--yes", action="store_true", help="delete without asking")
    members = ops.add_parser("members", help="the people in a group")
    members.add_argument("group", metavar="G")
    for name, text in (("add-member", "put someone in"), ("remove-member", "take someone out of")):
        member = ops.add_parser(name, help=f"{text} a group")
        member.add_argument("group", metavar="G")
        member.add_argument("user", metavar="USER")


def _groups(rt: Runtime, api: ClockifyClient | None) -> Groups:
    from tracker.services.admin_groups import Groups  # noqa: PLC0415

    return Groups(rt.context, api)


def _group_json(view: TeamView, group: GroupView) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "members": view.names(group.member_ids),
        "managers": view.names(group.manager_ids),
    }


def run(rt: Runtime) -> int:
    """Run ``tracker admin groups ...``."""
    require_admin_account(rt)
    op = getattr(rt.args, "groups_op", None) or "list"
    if op not in ("list", "members"):
        refuse_below_admin(rt, "user groups", "tracker admin groups")
    if op == "list":
        return _list(rt)
    if op == "members":
        return _members(rt)
    if op == "delete":
        return _delete(rt)
    return _change(rt, op)


def _read(rt: Runtime) -> TeamView:
    refresh = bool(getattr(rt.args, "refresh", False))

    async def work(api: ClockifyClient | None) -> TeamView:
        return await _groups(rt, api).team(refresh=refresh)

    view = run_online(rt, work)
    said_offline(view)
    return view


def _list(rt: Runtime) -> int:
    view = _read(rt)
    rows = [
        [
            one_line(g.name),
            one_line(", ".join(view.names(g.member_ids))) or "—",
            one_line(", ".join(view.names(g.manager_ids))) or "—",
        ]
        for g in view.groups
    ]
    lines = [f"Groups as of {view.as_of:%Y-%m-%d %H:%M} UTC ({len(rows)})."]
    if rows:
        lines += table(("Group", "Members", "Managers"), rows)
    data = {"as_of": view.as_of.isoformat(), "groups": [_group_json(view, g) for g in view.groups]}
    rt.emit(data, lines)
    return 0


def _members(rt: Runtime) -> int:
    view = _read(rt)
    group = _find_group(rt, view, rt.args.group)
    people = [p for p in view.people if p.id in group.member_ids]
    lines = [f"{one_line(group.name)}: {len(people)} people."]
    lines += [f"  {one_line(p.name)} <{one_line(p.email)}>" for p in people]
    rt.emit(_group_json(view, group), lines)
    return 0


def _find_group(rt: Runtime, view: TeamView, text: str) -> GroupView:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    try:
        return _groups(rt, None).find_group(view, text)
    except AdminError as exc:
        raise UserError(exc.message) from exc


def _delete(rt: Runtime) -> int:
    view = _read(rt)
    group = _find_group(rt, view, rt.args.group)
    count = len(group.member_ids)
    stay = "1 person stays" if count == 1 else f"{count} people stay"
    if not confirm(rt, f"delete the group {one_line(group.name)} ({stay})"):
        rt.emit({"dry_run": True, "group": _group_json(view, group)}, [])
        return 0

    async def work(api: ClockifyClient | None) -> None:
        await _groups(rt, api).delete_group(group)

    run_online(rt, work)
    rt.emit({"deleted": _group_json(view, group)}, [f"Deleted the group {one_line(group.name)}."])
    return 0


def _change(rt: Runtime, op: str) -> int:
    args = rt.args

    async def work(api: ClockifyClient | None) -> tuple[TeamView, GroupView, str]:
        team = _groups(rt, api)
        if op == "add":
            made = await team.create_group(args.name)
            view = await team.team()
            return view, made, f"Created the group {one_line(made.name)}."
        view = await team.team()
        group = team.find_group(view, args.group)
        if op == "rename":
            renamed = await team.rename_group(group, args.name)
            return view, renamed, f"Renamed {one_line(group.name)} to {one_line(renamed.name)}."
        person = team.find(view, args.user)
        if op == "add-member":
            await team.add_member(group, person)
            said = f"{one_line(person.name)} is now in {one_line(group.name)}."
        else:
            await team.remove_member(group, person)
            said = f"{one_line(person.name)} is no longer in {one_line(group.name)}."
        view = await team.team()
        return view, view.group(group.id) or group, said

    if op not in ("add", "rename", "add-member", "remove-member"):
        raise UserError(f"Unknown action {op!r}.")
    view, group, said = run_online(rt, work)
    rt.emit(_group_json(view, group), [said])
    return 0
