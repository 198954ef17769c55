"""Webhooks: what a workspace asked Clockify to send where, and what was delivered.

The test server sends nothing over the network: a delivery is recorded as if the receiver
had answered with :attr:`WebhookBook.answer` (200 by default; a test sets another to see
failures). A delivery happens for every audited change (:mod:`tests.fakeclockify.audit`)
whose action maps to a webhook's event, when the webhook's trigger source covers it.
"""

from __future__ import annotations

import json
import secrets
import weakref
from dataclasses import dataclass, field
from typing import Any

from tests.fakeclockify.records import WorkspaceData
from tests.fakeclockify.state import State
from tests.fakeclockify.wire import format_instant

__all__ = [
    "EVENTS",
    "SOURCE_TYPES",
    "Delivery",
    "Webhook",
    "WebhookBook",
    "deliver",
    "limits_for",
    "webhook_book",
]

EVENTS: tuple[str, ...] = (
    "NEW_PROJECT",
    "NEW_TASK",
    "NEW_CLIENT",
    "NEW_TIMER_STARTED",
    "TIMER_STOPPED",
    "TIME_ENTRY_UPDATED",
    "TIME_ENTRY_DELETED",
    "TIME_ENTRY_SPLIT",
    "NEW_TIME_ENTRY",
    "TIME_ENTRY_RESTORED",
    "NEW_TAG",
    "USER_DELETED_FROM_WORKSPACE",
    "USER_JOINED_WORKSPACE",
    "USER_DEACTIVATED_ON_WORKSPACE",
    "USER_ACTIVATED_ON_WORKSPACE",
    "USER_EMAIL_CHANGED",
    "USER_UPDATED",
    "NEW_INVOICE",
    "INVOICE_UPDATED",
    "NEW_APPROVAL_REQUEST",
    "APPROVAL_REQUEST_STATUS_UPDATED",
    "TIME_OFF_REQUESTED",
    "TIME_OFF_REQUEST_UPDATED",
    "TIME_OFF_REQUEST_APPROVED",
    "TIME_OFF_REQUEST_REJECTED",
    "TIME_OFF_REQUEST_STARTED",
    "TIME_OFF_REQUEST_WITHDRAWN",
    "BALANCE_UPDATED",
    "TAG_UPDATED",
    "TAG_DELETED",
    "TASK_UPDATED",
    "CLIENT_UPDATED",
    "TASK_DELETED",
    "CLIENT_DELETED",
    "EXPENSE_RESTORED",
    "ASSIGNMENT_CREATED",
    "ASSIGNMENT_DELETED",
    "ASSIGNMENT_PUBLISHED",
    "ASSIGNMENT_UPDATED",
    "EXPENSE_CREATED",
    "EXPENSE_DELETED",
    "EXPENSE_UPDATED",
    "PROJECT_UPDATED",
    "PROJECT_DELETED",
    "USER_GROUP_CREATED",
    "USER_GROUP_UPDATED",
    "USER_GROUP_DELETED",
    "USERS_INVITED_TO_WORKSPACE",
    "LIMITED_USERS_ADDED_TO_WORKSPACE",
    "COST_RATE_UPDATED",
    "BILLABLE_RATE_UPDATED",
)
"""The spec's ``WebhookEventType`` enum (51 events), in its order."""

SOURCE_TYPES = (
    "PROJECT_ID",
    "USER_ID",
    "TAG_ID",
    "TASK_ID",
    "WORKSPACE_ID",
    "ASSIGNMENT_ID",
    "EXPENSE_ID",
)
"""The spec's ``triggerSourceType`` enum."""

_FROM_AUDIT = {
    "CREATE_PROJECT": "NEW_PROJECT",
    "UPDATE_PROJECT": "PROJECT_UPDATED",
    "DELETE_PROJECT": "PROJECT_DELETED",
    "CREATE_TASK": "NEW_TASK",
    "UPDATE_TASK": "TASK_UPDATED",
    "DELETE_TASK": "TASK_DELETED",
    "CREATE_CLIENT": "NEW_CLIENT",
    "UPDATE_CLIENT": "CLIENT_UPDATED",
    "DELETE_CLIENT": "CLIENT_DELETED",
    "CREATE_TAG": "NEW_TAG",
    "UPDATE_TAG": "TAG_UPDATED",
    "DELETE_TAG": "TAG_DELETED",
    "CREATE_TIME_PERSONAL_TIMER": "NEW_TIMER_STARTED",
    "CREATE_TIME_PERSONAL_MANUAL": "NEW_TIME_ENTRY",
    "CREATE_TIME_FOR_OTHER": "NEW_TIME_ENTRY",
    "UPDATE_TIME_PERSONAL": "TIME_ENTRY_UPDATED",
    "UPDATE_TIME_FOR_OTHER": "TIME_ENTRY_UPDATED",
    "DELETE_TIME_PERSONAL": "TIME_ENTRY_DELETED",
    "DELETE_TIME_FOR_OTHER": "TIME_ENTRY_DELETED",
}
"""Which webhook event an audited action sends."""

