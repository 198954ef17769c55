"""Time off, holidays and user groups kept by the test server, and the shapes it sends them in.

Each workspace has one :class:`TimeOffBook` (found with :func:`book`), kept beside its
:class:`~tests.fakeclockify.records.WorkspaceData` rather than in it, so the time-off world
stays in the time-off modules. How a request counts against a balance, as Clockify does:

- A request on a ``DAYS`` policy costs its working days (the person's member-profile working
  days, holidays left out), or 0.5 for a half day; on an ``HOURS`` policy, the hours between
  its start and end (a day given as a date counts its daily capacity).
- A balance is ``total`` granted, ``used`` by approved requests, and ``balance = total -
  used``. Pending requests are not in the balance; a client shows them apart.
- Approving adds to ``used``; withdrawing (``DELETE``) an approved request gives it back.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakeclockify.groups import Group, groups_of
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import User, WorkspaceData
from tests.fakeclockify.wire import format_instant

__all__ = [
    "Balance",
    "Group",
    "Holiday",
    "Policy",
    "TimeOffBook",
    "TimeOffRequest",
    "balance_dto",
    "book",
    "capacity_seconds",
    "check_color",
    "holiday_dto",
    "holiday_occurs",
    "policy_dto",
    "request_dto",
    "request_full_dto",
]

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@dataclass(slots=True)
class Policy:
    """A time-off policy."""

    id: str
    name: str
    time_unit: str = "DAYS"
    allow_half_day: bool = False
    allow_negative_balance: bool = False
    requires_approval: bool = True
    team_managers: bool = True
    approver_ids: list[str] = field(default_factory=list)
    archived: bool = False
    everyone_including_new: bool = True
    user_ids: list[str] = field(default_factory=list)
    user_group_ids: list[str] = field(default_factory=list)
    color: str = "#8BC34A"
    icon: str = "UMBRELLA"
    has_expiration: bool = False


@dataclass(slots=True)
class TimeOffRequest:
    """One request for time off: its period as instants, what it costs, and its state."""

    id: str
    policy_id: str
    user_id: str
    start: int
    end: int
    half_day: bool
    half_day_period: str
    cost: float
    note: str
    created_at: int
    status: str = "PENDING"
    changed_at: int | None = None
    changed_by: str | None = None
    status_note: str = ""


@dataclass(slots=True)
class Balance:
    """What one person has on one policy."""

    id: str
    policy_id: str
    user_id: str
    total: float = 0.0
    used: float = 0.0

    @property
    def balance(self) -> float:
        return self.total - self.used


@dataclass(slots=True)
class Holiday:
    """A holiday over whole days, for everyone or some people and groups."""

    id: str
    name: str
    start: date
    end: date
    occurs_annually: bool = False
    everyone_including_new: bool = False
    user_ids: list[str] = field(default_factory=list)
    user_group_ids: list[str] = field(default_factory=list)
    color: str = "#8BC34A"


@dataclass
class TimeOffBook:
    """A workspace's policies, requests, balances, holidays and groups."""

    policies: dict[str, Policy] = field(default_factory=dict)
    requests: dict[str, TimeOffRequest] = field(default_factory=dict)
    balances: dict[tuple[str, str], Balance] = field(default_factory=dict)
    holidays: dict[str, Holiday] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)

    def groups_of(self, user_id: str) -> set[str]:
        """The ids of the groups the person is in."""
        return {g.id for g in self.groups.values() if user_id in g.user_ids}

    def covers(self, policy: Policy, user_id: str) -> bool:
        """Whether the policy applies to the person."""
        return (
            policy.everyone_including_new
            or user_id in policy.user_ids
            or bool(self.groups_of(user_id) & set(policy.user_group_ids))
        )

    def assigned(self, holiday: Holiday, user_id: str) -> bool:
        """Whether the holiday is the person's."""
        return (
            holiday.everyone_including_new
            or user_id in holiday.user_ids
            or bool(self.groups_of(user_id) & set(holiday.user_group_ids))
        )

    def balance(self, new_id: str, policy_id: str, user_id: str) -> Balance:
        """The person's balance on the policy (made, at zero, when first needed)."""
        key = (policy_id, user_id)
        found = self.balances.get(key)
        if found is None:
            found = self.balances[key] = Balance(new_id, policy_id, user_id)
        return found

    def holiday_days(self, user_id: str, first: date, last: date) -> set[date]:
        """The person's holiday days between ``first`` and ``last``."""
        days: set[date] = set()
        for holiday in self.holidays.values():
            if not self.assigned(holiday, user_id):
                continue
            day = first
            while day <= last:
                if holiday_occurs(holiday, day):
                    days.add(day)
                day += timedelta(days=1)
        return days


_BOOKS: weakref.WeakKeyDictionary[WorkspaceData, TimeOffBook] = weakref.WeakKeyDictionary()


def book(data: WorkspaceData) -> TimeOffBook:
    """The workspace's time-off book (an empty one at first)."""
    found = _BOOKS.get(data)
    if found is None:
        found = _BOOKS[data] = TimeOffBook(groups=groups_of(data))
    return found


def holiday_occurs(holiday: Holiday, day: date) -> bool:
    """Whether ``day`` is in the holiday (an annual one on the same dates every year)."""
    if holiday.start <= day <= holiday.end:
        return True
    if not holiday.occurs_annually or day < holiday.start:
        return False
    # The repeat that starts this year, or last year's when it runs over New Year.
    for shift in (day.year - holiday.start.year, day.year - holiday.start.year - 1):
        try:
            start = holiday.start.replace(year=holiday.start.year + shift)
            end = holiday.end.replace(year=holiday.end.year + shift)
        except ValueError:  # 29 February in a common year
            continue
        if start <= day <= end:
            return True
    return False


