"""Projects and fields administration under a slow or silent server: a change whose answer
was lost is never sent twice and never mistaken for something else."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.helpers.clock import FakeClock
from tracker.api import ClockifyClient
from tracker.services.admin_base import AdminUnclear
from tracker.services.admin_fields import AdminFields
from tracker.services.admin_projects import AdminProjects
from tracker.store import Store

from .conftest import run
from .test_admin_projects_service import connect, requests_to

Make = Callable[..., ClockifyClient]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock.starting_now()


def test_a_custom_field_delete_whose_answer_was_lost_is_done(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    """The resent DELETE finds the field gone (400 "Custom field doesn't belong to
    Workspace"): that is the delete done, not a refusal."""
    context = connect(store, clockify, "Alex Morgan", clock)

    async def go() -> None:
        async with make_client() as api:
            labels = AdminFields(context, api)
            field = await labels.add_field("Cost centre", "txt")
            clockify.add_fault(
                Fault(kind="drop_after_commit", method="DELETE", path="/custom-fields/", times=1)
            )
            await labels.delete_field(field)
            kept = await labels.labels("fields", refresh=True)
            assert "Cost centre" not in [f.name for f in kept.value]

    run(go())
    assert requests_to(clockify, "DELETE", "/custom-fields/") == 2


def test_a_lost_create_is_not_confused_with_a_namesake_of_another_client(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    """Project names are unique per client: after a lost create of "Website Redesign" for
    Globex that never landed, Northwind's "Website Redesign" is not taken for it."""
    context = connect(store, clockify, "Alex Morgan", clock)
    data = clockify.state.workspaces[clockify.workspace_id]
    globex = next(c for c in data.clients.values() if c.name == "Globex Corporation")
    clockify.add_fault(Fault(kind="drop_before_commit", method="POST", path=r"/projects$", times=1))

    async def go() -> None:
        async with make_client() as api:
            service = AdminProjects(context, api)
            with pytest.raises(AdminUnclear):
                await service.add("Website Redesign", client_id=globex.id)
            with pytest.raises(AdminUnclear, match="not sent again before"):
                await service.add("Website Redesign", client_id=globex.id)
            clock.advance(minutes=16)
            made = await service.add("Website Redesign", client_id=globex.id)
            assert made.client_id == globex.id

    run(go())
    assert requests_to(clockify, "POST", "/projects") == 2
    named = [p for p in data.projects.values() if p.name == "Website Redesign"]
    assert sorted(p.client_id == globex.id for p in named) == [False, True]
