"""Finding projects, tasks, tags and clients by what people type; quick creation."""

from __future__ import annotations

import pytest

from tracker.domain.model import Project
from tracker.services import LOCAL_WORKSPACE, AmbiguousName, NotFound, ServiceError, Tracker
from tracker.services.catalog import Catalog
from tracker.store import Store


@pytest.fixture
def catalog(tracker: Tracker) -> Catalog:
    acme = tracker.catalog.create_client("Acme")
    globex = tracker.catalog.create_client("Globex")
    tracker.catalog.create_project("Website", acme.id)
    tracker.catalog.create_project("Website", globex.id)
    tracker.catalog.create_project("Web shop", "Acme")
    tracker.catalog.create_project("Internal")
    tracker.catalog.create_project("Interviews")
    tracker.catalog.create_project("Mobile app")
    return tracker.catalog


def test_an_exact_name_wins_over_a_longer_one_containing_it(tracker: Tracker) -> None:
    tracker.catalog.create_project("Web")
    tracker.catalog.create_project("Website")
    assert tracker.catalog.resolve_project("web").name == "Web"
    assert tracker.catalog.resolve_project("WEBSITE").name == "Website"


def test_a_unique_part_of_a_name(catalog: Catalog) -> None:
    assert catalog.resolve_project("mobile").name == "Mobile app"
    assert catalog.resolve_project("shop").name == "Web shop"


def test_a_close_spelling(catalog: Catalog) -> None:
    assert catalog.resolve_project("Intrenal").name == "Internal"


def test_several_matches_list_every_one_with_its_client(catalog: Catalog) -> None:
    with pytest.raises(AmbiguousName) as caught:
        catalog.resolve_project("web")
    error = caught.value
    labels = [m.split("  (id ")[0] for m in error.matches]
    assert labels == ["Web shop (Acme)", "Website (Acme)", "Website (Globex)"]
    assert error.message.startswith("'web' matches 3 projects; be more specific")
    assert "  Website (Globex)  (id " in error.message


def test_the_same_name_under_two_clients_is_ambiguous_until_the_client_is_given(
    catalog: Catalog,
) -> None:
    with pytest.raises(AmbiguousName, match="'website' matches 2 projects"):
        catalog.resolve_project("website")
    chosen = catalog.resolve_project("Website (Globex)")
    assert catalog.project_label(chosen) == "Website (Globex)"


def test_an_id_is_taken_as_it_is(catalog: Catalog) -> None:
    project = catalog.projects()[0]
    assert catalog.resolve_project(project.id) == project


def test_nothing_matches_suggests_creating_it(catalog: Catalog) -> None:
    with pytest.raises(NotFound) as caught:
        catalog.resolve_project("Zebra")
    assert (
        caught.value.message
        == "No project matches 'Zebra'. Create it with `tracker projects add Zebra`."
    )
    with pytest.raises(NotFound, match='tracker projects add "Big zebra"'):
        catalog.resolve_project("Big zebra")


def test_an_archived_project_is_named_as_archived(store: Store, tracker: Tracker) -> None:
    old = tracker.catalog.create_project("Legacy")
    store.conn.execute("UPDATE refs SET archived = 1 WHERE id = ?", (old.id,))
    with pytest.raises(ServiceError, match="The project 'Legacy' is archived"):
        tracker.catalog.resolve_project("legacy")


def test_tasks_within_a_project_or_anywhere(tracker: Tracker) -> None:
    web = tracker.catalog.create_project("Website")
    app = tracker.catalog.create_project("App")
    tracker.catalog.create_task(web, "Review")
    tracker.catalog.create_task(app, "Review")
    deploy = tracker.catalog.create_task("App", "Deploy")
    assert tracker.catalog.resolve_task("review", web).project_id == web.id
    assert tracker.catalog.resolve_task("dep") == deploy
    with pytest.raises(AmbiguousName) as caught:
        tracker.catalog.resolve_task("review")
    assert [m.split("  (id ")[0] for m in caught.value.matches] == [
        "Review (App)",
        "Review (Website)",
    ]
    with pytest.raises(NotFound, match="tracker tasks add -p Website Build"):
        tracker.catalog.resolve_task("Build", web)


def test_done_tasks_are_not_picked(store: Store, tracker: Tracker) -> None:
    web = tracker.catalog.create_project("Website")
    task = tracker.catalog.create_task(web, "Launch")
    store.conn.execute("UPDATE refs SET archived = 1 WHERE id = ?", (task.id,))
    with pytest.raises(ServiceError, match="The task 'Launch' is done"):
        tracker.catalog.resolve_task("launch", web)


def test_tags_and_clients(catalog: Catalog) -> None:
    catalog.create_tag("urgent")
    catalog.create_tag("meeting")
    assert catalog.resolve_tag("URG").name == "urgent"
    assert catalog.resolve_client("glob").name == "Globex"
    with pytest.raises(NotFound, match="tracker tags add nope"):
        catalog.resolve_tag("nope")
    with pytest.raises(NotFound, match="tracker clients add Initech"):
        catalog.resolve_client("Initech")
    assert catalog.resolve_tags(["urgent", "URGENT", "meet"]) == tuple(
        t.id for t in (catalog.resolve_tag("urgent"), catalog.resolve_tag("meeting"))
    )


def test_create_refuses_duplicates_and_bad_input(catalog: Catalog) -> None:
    with pytest.raises(ServiceError, match="'Internal' already exists"):
        catalog.create_project("internal")
    with pytest.raises(ServiceError, match="'Website \\(Acme\\)' already exists"):
        catalog.create_project("Website", "Acme")
    with pytest.raises(ServiceError, match="needs a name"):
        catalog.create_tag("   ")
    with pytest.raises(ServiceError, match="not a colour"):
        catalog.create_project("Red", color="red")
    with pytest.raises(ServiceError, match="client named 'Acme' already exists"):
        catalog.create_client("ACME")
    catalog.create_task("Internal", "X")
    with pytest.raises(ServiceError, match="already has a task named 'X'"):
        catalog.create_task("Internal", "x")


def test_created_items_wait_for_sync(store: Store, tracker: Tracker) -> None:
    project = tracker.catalog.create_project("New  project ", color="#03A9F4")
    assert isinstance(project, Project)
    assert (project.name, project.color, project.workspace_id) == (
        "New project",
        "#03a9f4",
        LOCAL_WORKSPACE,
    )
    assert [p.id for p in store.catalog.unsent("project", LOCAL_WORKSPACE)] == [project.id]
