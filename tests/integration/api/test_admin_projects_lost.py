"""Projects and fields administration under a slow or silent server: a change whose answer
was lost is never sent twice and never mistaken for something else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.helpers.clock import FakeClock
from tests.helpers.served import sent_to
from tracker.api import ClockifyClient
from tracker.services.admin_base import AdminUnclear
from tracker.services.admin_fields import AdminFields
from tracker.services.admin_projects import AdminProjects
from tracker.store import Store

from .conftest import run
from .test_admin_projects_service import connect

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
    assert sent_to(clockify, "DELETE", "/custom-fields/") == 2


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
    assert sent_to(clockify, "POST", "/projects") == 2
    named = [p for p in data.projects.values() if p.name == "Website Redesign"]
    assert sorted(p.client_id == globex.id for p in named) == [False, True]


Create = Callable[[AdminProjects, AdminFields], Awaitable[Any]]


async def _project(projects: AdminProjects, _labels: AdminFields) -> Any:
    return await projects.add("Late Project")


async def _from_template(projects: AdminProjects, _labels: AdminFields) -> Any:
    template = await projects.template(await projects.project("Mobile App"))
    return await projects.from_template(template, "Late Copy")


async def _task(projects: AdminProjects, _labels: AdminFields) -> Any:
    return await projects.add_task(await projects.project("Mobile App"), "Late task")


async def _client(_projects: AdminProjects, labels: AdminFields) -> Any:
    return await labels.add_client("Late Client")


async def _tag(_projects: AdminProjects, labels: AdminFields) -> Any:
    return await labels.add_tag("late-tag")


async def _field(_projects: AdminProjects, labels: AdminFields) -> Any:
    return await labels.add_field("Late field", "txt")


@pytest.mark.parametrize(
    "case",
    [
        (_project, r"/projects$", "Late Project"),
        (_from_template, r"/projects/from-template$", "Late Copy"),
        (_task, r"/tasks$", "Late task"),
        (_client, r"/clients$", "Late Client"),
        (_tag, r"/tags$", "late-tag"),
        (_field, r"/custom-fields$", "Late field"),
    ],
)
def test_a_create_the_server_commits_late_is_sent_once(
    clockify: FakeClockify,
    make_client: Make,
    store: Store,
    clock: FakeClock,
    case: tuple[Create, str, str],
) -> None:
    """The answer outlives the client's patience and the commit comes after it: asked again
    at once, the create is not sent (not found yet); once it landed it is adopted."""
    create, path, name = case
    context = connect(store, clockify, "Alex Morgan", clock)
    data = clockify.state.workspaces[clockify.workspace_id]

    def made() -> int:
        return sum(
            [x.name for x in bag.values()].count(name)
            for bag in (data.projects, data.tasks, data.clients, data.tags, data.custom_fields)
        )

    async def go() -> None:
        async with make_client(timeout=httpx.Timeout(0.4)) as api:
            projects, labels = AdminProjects(context, api), AdminFields(context, api)
            clockify.add_fault(Fault(kind="delay", delay=1.0, method="POST", path=path, times=1))
            with pytest.raises(AdminUnclear):
                await create(projects, labels)
            with pytest.raises(AdminUnclear, match="not sent again before"):
                await create(projects, labels)
            clockify.wait_for(lambda _log: made() == 1, timeout=5)
            adopted = await create(projects, labels)
            assert adopted.name == name

    run(go())
    assert sent_to(clockify, "POST", path.strip("$^").replace("\\", "")) == 1
    assert made() == 1


def test_a_lost_create_of_a_name_with_spaces_around_it_is_found(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    """Clockify keeps a name without the spaces around it; the look for a lost create
    compares the same name, so it is adopted rather than held for a quarter of an hour."""
    context = connect(store, clockify, "Alex Morgan", clock)

    async def go() -> None:
        async with make_client() as api:
            labels = AdminFields(context, api)
            clockify.add_fault(
                Fault(kind="drop_after_commit", method="POST", path="/custom-fields$", times=1)
            )
            with pytest.raises(AdminUnclear):
                await labels.add_field(" Cost centre ", "txt")
            made = await labels.add_field(" Cost centre ", "txt")
            assert made.name == "Cost centre"

    run(go())
    assert sent_to(clockify, "POST", "/custom-fields") == 1
