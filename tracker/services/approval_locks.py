"""What this computer knows of my approval periods, and the lock it puts on approved days.

Approvals are server-first: :mod:`tracker.services.approvals` asks Clockify and keeps the
answer here, in the store's report cache under ``approvals:<workspace>:<user>`` with the time
it was fetched. This module only reads that copy, with no network and no API import, so every
edit can consult it: Clockify refuses any change to time in an approved period ("not even
admins" may change it), and :func:`locked_reason` lets the app refuse first, with the reason,
instead of parking the change after a round trip. A copy that is out of date only means the
refusal comes from Clockify at the next sync instead (the entry is then parked with its
message).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tracker.domain.approval_periods import PERIOD_KINDS, Period
from tracker.store.db import StoreConnection
from tracker.store.report_cache import ReportCache

__all__ = [
    "KEY_PREFIX",
    "KeptApprovals",
    "KeptRequest",
    "kept_approvals",
    "locked_reason",
    "mine_key",
    "team_key",
]

KEY_PREFIX = "approvals:"
"""The report-cache key prefix of everything approvals keep (cleared with the cache on logout
and when the account is forgotten)."""


def mine_key(workspace_id: str, user_id: str) -> str:
    """Where my own requests are kept."""
    return f"{KEY_PREFIX}{workspace_id}:{user_id}"


def team_key(workspace_id: str, user_id: str) -> str:
    """Where the others' periods waiting for my decision are kept."""
    return f"{KEY_PREFIX}{workspace_id}:{user_id}:team"


@dataclass(frozen=True)
class KeptRequest:
    """One approval request as kept: whose, which days, where it stands, and the note."""

    id: str
    owner_id: str
    owner_name: str
    period: Period
    state: str
    note: str = ""
    decided_by: str = ""
    tracked_seconds: int = 0

    def to_json(self) -> dict[str, Any]:
        """Plain JSON for the cache and ``--json``."""
        return {
            "id": self.id,
            "owner_id": self.owner_id,
            "owner_name": self.owner_name,
            "first_day": self.period.first.isoformat(),
            "last_day": self.period.last.isoformat(),
            "period": self.period.kind,
            "state": self.state,
            "note": self.note,
            "decided_by": self.decided_by,
            "tracked_seconds": self.tracked_seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeptRequest:
        """The request :meth:`to_json` wrote (``KeyError``/``ValueError`` when damaged)."""
        kind = str(data["period"])
        return cls(
            id=str(data["id"]),
            owner_id=str(data["owner_id"]),
            owner_name=str(data.get("owner_name") or ""),
            period=Period(
                date.fromisoformat(str(data["first_day"])),
                date.fromisoformat(str(data["last_day"])),
                kind if kind in PERIOD_KINDS else "WEEKLY",
            ),
            state=str(data["state"]),
            note=str(data.get("note") or ""),
            decided_by=str(data.get("decided_by") or ""),
            tracked_seconds=int(data.get("tracked_seconds") or 0),
        )


@dataclass(frozen=True)
class KeptApprovals:
    """My requests as last fetched, with when (``as_of``, UTC)."""

    requests: tuple[KeptRequest, ...]
    as_of: datetime

    def approved_on(self, day: date) -> KeptRequest | None:
        """My approved request whose period holds ``day``."""
        for request in self.requests:
            if request.state == "APPROVED" and day in request.period:
                return request
        return None

    def for_period(self, period: Period) -> KeptRequest | None:
        """My request for ``period``: the same first and last day (a month and its first
        week start together once a workspace changes its approval period)."""
        for request in self.requests:
            if (request.period.first, request.period.last) == (period.first, period.last):
                return request
        return None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON for the cache."""
        return {"requests": [r.to_json() for r in self.requests]}


def kept_approvals(conn: StoreConnection, workspace_id: str, user_id: str) -> KeptApprovals | None:
    """My requests as kept, however old; ``None`` when none were fetched (or the copy is
    damaged: it is only a cache, dropped and fetched again)."""
    cache = ReportCache(conn)
    key = mine_key(workspace_id, user_id)
    found = cache.get(key)
    if found is None:
        return None
    try:
        requests = tuple(KeptRequest.from_json(item) for item in found.data["requests"])
    except (KeyError, TypeError, ValueError):
        cache.drop(key)
        return None
    return KeptApprovals(requests, datetime.fromtimestamp(found.fetched_at, UTC))


def locked_reason(conn: StoreConnection, workspace_id: str, user_id: str, day: date) -> str | None:
    """Why time on ``day`` cannot change (its period is approved), or ``None``."""
    kept = kept_approvals(conn, workspace_id, user_id)
    request = None if kept is None else kept.approved_on(day)
    if request is None:
        return None
    return (
        f"Your timesheet for {request.period.label()} is approved on Clockify, so its time is "
        "locked; an approver has to withdraw the approval before it can change."
    )
