"""What Clockify said last about time off, holidays and the member profile, as kept in the
store: the shapes people read, and reading them back.

Kept apart from :mod:`tracker.services.timeoff` (which talks to Clockify) so that what reads
the week's plans (the timesheet, the reminder) loads neither the HTTP client nor pydantic.
Everything is kept in the report cache (:class:`~tracker.store.report_cache.ReportCache`)
under ``timeoff:``, ``holidays:`` and ``profile:`` keys with the workspace and user ids, and
leaves the computer with the account like every report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from tracker.store import Store
from tracker.store.report_cache import ReportCache

__all__ = [
    "WEEKDAYS",
    "BalanceView",
    "HolidayView",
    "Kept",
    "PolicyView",
    "ProfileView",
    "RequestView",
    "cache_key",
    "kept_holidays",
    "kept_profile",
    "kept_requests",
    "thaw",
    "with_pending",
]

T = TypeVar("T")

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
"""Clockify's names of the days, Monday first (``date.weekday()`` order)."""


# --- what the views show ---------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyView:
    """A policy, as people read it."""

    id: str
    name: str
    unit: str  # "DAYS" | "HOURS"
    half_day: bool
    archived: bool
    requires_approval: bool


@dataclass(frozen=True)
class BalanceView:
    """What the person has left on a policy; ``pending`` is asked for but not yet approved,
    shown apart because Clockify's balance does not count it."""

    policy_id: str
    policy: str
    unit: str
    total: float
    used: float
    balance: float
    pending: float = 0.0


@dataclass(frozen=True)
class RequestView:
    """A time-off request over whole days (``first`` to ``last`` in the person's zone)."""

    id: str
    policy_id: str
    policy: str
    user_id: str
    user: str
    first: date
    last: date
    half_day: bool
    amount: float
    unit: str
    status: str  # "PENDING" | "APPROVED" | "REJECTED"
    note: str = ""
    status_note: str = ""
    hours: float | None = None
    """For a request by the hour: how many hours (from ``start``)."""
    start: str | None = None
    """For a request by the hour: its first instant (ISO 8601, UTC), so a request across
    midnight takes from each day only its own part."""
    zone: str | None = None
    """The requester's time zone, where ``first`` and ``last`` are days."""

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "first": self.first.isoformat(), "last": self.last.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RequestView:
        return cls(
            **{
                **data,
                "first": date.fromisoformat(data["first"]),
                "last": date.fromisoformat(data["last"]),
            }
        )


@dataclass(frozen=True)
class HolidayView:
    """A holiday over whole days (``annual``: the same dates every year)."""

    id: str
    name: str
    first: date
    last: date
    annual: bool

    def on(self, day: date) -> bool:
        """Whether ``day`` is in the holiday."""
        if self.first <= day <= self.last:
            return True
        if not self.annual or day < self.first:
            return False
        # The repeat that starts this year, or last year's when it runs over New Year.
        for shift in (day.year - self.first.year, day.year - self.first.year - 1):
            try:
                first = self.first.replace(year=self.first.year + shift)
                last = self.last.replace(year=self.last.year + shift)
            except ValueError:  # 29 February in a common year
                continue
            if first <= day <= last:
                return True
        return False

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "first": self.first.isoformat(), "last": self.last.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HolidayView:
        return cls(
            **{
                **data,
                "first": date.fromisoformat(data["first"]),
                "last": date.fromisoformat(data["last"]),
            }
        )


@dataclass(frozen=True)
class ProfileView:
    """The member profile: seconds a working day expects, the working weekdays
    (``date.weekday()`` numbers) and the week's first day."""

    capacity: int
    working_days: frozenset[int]
    week_start: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "capacity": self.capacity,
            "working_days": sorted(self.working_days),
            "week_start": self.week_start,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProfileView:
        return cls(
            int(data["capacity"]),
            frozenset(int(d) for d in data["working_days"]),
            data.get("week_start"),
        )


@dataclass(frozen=True)
class Kept(Generic[T]):
    """Something read from Clockify, and when (aware UTC)."""

    value: T
    as_of: datetime


# --- the cache ---------------------------------------------------------------------------------


def cache_key(kind: str, workspace_id: str, user_id: str) -> str:
    """``timeoff:policies:<ws>:<user>``, ``holidays:<ws>:<user>``, ``profile:<ws>:<user>``."""
    if kind in ("holidays", "profile"):
        return f"{kind}:{workspace_id}:{user_id}"
    return f"timeoff:{kind}:{workspace_id}:{user_id}"


def _kept(store: Store, key: str) -> tuple[list[dict[str, Any]], datetime] | None:
    found = ReportCache(store.conn).get(key)
    if found is None or not isinstance(found.data.get("items"), list):
        return None
    return found.data["items"], datetime.fromtimestamp(found.fetched_at, UTC)


def thaw(store: Store, key: str, read: Callable[[dict[str, Any]], T]) -> Kept[list[T]] | None:
    """A kept list, read back; a copy that cannot be read is dropped (it is only a cache)."""
    found = _kept(store, key)
    if found is None:
        return None
    try:
        return Kept([read(item) for item in found[0]], found[1])
    except (KeyError, TypeError, ValueError):
        ReportCache(store.conn).drop(key)
        return None


def kept_requests(store: Store, workspace_id: str, user_id: str) -> Kept[list[RequestView]] | None:
    """The person's requests as last fetched."""
    return thaw(store, cache_key("requests", workspace_id, user_id), RequestView.from_json)


def kept_holidays(store: Store, workspace_id: str, user_id: str) -> Kept[list[HolidayView]] | None:
    """The person's holidays as last fetched."""
    return thaw(store, cache_key("holidays", workspace_id, user_id), HolidayView.from_json)


def kept_profile(store: Store, workspace_id: str, user_id: str) -> Kept[ProfileView] | None:
    """The person's member profile as last fetched."""
    found = thaw(store, cache_key("profile", workspace_id, user_id), ProfileView.from_json)
    return None if found is None or not found.value else Kept(found.value[0], found.as_of)


def with_pending(balances: list[BalanceView], requests: list[RequestView]) -> list[BalanceView]:
    """Balances with what the person's pending requests ask for shown apart (Clockify's
    balance counts only what was approved)."""
    pending: dict[str, float] = {}
    for item in requests:
        if item.status == "PENDING":
            pending[item.policy_id] = pending.get(item.policy_id, 0.0) + item.amount
    return [
        BalanceView(**{**asdict(b), "pending": pending.get(b.policy_id, 0.0)}) for b in balances
    ]
