"""The test server's Reports host: reports computed from every user's stored entries, roles,
plans, filters, exports and shared reports. Every exchange is contract-checked."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook

from tests.contract import ContractLog
from tests.fakeclockify import FakeClockify
from tests.fakeclockify.records import Entry

from .conftest import http_client

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def demo(contract: ContractLog) -> Iterator[FakeClockify]:
    with FakeClockify("demo") as running:
        running.add_listener(contract.record)
        yield running


@pytest.fixture
def free(contract: ContractLog) -> Iterator[FakeClockify]:
    with FakeClockify("demo", plan="FREE") as running:
        running.add_listener(contract.record)
        yield running


def reports(server: FakeClockify, role: str = "OWNER") -> httpx.Client:
    return http_client(base_url=server.reports_url, headers={"X-Api-Key": server.key_for(role)})


def today(server: FakeClockify) -> date:
    return datetime.fromtimestamp(server.state.now(), BERLIN).date()


def span(first: date, last: date, **extra: Any) -> dict[str, Any]:
    return {
        "dateRangeStart": f"{first.isoformat()}T00:00:00",
        "dateRangeEnd": f"{last.isoformat()}T23:59:59.999",
        "timeZone": "Europe/Berlin",
        **extra,
    }


def stored(server: FakeClockify, first: date, last: date) -> list[Entry]:
    """Every finished entry of every user whose start falls in the Berlin days given."""
    low = int(datetime(first.year, first.month, first.day, tzinfo=BERLIN).timestamp())
    end = last + timedelta(days=1)
    high = int(datetime(end.year, end.month, end.day, tzinfo=BERLIN).timestamp())
    data = server.state.workspaces[server.workspace_id]
    return [e for e in data.entries.values() if e.end is not None and low <= e.start < high]


def path(server: FakeClockify, kind: str) -> str:
    return f"/v1/workspaces/{server.workspace_id}/reports/{kind}"


def test_summary_adds_up_every_users_stored_time(demo: FakeClockify) -> None:
    last = today(demo) - timedelta(days=1)
    first = last - timedelta(days=29)
    body = span(first, last, summaryFilter={"groups": ["USER", "PROJECT", "TASK"]})
    with reports(demo) as api:
        answer = api.post(path(demo, "summary"), json=body)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    entries = stored(demo, first, last)
    seconds = sum((e.end or 0) - e.start for e in entries)
    (totals,) = report["totals"]
    assert totals["_id"] == ""  # FACTS §4: totals carry an empty _id
    assert totals["totalTime"] == seconds
    assert totals["entriesCount"] == len(entries)
    assert totals["totalBillableTime"] == sum((e.end or 0) - e.start for e in entries if e.billable)
    assert {g["_id"] for g in report["groupOne"]} == {e.user_id for e in entries}
    assert len(report["groupOne"]) == 5  # the owner and the whole team
    for user in report["groupOne"]:
        assert isinstance(user["duration"], int)
        assert user["duration"] == sum(p["duration"] for p in user["children"])
        for project in user["children"]:
            assert project["duration"] == sum(t["duration"] for t in project["children"])
    assert sum(g["amount"] for g in report["groupOne"]) == totals["totalAmount"]


def test_amounts_are_cents_from_the_entrys_rate(demo: FakeClockify) -> None:
    """Alex's Website Redesign work bills at the project's 120.00 EUR; Chen, who has no rate of
    their own, bills the workspace's 95.00 EUR elsewhere."""
    data = demo.state.workspaces[demo.workspace_id]
    website = next(p for p in data.projects.values() if p.name == "Website Redesign")
    day = today(demo) - timedelta(days=2)
    start = int(datetime(day.year, day.month, day.day, 6, tzinfo=BERLIN).timestamp())
    demo.state.add_entry(
        demo.workspace_id, demo.user_id, start, start + 5400, project_id=website.id, billable=True
    )
    body = span(
        day,
        day,
        detailedFilter={"page": 1, "pageSize": 200},
        users={"ids": [demo.user_id], "contains": "CONTAINS"},
        projects={"ids": [website.id], "contains": "CONTAINS"},
    )
    with reports(demo) as api:
        report = api.post(path(demo, "detailed"), json=body).json()
    mine = next(e for e in report["timeEntries"] if e["timeInterval"]["duration"] == 5400)
    assert mine["rate"] == 12000
    assert mine["amount"] == 18000  # 1.5 h at 120.00
    assert mine["timeInterval"]["start"].endswith(("+01:00", "+02:00"))  # the report's zone
    assert mine["_id"]
    for line in report["timeEntries"]:  # what each field means, not only its type
        interval = line["timeInterval"]
        span_seconds = datetime.fromisoformat(interval["end"]) - datetime.fromisoformat(
            interval["start"]
        )
        assert interval["duration"] == span_seconds.total_seconds()
        assert line["projectName"] == data.projects[line["projectId"]].name
        assert line["userName"] == demo.state.users[line["userId"]].name
        assert line["amount"] == (
            round(interval["duration"] * line["rate"] / 3600) if line["billable"] else 0
        )
    (totals,) = report["totals"]
    assert totals["totalAmount"] == sum(line["amount"] for line in report["timeEntries"])
    assert totals["amounts"] == [{"type": "EARNED", "value": totals["totalAmount"]}]


