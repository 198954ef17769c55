"""The people and user-group client against the test server, over loopback, contract-checked:
an admin acts, a manager and a member are refused, a Free workspace cannot invite."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.seeds import TEAM_GROUP
from tests.helpers.served import person_of
from tracker.api import (
    BadRequestError,
    ClockifyClient,
    ForbiddenError,
    Servers,
    TransportError,
)
from tracker.api.models.account import UsersFilter
from tracker.api.models.profile import MemberProfileUpdate
from tracker.api.models.team import Person, RateChange, RoleGrant

from .conftest import run

Make = Callable[..., ClockifyClient]


def rate_of(found: Person, kind: str) -> int | None:
    (membership,) = found.memberships or []
    rate = membership.hourly_rate if kind == "hourly" else membership.cost_rate
    return None if rate is None else rate.amount


async def everyone(
    api: ClockifyClient,
    ws: str,
    *,
    email: str | None = None,
    project_id: str | None = None,
    status: str | None = None,
) -> dict[str, Person]:
    found = api.team.people(ws, email=email, project_id=project_id, status=status)
    return {p.name or p.email or p.id: p async for p in found}


def test_people_are_listed_with_rates_and_filtered_on_the_server(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    _sam, sam_key = person_of(clockify, "Sam Rivera")
    mobile = next(p for p in clockify.state.projects(ws) if p["name"] == "Mobile App")

    async def go() -> None:
        async with make_client(api_key=sam_key) as manager:
            people = await everyone(manager, ws)
            assert len(people) == 5
            assert rate_of(people["Priya Shah"], "hourly") == 7000
            assert rate_of(people["Priya Shah"], "cost") == 4000
            assert rate_of(people["Chen Wei"], "hourly") is None
            assert list(await everyone(manager, ws, email="priya")) == ["Priya Shah"]
            with_access = await everyone(manager, ws, project_id=mobile["id"])
            assert "Priya Shah" in with_access
            admins = await manager.team.search(ws, UsersFilter(roles=["WORKSPACE_ADMIN"]))
            assert {p.name for p in admins} == {"Alex Morgan", "Jordan Lee"}
            groups = [g async for g in manager.team.groups(ws)]
            team = next(g for g in groups if g.name == TEAM_GROUP)
            in_team = await manager.team.search(ws, UsersFilter(user_groups=[team.id], page_size=1))
            assert [p.name for p in in_team] == ["Priya Shah"]
            assert [m.name for m in team.team_managers] == ["Sam Rivera"]
            paged = await manager.team.search(ws, UsersFilter(page_size=2))
            assert len(paged) == 5  # three pages of the body-paged list

    run(go())


def test_an_admin_sets_rates_status_roles_and_field_values(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    priya, _ = person_of(clockify, "Priya Shah")
    chen, _ = person_of(clockify, "Chen Wei")
    _jordan, jordan_key = person_of(clockify, "Jordan Lee")
    field = clockify.state.add_custom_field(ws, "Employee ID", entity_type="USER")

    async def go() -> None:
        async with make_client(api_key=jordan_key) as admin:
            await admin.team.set_rate(ws, priya, "hourly", RateChange(amount=9150))
            await admin.team.set_rate(
                ws, priya, "cost", RateChange(amount=5000, since="2026-01-01T00:00:00Z")
            )
            await admin.team.set_status(ws, chen, active=False)
            chen_now = (await everyone(admin, ws, status="INACTIVE"))["Chen Wei"]
            assert chen_now.memberships
            assert chen_now.memberships[0].membership_status == "INACTIVE"
            await admin.team.set_status(ws, chen, active=True)
            await admin.team.grant(ws, chen, RoleGrant(role="TEAM_MANAGER", entity_id=priya))
            managers = await admin.team.search(ws, UsersFilter(roles=["TEAM_MANAGER"]))
            assert {p.name for p in managers} == {"Sam Rivera", "Chen Wei"}
            await admin.team.revoke(ws, chen, RoleGrant(role="TEAM_MANAGER", entity_id=priya))
            with pytest.raises(BadRequestError):  # nothing left to revoke
                await admin.team.revoke(ws, chen, RoleGrant(role="TEAM_MANAGER", entity_id=priya))
            value = await admin.team.set_field_value(ws, priya, field.id, "E-042")
            assert value.value == "E-042"
            await admin.member_profile.update(
                ws, priya, MemberProfileUpdate(work_capacity="PT6H", working_days=["MONDAY"])
            )
            priya_now = (await everyone(admin, ws, email="priya"))["Priya Shah"]
            assert rate_of(priya_now, "hourly") == 9150
            assert rate_of(priya_now, "cost") == 5000
            assert [(v.custom_field_name, v.value) for v in priya_now.custom_fields] == [
                ("Employee ID", "E-042")
            ]
            profile = await admin.member_profile.get(ws, priya)
            assert profile.working_days == ["MONDAY"]

    run(go())


def test_groups_are_created_renamed_filled_and_deleted(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    chen, _ = person_of(clockify, "Chen Wei")
    sam, _ = person_of(clockify, "Sam Rivera")

    async def go() -> None:
        async with make_client() as owner:
            made = await owner.team.create_group(ws, "Platform")
            assert made.user_ids == []
            with pytest.raises(BadRequestError):  # names are unique
                await owner.team.create_group(ws, "platform")
            renamed = await owner.team.rename_group(ws, made.id, "Platform team")
            assert renamed.name == "Platform team"
            filled = await owner.team.add_to_group(ws, made.id, chen)
            assert filled.user_ids == [chen]
            await owner.team.grant(
                ws,
                sam,
                RoleGrant(role="TEAM_MANAGER", entity_id=made.id, source_type="USER_GROUP"),
            )
            listed = {g.name: g async for g in owner.team.groups(ws, name="platform")}
            assert [m.id for m in listed["Platform team"].team_managers] == [sam]
            emptied = await owner.team.remove_from_group(ws, made.id, chen)
            assert emptied.user_ids == []
            await owner.team.delete_group(ws, made.id)
            assert [g.name async for g in owner.team.groups(ws, name="platform")] == []
            with pytest.raises(BadRequestError):
                await owner.team.delete_group(ws, made.id)

    run(go())


def test_a_manager_and_a_member_may_read_but_not_change(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    priya, priya_key = person_of(clockify, "Priya Shah")
    _sam, sam_key = person_of(clockify, "Sam Rivera")

    async def go() -> None:
        for key in (sam_key, priya_key):
            async with make_client(api_key=key) as someone:
                assert len(await everyone(someone, ws)) == 5
                with pytest.raises(ForbiddenError):
                    await someone.team.set_rate(ws, priya, "hourly", RateChange(amount=1))
                with pytest.raises(ForbiddenError):
                    await someone.team.set_status(ws, priya, active=False)
                with pytest.raises(ForbiddenError):
                    await someone.team.create_group(ws, "Mine")
                with pytest.raises(ForbiddenError):
                    await someone.team.invite(ws, "new.person@example.com")

    run(go())


def test_invitations_are_pending_and_free_workspaces_cannot_invite(
    clockify_factory: Callable[..., FakeClockify], make_client: Make, clockify: FakeClockify
) -> None:
    ws = clockify.workspace_id

    async def go() -> None:
        async with make_client() as owner:
            await owner.team.invite(ws, "new.person@example.com", send_email=False)
            new = (await everyone(owner, ws, email="new.person"))["new.person@example.com"]
            assert new.name is None
            assert new.settings is None
            assert new.memberships
            assert new.memberships[0].membership_status == "PENDING"
            with pytest.raises(BadRequestError):  # already in the workspace
                await owner.team.invite(ws, "new.person@example.com")
            with pytest.raises(BadRequestError):
                await owner.team.invite(ws, "not an email")

    run(go())
    free = clockify_factory(seed="demo", plan="FREE")

    async def on_free() -> None:
        servers = Servers.custom(free.base_url, free.reports_url)
        async with make_client(api_key=free.api_key, servers=servers) as owner:
            with pytest.raises(ForbiddenError):
                await owner.team.invite(free.workspace_id, "new.person@example.com")

    run(on_free())


def test_a_rate_path_answers_405_to_a_read() -> None:
    # Off the spec on purpose (no GET there), so this server is not contract-checked.
    with FakeClockify("demo") as server:
        priya, _ = person_of(server, "Priya Shah")
        ws = server.workspace_id
        for kind in ("hourly", "cost"):
            url = f"{server.base_url}/v1/workspaces/{ws}/users/{priya}/{kind}-rate"
            answer = httpx.get(url, headers={"X-Api-Key": server.api_key})
            assert answer.status_code == 405
            assert answer.json()["code"] == 3000


def test_a_rate_change_whose_answer_is_lost_is_not_sent_again(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    priya, _ = person_of(clockify, "Priya Shah")
    clockify.add_fault(Fault(kind="drop_after_commit", path="/hourly-rate$"))

    async def go() -> None:
        async with make_client() as owner:
            with pytest.raises(TransportError) as lost:
                await owner.team.set_rate(ws, priya, "hourly", RateChange(amount=8800))
            assert lost.value.maybe_committed

    run(go())
    sent = [e for e in clockify.exchanges if e.path.endswith("/hourly-rate")]
    assert len(sent) == 1
    assert rate_of_state(clockify, priya) == 8800


def rate_of_state(server: FakeClockify, user_id: str) -> int:
    with server.state.lock:
        member = server.state.workspaces[server.workspace_id].workspace.members[user_id]
        assert member.hourly_rate is not None
        return int(member.hourly_rate["amount"])
