"""Routes for webhooks: list, create, read, replace, delete, rotate the token, and read
what was delivered (logs and statuses).

Rules (the spec's ``CreateWebhookRequestV1``, FACTS §2, §6): the owner and admins manage
webhooks (403 ``Access Denied`` for everyone else); ``url``, ``webhookEvent`` (one of the
spec's 51 events), ``triggerSourceType`` and ``triggerSource`` are required and ``name`` is 2
to 30 characters; a Free workspace holds 3 webhooks, a paid one 100 (10 per person), an
Enterprise one 300 (100 per person), past which a create is 400 code 501. The list is
``{webhooks, workspaceWebhookCount}`` (``type`` ``USER_CREATED``, ``SYSTEM`` or ``ADDON``; all
of these are ``USER_CREATED``); logs (``POST``, a filter in the body) and statuses page with
``page`` counted from 0 and ``size`` (default 50) and answer bare arrays. A delete answers
200 with no body. Records and deliveries are in :mod:`tests.fakeclockify.webhooks`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.fakeclockify.access import ADMIN, OWNER, role_of
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import WorkspaceData
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_instant,
    body_str,
    body_str_list,
    route,
)
from tests.fakeclockify.webhooks import (
    EVENTS,
    SOURCE_TYPES,
    Webhook,
    WebhookBook,
    limits_for,
    new_token,
    webhook_book,
)

__all__: list[str] = []

_BASE = "/v1/workspaces/{workspaceId}/webhooks"
_ONE = _BASE + "/{webhookId}"
_TYPES = ("USER_CREATED", "SYSTEM", "ADDON")


def _manager(req: Request) -> tuple[WorkspaceData, WebhookBook]:
    data = req.ws
    if role_of(data, req.user.id) not in (OWNER, ADMIN):
        raise ApiError(403, "Access Denied", 501)
    return data, webhook_book(data)


def _hook(req: Request, book: WebhookBook) -> Webhook:
    found = book.hooks.get(req.params["webhookId"])
    if found is None:
        raise ApiError(404, "Webhook not found.", 501)
    return found


def _fields(req: Request) -> tuple[str, str, str, str, list[str]]:
    """(name, url, event, source type, sources) from a create or replace body."""
    body = req.json_object()
    url = (body_str(body, "url") or "").strip()
    event = body_str(body, "webhookEvent")
    kind = body_str(body, "triggerSourceType")
    sources = body_str_list(body, "triggerSource")
    for name, value in (("url", url), ("webhookEvent", event), ("triggerSourceType", kind)):
        if not value:
            raise ApiError(400, f"{name}: must not be blank", 501)
    if sources is None:
        raise ApiError(400, "triggerSource: must not be null", 501)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApiError(400, "Webhook url is not valid.", 501)
    if event not in EVENTS:
        raise ApiError(400, f"JSON parse error: Unknown webhook event {event}", 3002)
    if kind not in SOURCE_TYPES:
        raise ApiError(400, f"JSON parse error: Unknown trigger source type {kind}", 3002)
    given = body_str(body, "name")
    name = (given if given is not None else event.replace("_", " ").capitalize()).strip()
    if not 2 <= len(name) <= 30:
        raise ApiError(400, "name: size must be between 2 and 30", 501)
    if kind == "WORKSPACE_ID" and any(s != req.ws.id for s in sources):
        raise ApiError(400, "Trigger source does not belong to the workspace.", 501)
    return name, url, str(event), str(kind), list(dict.fromkeys(sources))


@route("GET", _BASE)
def list_webhooks(req: Request) -> Reply:
    """The workspace's webhooks and how many there are."""
    data, book = _manager(req)
    kind = req.first("type")
    if kind is not None and kind not in _TYPES:
        raise ApiError(
            400,
            f"Method parameter 'type': Failed to convert value of type 'java.lang.String' to "
            f"required type 'WebhookType'; No enum constant {kind}",
            3000,
        )
    hooks = [] if kind in ("SYSTEM", "ADDON") else list(book.hooks.values())
    return Reply(
        200,
        {"webhooks": [h.dto(data.id) for h in hooks], "workspaceWebhookCount": len(book.hooks)},
    )


