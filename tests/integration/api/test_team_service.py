"""The team service against the test server with a real store: the team kept with its time,
filters applied by Clockify (and here, offline), changes never sent twice."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.groups import groups_of
from tests.fakeclockify.seeds import TEAM_GROUP
from tests.helpers.clock import FakeClock
from tests.helpers.served import person_of, sent
from tracker.api import ClockifyClient
from tracker.domain.model import WorkspaceInfo
from tracker.services.admin_base import FRESH_SECONDS, AdminError, AdminOffline
from tracker.services.admin_groups import Groups
from tracker.services.admin_people import (
    PeopleAnswer,
    PeopleFilter,
    Team,
    parse_money,
    parse_working_days,
)
from tracker.services.context import Context
from tracker.store import Store

from .conftest import run

Make = Callable[..., ClockifyClient]


def connect(store: Store, server: FakeClockify, name: str, *, free: bool = False) -> Context:
    user_id, _ = person_of(server, name)
    store.meta.set_account({"user_id": user_id, "name": name, "email": "x@example.com"})
    store.meta.set_workspace_id(server.workspace_id)
    store.meta.save_workspace(WorkspaceInfo(server.workspace_id, "Demo", free_plan=free))
    return Context(store, FakeClock.starting_now())


def test_the_team_is_read_whole_kept_and_reused_while_fresh(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Jordan Lee")
    _, key = person_of(clockify, "Jordan Lee")

    async def go() -> None:
        async with make_client(api_key=key) as api:
            team = Team(context, api)
            view = await team.team()
            by_name = {p.name: p for p in view.people}
            assert by_name["Priya Shah"].hourly_rate == 7000
            assert by_name["Priya Shah"].cost_rate == 4000
            assert by_name["Priya Shah"].groups == (TEAM_GROUP, "Product team")
            assert by_name["Priya Shah"].capacity_seconds == 8 * 3600
            assert by_name["Priya Shah"].working_days == (
                "MONDAY",
                "TUESDAY",
                "WEDNESDAY",
                "THURSDAY",
                "FRIDAY",
            )
            assert by_name["Sam Rivera"].role == "manager"
            assert by_name["Jordan Lee"].role == "admin"
            assert by_name["Alex Morgan"].role == "admin"  # owners count as admins
            assert by_name["Chen Wei"].role == "member"
            mobile = next(g for g in view.groups if g.name == TEAM_GROUP)
            assert view.names(mobile.manager_ids) == ["Sam Rivera"]
            asked = len(clockify.exchanges)
            again = await team.team()
            assert len(clockify.exchanges) == asked  # fresh: no request
            assert again.as_of == view.as_of
            assert isinstance(context.clock, FakeClock)
            context.clock.advance(seconds=FRESH_SECONDS + 1)
            await team.team()
            assert len(clockify.exchanges) > asked

    run(go())
    offline = Team(context).kept_team()
    assert offline is not None
    assert len(offline.people) == 5


def test_filters_run_on_clockify_and_offline_on_the_kept_copy(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    ws = clockify.workspace_id
    context = connect(store, clockify, "Jordan Lee")
    _, key = person_of(clockify, "Jordan Lee")
    priya, _ = person_of(clockify, "Priya Shah")
    with clockify.state.lock:
        data = clockify.state.workspaces[ws]
        project = next(p for p in data.projects.values() if p.name == "Mobile App")
        project.public = False
        project.member_ids = [data.workspace.owner_id, priya]
        group_id = next(g.id for g in groups_of(data).values() if g.name == TEAM_GROUP)

    def names(found: PeopleAnswer) -> list[str]:
        return sorted(p.name for p in found.people)

    async def go() -> None:
        async with make_client(api_key=key) as api:
            team = Team(context, api)
            await team.team()
            before = sent(clockify, "POST", "/users/info")
            admins = await team.people(PeopleFilter(role="admin"))
            assert names(admins) == ["Alex Morgan", "Jordan Lee"]
            assert admins.filtered == "clockify"
            assert names(await team.people(PeopleFilter(role="manager"))) == ["Sam Rivera"]
            members = await team.people(PeopleFilter(role="member"))
            assert names(members) == ["Chen Wei", "Priya Shah"]
            assert members.filtered == "here"  # Clockify has no "no role" filter
            access = await team.people(PeopleFilter(project_id=project.id))
            assert names(access) == ["Alex Morgan", "Priya Shah"]
            assert names(await team.people(PeopleFilter(email="chen"))) == ["Chen Wei"]
            assert names(await team.people(PeopleFilter(group_id=group_id))) == ["Priya Shah"]
            assert names(await team.people(PeopleFilter(status="INACTIVE"))) == []
            assert sent(clockify, "POST", "/users/info") == before + 6

    run(go())
    offline = Team(context)

    async def away() -> None:
        found = await offline.people(PeopleFilter(role="manager", group_id=group_id))
        assert names(found) == []  # Sam manages the group, he is not in it
        found = await offline.people(PeopleFilter(email="PRIYA"))
        assert names(found) == ["Priya Shah"]
        assert found.filtered == "here"
        with pytest.raises(AdminOffline, match="project"):
            await offline.people(PeopleFilter(project_id=project.id))

    run(away())


def test_a_rate_whose_answer_was_lost_is_read_back_not_sent_again(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Alex Morgan")

    async def go() -> None:
        async with make_client() as api:
            team = Team(context, api)
            view = await team.team()
            priya = team.find(view, "priya")
            clockify.add_fault(Fault(kind="drop_after_commit", path="/hourly-rate$"))
            reads = sent(clockify, "POST", "/users/info")
            await team.set_rate(priya, "hourly", parse_money("91.50"))
            assert sent(clockify, "PUT", "/hourly-rate") == 1  # landed: not asked again
            assert sent(clockify, "POST", "/users/info") == reads + 1  # the one read back
            kept = team.kept_team()
            assert kept is not None
            assert kept.stale
            assert kept.person(priya.id) is not None
            assert kept.person(priya.id).hourly_rate == 9150  # type: ignore[union-attr]
            clockify.add_fault(Fault(kind="drop_before_commit", path="/cost-rate$"))
            await team.set_rate(priya, "cost", 4500)
            assert sent(clockify, "PUT", "/cost-rate") == 2  # read back: not there, sent again

    run(go())
    with clockify.state.lock:
        member = clockify.state.workspaces[clockify.workspace_id].workspace.members
        priya_id, _ = person_of(clockify, "Priya Shah")
        assert member[priya_id].hourly_rate == {"amount": 9150, "currency": "EUR"}
        assert member[priya_id].cost_rate == {"amount": 4500, "currency": "EUR"}


def test_status_roles_profile_and_field_values_are_changed(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    ws = clockify.workspace_id
    context = connect(store, clockify, "Alex Morgan")
    clockify.state.add_custom_field(ws, "Employee ID", entity_type="USER")

    async def go() -> None:
        async with make_client() as api:
            team = Team(context, api)
            view = await team.team()
            chen = team.find(view, "Chen Wei")
            mobile = team.find_group(view, "mobile")
            await team.set_status(chen, active=False)
            assert team.kept_team().person(chen.id).status == "INACTIVE"  # type: ignore[union-attr]
            await team.set_status(chen, active=True)
            done = await team.set_role(view, chen, "manager", group=mobile)
            assert done == [f"Chen Wei now manages {TEAM_GROUP}."]
            fresh = await team.team(refresh=True)
            assert fresh.person(chen.id).role == "manager"  # type: ignore[union-attr]
            chen = team.find(fresh, "chen")
            done = await team.set_role(fresh, chen, "none")
            assert done == [f"Chen Wei no longer manages {TEAM_GROUP}."]
            await team.set_profile(
                chen, capacity_seconds=6 * 3600, working_days=parse_working_days("mon,tue,wed")
            )
            await team.set_field(chen, "employee id", "E-007")
            with pytest.raises(AdminError, match="No custom field"):
                await team.set_field(chen, "Shoe size", "44")
            after = await team.team(refresh=True)
            chen_after = after.person(chen.id)
            assert chen_after is not None
            assert chen_after.role == "member"
            assert chen_after.status == "ACTIVE"
            assert chen_after.capacity_seconds == 6 * 3600
            assert chen_after.working_days == ("MONDAY", "TUESDAY", "WEDNESDAY")
            assert chen_after.fields == (("Employee ID", "E-007"),)

    run(go())


def test_groups_are_made_once_even_when_the_answer_is_lost(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Alex Morgan")

    async def go() -> None:
        async with make_client() as api:
            team = Groups(context, api)
            view = await team.team()
            clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/user-groups$"))
            made = await team.create_group("  Platform   team ")
            assert made.name == "Platform team"
            assert sent(clockify, "POST", "/user-groups") == 1
            chen = team.find(view, "chen")
            await team.add_member(made, chen)
            kept = team.kept_team()
            assert kept is not None
            assert kept.person(chen.id).groups == ("Platform team",)  # type: ignore[union-attr]
            renamed = await team.rename_group(made, "Platform")
            await team.remove_member(renamed, chen)
            await team.delete_group(renamed)
            after = await team.team(refresh=True)
            assert [g.name for g in after.groups] == [TEAM_GROUP, "Product team"]

    run(go())


def test_invitations_say_their_cost_and_skip_who_is_there(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Alex Morgan")

    async def go() -> None:
        async with make_client() as api:
            team = Team(context, api)
            emails = ["new.one@example.com", "priya.shah@example.com"]
            assert team.invite_cost(emails) == 3
            result = await team.invite(emails)
            assert result.added == ("new.one@example.com",)
            assert result.already == ("priya.shah@example.com",)
            assert sent(clockify, "POST", "/users") == 1
            with pytest.raises(AdminError, match="Not an email"):
                await team.invite(["nobody"])

    run(go())


def test_a_free_workspace_and_a_member_are_told_in_one_sentence(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Priya Shah", free=True)
    _, key = person_of(clockify, "Priya Shah")

    async def go() -> None:
        async with make_client(api_key=key) as api:
            team = Team(context, api)
            before = len(clockify.exchanges)
            with pytest.raises(AdminError, match="paid plans only"):
                await team.invite(["new.one@example.com"])
            assert len(clockify.exchanges) == before  # said without a request
            view = await team.team()
            assert not view.profiles_read  # Free: profiles are read one person at a time
            assert view.person(person_of(clockify, "Chen Wei")[0]).capacity_seconds is None  # type: ignore[union-attr]
            chen = team.find(view, "chen")
            with pytest.raises(AdminError, match="does not let you"):
                await team.set_rate(chen, "hourly", 100)
            read = await team.read_profile(chen)
            assert read.capacity_seconds == 8 * 3600

    run(go())


def test_money_and_days_are_parsed_or_refused() -> None:
    assert parse_money("85") == 8500
    assert parse_money("85,5") == 8550
    assert parse_money("0.07") == 7
    for bad in ("-1", "1.234", "ten", ""):
        with pytest.raises(ValueError, match="amount"):
            parse_money(bad)
    assert parse_working_days("fri, mon,Tuesday") == ("MONDAY", "TUESDAY", "FRIDAY")
    for bad in ("funday", "t", "s"):
        with pytest.raises(ValueError, match="day of the week"):
            parse_working_days(bad)


def test_capacity_and_group_changes_whose_answer_was_lost_are_read_back(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Alex Morgan")

    async def go() -> None:
        async with make_client() as api:
            team = Groups(context, api)
            view = await team.team()
            chen = team.find(view, "chen")
            mobile = team.find_group(view, TEAM_GROUP)
            clockify.add_fault(Fault(kind="drop_after_commit", path="/member-profile/"))
            await team.set_profile(chen, capacity_seconds=5 * 3600, working_days=("MONDAY",))
            assert sent(clockify, "PATCH", chen.id) == 1
            clockify.add_fault(Fault(kind="drop_after_commit", path="/user-groups/.+/users$"))
            await team.add_member(mobile, chen)
            assert sent(clockify, "POST", f"{mobile.id}/users") == 1
            kept = team.kept_team()
            assert kept is not None
            assert kept.person(chen.id).capacity_seconds == 5 * 3600  # type: ignore[union-attr]
            assert kept.group(mobile.id).member_ids[-1] == chen.id  # type: ignore[union-attr]

    run(go())