def test_detailed_pages_by_body_and_totals_cover_every_page(demo: FakeClockify) -> None:
    last = today(demo) - timedelta(days=1)
    first = last - timedelta(days=13)
    seen: list[str] = []
    totals: list[dict[str, Any]] = []
    with reports(demo) as api:
        for page in range(1, 100):
            body = span(first, last, detailedFilter={"page": page, "pageSize": 25})
            report = api.post(path(demo, "detailed"), json=body).json()
            totals.append(report["totals"][0])
            if not report["timeEntries"]:
                break
            seen.extend(e["_id"] for e in report["timeEntries"])
    entries = stored(demo, first, last)
    assert sorted(seen) == sorted(e.id for e in entries)
    assert all(t == totals[0] for t in totals)
    assert totals[0]["entriesCount"] == len(entries)


def test_filters_narrow_the_entries(demo: FakeClockify) -> None:
    data = demo.state.workspaces[demo.workspace_id]
    last = today(demo) - timedelta(days=1)
    first = last - timedelta(days=29)
    entries = stored(demo, first, last)
    tag = next(t for t in data.tags.values() if t.name == "meeting")
    client = next(c for c in data.clients.values() if c.name == "Globex Corporation")
    cases: list[tuple[dict[str, Any], list[Entry]]] = [
        ({"billable": False}, [e for e in entries if not e.billable]),
        (
            {"tags": {"ids": [tag.id], "contains": "CONTAINS"}},
            [e for e in entries if tag.id in (e.tag_ids or [])],
        ),
        (
            {"tags": {"ids": [tag.id], "contains": "DOES_NOT_CONTAIN"}},
            [e for e in entries if tag.id not in (e.tag_ids or [])],
        ),
        (
            {"clients": {"ids": [client.id], "contains": "CONTAINS"}},
            [e for e in entries if data.projects[e.project_id or ""].client_id == client.id],
        ),
        ({"description": "standup"}, [e for e in entries if "standup" in e.description.lower()]),
        ({"withoutDescription": True}, [e for e in entries if not e.description]),
        (
            {"tasks": {"ids": [""], "contains": "CONTAINS"}},  # "" = without task
            [e for e in entries if not e.task_id],
        ),
    ]
    with reports(demo) as api:
        for extra, expected in cases:
            body = span(first, last, summaryFilter={"groups": ["PROJECT"]}, **extra)
            (totals,) = api.post(path(demo, "summary"), json=body).json()["totals"]
            assert totals["entriesCount"] == len(expected), extra
            assert totals["totalTime"] == sum((e.end or 0) - e.start for e in expected), extra


def test_archived_project_status_filter(demo: FakeClockify) -> None:
    data = demo.state.workspaces[demo.workspace_id]
    legacy = next(p for p in data.projects.values() if p.archived)
    last = today(demo) - timedelta(days=1)
    first = last - timedelta(days=29)
    with reports(demo) as api:
        body = span(
            first, last, summaryFilter={"groups": ["PROJECT"]}, projects={"status": "ARCHIVED"}
        )
        archived = api.post(path(demo, "summary"), json=body).json()["groupOne"]
        body["projects"] = {"status": "ACTIVE"}
        active = api.post(path(demo, "summary"), json=body).json()["groupOne"]
    assert {g["_id"] for g in archived} <= {legacy.id}
    assert legacy.id not in {g["_id"] for g in active}


