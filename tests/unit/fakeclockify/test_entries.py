"""Time entries: timers, full replace, deletes, bulk routes, filters and paging."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fakeclockify import FakeClockify

T0 = "2031-03-10T08:00:00Z"
T1 = "2031-03-10T09:00:00Z"
T2 = "2031-03-10T10:30:00Z"
T3 = "2031-03-10T11:00:00Z"

FORCE_PROJECT = (
    "Time entry couldn't be created. Project is either required field or given project is archived."
)


def _first(api: httpx.Client, ws: str, what: str, **params: Any) -> dict[str, Any]:
    items: list[dict[str, Any]] = api.get(f"{ws}/{what}", params=params).json()
    return items[0]


def test_entry_shape_matches_the_live_api(api: httpx.Client, ws: str) -> None:
    created = api.post(f"{ws}/time-entries", json={"start": T0, "end": T1})
    assert created.status_code == 201
    entry = created.json()
    assert list(entry) == [
        "id",
        "description",
        "tagIds",
        "userId",
        "billable",
        "taskId",
        "projectId",
        "workspaceId",
        "timeInterval",
        "customFieldValues",
        "type",
        "kioskId",
        "hourlyRate",
        "costRate",
        "isLocked",
    ]
    assert len(entry["id"]) == 24
    assert int(entry["id"], 16) >= 0
    assert entry["projectId"] is None
    assert entry["taskId"] is None
    assert entry["kioskId"] is None
    assert entry["tagIds"] is None  # never given: null, like the live API
    assert entry["type"] == "REGULAR"
    assert entry["timeInterval"] == {"start": T0, "end": T1, "duration": "PT1H"}
    [field] = entry["customFieldValues"]
    assert field["value"] is None
    # The value's source (the spec's "value source type", example WORKSPACE), not the
    # field's kind (TXT): no value on the entry, so the workspace default shows.
    assert field["type"] == "WORKSPACE"


def test_start_stop_and_one_running_timer(
    server: FakeClockify, api: httpx.Client, ws: str, me: str
) -> None:
    first = api.post(f"{ws}/time-entries", json={"start": T0, "description": "one"}).json()
    assert first["timeInterval"] == {"start": T0, "end": None, "duration": None}
    second = api.post(f"{ws}/time-entries", json={"start": T1, "description": "two"}).json()
    stopped_first = api.get(f"{ws}/time-entries/{first['id']}").json()
    assert stopped_first["timeInterval"]["end"] == T1  # stopped at the new start
    running = api.get(me, params={"in-progress": "true"}).json()
    assert [e["id"] for e in running] == [second["id"]]
    in_workspace = api.get(f"{ws}/time-entries/status/in-progress")
    assert [e["id"] for e in in_workspace.json()] == [second["id"]]
    assert in_workspace.headers["last-page"] == "true"

    stopped = api.patch(me, json={"end": T2})
    assert stopped.status_code == 200
    assert stopped.json()["timeInterval"] == {"start": T1, "end": T2, "duration": "PT1H30M"}
    assert api.get(me, params={"in-progress": "true"}).json() == []
    assert server.state.running_entry(server.workspace_id, server.user_id) is None

    nothing = api.patch(me, json={"end": T3})
    assert nothing.status_code == 404
    assert nothing.json()["code"] == 404
    assert nothing.json()["message"].startswith("Currently running time entry doesn't exist")


def test_stop_before_start_and_end_before_start_are_400_501(
    api: httpx.Client, ws: str, me: str
) -> None:
    api.post(f"{ws}/time-entries", json={"start": T2})
    early = api.patch(me, json={"end": T1})
    assert (early.status_code, early.json()["code"]) == (400, 501)
    backwards = api.post(f"{ws}/time-entries", json={"start": T2, "end": T1})
    assert (backwards.status_code, backwards.json()["code"]) == (400, 501)
    missing_start = api.post(f"{ws}/time-entries", json={"end": T1})
    assert missing_start.status_code == 400


def test_put_is_a_full_replace(server: FakeClockify, api: httpx.Client, ws: str) -> None:
    project = _first(api, ws, "projects", archived="false")
    tag = _first(api, ws, "tags", archived="false")
    field = api.get(f"{ws}/custom-fields").json()[0]
    full = api.post(
        f"{ws}/time-entries",
        json={
            "start": T0,
            "end": T1,
            "description": "all set",
            "projectId": project["id"],
            "tagIds": [tag["id"]],
            "billable": True,
            "customFields": [{"customFieldId": field["id"], "value": "WEB-1"}],
        },
    ).json()
    assert full["customFieldValues"][0]["value"] == "WEB-1"
    assert full["customFieldValues"][0]["type"] == "TIMEENTRY"  # set on the entry itself
    replaced = api.put(f"{ws}/time-entries/{full['id']}", json={"start": T0, "end": T1})
    assert replaced.status_code == 200
    body = replaced.json()
    assert body["projectId"] is None
    assert body["tagIds"] is None
    assert body["description"] == ""
    assert body["billable"] is False
    assert body["customFieldValues"][0]["value"] is None
    cleared = api.put(
        f"{ws}/time-entries/{full['id']}", json={"start": T0, "end": T1, "tagIds": []}
    ).json()
    assert cleared["tagIds"] == []
    stored = server.state.time_entry(server.workspace_id, full["id"])
    assert stored == cleared


def test_put_without_end_keeps_or_makes_the_entry_running(
    api: httpx.Client, ws: str, me: str
) -> None:
    timer = api.post(f"{ws}/time-entries", json={"start": T0}).json()
    still = api.put(f"{ws}/time-entries/{timer['id']}", json={"start": T0, "description": "x"})
    assert still.json()["timeInterval"]["end"] is None
    api.patch(me, json={"end": T1})
    reopened = api.put(f"{ws}/time-entries/{timer['id']}", json={"start": T0}).json()
    assert reopened["timeInterval"]["end"] is None  # full replace: no end means running
    missing_start = api.put(f"{ws}/time-entries/{timer['id']}", json={"end": T1})
    assert missing_start.status_code == 400


def test_delete_is_204_and_an_unknown_id_is_400_501(
    server: FakeClockify, api: httpx.Client, ws: str
) -> None:
    entry = api.post(f"{ws}/time-entries", json={"start": T0, "end": T1}).json()
    deleted = api.delete(f"{ws}/time-entries/{entry['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert server.state.time_entry(server.workspace_id, entry["id"]) is None
    gone = api.get(f"{ws}/time-entries/{entry['id']}")
    assert gone.status_code == 400
    assert gone.json() == {"message": "Time entry doesn't belong to Workspace", "code": 501}
    assert api.delete(f"{ws}/time-entries/{entry['id']}").status_code == 400


def test_write_validation(api: httpx.Client, ws: str) -> None:
    unknown = api.post(
        f"{ws}/time-entries",
        json={"start": T0, "end": T1, "projectId": "000000000000000000000000"},
    )
    assert unknown.status_code == 400
    assert unknown.json() == {"message": "Project doesn't belong to Workspace", "code": 501}
    archived = _first(api, ws, "projects", archived="true")
    on_archived = api.post(
        f"{ws}/time-entries", json={"start": T0, "end": T1, "projectId": archived["id"]}
    )
    assert (on_archived.status_code, on_archived.json()["code"]) == (400, 501)
    too_long = api.post(f"{ws}/time-entries", json={"start": T0, "description": "x" * 3001})
    assert too_long.status_code == 400
    just_fits = api.post(
        f"{ws}/time-entries", json={"start": T0, "end": T1, "description": "x" * 3000}
    )
    assert just_fits.status_code == 201
    bad_tag = api.post(f"{ws}/time-entries", json={"start": T0, "tagIds": ["0" * 24]})
    assert (bad_tag.status_code, bad_tag.json()["code"]) == (400, 501)
    bad_task = api.post(f"{ws}/time-entries", json={"start": T0, "taskId": "0" * 24})
    assert (bad_task.status_code, bad_task.json()["code"]) == (400, 501)


def test_custom_fields_key_is_honoured_and_read_key_dropped(api: httpx.Client, ws: str) -> None:
    field = api.get(f"{ws}/custom-fields").json()[0]
    written = api.post(
        f"{ws}/time-entries",
        json={
            "start": T0,
            "end": T1,
            "customFields": [{"customFieldId": field["id"], "value": "A"}],
        },
    ).json()
    assert written["customFieldValues"][0]["value"] == "A"
    dropped = api.post(
        f"{ws}/time-entries",
        json={
            "start": T0,
            "end": T1,
            "customFieldValues": [{"customFieldId": field["id"], "value": "B"}],
        },
    )
    assert dropped.status_code == 201
    assert dropped.json()["customFieldValues"][0]["value"] is None


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ("projects", "Project is either required field"),
        ("tasks", "Task is either required field"),
        ("tags", "Tag is either required field"),
        ("description", "Description is required field"),
    ],
)
def test_force_settings_reject_incomplete_entries(
    server: FakeClockify, api: httpx.Client, ws: str, setting: str, fragment: str
) -> None:
    server.set_force(server.workspace_id, **{setting: True})
    settings = api.get(ws).json()["workspaceSettings"]
    assert settings["force" + setting.capitalize()] is True
    response = api.post(f"{ws}/time-entries", json={"start": T0})
    assert response.status_code == 400
    assert response.json()["code"] == 501
    assert fragment in response.json()["message"]
    assert server.state.running_entry(server.workspace_id, server.user_id) is None


def test_force_projects_message_and_complete_entry_passes(
    server: FakeClockify, api: httpx.Client, ws: str, me: str
) -> None:
    timer = api.post(f"{ws}/time-entries", json={"start": T0}).json()
    server.set_force(server.workspace_id, projects=True)
    refused = api.post(f"{ws}/time-entries", json={"start": T1, "end": T2})
    assert refused.json() == {"message": FORCE_PROJECT, "code": 501}
    stop = api.patch(me, json={"end": T1})  # the running entry lacks the project too
    assert (stop.status_code, stop.json()["code"]) == (400, 501)
    project = _first(api, ws, "projects", archived="false")
    api.put(f"{ws}/time-entries/{timer['id']}", json={"start": T0, "projectId": project["id"]})
    assert api.patch(me, json={"end": T1}).status_code == 200
    server.set_force(server.workspace_id)
    assert api.get(ws).json()["workspaceSettings"]["forceProjects"] is False


def test_required_custom_field(server: FakeClockify, api: httpx.Client, ws: str) -> None:
    field = server.state.add_custom_field(server.workspace_id, "Cost centre", required=True)
    refused = api.post(f"{ws}/time-entries", json={"start": T0, "end": T1})
    assert (refused.status_code, refused.json()["code"]) == (400, 501)
    accepted = api.post(
        f"{ws}/time-entries",
        json={"start": T0, "end": T1, "customFields": [{"customFieldId": field.id, "value": "7"}]},
    )
    assert accepted.status_code == 201


def test_list_is_newest_first_and_paged_with_last_page(
    server: FakeClockify, api: httpx.Client, me: str
) -> None:
    total = len(server.state.time_entries(server.workspace_id, server.user_id))
    assert total > 20
    seen: list[dict[str, Any]] = []
    page = 1
    while True:
        response = api.get(me, params={"page": page, "page-size": 7})
        assert response.status_code == 200
        seen.extend(response.json())
        if response.headers["last-page"] == "true":
            break
        assert len(response.json()) == 7
        page += 1
    assert len(seen) == total
    starts = [e["timeInterval"]["start"] for e in seen]
    assert starts == sorted(starts, reverse=True)
    beyond = api.get(me, params={"page": page + 3, "page-size": 7})
    assert (beyond.json(), beyond.headers["last-page"]) == ([], "true")
    exact = api.get(me, params={"page": 1, "page-size": total})
    assert exact.headers["last-page"] == "true"
    default = api.get(me)
    assert len(default.json()) == min(50, total)


def test_list_filters(server: FakeClockify, api: httpx.Client, ws: str, me: str) -> None:
    project = _first(api, ws, "projects", archived="false")
    tag = _first(api, ws, "tags", archived="false")
    mine = api.post(
        f"{ws}/time-entries",
        json={
            "start": T0,
            "end": T1,
            "description": "Quarterly Review",
            "projectId": project["id"],
            "tagIds": [tag["id"]],
        },
    ).json()
    assert mine["billable"] == project["billable"]  # creation defaults to the project's
    by_text = api.get(me, params={"description": "quarterly review"}).json()
    assert [e["id"] for e in by_text] == [mine["id"]]
    by_project = api.get(me, params={"project": project["id"], "page-size": 500}).json()
    assert by_project
    assert {e["projectId"] for e in by_project} == {project["id"]}
    by_tag = api.get(me, params=[("tags", tag["id"]), ("page-size", "500")]).json()
    assert all(tag["id"] in e["tagIds"] for e in by_tag)
    hydrated = api.get(me, params={"description": "quarterly", "hydrated": "true"}).json()[0]
    assert hydrated["project"]["id"] == project["id"]
    assert [t["id"] for t in hydrated["tags"]] == [tag["id"]]
    assert hydrated["task"] is None


def test_start_end_filters_use_the_profile_time_zone(api: httpx.Client, ws: str, me: str) -> None:
    """FACTS §4: the Z timestamps of the filter are read as Europe/Berlin wall clock."""
    late = api.post(
        f"{ws}/time-entries",
        json={"start": "2031-01-14T23:30:00Z", "end": "2031-01-14T23:45:00Z"},
    ).json()
    berlin_15th = api.get(
        me, params={"start": "2031-01-15T00:00:00Z", "end": "2031-01-16T00:00:00Z"}
    ).json()
    assert late["id"] in {e["id"] for e in berlin_15th}  # 00:30 on the 15th in Berlin
    utc_14th = api.get(
        me, params={"start": "2031-01-14T00:00:00Z", "end": "2031-01-15T00:00:00Z"}
    ).json()
    assert late["id"] not in {e["id"] for e in utc_14th}
    bad = api.get(me, params={"start": "yesterday"})
    assert (bad.status_code, bad.json()["code"]) == (400, 3000)


def test_bulk_edit_delete_duplicate_and_create_for_user(
    server: FakeClockify, api: httpx.Client, ws: str, me: str
) -> None:
    made = [
        api.post(f"{ws}/time-entries", json={"start": T0, "end": T1, "description": f"n{i}"}).json()
        for i in range(3)
    ]
    edited = api.put(me, json=[{"id": e["id"], "description": "edited"} for e in made])
    assert edited.status_code == 200
    assert [e["description"] for e in edited.json()] == ["edited"] * 3
    assert all(e["timeInterval"]["end"] == T1 for e in edited.json())  # omitted end kept
    copy = api.post(f"{me}/{made[0]['id']}/duplicate")
    assert copy.status_code == 201
    assert copy.json()["id"] != made[0]["id"]
    assert copy.json()["description"] == "edited"
    for_user = api.post(me, json={"start": T2, "end": T3})
    assert for_user.status_code == 201
    ids = [e["id"] for e in made] + [copy.json()["id"], for_user.json()["id"]]
    deleted = api.delete(me, params=[("time-entry-ids", i) for i in ids])
    assert deleted.status_code == 200
    assert sorted(e["id"] for e in deleted.json()) == sorted(ids)
    assert all(server.state.time_entry(server.workspace_id, i) is None for i in ids)
    missing = api.delete(me)
    assert (missing.status_code, missing.json()["code"]) == (400, 3000)
    stranger = server.state.add_user("Other", "other@example.com")
    server.state.add_member(server.workspace_id, stranger.id)
    other_path = f"{ws}/user/{stranger.id}/time-entries"
    assert api.get(other_path).status_code == 200  # the owner is an admin
    unknown_user = api.get(f"{ws}/user/{'0' * 24}/time-entries")
    assert (unknown_user.status_code, unknown_user.json()["code"]) == (400, 501)


def test_bulk_edit_is_all_or_nothing(api: httpx.Client, ws: str, me: str) -> None:
    entry = api.post(f"{ws}/time-entries", json={"start": T0, "end": T1}).json()
    response = api.put(
        me,
        json=[
            {"id": entry["id"], "description": "changed"},
            {"id": entry["id"], "projectId": "0" * 24},
        ],
    )
    assert response.status_code == 400
    assert api.get(f"{ws}/time-entries/{entry['id']}").json()["description"] == ""
