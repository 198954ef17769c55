"""Auth, routing errors, bad input and HTTP plumbing of the test server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.fakeclockify import FakeClockify

from .conftest import client_for, http_client, http_request

MULTIPLE_OR_NONE = {"message": "Multiple or none auth tokens present", "code": 1000}
NO_SUCH_KEY = {"message": "Api key does not exist", "code": 4003}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Api-Key": "k", "X-Addon-Token": "t"},
        {"Authorization": "Bearer abc"},
        {"X-Api-Key": "k", "Authorization": "Bearer abc"},
    ],
    ids=["none", "both", "bearer", "key-and-bearer"],
)
def test_missing_or_ambiguous_credentials_are_401_code_1000(
    server: FakeClockify, headers: dict[str, str]
) -> None:
    with http_client(base_url=server.base_url, headers=headers) as raw:
        response = raw.get("/v1/user")
    assert response.status_code == 401
    assert response.json() == MULTIPLE_OR_NONE
    assert response.headers["content-type"] == "application/json"


def test_unknown_key_is_401_code_4003(server: FakeClockify) -> None:
    with client_for(server, key="x" * 48) as raw:
        response = raw.get("/v1/user")
    assert (response.status_code, response.json()) == (401, NO_SUCH_KEY)


def test_addon_token_is_not_valid(server: FakeClockify) -> None:
    with http_client(base_url=server.base_url, headers={"X-Addon-Token": "jwt"}) as raw:
        response = raw.get("/v1/user")
    assert (response.status_code, response.json()["code"]) == (401, 4017)


def test_revoked_key_gets_4003_and_other_keys_still_work(server: FakeClockify) -> None:
    spare = server.state.issue_key(server.user_id)
    server.revoke_key()
    with client_for(server) as revoked, client_for(server, key=spare) as other:
        assert (revoked.get("/v1/user").status_code, revoked.get("/v1/user").json()) == (
            401,
            NO_SUCH_KEY,
        )
        assert other.get("/v1/user").status_code == 200
    server.revoke_key(spare)
    with client_for(server, key=spare) as other:
        assert other.get("/v1/user").status_code == 401


def test_api_key_is_48_random_characters() -> None:
    with FakeClockify("empty") as first, FakeClockify("empty") as second:
        assert len(first.api_key) == 48
        assert first.api_key.isalnum()
        assert first.api_key != second.api_key


def test_workspace_access(server: FakeClockify, api: httpx.Client) -> None:
    stranger = server.state.add_user("Stranger", "stranger@example.com")
    foreign = server.state.add_workspace(stranger.id, "Not yours")
    forbidden = api.get(f"/v1/workspaces/{foreign.id}/projects")
    assert (forbidden.status_code, forbidden.json()) == (
        403,
        {"message": "Access Denied", "code": 501},
    )
    unknown = api.get("/v1/workspaces/000000000000000000000000")
    assert unknown.status_code == 404
    assert unknown.content == b""  # live probe: no JSON at all
    malformed = api.get("/v1/workspaces/not-an-id/projects")
    assert (malformed.status_code, malformed.json()["code"]) == (400, 501)
    assert {w["id"] for w in api.get("/v1/workspaces").json()} == {
        server.workspace_id,
        server.second_workspace_id,
    }


def test_wrong_method_is_405_code_3000(api: httpx.Client, ws: str) -> None:
    response = api.get(f"{ws}/time-entries")
    assert response.status_code == 405
    assert response.json() == {"message": "Request method 'GET' is not supported", "code": 3000}
    assert response.headers["allow"] == "POST"
    assert api.put(ws, json={}).status_code == 405


def test_unknown_route_is_404_no_static_resource(api: httpx.Client, ws: str) -> None:
    response = api.get(f"{ws}/time-entries/abc/stop")
    assert response.status_code == 404
    assert response.json()["code"] == 3000
    assert response.json()["message"].startswith("No static resource v1/workspaces/")
    outside = http_request(
        "GET",
        f"{api.base_url.scheme}://{api.base_url.host}:{api.base_url.port}/v1/user",
        headers=dict(api.headers),
    )
    assert outside.status_code == 404  # the main API lives under /api only


def test_reports_host_authenticates_then_routes(server: FakeClockify) -> None:
    url = f"{server.reports_url}/v1/workspaces/{server.workspace_id}/reports/detailed"
    with client_for(server) as raw:
        response = raw.post(url, json={})
        assert (response.status_code, response.json()["code"]) == (400, 501)  # no filter
        unknown = raw.post(url.replace("/detailed", "/nonsense"), json={})
        assert (unknown.status_code, unknown.json()["code"]) == (404, 3000)
    assert http_request("POST", url, json={}).status_code == 401
    assert server.exchanges[-1].host == "reports"
    assert server.exchanges[-1].path == f"/v1/workspaces/{server.workspace_id}/reports/detailed"


def test_bad_query_value_is_400_code_3000(api: httpx.Client, ws: str) -> None:
    response = api.get(f"{ws}/projects", params={"page": "abc"})
    assert response.status_code == 400
    assert response.json() == {
        "message": "Method parameter 'page': Failed to convert value of type "
        "'java.lang.String' to required type 'int'; For input string: \"abc\"",
        "code": 3000,
    }
    flag = api.get(f"{ws}/projects", params={"archived": "maybe"})
    assert (flag.status_code, flag.json()["code"]) == (400, 3000)
    assert "Invalid boolean value [maybe]" in flag.json()["message"]


def test_malformed_or_missing_json_body_is_400_code_3002(api: httpx.Client, ws: str) -> None:
    headers = {"Content-Type": "application/json"}
    broken = api.post(f"{ws}/tags", content=b'{"name": ', headers=headers)
    assert (broken.status_code, broken.json()["code"]) == (400, 3002)
    assert broken.json()["message"].startswith("JSON parse error")
    missing = api.post(f"{ws}/tags", headers=headers)
    assert (missing.status_code, missing.json()["code"]) == (400, 3002)
    wrong_type = api.post(f"{ws}/time-entries", json={"start": 5})
    assert (wrong_type.status_code, wrong_type.json()["code"]) == (400, 3002)


def test_keep_alive_serves_many_requests_on_one_connection(server: FakeClockify) -> None:
    peers: set[tuple[str, int]] = set()
    with client_for(server) as raw:
        for _ in range(5):
            with raw.stream("GET", "/v1/user") as response:
                network = response.extensions["network_stream"]
                peers.add(network.get_extra_info("client_addr"))
                response.read()
    assert len(peers) == 1


def test_chunked_request_body_is_read(api: httpx.Client, ws: str) -> None:
    def parts() -> Iterator[bytes]:
        yield b'{"name": '
        yield b'"chunked tag"}'

    response = api.post(f"{ws}/tags", content=parts(), headers={"Content-Type": "application/json"})
    assert response.status_code == 201
    assert response.json()["name"] == "chunked tag"


def test_stop_is_prompt_with_open_keep_alive_connections() -> None:
    server = FakeClockify("empty").start()
    request = (
        f"GET /api/v1/user HTTP/1.1\r\nHost: x\r\nX-Api-Key: {server.api_key}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port)) as idle:
        idle.sendall(request)
        with idle.makefile("rb") as stream:
            assert stream.readline().startswith(b"HTTP/1.1 200")
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            stream.read(length)  # answered; the connection now idles in keep-alive
            started = time.monotonic()
            server.stop()
            elapsed = time.monotonic() - started
            assert stream.read(1) == b""  # the server closed it
    assert elapsed < 1.0
    with pytest.raises(httpx.ConnectError):
        http_request("GET", f"{server.base_url}/v1/user")


def test_base_url_before_start_and_after_stop() -> None:
    server = FakeClockify("empty")
    with pytest.raises(RuntimeError):
        _ = server.base_url
    server.start()
    url = server.base_url
    assert url.startswith("http://127.0.0.1:")
    assert url.endswith("/api")
    assert server.reports_url == url.removesuffix("/api") + "/reports"
    server.stop()
    assert server.base_url == url  # still known, so clients can meet "connection refused"
    server.stop()  # idempotent


def test_concurrent_requests_are_served_in_parallel(server: FakeClockify) -> None:
    errors: list[BaseException] = []

    def hammer() -> None:
        try:
            with client_for(server) as raw:
                for _ in range(10):
                    assert raw.get("/v1/workspaces").status_code == 200
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=hammer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(server.exchanges) == 60
