"""The person's role, learnt once with a role filter and kept: owners and admins, managers
and members are told apart without asking again for a day."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify
from tests.helpers.clock import FakeClock
from tracker.api import ClockifyClient
from tracker.domain.model import WorkspaceInfo
from tracker.services.abilities import (
    ACCESS_KEY,
    ELEVATED,
    ROLE_ADMIN,
    ROLE_MANAGER,
    ROLE_MEMBER,
    abilities,
)
from tracker.services.reports_online import OnlineReports, Person

from .conftest import run
from .test_approvals_service import key_of, person

Make = Callable[..., ClockifyClient]


@pytest.mark.parametrize(
    ("name", "role", "administers"),
    [
        ("Alex", ROLE_ADMIN, True),
        ("Jordan", ROLE_ADMIN, True),
        ("Sam", ROLE_MANAGER, True),
        ("Priya", ROLE_MEMBER, False),
    ],
)
def test_each_role_is_learnt_in_two_requests_then_kept(  # noqa: PLR0917 - fixtures
    clockify: FakeClockify,
    make_client: Make,
    tmp_path: Path,
    name: str,
    role: str,
    administers: bool,
) -> None:
    clock = FakeClock.starting_now()
    context = person(clockify, tmp_path, name, clock)
    context.store.meta.save_workspace(WorkspaceInfo(clockify.workspace_id, "Demo"))
    assert abilities(context.store).role is None

    async def learn() -> None:
        async with make_client(api_key=key_of(clockify, name)) as api:
            await OnlineReports(context, api, Person()).access()
            await OnlineReports(context, api, Person()).access()  # kept: no request

    before = len(clockify.exchanges)
    run(learn())
    assert len(clockify.exchanges) - before == 2
    found = abilities(context.store)
    assert (found.role, found.administers) == (role, administers)
    assert found.decides is (role != ROLE_MEMBER)


def test_a_role_kept_before_admins_were_told_apart_is_learnt_again(
    clockify: FakeClockify, make_client: Make, tmp_path: Path
) -> None:
    clock = FakeClock.starting_now()
    context = person(clockify, tmp_path, "Sam", clock)
    meta = context.store.meta
    key = ACCESS_KEY + clockify.workspace_id
    meta.set(key, {"role": ELEVATED, "sees_team": True, "at": clock().timestamp()})
    assert abilities(context.store).role is None  # elevated, but admin or manager unknown
    assert abilities(context.store).decides is True

    async def learn() -> None:
        async with make_client(api_key=key_of(clockify, "Sam")) as api:
            await OnlineReports(context, api, Person()).access()

    run(learn())
    assert abilities(context.store).role == ROLE_MANAGER
