"""The audit log as Clockify sends and takes it (``AuditLogGetRequestV1``, ``AuditLogDtoV1``).

An event says what was done (``action``, one of :data:`ACTIONS`), by whom (``userId``, or
``SYSTEM`` for Clockify's own changes), when, and the entity after and before as JSON text
(``content``, ``previousContent``; ``"null"`` where there is none). Events have no id.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tracker.api.models.base import Instant, LenientText, RequestModel, WireModel

__all__ = ["ACTIONS", "SYSTEM", "AuditAuthors", "AuditEvent", "AuditLogFilter"]

SYSTEM = "SYSTEM"
"""The author id of changes Clockify made itself; ask for it among the authors to see them."""

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
"""Every action the audit log records (the spec's enum, in its order)."""


class AuditAuthors(RequestModel):
    """Whose changes: these ids (``SYSTEM`` among them for Clockify's own), or everyone but
    them; no ids with ``CONTAINS`` is everyone."""

    author_ids: list[str] = Field(default_factory=list)
    contains: Literal["CONTAINS", "DOES_NOT_CONTAIN"] = "CONTAINS"


class AuditLogFilter(RequestModel):
    """One page of the audit log: a period, the actions (at least one) and the authors."""

    start: Instant
    end: Instant
    actions: list[str] = Field(min_length=1)
    authors: AuditAuthors = Field(default_factory=AuditAuthors)
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=50, ge=1, le=50, alias="page-size")


class AuditEvent(WireModel):
    """One recorded change."""

    action: str = ""
    content: LenientText = None
    previous_content: LenientText = None
    timestamp: Instant | None = None
    user_id: str = ""
    user_name: LenientText = None
    user_email: LenientText = None
    workspace_id: str = ""
