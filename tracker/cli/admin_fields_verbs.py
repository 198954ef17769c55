"""``tracker admin clients|tags|fields ...``: what projects and entries are labelled with.

``clients`` and ``tags``: ``list|add NAME|edit X|archive X|delete X``; ``fields``:
``list|add NAME --type T [--value V...]|edit F|delete F|project P F [--default V|--status S|
--remove]``. A client or tag is changed whole (Clockify's ``PUT`` replaces it); deleting asks
first (``--yes``, ``--dry-run``); custom fields need a Standard plan or higher.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from tracker.cli.admin_projects_verbs import (
    _project,
    json_everywhere,
    read,
    refuse_by_role,
    write,
)
from tracker.cli.admin_verbs import confirm, require_admin_account
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.services.admin_fields import AdminFields, LabelKind

__all__ = ["arguments", "run"]

_ONE = {"clients": "client", "tags": "tag", "fields": "custom field"}


def _destructive(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--yes", action="store_true", help="do not ask")
    sub.add_argument("--dry-run", action="store_true", help="only say what would happen")


def arguments(parser: argparse.ArgumentParser) -> None:
    """The actions of clients, tags and custom fields (one parser serves all three)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="every one, archived last (the default)")
    listing.add_argument("--refresh", action="store_true", help="ask Clockify now")
    add = actions.add_parser("add", help="create one")
    add.add_argument("name")
    edit = actions.add_parser("edit", help="change one")
    edit.add_argument("item")
    edit.add_argument("--name")
    for sub in (add, edit):
        sub.add_argument("--email", help="clients: the invoice address")
        sub.add_argument("--note", help="clients")
        sub.add_argument(
            "--type",
            type=str.upper,
            choices=("TXT", "NUMBER", "DROPDOWN_SINGLE", "DROPDOWN_MULTIPLE", "CHECKBOX", "LINK"),
            help="fields: the kind of value",
        )
        sub.add_argument("--value", action="append", help="fields: an allowed value (repeat)")
        sub.add_argument("--default", help="fields: the workspace's default value")
    edit.add_argument("--required", action="store_true", default=None, help="fields")
    edit.add_argument(
        "--status", type=str.upper, choices=("VISIBLE", "INVISIBLE", "INACTIVE"), help="fields"
    )
    archive = actions.add_parser("archive", help="clients and tags (--restore: undo)")
    archive.add_argument("item")
    archive.add_argument("--restore", action="store_true")
    delete = actions.add_parser("delete", help="delete one (clients are archived first)")
    delete.add_argument("item")
    _destructive(delete)
    project = actions.add_parser("project", help="fields: a project's own default or visibility")
    project.add_argument("project")
    project.add_argument("item", metavar="field")
    project.add_argument("--default", help="the project's default value")
    project.add_argument(
        "--status", type=str.upper, choices=("VISIBLE", "INVISIBLE", "INACTIVE"), help="shown?"
    )
    project.add_argument("--remove", action="store_true", help="take the field off the project")
    json_everywhere(actions)


def _service(rt: Runtime) -> Callable[[ClockifyClient | None], AdminFields]:
    from tracker.services.admin_fields import AdminFields  # noqa: PLC0415

    return lambda api: AdminFields(rt.context, api)


def _kind(rt: Runtime) -> LabelKind:
    kind: LabelKind = rt.args.area
    return kind


def _item(rt: Runtime, kind: LabelKind, wanted: str) -> Any:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415
    from tracker.services.admin_fields import pick_label  # noqa: PLC0415

    kept = read(rt, _service(rt), lambda s: s.labels(kind))
    try:
        return pick_label(kept.value, wanted, _ONE[kind])
    except AdminError as exc:
        raise UserError(exc.message) from exc


def run(rt: Runtime) -> int:
    """Do what ``tracker admin clients|tags|fields ...`` asked."""
    kind = _kind(rt)
    if kind == "fields":
        from tracker.services.admin_fields import CUSTOM_FIELDS  # noqa: PLC0415

        require_admin_account(rt, CUSTOM_FIELDS)
    action = getattr(rt.args, "action", None) or "list"
    handlers: dict[str, Callable[[Runtime, LabelKind], int]] = {
        "list": _list,
        "add": _add,
        "edit": _edit,
        "archive": _archive,
        "delete": _delete,
        "project": _project_field,
    }
    if kind != "fields" and action == "project":
        raise UserError("Only custom fields have a project's own setting.")
    if kind == "fields" and action == "archive":
        raise UserError("A custom field is hidden with: edit F --status INACTIVE.")
    if action == "project":
        refuse_by_role(rt)  # a project's managers set its own default
    elif action != "list" and (action != "add" or kind == "fields"):
        refuse_by_role(rt, admins_only=True)  # clients and tags are created on the fly
    return handlers[action](rt, kind)


