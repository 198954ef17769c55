"""The hostile faults and TLS of the test server, seen with a plain httpx client."""

from __future__ import annotations

import gzip
import json
import ssl
import time
from pathlib import Path

import httpx
import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.__main__ import parse_fault
from tests.fakeclockify.hostile import BAD_ID, gzip_bomb, huge_json, nested_json
from tests.fakeclockify.tls import client_context, server_context

from .conftest import http_client


def test_trickle_sends_the_real_answer_a_byte_at_a_time(
    server: FakeClockify, api: httpx.Client
) -> None:
    server.add_fault(Fault(kind="trickle", delay=0.001))
    began = time.perf_counter()
    answer = api.get("/v1/user")
    assert answer.status_code == 200
    assert answer.json()["id"] == server.user_id
    assert time.perf_counter() - began > 0.001 * len(answer.content)
    assert server.exchanges[-1].fault == "trickle"
    assert api.get("/v1/user").status_code == 200  # the trickled connection was closed


def test_trickle_stops_when_the_server_stops() -> None:
    with FakeClockify() as server, http_client(timeout=0.5) as client:
        server.add_fault(Fault(kind="trickle", delay=60))
        with pytest.raises(httpx.ReadTimeout):
            client.get(f"{server.base_url}/v1/user", headers={"X-Api-Key": server.api_key})
        began = time.perf_counter()
    assert time.perf_counter() - began < 2


def test_huge_body_streams_valid_json_without_a_length(
    server: FakeClockify, api: httpx.Client
) -> None:
    server.add_fault(Fault(kind="huge_body", size=3_000_000))
    answer = api.get("/v1/user")
    assert answer.status_code == 200
    assert "content-length" not in answer.headers
    assert len(answer.content) == 3_000_000
    assert len(json.loads(answer.content)[0]) == 3_000_000 - 4
    assert server.exchanges[-1].response_body == b""  # the log keeps no copy


def test_huge_json_pieces_add_up() -> None:
    assert b"".join(huge_json(200_000)) == b'["' + b"x" * 199_996 + b'"]'


def test_gzip_bomb_expands_to_valid_json(server: FakeClockify, api: httpx.Client) -> None:
    server.add_fault(Fault(kind="gzip_bomb", size=5_000_000))
    answer = api.get("/v1/user")
    assert answer.headers["content-encoding"] == "gzip"
    assert int(answer.headers["content-length"]) < 20_000
    assert len(answer.content) == 5_000_000
    assert answer.json() == []
    assert gzip.decompress(gzip_bomb(5_000_000)) == answer.content


def test_nested_json_and_the_shape_faults(server: FakeClockify, api: httpx.Client) -> None:
    server.add_fault(Fault(kind="nested_json", size=30))
    assert api.get("/v1/user").content == nested_json(30)
    server.add_fault(Fault(kind="wrong_types"))
    retyped = api.get("/v1/user").json()
    assert retyped["id"] == len(server.user_id)
    server.add_fault(Fault(kind="bad_ids"))
    projects = api.get(f"/v1/workspaces/{server.workspace_id}/projects").json()
    assert projects
    assert {project["id"] for project in projects} == {BAD_ID}


def test_redirect_points_elsewhere_and_commits_nothing(
    server: FakeClockify, api: httpx.Client
) -> None:
    target = "http://elsewhere.invalid/api/v1/user"
    server.add_fault(Fault(kind="redirect", status=307, location=target, method="POST"))
    moved = api.post(f"/v1/workspaces/{server.workspace_id}/tags", json={"name": "moved"})
    assert (moved.status_code, moved.headers["location"]) == (307, target)
    assert not server.exchanges[-1].committed
    assert "moved" not in {tag["name"] for tag in server.state.tags(server.workspace_id)}


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (dict(kind="trickle"), "trickle needs delay"),
        (dict(kind="redirect"), "3xx"),
        (dict(kind="huge_body", size=-1), "size"),
    ],
)
def test_hostile_faults_refuse_nonsense(fault: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Fault(**fault)  # type: ignore[arg-type]


def test_the_command_line_takes_the_new_fields() -> None:
    fault = parse_fault("redirect:status=302,location=http://x.invalid/,times=none")
    assert (fault.kind, fault.status, fault.location, fault.times) == (
        "redirect",
        302,
        "http://x.invalid/",
        None,
    )
    assert parse_fault("huge_body:size=1000").size == 1000


def test_the_control_plane_takes_the_new_fields(server: FakeClockify) -> None:
    with http_client() as client:
        added = client.post(
            f"{server.origin}/__control/faults",
            json={"kind": "gzip_bomb", "size": 1000, "path": "/v1/user$"},
        )
        assert added.status_code == 200
        listed = client.get(f"{server.origin}/__control/faults").json()
    assert listed[0]["size"] == 1000


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("self-signed", "self-signed certificate"),
        ("expired", "certificate has expired"),
        ("wrong-host", "mismatch"),
    ],
)
def test_tls_certificates_a_client_must_refuse(tmp_path: Path, kind: str, reason: str) -> None:
    context, authority = server_context(kind, tmp_path)
    trust = ssl.create_default_context() if kind == "self-signed" else client_context(authority)
    with FakeClockify(tls=context) as server, httpx.Client(verify=trust) as client:
        assert server.base_url.startswith("https://127.0.0.1:")
        with pytest.raises(httpx.ConnectError, match=reason):
            client.get(f"{server.base_url}/v1/user")
        assert server.exchanges == []


def test_tls_with_a_trusted_certificate_serves(tmp_path: Path) -> None:
    context, authority = server_context("valid", tmp_path)
    with FakeClockify(tls=context) as server, httpx.Client(verify=client_context(authority)) as c:
        answer = c.get(f"{server.base_url}/v1/user", headers={"X-Api-Key": server.api_key})
    assert answer.json()["id"] == server.user_id