_LIMITS = {"FREE": (3, 3), "ENTERPRISE": (300, 100)}
_PAID = (100, 10)


def limits_for(plan: str) -> tuple[int, int]:
    """(per workspace, per person) webhooks a plan allows (FACTS §6 "Webhooks")."""
    return _LIMITS.get(plan, _PAID)


@dataclass
class Webhook:
    """One webhook: an event sent to a URL for some sources."""

    id: str
    user_id: str
    name: str
    url: str
    event: str
    source_type: str
    sources: list[str]
    token: str
    enabled: bool = True

    def dto(self, workspace_id: str) -> dict[str, Any]:
        """The webhook as ``WebhookDtoV1``."""
        return {
            "authToken": self.token,
            "deliveryEnabled": self.enabled,
            "enabled": self.enabled,
            "id": self.id,
            "name": self.name,
            "planEnabled": True,
            "triggerSource": list(self.sources),
            "triggerSourceType": self.source_type,
            "url": self.url,
            "userId": self.user_id,
            "webhookEvent": self.event,
            "workspaceId": workspace_id,
        }


@dataclass(frozen=True)
class Delivery:
    """One sending of an event to a webhook and the answer recorded for it."""

    id: str
    log_id: str
    webhook_id: str
    at: int
    body: str
    status_code: int

    @property
    def succeeded(self) -> bool:
        return 200 <= self.status_code < 300

    def log_dto(self) -> dict[str, Any]:
        """As ``WebhookLogDtoV1``."""
        return {
            "id": self.log_id,
            "requestBody": self.body,
            "respondedAt": format_instant(self.at),
            "responseBody": "",
            "statusCode": self.status_code,
            "webhookEventStatusId": self.id,
            "webhookId": self.webhook_id,
        }

    def status_dto(self) -> dict[str, Any]:
        """As ``WebhookEventStatusWithLatestLogDtoV1``."""
        return {
            "id": self.id,
            "requestBody": self.body,
            "respondedAt": format_instant(self.at),
            "responseBody": "",
            "retryCount": 0 if self.succeeded else 3,
            "status": "SUCCEEDED" if self.succeeded else "FAILED",
            "statusCode": self.status_code,
            "webhookId": self.webhook_id,
            "webhookLogId": self.log_id,
        }


@dataclass
class WebhookBook:
    """A workspace's webhooks and their deliveries."""

    hooks: dict[str, Webhook] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    answer: int = 200
    """The status the (imaginary) receiver answers every delivery with."""


_BOOKS: weakref.WeakKeyDictionary[WorkspaceData, WebhookBook] = weakref.WeakKeyDictionary()


def webhook_book(data: WorkspaceData) -> WebhookBook:
    """The workspace's webhooks (none at first)."""
    found = _BOOKS.get(data)
    if found is None:
        found = _BOOKS[data] = WebhookBook()
    return found


def new_token() -> str:
    """A webhook's signing token (sent as ``Clockify-Signature-Token``, FACTS §6)."""
    return secrets.token_urlsafe(24)


def _covers(hook: Webhook, workspace_id: str, author: str, entity: dict[str, Any]) -> bool:
    kind = hook.source_type
    if kind == "WORKSPACE_ID":
        return workspace_id in hook.sources or not hook.sources
    if kind == "USER_ID":
        return author in hook.sources or entity.get("userId") in hook.sources
    if kind == "PROJECT_ID":
        return bool({entity.get("projectId"), entity.get("id")} & set(hook.sources))
    if kind == "TASK_ID":
        return bool({entity.get("taskId"), entity.get("id")} & set(hook.sources))
    if kind == "TAG_ID":
        tags = set(entity.get("tagIds") or ()) | {entity.get("id")}
        return bool(tags & set(hook.sources))
    return False


def deliver(
    state: State, data: WorkspaceData, *, action: str, author: str, content: str, previous: str
) -> None:
    """Record the deliveries one audited change makes."""
    event = _FROM_AUDIT.get(action)
    book = _BOOKS.get(data)
    if event is None or book is None or not book.hooks:
        return
    body = content if content != "null" else previous
    try:
        entity = json.loads(body)
    except ValueError:
        entity = {}
    if not isinstance(entity, dict):
        entity = {}
    for hook in book.hooks.values():
        if hook.enabled and hook.event == event and _covers(hook, data.id, author, entity):
            book.deliveries.append(
                Delivery(state.new_id(), state.new_id(), hook.id, state.now(), body, book.answer)
            )
