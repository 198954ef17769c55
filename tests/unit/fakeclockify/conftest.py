"""Fixtures for testing the Clockify test server itself, over real loopback HTTP."""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.fakeclockify import FakeClockify


class ManualClock:
    """A clock tests move by hand, so rate-limit windows need no sleeping."""

    def __init__(self, start: float = 1_780_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def poll(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``condition()`` holds, checking often; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(0.005)


# Building an SSL context loads the CA bundle (~60 ms); every client here talks plain HTTP
# on loopback, so they all share one.
_TLS = ssl.create_default_context()


def http_client(**options: Any) -> httpx.Client:
    """An httpx client that reuses the shared SSL context."""
    options.setdefault("timeout", 5.0)
    return httpx.Client(verify=_TLS, **options)


def http_request(method: str, url: str, **options: Any) -> httpx.Response:
    """One request on a throwaway client (like ``httpx.request``, but cheap to set up)."""
    with http_client() as client:
        return client.request(method, url, **options)


def client_for(server: FakeClockify, key: str | None = None) -> httpx.Client:
    """An httpx client on the server's main API base with the seeded key."""
    return http_client(
        base_url=server.base_url,
        headers={"X-Api-Key": server.api_key if key is None else key},
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def server() -> Iterator[FakeClockify]:
    with FakeClockify("demo") as running:
        yield running


@pytest.fixture
def empty_server() -> Iterator[FakeClockify]:
    with FakeClockify("empty") as running:
        yield running


@pytest.fixture
def api(server: FakeClockify) -> Iterator[httpx.Client]:
    with client_for(server) as client:
        yield client


@pytest.fixture
def ws(server: FakeClockify) -> str:
    """Path prefix of the demo workspace."""
    return f"/v1/workspaces/{server.workspace_id}"


@pytest.fixture
def me(server: FakeClockify) -> str:
    """Path prefix of the demo user's time entries."""
    return f"/v1/workspaces/{server.workspace_id}/user/{server.user_id}/time-entries"
