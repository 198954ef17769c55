"""Reference data: items made here, the server's lists, and looking items up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.store.support import WS
from tracker.domain.model import Client, CustomFieldDef, Project, Tag, Task
from tracker.store import Ref, Store


def names_of(items: list[Ref]) -> list[str]:
    return [item.name for item in items]


@pytest.mark.parametrize(
    "item",
    [
        Client("c1", WS, "Acme", archived=True),
        Project("p1", WS, "Website", client_id="c1", color="#ff0000", billable=True),
        Task("t1", WS, "p1", "Design", done=True, estimate=timedelta(hours=2, minutes=30)),
        Task("t2", WS, "p1", "Build"),
        Tag("g1", WS, "urgent"),
        CustomFieldDef(
            "f1", WS, "Ticket", kind="DROPDOWN_SINGLE", required=True, allowed_values=("A", "B")
        ),
        CustomFieldDef("f2", WS, "Old field", active=False),
    ],
    ids=lambda item: f"{type(item).__name__}-{item.id}",
)
def test_every_kind_reads_back_equal(store: Store, item: Ref) -> None:
    store.catalog.add_local(item)
    kind = {Client: "client", Project: "project", Task: "task", Tag: "tag"}.get(type(item), "field")
    assert store.catalog.get(kind, item.id) == item  # type: ignore[arg-type]


def test_an_item_made_here_is_unsent_until_marked_sent(store: Store) -> None:
    first = Project("local-1", WS, "Alpha")
    second = Project("local-2", WS, "Beta")
    store.catalog.add_local(first)
    store.catalog.add_local(second)
    store.catalog.add_local(Project("local-3", "ws2", "Elsewhere"))
    assert store.catalog.unsent("project", WS) == [first, second]  # in the order made
    assert store.catalog.unsent("tag", WS) == []
    assert store.catalog.server_id("project", "local-1") is None

    store.catalog.mark_sent("project", "local-1", "SP1")

    assert store.catalog.unsent("project", WS) == [second]
    assert store.catalog.server_id("project", "local-1") == "SP1"
    assert store.catalog.local_id("project", WS, "SP1") == "local-1"
    assert store.catalog.local_id("project", "ws2", "SP1") is None
    assert store.catalog.get("project", "local-1") == first


def test_a_refused_item_is_not_offered_again(store: Store) -> None:
    store.catalog.add_local(Tag("g1", WS, "bad name"))
    store.catalog.park("tag", "g1", "Name is taken")
    assert store.catalog.unsent("tag", WS) == []
    assert store.catalog.get("tag", "g1") is not None


def test_replace_from_server_maps_parents_archives_and_keeps_unsent(store: Store) -> None:
    # A client and a project made here and sent; a project made here and not sent yet.
    store.catalog.add_local(Client("c-local", WS, "Acme"))
    store.catalog.mark_sent("client", "c-local", "SC1")
    store.catalog.add_local(Project("p-local", WS, "Website", client_id="c-local"))
    store.catalog.mark_sent("project", "p-local", "SP1")
    store.catalog.add_local(Project("p-unsent", WS, "Offline idea"))
    # Projects the server listed before, one of which it no longer lists.
    store.catalog.replace_from_server(
        "project",
        WS,
        [("SP2", Project("SP2", WS, "Internal")), ("SP3", Project("SP3", WS, "Gone"))],
    )

    count = store.catalog.replace_from_server(
        "project",
        WS,
        [
            ("SP1", Project("SP1", WS, "Website (renamed)", client_id="SC1")),
            ("SP2", Project("SP2", WS, "Internal")),
            ("SP4", Project("SP4", WS, "Archived there", archived=True)),
        ],
    )
    assert count == 3
    tasks = store.catalog.replace_from_server(
        "task",
        WS,
        [("ST1", Task("ST1", WS, "SP1", "Design")), ("ST2", Task("ST2", WS, "SP2", "Ops"))],
    )
    assert tasks == 2

    website = store.catalog.get("project", "p-local")
    assert website == Project("p-local", WS, "Website (renamed)", client_id="c-local")
    assert store.catalog.get("project", "SP1") is None  # no second row for the same project
    design = store.catalog.get("task", "ST1")
    assert isinstance(design, Task)
    assert design.project_id == "p-local"  # the server's project id, mapped to the local id
    assert names_of(store.catalog.children("task", "p-local")) == ["Design"]

    gone = store.catalog.get("project", "SP3")
    assert isinstance(gone, Project)
    assert gone.archived  # kept, so old entries still show its name
    assert names_of(store.catalog.all("project", WS)) == [
        "Internal",
        "Offline idea",
        "Website (renamed)",
    ]
    assert names_of(store.catalog.all("project", WS, archived=True)) == [
        "Archived there",
        "Gone",
        "Internal",
        "Offline idea",
        "Website (renamed)",
    ]
    assert store.catalog.unsent("project", WS) == [Project("p-unsent", WS, "Offline idea")]
    assert store.catalog.count("project", WS) == 5


def test_an_item_listed_again_is_no_longer_archived(store: Store) -> None:
    store.catalog.replace_from_server("tag", WS, [("G1", Tag("G1", WS, "urgent"))])
    store.catalog.replace_from_server("tag", WS, [])
    assert store.catalog.all("tag", WS) == []
    store.catalog.replace_from_server("tag", WS, [("G1", Tag("G1", WS, "urgent"))])
    assert store.catalog.all("tag", WS) == [Tag("G1", WS, "urgent")]


def test_replace_from_server_touches_one_kind_and_workspace(store: Store) -> None:
    store.catalog.replace_from_server("tag", WS, [("G1", Tag("G1", WS, "urgent"))])
    store.catalog.replace_from_server("tag", "ws2", [("G2", Tag("G2", "ws2", "later"))])
    store.catalog.replace_from_server("client", WS, [])
    store.catalog.replace_from_server("tag", "ws2", [])
    assert store.catalog.all("tag", WS) == [Tag("G1", WS, "urgent")]


def test_named_ignores_case_and_returns_every_match(store: Store) -> None:
    store.catalog.add_local(Project("p1", WS, "Website"))
    store.catalog.replace_from_server("project", WS, [("SP1", Project("SP1", WS, "WEBSITE"))])
    store.catalog.add_local(Project("p2", WS, "Websites"))
    store.catalog.add_local(Project("p3", "ws2", "website"))
    store.catalog.add_local(Tag("g1", WS, "website"))

    found = store.catalog.named("project", WS, "website")
    assert sorted(item.id for item in found) == ["SP1", "p1"]
    assert store.catalog.named("project", WS, "nothing") == []
    assert [item.id for item in store.catalog.named("tag", WS, "WebSite")] == ["g1"]


def test_children_are_a_projects_open_tasks_by_name(store: Store) -> None:
    store.catalog.add_local(Project("p1", WS, "Website"))
    store.catalog.add_local(Task("t1", WS, "p1", "deploy"))
    store.catalog.add_local(Task("t2", WS, "p1", "Build"))
    store.catalog.add_local(Task("t3", WS, "p1", "Archive me", done=True))
    store.catalog.add_local(Task("t4", WS, "p2", "Other project"))

    assert names_of(store.catalog.children("task", "p1")) == ["Build", "deploy"]
    assert names_of(store.catalog.children("task", "p1", archived=True)) == [
        "Archive me",
        "Build",
        "deploy",
    ]
    assert store.catalog.children("task", "nothing") == []


def test_names_maps_ids_to_names(store: Store) -> None:
    store.catalog.add_local(Tag("g1", WS, "urgent"))
    store.catalog.add_local(Tag("g2", WS, "later"))
    store.catalog.add_local(Project("g3", WS, "a project, not a tag"))
    assert store.catalog.names("tag", ["g1", "g2", "g3", "missing"]) == {
        "g1": "urgent",
        "g2": "later",
    }
    assert store.catalog.names("tag", []) == {}
