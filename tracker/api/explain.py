"""Say what went wrong with one request, as the one :mod:`tracker.api.errors` exception that fits.

:class:`~tracker.api.session.ApiSession` decides whether to try again; this module only turns
a failed attempt (a deadline, a broken connection, an unreadable answer) or a non-2xx answer
into an error whose message a person can act on, and says whether a write may still have
been committed (``maybe_committed``) so the sync layer knows to look before sending again.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from tracker.api.body import BodyError, JsonDepthError, Reply, parse_json
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
    TransportError,
    UnauthorizedError,
    describe_status,
)
from tracker.api.failures import describe_redirect, tls_error
from tracker.api.redaction import sanitize_server_text

__all__ = [
    "NEVER_SENT",
    "bad_redirect_target",
    "deadline_error",
    "read_json",
    "status_error",
    "transport_error",
    "unreadable_body",
]

NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures that prove the request never left this machine: safe to resend even a create."""

_RECOVERS = "Your changes stay saved locally and are sent when the connection recovers."

_BROKEN_CONNECTIONS: dict[type[httpx.TransportError], str] = {
    httpx.ConnectError: "the connection was refused or the host is unreachable",
    httpx.RemoteProtocolError: "the connection was closed before an answer",
    httpx.ReadError: "the connection broke while reading the answer",
    httpx.WriteError: "the connection broke while sending",
}

_GONE = re.compile(r"^\s*(?P<subject>[a-z ]+?)\s+(?:with id \S+\s+)?doesn'?t belong to", re.I)
_COLLECTIONS = {
    "time-entries": "timeentry",
    "projects": "project",
    "tasks": "task",
    "tags": "tag",
    "clients": "client",
    "custom-fields": "customfield",
}

_STATUS_ERRORS: dict[int, type[ApiStatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
}


def _may_be_committed(method: str) -> bool:
    """Whether a request that reached the server may have changed something there."""
    return method not in ("GET", "HEAD")


def deadline_error(method: str, path: str, host: str, deadline: float) -> ApiTimeoutError:
    """An attempt ran into the whole-attempt deadline."""
    # With the default timeouts, connecting gives up (5 s) long before the deadline, so
    # an attempt that reaches it has sent its request: a write may have been committed.
    return ApiTimeoutError(
        f"Clockify ({host}) did not finish answering {method} {path} within "
        f"{deadline:g} s: it answers too slowly, or something on the way holds the "
        f"connection. {_RECOVERS}",
        maybe_committed=_may_be_committed(method),
    )


def transport_error(
    exc: httpx.TransportError, method: str, path: str, host: str, timeout: httpx.Timeout
) -> TransportError:
    """A connection that failed: refused TLS, a phase timeout, or a broken connection."""
    refused = tls_error(exc, host)
    if refused is not None:
        return refused
    sent = not isinstance(exc, NEVER_SENT)
    maybe_committed = sent and _may_be_committed(method)
    if isinstance(exc, httpx.TimeoutException):
        seconds = timeout.read if sent else timeout.connect
        return ApiTimeoutError(
            f"Clockify ({host}) did not answer {method} {path} within {seconds:.0f} s. {_RECOVERS}",
            maybe_committed=maybe_committed,
        )
    reason = _BROKEN_CONNECTIONS.get(type(exc), "the connection failed")
    return ApiConnectionError(
        f"Cannot reach Clockify ({host}): {reason}. {_RECOVERS}",
        maybe_committed=maybe_committed,
    )


def bad_redirect_target(method: str, path: str) -> ResponseFormatError:
    """A redirect whose ``Location`` httpx cannot even parse (it reads it, unfollowed)."""
    return ResponseFormatError(
        describe_redirect(None, None, method, path)
        + " (It pointed to an address that is not a valid URL.)"
    )


def unreadable_body(exc: BodyError, method: str, path: str) -> ResponseFormatError:
    """A 2xx answer too large or too broken to read (:mod:`tracker.api.body`)."""
    return ResponseFormatError(
        f"Clockify's answer to {method} {path} {exc}.",
        maybe_committed=_may_be_committed(method),
    )


def status_error(
    response: Reply,
    method: str,
    path: str,
    retry_after: float | None,
    *,
    idempotent: bool,
) -> ApiStatusError:
    """The error for a non-2xx answer that is not (or no longer) retried."""
    status = response.status_code
    code, server_message = _error_body(response)
    message = describe_status(status, code, server_message, method=method, path=path)
    if 300 <= status < 400:
        message = describe_redirect(status, response.headers.get("location"), method, path)
    if status == 429:
        if retry_after is not None:
            message = (
                f"Clockify's request limit was reached; tracker tries again in {retry_after:.0f} s."
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
