"""Timesheet approval requests: list, submit, resubmit, and change a request's state.

Submitting and resubmitting are POSTs and a state change is a PATCH whose repeat Clockify
refuses (an approved request cannot be approved again): none is resent after an unclear
failure. The error then carries ``maybe_committed``, and the caller reads the list back to
learn whether it took (:mod:`tracker.services.approvals`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

from tracker.api.models import decode
from tracker.api.models.approvals import (
    ApprovalDetails,
    ApprovalRequest,
    ApprovalSubmit,
    ApprovalUpdate,
    PeriodKind,
)
from tracker.api.pagination import DEFAULT_PAGE_SIZE, iterate_items
from tracker.api.paths import api_path
from tracker.api.session import ApiSession

__all__ = ["ApprovalsResource"]

_BASE = "/v1/workspaces/{workspace_id}/approval-requests"
_SUBMIT = _BASE + "/TIMESHEET"
_SUBMIT_FOR = _BASE + "/users/{user_id}/TIMESHEET"
_RESUBMIT = _BASE + "/resubmit-entries-for-approval"
_RESUBMIT_FOR = _BASE + "/users/{user_id}/resubmit-entries-for-approval"
_ONE = _BASE + "/{request_id}"


class ApprovalsResource:
    """Timesheet approval requests of a workspace."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def list(
        self,
        workspace_id: str,
        *,
        status: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[ApprovalDetails]:
        """The requests the key's owner may see (their own; an approver's people's too),
        all states unless ``status`` (``PENDING``, ``APPROVED`` or ``WITHDRAWN_APPROVAL``),
        oldest period first; timesheets only."""
        return iterate_items(
            self._session,
            api_path(_BASE, workspace_id=workspace_id),
            ApprovalDetails,
            what="approval requests",
            params={"status": status, "types": ["TIMESHEET"], "sort-column": "START"},
            page_size=page_size,
        )

    async def submit(
        self, workspace_id: str, first_day: date, period: PeriodKind, *, user_id: str | None = None
    ) -> ApprovalRequest:
        """Submit the period starting on ``first_day`` (of ``user_id``, for an approver)."""
        path = _path(_SUBMIT, _SUBMIT_FOR, workspace_id, user_id)
        return await self._post(path, first_day, period)

    async def resubmit(
        self, workspace_id: str, first_day: date, period: PeriodKind, *, user_id: str | None = None
    ) -> ApprovalRequest:
        """Send a rejected or withdrawn period again (or a pending one's new entries)."""
        path = _path(_RESUBMIT, _RESUBMIT_FOR, workspace_id, user_id)
        return await self._post(path, first_day, period)

    async def update(
        self, workspace_id: str, request_id: str, change: ApprovalUpdate
    ) -> ApprovalRequest:
        """Approve, reject or withdraw a request."""
        data = await self._session.send_json(
            "PATCH",
            api_path(_ONE, workspace_id=workspace_id, request_id=request_id),
            json_body=change.body(),
            idempotent=False,
        )
        return decode(ApprovalRequest, data, what="approval request")

    async def _post(self, path: str, first_day: date, period: PeriodKind) -> ApprovalRequest:
        # The period's first day at midnight: Clockify reads the day as the owner's calendar
        # day, as it reads the dates of entry filters (FACTS §4).
        start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
        body = ApprovalSubmit(period_start=start, period=period).body()
        data = await self._session.send_json("POST", path, json_body=body, idempotent=False)
        return decode(ApprovalRequest, data, what="approval request")


def _path(own: str, for_other: str, workspace_id: str, user_id: str | None) -> str:
    """The caller's own route, or the one for another person."""
    if user_id is None:
        return api_path(own, workspace_id=workspace_id)
    return api_path(for_other, workspace_id=workspace_id, user_id=user_id)
