"""Every team and group change whose answer is lost (the change landed, the connection
closed) is read back, never sent twice, and leaves the kept copy right; a bulk invitation
that loses one answer in the middle adds everyone once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.groups import groups_of
from tests.fakeclockify.seeds import TEAM_GROUP
from tests.fakeclockify.team_seed import seed_people
from tests.helpers.served import sent
from tracker.api import ClockifyClient
from tracker.services.admin_base import AdminError
from tracker.services.admin_groups import Groups
from tracker.services.admin_people import Team
from tracker.store import Store

from .conftest import run
from .test_team_service import connect

Make = Callable[..., ClockifyClient]


def test_status_and_roles_whose_answer_was_lost_are_sent_once(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Alex Morgan")

    async def go() -> None:
        async with make_client() as api:
            team = Team(context, api)
            view = await team.team()
            chen = team.find(view, "chen")
            mobile = team.find_group(view, TEAM_GROUP)
            clockify.add_fault(
                Fault(kind="drop_after_commit", method="PUT", path=f"/users/{chen.id}$")
            )
            await team.set_status(chen, active=False)
            assert sent(clockify, "PUT", f"/users/{chen.id}") == 1
            clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/roles$"))
            await team.set_role(view, chen, "admin")
            assert sent(clockify, "POST", "/roles") == 1
            clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/roles$"))
            await team.set_role(view, chen, "manager", group=mobile)
            assert sent(clockify, "POST", "/roles") == 2
            view = await team.team(refresh=True)
            chen = team.find(view, "chen")
            clockify.add_fault(Fault(kind="drop_after_commit", method="DELETE", path="/roles$"))
            await team.set_role(view, chen, "none")
            assert sent(clockify, "DELETE", "/roles") == 2  # admin, then the group: once each
            kept = team.kept_team()
            assert kept is not None
            assert kept.person(chen.id).status == "INACTIVE"  # type: ignore[union-attr]
            assert kept.person(chen.id).role == "member"  # type: ignore[union-attr]

    run(go())


def test_group_rename_delete_and_leaving_whose_answer_was_lost_are_sent_once(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Alex Morgan")

    async def go() -> None:
        async with make_client() as api:
            team = Groups(context, api)
            view = await team.team()
            priya = team.find(view, "priya")
            mobile = team.find_group(view, TEAM_GROUP)
            clockify.add_fault(Fault(kind="drop_after_commit", method="PUT", path="/user-groups/"))
            await team.rename_group(mobile, "Mobile crew")
            assert sent(clockify, "PUT", f"/user-groups/{mobile.id}") == 1  # read back, not resent
            clockify.add_fault(Fault(kind="drop_after_commit", method="DELETE", path="/users/"))
            await team.remove_member(mobile, priya)
            assert sent(clockify, "DELETE", f"/users/{priya.id}") == 1
            clockify.add_fault(
                Fault(kind="drop_after_commit", method="DELETE", path="/user-groups/")
            )
            await team.delete_group(mobile)
            assert sent(clockify, "DELETE", f"/user-groups/{mobile.id}") == 1
            kept = team.kept_team()
            assert kept is not None
            assert kept.group(mobile.id) is None

    run(go())
    with clockify.state.lock:
        data = clockify.state.workspaces[clockify.workspace_id]
        assert all(g.name != TEAM_GROUP for g in groups_of(data).values())


def test_a_bulk_invitation_that_loses_an_answer_adds_everyone_once(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Alex Morgan")
    emails = [f"new.person.{n}@example.com" for n in range(1, 6)]

    async def go() -> None:
        async with make_client() as api:
            team = Team(context, api)
            await team.team()
            clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/users$"))
            result = await team.invite(emails)
            assert list(result.added) == emails
            assert result.refused == ()
            assert sent(clockify, "POST", f"/{clockify.workspace_id}/users") == 5

    run(go())
    with clockify.state.lock:
        data = clockify.state.workspaces[clockify.workspace_id]
        invited = [u.email for u in clockify.state.users.values() if u.email in emails]
        assert sorted(invited) == emails
        assert all(
            data.workspace.members[u.id].status == "PENDING"
            for u in clockify.state.users.values()
            if u.email in emails
        )


@pytest.mark.parametrize("kind", ["page_repeat", "page_never_short", "page_ignored"])
@pytest.mark.parametrize("path", ["/users$", "/user-groups$", "/users/info$"])
def test_a_lying_pager_neither_loops_nor_doubles_people_and_groups(
    clockify: FakeClockify, make_client: Make, store: Store, kind: str, path: str
) -> None:
    context = connect(store, clockify, "Alex Morgan")
    seed_people(clockify.state, clockify.workspace_id, 450, groups=120)
    clockify.add_fault(Fault(kind=kind, path=path, times=None))

    async def go() -> None:
        async with make_client() as api:
            team = Team(context, api)
            try:
                view = await team.team()
            except AdminError as exc:
                said = exc.message
            else:
                said = ""
            if said:
                assert "\n" not in said
                return
            assert len({p.id for p in view.people}) == len(view.people)
            assert len({g.id for g in view.groups}) == len(view.groups)
            assert len(view.people) <= 455
            assert len(view.groups) <= 122

    run(go())
    assert len(clockify.exchanges) < 100


def test_an_invitation_in_a_workspace_of_2000_says_what_it_really_costs(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    context = connect(store, clockify, "Alex Morgan")
    seed_people(clockify.state, clockify.workspace_id, 2000)

    async def go() -> None:
        async with make_client() as api:
            team = Team(context, api)
            await team.team()
            emails = ["one.more@example.com", "bulk.person.00007@example.com"]
            said = team.invite_cost(emails)
            before = len(clockify.exchanges)
            result = await team.invite(emails)
            asked = len(clockify.exchanges) - before
            assert result.added == ("one.more@example.com",)
            assert result.already == ("bulk.person.00007@example.com",)
            assert asked <= said  # never more than said before it was sent
            assert result.cost == asked

    run(go())
