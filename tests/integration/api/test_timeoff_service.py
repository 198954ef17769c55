"""The time-off service against the test server with a real store: reads kept with their
"as of" time, changes never sent twice, offline keeping the input, and the week's plans."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.timeoff import TimeOffRequest, book
from tests.fakeclockify.timeoff_seed import HOLIDAY_NAME, VACATION_POLICY
from tests.helpers.clock import FakeClock
from tests.helpers.served import person_of
from tracker.api import ClockifyClient, Servers
from tracker.api.models.profile import MemberProfileUpdate
from tracker.domain.model import Profile
from tracker.domain.workdays import DEFAULT_CAPACITY
from tracker.services.context import Context
from tracker.services.timeoff import (
    FRESH_SECONDS,
    RequestDraft,
    TimeOff,
    TimeOffError,
    TimeOffOffline,
    TimeOffUnclear,
)
from tracker.services.workdays import away_days, week_plans
from tracker.store import Store

from .conftest import run

Make = Callable[..., ClockifyClient]
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock.starting_now()


@pytest.fixture
def chen(store: Store, clockify: FakeClockify, clock: FakeClock) -> Context:
    """Chen's store, connected to the demo workspace."""
    user_id, _key = person_of(clockify, "Chen Wei")
    store.meta.set_account({"user_id": user_id, "name": "Chen Wei", "email": "chen@example.com"})
    store.meta.set_workspace_id(clockify.workspace_id)
    return Context(store, clock)


def monday_in(weeks: int) -> date:
    today = datetime.now(BERLIN).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7 * weeks)


def vacation_id(server: FakeClockify, make_client: Make, key: str) -> str:
    async def go() -> str:
        async with make_client(api_key=key) as api:
            found = [
                p.id
                async for p in api.time_off.policies(server.workspace_id)
                if p.name == VACATION_POLICY
            ]
            return found[0]

    return run(go())


def test_reads_are_kept_with_their_time_and_reused_while_fresh(
    clockify: FakeClockify, make_client: Make, chen: Context, clock: FakeClock
) -> None:
    _user, key = person_of(clockify, "Chen Wei")

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            first = await service.balances()
            assert first.as_of == clock.now
            assert {b.policy for b in first.value} >= {VACATION_POLICY}
            sent = len(clockify.exchanges)
            clock.advance(seconds=FRESH_SECONDS - 1)
            again = await service.balances()
            assert len(clockify.exchanges) == sent  # no request while fresh
            assert again.as_of == first.as_of
            clock.advance(seconds=2)
            later = await service.balances()
            assert len(clockify.exchanges) > sent
            assert later.as_of == clock.now

    run(go())


def test_a_request_shows_pending_apart_and_offline_keeps_the_input(
    clockify: FakeClockify, make_client: Make, chen: Context
) -> None:
    _user, key = person_of(clockify, "Chen Wei")
    vac = vacation_id(clockify, make_client, key)
    monday = monday_in(1)
    draft = RequestDraft(vac, monday, monday + timedelta(days=1), note="moving house")

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            made = await service.request(draft)
            assert (made.status, made.amount, made.first, made.last) == (
                "PENDING",
                2,
                draft.first,
                draft.last,
            )
            held = {b.policy: b for b in (await service.balances()).value}[VACATION_POLICY]
            assert (held.balance, held.pending) == (25, 2)
        offline = make_client(
            api_key=key, servers=Servers.custom("http://127.0.0.1:9", "http://127.0.0.1:9")
        )
        async with offline as api:
            later = RequestDraft(vac, monday_in(3), monday_in(3), half_day=True, note="dentist")
            with pytest.raises(TimeOffOffline) as failed:
                await TimeOff(chen, api).request(later)
            assert failed.value.draft == later
            assert "nothing was sent" in failed.value.message

    run(go())


