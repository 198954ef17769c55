"""``tracker admin projects ...``: projects with their members, rates, estimates, templates
and progress (tracked time and earned amount against the estimates).

Reads show the kept copy while it is fresh, Clockify's answer otherwise, and the kept copy
with its time when Clockify cannot be reached. Changes are sent at once and never twice;
deleting asks first (``--yes``, ``--dry-run``). The helpers here are shared by the tasks,
clients, tags and fields areas.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TypeVar

from tracker.cli.admin_verbs import confirm, run_online
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.services.admin_base import Kept, ServerFirst
    from tracker.services.admin_projects import AdminProjects, ProjectView, TaskView

__all__ = [
    "arguments",
    "hours",
    "json_everywhere",
    "money",
    "project_json",
    "read",
    "run",
    "task_json",
    "write",
]

T = TypeVar("T")
S = TypeVar("S", bound="ServerFirst")


# --- shared by the areas -------------------------------------------------------------------


def write(
    rt: Runtime, make: Callable[[ClockifyClient | None], S], work: Callable[[S], Awaitable[T]]
) -> T:
    """Run a change (or a read that must ask) on the service ``make(api)`` builds."""

    async def go(api: ClockifyClient | None) -> T:
        return await work(make(api))

    return run_online(rt, go)


def read(
    rt: Runtime, make: Callable[[ClockifyClient | None], S], work: Callable[[S], Awaitable[Kept[T]]]
) -> Kept[T]:
    """A read from Clockify, else the kept copy with its time (said on stderr)."""
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    try:
        return write(rt, make, work)
    except UserError as exc:
        problem = exc

    async def offline() -> Kept[T]:
        return await work(make(None))

    try:
        kept: Kept[T] = asyncio.run(offline())
    except AdminError:
        raise problem from None
    print(f"tracker: {problem} Showing what was fetched {_as_of(kept)}.", file=sys.stderr)
    return kept


def _as_of(kept: Kept[Any]) -> str:
    return f"at {kept.as_of.astimezone():%Y-%m-%d %H:%M}"


def hours(seconds: int | None) -> str:
    """``12:30`` for a duration, ``-`` for none."""
    if seconds is None:
        return "-"
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def money(cents: int | None) -> str:
    """``1,234.50`` for an amount in cents, ``-`` for none."""
    return "-" if cents is None else f"{cents / 100:,.2f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def task_json(task: TaskView) -> dict[str, Any]:
    """A task for ``--json``."""
    return asdict(task)


def project_json(project: ProjectView) -> dict[str, Any]:
    """A project for ``--json``, with its progress as shares of the estimates."""
    data = asdict(project)
    data["time_progress"] = project.time_progress
    data["budget_progress"] = project.budget_progress
    data["budget_spent"] = project.budget_spent
    return data


def _flag(parser: argparse.ArgumentParser, name: str, off: str, text: str) -> None:
    parser.add_argument(f"--{name}", dest=name, action="store_true", default=None, help=text)
    parser.add_argument(f"--{off}", dest=name, action="store_false", help=argparse.SUPPRESS)


# --- arguments -----------------------------------------------------------------------------


def arguments(parser: argparse.ArgumentParser) -> None:
    """``list|show|add|edit|archive|delete|members|estimate|template``."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="projects with their progress (the default)")
    listing.add_argument("--archived", action="store_true", help="archived ones too")
    listing.add_argument("--templates", action="store_true", help="only templates")
    listing.add_argument("--refresh", action="store_true", help="ask Clockify now")
    show = actions.add_parser("show", help="one project: members, estimates, tasks, progress")
    show.add_argument("project")
    show.add_argument("--refresh", action="store_true", help="ask Clockify now")
    add = actions.add_parser("add", help="create a project (or one from a template)")
    add.add_argument("name")
    add.add_argument("--from-template", metavar="T", help="copy the template T")
    edit = actions.add_parser("edit", help="change a project")
    edit.add_argument("project")
    edit.add_argument("--name")
    for sub in (add, edit):
        sub.add_argument("--client", help="a client's name ('' for none)")
        sub.add_argument("--color", help="#RRGGBB")
        sub.add_argument("--note")
        _flag(sub, "billable", "not-billable", "billable (--not-billable)")
        _flag(sub, "public", "private", "public (--private)")
    archive = actions.add_parser("archive", help="archive a project (--restore: undo)")
    archive.add_argument("project")
    archive.add_argument("--restore", action="store_true")
    delete = actions.add_parser("delete", help="delete a project (archived first)")
    delete.add_argument("project")
    for sub in (delete,):
        sub.add_argument("--yes", action="store_true", help="do not ask")
        sub.add_argument("--dry-run", action="store_true", help="only say what would happen")
    members = actions.add_parser("members", help="list, add or remove members")
    members.add_argument("project")
    members.add_argument("change", nargs="?", choices=("add", "remove"))
    members.add_argument("user", nargs="?", help="a person's name")
    members.add_argument("--rate", type=float, help="their billable rate on the project")
    members.add_argument("--cost", type=float, help="their cost rate on the project")
    estimate = actions.add_parser("estimate", help="set the time or budget estimate")
    estimate.add_argument("project")
    estimate.add_argument("--time", type=float, metavar="H", help="hours")
    estimate.add_argument("--budget", type=float, metavar="X", help="an amount")
    estimate.add_argument("--from-tasks", action="store_true", help="the tasks' sum")
    estimate.add_argument(
        "--reset", choices=("weekly", "monthly", "yearly", "none"), help="start again each..."
    )
    template = actions.add_parser("template", help="make a project a template (--off: undo)")
    template.add_argument("project")
    template.add_argument("--off", action="store_true")
    json_everywhere(actions)


