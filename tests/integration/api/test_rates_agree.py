"""The local report prices entries as Clockify's reports do: the same entries (synced from
the test server) at the same rates (kept by workspace administration) give the same earned,
cost and profit amounts, in total and per project, as the Reports host computes for them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.fakeclockify import FakeClockify
from tests.helpers.clock import FakeClock
from tracker.api import ClockifyClient
from tracker.api.models.reports import EntityFilter, ReportFilter
from tracker.services.admin_people import Team
from tracker.services.admin_projects import AdminProjects
from tracker.services.context import Context
from tracker.services.rates import kept_rates
from tracker.services.reports import Group, LocalReportSource, ReportQuery
from tracker.services.reports_online import OnlineReports, Person
from tracker.store import Store
from tracker.sync.account import connect_account
from tracker.sync.engine import SyncEngine

from .conftest import run

Make = Callable[..., ClockifyClient]


def by_label(groups: tuple[Group, ...]) -> dict[str, int | None]:
    return {g.label: g.amount_cents for g in groups}


def money(group: Group, shown: str) -> int | None:
    """A local group's amount as the Reports host shows it for ``shown``."""
    if group.cost_cents is None or shown == "COST":
        return group.cost_cents
    return (group.amount_cents or 0) - group.cost_cents


def test_local_amounts_equal_clockifys_for_the_same_entries_and_rates(
    clockify: FakeClockify, make_client: Make, store: Store
) -> None:
    clock = FakeClock.starting_now()
    context = Context(store, clock)

    async def go() -> None:
        async with make_client() as api:
            ws, _ = await connect_account(store, api)
            engine = SyncEngine(
                store, api, workspace_id=ws, user_id=clockify.user_id, clock=clock, boot=clock.boot
            )
            report = await engine.run_once()
            assert report.pulled > 0
            today = clock().astimezone(context.zone()).date()
            query = ReportQuery(today - timedelta(days=6), today - timedelta(days=1))
            # Rates at every level: the task's on one task worked on, mine on one project.
            projects = AdminProjects(context, api)
            listed = (await projects.projects()).value
            worked = LocalReportSource(context).report(
                ReportQuery(query.start, query.end, group_by=("project", "task"))
            )
            on_task = next(g for g in worked.groups if any(c.key for c in g.children))
            other = next(g for g in worked.groups if g.key and g.key != on_task.key)
            server = {p.name: p for p in listed}
            first_task = next(c for c in on_task.children if c.key)
            project = server[on_task.label]
            task = next(t for t in project.tasks if t.name == first_task.label)
            await projects.edit_task(project, task, rate=80.0, cost=30.0)
            me = await projects.person("Alex Morgan")
            await projects.add_member(server[other.label], me, rate=77.0, cost=33.5)
            await projects.projects(refresh=True)
            await Team(context, api).team(refresh=True)
            book = kept_rates(context)
            assert book.workspace == (9500, 4500)
            assert book.people is not None
            assert book.projects is not None

            local = LocalReportSource(context).report(query)
            assert local.entries > 5
            assert local.priced_entries == local.entries  # every rate is known
            online = await OnlineReports(context, api, Person()).report(query, refresh=True)
            assert local.total_seconds == online.total_seconds
            assert local.amount_cents == online.amount_cents
            assert local.amount_cents
            assert by_label(local.groups) == by_label(online.groups)
            # Cost and profit: the Reports host's own totals and groups for them.
            mine = EntityFilter(ids=[clockify.user_id])
            for shown, total in (("COST", local.cost_cents), ("PROFIT", local.profit_cents)):
                summary = await api.reports.summary(
                    ws,
                    ReportFilter(
                        first_day=query.start,
                        last_day=query.end,
                        time_zone=local.zone,
                        users=mine,
                        amount_shown=shown,
                    ),
                    groups=("PROJECT",),
                )
                assert total == summary.total.total_amount, shown
                assert {g.label: money(g, shown) for g in local.groups} == {
                    g.name or "(Without project)": g.amount for g in summary.group_one
                }, shown

    run(go())