def _row(kind: LabelKind, item: Any) -> list[str]:
    state = "archived" if item.archived else "active"
    if kind == "clients":
        return [item.id[-6:], item.name, state, item.email or ""]
    if kind == "tags":
        return [item.id[-6:], item.name, state]
    values = ", ".join(item.allowed_values)
    return [item.id[-6:], item.name, item.type, item.status, "yes" if item.required else "", values]


_HEADERS = {
    "clients": ["ID", "CLIENT", "STATE", "EMAIL"],
    "tags": ["ID", "TAG", "STATE"],
    "fields": ["ID", "FIELD", "TYPE", "STATUS", "REQUIRED", "VALUES"],
}


def _list(rt: Runtime, kind: LabelKind) -> int:
    refresh = bool(getattr(rt.args, "refresh", False))
    kept = read(rt, _service(rt), lambda s: s.labels(kind, refresh=refresh))
    lines = table(_HEADERS[kind], [_row(kind, i) for i in kept.value])
    lines.append(f"({len(kept.value)} {kind}, as of {kept.as_of.astimezone():%Y-%m-%d %H:%M})")
    rt.emit(
        {kind: [asdict(i) for i in kept.value], "as_of": kept.as_of.isoformat()},
        lines,
    )
    return 0


def _said(rt: Runtime, item: Any, said: str) -> int:
    rt.emit(asdict(item), [said])
    return 0


def _add(rt: Runtime, kind: LabelKind) -> int:
    args = rt.args
    one = _ONE[kind]
    if kind == "clients":
        made = write(rt, _service(rt), lambda s: s.add_client(args.name, email=args.email))
    elif kind == "tags":
        made = write(rt, _service(rt), lambda s: s.add_tag(args.name))
    else:
        if not args.type:
            raise UserError("Say the field's kind: --type TXT|NUMBER|DROPDOWN_SINGLE|...")
        made = write(
            rt,
            _service(rt),
            lambda s: s.add_field(args.name, args.type, allowed=args.value, default=args.default),
        )
    return _said(rt, made, f"Created the {one} {one_line(made.name)}.")


def _edit(rt: Runtime, kind: LabelKind) -> int:
    args = rt.args
    item = _item(rt, kind, args.item)
    if kind == "clients":
        changes = {"name": args.name, "email": args.email, "note": args.note}
    elif kind == "tags":
        changes = {"name": args.name}
    else:
        changes = {
            "name": args.name,
            "type": args.type,
            "allowed_values": tuple(args.value) if args.value else None,
            "default": args.default,
            "required": args.required,
            "status": args.status,
        }
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise UserError("Say what to change (see --help).")

    async def edit(service: AdminFields) -> Any:
        if kind == "clients":
            return await service.edit_client(item, **given)
        if kind == "tags":
            return await service.edit_tag(item, name=given.get("name"))
        return await service.edit_field(item, **given)

    made = write(rt, _service(rt), edit)
    return _said(rt, made, f"Changed the {_ONE[kind]} {one_line(made.name)}.")


def _archive(rt: Runtime, kind: LabelKind) -> int:
    item = _item(rt, kind, rt.args.item)
    archived = not rt.args.restore

    async def archive(service: AdminFields) -> Any:
        if kind == "clients":
            return await service.edit_client(item, archived=archived)
        return await service.edit_tag(item, archived=archived)

    made = write(rt, _service(rt), archive)
    said = "Archived" if archived else "Restored"
    return _said(rt, made, f"{said} the {_ONE[kind]} {one_line(made.name)}.")


def _delete(rt: Runtime, kind: LabelKind) -> int:
    item = _item(rt, kind, rt.args.item)
    first = "archive and then " if kind == "clients" and not item.archived else ""
    if not confirm(rt, f"{first}delete the {_ONE[kind]} {one_line(item.name)} on Clockify"):
        return 0

    async def delete(service: AdminFields) -> None:
        if kind == "clients":
            await service.delete_client(item)
        elif kind == "tags":
            await service.delete_tag(item)
        else:
            await service.delete_field(item)

    write(rt, _service(rt), delete)
    rt.emit({"deleted": item.id}, [f"Deleted the {_ONE[kind]} {one_line(item.name)}."])
    return 0


def _project_field(rt: Runtime, kind: LabelKind) -> int:
    args = rt.args
    project = _project(rt, args.project)
    item = _item(rt, kind, args.item)
    if args.default is None and args.status is None and not args.remove:
        raise UserError("Say what to set: --default VALUE, --status STATUS or --remove.")
    made = write(
        rt,
        _service(rt),
        lambda s: s.project_field(
            item, project.id, default=args.default, status=args.status, remove=args.remove
        ),
    )
    said = "taken off" if args.remove else "set on"
    return _said(rt, made, f"The field {one_line(made.name)} is {said} {one_line(project.name)}.")
