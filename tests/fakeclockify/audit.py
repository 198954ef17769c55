"""The audit log: one event for every change made through the test server.

Clockify's audit log (``POST /v1/workspaces/{ws}/audit-log`` on its own host, FACTS §1, §6)
answers ``{response: [AuditLogDtoV1]}``: the action (the spec's enum, e.g.
``CREATE_TIME_PERSONAL_TIMER``, ``UPDATE_TIME_PERSONAL``, ``DELETE_PROJECT``), who did it
(``userId``, ``userName``, ``userEmail``; ``SYSTEM`` for the server's own changes), when, and
the entity after and before the change as JSON text (``content``, ``previousContent``). The
spec's example writes ``"null"`` as the previous content of a create; a delete is written the
same way round (the entity before, ``"null"`` after). The entity is written as the API
answers it.

:func:`record_change` is called from the one place every request passes
(:meth:`tests.fakeclockify.app.App.handle`): a table maps the route (method and spec path)
to an action, so a new write route is either in the table or has no audit action (approvals,
time off and scheduling have none in the spec's enum).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakeclockify.records import User, WorkspaceData
from tests.fakeclockify.routing import Request
from tests.fakeclockify.state import State
from tests.fakeclockify.webhooks import deliver
from tests.fakeclockify.wire import format_instant

__all__ = [
    "ACTIONS",
    "SYSTEM",
    "AuditEvent",
    "Before",
    "audit_log",
    "before_change",
    "record_change",
    "record_system",
]

SYSTEM = "SYSTEM"
"""The author id of changes nobody made by hand (imports, the server's own work)."""

ACTIONS: tuple[str, ...] = (
    "CREATE_TIME_PERSONAL_TIMER",
    "CREATE_TIME_PERSONAL_MANUAL",
    "CREATE_TIME_IMPORT",
    "CREATE_TIME_KIOSK",
    "CREATE_TIME_FOR_OTHER",
    "RESTORE_TIME",
    "RESTORE_TIME_FOR_OTHER",
    "UPDATE_TIME_PERSONAL",
    "UPDATE_TIME_FOR_OTHER",
    "DELETE_TIME_PERSONAL",
    "DELETE_TIME_FOR_OTHER",
    "CREATE_PROJECT",
    "CREATE_PROJECT_IMPORT",
    "CREATE_PROJECT_QUICKBOOKS",
    "UPDATE_PROJECT",
    "DELETE_PROJECT",
    "CREATE_TASK",
    "CREATE_TASK_IMPORT",
    "UPDATE_TASK",
    "DELETE_TASK",
    "CREATE_CLIENT",
    "CREATE_CLIENT_IMPORT",
    "CREATE_CLIENT_QUICKBOOKS",
    "UPDATE_CLIENT",
    "DELETE_CLIENT",
    "CREATE_TAG",
    "CREATE_TAG_IMPORT",
    "UPDATE_TAG",
    "DELETE_TAG",
    "CREATE_EXPENSE",
    "CREATE_EXPENSE_FOR_OTHER",
    "RESTORE_EXPENSE",
    "RESTORE_EXPENSE_FOR_OTHER",
    "UPDATE_EXPENSE",
    "UPDATE_EXPENSE_FOR_OTHER",
    "DELETE_EXPENSE",
    "DELETE_EXPENSE_FOR_OTHER",
)
"""The spec's ``AuditLogGetRequestV1.actions`` enum, in its order."""

_WS = "/v1/workspaces/{workspaceId}"
_ROUTES: dict[tuple[str, str], tuple[str, str]] = {
    ("POST", _WS + "/time-entries"): ("CREATE", "TIME"),
    ("POST", _WS + "/user/{userId}/time-entries"): ("CREATE", "TIME"),
    ("POST", _WS + "/user/{userId}/time-entries/{id}/duplicate"): ("CREATE", "TIME"),
    ("PUT", _WS + "/time-entries/{id}"): ("UPDATE", "TIME"),
    ("PUT", _WS + "/user/{userId}/time-entries"): ("UPDATE", "TIME"),
    ("PATCH", _WS + "/user/{userId}/time-entries"): ("UPDATE", "TIME"),
    ("DELETE", _WS + "/time-entries/{id}"): ("DELETE", "TIME"),
    ("DELETE", _WS + "/user/{userId}/time-entries"): ("DELETE", "TIME"),
    ("POST", _WS + "/projects"): ("CREATE", "PROJECT"),
    ("PUT", _WS + "/projects/{projectId}"): ("UPDATE", "PROJECT"),
    ("DELETE", _WS + "/projects/{projectId}"): ("DELETE", "PROJECT"),
    ("POST", _WS + "/projects/{projectId}/tasks"): ("CREATE", "TASK"),
    ("PUT", _WS + "/projects/{projectId}/tasks/{taskId}"): ("UPDATE", "TASK"),
    ("DELETE", _WS + "/projects/{projectId}/tasks/{taskId}"): ("DELETE", "TASK"),
    ("POST", _WS + "/clients"): ("CREATE", "CLIENT"),
    ("PUT", _WS + "/clients/{id}"): ("UPDATE", "CLIENT"),
    ("DELETE", _WS + "/clients/{id}"): ("DELETE", "CLIENT"),
    ("POST", _WS + "/tags"): ("CREATE", "TAG"),
    ("PUT", _WS + "/tags/{id}"): ("UPDATE", "TAG"),
    ("DELETE", _WS + "/tags/{id}"): ("DELETE", "TAG"),
}
"""Which write routes are audited: (method, spec path) to (verb, kind)."""


@dataclass(frozen=True)
class AuditEvent:
    """One audited change, as the audit log lists it."""

    at: int
    action: str
    user_id: str
    user_name: str
    user_email: str
    content: str
    previous: str

    def dto(self, workspace_id: str) -> dict[str, Any]:
        """The event as ``AuditLogDtoV1``."""
        return {
            "action": self.action,
            "content": self.content,
            "previousContent": self.previous,
            "timestamp": format_instant(self.at),
            "userEmail": self.user_email,
            "userId": self.user_id,
            "userName": self.user_name,
            "workspaceId": workspace_id,
        }


_LOGS: weakref.WeakKeyDictionary[WorkspaceData, list[AuditEvent]] = weakref.WeakKeyDictionary()


def audit_log(data: WorkspaceData) -> list[AuditEvent]:
    """The workspace's audit events, oldest first (empty at first)."""
    found = _LOGS.get(data)
    if found is None:
        found = _LOGS[data] = []
    return found


def _text(value: Any) -> str:
    return "null" if value is None else json.dumps(value, separators=(",", ":"), sort_keys=True)


Before = dict[str, dict[str, Any]]
"""The entities a change is about to touch, by id, as the API answered them before."""


def _entity(state: State, data: WorkspaceData, kind: str, entity_id: str) -> dict[str, Any] | None:
    ws = data.id
    if kind == "TIME":
        return state.time_entry(ws, entity_id)
    listing: Callable[[str], list[dict[str, Any]]] = {
        "PROJECT": state.projects,
        "TASK": state.tasks,
        "CLIENT": state.clients,
        "TAG": state.tags,
    }[kind]
    return next((item for item in listing(ws) if item.get("id") == entity_id), None)


def _touched_ids(
    state: State,
    data: WorkspaceData,
    params: dict[str, str],
    query: list[tuple[str, str]],
    body: Any,
) -> list[str]:
    """The ids of what an update or delete is about to change, read from the request."""
    one = params.get("taskId") or params.get("projectId") or params.get("id")
    if one:
        return [one]
    ids = [part for key, value in query if key == "time-entry-ids" for part in value.split(",")]
    if ids:
        return [i for i in ids if i]
    if isinstance(body, list):
        return [str(item["id"]) for item in body if isinstance(item, dict) and "id" in item]
    user_id = params.get("userId")
    running = state.running_entry(data.id, user_id) if user_id else None
    return [str(running["id"])] if running else []


def before_change(request: Request, template: str) -> Before | None:
    """What an audited update or delete is about to change (``None``: not audited)."""
    kinds = _ROUTES.get((request.method, template))
    if kinds is None or request.data is None:
        return None
    verb, kind = kinds
    if verb == "CREATE":
        return {}
    try:
        parsed = json.loads(request.body) if request.body.strip() else None
    except ValueError:
        parsed = None
    state, data = request.state, request.data
    found: Before = {}
    for entity_id in _touched_ids(state, data, request.params, request.query, parsed):
        entity = _entity(state, data, kind, entity_id)
        if entity is not None:
            found[entity_id] = entity
    return found


def _action(verb: str, kind: str, entity: dict[str, Any], author: User) -> str:
    if kind != "TIME":
        return f"{verb}_{kind}"
    if entity.get("userId", author.id) != author.id:
        return f"{verb}_TIME_FOR_OTHER"
    if verb != "CREATE":
        return f"{verb}_TIME_PERSONAL"
    interval = entity.get("timeInterval") or {}
    return (
        "CREATE_TIME_PERSONAL_TIMER" if not interval.get("end") else ("CREATE_TIME_PERSONAL_MANUAL")
    )


def record_change(request: Request, template: str, before: Before, answer: Any) -> None:
    """Write the audit events of one successful change (and the webhook deliveries they
    make)."""
    method, author, state, data = request.method, request.user, request.state, request.ws
    verb, kind = _ROUTES[(method, template)]
    log = audit_log(data)
    now = state.now()
    answered = answer if isinstance(answer, list) else [answer] if answer else []
    pairs: list[tuple[dict[str, Any] | None, dict[str, Any] | None]]
    if verb == "DELETE":
        pairs = [(None, entity) for entity in before.values()]
    else:
        pairs = [
            (item, before.get(str(item.get("id")))) for item in answered if isinstance(item, dict)
        ]
    for after, previous in pairs:
        entity = after if after is not None else previous
        if entity is None:
            continue
        event = AuditEvent(
            at=now,
            action=_action(verb, kind, entity, author),
            user_id=author.id,
            user_name=author.name or "",
            user_email=author.email,
            content=_text(after),
            previous=_text(previous),
        )
        log.append(event)
        deliver(
            state,
            data,
            action=event.action,
            author=author.id,
            content=event.content,
            previous=event.previous,
        )


def record_system(data: WorkspaceData, at: int, action: str, content: dict[str, Any]) -> None:
    """An event by ``SYSTEM`` (an import, the server's own work)."""
    audit_log(data).append(AuditEvent(at, action, SYSTEM, "System", "", _text(content), "null"))
