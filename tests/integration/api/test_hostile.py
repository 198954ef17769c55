"""The client against hostile or broken servers: each case ends in a clear error, in bounded
time and memory, and nothing goes where it should not.

The cases run over real loopback HTTP (and TLS) against the test server's hostile faults, with
a 1 s deadline and a 1 MiB body cap so they stay fast; ``test_hostile_real_limits.py`` and the
``hostile_server`` benchmark run them with the real defaults in a child process.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.hostile import BAD_ID, gzip_bomb
from tests.fakeclockify.tls import client_context, server_context
from tracker.api import (
    REQUEST_DEADLINE,
    ApiStatusError,
    ApiTimeoutError,
    ClockifyClient,
    ClockifyError,
    InvalidIdError,
    ResponseFormatError,
    Servers,
    TlsError,
)
from tracker.api.models import EntryCreate, EntryUpdate

from .conftest import run

NOW = datetime.now(UTC).replace(microsecond=0)
DEADLINE = 1.0
CAP = 1024 * 1024
HEX = "64a687e29ae1f428e7ebe303"


@pytest.fixture
def hostile_client(make_client: Callable[..., ClockifyClient]) -> Callable[..., ClockifyClient]:
    """Clients with a 1 s deadline and a 1 MiB cap; keyword arguments override."""

    def make(**overrides: Any) -> ClockifyClient:
        return make_client(**{"deadline": DEADLINE, "max_body": CAP, **overrides})

    return make


def timed(coro: Coroutine[Any, Any, Any]) -> tuple[ClockifyError, float, int]:
    """Run ``coro``, which must fail with a ClockifyError: (error, seconds, peak bytes)."""
    tracemalloc.start()
    began = time.perf_counter()
    try:
        run(coro)
    except ClockifyError as exc:
        error = exc
    else:
        raise AssertionError("the hostile answer was accepted")
    finally:
        seconds = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return error, seconds, peak


def _sleeps() -> tuple[list[float], Callable[[float], Coroutine[Any, Any, None]]]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    return slept, sleep


# --- time: trickle -----------------------------------------------------------------------


def test_a_trickling_server_meets_the_deadline(hostile_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="trickle", delay=0.2, times=None))

    async def scenario() -> None:
        async with hostile_client() as api:
            await api.user.current()

    error, seconds, _ = timed(scenario())
    assert isinstance(error, ApiTimeoutError)
    assert "did not finish answering GET /v1/user within 1 s" in error.message
    assert "too slowly" in error.message
    assert not error.maybe_committed
    assert DEADLINE <= seconds < DEADLINE + 1.5
    assert len(clockify.exchanges) == 1  # a deadline is not retried: it would hold as long again


def test_a_create_that_trickles_may_have_landed(hostile_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="trickle", delay=0.2, method="POST"))

    async def scenario() -> None:
        async with hostile_client() as api:
            entry = EntryCreate(start=NOW - timedelta(hours=1), end=NOW, description="trickled")
            await api.time_entries.create(clockify.workspace_id, entry)

    error, seconds, _ = timed(scenario())
    assert isinstance(error, ApiTimeoutError)
    assert error.maybe_committed  # it was sent: the sync layer must look before resending
    assert seconds < DEADLINE + 1.5
    posts = [x for x in clockify.exchanges if x.method == "POST"]
    assert len(posts) == 1
    assert posts[0].committed


def test_the_deadline_is_a_named_constant() -> None:
    assert 10 <= REQUEST_DEADLINE <= 60


# --- memory: huge body, gzip bomb --------------------------------------------------------


def test_a_huge_body_is_cut_at_the_cap(hostile_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="huge_body", size=16 * CAP))

    async def scenario() -> None:
        async with hostile_client() as api:
            await api.user.current()

    error, seconds, peak = timed(scenario())
    assert isinstance(error, ResponseFormatError)
    assert "answer to GET /v1/user is larger than 1 MiB" in error.message
    assert peak < 3 * CAP  # never more than the cap (and a chunk or two) in memory
    assert seconds < 5


def test_a_gzip_bomb_is_defused(hostile_client: Any, clockify: Any) -> None:
    expanded = 64 * CAP
    gzip_bomb(expanded)  # the server compresses it once, outside the measurement
    clockify.add_fault(Fault(kind="gzip_bomb", size=expanded))

    async def scenario() -> None:
        async with hostile_client() as api:
            await api.user.current()

    error, seconds, peak = timed(scenario())
    assert isinstance(error, ResponseFormatError)
    assert "larger than 1 MiB" in error.message
    assert peak < 3 * CAP  # not one network chunk expanded at once
    assert seconds < 5


def test_a_small_gzip_answer_still_reads(make_client: Any, clockify: Any) -> None:
    async def scenario() -> tuple[str, list[Any]]:
        async with make_client() as api:
            user = await api.user.current()
            return user.id, [p async for p in api.projects.list(clockify.workspace_id)]

    user_id, projects = run(scenario())
    assert user_id == clockify.user_id
    assert projects
    assert clockify.exchanges[0].request_headers["accept-encoding"] == "gzip, deflate"


# --- shape: nesting, wrong types, ids ----------------------------------------------------


@pytest.mark.parametrize("depth", [100_000, 500])
def test_deeply_nested_json_is_malformed(hostile_client: Any, clockify: Any, depth: int) -> None:
    clockify.add_fault(Fault(kind="nested_json", size=depth))

    async def scenario() -> None:
        async with hostile_client() as api:
            await api.workspaces.list()

    error, seconds, _ = timed(scenario())
    assert isinstance(error, ResponseFormatError)
    assert "nested too deeply" in error.message
    assert seconds < 5


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"message":"' + b"x" * 5_000_000 + b'","code":501}'],
    ids=["nested", "huge"],
)
def test_a_hostile_error_body_still_gives_the_status(make_client: Any, body: bytes) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, content=body, headers={"content-type": "application/json"})

    async def scenario() -> None:
        async with make_client(
            servers=Servers.custom("http://127.0.0.1:9/api"),
            transport=httpx.MockTransport(answer),
        ) as api:
            await api.user.current()

    error, _, _ = timed(scenario())
    assert isinstance(error, ApiStatusError)
    assert error.status == 400
    assert error.server_message is None


def test_wrong_types_are_malformed(hostile_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="wrong_types"))

    async def scenario() -> None:
        async with hostile_client() as api:
            await api.user.current()

    error, _, _ = timed(scenario())
    assert isinstance(error, ResponseFormatError)
    assert error.message.startswith("Clockify sent an unexpected user: id:")


@pytest.mark.parametrize("listing", ["entries", "tags", "workspaces"])
def test_ids_that_are_not_ids_are_malformed(
    hostile_client: Any, clockify: Any, listing: str
) -> None:
    clockify.add_fault(Fault(kind="bad_ids"))
    ws, user = clockify.workspace_id, clockify.user_id

    async def scenario() -> None:
        async with hostile_client() as api:
            if listing == "entries":
                [e async for e in api.time_entries.list(ws, user, start=NOW - timedelta(days=9))]
            elif listing == "tags":
                [t async for t in api.tags.list(ws)]
            else:
                await api.workspaces.list()

    error, _, _ = timed(scenario())
    assert isinstance(error, ResponseFormatError)
    assert ": id: Value error, not a Clockify id" in error.message
    assert BAD_ID not in error.message


def test_a_bad_id_never_reaches_a_path(hostile_client: Any, clockify: Any) -> None:
    entry = EntryUpdate(start=NOW - timedelta(hours=1), end=NOW, description="x")

    async def scenario() -> None:
        async with hostile_client() as api:
            await api.time_entries.update(clockify.workspace_id, BAD_ID, entry)

    error, _, _ = timed(scenario())
    assert isinstance(error, InvalidIdError)
    assert isinstance(error, ValueError)
    assert "entry id" in error.message
    assert "Nothing was sent" in error.message
    assert clockify.exchanges == []


# --- where the key goes: redirects, TLS ---------------------------------------------------


@pytest.mark.parametrize(
    ("status", "location", "shown"),
    [
        (302, "http://elsewhere.invalid/api/v1/user?x=1", "to http://elsewhere.invalid (plain"),
        (307, "https://evil.example.invalid/steal", "to https://evil.example.invalid."),
        (301, "javascript:alert(1)", "is not a valid URL"),
        (308, "http://[not-a-host/", "(HTTP 308). tracker"),
    ],
)
def test_a_redirect_is_not_followed(
    hostile_client: Any, clockify: Any, status: int, location: str, shown: str
) -> None:
    clockify.add_fault(Fault(kind="redirect", status=status, location=location))

    async def scenario() -> None:
        async with hostile_client() as api:
            await api.user.current()

    error, _, _ = timed(scenario())
    assert isinstance(error, ApiStatusError | ResponseFormatError)
    assert getattr(error, "status", status) == status
    assert shown in error.message
    assert "never follows redirects, so the API key was not sent there" in error.message
    assert len(clockify.exchanges) == 1  # and nothing went anywhere else (the network guard)


@pytest.fixture
def tls_server(
    request: pytest.FixtureRequest, tmp_path: Path, clockify_factory: Callable[..., FakeClockify]
) -> tuple[FakeClockify, Path]:
    """The test server over TLS with the certificate the test names."""
    context, authority = server_context(request.param, tmp_path)
    return clockify_factory(seed="demo", tls=context), authority


@pytest.mark.parametrize(
    ("tls_server", "trust_authority", "reason"),
    [
        ("self-signed", False, "self-signed certificate"),
        ("expired", True, "certificate has expired"),
        ("wrong-host", True, "mismatch, certificate is not valid for '127.0.0.1'"),
    ],
    indirect=["tls_server"],
)
def test_a_refused_certificate_is_named_and_not_retried(
    hostile_client: Any, tls_server: tuple[FakeClockify, Path], trust_authority: bool, reason: str
) -> None:
    server, authority = tls_server
    slept, sleep = _sleeps()
    options: dict[str, Any] = {"servers": Servers.custom(server.base_url), "sleep": sleep}
    if trust_authority:
        options["transport"] = httpx.AsyncHTTPTransport(verify=client_context(authority))

    async def scenario() -> None:
        async with hostile_client(**options) as api:
            entry = EntryCreate(start=NOW, description="over tls")
            await api.time_entries.create(server.workspace_id, entry)

    error, seconds, _ = timed(scenario())
    assert isinstance(error, TlsError)
    assert error.message.startswith("The certificate of 127.0.0.1 was refused: ")
    assert reason in error.message
    assert "intercepting" in error.message
    assert "Nothing was sent, the API key included" in error.message
    assert not error.maybe_committed
    assert slept == []  # not retried: waiting does not fix a certificate
    assert server.exchanges == []
    assert seconds < 2


@pytest.mark.parametrize("tls_server", ["self-signed"], indirect=True)
def test_the_systems_authorities_refuse_an_unknown_one_too(
    hostile_client: Any, tls_server: tuple[FakeClockify, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without SSL_CERT_FILE or SSL_CERT_DIR the client's own context checks the chain.
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    server, _ = tls_server

    async def scenario() -> None:
        async with hostile_client(servers=Servers.custom(server.base_url)) as api:
            await api.user.current()

    error, _, _ = timed(scenario())
    assert isinstance(error, TlsError)
    assert "self-signed certificate" in error.message
    assert server.exchanges == []


@pytest.mark.parametrize("tls_server", ["valid"], indirect=True)
def test_a_trusted_certificate_works(
    hostile_client: Any, tls_server: tuple[FakeClockify, Path]
) -> None:
    server, authority = tls_server
    transport = httpx.AsyncHTTPTransport(verify=client_context(authority))

    async def scenario() -> str:
        async with hostile_client(
            api_key=server.api_key, servers=Servers.custom(server.base_url), transport=transport
        ) as api:
            user_id: str = (await api.user.current()).id
            return user_id

    assert run(scenario()) == server.user_id


def test_a_plain_http_server_elsewhere_is_refused_before_any_connection() -> None:
    with pytest.raises(ValueError, match="unencrypted") as caught:
        Servers.custom("http://clockify.example.com/api")
    assert "TRACKER_ALLOW_INSECURE_HTTP=1" in str(caught.value)


def test_every_case_is_quick_even_together(hostile_client: Any, clockify: Any) -> None:
    """One client meets trickle, bomb and nesting in a row and is still usable after."""
    clockify.add_fault(Fault(kind="trickle", delay=0.2))
    clockify.add_fault(Fault(kind="gzip_bomb", size=8 * CAP))
    clockify.add_fault(Fault(kind="nested_json", size=10_000))

    async def scenario() -> list[str]:
        kinds = []
        async with hostile_client() as api:
            for _ in range(3):
                try:
                    await api.user.current()
                except ClockifyError as exc:
                    kinds.append(type(exc).__name__)
            kinds.append((await api.user.current()).id)
        return kinds

    began = time.perf_counter()
    kinds = asyncio.run(scenario())
    assert kinds == [
        "ApiTimeoutError",
        "ResponseFormatError",
        "ResponseFormatError",
        clockify.user_id,
    ]
    assert time.perf_counter() - began < DEADLINE + 3
