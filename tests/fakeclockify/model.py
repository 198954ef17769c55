"""The test server's public value types: the request log entry, the fault, the API error.

``Exchange`` and ``Fault`` are what other tests code against; ``ApiError`` is how route handlers
say "answer with this Clockify error body" without knowing anything about HTTP plumbing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

__all__ = [
    "BODY_CORRUPTING_FAULTS",
    "FAULT_KINDS",
    "PAGING_FAULTS",
    "ApiError",
    "Exchange",
    "Fault",
    "status_error_body",
]

BODY_CORRUPTING_FAULTS: frozenset[str] = frozenset(
    {
        "malformed_json",
        "wrong_content_type",
        "bad_item",
        "huge_body",
        "gzip_bomb",
        "nested_json",
        "wrong_types",
        "bad_ids",
    }
)
"""Faults that replace a 2xx body on purpose: the contract checker leaves those bodies alone."""

PAGING_FAULTS: frozenset[str] = frozenset(
    {"page_repeat", "page_ignored", "page_total_lie", "page_never_short"}
)
"""Paged lists that misbehave (:mod:`tests.fakeclockify.paging_faults`); bodies keep shape."""

FAULT_KINDS: frozenset[str] = (
    BODY_CORRUPTING_FAULTS
    | PAGING_FAULTS
    | {
        "status",
        "delay",
        "drop_after_commit",
        "drop_before_commit",
        "trickle",
        "redirect",
    }
)


@dataclass(frozen=True)
class Exchange:
    """One request and what the server did with it, for assertions on client behaviour."""

    method: str
    host: str
    path: str
    query: tuple[tuple[str, str], ...]
    request_headers: Mapping[str, str]
    request_body: bytes
    status: int | None
    response_headers: Mapping[str, str]
    response_body: bytes
    fault: str | None
    committed: bool

    def json(self) -> Any:
        """The response body decoded as JSON (raises on a malformed body)."""
        return json.loads(self.response_body)

    def request_json(self) -> Any:
        """The request body decoded as JSON (raises on a malformed body)."""
        return json.loads(self.request_body)


@dataclass
class Fault:
    """A failure to inject into matching requests, so clients meet real network trouble.

    ``delay`` is the wait of a ``delay`` fault, and the pause between two bytes of a
    ``trickle``. ``size`` is the bytes of a ``huge_body``, the expanded bytes of a
    ``gzip_bomb`` and the depth of a ``nested_json`` (0: the attack's own figure, see
    :data:`tests.fakeclockify.hostile.DEFAULT_SIZES`). ``location`` is where a ``redirect``
    (with a 3xx ``status``) points.
    """

    kind: str
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0
    method: str | None = None
    path: str | None = None
    times: int | None = 1
    size: int = 0
    location: str | None = None
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; known: {sorted(FAULT_KINDS)}")
        if self.times is not None and self.times < 0:
            raise ValueError("times must be None or >= 0")
        if self.kind == "trickle" and self.delay <= 0:
            raise ValueError("a trickle needs delay > 0: the pause between two bytes")
        if self.kind == "redirect" and not 300 <= self.status < 400:
            raise ValueError("a redirect needs a 3xx status")
        if self.size < 0:
            raise ValueError("size must be >= 0")
        self._pattern = re.compile(self.path) if self.path is not None else None

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault still applies to a request for ``method`` ``path``."""
        if self.times is not None and self.times <= 0:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self._pattern is None or self._pattern.search(path) is not None


class ApiError(Exception):
    """A Clockify-shaped error answer: ``{"message": ..., "code": N}`` with an HTTP status.

    ``code=None`` leaves the code out (some routes send only ``message``); ``empty=True`` sends
    no body at all, as Clockify does for an unknown workspace id.
    """

    def __init__(
        self,
        status: int,
        message: str,
        code: int | None,
        *,
        empty: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.code = code
        self.empty = empty
        self.headers: dict[str, str] = dict(headers or {})

    def body(self) -> dict[str, Any] | None:
        """The JSON body to send, or None for an empty answer."""
        if self.empty:
            return None
        payload: dict[str, Any] = {"message": self.message}
        if self.code is not None:
            payload["code"] = self.code
        return payload


_STATUS_MESSAGES = {
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def status_error_body(status: int) -> dict[str, Any]:
    """The error body for an injected status, in Clockify's ``{message, code}`` shape."""
    try:
        default = HTTPStatus(status).phrase
    except ValueError:
        default = "Error"
    return {"message": _STATUS_MESSAGES.get(status, default), "code": status}
