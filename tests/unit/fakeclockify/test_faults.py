"""Injected faults, the exchange log and listeners."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time

import httpx
import pytest

from tests.fakeclockify import Exchange, FakeClockify, Fault

from .conftest import client_for, poll

START = {"start": "2031-05-05T08:00:00Z", "end": "2031-05-05T09:00:00Z"}


def _count(server: FakeClockify, description: str) -> int:
    entries = server.state.time_entries(server.workspace_id)
    return sum(1 for e in entries if e["description"] == description)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (429, {"message": "Too many requests", "code": 429}),
        (500, {"message": "Internal server error", "code": 500}),
        (502, {"message": "Bad gateway", "code": 502}),
        (503, {"message": "Service unavailable", "code": 503}),
    ],
)
def test_status_fault_answers_clockify_error_json(
    server: FakeClockify, api: httpx.Client, status: int, body: dict[str, object]
) -> None:
    server.add_fault(Fault(kind="status", status=status))
    failed = api.get("/v1/user")
    assert failed.status_code == status
    assert failed.json() == body
    assert failed.headers["content-type"] == "application/json"
    assert "retry-after" not in failed.headers
    assert api.get("/v1/user").status_code == 200  # times=1 by default
    assert [(x.status, x.fault) for x in server.exchanges] == [(status, "status"), (200, None)]


def test_429_with_retry_after_and_nothing_committed(
    server: FakeClockify, api: httpx.Client, ws: str
) -> None:
    server.add_fault(Fault(kind="status", status=429, retry_after="3", method="POST"))
    assert api.get("/v1/user").status_code == 200  # other methods pass
    refused = api.post(f"{ws}/time-entries", json={**START, "description": "later"})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "3"
    assert _count(server, "later") == 0
    assert server.exchanges[-1].committed is False


def test_faults_match_method_and_path_in_order_and_times(
    server: FakeClockify, api: httpx.Client, ws: str
) -> None:
    server.add_fault(Fault(kind="status", status=503, path=r"/projects$", times=2))
    server.add_fault(Fault(kind="status", status=500, times=None))
    assert api.get(f"{ws}/projects").status_code == 503
    assert api.get(f"{ws}/projects").status_code == 503
    assert api.get(f"{ws}/projects").status_code == 500  # first one used up
    assert api.get("/v1/user").status_code == 500
    assert len(server.faults()) == 1  # the unlimited one stays until cleared
    server.clear_faults()
    assert api.get("/v1/user").status_code == 200


def test_drop_after_commit_stores_the_entry_but_sends_nothing(
    server: FakeClockify, api: httpx.Client, ws: str
) -> None:
    server.add_fault(Fault(kind="drop_after_commit", method="POST", path=r"/time-entries$"))
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(f"{ws}/time-entries", json={**START, "description": "landed"})
    assert _count(server, "landed") == 1
    exchange = server.exchanges[-1]
    assert (exchange.status, exchange.fault, exchange.committed) == (
        None,
        "drop_after_commit",
        True,
    )
    assert json.loads(exchange.request_body)["description"] == "landed"
    assert api.get("/v1/user").status_code == 200  # a new connection works


def test_drop_before_commit_stores_nothing(
    server: FakeClockify, api: httpx.Client, ws: str
) -> None:
    server.add_fault(Fault(kind="drop_before_commit", method="POST"))
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(f"{ws}/time-entries", json={**START, "description": "lost"})
    assert _count(server, "lost") == 0
    exchange = server.exchanges[-1]
    assert (exchange.status, exchange.committed) == (None, False)


def test_malformed_json_commits_and_sends_invalid_json(
    server: FakeClockify, api: httpx.Client, ws: str
) -> None:
    server.add_fault(Fault(kind="malformed_json", method="POST"))
    response = api.post(f"{ws}/time-entries", json={**START, "description": "garbled"})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert _count(server, "garbled") == 1
    assert server.exchanges[-1].committed is True
    server.add_fault(Fault(kind="malformed_json"))
    entry = server.state.time_entries(server.workspace_id)[0]
    no_content = api.delete(f"{ws}/time-entries/{entry['id']}")
    assert no_content.status_code == 200  # a 204 cannot carry the broken body
    with pytest.raises(json.JSONDecodeError):
        json.loads(no_content.content)


def test_wrong_content_type_sends_html(server: FakeClockify, api: httpx.Client) -> None:
    server.add_fault(Fault(kind="wrong_content_type"))
    response = api.get("/v1/user")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lstrip().startswith("<!DOCTYPE html>")


def test_delay_does_not_block_other_requests(server: FakeClockify) -> None:
    server.add_fault(Fault(kind="delay", delay=0.4, path="/v1/user$"))
    results: dict[str, float] = {}

    def slow() -> None:
        started = time.monotonic()
        with client_for(server) as raw:
            assert raw.get("/v1/user").status_code == 200
        results["slow"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    poll(lambda: not server.faults())  # the slow request has taken its fault
    started = time.monotonic()
    with client_for(server) as raw:
        assert raw.get("/v1/workspaces").status_code == 200
    fast = time.monotonic() - started
    thread.join()
    assert results["slow"] >= 0.4
    assert fast < 0.3
    assert [x.path for x in server.exchanges] == ["/v1/workspaces", "/v1/user"]
    assert server.exchanges[1].fault == "delay"


def test_delay_past_the_client_timeout_still_commits(server: FakeClockify, ws: str) -> None:
    server.add_fault(Fault(kind="delay", delay=0.5, method="POST"))
    with client_for(server) as raw, pytest.raises(httpx.ReadTimeout):
        raw.post(f"{ws}/time-entries", json={**START, "description": "slow"}, timeout=0.1)
    log = server.wait_for(lambda xs: any(x.method == "POST" for x in xs))
    assert log[-1].committed is True
    assert _count(server, "slow") == 1


def test_exchange_log_records_everything(server: FakeClockify, api: httpx.Client, ws: str) -> None:
    api.get(f"{ws}/projects", params=[("name", "a"), ("clients", "x"), ("clients", "y")])
    api.post(f"{ws}/tags", json={"name": "logged"})
    get, post = server.exchanges
    assert (get.method, get.host, get.path) == ("GET", "api", f"{ws}/projects")
    assert get.query == (("name", "a"), ("clients", "x"), ("clients", "y"))
    assert get.request_headers["x-api-key"] == server.api_key
    assert get.response_headers["last-page"] == "true"
    assert get.response_headers["content-type"] == "application/json"
    assert (get.status, get.committed, get.fault) == (200, False, None)
    assert (post.status, post.committed) == (201, True)
    assert post.json()["name"] == "logged"
    assert post.request_json() == {"name": "logged"}
    assert int(post.response_headers["content-length"]) == len(post.response_body)


def test_listeners_see_every_finished_exchange(
    server: FakeClockify, api: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[Exchange] = []

    def broken(_exchange: Exchange) -> None:
        raise RuntimeError("listener bug")

    caplog.set_level(logging.ERROR, logger="tests.fakeclockify")
    server.add_listener(broken)
    server.add_listener(seen.append)
    server.add_fault(Fault(kind="drop_before_commit"))
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/v1/user")
    # The client sees the drop before the server has told its listeners: wait for that first.
    server.wait_for(lambda _log: len(seen) == 1)
    api.get("/v1/user")
    server.wait_for(lambda _log: len(seen) == 2)
    assert [x.status for x in seen] == [None, 200]
    server.remove_listener(seen.append)
    api.get("/v1/user")

    def failures() -> int:
        return sum(r.getMessage() == "exchange listener failed" for r in caplog.records)

    # Listeners run after the response is sent: wait for the third one, not for the log.
    server.wait_for(lambda _log: failures() == 3)
    assert len(server.exchanges) == 3
    assert failures() == 3  # a broken listener is logged, never breaks the server


def test_unknown_fault_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault(kind="explode")


def test_a_body_cut_off_by_the_client_is_no_request(server: FakeClockify) -> None:
    """A client killed while sending leaves half a body: nothing is handled or logged."""
    host, port = server.base_url.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port))) as raw:
        raw.sendall(
            b"POST /api/v1/workspaces/x/time-entries HTTP/1.1\r\nHost: a\r\n"
            b"X-Api-Key: " + server.api_key.encode() + b"\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"start":'
        )
        raw.shutdown(socket.SHUT_WR)
        assert raw.recv(100) == b""  # closed without an answer
    assert server.exchanges == []