def json_everywhere(actions: Any) -> None:
    """``--json`` after the action too (``tracker admin projects list --json``)."""
    for sub in actions.choices.values():
        sub.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
        )


# --- running -------------------------------------------------------------------------------


def refuse_by_role(rt: Runtime, *, admins_only: bool = False) -> None:
    """Once the role is known (the reports' access check), a member, or for what only
    admins do a manager, is told in one sentence without a request; unknown, Clockify says.
    """
    from tracker.services.abilities import ROLE_ADMIN, ROLE_MEMBER, abilities  # noqa: PLC0415

    role = abilities(rt.store).role
    if admins_only and role not in (None, ROLE_ADMIN):
        raise UserError("Only workspace admins change this on Clockify; ask one of them.")
    if role == ROLE_MEMBER:
        raise UserError(
            "Only workspace admins and a project's managers change projects on Clockify; "
            "ask one of them."
        )


_CHANGES = frozenset({"edit", "archive", "delete", "members", "estimate", "template"})
"""What a plain member may not do to a project (creating one is the workspace's setting)."""


def _service(rt: Runtime) -> Callable[[ClockifyClient | None], AdminProjects]:
    from tracker.services.admin_projects import AdminProjects  # noqa: PLC0415

    return lambda api: AdminProjects(rt.context, api)


def _project(rt: Runtime, wanted: str) -> ProjectView:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415
    from tracker.services.admin_projects import pick  # noqa: PLC0415

    kept = read(rt, _service(rt), lambda s: s.projects())
    try:
        return pick(kept.value, wanted)
    except AdminError as exc:
        raise UserError(exc.message) from exc


def client_id(rt: Runtime, wanted: str | None) -> str | None:
    """The id of the client ``wanted`` names (``""``: no client; None: not given)."""
    if wanted is None or wanted == "":
        return wanted
    from tracker.services.admin_base import AdminError  # noqa: PLC0415
    from tracker.services.admin_fields import AdminFields, pick_label  # noqa: PLC0415

    kept = read(rt, lambda api: AdminFields(rt.context, api), lambda s: s.labels("clients"))
    try:
        found: str = pick_label(kept.value, wanted, "client").id
    except AdminError as exc:
        raise UserError(exc.message) from exc
    return found


def run(rt: Runtime) -> int:
    """Do what ``tracker admin projects ...`` asked."""
    action = getattr(rt.args, "action", None) or "list"
    handlers: dict[str, Callable[[Runtime], int]] = {
        "list": _list,
        "show": _show,
        "add": _add,
        "edit": _edit,
        "archive": _archive,
        "delete": _delete,
        "members": _members,
        "estimate": _estimate,
        "template": _template,
    }
    if action in _CHANGES:
        refuse_by_role(rt)
    return handlers[action](rt)


