"""``tracker webhooks``: the workspace's webhooks on Clockify (owners and admins).

``tracker webhooks [list]``, ``add URL --event E...`` (one webhook per event, for the whole
workspace), ``edit ID [--url U] [--event E] [--name N]``, ``delete ID`` (asks; ``--yes``),
``rotate-token ID`` and ``logs ID [--failed]``. Webhooks go to a server on the internet:
this desktop app cannot receive them, which the help and every listing say, pointing to
local hooks and ``tracker events``. A token is printed only when it is made (``add``,
``rotate-token``), for the receiving server.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from tracker.cli.admin_verbs import confirm, require_admin_account, run_online
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.api.models.webhooks import Webhook
    from tracker.services.webhooks import Webhooks

__all__ = ["NOTE", "arguments", "cmd_webhooks"]

T = TypeVar("T")

NOTE = (
    "Webhooks are sent by Clockify to a server on the internet; this desktop app cannot "
    "receive them. To act on what happens here, use local hooks or `tracker events`."
)
"""The same sentence as :data:`tracker.services.webhooks.DESKTOP_NOTE` (not imported, so
the help is built without the service)."""

_OPS = ("list", "add", "edit", "delete", "rotate-token", "logs")


def arguments(parser: argparse.ArgumentParser) -> None:
    """The sub-command, its webhook (id or URL) and options."""
    parser.description = "Manage the workspace's webhooks on Clockify. " + NOTE
    parser.add_argument(
        "op", nargs="?", default="list", choices=_OPS, help="what to do (default: list)"
    )
    parser.add_argument("target", nargs="?", metavar="URL|ID", help="add: the URL; else the id")
    parser.add_argument(
        "--event",
        action="append",
        metavar="E",
        help="e.g. new-project, timer-stopped (add: repeat for one webhook per event)",
    )
    parser.add_argument("--url", metavar="URL", help="edit: the new URL")
    parser.add_argument("--name", metavar="NAME", help="a name (2 to 30 characters)")
    parser.add_argument("--failed", action="store_true", help="logs: only failed deliveries")
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="logs: at most N")
    parser.add_argument("--yes", action="store_true", help="delete without asking")
    parser.add_argument("--dry-run", action="store_true", help="say what would be done")


def cmd_webhooks(rt: Runtime) -> int:
    """List or change the webhooks."""
    require_admin_account(rt)
    op = rt.args.op
    if op == "list":
        return _list(rt)
    if not rt.args.target:
        raise UserError(
            f"Say which webhook: tracker webhooks {op} {'URL' if op == 'add' else 'ID'}."
        )
    return {
        "add": _add,
        "edit": _edit,
        "delete": _delete,
        "rotate-token": _rotate,
        "logs": _logs,
    }[op](rt)


def _online(rt: Runtime, work: Callable[[Webhooks], Awaitable[T]]) -> T:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415
    from tracker.services.webhooks import Webhooks  # noqa: PLC0415

    said = Webhooks(rt.context).refusal()
    if said is not None:
        raise UserError(said)

    async def run(api: ClockifyClient | None) -> T:
        return await work(Webhooks(rt.context, api))

    try:
        return run_online(rt, run)
    except AdminError as exc:
        raise UserError(exc.message) from exc


def _events(rt: Runtime, required: bool) -> list[str]:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415
    from tracker.services.webhooks import event_named  # noqa: PLC0415

    if required and not rt.args.event:
        raise UserError("Say which event to send: --event new-project (repeat for more).")
    try:
        return list(dict.fromkeys(event_named(e) for e in rt.args.event or ()))
    except AdminError as exc:
        raise UserError(exc.message) from exc


def _hook_json(hook: Webhook, *, token: bool = False) -> dict[str, Any]:
    from tracker.services.webhooks import shown_url  # noqa: PLC0415

    found: dict[str, Any] = {
        "id": hook.id,
        "name": hook.name,
        "url": shown_url(hook.url),  # a password set up in Clockify's web app stays there
        "event": hook.webhook_event,
        "source_type": hook.trigger_source_type,
        "sources": list(hook.trigger_source),
        "enabled": hook.enabled,
    }
    if token:
        found["token"] = hook.auth_token
    return found


def _hook_line(hook: Webhook) -> list[str]:
    from tracker.services.webhooks import shown_url  # noqa: PLC0415

    return [
        hook.id[-6:],
        hook.webhook_event,
        one_line(shown_url(hook.url)),
        one_line(hook.name or ""),
    ]


def _list(rt: Runtime) -> int:
    view = _online(rt, lambda s: s.view())
    lines = (
        table(["Id", "Event", "URL", "Name"], [_hook_line(h) for h in view.webhooks])
        if view.webhooks
        else ["No webhooks in this workspace."]
    )
    rt.emit(
        {"webhooks": [_hook_json(h) for h in view.webhooks], "count": view.count, "note": NOTE},
        [*lines, "", NOTE],
    )
    return 0


def _add(rt: Runtime) -> int:
    events = _events(rt, required=True)
    url, name = rt.args.target, rt.args.name
    from tracker.services.webhooks import url_problem  # noqa: PLC0415

    problem = url_problem(url)  # before the dry run prints it: it may hold a password
    if problem is not None:
        raise UserError(problem)
    if rt.args.dry_run:
        print(f"Would add {len(events)} webhook(s) to {one_line(url)} (dry run: nothing sent).")
        return 0

    async def work(service: Webhooks) -> list[Webhook]:
        return [await service.add(url, event, name) for event in events]

    made = _online(rt, work)
    lines = [f"Added {h.webhook_event} → {_hook_line(h)[2]} (id {h.id[-6:]})." for h in made]
    tokens = [
        f"Token for {h.id[-6:]} (give it to the receiving server): {h.auth_token}" for h in made
    ]
    rt.emit([_hook_json(h, token=True) for h in made], [*lines, *tokens, NOTE])
    return 0


def _edit(rt: Runtime) -> int:
    events = _events(rt, required=False)
    if len(events) > 1:
        raise UserError("A webhook sends one event; give one --event.")
    if not (events or rt.args.url or rt.args.name):
        raise UserError("Say what to change: --url, --event or --name.")

    async def work(service: Webhooks) -> Webhook:
        hook = await service.find(rt.args.target)
        return await service.edit(
            hook, url=rt.args.url, event=events[0] if events else None, name=rt.args.name
        )

    changed = _online(rt, work)
    rt.emit(_hook_json(changed), [f"Changed: {' '.join(_hook_line(changed))}"])
    return 0


def _delete(rt: Runtime) -> int:
    async def find(service: Webhooks) -> Webhook:
        return await service.find(rt.args.target)

    hook = _online(rt, find)
    from tracker.services.webhooks import shown_url  # noqa: PLC0415

    said = f"delete the webhook {hook.webhook_event} → {one_line(shown_url(hook.url))}"
    if not confirm(rt, said):
        return 0

    async def work(service: Webhooks) -> None:
        await service.delete(hook)

    _online(rt, work)
    rt.emit({"deleted": hook.id}, [f"Deleted the webhook {hook.id[-6:]}."])
    return 0


def _rotate(rt: Runtime) -> int:
    async def work(service: Webhooks) -> Webhook:
        return await service.rotate_token(await service.find(rt.args.target))

    hook = _online(rt, work)
    rt.emit(
        _hook_json(hook, token=True),
        [
            f"New token for {hook.id[-6:]} (the old one is no longer sent): {hook.auth_token}",
            "Give it to the receiving server.",
        ],
    )
    return 0


def _logs(rt: Runtime) -> int:
    limit = rt.args.limit
    if limit < 1:
        raise UserError("--limit must be at least 1.")

    async def work(service: Webhooks) -> tuple[Webhook, list[Any]]:
        hook = await service.find(rt.args.target)
        return hook, await service.logs(hook, failed_only=rt.args.failed, limit=limit)

    hook, logs = _online(rt, work)
    zone = rt.zone()
    rows = [
        [
            log.responded_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            if log.responded_at
            else "",
            str(log.status_code if log.status_code is not None else "—"),
            one_line(log.request_body or "")[:60],
        ]
        for log in logs
    ]
    lines = table(["When", "Answer", "Sent"], rows) if rows else ["No deliveries yet."]
    rt.emit(
        {
            "webhook": hook.id,
            "deliveries": [
                {
                    "id": log.id,
                    "at": log.responded_at.isoformat() if log.responded_at else None,
                    "status_code": log.status_code,
                    "request_body": log.request_body,
                    "response_body": log.response_body,
                }
                for log in logs
            ],
        },
        lines,
    )
    return 0
