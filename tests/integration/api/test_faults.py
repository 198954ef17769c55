"""The client against every fault the test server can inject: a clear error, nothing lost."""

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.fakeclockify import Fault
from tracker.api import (
    FREE_PLAN,
    ApiConnectionError,
    ApiTimeoutError,
    BudgetExhaustedError,
    PaginationError,
    RateLimitedError,
    RateLimits,
    RequestBudget,
    ResponseFormatError,
    ServerError,
    Servers,
    UnauthorizedError,
)
from tracker.api.models import EntryCreate

from .conftest import FAST_RETRY, run

NOW = datetime.now(UTC).replace(microsecond=0)
ENTRIES = r"/time-entries$"


def _posts(clockify: Any) -> list[Any]:
    return [x for x in clockify.exchanges if x.method == "POST"]


def _entries_named(clockify: Any, description: str) -> int:
    async def count() -> int:
        async with httpx.AsyncClient(headers={"X-Api-Key": clockify.api_key}) as raw:
            url = (
                f"{clockify.base_url}/v1/workspaces/{clockify.workspace_id}"
                f"/user/{clockify.user_id}/time-entries"
            )
            response = await raw.get(url, params={"description": description, "page-size": 500})
            return sum(1 for e in response.json() if e["description"] == description)

    return run(count())


@pytest.mark.parametrize("status", [500, 502, 503])
def test_get_retries_server_errors(make_client: Any, clockify: Any, status: int) -> None:
    clockify.add_fault(Fault(kind="status", status=status, method="GET", times=2))

    async def scenario() -> None:
        async with make_client() as api:
            assert (await api.user.current()).id == clockify.user_id

    run(scenario())
    assert [x.status for x in clockify.exchanges] == [status, status, 200]


def test_persistent_server_error_gives_up_with_a_clear_error(
    make_client: Any, clockify: Any
) -> None:
    clockify.add_fault(Fault(kind="status", status=503, times=None))

    async def scenario() -> None:
        async with make_client() as api:
            await api.workspaces.list()

    with pytest.raises(ServerError, match="HTTP 503") as caught:
        run(scenario())
    assert "saved" in caught.value.message
    assert len(clockify.exchanges) == FAST_RETRY.max_attempts


@pytest.mark.parametrize("retry_after", ["1", None])
def test_429_is_retried_honouring_retry_after(
    make_client: Any, clockify: Any, retry_after: str | None
) -> None:
    clockify.add_fault(Fault(kind="status", status=429, retry_after=retry_after, times=1))
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def scenario() -> RequestBudget:
        async with make_client(sleep=sleep) as api:
            await api.user.current()
            budget: RequestBudget = api.budget
            return budget

    budget = run(scenario())
    assert [x.status for x in clockify.exchanges] == [429, 200]
    if retry_after:
        assert slept[0] >= 1.0
    else:
        assert 0 < slept[0] <= FAST_RETRY.base_delay
    assert budget.limits.per_second == 1  # it learned that the real allowance is lower


def test_429_on_a_create_is_retried_because_nothing_was_committed(
    make_client: Any, clockify: Any
) -> None:
    clockify.add_fault(Fault(kind="status", status=429, method="POST", times=1))

    async def scenario() -> None:
        async with make_client() as api:
            await api.time_entries.start(
                clockify.workspace_id, EntryCreate(start=NOW, description="after 429")
            )

    run(scenario())
    assert [x.status for x in _posts(clockify)] == [429, 201]
    assert _entries_named(clockify, "after 429") == 1


def test_long_retry_after_goes_to_the_caller(make_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="status", status=429, retry_after="600", times=1))

    async def scenario() -> None:
        async with make_client() as api:
            await api.user.current()

    with pytest.raises(RateLimitedError) as caught:
        run(scenario())
    assert caught.value.retry_after == 600
    assert "600 s" in caught.value.message
    assert len(clockify.exchanges) == 1


def test_server_error_on_a_create_is_not_resent(make_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="status", status=500, method="POST", times=1))

    async def scenario() -> None:
        async with make_client() as api:
            await api.time_entries.start(
                clockify.workspace_id, EntryCreate(start=NOW, description="x")
            )

    with pytest.raises(ServerError) as caught:
        run(scenario())
    assert caught.value.maybe_committed
    assert len(_posts(clockify)) == 1


@pytest.mark.parametrize(("kind", "stored"), [("drop_after_commit", 1), ("drop_before_commit", 0)])
def test_dropped_create_is_not_resent_and_says_it_may_have_landed(
    make_client: Any, clockify: Any, kind: str, stored: int
) -> None:
    clockify.add_fault(Fault(kind=kind, method="POST", path=ENTRIES, times=1))
    description = f"dropped {kind}"

    async def scenario() -> None:
        async with make_client() as api:
            await api.time_entries.create(
                clockify.workspace_id,
                EntryCreate(start=NOW - timedelta(hours=1), end=NOW, description=description),
            )

    with pytest.raises(ApiConnectionError) as caught:
        run(scenario())
    assert caught.value.maybe_committed  # the client cannot tell; the sync layer looks
    assert "saved locally" in caught.value.message
    assert len(_posts(clockify)) == 1  # never resent blindly: no duplicate
    assert _entries_named(clockify, description) == stored


def test_dropped_read_is_retried(make_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="drop_before_commit", method="GET", times=1))

    async def scenario() -> None:
        async with make_client() as api:
            await api.workspaces.list()

    run(scenario())
    assert [x.status for x in clockify.exchanges] == [None, 200]


