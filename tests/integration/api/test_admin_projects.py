"""Administering projects, tasks, clients, tags and custom fields against the test server,
over loopback and contract-checked: who may, what a template copies, the replace rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakeclockify import FakeClockify
from tracker.api import (
    BadRequestError,
    ClockifyClient,
    ForbiddenError,
    RateLimits,
    RequestBudget,
    Servers,
)
from tracker.api.models.admin_projects import (
    BudgetEstimateWrite,
    EstimateChange,
    FieldCreate,
    FieldUpdate,
    FromTemplate,
    MemberRates,
    MembersChange,
    MembershipsReplace,
    ProjectFieldChange,
    ProjectRecord,
    RateWrite,
    ResetOff,
    TaskWrite,
    TimeEstimateWrite,
)
from tracker.api.models.catalog import ClientCreate, ClientUpdate, ProjectCreate, ProjectUpdate

from .conftest import FAST_RETRY, run

Make = Callable[..., ClockifyClient]


def key_of(server: FakeClockify, name: str) -> tuple[str, str]:
    found = next(u for u in server.users if u.name == name)
    return found.user_id, found.api_key


async def _all_projects(api: ClockifyClient, ws: str, **filters: object) -> list[ProjectRecord]:
    return [p async for p in api.admin_projects.projects(ws, **filters)]  # type: ignore[arg-type]


def test_a_template_with_tasks_estimates_and_members_makes_a_project(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    priya, _ = key_of(clockify, "Priya Shah")

    async def go() -> None:
        async with make_client() as api:
            admin = api.admin_projects
            made = await admin.create(ws, ProjectCreate(name="Onboarding kit", color="#4CAF50"))
            for name, hours in (("Kick-off", 2), ("Setup", 6)):
                await admin.create_task(ws, made.id, TaskWrite(name=name, estimate=f"PT{hours}H"))
            both = TimeEstimateWrite(type="AUTO", active=True, reset_option="MONTHLY")
            estimated = await admin.estimate(
                ws,
                made.id,
                EstimateChange(
                    time_estimate=both, budget_estimate=BudgetEstimateWrite(estimate=80000)
                ),
            )
            assert estimated.time_estimate is not None
            assert estimated.time_estimate.estimate is not None
            assert estimated.time_estimate.estimate.total_seconds() == 8 * 3600  # tasks' sum
            assert estimated.time_estimate.reset_option == "MONTHLY"
            assert estimated.budget_estimate is not None
            assert estimated.budget_estimate.estimate == 80000
            await admin.change_members(ws, made.id, MembersChange(user_ids=[priya]))
            rated = await admin.member_rate(ws, made.id, priya, "hourly-rate", 5000)
            assert {m.user_id: m.hourly_rate for m in rated.memberships}[priya] is not None
            template = await admin.template(ws, made.id, on=True)
            assert template.template is True
            templates = await _all_projects(api, ws, is_template=True)
            assert [p.name for p in templates] == ["Onboarding kit"]

            copy = await admin.from_template(
                ws, FromTemplate(name="Onboarding ACME", template_project_id=made.id)
            )
            assert copy.template is False
            assert copy.color == "#4CAF50"
            assert sorted(t.name for t in (await admin.project(ws, copy.id)).tasks or []) == [
                "Kick-off",
                "Setup",
            ]
            assert copy.time_estimate is not None
            assert copy.time_estimate.reset_option == "MONTHLY"
            rates = {m.user_id: m.hourly_rate for m in copy.memberships}
            copied = rates[priya]
            assert copied is not None
            assert copied.amount == 5000
            with_priya = await _all_projects(api, ws, users=[priya], archived=False)
            assert {"Onboarding kit", "Onboarding ACME"} <= {p.name for p in with_priya}

            off = await admin.estimate(ws, copy.id, EstimateChange(estimate_reset=ResetOff()))
            assert off.time_estimate is not None
            assert off.time_estimate.reset_option is None

    run(go())


def test_archive_then_delete_and_tasks_done_then_delete(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id

    async def go() -> None:
        async with make_client() as api:
            admin = api.admin_projects
            made = await admin.create(ws, ProjectCreate(name="Short-lived"))
            task = await admin.create_task(ws, made.id, TaskWrite(name="Only", budget_estimate=9))
            with pytest.raises(BadRequestError, match="active task"):
                await admin.delete_task(ws, made.id, task.id)
            rated = await admin.task_rate(ws, made.id, task.id, "cost-rate", 1200)
            assert rated.cost_rate is not None
            assert rated.cost_rate.amount == 1200
            await admin.update_task(ws, made.id, task.id, TaskWrite(name="Only", status="DONE"))
            await admin.delete_task(ws, made.id, task.id)
            with pytest.raises(BadRequestError, match="active project"):
                await admin.delete(ws, made.id)
            archived = await admin.update(ws, made.id, ProjectUpdate(archived=True))
            assert archived.archived
            both = {p.name for p in await _all_projects(api, ws)}
            assert "Short-lived" in both  # archived omitted: both kinds
            active = {p.name for p in await _all_projects(api, ws, archived=False)}
            assert "Short-lived" not in active
            await admin.delete(ws, made.id)

    run(go())


def test_members_are_replaced_with_their_rates(clockify: FakeClockify, make_client: Make) -> None:
    ws = clockify.workspace_id
    chen, _ = key_of(clockify, "Chen Wei")

    async def go() -> None:
        async with make_client() as api:
            made = await api.admin_projects.create(ws, ProjectCreate(name="Rates"))
            replaced = await api.admin_projects.replace_members(
                ws,
                made.id,
                MembershipsReplace(
                    memberships=[MemberRates(user_id=chen, cost_rate=RateWrite(amount=3000))]
                ),
            )
            assert [
                (m.user_id, m.cost_rate and m.cost_rate.amount) for m in replaced.memberships
            ] == [(chen, 3000)]

    run(go())


def test_a_member_is_refused_and_a_manager_changes_only_their_project(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    _, priya_key = key_of(clockify, "Priya Shah")
    _, sam_key = key_of(clockify, "Sam Rivera")
    mobile = next(
        p for p in clockify.state.workspaces[ws].projects.values() if p.name == "Mobile App"
    )
    other = next(
        p
        for p in clockify.state.workspaces[ws].projects.values()
        if p.name != "Mobile App" and not p.archived
    )

    async def go() -> None:
        async with make_client(api_key=priya_key) as api:
            with pytest.raises(ForbiddenError):
                await api.admin_projects.update(ws, mobile.id, ProjectUpdate(note="mine now"))
            client = await api.clients.create(ws, ClientCreate(name="Priya's client"))
            with pytest.raises(ForbiddenError):
                await api.clients.update(ws, client.id, ClientUpdate(name="Renamed"))
        async with make_client(api_key=sam_key) as api:
            changed = await api.admin_projects.update(ws, mobile.id, ProjectUpdate(note="v2"))
            assert changed.note == "v2"
            with pytest.raises(ForbiddenError):
                await api.admin_projects.update(ws, other.id, ProjectUpdate(note="not mine"))

    run(go())


def test_custom_fields_and_a_projects_own_default(
    clockify: FakeClockify, make_client: Make
) -> None:
    ws = clockify.workspace_id
    project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)

    async def go() -> None:
        async with make_client() as api:
            admin = api.admin_projects
            made = await admin.create_field(
                ws,
                FieldCreate(
                    name="Office", type="DROPDOWN_SINGLE", allowed_values=["Berlin", "Lisbon"]
                ),
            )
            assert made.allowed_values == ["Berlin", "Lisbon"]
            with pytest.raises(BadRequestError, match="allowed values"):
                await admin.project_field(
                    ws, project.id, made.id, ProjectFieldChange(default_value="Paris")
                )
            own = await admin.project_field(
                ws, project.id, made.id, ProjectFieldChange(default_value="Lisbon")
            )
            assert [(d.project_id, d.value) for d in own.project_default_values] == [
                (project.id, "Lisbon")
            ]
            off = await admin.remove_project_field(ws, project.id, made.id)
            assert off.project_default_values[0].status == "INACTIVE"
            renamed = await admin.update_field(
                ws,
                made.id,
                FieldUpdate(
                    name="Site",
                    type="DROPDOWN_SINGLE",
                    allowed_values=["Berlin", "Lisbon", "Porto"],
                    required=True,
                ),
            )
            assert (renamed.name, renamed.required) == ("Site", True)
            assert "Site" in {f.name for f in await admin.fields(ws)}
            await admin.delete_field(ws, made.id)
            assert "Site" not in {f.name for f in await admin.fields(ws)}

    run(go())


def test_custom_fields_need_a_paid_plan(make_client: Make) -> None:
    with FakeClockify("demo", plan="FREE") as server:

        async def go() -> None:
            async with ClockifyClient(
                server.api_key,
                servers=Servers.custom(server.base_url, server.reports_url),
                retry=FAST_RETRY,
                budget=RequestBudget(RateLimits()),
            ) as api:
                with pytest.raises(ForbiddenError):
                    await api.admin_projects.create_field(
                        server.workspace_id, FieldCreate(name="Ticket", type="TXT")
                    )

        run(go())