def test_a_member_sees_only_their_own_time_and_a_manager_their_people(demo: FakeClockify) -> None:
    ids = {u.role: u.user_id for u in reversed(demo.users)}  # the first of each role
    priya = next(u.user_id for u in demo.users if u.name == "Priya Shah")
    data = demo.state.workspaces[demo.workspace_id]
    mobile = next(p.id for p in data.projects.values() if p.name == "Mobile App")
    last = today(demo) - timedelta(days=1)
    first = last - timedelta(days=29)
    body = span(first, last, summaryFilter={"groups": ["USER"]})
    entries = stored(demo, first, last)
    expected = {
        "OWNER": entries,
        "ADMIN": entries,
        "MANAGER": [
            e for e in entries if e.user_id in (ids["MANAGER"], priya) or e.project_id == mobile
        ],
        "MEMBER": [e for e in entries if e.user_id == ids["MEMBER"]],
    }
    for role, visible in expected.items():
        with reports(demo, role) as api:
            answer = api.post(path(demo, "summary"), json=body)
        assert answer.status_code == 200
        report = answer.json()
        assert report["totals"][0]["entriesCount"] == len(visible), role
        assert {g["_id"] for g in report["groupOne"]} == {e.user_id for e in visible}, role
    assert 0 < len(expected["MEMBER"]) < len(expected["MANAGER"]) < len(entries)


def test_a_member_sees_everyone_where_the_workspace_allows_it(demo: FakeClockify) -> None:
    demo.state.workspaces[demo.workspace_id].workspace.settings["onlyAdminsSeeAllTimeEntries"] = (
        False
    )
    last = today(demo) - timedelta(days=1)
    body = span(last - timedelta(days=6), last, summaryFilter={"groups": ["USER"]})
    with reports(demo, "MEMBER") as api:
        groups = api.post(path(demo, "summary"), json=body).json()["groupOne"]
    assert {g["_id"] for g in groups} == {
        e.user_id for e in stored(demo, last - timedelta(days=6), last)
    }
    assert len(groups) == 5


def test_free_plan_refuses_more_than_31_days(free: FakeClockify) -> None:
    assert free.state.workspace(free.workspace_id)["featureSubscriptionType"] == "FREE"
    last = today(free) - timedelta(days=1)
    with reports(free) as api:
        ok = api.post(
            path(free, "summary"), json=span(last - timedelta(days=30), last, summaryFilter={})
        )
        refused = api.post(
            path(free, "detailed"), json=span(last - timedelta(days=31), last, detailedFilter={})
        )
    assert ok.status_code == 200
    assert refused.status_code == 400
    assert refused.json() == {
        "message": "Detailed report data on FREE subscription plan is limited to a maximum "
        "interval length of one month (31 days).",
        "code": 501,
    }


@pytest.mark.parametrize("plan", ["FREE", "STANDARD", "PRO", "ENTERPRISE"])
def test_plan_sets_subscription_and_features(plan: str) -> None:
    server = FakeClockify("demo", plan=plan)
    workspace = server.state.workspace(server.workspace_id)
    assert workspace["featureSubscriptionType"].startswith(plan)
    assert ("CUSTOM_FIELDS" in workspace["features"]) == (plan != "FREE")
    assert ("UNLIMITED_REPORTS" in workspace["features"]) == (plan != "FREE")


def test_weekly_needs_exactly_seven_days(demo: FakeClockify) -> None:
    monday = today(demo) - timedelta(days=today(demo).weekday() + 7)
    with reports(demo) as api:
        week = api.post(
            path(demo, "weekly"),
            json=span(monday, monday + timedelta(days=6), weeklyFilter={"group": "USER"}),
        )
        eight = api.post(
            path(demo, "weekly"),
            json=span(monday, monday + timedelta(days=7), weeklyFilter={"group": "USER"}),
        )
    assert week.status_code == 200
    report = week.json()
    assert [d["date"] for d in report["totalsByDay"]] == [
        (monday + timedelta(days=n)).isoformat() for n in range(7)
    ]
    for group in report["groupOne"]:
        assert sum(d["duration"] for d in group["days"]) == group["duration"]
    assert sum(d["duration"] for d in report["totalsByDay"]) == report["totals"][0]["totalTime"]
    assert eight.status_code == 400
    assert eight.json()["code"] == 501


def test_attendance_has_one_line_per_person_and_day(demo: FakeClockify) -> None:
    day = today(demo) - timedelta(days=today(demo).weekday() + 7)  # a Monday
    with reports(demo) as api:
        answer = api.post(path(demo, "attendance"), json=span(day, day, attendanceFilter={}))
    entities = answer.json()["entities"]
    people = {e.user_id for e in stored(demo, day, day)}
    assert {e["userId"] for e in entities} == people
    for line in entities:
        assert line["date"] == day.isoformat()
        assert line["capacity"] == 8 * 3600
        assert line["overtime"] == max(0, line["totalDuration"] - line["capacity"])


