"""User, workspaces, members, projects, tasks, clients, tags and custom fields."""

from __future__ import annotations

import httpx

from tests.fakeclockify import FakeClockify


def test_user_and_workspaces(server: FakeClockify, api: httpx.Client, ws: str) -> None:
    user = api.get("/v1/user").json()
    assert user["id"] == server.user_id
    assert user["settings"]["timeZone"] == "Europe/Berlin"
    assert user["settings"]["weekStart"] == "MONDAY"
    assert user["defaultWorkspace"] == user["activeWorkspace"] == server.workspace_id
    assert user["memberships"] == []
    with_memberships = api.get("/v1/user", params={"include-memberships": "true"}).json()
    assert {m["targetId"] for m in with_memberships["memberships"]} == {
        server.workspace_id,
        server.second_workspace_id,
    }
    listed = api.get("/v1/workspaces", params={"page-size": 1})
    assert len(listed.json()) == 2  # ignores paging
    assert "last-page" not in listed.headers
    assert len(api.get("/v1/workspaces", params={"roles": "OWNER"}).json()) == 2
    assert api.get("/v1/workspaces", params={"roles": "TEAM_MANAGER"}).json() == []
    workspace = api.get(ws).json()
    settings = workspace["workspaceSettings"]
    assert "lockTimeEntries" not in settings  # unlocked: no live value on record
    assert not any(settings[f"force{k}"] for k in ("Projects", "Tasks", "Tags", "Description"))
    assert workspace["featureSubscriptionType"]


def test_users_list_and_filter(server: FakeClockify, api: httpx.Client, ws: str) -> None:
    teammate = server.state.add_user("Sam Lee", "sam.lee@example.com")
    server.state.add_member(server.workspace_id, teammate.id, ["TEAM_MANAGER"])
    everyone = api.get(f"{ws}/users")
    assert everyone.headers["last-page"] == "true"
    # The demo's owner and team, and the teammate added here.
    assert len(everyone.json()) == len(server.users) + 1 == 6
    first_page = api.get(f"{ws}/users", params={"page-size": 1})
    assert first_page.headers["last-page"] == "false"
    by_email = api.get(f"{ws}/users", params={"email": "sam.lee"}).json()
    assert [u["id"] for u in by_email] == [teammate.id]
    by_name = api.get(f"{ws}/users", params={"name": "alex"}).json()
    assert [u["id"] for u in by_name] == [server.user_id]
    by_role = api.post(f"{ws}/users/info", json={"roles": ["TEAM_MANAGER"], "pageSize": 10})
    seeded_manager = next(u.user_id for u in server.users if u.role == "MANAGER")
    assert {u["id"] for u in by_role.json()} == {teammate.id, seeded_manager}
    paged = api.post(f"{ws}/users/info", json={"page": 6, "pageSize": 1})
    assert len(paged.json()) == 1
    assert paged.headers["last-page"] == "true"


def test_projects_archived_filter_is_three_valued(api: httpx.Client, ws: str) -> None:
    every = api.get(f"{ws}/projects").json()
    archived = api.get(f"{ws}/projects", params={"archived": "true"}).json()
    active = api.get(f"{ws}/projects", params={"archived": "false"}).json()
    assert archived
    assert all(p["archived"] for p in archived)
    assert not any(p["archived"] for p in active)
    assert len(every) == len(archived) + len(active)
    without_client = [p for p in every if p["clientId"] == ""]
    assert without_client
    assert without_client[0]["clientName"] == ""
    assert all(p["duration"].startswith("PT") for p in every)


def test_project_lifecycle(server: FakeClockify, api: httpx.Client, ws: str) -> None:
    client = api.get(f"{ws}/clients").json()[0]
    created = api.post(
        f"{ws}/projects", json={"name": "Launch", "clientId": client["id"], "color": "#112233"}
    )
    assert created.status_code == 201
    project = created.json()
    assert project["clientName"] == client["name"]
    assert project["hourlyRate"] is None
    duplicate = api.post(f"{ws}/projects", json={"name": "launch", "clientId": client["id"]})
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, 501)
    short = api.post(f"{ws}/projects", json={"name": "X"})
    assert (short.status_code, short.json()["code"]) == (400, 501)
    nameless = api.post(f"{ws}/projects", json={})
    assert nameless.json() == {"message": "Project name is required", "code": 501}
    path = f"{ws}/projects/{project['id']}"
    assert api.delete(path).status_code == 400  # must be archived first
    archived = api.put(path, json={"archived": True})
    assert archived.json()["archived"] is True
    assert archived.json()["name"] == "Launch"
    deleted = api.delete(path)
    assert deleted.status_code == 200
    assert deleted.json()["id"] == project["id"]
    gone = api.get(path)
    assert gone.json() == {"message": "Project doesn't belong to Workspace", "code": 501}
    by_name = api.get(f"{ws}/projects", params={"name": "web", "strict-name-search": "false"})
    assert [p["name"] for p in by_name.json()] == ["Website Redesign"]


