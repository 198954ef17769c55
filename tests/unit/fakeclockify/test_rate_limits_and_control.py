"""Server-side rate limits, the clock, and the control plane for out-of-process tests."""

from __future__ import annotations

import httpx

from tests.fakeclockify import FakeClockify, Fault

from .conftest import ManualClock, client_for, http_client, http_request

TOO_MANY = {"message": "Too many requests", "code": 429}


def test_per_second_limit_with_an_injected_clock(clock: ManualClock) -> None:
    with FakeClockify("empty", clock=clock) as server, client_for(server) as api:
        server.set_rate_limit(per_second=3)
        ws = f"/v1/workspaces/{server.workspace_id}"
        assert [api.get(f"{ws}/tags").status_code for _ in range(4)] == [200, 200, 200, 429]
        refused = api.get(f"{ws}/tags")
        assert refused.json() == TOO_MANY
        assert "retry-after" not in refused.headers  # Clockify sends none (FACTS §1)
        clock.advance(1.0)
        assert api.get(f"{ws}/tags").status_code == 200
        server.set_rate_limit()  # off
        assert all(api.get(f"{ws}/tags").status_code == 200 for _ in range(10))


def test_per_hour_limit_with_advance() -> None:
    with FakeClockify("empty") as server, client_for(server) as api:
        server.set_rate_limit(per_hour=5)
        ws = f"/v1/workspaces/{server.workspace_id}"
        statuses = [api.get(f"{ws}/projects").status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]
        server.advance(1800)
        assert api.get(f"{ws}/projects").status_code == 429  # still inside the hour
        server.advance(1801)
        assert api.get(f"{ws}/projects").status_code == 200


def test_limits_count_per_workspace_and_per_key_elsewhere(clock: ManualClock) -> None:
    with FakeClockify("demo", clock=clock) as server, client_for(server) as api:
        server.set_rate_limit(per_second=2)
        first = f"/v1/workspaces/{server.workspace_id}/tags"
        second = f"/v1/workspaces/{server.second_workspace_id}/tags"
        assert [api.get(first).status_code for _ in range(3)] == [200, 200, 429]
        assert api.get(second).status_code == 200  # another workspace, another bucket
        assert [api.get("/v1/user").status_code for _ in range(3)] == [200, 200, 429]


def test_unauthenticated_requests_are_401_not_429(clock: ManualClock) -> None:
    with FakeClockify("empty", clock=clock) as server:
        server.set_rate_limit(per_second=1)
        with http_client(base_url=server.base_url) as anonymous:
            assert {anonymous.get("/v1/user").status_code for _ in range(3)} == {401}


def test_demo_seed_follows_the_injected_clock(clock: ManualClock) -> None:
    with FakeClockify("demo", clock=clock) as server, client_for(server) as api:
        created = api.post(
            f"/v1/workspaces/{server.workspace_id}/projects", json={"name": "Clocked"}
        ).json()
        assert int(created["id"][:8], 16) == int(clock.now)  # ObjectId time prefix


def _control(server: FakeClockify, method: str, path: str, body: object = None) -> httpx.Response:
    origin = server.base_url.removesuffix("/api")
    return http_request(method, f"{origin}/__control/{path}", json=body)


def test_control_plane(server: FakeClockify, api: httpx.Client) -> None:
    ws = f"/v1/workspaces/{server.workspace_id}"
    added = _control(server, "POST", "faults", {"kind": "status", "status": 503, "times": 2})
    assert added.json() == {"faults": 1}
    assert _control(server, "GET", "faults").json()[0]["status"] == 503
    assert api.get("/v1/user").status_code == 503
    assert _control(server, "POST", "faults", {"clear": True}).json() == {"faults": 0}
    assert api.get("/v1/user").status_code == 200
    assert _control(server, "POST", "faults", {"kind": "nope"}).status_code == 400
    assert _control(server, "POST", "faults", {"kind": "delay", "colour": 1}).status_code == 400

    assert _control(server, "POST", "force", {"projects": True}).status_code == 200
    assert api.get(ws).json()["workspaceSettings"]["forceProjects"] is True
    _control(server, "POST", "force", {"workspace_id": server.workspace_id})
    assert api.get(ws).json()["workspaceSettings"]["forceProjects"] is False

    _control(server, "POST", "rate-limit", {"per_hour": 1})
    assert [api.get(ws).status_code for _ in range(2)] == [200, 429]
    _control(server, "POST", "advance", {"seconds": 3601})
    assert api.get(ws).status_code == 200
    _control(server, "POST", "rate-limit", {})

    state = _control(server, "GET", "state").json()
    assert state["workspace_id"] == server.workspace_id
    mine = state["workspaces"][server.workspace_id]
    assert {"time_entries", "projects", "tasks", "tags", "clients", "custom_fields"} <= set(mine)
    assert len(mine["time_entries"]) == len(server.state.time_entries(server.workspace_id))

    log = _control(server, "GET", "exchanges").json()
    assert len(log) == len(server.exchanges)  # control requests are not logged
    assert log[0]["status"] == 503
    assert log[0]["response_body"] == '{"message":"Service unavailable","code":503}'
    assert all(not x["path"].startswith("/__control") for x in log)

    assert _control(server, "POST", "revoke", {}).status_code == 200
    assert api.get("/v1/user").status_code == 401
    assert _control(server, "DELETE", "exchanges").status_code == 200
    assert server.exchanges == []
    assert _control(server, "GET", "nothing").status_code == 404


def test_control_requests_skip_faults_and_limits(server: FakeClockify) -> None:
    server.add_fault(Fault(kind="drop_before_commit", times=None))
    server.set_rate_limit(per_second=1)
    for _ in range(3):
        assert _control(server, "GET", "faults").status_code == 200
    assert server.exchanges == []
