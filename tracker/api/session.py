"""The one place every Clockify request goes through.

:class:`ApiSession` owns the ``httpx.AsyncClient``, puts each attempt through the
:class:`~tracker.api.budget.RequestBudget`, retries what may be retried (see
:mod:`tracker.api.retry`), and turns every failure into one exception of
:mod:`tracker.api.errors` (worded by :mod:`tracker.api.explain`). It logs method, path,
status and timing, never headers or bodies, and registers the API key with
:mod:`tracker.api.redaction` so it cannot leak anywhere.

Each attempt has a wall-clock deadline (:data:`REQUEST_DEADLINE`) over connecting, sending and
reading the whole answer, and the answer is read with bounded memory (:mod:`tracker.api.body`):
a server that trickles, floods or inflates its answer ends in a clear error, not a hang.
Redirects are never followed, so the key cannot be sent anywhere but the configured host.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import httpx

from tracker import __version__
from tracker.api.body import (
    ACCEPT_ENCODING,
    MAX_RESPONSE_BYTES,
    BodyError,
    Reply,
    read_body,
)
from tracker.api.budget import PAID_PLAN, RequestBudget
from tracker.api.errors import TlsError
from tracker.api.explain import (
    NEVER_SENT,
    bad_redirect_target,
    deadline_error,
    read_json,
    status_error,
    transport_error,
    unreadable_body,
)
from tracker.api.redaction import register_secret
from tracker.api.retry import RETRY_STATUSES, RetryPolicy, parse_retry_after
from tracker.api.servers import Servers
from tracker.api.tls import tls_context

__all__ = [
    "DEFAULT_TIMEOUT",
    "EXPORT_DEADLINE",
    "MAX_EXPORT_BYTES",
    "REQUEST_DEADLINE",
    "ApiSession",
    "Host",
    "QueryValue",
    "Reply",
    "SessionOptions",
    "sent_hook",
]

log = logging.getLogger("tracker.api")

Host = Literal["api", "reports", "audit"]
QueryValue = str | int | bool | Sequence[str] | None
_Scalar = str | int | float | bool | None

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=10.0, pool=5.0)

REQUEST_DEADLINE = 30.0
"""Seconds one attempt may take from start to the last byte of the answer, whatever happens.

httpx's timeouts are per phase, and its read timeout starts again with every byte, so a server
sending a byte every few seconds would hold a request (and the sync lease) forever. This
deadline covers connecting, sending and reading the whole body. Clockify answers in well under
a second, and its largest page in a few seconds even on a slow line; 30 s is also longer than
the read timeout above, so a silent server still meets that first. An attempt that runs into
the deadline is not retried.

