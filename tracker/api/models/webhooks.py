"""Webhooks as Clockify sends and takes them (``WebhookDtoV1``, ``CreateWebhookRequestV1``,
``WebhookLogDtoV1``, ``WebhookEventStatusWithLatestLogDtoV1``; FACTS §6 "Webhooks").

A webhook sends one event (:data:`EVENTS`) to one URL for its sources: the whole workspace
(``WORKSPACE_ID`` with the workspace's id) or some projects, people, tags or tasks. Its
``authToken`` comes with every delivery (as ``Clockify-Signature-Token``), so the receiver
can tell Clockify sent it; it is a secret and never shown unless asked for.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tracker.api.models.base import Instant, LenientText, RequestModel, WireModel

__all__ = [
    "EVENTS",
    "SOURCE_TYPES",
    "Webhook",
    "WebhookDelivery",
    "WebhookList",
    "WebhookLog",
    "WebhookLogFilter",
    "WebhookWrite",
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
"""Every event a webhook can send (the spec's ``WebhookEventType``, in its order)."""

SOURCE_TYPES: tuple[str, ...] = (
    "PROJECT_ID",
    "USER_ID",
    "TAG_ID",
    "TASK_ID",
    "WORKSPACE_ID",
    "ASSIGNMENT_ID",
    "EXPENSE_ID",
)
"""What a webhook's sources are ids of."""


class Webhook(WireModel):
    """One webhook."""

    id: str
    name: LenientText = None
    url: str = ""
    webhook_event: str = ""
    trigger_source_type: str = ""
    trigger_source: list[str] = Field(default_factory=list)
    user_id: str = ""
    enabled: bool = True
    auth_token: LenientText = Field(default=None, repr=False)


class WebhookList(WireModel):
    """The list answer: the webhooks, and how many the workspace holds."""

    webhooks: list[Webhook] = Field(default_factory=list)
    workspace_webhook_count: int = 0


class WebhookWrite(RequestModel):
    """A new webhook, or everything a replace sets."""

    url: str = Field(min_length=1)
    webhook_event: str
    trigger_source_type: str = "WORKSPACE_ID"
    trigger_source: list[str]
    name: str | None = Field(default=None, min_length=2, max_length=30)


class WebhookLogFilter(RequestModel):
    """Which deliveries to list."""

    start: Instant | None = Field(default=None, alias="from")
    end: Instant | None = Field(default=None, alias="to")
    status: Literal["ALL", "SUCCEEDED", "FAILED"] = "ALL"
    sort_by_newest: bool = True


class WebhookLog(WireModel):
    """One delivery's request and answer."""

    id: str
    webhook_id: str = ""
    status_code: int | None = None
    request_body: LenientText = None
    response_body: LenientText = None
    responded_at: Instant | None = None


class WebhookDelivery(WireModel):
    """One delivery's state (succeeded, retrying, failed) with its latest answer."""

    id: str
    webhook_id: str = ""
    status: str = ""
    status_code: int | None = None
    retry_count: int = 0
    responded_at: Instant | None = None