def test_exports_are_real_files(demo: FakeClockify) -> None:
    last = today(demo) - timedelta(days=1)
    first = last - timedelta(days=6)
    entries = stored(demo, first, last)
    files: dict[str, httpx.Response] = {}
    with reports(demo) as api:
        for kind in ("CSV", "XLSX", "PDF"):
            body = span(first, last, detailedFilter={"page": 1, "pageSize": 5}, exportType=kind)
            files[kind] = api.post(path(demo, "detailed"), json=body)
    rows = list(csv.reader(io.StringIO(files["CSV"].content.decode("utf-8-sig"))))
    assert files["CSV"].headers["content-type"] == "text/csv"
    assert rows[0][:3] == ["Project", "Client", "Description"]
    assert len(rows) == 1 + len(entries)  # an export is every entry, not one page
    sheet = load_workbook(io.BytesIO(files["XLSX"].content)).active
    assert sheet is not None
    assert sheet.max_row == 1 + len(entries)
    assert files["PDF"].headers["content-type"] == "application/pdf"
    assert_well_formed_pdf(files["PDF"].content)
    assert b"Detailed report" in files["PDF"].content


def assert_well_formed_pdf(pdf: bytes) -> None:
    """The header, the trailer, and a cross-reference table whose every offset lands on the
    object it names: what a viewer needs to open the file."""
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    xref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[xref:].startswith(b"xref")
    table = pdf[xref:].split(b"trailer", 1)[0].splitlines()
    count = int(table[1].split()[1])
    offsets = [int(line.split()[0]) for line in table[3 : 2 + count]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)


def test_shared_reports_lifecycle(demo: FakeClockify) -> None:
    member = next(u for u in demo.users if u.role == "MEMBER")
    last = today(demo) - timedelta(days=1)
    filter_body = span(last - timedelta(days=6), last, summaryFilter={"groups": ["USER"]})
    base = f"/v1/workspaces/{demo.workspace_id}/shared-reports"
    with reports(demo) as owner, reports(demo, "MEMBER") as other:
        created = owner.post(
            base,
            json={
                "name": "Team week",
                "type": "SUMMARY",
                "filter": filter_body,
                "visibleToUsers": [member.user_id],
            },
        )
        assert created.status_code == 200
        report_id = created.json()["id"]
        listed = owner.get(base, params={"page": 1, "pageSize": 10}).json()
        assert listed["count"] == 1
        assert listed["reports"][0]["reportAuthor"] == demo.user_id
        assert (
            other.get(base, params={"sharedReportsFilter": "SHARED_WITH_ME"}).json()["count"] == 1
        )
        opened = other.get(f"/v1/shared-reports/{report_id}")
        assert opened.status_code == 200
        assert len(opened.json()["groupOne"]) == 5  # rendered with its author's view
        assert other.put(f"{base}/{report_id}", json={"name": "Mine now"}).status_code == 403
        renamed = owner.put(f"{base}/{report_id}", json={"name": "Last week"})
        assert renamed.json()["name"] == "Last week"
        assert owner.delete(f"{base}/{report_id}").status_code == 204
        assert owner.get(base).json() == {"reports": [], "count": 0}


def test_reports_are_only_on_the_reports_host() -> None:
    """Asked of the main host, a report path is an unknown route (not contract-checked: no
    such operation exists there)."""
    with (
        FakeClockify("demo") as demo,
        http_client(base_url=demo.base_url, headers={"X-Api-Key": demo.api_key}) as api,
    ):
        answer = api.post(
            path(demo, "summary"), json=span(today(demo), today(demo), summaryFilter={})
        )
    assert answer.status_code == 404
    assert answer.json()["code"] == 3000


def test_bad_report_bodies_get_clockify_shaped_errors(
    demo: FakeClockify, contract: ContractLog
) -> None:
    contract.allow("POST", "*", "request", "body*", "bad report bodies on purpose")
    day = today(demo) - timedelta(days=1)
    cases: list[tuple[str, dict[str, Any], int]] = [
        ("summary", span(day, day), 501),  # no summaryFilter
        ("summary", span(day, day, summaryFilter={"groups": ["USER"] * 4}), 501),
        ("summary", span(day, day, summaryFilter={"groups": ["PLANET"]}), 3002),
        ("detailed", span(day, day, detailedFilter={}, exportType="DOCX"), 3002),
        ("detailed", span(day, day - timedelta(days=1), detailedFilter={}), 501),
        ("detailed", {"dateRangeEnd": "2026-01-01T00:00:00", "detailedFilter": {}}, 501),
        ("detailed", span(day, day, detailedFilter={}, timeZone="Mars/Olympus"), 501),
    ]
    with reports(demo) as api:
        for kind, body, code in cases:
            answer = api.post(path(demo, kind), json=body)
            assert answer.status_code == 400, (kind, body)
            assert answer.json()["code"] == code, (kind, body, answer.json())
