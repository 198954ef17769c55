"""Scheduling on the test server: a series is one assignment per week, series options reach
this one / this and following / all, capacity totals leave out days off, roles and plans.

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
from tests.fakeclockify.timeoff import WEEKDAYS

Call = Callable[..., httpx.Response]
_ALL = "/scheduling/assignments"


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


def project(server: FakeClockify, name: str) -> str:
    data = server.state.workspaces[server.workspace_id]
    return next(p.id for p in data.projects.values() if p.name == name)


def monday(server: FakeClockify, weeks: int = 1) -> date:
    today = datetime.fromtimestamp(server.state.now(), ZoneInfo("Europe/Berlin")).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7 * weeks)


def at(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def span(first: date, last: date) -> dict[str, str]:
    return {"start": at(first), "end": at(last)}


def create(
    server: FakeClockify, person: str, first: date, *, weeks: int = 0, hours: float = 4
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "userId": ids(server)[person],
        "projectId": project(server, "Website Redesign"),
        **span(first, first + timedelta(days=4)),
        "hoursPerDay": hours,
        "note": "launch",
    }
    if weeks:
        body["recurringAssignment"] = {"repeat": True, "weeks": weeks}
    return body


def test_a_series_is_one_assignment_per_week_and_options_reach_this_following_all(
    clockify: FakeClockify, call: Call
) -> None:
    first = monday(clockify)
    made = call(
        "Jordan Lee",
        "POST",
        f"{_ALL}/recurring",
        json=create(clockify, "Priya Shah", first, weeks=3),
    )
    assert made.status_code == 201, made.text
    series = made.json()
    assert [s["period"]["start"] for s in series] == [
        at(first + timedelta(days=7 * w)) for w in range(3)
    ]
    assert {s["recurring"]["seriesId"] for s in series} == {series[0]["recurring"]["seriesId"]}
    assert all(s["published"] is False and s["hoursPerDay"] == 4 for s in series)

    second = series[1]["id"]
    moved = call(
        "Jordan Lee",
        "PATCH",
        f"{_ALL}/recurring/{second}",
        json={
            **span(first + timedelta(days=8), first + timedelta(days=11)),
            "hoursPerDay": 6,
            "seriesUpdateOption": "THIS_AND_FOLLOWING",
        },
    )
    assert moved.status_code == 200, moved.text
    assert [m["id"] for m in moved.json()] == [s["id"] for s in series[1:]]
    assert [m["hoursPerDay"] for m in moved.json()] == [6, 6]
    assert moved.json()[1]["period"]["start"] == at(first + timedelta(days=15))

    gone = call(
        "Jordan Lee",
        "DELETE",
        f"{_ALL}/recurring/{series[0]['id']}",
        params={"seriesUpdateOption": "THIS_ONE"},
    )
    assert [g["id"] for g in gone.json()] == [series[0]["id"]]
    longer = call("Jordan Lee", "PUT", f"{_ALL}/series/{second}", json={"repeat": True, "weeks": 4})
    assert longer.status_code == 200, longer.text
    assert len(longer.json()) == 4  # counted from the series' first week left
    everything = call(
        "Jordan Lee", "DELETE", f"{_ALL}/recurring/{second}", params={"seriesUpdateOption": "ALL"}
    )
    assert len(everything.json()) == 4
    left = call("Jordan Lee", "GET", f"{_ALL}/all", params=span(first, first + timedelta(days=60)))
    assert [a for a in left.json() if a["userName"] == "Priya Shah"] == []


def test_totals_count_working_days_and_capacity_and_holidays_are_excluded(
    clockify: FakeClockify, call: Call
) -> None:
    last_monday = monday(clockify, -1)  # Founders' Day is last week's Wednesday
    made = call(
        "Alex Morgan",
        "POST",
        f"{_ALL}/recurring",
        json={
            **create(clockify, "Priya Shah", last_monday, hours=3),
            **span(last_monday, last_monday + timedelta(days=6)),
        },
    )
    assert made.status_code == 201, made.text
    excluded = {(e["date"], e["type"]) for e in made.json()[0]["excludeDays"]}
    assert excluded == {
        (at(last_monday + timedelta(days=2)), "HOLIDAY"),
        (at(last_monday + timedelta(days=5)), "WEEKEND"),
        (at(last_monday + timedelta(days=6)), "WEEKEND"),
    }
    priya = ids(clockify)["Priya Shah"]
    totals = call(
        "Alex Morgan",
        "GET",
        f"{_ALL}/users/{priya}/totals",
        params=span(last_monday, last_monday + timedelta(days=6)),
    )
    assert totals.status_code == 200, totals.text
    shown = totals.json()
    assert shown["capacityPerDay"] == 8 * 3600
    assert shown["workingDays"] == list(WEEKDAYS[:5])
    assert [d["totalHours"] for d in shown["totalHoursPerDay"]] == [3, 3, 0, 3, 3, 0, 0]

    projects = call(
        "Alex Morgan",
        "POST",
        f"{_ALL}/projects/totals",
        json=span(last_monday, last_monday + timedelta(days=6)),
    )
    website = next(p for p in projects.json() if p["projectName"] == "Website Redesign")
    assert website["totalHours"] == 12
    one = call(
        "Alex Morgan",
        "GET",
        f"{_ALL}/projects/totals/{website['projectId']}",
        params=span(last_monday, last_monday + timedelta(days=6)),
    )
    assert one.json()["totalHours"] == 12


def test_members_see_their_own_published_work_only_and_change_nothing(
    clockify: FakeClockify, call: Call
) -> None:
    first = monday(clockify)
    made = call(
        "Jordan Lee", "POST", f"{_ALL}/recurring", json=create(clockify, "Priya Shah", first)
    )
    week = span(first, first + timedelta(days=6))
    assert call("Priya Shah", "GET", f"{_ALL}/all", params=week).json() == []  # a draft
    assert call("Priya Shah", "PUT", f"{_ALL}/publish", json=week).status_code == 403
    published = call("Jordan Lee", "PUT", f"{_ALL}/publish", json={**week, "notifyUsers": False})
    assert published.status_code == 200, published.text
    mine = call("Priya Shah", "GET", f"{_ALL}/all", params=week).json()
    assert [a["id"] for a in mine] == [made.json()[0]["id"]]
    refused = call("Priya Shah", "DELETE", f"{_ALL}/recurring/{mine[0]['id']}")
    assert refused.status_code == 403
    chen = ids(clockify)["Chen Wei"]
    assert call("Priya Shah", "GET", f"{_ALL}/users/{chen}/totals", params=week).status_code == 403
    everyone = call("Priya Shah", "POST", f"{_ALL}/user-filter/totals", json=week).json()
    assert [t["userName"] for t in everyone] == ["Priya Shah"]


def test_a_manager_schedules_their_people_and_projects_only(
    clockify: FakeClockify, call: Call
) -> None:
    first = monday(clockify)
    own = call(
        "Sam Rivera", "POST", f"{_ALL}/recurring", json=create(clockify, "Priya Shah", first)
    )
    assert own.status_code == 201, own.text
    chen = create(clockify, "Chen Wei", first)
    assert call("Sam Rivera", "POST", f"{_ALL}/recurring", json=chen).status_code == 403
    on_mine = {**chen, "projectId": project(clockify, "Mobile App")}
    assert call("Sam Rivera", "POST", f"{_ALL}/recurring", json=on_mine).status_code == 201
    copied = call(
        "Sam Rivera",
        "POST",
        f"{_ALL}/{own.json()[0]['id']}/copy",
        json={"userId": ids(clockify)["Chen Wei"]},
    )
    assert copied.status_code == 403  # Chen is not Sam's, and Website Redesign is not his


def test_copy_goes_to_another_person_as_a_draft(clockify: FakeClockify, call: Call) -> None:
    first = monday(clockify)
    made = call(
        "Alex Morgan",
        "POST",
        f"{_ALL}/recurring",
        json=create(clockify, "Priya Shah", first, weeks=2),
    )
    copied = call(
        "Alex Morgan",
        "POST",
        f"{_ALL}/{made.json()[0]['id']}/copy",
        json={"userId": ids(clockify)["Chen Wei"], "seriesUpdateOption": "ALL"},
    )
    assert copied.status_code == 200, copied.text
    assert [c["userId"] for c in copied.json()] == [ids(clockify)["Chen Wei"]] * 2
    assert [c["period"] for c in copied.json()] == [m["period"] for m in made.json()]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"hoursPerDay": 0}, "Hours per day"),
        ({"hoursPerDay": 25}, "Hours per day"),
        ({"note": "x" * 101}, "Note"),
        ({"end": "2020-01-01T00:00:00Z"}, "End date"),
        ({"projectId": "64a687e29ae1f428e7ebe303"}, "Project doesn't belong"),
        ({"recurringAssignment": {"repeat": True, "weeks": 100}}, "Weeks"),
    ],
)
def test_bad_assignments_are_refused_with_clockifys_business_error(
    clockify: FakeClockify, contract: ContractLog, call: Call, body: dict[str, Any], message: str
) -> None:
    contract.allow("POST", "*/recurring", "request", "body note: maxLength", "on purpose")
    made = call(
        "Alex Morgan",
        "POST",
        f"{_ALL}/recurring",
        json={**create(clockify, "Priya Shah", monday(clockify)), **body},
    )
    assert made.status_code == 400
    assert made.json()["code"] == 501
    assert message in made.json()["message"]


def test_reads_need_start_and_end_and_page_with_last_page(
    clockify: FakeClockify, contract: ContractLog, call: Call
) -> None:
    contract.allow("GET", "*/assignments/all", "request", "query end: required", "on purpose")
    missing = call("Alex Morgan", "GET", f"{_ALL}/all", params={"start": at(monday(clockify))})
    assert (missing.status_code, missing.json()["code"]) == (400, 3000)
    week = span(monday(clockify, 0), monday(clockify, 0) + timedelta(days=6))
    first = call("Alex Morgan", "GET", f"{_ALL}/all", params={**week, "page-size": 1})
    second = call("Alex Morgan", "GET", f"{_ALL}/all", params={**week, "page-size": 1, "page": 2})
    assert (first.headers["Last-Page"], second.headers["Last-Page"]) == ("false", "true")
    assert {first.json()[0]["userName"], second.json()[0]["userName"]} == {"Chen Wei", "Sam Rivera"}


def test_scheduling_is_a_paid_feature(clockify_factory: Callable[..., FakeClockify]) -> None:
    server = clockify_factory(seed="demo", plan="STANDARD")
    path = f"{server.base_url}/v1/workspaces/{server.workspace_id}{_ALL}/all"
    first = monday(server)
    answer = httpx.get(path, params=span(first, first), headers={"X-Api-Key": server.api_key})
    assert answer.status_code == 403
    assert answer.json()["message"] == "Feature not available on your current plan"
