"""Verbs for reference data: projects, tasks, tags, clients (list, and ``add``); projects
and tasks are pinned on top of the pickers with ``--favourite NAME``."""

from __future__ import annotations

from typing import Any

from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.domain.model import Client, Project, Tag, Task
from tracker.services.requests import SetFavourite
from tracker.store import Kind

__all__ = ["cmd_clients", "cmd_projects", "cmd_tags", "cmd_tasks"]


def _new_name(rt: Runtime, kind: str) -> str:
    """The NAME of ``KIND add NAME``, which argparse leaves optional for the listing."""
    name: str | None = rt.args.name
    if name is None:
        usage = "tasks add -p PROJECT NAME" if kind == "tasks" else f"{kind} add NAME"
        raise UserError(f"Give the new one's name: `tracker {usage}`.")
    return name


def _unsent(rt: Runtime, kind: Kind) -> set[str]:
    return {item.id for item in rt.store.catalog.unsent(kind, rt.context.workspace_id)}


def _shown_unsent(rt: Runtime, unsent: set[str]) -> set[str]:
    """Items to mark "new": only worth saying when there is a Clockify to send them to."""
    return unsent if rt.context.connected else set()


def _empty_hint(rt: Runtime, kind: str, add: str) -> list[str]:
    if rt.context.connected:
        return [f"No {kind} yet: `tracker sync` fetches them, `{add}` creates one."]
    return [f"No {kind} yet: `{add}` creates one."]


def _project_json(
    p: Project, clients: dict[str, str], unsent: set[str], pinned: frozenset[str] = frozenset()
) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "client_id": p.client_id,
        "client": clients.get(p.client_id or ""),
        "color": p.color,
        "billable": p.billable,
        "archived": p.archived,
        "sent": p.id not in unsent,
        "favourite": p.id in pinned,
    }


def _pin_choice(rt: Runtime) -> tuple[str, bool] | None:
    """The NAME of ``--favourite NAME`` or ``--unfavourite NAME``, and which one was given."""
    if rt.args.favourite is not None:
        return rt.args.favourite, True
    if rt.args.unfavourite is not None:
        return rt.args.unfavourite, False
    return None


def _pinned_line(name: str, on: bool) -> str:
    if on:
        return f"Pinned {name} on top of the project pickers (this computer, this workspace)."
    return f"Unpinned {name}."


def _pins(rt: Runtime) -> frozenset[str]:
    return rt.store.meta.favourites(rt.context.workspace_id)


def cmd_projects(rt: Runtime) -> int:
    """List projects, or create one with ``projects add NAME``."""
    args = rt.args
    catalog = rt.tracker.catalog
    if args.action == "add":
        name = _new_name(rt, "projects")
        project = catalog.create_project(name, args.client, args.color, billable=args.billable)
        rt.emit(
            _project_json(project, catalog.client_names(), {project.id}),
            [f"Created project {catalog.project_label(project)}  (id {project.id})"],
        )
        return 0
    clients = catalog.client_names()
    pin = _pin_choice(rt)
    if pin is not None:
        project = catalog.resolve_project(pin[0])
        on = rt.act(SetFavourite(project.id, on=pin[1]))
        rt.emit(
            _project_json(project, clients, _unsent(rt, "project"), _pins(rt)),
            [_pinned_line(catalog.project_label(project), on)],
        )
        return 0
    projects = catalog.projects(archived=args.archived)
    unsent = _unsent(rt, "project")
    shown = _shown_unsent(rt, unsent)
    pinned = _pins(rt)
    rows = [
        [
            p.name,
            clients.get(p.client_id or "", ""),
            p.color or "",
            _flags(
                archived=p.archived,
                unsent=p.id in shown,
                billable=p.billable,
                favourite=p.id in pinned,
            ),
            p.id,
        ]
        for p in projects
    ]
    lines = (
        table(["project", "client", "color", "note", "id"], rows)
        if rows
        else _empty_hint(rt, "projects", "tracker projects add NAME")
    )
    rt.emit([_project_json(p, clients, unsent, pinned) for p in projects], lines)
    return 0


