"""The one place every Clockify request goes through.

:class:`ApiSession` owns the ``httpx.AsyncClient``, puts each attempt through the
:class:`~tracker.api.budget.RequestBudget`, retries what may be retried (see
:mod:`tracker.api.retry`), and turns every failure into one exception of
:mod:`tracker.api.errors`. It logs method, path, status and timing, never headers or bodies,
and registers the API key with :mod:`tracker.api.redaction` so it cannot leak anywhere.

Each attempt has a wall-clock deadline (:data:`REQUEST_DEADLINE`) over connecting, sending and
reading the whole answer, and the answer is read with bounded memory (:mod:`tracker.api.body`):
a server that trickles, floods or inflates its answer ends in a clear error, not a hang.
Redirects are never followed, so the key cannot be sent anywhere but the configured host.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal, TypedDict

import httpx

from tracker import __version__
from tracker.api.body import (
    ACCEPT_ENCODING,
    MAX_RESPONSE_BYTES,
    BodyError,
    JsonDepthError,
    Reply,
    parse_json,
    read_body,
)
from tracker.api.budget import PAID_PLAN, RequestBudget
from tracker.api.errors import (
    ApiConnectionError,
    ApiStatusError,
    ApiTimeoutError,
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ResponseFormatError,
    ServerError,
    TlsError,
    TransportError,
    UnauthorizedError,
    describe_status,
)
from tracker.api.failures import describe_redirect, tls_error
from tracker.api.redaction import register_secret, sanitize_server_text
from tracker.api.retry import RETRY_STATUSES, RetryPolicy, parse_retry_after
from tracker.api.servers import Servers

__all__ = [
    "DEFAULT_TIMEOUT",
    "REQUEST_DEADLINE",
    "ApiSession",
    "Host",
    "QueryValue",
    "Reply",
    "SessionOptions",
]

log = logging.getLogger("tracker.api")

Host = Literal["api", "reports"]
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

_ERROR_BODY_LIMIT = 64 * 1024  # an error's {"message", "code"} is a few hundred bytes
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

# Failures that prove the request never left this machine: safe to resend even a create.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

_GONE = re.compile(r"^\s*(?P<subject>[a-z ]+?)\s+(?:with id \S+\s+)?doesn'?t belong to", re.I)
_COLLECTIONS = {
    "time-entries": "timeentry",
    "projects": "project",
    "tasks": "task",
    "tags": "tag",
    "clients": "client",
}

_STATUS_ERRORS: dict[int, type[ApiStatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
}


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
            host: the main API or the Reports host.
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
        base = self.servers.api if host == "api" else self.servers.reports
        request = self._client.build_request(
            method,
            base + path,
            params=_query(params),
            json=json_body,
        )
        attempt = 0
        while True:
            attempt += 1
            await self.budget.acquire(max_wait=self.budget_wait)
            started = time.perf_counter()
            try:
                response = await self._attempt(request)
            except TimeoutError:  # the deadline: the server answers, too slowly; not retried
                log.debug("%s %s ran into the %g s deadline", method, path, self.deadline)
                raise self._deadline_error(method, path, request) from None
            except httpx.TransportError as exc:
                error = self._transport_error(exc, method, path, request)
                log.debug(
                    "%s %s failed after %.0f ms (attempt %d): %s",
                    method,
                    path,
                    (time.perf_counter() - started) * 1000,
                    attempt,
                    type(exc).__name__,
                )
                retryable = idempotent or isinstance(exc, _NEVER_SENT)
                if retryable and not isinstance(error, TlsError) and self._may_retry(attempt):
                    await self._sleep(self.retry.delay(attempt, None, self._rng))
                    continue
                raise error from None
            except httpx.InvalidURL:  # httpx reads a redirect's Location even unfollowed
                raise ResponseFormatError(
                    describe_redirect(None, None, method, path)
                    + " (It pointed to an address that is not a valid URL.)"
                ) from None
            except BodyError as exc:
                raise ResponseFormatError(
                    f"Clockify's answer to {method} {path} {exc}.",
                    maybe_committed=method not in ("GET", "HEAD"),
                ) from None
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
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if response.status_code == 429:
                self.budget.note_rate_limited(retry_after)
            retryable = response.status_code in RETRY_STATUSES and (
                idempotent or response.status_code == 429
            )
            too_long = retry_after is not None and retry_after > self.retry.max_retry_after
            if retryable and not too_long and self._may_retry(attempt):
                await self._sleep(self.retry.delay(attempt, retry_after, self._rng))
                continue
            raise self._status_error(response, method, path, retry_after, idempotent=idempotent)

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

    def _may_retry(self, attempt: int) -> bool:
        return attempt < self.retry.max_attempts

    def _deadline_error(self, method: str, path: str, request: httpx.Request) -> ApiTimeoutError:
        # With the default timeouts, connecting gives up (5 s) long before the deadline, so
        # an attempt that reaches it has sent its request: a write may have been committed.
        return ApiTimeoutError(
            f"Clockify ({request.url.host}) did not finish answering {method} {path} within "
            f"{self.deadline:g} s: it answers too slowly, or something on the way holds the "
            "connection. Your changes stay saved locally and are sent when the connection "
            "recovers.",
            maybe_committed=method not in ("GET", "HEAD"),
        )

    def _transport_error(
        self, exc: httpx.TransportError, method: str, path: str, request: httpx.Request
    ) -> TransportError:
        host = request.url.host
        refused = tls_error(exc, host)
        if refused is not None:
            return refused
        sent = not isinstance(exc, _NEVER_SENT)
        maybe_committed = sent and method not in ("GET", "HEAD")
        if isinstance(exc, httpx.TimeoutException):
            seconds = self._timeout.read if sent else self._timeout.connect
            return ApiTimeoutError(
                f"Clockify ({host}) did not answer {method} {path} within {seconds:.0f} s. "
                "Your changes stay saved locally and are sent when the connection recovers.",
                maybe_committed=maybe_committed,
            )
        reason = {
            httpx.ConnectError: "the connection was refused or the host is unreachable",
            httpx.RemoteProtocolError: "the connection was closed before an answer",
            httpx.ReadError: "the connection broke while reading the answer",
            httpx.WriteError: "the connection broke while sending",
        }.get(type(exc), "the connection failed")
        return ApiConnectionError(
            f"Cannot reach Clockify ({host}): {reason}. "
            "Your changes stay saved locally and are sent when the connection recovers.",
            maybe_committed=maybe_committed,
        )

    @staticmethod
    def _status_error(
        response: Reply,
        method: str,
        path: str,
        retry_after: float | None,
        *,
        idempotent: bool,
    ) -> ApiStatusError:
        status = response.status_code
        code, server_message = _error_body(response)
        message = describe_status(status, code, server_message, method=method, path=path)
        if 300 <= status < 400:
            message = describe_redirect(status, response.headers.get("location"), method, path)
        if status == 429:
            if retry_after is not None:
                message = (
                    "Clockify's request limit was reached; tracker tries again in "
                    f"{retry_after:.0f} s."
                )
            return RateLimitedError(
                message,
                retry_after=retry_after,
                code=code,
                server_message=server_message,
                method=method,
                path=path,
            )
        if status >= 500:
            return ServerError(
                message,
                status=status,
                code=code,
                server_message=server_message,
                method=method,
                path=path,
                maybe_committed=not idempotent,
            )
        error_class = _STATUS_ERRORS.get(status, ApiStatusError)
        if status == 400 and server_message and _addressed_is_gone(path, server_message):
            error_class = NotFoundError
            message = (
                f"Clockify has no such item ({method} {path}); it may have been deleted: "
                f"{server_message}"
            )
        return error_class(
            message,
            status=status,
            code=code,
            server_message=server_message,
            method=method,
            path=path,
        )


def read_json(response: Reply, *, method: str, path: str, maybe_committed: bool = False) -> Any:
    """Decode a 2xx JSON body, or explain why it cannot be."""
    content_type = response.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media and media != "application/json" and not media.endswith("+json") and media != "*/*":
        raise ResponseFormatError(
            f"Clockify answered {method} {path} with {media or 'no content type'} instead of "
            "JSON; a proxy, captive portal or wrong server URL may be in the way.",
            maybe_committed=maybe_committed,
        )
    try:
        return parse_json(response.content)
    except JsonDepthError:
        raise ResponseFormatError(
            f"Clockify's answer to {method} {path} is nested too deeply to be a real answer "
            f"({len(response.content)} bytes); a broken or hostile server may be in the way.",
            maybe_committed=maybe_committed,
        ) from None
    except ValueError:  # not JSON, or not UTF-8
        raise ResponseFormatError(
            f"Clockify's answer to {method} {path} is not valid JSON "
            f"({len(response.content)} bytes); it may have been cut off.",
            maybe_committed=maybe_committed,
        ) from None


def _addressed_is_gone(path: str, server_message: str) -> bool:
    """Whether a 400 says that the very item the path names is not in the workspace.

    Clockify answers 400 (code 501), not 404, for an id that is not or no longer in the
    workspace (FACTS §3). Only when the message names the addressed item itself ("Time entry
    doesn't belong to Workspace" on ``/time-entries/{id}``) is it "gone"; a 400 about a
    *referenced* project on that path is a validation error and stays one.
    """
    match = _GONE.search(server_message)
    segments = path.rstrip("/").split("/")
    if match is None or len(segments) < 2:
        return False
    subject = match.group("subject").replace(" ", "").lower()
    return _COLLECTIONS.get(segments[-2]) == subject


async def _error_content(response: httpx.Response) -> bytes:
    """An error answer's body, or nothing when it is too large or undecodable to be one."""
    try:
        return await read_body(response, _ERROR_BODY_LIMIT)
    except BodyError:
        return b""


def _error_body(response: Reply) -> tuple[int | None, str | None]:
    """Read Clockify's ``{"message", "code"}`` error body, tolerating anything else."""
    try:
        body = parse_json(response.content)
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    code = body.get("code")
    message = body.get("message")
    return (
        code if isinstance(code, int) and not isinstance(code, bool) else None,
        sanitize_server_text(message) if isinstance(message, str) and message else None,
    )


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
