"""The test server's timesheet approvals: periods, the state machine, who decides, the lock
on approved time, and the plan. Every exchange is contract-checked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.contract import ContractLog
from tests.fakeclockify import FakeClockify
from tests.fakeclockify.approvals import LOCKED_MESSAGE, set_period

from .conftest import client_for

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def demo(contract: ContractLog) -> Iterator[FakeClockify]:
    with FakeClockify("demo") as running:
        running.add_listener(contract.record)
        yield running


def person(server: FakeClockify, name: str) -> tuple[str, httpx.Client]:
    """A seeded person's id and a client with their key."""
    found = next(u for u in server.users if u.name.startswith(name))
    return found.user_id, client_for(server, found.api_key)


def last_monday(server: FakeClockify) -> date:
    today = datetime.fromtimestamp(server.state.now(), BERLIN).date()
    return today - timedelta(days=today.weekday() + 7)


def base(server: FakeClockify) -> str:
    return f"/v1/workspaces/{server.workspace_id}/approval-requests"


def submit(client: httpx.Client, server: FakeClockify, first: date, **extra: Any) -> httpx.Response:
    body = {"periodStart": f"{first.isoformat()}T00:00:00Z", "period": "WEEKLY", **extra}
    return client.post(base(server) + "/TIMESHEET", json=body)


def entry_in(server: FakeClockify, user_id: str, first: date) -> dict[str, Any]:
    low = datetime(first.year, first.month, first.day, tzinfo=BERLIN).timestamp()
    for entry in server.state.time_entries(server.workspace_id, user_id):
        start = datetime.fromisoformat(entry["timeInterval"]["start"]).timestamp()
        if low <= start < low + 7 * 86400 and entry["timeInterval"]["end"]:
            return entry
    raise AssertionError("no entry in that week")


def test_submit_reject_resubmit_approve_and_the_lock(demo: FakeClockify) -> None:
    priya_id, priya = person(demo, "Priya")
    _sam_id, sam = person(demo, "Sam")
    _chen_id, chen = person(demo, "Chen")
    week = last_monday(demo)
    with priya, sam, chen:
        made = submit(priya, demo, week)
        assert made.status_code == 201
        request = made.json()
        assert request["status"]["state"] == "PENDING"
        assert request["owner"]["userId"] == priya_id
        assert request["dateRange"]["start"].startswith(
            (week - timedelta(days=1)).isoformat()
        )  # Berlin midnight is 23:00 or 22:00 UTC the day before
        again = submit(priya, demo, week)
        assert (again.status_code, again.json()["code"]) == (400, 501)

        # Only an approver decides: the member herself, and a member who does not manage her,
        # are refused; her manager's list shows it.
        url = f"{base(demo)}/{request['id']}"
        assert priya.patch(url, json={"state": "APPROVED"}).status_code == 403
        assert chen.patch(url, json={"state": "APPROVED"}).status_code == 400  # not visible
        pending = sam.get(base(demo), params={"status": "PENDING"})
        assert [d["approvalRequest"]["id"] for d in pending.json()] == [request["id"]]
        assert pending.json()[0]["trackedTime"].startswith("PT")

        rejected = sam.patch(url, json={"state": "REJECTED", "note": "Tuesday is missing"})
        assert rejected.json()["status"] == {
            **rejected.json()["status"],
            "state": "REJECTED",
            "note": "Tuesday is missing",
        }
        mine = priya.get(base(demo)).json()
        assert mine[0]["approvalRequest"]["status"]["note"] == "Tuesday is missing"
        assert submit(priya, demo, week).status_code == 400  # rejected: resubmit instead
        resent = priya.post(
            base(demo) + "/resubmit-entries-for-approval",
            json={"periodStart": f"{week.isoformat()}T00:00:00Z", "period": "WEEKLY"},
        )
        assert (resent.status_code, resent.json()["status"]["state"]) == (200, "PENDING")

        assert sam.patch(url, json={"state": "APPROVED"}).json()["status"]["state"] == "APPROVED"
        assert sam.patch(url, json={"state": "APPROVED"}).status_code == 400

        entry = entry_in(demo, priya_id, week)
        entry_url = f"/v1/workspaces/{demo.workspace_id}/time-entries/{entry['id']}"
        refused = priya.delete(entry_url)
        assert refused.status_code == 400
        assert refused.json() == {"message": LOCKED_MESSAGE, "code": 501}
        owner = client_for(demo)
        with owner:
            assert owner.delete(entry_url).status_code == 400  # not even admins
            created = priya.post(
                f"/v1/workspaces/{demo.workspace_id}/time-entries",
                json={"start": entry["timeInterval"]["start"], "end": entry["timeInterval"]["end"]},
            )
            assert created.status_code == 400
            # An approver takes the approval back; the time can change again.
            back = owner.patch(url, json={"state": "WITHDRAWN_APPROVAL", "note": "fixing"})
            assert back.json()["status"]["state"] == "WITHDRAWN_APPROVAL"
            assert priya.delete(entry_url).status_code == 204


