"""``tracker admin tasks P [list|add NAME|edit T|done T|delete T]``: a project's tasks with
their assignees, estimates, rates and progress. ``done`` marks a task done (``--undo``:
active again); ``delete`` marks it done first, since Clockify deletes only done tasks, and
asks first (``--yes``, ``--dry-run``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from tracker.cli.admin_projects_verbs import (
    _project,
    _service,
    _task_table,
    json_everywhere,
    refuse_by_role,
    task_json,
    write,
)
from tracker.cli.admin_verbs import confirm
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.services.admin_projects import AdminProjects, ProjectView, TaskView

__all__ = ["arguments", "run"]


def arguments(parser: argparse.ArgumentParser) -> None:
    """``P ACTION [TASK]`` with the options of a task."""
    parser.add_argument("project", help="the project (name or id)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="the project's tasks (the default)")
    add = actions.add_parser("add", help="create a task")
    add.add_argument("name")
    edit = actions.add_parser("edit", help="change a task")
    edit.add_argument("task")
    edit.add_argument("--name")
    for sub in (add, edit):
        sub.add_argument("--time", type=float, metavar="H", help="estimate in hours")
        sub.add_argument("--budget", type=float, metavar="X", help="budget estimate")
        sub.add_argument("--assignee", action="append", metavar="NAME", help="repeatable")
    edit.add_argument("--rate", type=float, help="the task's billable rate")
    edit.add_argument("--cost", type=float, help="the task's cost rate")
    done = actions.add_parser("done", help="mark a task done (--undo: active again)")
    done.add_argument("task")
    done.add_argument("--undo", action="store_true")
    delete = actions.add_parser("delete", help="delete a task (marked done first)")
    delete.add_argument("task")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.add_argument("--dry-run", action="store_true", help="only say what would happen")
    json_everywhere(actions)


def run(rt: Runtime) -> int:
    """Do what ``tracker admin tasks ...`` asked."""
    action = getattr(rt.args, "action", None) or "list"
    if action in ("edit", "done", "delete"):
        refuse_by_role(rt)
    project = _project(rt, rt.args.project)
    handlers: dict[str, Callable[[Runtime, ProjectView], int]] = {
        "list": _list,
        "add": _add,
        "edit": _edit,
        "done": _done,
        "delete": _delete,
    }
    return handlers[action](rt, project)


def _task(project: ProjectView, wanted: str) -> TaskView:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415
    from tracker.services.admin_projects import pick_task  # noqa: PLC0415

    try:
        return pick_task(project, wanted)
    except AdminError as exc:
        raise UserError(exc.message) from exc


def _list(rt: Runtime, project: ProjectView) -> int:
    rt.emit({"tasks": [task_json(t) for t in project.tasks]}, _task_table(project.tasks))
    return 0


async def _assignees(service: AdminProjects, names: list[str] | None) -> list[str] | None:
    if names is None:
        return None
    return [(await service.person(name)).id for name in names]


def _add(rt: Runtime, project: ProjectView) -> int:
    args = rt.args

    async def add(service: AdminProjects) -> TaskView:
        people = await _assignees(service, args.assignee) or ()
        return await service.add_task(
            project, args.name, hours=args.time, budget=args.budget, assignees=people
        )

    made = write(rt, _service(rt), add)
    rt.emit(
        task_json(made), [f"Created the task {one_line(made.name)} on {one_line(project.name)}."]
    )
    return 0


def _edit(rt: Runtime, project: ProjectView) -> int:
    args = rt.args
    task = _task(project, args.task)
    given = (args.name, args.time, args.budget, args.assignee, args.rate, args.cost)
    if all(value is None for value in given):
        raise UserError("Say what to change: --name, --time, --budget, --assignee, --rate...")

    async def edit(service: AdminProjects) -> TaskView:
        return await service.edit_task(
            project,
            task,
            name=args.name,
            hours=args.time,
            budget=args.budget,
            assignees=await _assignees(service, args.assignee),
            rate=args.rate,
            cost=args.cost,
        )

    made = write(rt, _service(rt), edit)
    rt.emit(task_json(made), [f"Changed the task {one_line(made.name)}."])
    return 0


def _done(rt: Runtime, project: ProjectView) -> int:
    task = _task(project, rt.args.task)
    done = not rt.args.undo
    made = write(rt, _service(rt), lambda s: s.edit_task(project, task, done=done))
    said = "done" if done else "active again"
    rt.emit(task_json(made), [f"The task {one_line(made.name)} is {said}."])
    return 0


def _delete(rt: Runtime, project: ProjectView) -> int:
    task = _task(project, rt.args.task)
    first = "" if task.done else "mark done and then "
    if not confirm(rt, f"{first}delete the task {one_line(task.name)} of {one_line(project.name)}"):
        return 0
    write(rt, _service(rt), lambda s: s.delete_task(project, task))
    rt.emit({"deleted": task.id}, [f"Deleted the task {one_line(task.name)}."])
    return 0