def local_day_bounds(user: User, first: date, last: date) -> tuple[int, int]:
    """Epoch seconds of the start of ``first`` and the last second of ``last``, in the
    person's zone (how Clockify stores a request over whole days)."""
    zone = ZoneInfo(user.time_zone)
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last, time(23, 59, 59), tzinfo=zone)
    return int(start.timestamp()), int(end.timestamp())


_DURATION = re.compile(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?")


def capacity_seconds(text: str) -> int:
    """Seconds of a member's ``workCapacity`` (``PT7H``, ``PT7H30M``); 0 when unreadable."""
    match = _DURATION.fullmatch(text)
    if match is None:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def check_color(value: str | None) -> str | None:
    """A ``#RRGGBB`` colour as the spec's pattern asks, or Clockify's 400."""
    if value is not None and _COLOR.fullmatch(value) is None:
        raise ApiError(400, "Provide color in format ^#(?:[0-9a-fA-F]{6}){1}$", 501)
    return value


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 4)


def policy_dto(data: WorkspaceData, policy: Policy) -> dict[str, Any]:
    """``PolicyDtoV1``."""
    return {
        "allowHalfDay": policy.allow_half_day,
        "allowNegativeBalance": policy.allow_negative_balance,
        "approve": {
            "requiresApproval": policy.requires_approval,
            "specificMembers": bool(policy.approver_ids),
            "teamManagers": policy.team_managers,
            "userIds": list(policy.approver_ids),
        },
        "archived": policy.archived,
        "color": policy.color,
        "everyoneIncludingNew": policy.everyone_including_new,
        "icon": policy.icon,
        "id": policy.id,
        "name": policy.name,
        "timeUnit": policy.time_unit,
        "userGroupIds": list(policy.user_group_ids),
        "userIds": list(policy.user_ids),
        "workspaceId": data.id,
    }


def _status(data: WorkspaceData, users: dict[str, User], item: TimeOffRequest) -> dict[str, Any]:
    changer = users.get(item.changed_by or "")
    body: dict[str, Any] = {"statusType": item.status, "note": item.status_note}
    if item.changed_at is not None:
        body["changedAt"] = format_instant(item.changed_at)
    if changer is not None:
        body["changedByUserId"] = changer.id
        body["changedByUserName"] = changer.name or changer.email
    return body


def _period(item: TimeOffRequest) -> dict[str, Any]:
    return {
        "halfDay": item.half_day,
        "halfDayPeriod": item.half_day_period,
        "period": {"start": format_instant(item.start), "end": format_instant(item.end)},
    }


def request_dto(
    data: WorkspaceData, users: dict[str, User], item: TimeOffRequest
) -> dict[str, Any]:
    """``TimeOffRequestV1Dto`` (a status change or a withdrawal answers with it)."""
    return {
        "balanceDiff": _number(item.cost),
        "createdAt": format_instant(item.created_at),
        "id": item.id,
        "note": item.note,
        "policyId": item.policy_id,
        "status": _status(data, users, item),
        "timeOffPeriod": _period(item),
        "userId": item.user_id,
        "workspaceId": data.id,
    }


def request_full_dto(
    data: WorkspaceData, users: dict[str, User], item: TimeOffRequest
) -> dict[str, Any]:
    """``TimeOffRequestFullV1Dto`` (a creation and the list answer with it)."""
    books = book(data)
    policy = books.policies[item.policy_id]
    user = users[item.user_id]
    held = books.balances.get((policy.id, user.id))
    return {
        **request_dto(data, users, item),
        "balance": _number(held.balance if held else 0.0),
        "policyName": policy.name,
        "requesterUserId": user.id,
        "requesterUserName": user.name or user.email,
        "timeUnit": policy.time_unit,
        "userEmail": user.email,
        "userName": user.name or user.email,
        "userTimeZone": user.time_zone,
    }


def balance_dto(data: WorkspaceData, users: dict[str, User], held: Balance) -> dict[str, Any]:
    """``BalanceDtoV1``."""
    policy = book(data).policies[held.policy_id]
    user = users[held.user_id]
    return {
        "balance": _number(held.balance),
        "id": held.id,
        "negativeBalanceAmount": 0,
        "negativeBalanceLimit": policy.allow_negative_balance,
        "negativeBalanceUsed": _number(max(0.0, -held.balance)),
        "policyArchived": policy.archived,
        "policyId": policy.id,
        "policyName": policy.name,
        "policyTimeUnit": policy.time_unit,
        "total": _number(held.total),
        "used": _number(held.used),
        "userId": user.id,
        "userName": user.name or user.email,
        "workspaceId": data.id,
    }


def holiday_dto(data: WorkspaceData, holiday: Holiday) -> dict[str, Any]:
    """``HolidayDtoV1``."""
    return {
        "automaticTimeEntryCreation": False,
        "datePeriod": {
            "startDate": holiday.start.isoformat(),
            "endDate": holiday.end.isoformat(),
        },
        "everyoneIncludingNew": holiday.everyone_including_new,
        "id": holiday.id,
        "name": holiday.name,
        "occursAnnually": holiday.occurs_annually,
        "userGroupIds": list(holiday.user_group_ids),
        "userIds": list(holiday.user_ids),
        "workspaceId": data.id,
    }


def epoch_day(epoch: int, zone: str) -> date:
    """The person's calendar day of an instant."""
    return datetime.fromtimestamp(epoch, UTC).astimezone(ZoneInfo(zone)).date()
