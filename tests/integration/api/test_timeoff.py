"""The time-off, holiday and member-profile client against the test server, over loopback,
contract-checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.timeoff_seed import HOLIDAY_NAME, HOURS_POLICY, VACATION_POLICY
from tests.helpers.served import person_of
from tracker.api import BadRequestError, ClockifyClient, ForbiddenError, Servers, TransportError
from tracker.api.models.holidays import DatePeriodWrite, HolidayWrite, IdsWrite
from tracker.api.models.profile import MemberProfileUpdate
from tracker.api.models.timeoff import (
    BalanceChange,
    Policy,
    PolicyApproval,
    PolicyWrite,
    TimeOffPeriodWrite,
    TimeOffRequestCreate,
    TimeOffRequestsFilter,
    TimeSpanWrite,
)

from .conftest import run

Make = Callable[..., ClockifyClient]


def monday_in(server: FakeClockify, weeks: int) -> date:
    today = datetime.fromtimestamp(server.state.now(), ZoneInfo("Europe/Berlin")).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7 * weeks)


def days(first: date, last: date | None = None, *, half: bool = False) -> TimeOffRequestCreate:
    span = TimeSpanWrite(start=first.isoformat(), end=(last or first).isoformat())
    period = TimeOffPeriodWrite(
        period=span, is_half_day=half or None, half_day_period="FIRST_HALF" if half else None
    )
    return TimeOffRequestCreate(time_off_period=period, note="school holidays")


async def policies_by_name(api: ClockifyClient, ws: str) -> dict[str, Policy]:
    return {p.name: p async for p in api.time_off.policies(ws)}


def test_request_approve_and_withdraw_as_two_people(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    priya, priya_key = person_of(clockify, "Priya Shah")
    _sam, sam_key = person_of(clockify, "Sam Rivera")
    monday = monday_in(clockify, 1)

    async def go() -> None:
        async with make_client(api_key=priya_key) as me, make_client(api_key=sam_key) as boss:
            vacation = (await policies_by_name(me, ws))[VACATION_POLICY]
            made = await me.time_off.request(
                ws, vacation.id, days(monday, monday + timedelta(days=1))
            )
            assert made.status.status_type == "PENDING"
            assert made.balance_diff == 2
            assert made.policy_name == VACATION_POLICY
            assert made.time_off_period.period.start is not None
            local = made.time_off_period.period.start.astimezone(
                ZoneInfo(made.user_time_zone or "UTC")
            )
            assert local.date() == monday
            mine = await me.time_off.requests(ws, TimeOffRequestsFilter(statuses=["PENDING"]))
            assert [r.id for r in mine] == [made.id]
            with pytest.raises(ForbiddenError):
                await me.time_off.set_status(ws, vacation.id, made.id, status="APPROVED")
            done = await boss.time_off.set_status(
                ws, vacation.id, made.id, status="APPROVED", note="ok"
            )
            assert done.status.status_type == "APPROVED"
            assert done.status.note == "ok"
            held = {b.policy_name: b for b in await me.time_off.balances_of_user(ws, priya)}
            assert (held[VACATION_POLICY].used, held[VACATION_POLICY].balance) == (2, 23)
            assert held[HOURS_POLICY].policy_time_unit == "HOURS"
            await me.time_off.withdraw(ws, vacation.id, made.id)
            held = {b.policy_name: b for b in await me.time_off.balances_of_user(ws, priya)}
            assert held[VACATION_POLICY].used == 0
            with pytest.raises(BadRequestError, match=r"already|doesn't belong"):
                await boss.time_off.set_status(ws, vacation.id, made.id, status="REJECTED")

    run(go())


def test_request_list_reads_every_page_of_the_body_paged_list(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    _chen, chen_key = person_of(clockify, "Chen Wei")

    async def go() -> None:
        async with make_client(api_key=chen_key) as me, make_client() as owner:
            vacation = (await policies_by_name(me, ws))[VACATION_POLICY]
            for week in range(1, 6):
                await me.time_off.request(ws, vacation.id, days(monday_in(clockify, week)))
            clockify.clear_exchanges()
            found = await owner.time_off.requests(ws, TimeOffRequestsFilter(page_size=2))
            assert len(found) == 5
            assert len(clockify.exchanges) == 3  # 2 + 2 + 1
            first = monday_in(clockify, 2)
            window = TimeOffRequestsFilter(
                start=datetime.combine(first, datetime.min.time(), ZoneInfo("UTC")),
                end=datetime.combine(
                    first + timedelta(days=8), datetime.min.time(), ZoneInfo("UTC")
                ),
            )
            assert len(await owner.time_off.requests(ws, window)) == 2

    run(go())


def test_a_request_that_timed_out_is_not_sent_again(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    _chen, chen_key = person_of(clockify, "Chen Wei")
    clockify.add_fault(
        Fault("drop_after_commit", method="POST", path="/time-off/policies/.*/requests$")
    )

    async def go() -> None:
        async with make_client(api_key=chen_key) as me:
            vacation = (await policies_by_name(me, ws))[VACATION_POLICY]
            with pytest.raises(TransportError) as failed:
                await me.time_off.request(ws, vacation.id, days(monday_in(clockify, 1)))
            assert failed.value.maybe_committed
            found = await me.time_off.requests(ws, TimeOffRequestsFilter())
            assert len(found) == 1  # created once, not resent

    run(go())


def test_admins_manage_policies_balances_holidays_and_profiles(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    priya, priya_key = person_of(clockify, "Priya Shah")

    async def go() -> None:
        async with make_client() as owner, make_client(api_key=priya_key) as member:
            new = PolicyWrite(
                name="Study leave",
                approve=PolicyApproval(requires_approval=True, team_managers=True),
                time_unit="DAYS",
                allow_half_day=True,
            )
            with pytest.raises(ForbiddenError):
                await member.time_off.create_policy(ws, new)
            made = await owner.time_off.create_policy(ws, new)
            renamed = await owner.time_off.replace_policy(
                ws, made.id, PolicyWrite.of(made, name="Study days")
            )
            assert renamed.name == "Study days"
            assert renamed.allow_half_day is True  # kept by the full replace
            await owner.time_off.change_balances(
                ws, made.id, BalanceChange(user_ids=[priya], value=3)
            )
            held = {b.policy_name: b for b in await member.time_off.balances_of_user(ws, priya)}
            assert held["Study days"].balance == 3
            archived = await owner.time_off.set_policy_status(ws, made.id, archived=True)
            assert archived.archived
            active = {p.name async for p in member.time_off.policies(ws, status="ACTIVE")}
            assert "Study days" not in active
            await owner.time_off.delete_policy(ws, made.id)

            seeded = await member.holidays.list(ws, assigned_to=priya)
            assert [h.name for h in seeded] == [HOLIDAY_NAME]
            day = seeded[0].date_period.start_date
            assert seeded[0].on(day.replace(year=day.year + 1))  # every year
            team_day = HolidayWrite(
                name="Offsite",
                date_period=DatePeriodWrite(start_date="2027-05-03", end_date="2027-05-04"),
                everyone_including_new=False,
                users=IdsWrite(ids=[priya]),
            )
            created = await owner.holidays.create(ws, team_day)
            found = await member.holidays.in_period(ws, priya, date(2027, 5, 1), date(2027, 5, 31))
            assert {h.name for h in found} == {"Offsite"}
            moved = await owner.holidays.replace(
                ws, created.id, team_day.model_copy(update={"name": "Offsite days"})
            )
            assert moved.name == "Offsite days"
            await owner.holidays.delete(ws, created.id)
            assert (
                await member.holidays.in_period(ws, priya, date(2027, 5, 1), date(2027, 5, 31))
                == []
            )

            change = MemberProfileUpdate(work_capacity="PT6H", working_days=["MONDAY", "TUESDAY"])
            with pytest.raises(ForbiddenError):
                await member.member_profile.update(ws, priya, change)
            profile = await owner.member_profile.update(ws, priya, change)
            assert profile.work_capacity == timedelta(hours=6)
            assert (await member.member_profile.get(ws, priya)).working_days == [
                "MONDAY",
                "TUESDAY",
            ]

    run(go())


def test_a_free_workspace_refuses_time_off(
    clockify_factory: Callable[..., FakeClockify], make_client: Make
) -> None:
    free = clockify_factory(seed="demo", plan="FREE")
    servers = Servers.custom(free.base_url, free.reports_url)

    async def go() -> None:
        async with make_client(api_key=free.api_key, servers=servers) as api:
            with pytest.raises(ForbiddenError):
                await api.holidays.list(free.workspace_id)
            with pytest.raises(ForbiddenError):
                await api.time_off.balances_of_user(free.workspace_id, free.user_id)

    run(go())
