"""The scheduling client against the test server, over loopback, contract-checked: every
operation the app uses, as an admin, a manager and a member, with Clockify's refusals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.helpers.served import person_of
from tracker.api import BadRequestError, ClockifyClient, ForbiddenError, Servers, TransportError
from tracker.api.models.schedule import (
    AssignmentCreate,
    AssignmentUpdate,
    CopyAssignment,
    ProjectTotalsFilter,
    PublishAssignments,
    RecurringWrite,
    UsersFilter,
    UserTotalsFilter,
)

from .conftest import run

Make = Callable[..., ClockifyClient]


def project_id(server: FakeClockify, name: str) -> str:
    data = server.state.workspaces[server.workspace_id]
    return next(p.id for p in data.projects.values() if p.name == name)


def monday(server: FakeClockify, weeks: int = 1) -> date:
    today = datetime.fromtimestamp(server.state.now(), ZoneInfo("Europe/Berlin")).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7 * weeks)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def booking(
    server: FakeClockify, name: str, first: date, *, hours: float = 4, weeks: int = 0
) -> AssignmentCreate:
    return AssignmentCreate(
        user_id=person_of(server, name)[0],
        project_id=project_id(server, "Website Redesign"),
        start=at(first),
        end=at(first + timedelta(days=4)),
        hours_per_day=hours,
        note="launch",
        recurring_assignment=RecurringWrite(repeat=True, weeks=weeks) if weeks else None,
    )


def test_an_admin_books_changes_copies_publishes_and_deletes(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    first = monday(clockify)
    priya, priya_key = person_of(clockify, "Priya Shah")
    chen, _ = person_of(clockify, "Chen Wei")
    _, admin_key = person_of(clockify, "Jordan Lee")

    async def go() -> None:
        async with make_client(api_key=admin_key) as api, make_client(api_key=priya_key) as me:
            series = await api.schedule.create(ws, booking(clockify, "Priya Shah", first, weeks=2))
            assert len(series) == 2
            assert series[0].series_id is not None
            assert series[0].series_id == series[1].series_id
            assert series[0].published is False
            week = (at(first), at(first + timedelta(days=6)))
            listed = await api.schedule.assignments(ws, *week)
            mine = [a for a in listed if a.user_id == priya]
            assert [a.id for a in mine] == [series[0].id]
            assert mine[0].user_name == "Priya Shah"
            assert mine[0].project_name == "Website Redesign"
            assert mine[0].hours_per_day == 4

            moved = await api.schedule.update(
                ws,
                series[1].id,
                AssignmentUpdate(
                    start=at(first + timedelta(days=7)),
                    end=at(first + timedelta(days=9)),
                    hours_per_day=6,
                    note="launch",
                ),
            )
            assert [m.hours_per_day for m in moved] == [6]
            longer = await api.schedule.change_series(
                ws, series[0].id, RecurringWrite(repeat=True, weeks=3)
            )
            assert len(longer) == 3
            copies = await api.schedule.copy(ws, series[0].id, CopyAssignment(user_id=chen))
            assert [c.user_id for c in copies] == [chen]

            totals = await api.schedule.user_totals(ws, priya, *week)
            assert totals.capacity_per_day == 8 * 3600
            assert totals.working_days[:1] == ["MONDAY"]
            assert [d.total_hours for d in totals.total_hours_per_day] == [4] * 5 + [0, 0]
            assert await me.schedule.assignments(ws, *week) == []  # drafts are not hers yet
            await api.schedule.publish(
                ws,
                PublishAssignments(
                    start=week[0], end=week[1], user_filter=UsersFilter(ids=[priya])
                ),
            )
            assert [a.id for a in await me.schedule.assignments(ws, *week)] == [series[0].id]

            gone = await api.schedule.delete(ws, series[0].id, series="ALL")
            assert len(gone) == 3

    run(go())


def test_totals_of_everyone_and_of_projects_page_through_the_guards(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    this_monday = monday(clockify, 0)
    week = (at(this_monday), at(this_monday + timedelta(days=6)))

    async def go() -> None:
        async with make_client() as api:
            everyone = await api.schedule.users_totals(
                ws, UserTotalsFilter(start=week[0], end=week[1], page_size=2)
            )
            assert len(everyone) == 5
            chen = next(t for t in everyone if t.user_name == "Chen Wei")
            assert [d.total_hours for d in chen.total_hours_per_day][:5] == [6] * 5
            drafts = await api.schedule.users_totals(
                ws, UserTotalsFilter(start=week[0], end=week[1], status_filter="UNPUBLISHED")
            )
            sam = next(t for t in drafts if t.user_name == "Sam Rivera")
            assert sum(d.total_hours for d in sam.total_hours_per_day) == 10
            projects = await api.schedule.projects_totals(
                ws, ProjectTotalsFilter(start=week[0], end=week[1], page_size=1)
            )
            assert {p.project_name: p.total_hours for p in projects} == {
                "Mobile App": 10,
                "Website Redesign": 30,
            }
            one = await api.schedule.project_totals(ws, projects[0].project_id, *week)
            assert one.total_hours == projects[0].total_hours
            assert len(one.assignments) == 7

    run(go())


def test_a_member_is_refused_and_a_bad_booking_says_why(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    first = monday(clockify)
    _, priya_key = person_of(clockify, "Priya Shah")
    chen, _ = person_of(clockify, "Chen Wei")

    async def go() -> None:
        async with make_client(api_key=priya_key) as me, make_client() as owner:
            with pytest.raises(ForbiddenError):
                await me.schedule.create(ws, booking(clockify, "Priya Shah", first))
            with pytest.raises(ForbiddenError):
                await me.schedule.user_totals(ws, chen, at(first), at(first))
            with pytest.raises(BadRequestError, match="Hours per day"):
                await owner.schedule.create(ws, booking(clockify, "Chen Wei", first, hours=30))

    run(go())


def test_a_create_whose_answer_was_lost_is_not_sent_again(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/recurring$"))

    async def go() -> None:
        async with make_client() as api:
            with pytest.raises(TransportError) as lost:
                await api.schedule.create(ws, booking(clockify, "Chen Wei", monday(clockify)))
            assert lost.value.maybe_committed

    run(go())
    creates = [e for e in clockify.exchanges if e.path.endswith("/recurring")]
    assert len(creates) == 1


def test_a_plan_without_scheduling_is_refused(
    clockify_factory: Callable[..., FakeClockify], make_client: Make
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")
    first = monday(server)

    async def go() -> None:
        async with make_client(
            api_key=server.api_key, servers=Servers.custom(server.base_url, server.reports_url)
        ) as api:
            with pytest.raises(ForbiddenError):
                await api.schedule.assignments(server.workspace_id, at(first), at(first))

    run(go())
