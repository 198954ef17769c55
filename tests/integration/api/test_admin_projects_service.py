"""The projects administration service against the test server with a real store: progress
from one report kept with the projects, creates never sent twice, the timer's catalog told,
a member refused in one sentence, and clients, tags and fields replaced whole."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.helpers.clock import FakeClock
from tests.helpers.served import person_of, sent_to
from tracker.api import ClockifyClient
from tracker.domain.model import WorkspaceInfo
from tracker.services.admin_base import AdminError, AdminUnclear
from tracker.services.admin_fields import AdminFields
from tracker.services.admin_projects import PROGRESS_SINCE, AdminProjects, pick, pick_task
from tracker.services.context import Context
from tracker.store import Store
from tracker.store.meta import REFS

from .conftest import run

Make = Callable[..., ClockifyClient]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock.starting_now()


def connect(store: Store, server: FakeClockify, name: str, clock: FakeClock) -> Context:
    user_id, _ = person_of(server, name)
    store.meta.set_account({"user_id": user_id, "name": name, "email": "x@example.com"})
    store.meta.set_workspace_id(server.workspace_id)
    store.meta.save_workspace(WorkspaceInfo(server.workspace_id, "Demo", free_plan=False))
    store.meta.set_fetched_at(REFS, server.workspace_id, clock.now.timestamp())
    return Context(store, clock)


def test_progress_comes_from_one_report_and_is_kept_with_the_projects(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = connect(store, clockify, "Alex Morgan", clock)
    ws = clockify.workspace_id
    state = clockify.state
    project = next(p for p in state.workspaces[ws].projects.values() if not p.archived)
    task = state.add_task(ws, project.id, "Progress check", estimate="PT10H")
    start = int((clock.now - timedelta(days=2)).timestamp())
    state.add_entry(
        ws, clockify.user_id, start, start + 3 * 3600, project_id=project.id, task_id=task.id
    )

    async def go() -> None:
        async with make_client() as api:
            service = AdminProjects(context, api)
            clockify.clear_exchanges()
            kept = await service.projects()
            reports = [e for e in clockify.exchanges if e.host == "reports"]
            assert len(reports) == 1
            shown = pick(kept.value, project.name)
            done = pick_task(shown, "Progress check")
            assert done.estimate_seconds == 10 * 3600
            assert done.tracked_seconds == 3 * 3600
            assert shown.tracked_seconds >= 3 * 3600
            assert service.progress_since() == PROGRESS_SINCE
            sent = len(clockify.exchanges)
            again = await service.projects()
            assert len(clockify.exchanges) == sent  # fresh: no request
            assert again.as_of == kept.as_of

    run(go())


def test_a_lost_create_is_found_by_name_and_never_sent_twice(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = connect(store, clockify, "Alex Morgan", clock)
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path=r"/projects$", times=1))

    async def go() -> None:
        async with make_client() as api:
            service = AdminProjects(context, api)
            with pytest.raises(AdminUnclear, match="may or may not"):
                await service.add("Lost answer")
            made = await service.add("Lost answer")
            assert made.name == "Lost answer"

    run(go())
    posts = [e for e in clockify.exchanges if e.method == "POST" and e.path.endswith("/projects")]
    assert len(posts) == 1
    names = [p.name for p in clockify.state.workspaces[clockify.workspace_id].projects.values()]
    assert names.count("Lost answer") == 1
    assert store.meta.fetched_at(REFS, clockify.workspace_id) == 0.0  # the catalog is due


def test_an_unfound_lost_create_waits_for_the_horizon(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = connect(store, clockify, "Alex Morgan", clock)
    clockify.add_fault(Fault(kind="drop_before_commit", method="POST", path=r"/projects$", times=1))

    async def go() -> None:
        async with make_client() as api:
            service = AdminProjects(context, api)
            with pytest.raises(AdminUnclear):
                await service.add("Never landed")
            with pytest.raises(AdminUnclear, match="not sent again before"):
                await service.add("Never landed")
            clock.advance(minutes=16)
            made = await service.add("Never landed")
            assert made.name == "Never landed"

    run(go())


def test_a_member_is_refused_in_one_sentence(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = connect(store, clockify, "Priya Shah", clock)
    _, key = person_of(clockify, "Priya Shah")

    async def go() -> None:
        async with make_client(api_key=key) as api:
            service = AdminProjects(context, api)
            project = await service.project("Mobile App")
            with pytest.raises(AdminError, match="does not let you change the project"):
                await service.edit(project, note="mine")

    run(go())


def test_members_rates_estimates_templates_and_tasks(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = connect(store, clockify, "Alex Morgan", clock)

    async def go() -> None:
        async with make_client() as api:
            service = AdminProjects(context, api)
            base = await service.add("Audit kit", color="#9C27B0")
            await service.add_task(base, "Interviews", hours=4)
            await service.add_task(base, "Report", hours=6, budget=300)
            base = await service.project("Audit kit")
            base = await service.estimate(base, from_tasks=True, budget=1500, reset="monthly")
            assert (base.estimate_seconds, base.estimate_from_tasks) == (10 * 3600, True)
            assert (base.budget, base.estimate_reset, base.budget_reset) == (
                150000,
                "MONTHLY",
                "MONTHLY",
            )
            priya = await service.person("Priya Shah")
            base = await service.add_member(base, priya, rate=55.5)
            assert {m.name: m.hourly_rate for m in base.members}["Priya Shah"] == 5550
            base = await service.template(base)
            copy = await service.from_template(base, "Audit ACME")
            assert sorted(t.name for t in copy.tasks) == ["Interviews", "Report"]
            assert copy.budget == 150000
            task = pick_task(copy, "interv")
            task = await service.edit_task(copy, task, rate=80, hours=5)
            assert (task.hourly_rate, task.estimate_seconds) == (8000, 5 * 3600)
            await service.delete_task(copy, task)  # marked done first
            copy = await service.estimate(copy, reset="none")
            assert (copy.estimate_reset, copy.budget_reset) == (None, None)
            await service.delete(copy)  # archived first
            names = [p.name for p in (await service.projects(refresh=True)).value]
            assert "Audit ACME" not in names

    run(go())


def test_clients_and_tags_are_replaced_whole(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = connect(store, clockify, "Alex Morgan", clock)

    async def go() -> None:
        async with make_client() as api:
            labels = AdminFields(context, api)
            client = await labels.add_client("Northwind", email="ap@northwind.example")
            archived = await labels.edit_client(client, archived=True)
            assert archived.archived
            assert archived.email == "ap@northwind.example"  # not cleared by the replace
            await labels.delete_client(archived)
            tag = await labels.add_tag("urgent")
            tag = await labels.edit_tag(tag, archived=True)
            renamed = await labels.edit_tag(tag, name="Urgent!")
            assert renamed.archived  # a rename does not un-archive
            field = await labels.add_field(
                "Office", "dropdown_single", allowed=["Berlin", "Lisbon"]
            )
            project = next(
                p
                for p in clockify.state.workspaces[clockify.workspace_id].projects.values()
                if not p.archived
            )
            own = await labels.project_field(field, project.id, default="Lisbon")
            assert own.project_defaults == ((project.id, "Lisbon", "VISIBLE"),)
            kept = await labels.labels("fields")
            assert "Office" in [f.name for f in kept.value]

    run(go())
    assert store.meta.fetched_at(REFS, clockify.workspace_id) == 0.0


def test_a_change_whose_answer_was_lost_is_read_back_before_it_is_asked_again(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = connect(store, clockify, "Alex Morgan", clock)
    clockify.add_fault(
        Fault(kind="drop_after_commit", method="POST", path=r"/memberships$", times=1)
    )

    async def go() -> None:
        async with make_client() as api:
            service = AdminProjects(context, api)
            priya = await service.person("Priya Shah")
            project = await service.project("Mobile App")
            with pytest.raises(AdminUnclear, match="read back"):
                await service.add_member(project, priya)
            project = await service.project("Mobile App")  # the stale copy is read again
            assert priya.id in [m.user_id for m in project.members]
            await service.add_member(project, priya)  # already there: nothing is sent

    run(go())
    assert sent_to(clockify, "POST", "/memberships") == 1


def test_a_delete_whose_answer_was_lost_is_done(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock
) -> None:
    context = connect(store, clockify, "Alex Morgan", clock)

    async def go() -> None:
        async with make_client() as api:
            service = AdminProjects(context, api)
            made = await service.archive(await service.add("Gone soon"))
            clockify.add_fault(Fault(kind="drop_after_commit", method="DELETE", times=1))
            await service.delete(made)  # the retry finds it gone: that is done
            names = [p.name for p in (await service.projects()).value]
            assert "Gone soon" not in names

    run(go())