def _list(rt: Runtime) -> int:
    refresh = bool(getattr(rt.args, "refresh", False))
    kept = read(rt, _service(rt), lambda s: s.projects(refresh=refresh))
    shown = [
        p
        for p in kept.value
        if (getattr(rt.args, "archived", False) or not p.archived)
        and (not getattr(rt.args, "templates", False) or p.template)
    ]
    since = _service(rt)(None).progress_since()
    rows = [
        [
            p.id[-6:],
            p.name + (" (template)" if p.template else "") + (" (archived)" if p.archived else ""),
            p.client_name,
            f"{hours(p.tracked_seconds)} / {hours(p.estimate_seconds)}",
            _share(p.time_progress),
            f"{money(p.amount)} / {money(p.budget)}",
            _share(p.budget_progress),
        ]
        for p in shown
    ]
    lines = table(["ID", "PROJECT", "CLIENT", "TRACKED / EST.", "%", "AMOUNT / BUDGET", "%"], rows)
    lines.append(f"({len(shown)} projects, {_as_of(kept)}; progress since {since or '-'})")
    rt.emit(
        {
            "projects": [project_json(p) for p in shown],
            "as_of": kept.as_of.isoformat(),
            "stale": kept.stale,
            "progress_since": since.isoformat() if since else None,
        },
        lines,
    )
    return 0


def _show(rt: Runtime) -> int:
    if getattr(rt.args, "refresh", False):
        read(rt, _service(rt), lambda s: s.projects(refresh=True))
    project = _project(rt, rt.args.project)
    rt.emit(project_json(project), _project_lines(project))
    return 0


def _project_lines(p: ProjectView) -> list[str]:
    flags = [
        "billable" if p.billable else "not billable",
        "public" if p.public else "private",
        *(["template"] if p.template else []),
        *(["archived"] if p.archived else []),
    ]
    estimate = hours(p.estimate_seconds) + (" (from tasks)" if p.estimate_from_tasks else "")
    lines = [
        f"{one_line(p.name)}  [{p.id}]  {one_line(p.client_name) or 'no client'}",
        f"  {', '.join(flags)}; colour {p.color}",
        f"  time:   {hours(p.tracked_seconds)} of {estimate} ({_share(p.time_progress)})"
        + (f", resets {p.estimate_reset.lower()}" if p.estimate_reset else ""),
        f"  budget: {money(p.amount)} of {money(p.budget)} ({_share(p.budget_progress)})"
        + (" - spent" if p.budget_spent else ""),
    ]
    if p.estimate_reset or p.budget_reset:
        lines.append(
            "  (Clockify starts the estimate again each period; the tracked time here counts "
            "the whole range of the last refresh)"
        )
    if p.note:
        lines.append(f"  note: {one_line(p.note)}")
    lines.append("  members:")
    lines += table(
        ["NAME", "RATE", "COST"],
        [[m.name, money(m.hourly_rate), money(m.cost_rate)] for m in p.members],
        indent="    ",
    )
    if p.tasks:
        lines.append("  tasks:")
        lines += _task_table(p.tasks, indent="    ")
    return lines


def _task_table(tasks: Sequence[TaskView], *, indent: str = "") -> list[str]:
    return table(
        ["ID", "TASK", "STATE", "TRACKED / EST.", "AMOUNT / BUDGET"],
        [
            [
                t.id[-6:],
                t.name,
                "done" if t.done else "active",
                f"{hours(t.tracked_seconds)} / {hours(t.estimate_seconds)}",
                f"{money(t.amount)} / {money(t.budget)}",
            ]
            for t in sorted(tasks, key=lambda t: (t.done, t.name.casefold()))
        ],
        indent=indent,
    )


def _changed(rt: Runtime, project: ProjectView, said: str) -> int:
    rt.emit(project_json(project), [said])
    return 0