def test_a_request_whose_answer_was_lost_is_found_not_asked_twice(
    clockify: FakeClockify, make_client: Make, chen: Context
) -> None:
    _user, key = person_of(clockify, "Chen Wei")
    vac = vacation_id(clockify, make_client, key)
    monday = monday_in(2)
    draft = RequestDraft(vac, monday, monday)
    clockify.add_fault(
        Fault("drop_after_commit", method="POST", path="/time-off/policies/.*/requests$")
    )

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            with pytest.raises(TimeOffUnclear):
                await service.request(draft)
            clockify.clear_exchanges()
            adopted = await service.request(draft)
            assert adopted.first == monday
            creates = [
                e
                for e in clockify.exchanges
                if e.method == "POST" and e.path.endswith(f"/{vac}/requests")
            ]
            assert creates == []  # found, not asked again
            mine = (await service.requests(refresh=True)).value
            assert len([r for r in mine if r.first == monday]) == 1

    run(go())


def other_person(store: Store, name: str, server: FakeClockify, user_id: str) -> Store:
    """A second person's store beside the first one's."""
    opened = Store(store.path.parent / f"{name}.sqlite3")
    opened.meta.set_account({"user_id": user_id, "name": name, "email": f"{name}@example.com"})
    opened.meta.set_workspace_id(server.workspace_id)
    return opened


def test_deciding_twice_sends_once_and_only_those_allowed_see_it(
    clockify: FakeClockify, make_client: Make, chen: Context, store: Store
) -> None:
    _chen, chen_key = person_of(clockify, "Chen Wei")
    sam, sam_key = person_of(clockify, "Sam Rivera")
    vac = vacation_id(clockify, make_client, chen_key)

    async def go() -> None:
        async with make_client(api_key=chen_key) as api:
            made = await TimeOff(chen, api).request(RequestDraft(vac, monday_in(1), monday_in(1)))
            with pytest.raises(TimeOffError, match="does not let you approve"):
                await TimeOff(chen, api).decide(made.id, approve=True)  # not one's own
        with other_person(store, "sam", clockify, sam) as sam_store:
            async with make_client(api_key=sam_key) as api:
                manager = TimeOff(Context(sam_store, chen.clock), api)
                assert made.id not in {r.id for r in await manager.team_requests()}  # not Sam's
        with other_person(store, "alex", clockify, clockify.user_id) as alex_store:
            async with make_client() as api:
                owner = TimeOff(Context(alex_store, chen.clock), api)
                done = await owner.decide(made.id, approve=True, note="fine")
                assert done.status == "APPROVED"
                assert done.status_note == "fine"
                clockify.clear_exchanges()
                again = await owner.decide(made.id, approve=True)
                assert again.status == "APPROVED"
                assert not [e for e in clockify.exchanges if e.method == "PATCH"]
                with pytest.raises(TimeOffError, match="already approved"):
                    await owner.decide(made.id, approve=False)

    run(go())


def test_week_plans_read_profile_holidays_and_time_off(
    clockify: FakeClockify, make_client: Make, chen: Context
) -> None:
    chen_id, key = person_of(clockify, "Chen Wei")
    ws = clockify.workspace_id
    vac = vacation_id(clockify, make_client, key)
    week = [monday_in(1) + timedelta(days=n) for n in range(7)]
    assert (
        week_plans(chen.store, ws, chen_id, week)[week[0]].capacity == DEFAULT_CAPACITY
    )  # nothing kept

    async def go() -> None:
        async with make_client() as owner:
            change = MemberProfileUpdate(
                work_capacity="PT6H", working_days=["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"]
            )
            await owner.member_profile.update(ws, chen_id, change)
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            await service.request(RequestDraft(vac, week[0], week[0]))
            await service.request(RequestDraft(vac, week[1], week[1], half_day=True))
            await service.refresh_all()
            holiday = next(h for h in (await service.holidays()).value if h.name == HOLIDAY_NAME)
            last_week = holiday.first
            plans = week_plans(chen.store, ws, chen_id, week)
            assert plans[week[0]].base_capacity == 6 * 3600
            assert plans[week[0]].time_off[0].status == "PENDING"
            assert plans[week[0]].capacity == 6 * 3600  # pending takes nothing off yet
            assert plans[week[1]].time_off[0].seconds == 3 * 3600
            assert plans[week[1]].time_off[0].half_day
            assert not plans[week[4]].working  # Friday is not Chen's working day now
            assert plans[week[4]].away
            next_year = last_week.replace(year=last_week.year + 1)
            assert (
                week_plans(chen.store, ws, chen_id, [next_year])[next_year].holiday == HOLIDAY_NAME
            )
            assert next_year in away_days(chen.store, ws, chen_id, [next_year])

    run(go())


