"""The schedule service against the test server with a real store: weeks with capacity and
over-booking, kept copies with their time, changes never sent twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.schedule import schedule_book
from tests.helpers.clock import FakeClock
from tests.helpers.served import person_of
from tracker.api import ClockifyClient
from tracker.services.admin_base import FRESH_SECONDS, AdminError, AdminUnclear
from tracker.services.admin_schedule import Schedule, short_id
from tracker.services.context import Context
from tracker.store import Store

from .conftest import run

Make = Callable[..., ClockifyClient]


def project_id(server: FakeClockify, name: str) -> str:
    data = server.state.workspaces[server.workspace_id]
    return next(p.id for p in data.projects.values() if p.name == name)


def monday(server: FakeClockify, weeks: int = 0) -> date:
    today = datetime.fromtimestamp(server.state.now(), ZoneInfo("Europe/Berlin")).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7 * weeks)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock.starting_now()


def context_of(store: Store, server: FakeClockify, clock: FakeClock, name: str) -> Context:
    user_id, _key = person_of(server, name)
    store.meta.set_account({"user_id": user_id, "name": name, "email": "x@example.com"})
    store.meta.set_workspace_id(server.workspace_id)
    return Context(store, clock)


def creates(server: FakeClockify) -> int:
    return sum(1 for e in server.exchanges if e.method == "POST" and e.path.endswith("/recurring"))


def test_a_week_shows_capacity_drafts_and_is_kept_with_its_time(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = context_of(store, clockify, clock, "Jordan Lee")
    _, key = person_of(clockify, "Jordan Lee")

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = Schedule(context, api)
            week = await service.week(monday(clockify))
            assert week.first == monday(clockify)
            assert len(week.days) == 7
            people = {p.name: p for p in week.people}
            chen = people["Chen Wei"]
            assert (chen.scheduled, chen.capacity, chen.over_booked) == (30, 40, False)
            assert [r.label for r in chen.rows] == ["Website Redesign"]
            assert chen.rows[0].hours == (6.0, 6.0, 6.0, 6.0, 6.0, 0.0, 0.0)
            assert chen.drafts == 0
            assert people["Sam Rivera"].drafts == 10
            assert week.drafts == 10
            sent = len(clockify.exchanges)
            clock.advance(seconds=FRESH_SECONDS - 1)
            again = await service.week(monday(clockify))
            assert len(clockify.exchanges) == sent  # kept while fresh
            assert again.as_of == week.as_of
            quarter = await service.week(monday(clockify), 12, refresh=True)
            assert len(quarter.days) == 84
            assert len(clockify.exchanges) == sent + 3  # the list and two totals, any length

    run(go())
    offline = run(Schedule(context).week(monday(clockify)))
    assert offline.as_of is not None
    assert {p.name for p in offline.people} >= {"Chen Wei"}


def test_booking_two_weeks_then_over_booking_is_flagged_and_copied_and_deleted(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = context_of(store, clockify, clock, "Alex Morgan")
    priya, _ = person_of(clockify, "Priya Shah")
    chen, _ = person_of(clockify, "Chen Wei")
    website = project_id(clockify, "Website Redesign")
    first = monday(clockify, 1)

    async def go() -> None:
        async with make_client() as api:
            service = Schedule(context, api)
            made = await service.add(
                priya, website, first, first + timedelta(days=4), 4, weeks=2, note="launch"
            )
            assert [b.first for b in made] == [first, first + timedelta(days=7)]
            weeks = await service.week(first, 2)
            assert weeks.stale is False
            mine = next(p for p in weeks.people if p.name == "Priya Shah")
            assert (mine.scheduled, mine.capacity, mine.drafts) == (40, 80, 40)
            await service.add(priya, website, first, first, 5)
            busy = await service.week(first)
            monday_load = next(p for p in busy.people if p.name == "Priya Shah").days[0]
            assert (monday_load.scheduled, monday_load.capacity, monday_load.over) == (9, 8, True)

            found = service.find(short_id(made[0].id))
            assert found.id == made[0].id
            copies = await service.copy(found, to_user=chen)
            assert [c.user_id for c in copies] == [chen]
            later = await service.copy(found, to_week=first + timedelta(days=21))
            assert later[0].first == first + timedelta(days=21)
            moved = await service.edit(found, hours=2, series="all")
            assert sorted(m.hours_per_day for m in moved) == [2, 2]
            gone = await service.delete(found, series="all")
            assert len(gone) == 2
            await service.publish(first)
            published = await service.week(first)
            assert next(p for p in published.people if p.name == "Chen Wei").drafts == 0

    run(go())


def test_a_create_whose_answer_was_lost_is_found_not_sent_again(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = context_of(store, clockify, clock, "Alex Morgan")
    chen, _ = person_of(clockify, "Chen Wei")
    first = monday(clockify, 1)
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/recurring$"))

    async def go() -> None:
        async with make_client() as api:
            service = Schedule(context, api)
            made = await service.add(chen, project_id(clockify, "Mobile App"), first, first, 3)
            assert [b.hours_per_day for b in made] == [3]

    run(go())
    assert creates(clockify) == 1


def test_a_create_not_found_is_held_back_until_the_horizon(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = context_of(store, clockify, clock, "Alex Morgan")
    chen, _ = person_of(clockify, "Chen Wei")
    mobile = project_id(clockify, "Mobile App")
    first = monday(clockify, 1)
    clockify.add_fault(Fault(kind="drop_before_commit", method="POST", path="/recurring$"))

    async def go() -> None:
        async with make_client() as api:
            service = Schedule(context, api)
            with pytest.raises(AdminUnclear, match="read back"):
                await service.add(chen, mobile, first, first, 3)
            with pytest.raises(AdminUnclear, match="not sent again before"):
                await service.add(chen, mobile, first, first, 3)
            assert creates(clockify) == 1
            clock.advance(minutes=16)
            made = await service.add(chen, mobile, first, first, 3)
            assert len(made) == 1

    run(go())
    assert creates(clockify) == 2


def test_a_member_is_refused_in_one_sentence(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = context_of(store, clockify, clock, "Priya Shah")
    priya, key = person_of(clockify, "Priya Shah")
    first = monday(clockify, 1)

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = Schedule(context, api)
            with pytest.raises(AdminError, match="does not let you schedule this") as refused:
                await service.add(priya, project_id(clockify, "Mobile App"), first, first, 3)
            assert "\n" not in refused.value.message
            week = await service.week(monday(clockify))
            assert [p.name for p in week.people] == ["Priya Shah"]
            assert week.bookings == ()

    run(go())
    held = store.conn.execute("SELECT key FROM meta WHERE key LIKE 'admin_inflight:%'")
    assert held.fetchall() == []  # a refused change leaves nothing in flight


def test_a_manager_sees_bookings_on_their_project_without_the_capacity(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = context_of(store, clockify, clock, "Sam Rivera")
    _, sam_key = person_of(clockify, "Sam Rivera")
    chen, _ = person_of(clockify, "Chen Wei")
    first = monday(clockify, 1)

    async def go() -> None:
        async with make_client() as owner:
            await Schedule(context, owner).add(
                chen, project_id(clockify, "Mobile App"), first, first, 9
            )
        async with make_client(api_key=sam_key) as api:
            week = await Schedule(context, api).week(first, refresh=True)
        people = {p.name: p for p in week.people}
        assert set(people) == {"Sam Rivera", "Priya Shah", "Chen Wei"}
        assert people["Priya Shah"].capacity_known
        chen_week = people["Chen Wei"]
        assert not chen_week.capacity_known
        assert chen_week.scheduled == 9
        assert not chen_week.over_booked  # 9 h, but against a capacity Sam cannot see
        assert week.to_json()["people"][0]["capacity_hours"] is None  # Chen, first by name

    run(go())


def test_an_edit_copy_delete_or_publish_whose_answer_was_lost_is_sent_once(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = context_of(store, clockify, clock, "Alex Morgan")
    priya, _ = person_of(clockify, "Priya Shah")
    chen, _ = person_of(clockify, "Chen Wei")
    website = project_id(clockify, "Website Redesign")
    first = monday(clockify, 2)

    def sent(method: str, ending: str) -> int:
        return sum(1 for e in clockify.exchanges if e.method == method and ending in e.path)

    async def go() -> None:
        async with make_client() as api:
            service = Schedule(context, api)
            made = await service.add(priya, website, first, first + timedelta(days=2), 4)
            booking = made[0]
            clockify.add_fault(Fault(kind="drop_after_commit", method="PATCH", path="/recurring/"))
            edited = await service.edit(booking, hours=6)
            assert [b.hours_per_day for b in edited] == [6]
            assert sent("PATCH", "/recurring/") == 1
            clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/copy$"))
            copies = await service.copy(edited[0], to_user=chen)
            assert [c.user_id for c in copies] == [chen]
            assert sent("POST", "/copy") == 1
            clockify.add_fault(Fault(kind="drop_after_commit", method="DELETE", path="/recurring/"))
            await service.delete(copies[0])
            assert sent("DELETE", "/recurring/") == 1
            clockify.add_fault(Fault(kind="drop_after_commit", method="PUT", path="/publish$"))
            await service.publish(first)  # asked again by the client: it publishes the same
            assert sent("PUT", "/publish") == 2

    run(go())
    with clockify.state.lock:
        book = schedule_book(clockify.state.workspaces[clockify.workspace_id])
        mine = [a for a in book.assignments.values() if a.first == first]
        assert [(a.user_id, a.hours_per_day, a.published) for a in mine] == [(priya, 6, True)]
