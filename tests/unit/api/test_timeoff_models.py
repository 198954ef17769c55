"""Time-off and holiday models read what Clockify sends tolerantly (nulls, missing parts,
numbers in a policy's unit) and refuse what cannot go back into a path."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.api.errors import ResponseFormatError
from tracker.api.models.base import decode
from tracker.api.models.holidays import Holiday
from tracker.api.models.timeoff import BalancePage, Policy, TimeOffRequest, TimeOffRequestPage

ID = "5b715612b079875110791111"


def test_nulls_read_as_empty() -> None:
    request = decode(
        TimeOffRequest,
        {"id": ID, "status": None, "timeOffPeriod": None, "balanceDiff": None, "note": None},
        what="request",
    )
    assert request.status.status_type == "PENDING"
    assert request.time_off_period.period.start is None
    assert request.balance_diff == 0
    policy = decode(Policy, {"id": ID, "approve": None, "timeUnit": "HOURS"}, what="policy")
    assert not policy.approve.requires_approval
    assert decode(BalancePage, {"balances": None}, what="b").balances == []
    assert decode(TimeOffRequestPage, {"requests": None, "count": 0}, what="r").requests == []


def test_half_balances_and_hours_are_numbers() -> None:
    page = decode(
        BalancePage,
        {"balances": [{"policyId": ID, "total": 20, "used": 2.5, "balance": 17.5}], "count": 1},
        what="balances",
    )
    assert page.balances[0].balance == 17.5


def test_an_id_that_is_not_an_id_is_refused() -> None:
    with pytest.raises(ResponseFormatError):
        decode(TimeOffRequest, {"id": "../../etc/passwd?x="}, what="request")


def test_annual_holidays_repeat_and_29_february_only_in_leap_years() -> None:
    period = {"startDate": "2024-02-29", "endDate": "2024-02-29"}
    leap = decode(Holiday, {"id": ID, "datePeriod": period, "occursAnnually": True}, what="h")
    assert leap.on(date(2028, 2, 29))
    assert not leap.on(date(2025, 2, 28))
    assert not leap.on(date(2023, 2, 28))  # before it began
    week = {"startDate": "2026-12-24", "endDate": "2026-12-26"}
    xmas = decode(Holiday, {"id": ID, "datePeriod": week, "occursAnnually": True}, what="h")
    assert xmas.days(date(2027, 12, 20), date(2027, 12, 31)) == [
        date(2027, 12, 24),
        date(2027, 12, 25),
        date(2027, 12, 26),
    ]
