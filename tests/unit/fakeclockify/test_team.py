"""People and groups on the test server: who manages whom follows the groups, at once, in
every feature that asks."""

from __future__ import annotations

import httpx

from tests.fakeclockify import FakeClockify
from tests.fakeclockify.access import manages_person, visible_entries
from tests.fakeclockify.groups import groups_of
from tests.fakeclockify.seeds import TEAM_GROUP
from tests.unit.fakeclockify.conftest import client_for


def _id(server: FakeClockify, name: str) -> str:
    return next(u.user_id for u in server.users if u.name == name)


def test_joining_a_managed_group_makes_the_person_the_managers_at_once(
    server: FakeClockify, api: httpx.Client, ws: str
) -> None:
    sam, chen, priya = (_id(server, n) for n in ("Sam Rivera", "Chen Wei", "Priya Shah"))
    data = server.state.workspaces[server.workspace_id]
    team = next(g for g in groups_of(data).values() if g.name == TEAM_GROUP)
    assert manages_person(data, sam, priya)
    assert not manages_person(data, sam, chen)
    added = api.post(f"{ws}/user-groups/{team.id}/users", json={"userId": chen})
    assert added.status_code == 200
    assert added.json()["userIds"] == [priya, chen]
    assert manages_person(data, sam, chen)
    chen_entry = next(e for e in data.entries.values() if e.user_id == chen)
    assert visible_entries(data, sam)(chen_entry)  # reports follow too
    removed = api.delete(f"{ws}/user-groups/{team.id}/users/{chen}")
    assert removed.status_code == 200
    assert not manages_person(data, sam, chen)
    taken = api.request(
        "DELETE",
        f"{ws}/users/{sam}/roles",
        json={"role": "TEAM_MANAGER", "entityId": team.id, "sourceType": "USER_GROUP"},
    )
    assert taken.status_code == 204
    assert not manages_person(data, sam, priya)
    roles = api.post(f"{ws}/users/info", json={"roles": ["TEAM_MANAGER"]}).json()
    assert roles == []  # the role went with its last grant


def test_only_admins_change_people_and_groups(server: FakeClockify, ws: str) -> None:
    priya = _id(server, "Priya Shah")
    for role in ("MANAGER", "MEMBER"):
        with client_for(server, server.key_for(role)) as someone:
            assert someone.get(f"{ws}/user-groups").status_code == 200
            for method, path, body in (
                ("POST", f"{ws}/user-groups", {"name": "Mine"}),
                ("PUT", f"{ws}/users/{priya}", {"status": "INACTIVE"}),
                ("PUT", f"{ws}/users/{priya}/hourly-rate", {"amount": 1}),
                ("POST", f"{ws}/users", {"email": "x@example.com"}),
                ("POST", f"{ws}/users/{priya}/roles", {"role": "WORKSPACE_ADMIN", "entityId": ws}),
            ):
                refused = someone.request(method, path, json=body)
                assert refused.status_code == 403, (role, method, path)
                assert refused.json() == {"message": "Access Denied", "code": 501}


def test_the_owner_stays_active_and_an_admin(
    server: FakeClockify, api: httpx.Client, ws: str
) -> None:
    owner = server.user_id
    workspace = ws.rsplit("/", 1)[-1]
    off = api.put(f"{ws}/users/{owner}", json={"status": "INACTIVE"})
    assert off.status_code == 400
    demoted = api.request(
        "DELETE",
        f"{ws}/users/{owner}/roles",
        json={"role": "WORKSPACE_ADMIN", "entityId": workspace},
    )
    assert demoted.status_code == 400
    bad_rate = api.put(f"{ws}/users/{owner}/cost-rate", json={"amount": -1})
    assert bad_rate.status_code == 400


def test_every_rate_route_reads_since_as_the_spec_writes_it(server: FakeClockify, ws: str) -> None:
    """``since`` is ``yyyy-MM-ddThh:mm:ssZ`` on a person's, a project member's and a task's
    rate (HourlyRateRequestV1, CostRateRequestV1): another form is Clockify's 400, that form
    is taken."""
    priya = _id(server, "Priya Shah")
    data = server.state.workspaces[server.workspace_id]
    with server.state.lock:
        project = next(p for p in data.projects.values() if not p.archived)
        if priya not in project.member_ids:
            project.member_ids.append(priya)
        task = next(t for t in data.tasks.values() if t.project_id == project.id)
    with client_for(server) as api:
        for path in (
            f"{ws}/users/{priya}/hourly-rate",
            f"{ws}/users/{priya}/cost-rate",
            f"{ws}/projects/{project.id}/users/{priya}/hourly-rate",
            f"{ws}/projects/{project.id}/users/{priya}/cost-rate",
            f"{ws}/projects/{project.id}/tasks/{task.id}/hourly-rate",
            f"{ws}/projects/{project.id}/tasks/{task.id}/cost-rate",
        ):
            refused = api.put(path, json={"amount": 5000, "since": "yesterday"})
            assert refused.status_code == 400, path
            taken = api.put(path, json={"amount": 5000, "since": "2026-01-01T00:00:00Z"})
            assert taken.status_code == 200, path
