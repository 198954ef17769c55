"""Timesheet approvals as Clockify runs them: periods, states, who decides, and the lock.

What the rules rest on (the spec's approval operations and schemas, FACTS "Approvals", and
Clockify's help pages on approving and submitting time):

- **Periods.** A workspace approves time per ``WEEKLY``, ``SEMI_MONTHLY`` (the 1st to the
  15th, the 16th to the month's end) or ``MONTHLY`` period; a submission's ``period`` "has
  to match the workspace approval period setting" (spec, ``CreateApprovalRequest``). A week
  starts on the owner's ``weekStart``; days are midnights in the owner's time zone. The API
  has no read of the setting; :func:`set_period` sets it for a test.
- **States** (``ApprovalRequestStatusDtoV1``): a submission is ``PENDING``; an approver sets
  ``APPROVED`` or ``REJECTED`` (with a note); the submitter may take a pending one back
  (``WITHDRAWN_SUBMISSION``); an approver may take an approval back
  (``WITHDRAWN_APPROVAL``, the only way to change approved time). A rejected or withdrawn
  period is sent again with the "resubmit" operations.
- **Who decides.** The owner and admins, for everyone; a team manager, for the people they
  manage (help: "Who can approve submitted timesheets", admins and team managers).
- **The lock.** "All approved timesheets are permanently locked. Not even admins can make
  changes to the approved time" (help): creating, changing or deleting an entry that starts
  in an approved period is refused with 400 and code 501, Clockify's business-rule answer
  (FACTS §3). No recorded body of this refusal was found; the sentence is the server's own.
- **Plans.** Approval is a Standard-and-up feature (``APPROVAL``); expenses need
  ``EXPENSES`` as well. Without it, 403 (:func:`~tests.fakeclockify.access.plan_forbidden`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.fakeclockify.access import ADMIN, MANAGER, OWNER, manages_person, role_of
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import ApprovalRecord, WorkspaceData, approvals_of
from tests.fakeclockify.state import State

__all__ = [
    "APPROVED",
    "LOCKED_MESSAGE",
    "PENDING",
    "PERIODS",
    "REJECTED",
    "STATES",
    "WITHDRAWN_APPROVAL",
    "WITHDRAWN_SUBMISSION",
    "check_open",
    "may_decide",
    "period_bounds",
    "set_period",
]

PENDING = "PENDING"
APPROVED = "APPROVED"
REJECTED = "REJECTED"
WITHDRAWN_SUBMISSION = "WITHDRAWN_SUBMISSION"
WITHDRAWN_APPROVAL = "WITHDRAWN_APPROVAL"
STATES = (PENDING, APPROVED, WITHDRAWN_SUBMISSION, WITHDRAWN_APPROVAL, REJECTED)
PERIODS = ("WEEKLY", "SEMI_MONTHLY", "MONTHLY")

LOCKED_MESSAGE = "Time entry is in an approved period and can't be changed."
"""The refusal of a change to approved time (the server's own wording; see the module)."""

_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def set_period(state: State, workspace_id: str, period: str) -> None:
    """Set the workspace's approval period (tests; the API has no write of it)."""
    if period not in PERIODS:
        raise ValueError(f"unknown approval period {period!r}")
    with state.lock:
        approvals_of(state.workspaces[workspace_id]).period = period
        state.touch()


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def period_bounds(period: str, first: date, week_start: str) -> tuple[date, date] | None:
    """The first day and the day after the last of the period starting on ``first``; None
    when ``first`` does not start such a period."""
    if period == "WEEKLY":
        if _DAYS[first.weekday()] != week_start:
            return None
        return first, first + timedelta(days=7)
    if period == "SEMI_MONTHLY":
        if first.day == 1:
            return first, first.replace(day=16)
        if first.day == 16:
            return first, _next_month(first)
        return None
    if first.day != 1:
        return None
    return first, _next_month(first)


def midnight(day: date, zone: ZoneInfo) -> int:
    """Epoch seconds of the day's first instant in ``zone``."""
    return int(datetime.combine(day, time(), zone).timestamp())


def may_decide(data: WorkspaceData, actor_id: str, owner_id: str) -> bool:
    """Whether ``actor_id`` may approve, reject or submit for ``owner_id``: the owner and
    admins for everyone, a manager for the people they manage."""
    role = role_of(data, actor_id)
    if role in (OWNER, ADMIN):
        return True
    if role != MANAGER:
        return False
    return manages_person(data, actor_id, owner_id)


def approved_record(data: WorkspaceData, user_id: str, start: int) -> ApprovalRecord | None:
    """The approved timesheet of ``user_id`` whose period holds ``start``, if any."""
    for record in approvals_of(data).records.values():
        if (
            record.owner_id == user_id
            and record.state == APPROVED
            and record.type == "TIMESHEET"
            and record.start <= start < record.end
        ):
            return record
    return None


def check_open(data: WorkspaceData, user_id: str, *starts: int | None) -> None:
    """Refuse a change to an entry of ``user_id`` that starts (or started) in an approved
    period; everyone is refused, admins included (see the module)."""
    for start in starts:
        if start is not None and approved_record(data, user_id, start) is not None:
            raise ApiError(400, LOCKED_MESSAGE, 501)
