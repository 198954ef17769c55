"""One exception class per way a Clockify call can fail.

The tree (the sync layer decides what to do by class, never by message text)::

    ClockifyError
    ├── TransportError            no usable HTTP answer arrived
    │   ├── ApiConnectionError    refused, reset, dropped, DNS
    │   ├── ApiTimeoutError       no answer in time, or not all of it by the deadline
    │   └── TlsError              the server's certificate was refused: never retried
    ├── ApiStatusError            Clockify answered with an error status
    │   ├── BadRequestError       400: validation, with Clockify's message and code
    │   ├── UnauthorizedError     401: no, wrong or revoked key
    │   ├── ForbiddenError        403: role or plan does not allow it
    │   ├── NotFoundError         404
    │   ├── RateLimitedError      429
    │   └── ServerError           5xx
    ├── ResponseFormatError       an answer that is not what the API promises
    ├── BudgetExhaustedError      the local request budget says wait
    ├── PaginationError           a list that never ends
    └── InvalidIdError            an id that cannot go into a URL path (also a ValueError)

Every message is written for a person and passes through :func:`redact`, so an API key can
never leak through an exception. ``maybe_committed`` tells whether a write may have reached the
server although no success came back: such a create must be reconciled, not resent blindly.
"""

from __future__ import annotations

from tracker.api.redaction import redact, sanitize_server_text

__all__ = [
    "ApiConnectionError",
    "ApiStatusError",
    "ApiTimeoutError",
    "BadRequestError",
    "BudgetExhaustedError",
    "ClockifyError",
    "ForbiddenError",
    "InvalidIdError",
    "NotFoundError",
    "PaginationError",
    "RateLimitedError",
    "ResponseFormatError",
    "ServerError",
    "TlsError",
    "TransportError",
    "UnauthorizedError",
]


class ClockifyError(Exception):
    """Base of every failure of the Clockify client."""

    maybe_committed: bool = False

    def __init__(self, message: str) -> None:
        self.message = redact(message)
        super().__init__(self.message)


class TransportError(ClockifyError):
    """No usable HTTP answer arrived."""

    def __init__(self, message: str, *, maybe_committed: bool) -> None:
        super().__init__(message)
        self.maybe_committed = maybe_committed


class ApiConnectionError(TransportError):
    """The connection failed or was dropped before an answer."""


class ApiTimeoutError(TransportError):
    """Clockify did not answer in time, or did not finish its answer by the deadline."""


class TlsError(TransportError):
    """The secure connection failed: most often the server's certificate was refused.

    It is the one failure a man-in-the-middle produces, so it is not retried and not
    reported as an outage: the person has to look. Nothing was sent, the key included.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, maybe_committed=False)


class ApiStatusError(ClockifyError):
    """Clockify answered with an error status.

    Attributes:
        status: the HTTP status.
        code: Clockify's own error code from the body (``{"message", "code"}``), if any.
        server_message: Clockify's message, cleaned of control characters and shortened.
        method: the HTTP method of the failed call.
        path: the API path (ids only; never a key).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: int | None,
        server_message: str | None,
        method: str,
        path: str,
        maybe_committed: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.server_message = redact(server_message) if server_message else None
        self.method = method
        self.path = path
        self.maybe_committed = maybe_committed


class BadRequestError(ApiStatusError):
    """400: Clockify rejected the content (a required field, a locked period, a bad value)."""


class UnauthorizedError(ApiStatusError):
    """401: the API key is missing, unknown or revoked. Sync must pause and ask for a key."""


class ForbiddenError(ApiStatusError):
    """403: the user's role or the workspace's plan does not allow this."""


class NotFoundError(ApiStatusError):
    """404: the thing (or, for a stop, the running timer) does not exist on the server."""


class RateLimitedError(ApiStatusError):
    """429: too many requests.

    Attributes:
        retry_after: seconds the server asked us to wait, when it said so.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None,
        code: int | None,
        server_message: str | None,
        method: str,
        path: str,
    ) -> None:
        super().__init__(
            message,
            status=429,
            code=code,
            server_message=server_message,
            method=method,
            path=path,
        )
        self.retry_after = retry_after


class ServerError(ApiStatusError):
    """5xx: Clockify or a proxy in front of it failed."""


class ResponseFormatError(ClockifyError):
    """A 2xx answer whose body is not what the API promises (bad JSON, wrong type, wrong shape)."""

    def __init__(self, message: str, *, maybe_committed: bool = False) -> None:
        super().__init__(message)
        self.maybe_committed = maybe_committed


class BudgetExhaustedError(ClockifyError):
    """The local request budget has no room for this call within the allowed wait.

    Attributes:
        retry_in: seconds until the budget has room again.
    """

    def __init__(self, message: str, *, retry_in: float) -> None:
        super().__init__(message)
        self.retry_in = retry_in


class PaginationError(ClockifyError):
    """A paged list that repeats itself or does not end; raised instead of looping forever.

    ``guard`` names the check that stopped the reading (see :mod:`tracker.api.pagination`):
    ``repeated page``, ``past the declared total`` or ``page ceiling``.
    """

    def __init__(self, message: str, *, guard: str) -> None:
        super().__init__(message)
        self.guard = guard


class InvalidIdError(ClockifyError, ValueError):
    """An id that is not a Clockify id cannot go into a URL path; the request was not sent."""


def describe_status(
    status: int, code: int | None, server_message: str | None, *, method: str, path: str
) -> str:
    """Say in plain words what an error status means and what the person can do."""
    said = f": {sanitize_server_text(server_message)}" if server_message else ""
    if status == 400:
        return f"Clockify rejected the change{said}"
    if status == 401:
        if code == 1000:
            return "Clockify received no API key. Log in with your Clockify API key."
        return (
            "Clockify does not accept this API key (it may have been revoked or regenerated). "
            "Create a key in Clockify under Profile settings > API, then log in again."
        )
    if status == 403:
        return (
            "Clockify refused access: your role in this workspace does not allow this, "
            f"or it needs a paid plan{said}"
        )
    if status == 404:
        return f"Clockify has no such item ({method} {path}); it may have been deleted{said}"
    if status == 429:
        return "Clockify's request limit was reached; tracker waits and tries again."
    if status >= 500:
        return (
            f"Clockify had a server error (HTTP {status}); your changes stay saved and are "
            "sent again later."
        )
    return f"Clockify answered HTTP {status} to {method} {path}{said}"