def test_timeout_on_a_create(make_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="delay", delay=1.5, method="POST", times=1))

    async def scenario() -> None:
        async with make_client(timeout=httpx.Timeout(0.5)) as api:
            await api.time_entries.create(
                clockify.workspace_id,
                EntryCreate(start=NOW - timedelta(hours=2), end=NOW, description="slow"),
            )

    with pytest.raises(ApiTimeoutError, match="did not answer") as caught:
        run(scenario())
    assert caught.value.maybe_committed
    clockify.wait_for(lambda log: any(x.method == "POST" for x in log))
    assert len(_posts(clockify)) == 1  # not resent
    assert _entries_named(clockify, "slow") == 1  # it landed: the sync layer will adopt it


def test_timeout_on_a_read_is_retried(make_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="delay", delay=1.0, method="GET", times=1))

    async def scenario() -> None:
        async with make_client(timeout=httpx.Timeout(0.3)) as api:
            assert (await api.user.current()).id == clockify.user_id

    run(scenario())
    # The abandoned GET is logged once the server finishes it, after the retry's answer.
    log = clockify.wait_for(lambda log: len(log) >= 2)
    assert [(x.method, x.path.removeprefix("/api")) for x in log] == [("GET", "/v1/user")] * 2
    assert sorted((x.fault or "", x.status) for x in log) == [("", 200), ("delay", 200)]


def test_malformed_json(make_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="malformed_json", method="POST", times=1))

    async def scenario() -> None:
        async with make_client() as api:
            await api.time_entries.create(
                clockify.workspace_id,
                EntryCreate(start=NOW - timedelta(hours=1), end=NOW, description="garbled"),
            )

    with pytest.raises(ResponseFormatError, match="not valid JSON") as caught:
        run(scenario())
    assert caught.value.maybe_committed
    assert _entries_named(clockify, "garbled") == 1


def test_wrong_content_type(make_client: Any, clockify: Any) -> None:
    clockify.add_fault(Fault(kind="wrong_content_type", times=1))

    async def scenario() -> None:
        async with make_client() as api:
            await api.user.current()

    with pytest.raises(ResponseFormatError, match=r"text/html.*proxy"):
        run(scenario())


def test_revoked_key(make_client: Any, clockify: Any, caplog: pytest.LogCaptureFixture) -> None:
    clockify.revoke_key()

    async def scenario() -> None:
        async with make_client() as api:
            await api.user.current()

    with caplog.at_level(logging.DEBUG), pytest.raises(UnauthorizedError) as caught:
        run(scenario())
    assert caught.value.code == 4003
    assert "log in again" in caught.value.message
    assert clockify.api_key not in str(caught.value)
    assert clockify.api_key not in caplog.text
    assert len(clockify.exchanges) == 1  # a 401 is not retried


def test_missing_key_is_refused_locally() -> None:
    from tracker.api import ClockifyClient

    with pytest.raises(ValueError, match="API key"):
        ClockifyClient(" ")


def test_free_plan_budget_never_lets_the_server_say_429(make_client: Any, clockify: Any) -> None:
    clockify.set_rate_limit(per_hour=30)
    budget = RequestBudget(FREE_PLAN)

    async def scenario() -> tuple[int, float]:
        sent = 0
        async with make_client(budget=budget, budget_wait=2.0) as api:
            try:
                for _ in range(40):
                    await api.user.current()
                    sent += 1
            except BudgetExhaustedError as exc:
                return sent, exc.retry_in
        return sent, 0.0

    sent, retry_in = run(scenario())
    assert sent == 30
    assert retry_in > 3000
    assert all(x.status == 200 for x in clockify.exchanges)


def test_server_per_second_limit_is_learned_and_absorbed(make_client: Any, clockify: Any) -> None:
    clockify.set_rate_limit(per_second=5)
    budget = RequestBudget(RateLimits(per_second=50))

    async def scenario() -> None:
        async with make_client(budget=budget, retry=FAST_RETRY) as api:
            for _ in range(12):
                await api.user.current()

    run(scenario())
    statuses = [x.status for x in clockify.exchanges]
    assert statuses.count(200) == 12
    assert statuses.count(429) <= 2  # one lesson, then the budget keeps under the limit
    limits = budget.limits
    assert limits.per_second is not None
    assert limits.per_second <= 5


def test_connection_refused(make_client: Any, clockify: Any) -> None:
    clockify.stop()

    async def scenario() -> None:
        async with make_client() as api:
            await api.time_entries.start(
                clockify.workspace_id, EntryCreate(start=NOW, description="offline")
            )

    with pytest.raises(ApiConnectionError, match="refused") as caught:
        run(scenario())
    assert not caught.value.maybe_committed  # it never left: safe to send later as is


class _EndlessPages(BaseHTTPRequestHandler):
    """A broken server: every page is full, never the last, and maybe the same one."""

    repeat = False

    def do_GET(self) -> None:
        page = 1 if self.repeat else int(self.path.split("page=")[1].split("&")[0])
        body = ("[" + ",".join(f'{{"id":"t{page}x{i}"}}' for i in range(2)) + "]").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Page", "false")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(params=[False, True], ids=["endless", "repeating"])
def broken_server(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Handler", (_EndlessPages,), {"repeat": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()
    thread.join()


def test_pagination_never_loops_forever(broken_server: str) -> None:
    from tracker.api.models import Tag
    from tracker.api.pagination import iterate_items
    from tracker.api.session import ApiSession

    async def scenario() -> int:
        seen = 0
        async with ApiSession("k" * 20, servers=Servers.custom(broken_server)) as session:
            async for _ in iterate_items(
                session, "/v1/workspaces/w/tags", Tag, what="tags", page_size=2, max_pages=25
            ):
                seen += 1
        return seen

    with pytest.raises(PaginationError, match=r"twice|did not end"):
        run(scenario())
