"""Time off as Clockify sends and takes it: policies, requests, balances (FACTS "Time off").

Read tolerantly like every response: balances and request costs are numbers in the policy's
unit (days, which may be halves, or hours); a request's period is two instants whose calendar
days are the requester's (``userTimeZone``). Requests are written exactly: a period of days is
``yyyy-MM-dd`` dates; an hourly one is two instants.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from tracker.api.models.base import Instant, NullableList, RequestModel, WireId, WireModel


def _none_to_empty(value: Any) -> Any:
    return {} if value is None else value


def _none_to_zero(value: Any) -> Any:
    return 0.0 if value is None else value


Number = Annotated[float, BeforeValidator(_none_to_zero)]
"""An amount in a policy's unit; ``null`` reads as 0."""

__all__ = [
    "Balance",
    "BalanceChange",
    "BalancePage",
    "Policy",
    "PolicyApproval",
    "PolicyStatusChange",
    "PolicyWrite",
    "RequestPeriod",
    "RequestStatus",
    "TimeOffPeriodWrite",
    "TimeOffRequest",
    "TimeOffRequestCreate",
    "TimeOffRequestPage",
    "TimeOffRequestsFilter",
    "TimeOffStatusChange",
    "TimeSpan",
    "TimeSpanWrite",
]


class PolicyApproval(WireModel):
    """Whether a policy's requests wait for approval, and whose."""

    requires_approval: bool = False
    specific_members: bool = False
    team_managers: bool = False
    user_ids: NullableList = Field(default_factory=list)


class Policy(WireModel):
    """A time-off policy (``PolicyDtoV1``)."""

    id: WireId
    name: str = ""
    time_unit: str = "DAYS"
    allow_half_day: bool = False
    allow_negative_balance: bool = False
    archived: bool = False
    everyone_including_new: bool = False
    approve: Annotated[PolicyApproval, BeforeValidator(_none_to_empty)] = Field(
        default_factory=PolicyApproval
    )


class Balance(WireModel):
    """One person's balance on one policy (``BalanceDtoV1``), in the policy's unit."""

    policy_id: str = ""
    policy_name: str = ""
    policy_time_unit: str = "DAYS"
    policy_archived: bool = False
    user_id: str = ""
    user_name: str | None = None
    total: Number = 0.0
    used: Number = 0.0
    balance: Number = 0.0


class BalancePage(WireModel):
    """``{balances, count}``."""

    balances: Annotated[list[Balance], BeforeValidator(lambda v: [] if v is None else v)] = Field(
        default_factory=list
    )
    count: int | None = None


class TimeSpan(WireModel):
    """A period as two instants."""

    start: Instant | None = None
    end: Instant | None = None


class RequestPeriod(WireModel):
    """When a request is for, and whether it is half a day."""

    half_day: Annotated[bool, BeforeValidator(lambda v: False if v is None else v)] = False
    half_day_period: str | None = None
    period: Annotated[TimeSpan, BeforeValidator(_none_to_empty)] = Field(default_factory=TimeSpan)


class RequestStatus(WireModel):
    """A request's state, and who changed it last."""

    status_type: Annotated[str, BeforeValidator(lambda v: v or "PENDING")] = "PENDING"
    note: str | None = None
    changed_at: Instant | None = None
    changed_by_user_id: str | None = None
    changed_by_user_name: str | None = None


class TimeOffRequest(WireModel):
    """A time-off request (``TimeOffRequestFullV1Dto``; a status change answers the shorter
    ``TimeOffRequestV1Dto``, which leaves out the names)."""

    id: WireId
    policy_id: str = ""
    policy_name: str | None = None
    user_id: str = ""
    user_name: str | None = None
    user_time_zone: str | None = None
    time_unit: str | None = None
    note: str | None = None
    balance_diff: Number = 0.0
    balance: float | None = None
    created_at: Instant | None = None
    status: Annotated[RequestStatus, BeforeValidator(_none_to_empty)] = Field(
        default_factory=RequestStatus
    )
    time_off_period: Annotated[RequestPeriod, BeforeValidator(_none_to_empty)] = Field(
        default_factory=RequestPeriod
    )


class TimeOffRequestPage(WireModel):
    """``{requests, count}``."""

    requests: Annotated[list[TimeOffRequest], BeforeValidator(lambda v: [] if v is None else v)] = (
        Field(default_factory=list)
    )
    count: int | None = None


# --- what we send ----------------------------------------------------------------------------


class TimeSpanWrite(RequestModel):
    """A request's period: ``yyyy-MM-dd`` days, or (hourly policies) two instants."""

    start: str
    end: str


class TimeOffPeriodWrite(RequestModel):
    """``timeOffPeriod`` of a new request."""

    period: TimeSpanWrite
    is_half_day: bool | None = None
    half_day_period: str | None = None


class TimeOffRequestCreate(RequestModel):
    """Body of ``POST /time-off/policies/{p}/requests``."""

    time_off_period: TimeOffPeriodWrite
    note: str | None = None


class TimeOffStatusChange(RequestModel):
    """Body of ``PATCH .../requests/{id}``: ``APPROVED`` or ``REJECTED``, with a note."""

    status: str
    note: str | None = None


class TimeOffRequestsFilter(RequestModel):
    """Body of ``POST /time-off/requests``: the list is a POST, paged in its body."""

    start: Instant | None = None
    end: Instant | None = None
    statuses: list[str] | None = None
    users: list[str] | None = None
    user_groups: list[str] | None = None
    page: int = 1
    page_size: int = 50


class PolicyWrite(RequestModel):
    """Body of a policy create (``POST``) or replace (``PUT``: every field is sent)."""

    name: str
    approve: PolicyApproval
    time_unit: str | None = None
    allow_half_day: bool = False
    allow_negative_balance: bool = False
    archived: bool = False
    everyone_including_new: bool = True
    has_expiration: bool = False

    @classmethod
    def of(cls, policy: Policy, **changes: object) -> PolicyWrite:
        """A full replace of ``policy`` with ``changes`` (a ``PUT`` clears what is left
        out; its unit cannot change, so it is not sent)."""
        fields: dict[str, object] = {
            "name": policy.name,
            "approve": PolicyApproval(
                requires_approval=policy.approve.requires_approval,
                specific_members=policy.approve.specific_members,
                team_managers=policy.approve.team_managers,
                user_ids=list(policy.approve.user_ids),
            ),
            "allow_half_day": policy.allow_half_day,
            "allow_negative_balance": policy.allow_negative_balance,
            "archived": policy.archived,
            "everyone_including_new": policy.everyone_including_new,
        }
        fields.update(changes)
        return cls.model_validate(fields)


class PolicyStatusChange(RequestModel):
    """Body of ``PATCH /time-off/policies/{id}``: ``ACTIVE`` or ``ARCHIVED``."""

    status: str


class BalanceChange(RequestModel):
    """Body of ``PATCH /time-off/balance/policy/{p}``: add ``value`` to these people."""

    user_ids: list[str]
    value: float
    note: str | None = None