def cmd_tasks(rt: Runtime) -> int:
    """List tasks (of a project), or create one with ``tasks add -p PROJECT NAME``."""
    args = rt.args
    catalog = rt.tracker.catalog
    project = catalog.resolve_project(args.project) if args.project else None
    if args.action == "add":
        if project is None:
            raise UserError("Say which project: `tracker tasks add -p PROJECT NAME`.")
        task = catalog.create_task(project, _new_name(rt, "tasks"))
        rt.emit(
            _task_json(task, {project.id: project.name}, {task.id}),
            [f"Created task {task.name} in {project.name}  (id {task.id})"],
        )
        return 0
    names = {p.id: p.name for p in catalog.projects(archived=True)}
    pin = _pin_choice(rt)
    if pin is not None:
        task = catalog.resolve_task(pin[0], project)
        on = rt.act(SetFavourite(task.project_id, task.id, on=pin[1]))
        rt.emit(
            _task_json(task, names, _unsent(rt, "task"), _pins(rt)),
            [_pinned_line(f"{names.get(task.project_id, '?')}: {task.name}", on)],
        )
        return 0
    tasks = catalog.tasks(project, done=args.done)
    unsent = _unsent(rt, "task")
    shown = _shown_unsent(rt, unsent)
    pinned = _pins(rt)
    rows = [
        [
            t.name,
            names.get(t.project_id, "?"),
            _flags(
                done=t.done,
                unsent=t.id in shown,
                favourite=t.id in pinned or t.project_id in pinned,
            ),
            t.id,
        ]
        for t in tasks
    ]
    lines = (
        table(["task", "project", "note", "id"], rows)
        if rows
        else _empty_hint(rt, "tasks", "tracker tasks add -p PROJECT NAME")
    )
    rt.emit([_task_json(t, names, unsent, pinned) for t in tasks], lines)
    return 0


def _task_json(
    t: Task, projects: dict[str, str], unsent: set[str], pinned: frozenset[str] = frozenset()
) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": t.name,
        "project_id": t.project_id,
        "project": projects.get(t.project_id),
        "done": t.done,
        "sent": t.id not in unsent,
        "favourite": t.id in pinned or t.project_id in pinned,
    }


def cmd_tags(rt: Runtime) -> int:
    """List tags, or create one with ``tags add NAME``."""
    args = rt.args
    catalog = rt.tracker.catalog
    if args.action == "add":
        tag = catalog.create_tag(_new_name(rt, "tags"))
        rt.emit(_simple_json(tag, {tag.id}), [f"Created tag {tag.name}  (id {tag.id})"])
        return 0
    tags = catalog.tags(archived=args.archived)
    return _simple_list(rt, "tag", tags, _unsent(rt, "tag"))


def cmd_clients(rt: Runtime) -> int:
    """List clients, or create one with ``clients add NAME``."""
    args = rt.args
    catalog = rt.tracker.catalog
    if args.action == "add":
        client = catalog.create_client(_new_name(rt, "clients"))
        rt.emit(
            _simple_json(client, {client.id}), [f"Created client {client.name}  (id {client.id})"]
        )
        return 0
    clients = catalog.clients(archived=args.archived)
    return _simple_list(rt, "client", clients, _unsent(rt, "client"))


def _simple_json(item: Tag | Client, unsent: set[str]) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "archived": item.archived,
        "sent": item.id not in unsent,
    }


def _simple_list(rt: Runtime, kind: str, items: list[Any], unsent: set[str]) -> int:
    shown = _shown_unsent(rt, unsent)
    rows = [
        [item.name, _flags(archived=item.archived, unsent=item.id in shown), item.id]
        for item in items
    ]
    lines = (
        table([kind, "note", "id"], rows)
        if rows
        else _empty_hint(rt, f"{kind}s", f"tracker {kind}s add NAME")
    )
    rt.emit([_simple_json(item, unsent) for item in items], lines)
    return 0


def _flags(
    *,
    archived: bool = False,
    done: bool = False,
    unsent: bool = False,
    billable: bool = False,
    favourite: bool = False,
) -> str:
    words = ["favourite"] if favourite else []
    if billable:
        words.append("billable")
    if archived:
        words.append("archived")
    if done:
        words.append("done")
    if unsent:
        words.append("new")
    return ",".join(words)
