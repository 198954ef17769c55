"""``tracker admin projects|tasks|clients|tags|fields`` against the test server, as people
with their own stores and keys: the owner builds a template and a project from it, a member
tracks time on one of its tasks with the ordinary verbs and sync, and the project's progress
moves; a member is refused in one sentence; offline reads show their age; a Free workspace
has no custom fields."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import Cli, Person, ok, people_of


def test_a_project_from_a_template_shows_the_time_tracked_on_it(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex, priya = people("Alex Morgan"), people("Priya Shah")
    ok(alex("admin", "projects", "add", "Launch template", "--color", "#FF9800"))
    ok(alex("admin", "tasks", "Launch template", "add", "Design", "--time", "4"))
    ok(alex("admin", "tasks", "Launch template", "add", "Build", "--time", "6", "--budget", "500"))
    estimated = ok(
        alex("admin", "projects", "estimate", "Launch template", "--from-tasks", "--budget", "900")
    )
    assert "time 10:00 from tasks, budget 900.00" in estimated.out
    ok(alex("admin", "projects", "template", "Launch template"))
    made = ok(alex("admin", "projects", "add", "Launch ACME", "--from-template", "Launch template"))
    assert "Created Launch ACME from Launch template." in made.out
    added = ok(
        alex("admin", "projects", "members", "Launch ACME", "add", "Priya Shah", "--rate", "60")
    )
    assert "Added Priya Shah to Launch ACME at 60.00 an hour." in added.out

    before = ok(alex("admin", "projects", "show", "Launch ACME", "--json")).json()
    assert before["tracked_seconds"] == 0
    assert before["estimate_seconds"] == 10 * 3600
    assert [m["hourly_rate"] for m in before["members"] if m["name"] == "Priya Shah"] == [6000]

    tracked = priya("add", "9:00", "11:30", "Sketches", "-p", "Launch ACME", "-t", "Design")
    assert tracked.code == 0, tracked.err
    ok(priya("sync"))

    after = ok(alex("admin", "projects", "show", "Launch ACME", "--refresh", "--json")).json()
    assert after["tracked_seconds"] == int(2.5 * 3600)
    assert after["time_progress"] == pytest.approx(0.25)
    design = next(t for t in after["tasks"] if t["name"] == "Design")
    assert design["tracked_seconds"] == int(2.5 * 3600)
    shown = ok(alex("admin", "projects", "show", "Launch ACME"))
    assert "time:   2:30 of 10:00 (from tasks) (25%)" in shown.out
    listed = ok(alex("admin", "projects", "list", "--json")).json()
    assert "Launch ACME" in [p["name"] for p in listed["projects"]]
    assert listed["progress_since"] == "2000-01-01"


def test_a_member_is_refused_in_one_sentence(
    clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    chen = people("Chen Wei")
    refused = chen("admin", "projects", "edit", "Mobile App", "--note", "mine")
    assert refused.code == 1
    assert refused.err.strip().count("\n") == 0
    assert "does not let you change the project Mobile App" in refused.err
    refused = chen("admin", "tags", "archive", "meeting")
    assert refused.code == 1
    assert "does not let you" in refused.err


def test_a_manager_changes_their_project_only(
    clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    sam = people("Sam Rivera")
    ok(sam("admin", "projects", "edit", "Mobile App", "--note", "v2 plans"))
    shown = ok(sam("admin", "projects", "show", "Mobile App", "--json")).json()
    assert shown["note"] == "v2 plans"


def test_offline_reads_show_their_age(
    cli: Cli,
    clockify: FakeClockify,
    people: Callable[[str], Person],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alex = people("Alex Morgan")
    ok(alex("admin", "projects", "list"))
    ok(alex("admin", "clients", "list"))
    clockify.stop()  # Clockify cannot be reached
    cli.advance(minutes=30)
    listed = ok(alex("admin", "projects", "list"))
    assert "Showing what was fetched at" in listed.err
    assert "Mobile App" in listed.out


def test_deleting_asks_first_and_dry_run_sends_nothing(
    clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people("Alex Morgan")
    ok(alex("admin", "clients", "add", "Short-lived Ltd", "--email", "ap@short.example"))
    dry = ok(alex("admin", "clients", "delete", "Short-lived", "--dry-run"))
    assert "Would archive and then delete the client Short-lived Ltd" in dry.out
    refused = alex("admin", "clients", "delete", "Short-lived")
    assert refused.code == 1
    assert "--yes" in refused.err
    ok(alex("admin", "clients", "delete", "Short-lived", "--yes"))
    names = [c.name for c in clockify.state.workspaces[clockify.workspace_id].clients.values()]
    assert "Short-lived Ltd" not in names


def test_fields_with_allowed_values_and_a_projects_own_default(
    clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people("Alex Morgan")
    made = alex(
        "admin", "fields", "add", "Office", "--type", "dropdown_single", "--value", "Berlin",
        "--value", "Lisbon",
    )  # fmt: skip
    assert made.code == 0, made.err
    own = ok(alex("admin", "fields", "project", "Mobile App", "Office", "--default", "Lisbon"))
    assert "The field Office is set on Mobile App." in own.out
    listed = ok(alex("admin", "fields", "list", "--json")).json()
    office = next(f for f in listed["fields"] if f["name"] == "Office")
    assert office["allowed_values"] == ["Berlin", "Lisbon"]
    assert [d[1] for d in office["project_defaults"]] == ["Lisbon"]


def test_a_free_workspace_has_no_custom_fields(
    cli: Cli,
    clockify_factory: Callable[..., FakeClockify],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    free = clockify_factory(seed="demo", plan="FREE")
    alex = people_of(cli, free, monkeypatch, tmp_path)("Alex Morgan")
    refused = alex("admin", "fields", "list")
    assert refused.code == 1
    assert "plan does not include" in refused.err
    listed = ok(alex("admin", "projects", "list", "--json")).json()
    assert listed["progress_since"] != "2000-01-01"  # 31 days on a Free workspace


def test_tasks_with_assignees_done_and_deleted(
    clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people("Alex Morgan")
    priya = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
    made = ok(
        alex("admin", "tasks", "Mobile App", "add", "QA pass", "--time", "2", "--assignee",
             "Priya Shah", "--json")
    ).json()  # fmt: skip
    assert (made["assignee_ids"], made["estimate_seconds"]) == ([priya], 7200)
    rated = ok(alex("admin", "tasks", "Mobile App", "edit", "QA pass", "--rate", "80", "--json"))
    assert rated.json()["hourly_rate"] == 8000
    done = ok(alex("admin", "tasks", "Mobile App", "done", "QA pass"))
    assert "The task QA pass is done." in done.out
    listed = ok(alex("admin", "tasks", "Mobile App", "list", "--json")).json()
    assert [t["done"] for t in listed["tasks"] if t["name"] == "QA pass"] == [True]
    ok(alex("admin", "tasks", "Mobile App", "delete", "QA pass", "--yes"))
    names = [t.name for t in clockify.state.workspaces[clockify.workspace_id].tasks.values()]
    assert "QA pass" not in names
