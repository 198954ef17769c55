"""What the timer popup reads of the administrators' projects copy costs a few statements and
none of the big copy, however many projects it holds: a task's share of its estimate as the
picker opens, and whether a project's budget is spent as a timer starts."""

from __future__ import annotations

from dataclasses import asdict

from tests.helpers.clock import FakeClock
from tracker.services.admin_projects import (
    AdminProjects,
    ProjectView,
    TaskView,
    spent_budget,
    task_progress,
)
from tracker.services.context import Context
from tracker.store import Store

from .conftest import connect

WS = "ws1"


def _project(n: int, *, amount: int, reset: str | None = None) -> ProjectView:
    tasks = tuple(
        TaskView(
            id=f"p{n:05d}t{k}",
            name=f"Task {k}",
            project_id=f"p{n:05d}",
            done=False,
            estimate_seconds=4 * 3600,
            budget=None,
            assignee_ids=(),
            hourly_rate=None,
            cost_rate=None,
            tracked_seconds=(k + 1) * 3600,
        )
        for k in range(3)
    )
    return ProjectView(
        id=f"p{n:05d}",
        name=f"Project {n}",
        client_id=None,
        client_name="",
        color="#000000",
        billable=True,
        public=True,
        archived=False,
        template=False,
        note="",
        hourly_rate=None,
        cost_rate=None,
        members=(),
        estimate_seconds=None,
        estimate_from_tasks=False,
        estimate_reset=None,
        budget=100_000,
        budget_reset=reset,
        tasks=tasks,
        amount=amount,
    )


def test_the_popup_reads_a_digest_not_the_whole_copy(store: Store, clock: FakeClock) -> None:
    connect(store, workspace=WS)
    context = Context(store, clock)
    projects = [_project(n, amount=50_000) for n in range(300)]
    projects[7] = _project(7, amount=120_000)
    projects[8] = _project(8, amount=120_000, reset="MONTHLY")
    AdminProjects(context).keep({"projects": [asdict(p) for p in projects]})

    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    shares = task_progress(context)
    spent = spent_budget(context, "p00007")
    not_spent = spent_budget(context, "p00008")
    fine = spent_budget(context, "p00009")
    store.conn.set_trace_callback(None)

    assert len(shares) == 900
    assert shares["p00001t2"] == 0.75
    assert spent is not None
    assert spent.name == "Project 7"
    assert not_spent is None  # resets each month: the amount of all time says nothing
    assert fine is None
    assert len(statements) <= 16, "\n".join(s[:120] for s in statements)
    whole = AdminProjects(context).key()
    assert not any(f"'{whole}'" in s for s in statements), "the whole copy was read"
