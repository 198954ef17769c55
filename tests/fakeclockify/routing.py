"""Request parsing and routing the way Clockify's Spring backend reacts to bad input.

Spring's quirks matter to clients: a query value of the wrong type is a 400 with code 3000 and a
``Method parameter '...'`` message, a body that is not JSON (or has a field of the wrong JSON
type) is a 400 with code 3002, a known path with the wrong method is a 405 with code 3000, and an
unknown path is a 404 ``No static resource ...`` with code 3000.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import User, WorkspaceData
from tests.fakeclockify.state import State
from tests.fakeclockify.wire import parse_instant

__all__ = [
    "ROUTES",
    "Reply",
    "Request",
    "Route",
    "body_bool",
    "body_instant",
    "body_int",
    "body_object",
    "body_str",
    "body_str_list",
    "find_route",
    "route",
]

_TRUE = frozenset({"true", "on", "yes", "1"})
_FALSE = frozenset({"false", "off", "no", "0"})


@dataclass
class Request:
    """One authenticated API request, with typed accessors that fail like Spring does."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: Mapping[str, str]
    body: bytes
    state: State
    user: User
    params: dict[str, str] = field(default_factory=dict)
    data: WorkspaceData | None = None

    @property
    def ws(self) -> WorkspaceData:
        """The workspace named in the path (resolved and access-checked by the dispatcher)."""
        if self.data is None:
            raise RuntimeError("route has no workspace")
        return self.data

    def first(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        for key, value in self.query:
            if key == name:
                return value
        return None

    def many(self, name: str) -> list[str]:
        """All values of a list parameter: repeated keys and comma-separated values alike."""
        found: list[str] = []
        for key, value in self.query:
            if key == name:
                found.extend(part for part in value.split(",") if part)
        return found

    def integer(self, name: str, default: int) -> int:
        """An int parameter; a non-number is Spring's type-conversion 400 (code 3000)."""
        raw = self.first(name)
        if raw is None or raw == "":
            return default
        try:
            return int(raw.strip())
        except ValueError:
            raise _conversion_error(name, "int", f'For input string: "{raw}"') from None

    def boolean(self, name: str, default: bool | None) -> bool | None:
        """A boolean parameter: None when absent; Spring's spellings of true and false."""
        raw = self.first(name)
        if raw is None or raw.strip() == "":
            return default
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise _conversion_error(name, "boolean", f"Invalid boolean value [{raw}]")

    def instant(self, name: str) -> int | None:
        """A date-time parameter as epoch seconds (UTC), or None."""
        raw = self.first(name)
        if raw is None or raw == "":
            return None
        try:
            return parse_instant(raw)
        except ValueError:
            raise _conversion_error(name, "java.time.Instant", f'Text "{raw}"') from None

    def json(self) -> Any:
        """The body as JSON; missing or malformed bodies are Spring's 400 (code 3002)."""
        if not self.body.strip():
            raise ApiError(400, "Required request body is missing", 3002)
        try:
            return json.loads(self.body.decode("utf-8"))
        except UnicodeDecodeError:
            raise ApiError(400, "JSON parse error: Invalid UTF-8 middle byte", 3002) from None
        except json.JSONDecodeError as exc:
            raise ApiError(400, f"JSON parse error: {exc.msg}", 3002) from None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object."""
        value = self.json()
        if not isinstance(value, dict):
            raise _deserialize_error("request object", value)
        return value


def _conversion_error(name: str, java_type: str, detail: str) -> ApiError:
    return ApiError(
        400,
        f"Method parameter '{name}': Failed to convert value of type 'java.lang.String' "
        f"to required type '{java_type}'; {detail}",
        3000,
    )


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int | float):
        return "Number"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    return "Null"


def _deserialize_error(java_type: str, value: Any) -> ApiError:
    return ApiError(
        400,
        f"JSON parse error: Cannot deserialize value of type `{java_type}` "
        f"from {_json_kind(value)} value",
        3002,
    )


def body_str(body: Mapping[str, Any], name: str) -> str | None:
    """A string field of a JSON body (None when absent or null)."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)  # Jackson coerces scalars to strings
    raise _deserialize_error("java.lang.String", value)


def body_bool(body: Mapping[str, Any], name: str) -> bool | None:
    """A boolean field of a JSON body (None when absent or null)."""
    value = body.get(name)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _deserialize_error("boolean", value)


def body_int(body: Mapping[str, Any], name: str) -> int | None:
    """An integer field of a JSON body (None when absent or null)."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _deserialize_error("int", value)
    try:
        return int(value)
    except ValueError:
        raise _deserialize_error("int", value) from None


def body_str_list(body: Mapping[str, Any], name: str) -> list[str] | None:
    """A list-of-strings field of a JSON body (None when absent or null)."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _deserialize_error("java.util.List<java.lang.String>", value)
    return list(value)


def body_object(body: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """An object field of a JSON body (None when absent or null)."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _deserialize_error(name, value)
    return value


def body_instant(body: Mapping[str, Any], name: str) -> int | None:
    """A date-time field of a JSON body as epoch seconds (None when absent or null)."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _deserialize_error("java.time.Instant", value)
    try:
        return parse_instant(value)
    except ValueError:
        raise ApiError(
            400,
            "JSON parse error: Cannot deserialize value of type `java.time.Instant` "
            f'from String "{value}"',
            3002,
        ) from None


@dataclass
class Reply:
    """What a handler answers: a status, a JSON-able body (None = no body) and headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Reply]


@dataclass(frozen=True)
class Route:
    """One spec operation the server implements."""

    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    host: str = "api"


ROUTES: list[Route] = []


def route(method: str, template: str, *, host: str = "api") -> Callable[[Handler], Handler]:
    """Register a handler for a spec path such as ``/v1/workspaces/{workspaceId}/tags`` on one
    host (``api``, the main host, ``reports`` or ``audit``)."""
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    pattern = re.compile(f"{regex}/?")

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, template, pattern, handler, host))
        return handler

    return register


def find_route(method: str, path: str, host: str = "api") -> tuple[Route, dict[str, str]]:
    """The route for a request, or the 404/405 Clockify sends when there is none."""
    allowed: list[str] = []
    for candidate in ROUTES:
        if candidate.host != host:
            continue
        match = candidate.pattern.fullmatch(path)
        if match is None:
            continue
        if candidate.method == method:
            return candidate, match.groupdict()
        allowed.append(candidate.method)
    if allowed:
        raise ApiError(
            405,
            f"Request method '{method}' is not supported",
            3000,
            headers={"Allow": ", ".join(sorted(set(allowed)))},
        )
    raise ApiError(404, f"No static resource {path.lstrip('/')}.", 3000)