def test_hours_on_one_day_and_refused_drafts_send_nothing(
    clockify: FakeClockify, make_client: Make, chen: Context
) -> None:
    chen_id, key = person_of(clockify, "Chen Wei")
    tuesday = monday_in(1) + timedelta(days=1)

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            hourly = next(p for p in (await service.policies()).value if p.unit == "HOURS")
            made = await service.request(RequestDraft(hourly.id, tuesday, tuesday, hours=2.5))
            assert (made.unit, made.hours, made.amount, made.first) == ("HOURS", 2.5, 2.5, tuesday)
            clockify.clear_exchanges()
            for bad in (
                RequestDraft(hourly.id, tuesday, tuesday + timedelta(days=1), hours=2),
                RequestDraft(hourly.id, tuesday, tuesday, hours=0),
                RequestDraft(hourly.id, tuesday, tuesday - timedelta(days=1)),
                RequestDraft(hourly.id, tuesday, tuesday + timedelta(days=1), half_day=True),
            ):
                with pytest.raises(TimeOffError):
                    await service.request(bad)
            assert not [e for e in clockify.exchanges if e.method == "POST"]
            await service.refresh_all()
        plan = week_plans(chen.store, clockify.workspace_id, chen_id, [tuesday])[tuesday]
        assert plan.time_off[0].seconds == 2.5 * 3600
        assert plan.time_off[0].status == "PENDING"

    run(go())


def test_hours_across_midnight_take_each_day_its_own_part(
    clockify: FakeClockify, make_client: Make, chen: Context
) -> None:
    chen_id, key = person_of(clockify, "Chen Wei")
    chen.store.meta.save_profile(Profile(user_id=chen_id, time_zone="Asia/Singapore"))
    tuesday = monday_in(1) + timedelta(days=1)
    wednesday = tuesday + timedelta(days=1)

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            hourly = next(p for p in (await service.policies()).value if p.unit == "HOURS")
            late = RequestDraft(hourly.id, tuesday, tuesday, hours=4, start_at=time(22, 0))
            made = await service.request(late)
            assert (made.first, made.last, made.amount) == (tuesday, wednesday, 4)
            await service.refresh_all()

    run(go())
    plans = week_plans(chen.store, clockify.workspace_id, chen_id, [tuesday, wednesday])
    assert [p.time_off[0].seconds for p in plans.values()] == [2 * 3600, 2 * 3600]
    assert [p.capacity for p in plans.values()] == [DEFAULT_CAPACITY] * 2  # pending


def test_a_request_committed_late_is_never_asked_twice(
    clockify: FakeClockify, make_client: Make, chen: Context, clock: FakeClock
) -> None:
    _user, key = person_of(clockify, "Chen Wei")
    vac = vacation_id(clockify, make_client, key)
    monday = monday_in(4)
    draft = RequestDraft(vac, monday, monday, note="late commit")
    creates = f"/time-off/policies/{vac}/requests"
    clockify.add_fault(Fault("delay", delay=3.0, method="POST", path=creates + "$"))

    def sent() -> int:
        return len([e for e in clockify.exchanges if e.method == "POST" and creates in e.path])

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            with pytest.raises(TimeOffUnclear):
                await service.request(draft)  # the client gave up; Clockify is still at it
            with pytest.raises(TimeOffUnclear, match="not asked again before") as early:
                await service.request(draft)  # not there yet: not asked a second time
            assert early.value.until is not None
            clockify.wait_for(lambda log: any(e.fault == "delay" for e in log), timeout=10)
            adopted = await service.request(draft)
            assert (adopted.first, adopted.note) == (monday, "late commit")
            assert sent() == 1
            mine = (await service.requests(refresh=True)).value
            assert len([r for r in mine if r.first == monday]) == 1

    run(go())


