"""Time off, holidays and member profiles on the test server: roles, plans, balances, paging.

Raw HTTP over loopback through the contract-checked ``clockify`` fixture, so every request and
answer here is also checked against the official document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.contract import ContractLog
from tests.fakeclockify import FakeClockify
from tests.fakeclockify.timeoff_seed import HOLIDAY_NAME, HOURS_POLICY, VACATION_POLICY

Call = Callable[..., httpx.Response]


@pytest.fixture
def call(clockify: FakeClockify) -> Iterator[Call]:
    """``call(person, method, path, **httpx options)`` in the demo workspace."""
    keys = {u.name: u.api_key for u in clockify.users}
    with httpx.Client(base_url=f"{clockify.base_url}/v1/workspaces/{clockify.workspace_id}") as c:

        def go(who: str, method: str, path: str, **options: Any) -> httpx.Response:
            return c.request(method, path, headers={"X-Api-Key": keys[who]}, **options)

        yield go


def ids(server: FakeClockify) -> dict[str, str]:
    return {u.name: u.user_id for u in server.users}


def policy_id(call: Call, name: str) -> str:
    found = [p for p in call("Priya Shah", "GET", "/time-off/policies").json() if p["name"] == name]
    return str(found[0]["id"])


def next_weekday(server: FakeClockify, weekday: int, weeks: int = 1) -> date:
    today = datetime.fromtimestamp(server.state.now(), ZoneInfo("Europe/Berlin")).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7 * weeks + weekday)


def ask(day: date, last: date | None = None, **period: Any) -> dict[str, Any]:
    return {
        "timeOffPeriod": {
            "period": {"start": day.isoformat(), "end": (last or day).isoformat()},
            **period,
        },
        "note": "family visit",
    }


def vacation(call: Call, who: str, user_id: str) -> dict[str, Any]:
    rows = call(who, "GET", f"/time-off/balance/user/{user_id}").json()["balances"]
    return next(b for b in rows if b["policyName"] == VACATION_POLICY)


def test_request_approve_and_withdraw_move_the_balance(clockify: FakeClockify, call: Call) -> None:
    people = ids(clockify)
    vac = policy_id(call, VACATION_POLICY)
    monday = next_weekday(clockify, 0)
    made = call("Priya Shah", "POST", f"/time-off/policies/{vac}/requests", json=ask(monday))
    assert made.status_code == 200, made.text
    body = made.json()
    assert body["status"]["statusType"] == "PENDING"
    assert body["balanceDiff"] == 1
    assert body["userTimeZone"] == "Europe/Berlin"
    assert vacation(call, "Priya Shah", people["Priya Shah"])["used"] == 0  # pending is apart
    path = f"/time-off/policies/{vac}/requests/{body['id']}"
    refused = call("Chen Wei", "PATCH", path, json={"status": "APPROVED"})
    assert refused.status_code == 403  # a member of another team
    approved = call("Sam Rivera", "PATCH", path, json={"status": "APPROVED", "note": "enjoy"})
    assert approved.status_code == 200
    assert approved.json()["status"]["changedByUserName"] == "Sam Rivera"
    held = vacation(call, "Priya Shah", people["Priya Shah"])
    assert (held["total"], held["used"], held["balance"]) == (25, 1, 24)
    again = call("Sam Rivera", "PATCH", path, json={"status": "REJECTED"})
    assert again.status_code == 400
    assert "already approved" in again.json()["message"]
    assert call("Chen Wei", "DELETE", path).status_code == 403  # not theirs
    assert call("Priya Shah", "DELETE", path).status_code == 200
    assert vacation(call, "Priya Shah", people["Priya Shah"])["used"] == 0


def test_days_count_working_days_without_holidays_and_half_days(
    clockify: FakeClockify, call: Call
) -> None:
    vac = policy_id(call, VACATION_POLICY)
    monday = next_weekday(clockify, 0, weeks=2)
    week = call(
        "Chen Wei",
        "POST",
        f"/time-off/policies/{vac}/requests",
        json=ask(monday, monday + timedelta(days=6)),
    )
    assert week.json()["balanceDiff"] == 5  # Saturday and Sunday are not working days
    tuesday = next_weekday(clockify, 1, weeks=3)
    half = ask(tuesday, isHalfDay=True, halfDayPeriod="FIRST_HALF")
    made = call("Chen Wei", "POST", f"/time-off/policies/{vac}/requests", json=half)
    assert made.json()["balanceDiff"] == 0.5
    assert made.json()["timeOffPeriod"]["halfDayPeriod"] == "FIRST_HALF"
    overlap = call("Chen Wei", "POST", f"/time-off/policies/{vac}/requests", json=ask(tuesday))
    assert overlap.status_code == 400
    assert "overlaps" in overlap.json()["message"]
    hours = policy_id(call, HOURS_POLICY)
    no_half = call("Chen Wei", "POST", f"/time-off/policies/{hours}/requests", json=half)
    assert no_half.status_code == 400
    start = datetime.combine(
        next_weekday(clockify, 3, weeks=3), datetime.min.time(), ZoneInfo("UTC")
    )
    timed = {
        "timeOffPeriod": {
            "period": {
                "start": start.replace(hour=9).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": start.replace(hour=11, minute=30).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        }
    }
    by_hours = call("Chen Wei", "POST", f"/time-off/policies/{hours}/requests", json=timed)
    assert by_hours.status_code == 200, by_hours.text
    assert by_hours.json()["balanceDiff"] == 2.5
    assert by_hours.json()["timeUnit"] == "HOURS"


def test_balance_limits_and_admin_changes(clockify: FakeClockify, call: Call) -> None:
    people = ids(clockify)
    vac = policy_id(call, VACATION_POLICY)
    monday = next_weekday(clockify, 0, weeks=1)
    too_long = ask(monday, monday + timedelta(days=7 * 6))  # 30 working days, 25 held
    refused = call("Chen Wei", "POST", f"/time-off/policies/{vac}/requests", json=too_long)
    assert refused.status_code == 400
    assert "balance" in refused.json()["message"]
    change = {"userIds": [people["Chen Wei"]], "value": 10, "note": "carried over"}
    assert (
        call("Chen Wei", "PATCH", f"/time-off/balance/policy/{vac}", json=change).status_code == 403
    )
    assert (
        call("Jordan Lee", "PATCH", f"/time-off/balance/policy/{vac}", json=change).status_code
        == 204
    )
    assert vacation(call, "Chen Wei", people["Chen Wei"])["total"] == 35
    assert (
        call("Chen Wei", "POST", f"/time-off/policies/{vac}/requests", json=too_long).status_code
        == 200
    )
    assert (
        call("Chen Wei", "GET", f"/time-off/balance/user/{people['Priya Shah']}").status_code == 403
    )
    assert (
        call("Sam Rivera", "GET", f"/time-off/balance/user/{people['Priya Shah']}").status_code
        == 200
    )
    everyone = call(
        "Alex Morgan", "GET", f"/time-off/balance/policy/{vac}", params={"page-size": 2}
    )
    assert everyone.json()["count"] == len(clockify.users)
    assert len(everyone.json()["balances"]) == 2
    assert everyone.headers["last-page"] == "false"


def test_request_list_is_a_post_paged_in_the_body_and_filtered_by_role(
    clockify: FakeClockify, call: Call, contract: ContractLog
) -> None:
    vac = policy_id(call, VACATION_POLICY)
    for weeks, who in ((1, "Priya Shah"), (2, "Priya Shah"), (1, "Chen Wei")):
        day = next_weekday(clockify, 2, weeks=weeks)
        assert (
            call(who, "POST", f"/time-off/policies/{vac}/requests", json=ask(day)).status_code
            == 200
        )

    def listed(who: str, **body: Any) -> dict[str, Any]:
        answer = call(who, "POST", "/time-off/requests", json=body)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    assert listed("Alex Morgan")["count"] == 3
    assert listed("Sam Rivera")["count"] == 2  # Priya's, whom Sam manages
    assert listed("Chen Wei")["count"] == 1  # only their own
    page = listed("Alex Morgan", page=2, pageSize=2)
    assert page["count"] == 3
    assert len(page["requests"]) == 1
    assert listed("Alex Morgan", statuses=["APPROVED"])["count"] == 0
    contract.allow("POST", "*/time-off/requests", "request", "body pageSize: maximum", "on purpose")
    assert (
        call("Alex Morgan", "POST", "/time-off/requests", json={"pageSize": 201}).status_code == 400
    )


def test_policies_are_managed_by_admins_and_archived_before_deletion(
    clockify: FakeClockify, call: Call
) -> None:
    new = {
        "name": "Parental leave",
        "approve": {"requiresApproval": False},
        "timeUnit": "DAYS",
        "allowNegativeBalance": True,
        "everyoneIncludingNew": True,
    }
    assert call("Priya Shah", "POST", "/time-off/policies", json=new).status_code == 403
    made = call("Jordan Lee", "POST", "/time-off/policies", json=new)
    assert made.status_code == 201
    path = f"/time-off/policies/{made.json()['id']}"
    auto = call("Chen Wei", "POST", f"{path}/requests", json=ask(next_weekday(clockify, 4)))
    assert auto.json()["status"]["statusType"] == "APPROVED"  # no approval needed
    assert auto.json()["balance"] == -1  # negative balance allowed
    assert call("Jordan Lee", "DELETE", path).status_code == 400  # still active
    archived = call("Jordan Lee", "PATCH", path, json={"status": "ARCHIVED"})
    assert archived.json()["archived"] is True
    listed = call("Priya Shah", "GET", "/time-off/policies", params={"status": "ACTIVE"}).json()
    assert "Parental leave" not in {p["name"] for p in listed}
    late = call(
        "Chen Wei", "POST", f"{path}/requests", json=ask(next_weekday(clockify, 4, weeks=2))
    )
    assert late.status_code == 400
    assert "archived" in late.json()["message"]
    assert call("Jordan Lee", "DELETE", path).status_code == 200
    assert call("Jordan Lee", "GET", path).status_code == 400


def test_holidays_assigned_annual_and_in_period(
    clockify: FakeClockify, call: Call, contract: ContractLog
) -> None:
    people = ids(clockify)
    seeded = call("Chen Wei", "GET", "/holidays").json()
    assert [h["name"] for h in seeded] == [HOLIDAY_NAME]
    day = date.fromisoformat(seeded[0]["datePeriod"]["startDate"])
    assert day.weekday() == 2
    assert seeded[0]["occursAnnually"] is True
    next_year = day.replace(year=day.year + 1)
    window = {
        "assigned-to": people["Chen Wei"],
        "start": f"{next_year.isoformat()}T00:00:00Z",
        "end": f"{next_year.isoformat()}T23:59:59Z",
    }
    assert len(call("Chen Wei", "GET", "/holidays/in-period", params=window).json()) == 1
    only_priya = {
        "name": "Team day",
        "datePeriod": {"startDate": "2027-03-01", "endDate": "2027-03-02"},
        "occursAnnually": False,
        "users": {"ids": [people["Priya Shah"]]},
    }
    assert call("Priya Shah", "POST", "/holidays", json=only_priya).status_code == 403
    made = call("Alex Morgan", "POST", "/holidays", json=only_priya)
    assert made.status_code == 200
    mine = call("Chen Wei", "GET", "/holidays", params={"assigned-to": people["Chen Wei"]}).json()
    assert [h["name"] for h in mine] == [HOLIDAY_NAME]
    theirs = call("Chen Wei", "GET", "/holidays", params={"assigned-to": people["Priya Shah"]})
    assert {h["name"] for h in theirs.json()} == {HOLIDAY_NAME, "Team day"}
    path = f"/holidays/{made.json()['id']}"
    moved = call("Alex Morgan", "PUT", path, json={**only_priya, "name": "Team days"})
    assert moved.json()["name"] == "Team days"
    gone = call("Alex Morgan", "DELETE", path)
    assert gone.json()["users"] == [{"id": people["Priya Shah"], "name": "Priya Shah"}]
    for missing in ("start", "end"):
        contract.allow(
            "GET", "*/holidays/in-period", "request", f"query {missing}: required", "on purpose"
        )
    answer = call(
        "Chen Wei", "GET", "/holidays/in-period", params={"assigned-to": people["Chen Wei"]}
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == 3000


def test_an_annual_holiday_over_new_year_is_in_every_later_january(
    clockify: FakeClockify, call: Call
) -> None:
    people = ids(clockify)
    made = call(
        "Alex Morgan",
        "POST",
        "/holidays",
        json={
            "name": "New Year",
            "datePeriod": {"startDate": "2025-12-31", "endDate": "2026-01-01"},
            "occursAnnually": True,
            "everyoneIncludingNew": True,
        },
    )
    assert made.status_code == 200
    for day in ("2027-12-31", "2028-01-01"):
        window = {
            "assigned-to": people["Chen Wei"],
            "start": f"{day}T00:00:00Z",
            "end": f"{day}T23:59:59Z",
        }
        found = call("Chen Wei", "GET", "/holidays/in-period", params=window).json()
        assert "New Year" in [h["name"] for h in found], day


def test_member_profile_capacity_is_set_by_admins(clockify: FakeClockify, call: Call) -> None:
    people = ids(clockify)
    path = f"/member-profile/{people['Priya Shah']}"
    change = {"workCapacity": "PT6H", "workingDays": ["MONDAY", "TUESDAY", "THURSDAY"]}
    assert call("Priya Shah", "PATCH", path, json=change).status_code == 403
    assert (
        call("Priya Shah", "PATCH", path, json={"weekStart": "SUNDAY"}).json()["weekStart"]
        == "SUNDAY"
    )
    changed = call("Jordan Lee", "PATCH", path, json=change).json()
    assert changed["workCapacity"] == "PT6H"
    assert changed["workingDays"] == ["MONDAY", "TUESDAY", "THURSDAY"]
    assert call("Priya Shah", "GET", path).json()["workCapacity"] == "PT6H"


def test_time_off_and_holidays_need_a_paid_plan(
    clockify_factory: Callable[..., FakeClockify],
) -> None:
    free = clockify_factory(seed="demo", plan="FREE")
    base = f"{free.base_url}/v1/workspaces/{free.workspace_id}"
    with httpx.Client(headers={"X-Api-Key": free.api_key}) as c:
        for path in ("/time-off/policies", "/holidays"):
            answer = c.get(base + path)
            assert answer.status_code == 403, path
            assert answer.json()["message"] == "Feature not available on your current plan"
        assert c.get(f"{base}/member-profile/{free.user_id}").status_code == 200


def test_back_to_back_hours_do_not_overlap(clockify: FakeClockify, call: Call) -> None:
    hourly = policy_id(call, HOURS_POLICY)
    tuesday = next_weekday(clockify, 1, weeks=3)
    path = f"/time-off/policies/{hourly}/requests"

    def hours(start: str, end: str) -> dict[str, Any]:
        day = tuesday.isoformat()
        return {"timeOffPeriod": {"period": {"start": f"{day}T{start}Z", "end": f"{day}T{end}Z"}}}

    first = call("Priya Shah", "POST", path, json=hours("07:00:00", "09:00:00"))
    assert first.status_code == 200, first.text
    after = call("Priya Shah", "POST", path, json=hours("09:00:00", "10:00:00"))
    assert after.status_code == 200, after.text  # starts as the first one ends
    over = call("Priya Shah", "POST", path, json=hours("08:30:00", "09:30:00"))
    assert over.status_code == 400
    assert "overlaps" in over.json()["message"]