def test_projects_paging_and_client_filter(api: httpx.Client, ws: str) -> None:
    pages = [api.get(f"{ws}/projects", params={"page": n, "page-size": 3}) for n in (1, 2, 3)]
    assert [p.headers["last-page"] for p in pages] == ["false", "false", "true"]
    names = [p["name"] for page in pages for p in page.json()]
    assert names == sorted(names, key=str.lower)
    client = api.get(f"{ws}/clients").json()[0]
    only = api.get(f"{ws}/projects", params={"clients": client["id"]}).json()
    assert only
    assert {p["clientId"] for p in only} == {client["id"]}
    without = api.get(
        f"{ws}/projects", params={"clients": client["id"], "contains-client": "false"}
    ).json()
    assert client["id"] not in {p["clientId"] for p in without}


def test_tasks(api: httpx.Client, ws: str) -> None:
    projects = api.get(f"{ws}/projects", params={"name": "Data Migration"}).json()
    path = f"{ws}/projects/{projects[0]['id']}/tasks"
    every = api.get(path).json()
    done = [t for t in every if t["status"] == "DONE"]
    assert done
    active = api.get(path, params={"is-active": "true"}).json()
    assert all(t["status"] == "ACTIVE" for t in active)
    created = api.post(path, json={"name": "Cut-over"})
    assert created.status_code == 201
    task = created.json()
    assert api.delete(f"{path}/{task['id']}").status_code == 400  # must be DONE first
    renamed = api.put(f"{path}/{task['id']}", json={"name": "Cut-over night", "status": "DONE"})
    assert renamed.json()["status"] == "DONE"
    assert api.put(f"{path}/{task['id']}", json={"status": "DONE"}).status_code == 400
    assert api.delete(f"{path}/{task['id']}").status_code == 200
    assert api.get(f"{path}/{task['id']}").status_code == 400
    assert api.get(f"{ws}/projects/{'0' * 24}/tasks").status_code == 400


def test_clients(api: httpx.Client, ws: str) -> None:
    created = api.post(f"{ws}/clients", json={"name": "Umbrella", "note": "n"}).json()
    again = api.post(f"{ws}/clients", json={"name": "Umbrella"})
    assert again.json() == {"message": "Client with name 'Umbrella' already exists", "code": 501}
    path = f"{ws}/clients/{created['id']}"
    assert api.delete(path).status_code == 400  # archive first
    replaced = api.put(path, json={"name": "Umbrella", "archived": True}).json()
    assert replaced["archived"] is True
    assert replaced["note"] is None  # a replace: what was left out is cleared
    assert created["id"] in {c["id"] for c in api.get(f"{ws}/clients?archived=true").json()}
    assert created["id"] not in {c["id"] for c in api.get(f"{ws}/clients?archived=false").json()}
    assert api.delete(path).status_code == 200
    assert api.get(path).json()["message"] == "Client doesn't belong to Workspace"


def test_tags_put_is_a_full_replace(api: httpx.Client, ws: str) -> None:
    tag = api.post(f"{ws}/tags", json={"name": "urgent"}).json()
    path = f"{ws}/tags/{tag['id']}"
    assert api.put(path, json={"name": "urgent", "archived": True}).json()["archived"] is True
    archived_ids = {t["id"] for t in api.get(f"{ws}/tags", params={"archived": "true"}).json()}
    assert tag["id"] in archived_ids
    assert api.put(path, json={"name": "urgent"}).json()["archived"] is False  # un-archived
    assert api.delete(path).status_code == 200
    assert api.get(path).status_code == 400
    everything = api.get(f"{ws}/tags").json()
    assert any(t["archived"] for t in everything)
    assert any(not t["archived"] for t in everything)


def test_custom_fields(server: FakeClockify, api: httpx.Client, ws: str) -> None:
    fields = api.get(f"{ws}/custom-fields", params={"page-size": 1})
    assert "last-page" not in fields.headers
    [field] = fields.json()
    assert (field["type"], field["entityType"], field["required"]) == ("TXT", "TIMEENTRY", False)
    project = api.get(f"{ws}/projects").json()[0]
    assert api.get(f"{ws}/projects/{project['id']}/custom-fields").json() == [field]
    free = api.get(f"/v1/workspaces/{server.second_workspace_id}/custom-fields")
    assert free.status_code == 403  # a Free workspace lacks the feature