def test_a_request_not_found_after_the_horizon_is_asked_again(
    clockify: FakeClockify, make_client: Make, chen: Context, clock: FakeClock
) -> None:
    _user, key = person_of(clockify, "Chen Wei")
    vac = vacation_id(clockify, make_client, key)
    monday = monday_in(5)
    draft = RequestDraft(vac, monday, monday)
    clockify.add_fault(
        Fault("drop_before_commit", method="POST", path=f"/time-off/policies/{vac}/requests$")
    )

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            with pytest.raises(TimeOffUnclear):
                await service.request(draft)
            with pytest.raises(TimeOffUnclear, match="not asked again before"):
                await service.request(draft)
            clock.advance(seconds=15 * 60 + 1)
            made = await service.request(draft)
            assert (made.first, made.status) == (monday, "PENDING")

    run(go())


def seed_decided(server: FakeClockify, policy_id: str, user_id: str, count: int) -> None:
    """``count`` approved requests of ``user_id`` in years gone by (a long history)."""
    state = server.state
    with state.lock:
        books = book(state.workspaces[server.workspace_id])
        day = 24 * 3600
        first = state.now() - 4000 * day
        for n in range(count):
            item = TimeOffRequest(
                id=state.new_id(),
                policy_id=policy_id,
                user_id=user_id,
                start=first + n * day,
                end=first + n * day + day - 1,
                half_day=False,
                half_day_period="NOT_DEFINED",
                cost=1.0,
                note=f"day {n}",
                created_at=first,
                status="APPROVED",
            )
            books.requests[item.id] = item
        state.touch()


def test_deciding_one_request_reads_the_pending_ones_not_the_whole_history(
    clockify: FakeClockify, make_client: Make, chen: Context, store: Store
) -> None:
    _chen, chen_key = person_of(clockify, "Chen Wei")
    priya, _priya_key = person_of(clockify, "Priya Shah")
    vac = vacation_id(clockify, make_client, chen_key)
    seed_decided(clockify, vac, priya, 2000)

    async def go() -> None:
        async with make_client(api_key=chen_key) as api:
            made = await TimeOff(chen, api).request(RequestDraft(vac, monday_in(1), monday_in(1)))
        with other_person(store, "alex", clockify, clockify.user_id) as alex_store:
            async with make_client() as api:
                owner = TimeOff(Context(alex_store, chen.clock), api)
                await owner.policies()
                clockify.clear_exchanges()
                done = await owner.decide(made.id, approve=True)
                assert done.status == "APPROVED"
                listed = [e for e in clockify.exchanges if e.path.endswith("/time-off/requests")]
                assert len(listed) == 1  # one page of what waits, not 10 pages of history

    run(go())


def test_a_whole_day_on_an_hourly_policy_counts_the_hours_clockify_charged(
    clockify: FakeClockify, make_client: Make, chen: Context
) -> None:
    chen_id, key = person_of(clockify, "Chen Wei")
    chen.store.meta.save_profile(Profile(user_id=chen_id, time_zone="Asia/Singapore"))
    thursday = monday_in(1) + timedelta(days=3)

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            hourly = next(p for p in (await service.policies()).value if p.unit == "HOURS")
            made = await service.request(RequestDraft(hourly.id, thursday, thursday))
            assert (made.unit, made.hours, made.amount) == ("HOURS", None, 8)
            await service.refresh_all()

    run(go())
    plan = week_plans(chen.store, clockify.workspace_id, chen_id, [thursday])[thursday]
    assert plan.time_off[0].seconds == plan.base_capacity


