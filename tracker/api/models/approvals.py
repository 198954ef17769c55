"""Timesheet approval requests as Clockify sends and takes them.

A list answers ``ApprovalDetailsDtoV1`` (the request and the time it covers), a write answers
``ApprovalRequestDtoV1``. ``dateRange`` holds the period's first and last instants; the
period's days are read in the owner's time zone (``owner.timeZone``), since a period is a run
of the owner's calendar days.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from tracker.api.models.base import (
    Instant,
    IsoDuration,
    LenientText,
    RequestModel,
    WireId,
    WireModel,
)

__all__ = [
    "APPROVAL_STATES",
    "ApprovalCreator",
    "ApprovalDetails",
    "ApprovalOwner",
    "ApprovalRange",
    "ApprovalRequest",
    "ApprovalStatus",
    "ApprovalSubmit",
    "ApprovalUpdate",
    "PeriodKind",
]

APPROVAL_STATES = ("PENDING", "APPROVED", "WITHDRAWN_SUBMISSION", "WITHDRAWN_APPROVAL", "REJECTED")
"""Every state a request can be in (``ApprovalRequestStatusDtoV1.state``)."""

PeriodKind = Literal["WEEKLY", "SEMI_MONTHLY", "MONTHLY"]


class ApprovalRange(WireModel):
    """The period's first and last instants."""

    start: datetime | None = None
    end: datetime | None = None


class ApprovalOwner(WireModel):
    """Whose time the request is about."""

    user_id: str = ""
    user_name: LenientText = None
    time_zone: LenientText = None
    start_of_week: LenientText = None


class ApprovalCreator(WireModel):
    """Who submitted it (the owner, or a manager for them)."""

    user_id: str = ""
    user_name: LenientText = None
    user_email: LenientText = None


class ApprovalStatus(WireModel):
    """Where the request stands, with the approver's note."""

    state: str = "PENDING"
    note: LenientText = None
    updated_at: datetime | None = None
    updated_by: LenientText = None
    updated_by_user_name: LenientText = None


class ApprovalRequest(WireModel):
    """One request: a person's timesheet for one approval period."""

    id: WireId
    workspace_id: str = ""
    type: LenientText = None
    date_range: ApprovalRange = ApprovalRange()
    owner: ApprovalOwner = ApprovalOwner()
    creator: ApprovalCreator = ApprovalCreator()
    status: ApprovalStatus = ApprovalStatus()


class ApprovalDetails(WireModel):
    """A listed request with the time it covers."""

    approval_request: ApprovalRequest
    tracked_time: IsoDuration = timedelta()
    billable_time: IsoDuration = timedelta()
    pending_time: IsoDuration = timedelta()
    approved_time: IsoDuration = timedelta()


class ApprovalSubmit(RequestModel):
    """``CreateApprovalRequestNoType``: the period's first day and the period kind, which
    must match the workspace's setting."""

    period_start: Instant
    period: PeriodKind


class ApprovalUpdate(RequestModel):
    """``UpdateApprovalRequest``: the new state and the note that goes with it."""

    state: Literal["APPROVED", "REJECTED", "WITHDRAWN_SUBMISSION", "WITHDRAWN_APPROVAL"]
    note: str | None = None