def test_member_withdraws_and_lists_page_by_page(demo: FakeClockify, contract: ContractLog) -> None:
    contract.allow(
        "GET",
        "/v1/workspaces/{workspaceId}/approval-requests",
        "request",
        "query status: *",
        "a status outside the enum, sent on purpose to see it refused",
    )
    _priya_id, priya = person(demo, "Priya")
    week = last_monday(demo)
    with priya:
        ids = [submit(priya, demo, week - timedelta(days=7 * n)).json()["id"] for n in range(3)]
        first = priya.get(base(demo), params={"page-size": 2, "sort-order": "DESCENDING"})
        assert first.headers["Last-Page"] == "false"
        second = priya.get(
            base(demo), params={"page-size": 2, "page": 2, "sort-order": "DESCENDING"}
        )
        assert second.headers["Last-Page"] == "true"
        listed = [d["approvalRequest"]["id"] for d in first.json() + second.json()]
        assert listed == ids
        gone = priya.patch(f"{base(demo)}/{ids[0]}", json={"state": "WITHDRAWN_SUBMISSION"})
        assert gone.json()["status"]["state"] == "WITHDRAWN_SUBMISSION"
        assert submit(priya, demo, week).status_code == 201  # submitted again afresh
        assert priya.get(base(demo), params={"status": "REJECTED"}).status_code == 400


def test_periods_follow_the_workspace_setting(demo: FakeClockify) -> None:
    _priya_id, priya = person(demo, "Priya")
    week = last_monday(demo)
    with priya:
        not_a_start = submit(priya, demo, week + timedelta(days=1))
        assert (not_a_start.status_code, not_a_start.json()["code"]) == (400, 501)
        set_period(demo.state, demo.workspace_id, "SEMI_MONTHLY")
        assert submit(priya, demo, week.replace(day=1)).status_code == 400  # says WEEKLY
        half = submit(priya, demo, week.replace(day=16), period="SEMI_MONTHLY")
        assert half.status_code == 201
        start = datetime.fromisoformat(half.json()["dateRange"]["start"]).astimezone(BERLIN)
        end = datetime.fromisoformat(half.json()["dateRange"]["end"]).astimezone(BERLIN)
        assert (start.day, (end + timedelta(seconds=1)).day) == (16, 1)
        set_period(demo.state, demo.workspace_id, "MONTHLY")
        month = submit(priya, demo, week.replace(day=1), period="MONTHLY")
        assert month.status_code == 201


def test_a_manager_submits_for_their_people_only(demo: FakeClockify) -> None:
    priya_id, _priya = person(demo, "Priya")
    chen_id, _chen = person(demo, "Chen")
    _sam_id, sam = person(demo, "Sam")
    week = last_monday(demo)
    body = {"periodStart": f"{week.isoformat()}T00:00:00Z", "period": "WEEKLY"}
    with sam:
        made = sam.post(f"{base(demo)}/users/{priya_id}/TIMESHEET", json=body)
        assert made.status_code == 201
        assert made.json()["creator"]["userName"].startswith("Sam")
        refused = sam.post(f"{base(demo)}/users/{chen_id}/TIMESHEET", json=body)
        assert refused.status_code == 403


def test_approvals_need_a_paid_plan(contract: ContractLog) -> None:
    with FakeClockify("demo", plan="FREE") as free:
        free.add_listener(contract.record)
        with client_for(free) as owner:
            answer = owner.get(base(free))
            assert answer.status_code == 403
            assert submit(owner, free, last_monday(free)).status_code == 403