def test_a_withdrawal_or_decision_whose_answer_was_lost_is_read_back(
    clockify: FakeClockify, make_client: Make, chen: Context, store: Store
) -> None:
    _chen, key = person_of(clockify, "Chen Wei")
    vac = vacation_id(clockify, make_client, key)

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            gone = await service.request(RequestDraft(vac, monday_in(6), monday_in(6)))
            kept = await service.request(RequestDraft(vac, monday_in(7), monday_in(7)))
            clockify.add_fault(Fault("drop_after_commit", method="DELETE"))
            withdrawn = await service.withdraw(gone.id)  # gone on Clockify: said so, no error
            assert withdrawn.id == gone.id
            assert gone.id not in {r.id for r in (await service.requests()).value}
        clockify.add_fault(Fault("drop_after_commit", method="PATCH"))
        with other_person(store, "alex", clockify, clockify.user_id) as alex_store:
            async with make_client() as api:
                owner = TimeOff(Context(alex_store, chen.clock), api)
                done = await owner.decide(kept.id, approve=False, note="busy week")
                assert (done.status, done.status_note) == ("REJECTED", "busy week")
        assert len([e for e in clockify.exchanges if e.method in ("DELETE", "PATCH")]) == 2

    run(go())


@pytest.mark.parametrize("kind", ["page_repeat", "page_never_short"])
def test_a_long_request_list_that_never_ends_is_stopped_with_a_sentence(
    clockify: FakeClockify, make_client: Make, chen: Context, store: Store, kind: str
) -> None:
    _chen, chen_key = person_of(clockify, "Chen Wei")
    priya, _priya_key = person_of(clockify, "Priya Shah")
    vac = vacation_id(clockify, make_client, chen_key)
    seed_decided(clockify, vac, priya, 2000)

    async def go() -> None:
        with other_person(store, "alex", clockify, clockify.user_id) as alex_store:
            async with make_client() as api:
                owner = TimeOff(Context(alex_store, chen.clock), api)
                assert len(await owner.team_requests(status=None)) == 2000  # 10 pages of 200
                clockify.add_fault(Fault(kind, path="/time-off/requests$", times=None))
                clockify.clear_exchanges()
                with pytest.raises(TimeOffError, match="time-off requests"):
                    await owner.team_requests(status=None)
                listed = [e for e in clockify.exchanges if e.path.endswith("/time-off/requests")]
                assert len(listed) <= 11

    run(go())


def test_a_request_list_whose_paging_is_ignored_is_read_once_and_whole(
    clockify: FakeClockify, make_client: Make, chen: Context, store: Store
) -> None:
    _chen, chen_key = person_of(clockify, "Chen Wei")
    priya, _priya_key = person_of(clockify, "Priya Shah")
    vac = vacation_id(clockify, make_client, chen_key)
    seed_decided(clockify, vac, priya, 2000)
    clockify.add_fault(Fault("page_ignored", path="/time-off/requests$", times=None))

    async def go() -> None:
        with other_person(store, "alex", clockify, clockify.user_id) as alex_store:
            async with make_client() as api:
                owner = TimeOff(Context(alex_store, chen.clock), api)
                await owner.policies()
                clockify.clear_exchanges()
                found = await owner.team_requests(status=None)
                assert len({r.id for r in found}) == len(found) == 2000
                listed = [e for e in clockify.exchanges if e.path.endswith("/time-off/requests")]
                assert len(listed) == 1

    run(go())