def _add(rt: Runtime) -> int:
    args = rt.args
    template_name = getattr(args, "from_template", None)
    client = client_id(rt, args.client)
    if template_name:
        template = _project(rt, template_name)
        made = write(
            rt, _service(rt), lambda s: s.from_template(template, args.name, client_id=client)
        )
        return _changed(rt, made, f"Created {one_line(made.name)} from {one_line(template.name)}.")
    made = write(
        rt,
        _service(rt),
        lambda s: s.add(
            args.name,
            client_id=client,
            color=args.color,
            billable=args.billable,
            public=args.public,
            note=args.note,
        ),
    )
    return _changed(rt, made, f"Created the project {one_line(made.name)}.")


def _edit(rt: Runtime) -> int:
    args = rt.args
    project = _project(rt, args.project)
    changes = {
        "name": args.name,
        "client_id": client_id(rt, args.client),
        "color": args.color,
        "note": args.note,
        "billable": args.billable,
        "is_public": args.public,
    }
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise UserError("Say what to change: --name, --client, --color, --note, --billable...")
    made = write(rt, _service(rt), lambda s: s.edit(project, **given))
    return _changed(rt, made, f"Changed the project {one_line(made.name)}.")


def _archive(rt: Runtime) -> int:
    project = _project(rt, rt.args.project)
    restore = bool(rt.args.restore)
    made = write(rt, _service(rt), lambda s: s.archive(project, archived=not restore))
    said = "Restored" if restore else "Archived"
    return _changed(rt, made, f"{said} the project {one_line(made.name)}.")


def _delete(rt: Runtime) -> int:
    project = _project(rt, rt.args.project)
    first = "" if project.archived else "archive and then "
    if not confirm(rt, f"{first}delete the project {one_line(project.name)} on Clockify"):
        return 0
    write(rt, _service(rt), lambda s: s.delete(project))
    rt.emit({"deleted": project.id}, [f"Deleted the project {one_line(project.name)}."])
    return 0


def _members(rt: Runtime) -> int:
    args = rt.args
    project = _project(rt, args.project)
    if args.change is None:
        rows = [[m.name, money(m.hourly_rate), money(m.cost_rate)] for m in project.members]
        rt.emit(
            {"members": [asdict(m) for m in project.members]},
            table(["NAME", "RATE", "COST"], rows),
        )
        return 0
    if not args.user:
        raise UserError(
            f"Say who to {args.change}: tracker admin projects members P {args.change} NAME."
        )
    if args.change == "remove":
        folded = args.user.strip().casefold()
        found = [m for m in project.members if folded in m.name.casefold()]
        if len(found) != 1:
            raise UserError(f"{project.name} has no one member called {args.user!r}.")
        made = write(rt, _service(rt), lambda s: s.remove_member(project, found[0]))
        return _changed(rt, made, f"Took {one_line(found[0].name)} off {one_line(made.name)}.")

    async def add(service: AdminProjects) -> ProjectView:
        person = await service.person(args.user)
        return await service.add_member(project, person, rate=args.rate, cost=args.cost)

    made = write(rt, _service(rt), add)
    rate = f" at {money(round(args.rate * 100))} an hour" if args.rate is not None else ""
    return _changed(rt, made, f"Added {one_line(args.user)} to {one_line(made.name)}{rate}.")


def _estimate(rt: Runtime) -> int:
    args = rt.args
    project = _project(rt, args.project)
    made = write(
        rt,
        _service(rt),
        lambda s: s.estimate(
            project,
            hours=args.time,
            budget=args.budget,
            from_tasks=args.from_tasks,
            reset=args.reset,
        ),
    )
    return _changed(rt, made, f"Estimates of {one_line(made.name)}: " + _estimate_text(made))


def _estimate_text(p: ProjectView) -> str:
    time = hours(p.estimate_seconds) + (" from tasks" if p.estimate_from_tasks else "")
    reset = (
        f", reset {(p.estimate_reset or p.budget_reset or '').lower()}"
        if (p.estimate_reset or p.budget_reset)
        else ""
    )
    return f"time {time}, budget {money(p.budget)}{reset}."


def _template(rt: Runtime) -> int:
    project = _project(rt, rt.args.project)
    on = not rt.args.off
    made = write(rt, _service(rt), lambda s: s.template(project, on=on))
    said = "is now a template" if on else "is no longer a template"
    return _changed(rt, made, f"{one_line(made.name)} {said}.")