@route("POST", _BASE)
def create_webhook(req: Request) -> Reply:
    """A new webhook with its own token, within the plan's limits."""
    data, book = _manager(req)
    name, url, event, kind, sources = _fields(req)
    per_workspace, per_person = limits_for(data.workspace.plan)
    mine = sum(1 for h in book.hooks.values() if h.user_id == req.user.id)
    if len(book.hooks) >= per_workspace or mine >= per_person:
        raise ApiError(400, "Webhook limit reached for this workspace.", 501)
    hook = Webhook(req.state.new_id(), req.user.id, name, url, event, kind, sources, new_token())
    book.hooks[hook.id] = hook
    req.state.touch()
    return Reply(201, hook.dto(data.id))


@route("GET", _ONE)
def get_webhook(req: Request) -> Reply:
    data, book = _manager(req)
    return Reply(200, _hook(req, book).dto(data.id))


@route("PUT", _ONE)
def replace_webhook(req: Request) -> Reply:
    """Change everything but the token."""
    data, book = _manager(req)
    hook = _hook(req, book)
    hook.name, hook.url, hook.event, hook.source_type, hook.sources = _fields(req)
    req.state.touch()
    return Reply(200, hook.dto(data.id))


@route("DELETE", _ONE)
def delete_webhook(req: Request) -> Reply:
    _data, book = _manager(req)
    hook = _hook(req, book)
    del book.hooks[hook.id]
    book.deliveries = [d for d in book.deliveries if d.webhook_id != hook.id]
    req.state.touch()
    return Reply(200)


@route("PATCH", _ONE + "/token")
def rotate_token(req: Request) -> Reply:
    """A new token; the old one stops being sent."""
    data, book = _manager(req)
    hook = _hook(req, book)
    hook.token = new_token()
    req.state.touch()
    return Reply(200, hook.dto(data.id))


def _zero_paged(req: Request) -> tuple[int, int]:
    page = req.integer("page", 0)
    size = req.integer("size", 50)
    if page < 0 or size < 1:
        raise ApiError(400, "Page index must not be less than zero and size at least one.", 501)
    return page, size


@route("POST", _ONE + "/logs")
def webhook_logs(req: Request) -> Reply:
    """The deliveries of one webhook, filtered by time and outcome (oldest first unless
    ``sortByNewest``)."""
    _data, book = _manager(req)
    hook = _hook(req, book)
    page, size = _zero_paged(req)
    body = req.json_object() if req.body.strip() else {}
    first, last = body_instant(body, "from"), body_instant(body, "to")
    status = body_str(body, "status") or "ALL"
    if status not in ("ALL", "SUCCEEDED", "FAILED"):
        raise ApiError(400, f"JSON parse error: Unknown status {status}", 3002)
    found = [
        d
        for d in book.deliveries
        if d.webhook_id == hook.id
        and (first is None or d.at >= first)
        and (last is None or d.at <= last)
        and (status == "ALL" or d.succeeded == (status == "SUCCEEDED"))
    ]
    if body_bool(body, "sortByNewest"):
        found.reverse()
    return Reply(200, [d.log_dto() for d in found[page * size : (page + 1) * size]])


@route("GET", _ONE + "/statuses")
def webhook_statuses(req: Request) -> Reply:
    """Each delivery's state with its latest answer, newest first."""
    _data, book = _manager(req)
    hook = _hook(req, book)
    page, size = _zero_paged(req)
    wanted = req.first("statuses")
    found = [d for d in reversed(book.deliveries) if d.webhook_id == hook.id]
    if wanted is not None:
        found = [d for d in found if d.status_dto()["status"] == wanted]
    return Reply(200, [d.status_dto() for d in found[page * size : (page + 1) * size]])