def test_offline_a_rejection_keeps_its_note_for_the_next_try(
    clockify: FakeClockify, make_client: Make, chen: Context, store: Store
) -> None:
    _chen, key = person_of(clockify, "Chen Wei")
    vac = vacation_id(clockify, make_client, key)

    async def go() -> None:
        async with make_client(api_key=key) as api:
            made = await TimeOff(chen, api).request(RequestDraft(vac, monday_in(8), monday_in(8)))
        short = made.id[:8]
        with other_person(store, "alex", clockify, clockify.user_id) as alex_store:
            owner_context = Context(alex_store, chen.clock)
            dead = Servers.custom("http://127.0.0.1:9", "http://127.0.0.1:9")
            async with make_client(servers=dead) as api:
                with pytest.raises(TimeOffOffline, match="note is kept"):
                    await TimeOff(owner_context, api).decide(
                        short, approve=False, note="The week before the release"
                    )
            async with make_client() as api:
                done = await TimeOff(owner_context, api).decide(short, approve=False)
                assert (done.status, done.status_note) == (
                    "REJECTED",
                    "The week before the release",
                )
                assert TimeOff(owner_context, api).kept_note(short) is None

    run(go())


def test_asking_or_withdrawing_keeps_the_days_already_known_in_the_week(
    clockify: FakeClockify, make_client: Make, chen: Context
) -> None:
    chen_id, key = person_of(clockify, "Chen Wei")
    vac = vacation_id(clockify, make_client, key)
    week = [monday_in(9) + timedelta(days=n) for n in range(5)]
    ws = clockify.workspace_id

    def marked() -> list[str]:
        plans = week_plans(chen.store, ws, chen_id, week)
        return [plans[d].time_off[0].status if plans[d].time_off else "-" for d in week]

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            first = await service.request(RequestDraft(vac, week[0], week[0]))
            await service.refresh_all()
            assert marked() == ["PENDING", "-", "-", "-", "-"]
            clockify.clear_exchanges()
            await service.request(RequestDraft(vac, week[2], week[2]))
            assert marked() == ["PENDING", "-", "PENDING", "-", "-"]  # no request needed
            await service.withdraw(first.id)
            assert marked() == ["-", "-", "PENDING", "-", "-"]
            later = await service.requests()  # changed since it was fetched: asked again
            assert {r.first for r in later.value} >= {week[2]}
            # The ask, the look before withdrawing, the read after: the week cost none.
            assert len([e for e in clockify.exchanges if e.path.endswith("/requests")]) == 3

    run(go())


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_hours_on_a_dst_day_are_the_hours_asked_for(
    clockify: FakeClockify, make_client: Make, chen: Context, day: date
) -> None:
    chen_id, key = person_of(clockify, "Chen Wei")
    chen.store.meta.save_profile(Profile(user_id=chen_id, time_zone="Europe/Berlin"))
    every_day = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

    async def go() -> None:
        async with make_client() as owner:
            change = MemberProfileUpdate(working_days=every_day)
            await owner.member_profile.update(clockify.workspace_id, chen_id, change)
        async with make_client(api_key=key) as api:
            service = TimeOff(chen, api)
            hourly = next(p for p in (await service.policies()).value if p.unit == "HOURS")
            made = await service.request(
                RequestDraft(hourly.id, day, day, hours=3, start_at=time(1, 0))
            )
            assert (made.amount, made.hours) == (3, 3)

    run(go())


def test_a_holiday_saved_here_shows_in_the_week_beside_those_known(
    clockify: FakeClockify, make_client: Make, store: Store, chen: Context
) -> None:
    with other_person(store, "alex", clockify, clockify.user_id) as alex_store:
        alex = Context(alex_store, chen.clock)
        ws, me = clockify.workspace_id, clockify.user_id
        day = monday_in(2) + timedelta(days=1)

        async def go() -> None:
            async with make_client() as api:
                service = TimeOff(alex, api)
                known = next(h for h in (await service.holidays()).value if h.name == HOLIDAY_NAME)
                clockify.clear_exchanges()
                made = await service.save_holiday("Team day", day, day)
                plans = week_plans(alex_store, ws, me, [known.first, day])
                assert [p.holiday for p in plans.values()] == [HOLIDAY_NAME, "Team day"]
                await service.delete_holiday(made.id)
                plans = week_plans(alex_store, ws, me, [known.first, day])
                assert [p.holiday for p in plans.values()] == [HOLIDAY_NAME, None]
                assert len(clockify.exchanges) == 2  # the save and the delete, no read

        run(go())