The sync layer derives from it how long after sending a create the server could still commit
it: the client stops waiting for an attempt no later than this many seconds after it started,
and a create that hits the deadline after being sent is reported with ``maybe_committed``.
"""

EXPORT_DEADLINE = 300.0
"""Seconds a file download (a report export) may take in all: Clockify builds the file first,
and a long PDF or XLSX is larger than any JSON page."""

MAX_EXPORT_BYTES = 1024 * 1024 * 1024
"""The largest export accepted; a server that sends more is not sending a report."""

sent_hook: ContextVar[Callable[[], None] | None] = ContextVar("sent_hook", default=None)
"""Called as each attempt goes out from the task that set it (and the tasks it starts): how
the sync worker counts one call's requests for a progress line, on a client shared with the
sync rounds (whose own requests are not counted there)."""

_ERROR_BODY_LIMIT = 64 * 1024  # an error's {"message", "code"} is a few hundred bytes
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class _Call:
    """One logical request, the same for each of its attempts."""

    method: str
    path: str
    idempotent: bool
    request: httpx.Request


class SessionOptions(TypedDict, total=False):
    """The keyword arguments of :class:`ApiSession`, for wrappers that pass them through."""

    servers: Servers | None
    budget: RequestBudget | None
    retry: RetryPolicy | None
    timeout: httpx.Timeout
    transport: httpx.AsyncBaseTransport | None
    budget_wait: float
    rng: random.Random | None
    sleep: Callable[[float], Awaitable[None]]
    deadline: float
    max_body: int


class ApiSession:
    """An authenticated, budgeted, retrying connection to one Clockify account.

    Args:
        api_key: the personal API key, sent as ``X-Api-Key``.
        servers: the base URLs (global, regional or custom).
        budget: the request budget shared by every call of this account.
        retry: the retry policy.
        timeout: httpx timeouts.
        transport: an httpx transport to use instead of the network (tests, benchmarks).
        budget_wait: how long one call may wait for the budget before it gives up.
        rng: randomness for backoff jitter.
        sleep: the coroutine used to wait between attempts.
        deadline: seconds one attempt may take in all (:data:`REQUEST_DEADLINE`).
        max_body: the largest decoded answer accepted, in bytes (:data:`MAX_RESPONSE_BYTES`).
    """

    def __init__(
        self,
        api_key: str,
        *,
        servers: Servers | None = None,
        budget: RequestBudget | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        budget_wait: float = 10.0,
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        deadline: float = REQUEST_DEADLINE,
        max_body: int = MAX_RESPONSE_BYTES,
    ) -> None:
        if not api_key or not api_key.strip():
            raise ValueError("an API key is required")
        if deadline <= 0 or max_body <= 0:
            raise ValueError("the deadline and the body limit must be positive")
        register_secret(api_key)
        self.servers = servers or Servers()
        self.budget = budget or RequestBudget(PAID_PLAN)
        self.retry = retry or RetryPolicy()
        self.budget_wait = budget_wait
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._sleep = sleep
        self._timeout = timeout
        self.deadline = deadline
        self.max_body = max_body
        self._client = httpx.AsyncClient(
            headers={
                "X-Api-Key": api_key,
                "User-Agent": f"tracker/{__version__}",
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            verify=tls_context(),
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def __aenter__(self) -> ApiSession:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        host: Host = "api",
        params: Mapping[str, QueryValue] | None = None,
        json_body: Any = None,
        idempotent: bool | None = None,
    ) -> Reply:
        """Send one logical request, retrying as the policy allows, and return a 2xx answer.

        Args:
            method: the HTTP method.
            path: the path from ``/v1`` on.
            host: the main API, the Reports host or the audit log's.
            params: query parameters; ``None`` values are left out, sequences repeat the key.
            json_body: the JSON body, already in wire form.
            idempotent: whether resending cannot do harm; by default from the method. A
                ``POST`` create and the ``PATCH`` that stops the timer are not.

        Raises:
            ClockifyError: a subclass saying what failed.
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        base = self.servers.base(host)
        request = self._client.build_request(
            method,
            base + path,
            params=_query(params),
            json=json_body,
        )
        call = _Call(method, path, idempotent, request)
        attempt = 0
        while True:
            attempt += 1
            await self.budget.acquire(max_wait=self.budget_wait)
            _note_sent()
            outcome = await self._try_once(call, attempt)
            if isinstance(outcome, Reply):
                return outcome
            await self._sleep(outcome)

    async def _try_once(self, call: _Call, attempt: int) -> Reply | float:
        """One attempt: its 2xx answer, or the seconds to wait before the next one.

        Raises:
            ClockifyError: the attempt failed in a way that is not (or no longer) retried.
        """
        method, path = call.method, call.path
        started = time.perf_counter()
        try:
            response = await self._attempt(call.request)
        except TimeoutError:  # the deadline: the server answers, too slowly; not retried
            log.debug("%s %s ran into the %g s deadline", method, path, self.deadline)
            raise deadline_error(method, path, call.request.url.host, self.deadline) from None
        except httpx.TransportError as exc:
            log.debug(
                "%s %s failed after %.0f ms (attempt %d): %s",
                method,
                path,
                (time.perf_counter() - started) * 1000,
                attempt,
                type(exc).__name__,
            )
            return self._wait_after_failure(exc, call, attempt)
        except httpx.InvalidURL:  # httpx reads a redirect's Location even unfollowed
            raise bad_redirect_target(method, path) from None
        except BodyError as exc:
            raise unreadable_body(exc, method, path) from None
        log.debug(
            "%s %s -> %d in %.0f ms (attempt %d)",
            method,
            path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            attempt,
        )
        if response.is_success:
            self.budget.note_success()
            return response
        return self._wait_after_answer(response, call, attempt)

    def _wait_after_failure(self, exc: httpx.TransportError, call: _Call, attempt: int) -> float:
        """The backoff before resending after a broken connection, or the error to raise.

        A write is resent only when the failure proves it never left (:data:`NEVER_SENT`);
        a refused certificate is never retried: it will not change by waiting.
        """
        host = call.request.url.host
        error = transport_error(exc, call.method, call.path, host, self._timeout)
        retryable = call.idempotent or isinstance(exc, NEVER_SENT)
        if retryable and not isinstance(error, TlsError) and self._may_retry(attempt):
            return self.retry.delay(attempt, None, self._rng)
        raise error from None

    def _wait_after_answer(self, response: Reply, call: _Call, attempt: int) -> float:
        """The backoff before resending after a non-2xx answer, or the error to raise.

        A 429 is resent even for a write (it was refused, not done), unless the server asks
        for a longer wait than the policy allows; a 429 also slows the shared budget.
        """
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if status == 429:
            self.budget.note_rate_limited(retry_after)
        retryable = status in RETRY_STATUSES and (call.idempotent or status == 429)
        too_long = retry_after is not None and retry_after > self.retry.max_retry_after
        if retryable and not too_long and self._may_retry(attempt):
            return self.retry.delay(attempt, retry_after, self._rng)
        raise status_error(
            response, call.method, call.path, retry_after, idempotent=call.idempotent
        )

    async def _attempt(self, request: httpx.Request) -> Reply:
        """Send once and read the whole answer, all within the deadline.

        Raises:
            TimeoutError: the deadline passed.
            httpx.TransportError: the connection failed.
            BodyError: a 2xx body is too large or cannot be decoded.
        """
        async with asyncio.timeout(self.deadline):
            response = await self._client.send(request, stream=True)
            try:
                if response.is_success:
                    content = await read_body(response, self.max_body)
                else:
                    content = await _error_content(response)
            finally:
                await response.aclose()
        return Reply(response.status_code, response.headers, content)

    async def get_json(
        self,
        path: str,
        *,
        host: Host = "api",
        params: Mapping[str, QueryValue] | None = None,
    ) -> tuple[Any, Reply]:
        """``GET`` and decode the JSON body; returns the data and the response (for headers)."""
        response = await self.request("GET", path, host=host, params=params)
        return read_json(response, method="GET", path=path), response

    async def send_json(
        self,
        method: str,
        path: str,
        *,
        host: Host = "api",
        params: Mapping[str, QueryValue] | None = None,
        json_body: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send a write and decode its JSON answer (``None`` for an empty 204)."""
        response = await self.request(
            method, path, host=host, params=params, json_body=json_body, idempotent=idempotent
        )
        if response.status_code == 204 or not response.content:
            return None
        committed = method.upper() != "GET"
        return read_json(response, method=method, path=path, maybe_committed=committed)

    async def download(
        self,
        method: str,
        path: str,
        write: Callable[[bytes, int | None], None],
        *,
        host: Host = "api",
        json_body: Any = None,
        deadline: float = EXPORT_DEADLINE,
        max_bytes: int = MAX_EXPORT_BYTES,
        params: Mapping[str, QueryValue] | None = None,
    ) -> int:
        """Send one request and hand its 2xx body to ``write(piece, declared_length)`` piece
        by piece, so a large file (a report export) never sits in memory whole.

        One attempt, through the budget like every request, not retried (the caller decides
        whether to ask again), within ``deadline`` seconds in all and ``max_bytes`` of body.
        Returns the number of bytes written. An exception from ``write`` (the person
        cancelled, the disk is full) ends the download and propagates.

        Raises:
            ClockifyError: a subclass saying what failed.
        """
        method = method.upper()
        base = self.servers.base(host)
        request = self._client.build_request(
            method, base + path, params=_query(params), json=json_body
        )
        await self.budget.acquire(max_wait=self.budget_wait)
        _note_sent()
        try:
            async with asyncio.timeout(deadline):
                return await self._stream_body(request, path, write, max_bytes)
        except TimeoutError:
            raise deadline_error(method, path, request.url.host, deadline) from None
        except httpx.TransportError as exc:
            raise transport_error(exc, method, path, request.url.host, self._timeout) from None

    async def _stream_body(
        self,
        request: httpx.Request,
        path: str,
        write: Callable[[bytes, int | None], None],
        max_bytes: int,
    ) -> int:
        response = await self._client.send(request, stream=True)
        try:
            if not response.is_success:
                content = await _error_content(response)
                reply = Reply(response.status_code, response.headers, content)
                raise status_error(reply, request.method, path, None, idempotent=False)
            self.budget.note_success()
            declared = response.headers.get("content-length", "")
            length = int(declared) if declared.isdigit() else None
            written = 0
            async for piece in response.aiter_bytes():
                written += len(piece)
                if written > max_bytes:
                    raise unreadable_body(
                        BodyError(f"was larger than {max_bytes // (1024 * 1024)} MiB"),
                        request.method,
                        path,
                    )
                write(piece, length)
            return written
        finally:
            await response.aclose()

    def _may_retry(self, attempt: int) -> bool:
        return attempt < self.retry.max_attempts


def _note_sent() -> None:
    hook = sent_hook.get()
    if hook is not None:
        hook()


async def _error_content(response: httpx.Response) -> bytes:
    """An error answer's body, or nothing when it is too large or undecodable to be one."""
    try:
        return await read_body(response, _ERROR_BODY_LIMIT)
    except BodyError:
        return b""


def _query(
    params: Mapping[str, QueryValue] | None,
) -> list[tuple[str, str | int | float | bool | None]]:
    """Turn a parameter mapping into query pairs: no ``None``, lowercase booleans, repeats."""
    pairs: list[tuple[str, _Scalar]] = []
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            pairs.append((key, "true" if value else "false"))
        elif isinstance(value, str | int):
            pairs.append((key, str(value)))
        else:
            pairs.extend((key, str(item)) for item in value)
    return pairs
