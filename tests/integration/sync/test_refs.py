"""Reference data against the Clockify test server: parents before children, a child that
waits for a refused parent, and a refresh that fails half-way keeps the cache whole."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.fakeclockify import Fault
from tests.helpers.clock import FakeClock as Clock
from tracker.domain.model import Client, Project, Tag, Task, new_id
from tracker.services import Tracker
from tracker.services.requests import CreateClient, CreateProject
from tracker.sync.refs import KINDS

from .conftest import Harness


def _creates(harness: Harness, since: int = 0) -> list[str]:
    """The kinds of reference items created, in the order the server got them."""
    kinds = []
    for exchange in harness.server.exchanges[since:]:
        found = re.search(r"/(clients|projects|tasks|tags)$", exchange.path)
        if exchange.method == "POST" and found:
            kinds.append(found.group(1))
    return kinds


def test_every_kind_has_one_row_and_parents_come_first() -> None:
    names = [spec.kind for spec in KINDS]
    assert sorted(names) == sorted({"client", "project", "task", "tag", "field"})
    for spec in KINDS:
        if spec.parent is not None:
            assert names.index(spec.parent) < names.index(spec.kind), spec.kind
        assert spec.source in names[: names.index(spec.kind) + 1]


def test_a_client_project_and_task_made_here_reach_clockify_under_each_other(
    harness: Harness, clock: Clock
) -> None:
    ws = harness.ws
    client = Client(new_id(), ws, "Acme")
    project = Project(new_id(), ws, "Website", client_id=client.id, color="#03a9f4")
    task = Task(new_id(), ws, project.id, "Design")
    tag = Tag(new_id(), ws, "deep")
    for item in (task, tag, project, client):  # stored children first: order is sync's job
        harness.store.catalog.add_local(item)
    now = clock.now
    harness.new_entry(
        now - timedelta(hours=1),
        now,
        description="mockups",
        project_id=project.id,
        task_id=task.id,
        tag_ids=(tag.id,),
    )

    report = harness.sync()

    assert report.complete, report
    assert _creates(harness) == ["clients", "projects", "tasks", "tags"]
    state, catalog = harness.server.state, harness.store.catalog
    client_id = catalog.server_id("client", client.id)
    project_id = catalog.server_id("project", project.id)
    assert [c["id"] for c in state.clients(ws)] == [client_id]
    [made] = state.projects(ws)
    assert (made["id"], made["clientId"], made["color"]) == (project_id, client_id, "#03a9f4")
    assert [t["name"] for t in state.tasks(ws, project_id)] == ["Design"]
    assert catalog.server_id("task", task.id) == state.tasks(ws, project_id)[0]["id"]
    harness.assert_converged()
    again = len(harness.server.exchanges)
    harness.sync(refresh_refs=False)
    assert _creates(harness, again) == []  # sent once


def test_a_task_waits_while_its_project_is_refused(harness: Harness, clock: Clock) -> None:
    ws = harness.ws
    project = Project(new_id(), ws, "Refused project")
    task = Task(new_id(), ws, project.id, "Waiting task")
    harness.store.catalog.add_local(project)
    harness.store.catalog.add_local(task)
    harness.server.add_fault(Fault(kind="status", status=400, method="POST", path="/projects$"))

    report = harness.sync()

    assert [local for local, _ in report.parked] == [project.id]
    assert _creates(harness) == ["projects"]
    # The task was neither looked for nor sent: it has no project on Clockify to go under.
    assert not [x for x in harness.server.exchanges if "/tasks" in x.path]
    assert harness.store.catalog.server_id("task", task.id) is None
    assert [t.id for t in harness.store.catalog.unsent("task", ws)] == [task.id]
    assert harness.server.state.projects(ws) == []


def test_a_refresh_that_fails_half_way_keeps_the_cached_copy(
    harness: Harness, clock: Clock
) -> None:
    ws = harness.ws
    project = Project(new_id(), ws, "Kept")
    harness.store.catalog.add_local(project)
    assert harness.sync().complete
    assert [p.name for p in harness.store.catalog.all("project", ws)] == ["Kept"]
    # Clockify fails on the tags, after the clients and projects were listed.
    harness.server.add_fault(
        Fault(kind="status", status=503, method="GET", path="/tags$", times=None)
    )
    clock.advance(hours=13)

    report = harness.sync(refresh_refs=True)

    assert report.offline is not None
    assert not report.refs_refreshed
    assert [p.name for p in harness.store.catalog.all("project", ws)] == ["Kept"]
    assert harness.store.catalog.server_id("project", project.id) is not None


def test_a_project_made_in_a_picker_reaches_clockify_billable_with_its_new_client(
    harness: Harness, clock: Clock
) -> None:
    """What the picker's project form asks for (a new client, a colour, billable by
    default) is stored here first and sent by the next sync, as the CLI's creations are."""
    tracker = Tracker(harness.store, clock)
    client = CreateClient("Acme").run(tracker)
    project = CreateProject("Website Redesign", client.id, "#4caf50", billable=True).run(tracker)
    assert project.billable
    started = tracker.timer.start("Hero section", project=project.id)
    assert started.started.billable  # Clockify's rule, applied here before anything is sent

    report = harness.sync()

    assert report.complete, report
    state, catalog = harness.server.state, harness.store.catalog
    [made] = state.projects(harness.ws)
    assert (made["name"], made["billable"], made["color"]) == ("Website Redesign", True, "#4caf50")
    assert made["clientId"] == catalog.server_id("client", client.id)
    harness.assert_converged()
