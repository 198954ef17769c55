"""Where the official OpenAPI document is wrong about the real Clockify API.

Every entry names the operation(s), the part of the exchange, the violation keys it tolerates
and the line of ``shared/clockify-api/FACTS.md`` that shows the spec is wrong. Keep it short:
an entry is added only for a deviation the test server really reproduces, together with a test
in ``tests/unit/contract/test_validator.py`` that fails without it.

Matching uses ``fnmatch`` on the spec path template and on the violation key (see
``tests.contract.checker.Violation.key``). Keys look like ``body timeInterval.end: null``,
``body [].projectId: null`` (inside a list response) or ``query include-roles: required``.

Not needed, although FACTS.md mentions them:

- ``Last-Page`` (FACTS §2): the spec describes it only in prose and declares no response
  headers, so an undeclared header is no violation.
- ``clientId: ""`` (FACTS §8): an empty string is a valid ``type: string``.
- error bodies ``{message, code}`` (FACTS §3): the spec documents only 2xx responses, so the
  checker validates 2xx responses only (a blanket rule in the checker, not an entry here).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tests.contract.checker import Violation

Part = Literal["request", "response"]


@dataclass(frozen=True)
class Allowance:
    """One tolerated deviation, with the reason it is tolerated."""

    method: str
    """HTTP method in upper case, or ``*``."""
    path: str
    """Spec path template (``fnmatch`` pattern), e.g. ``/v1/workspaces/{workspaceId}/users``."""
    part: Part
    match: tuple[str, ...]
    """``fnmatch`` patterns on :attr:`Violation.key`; any one matching is enough."""
    why: str

    def allows(self, violation: Violation) -> bool:
        """Tell whether this entry covers ``violation``."""
        return (
            violation.template is not None
            and self.method in ("*", violation.method)
            and self.part == violation.part
            and fnmatchcase(violation.template, self.path)
            and any(fnmatchcase(violation.key, pattern) for pattern in self.match)
        )


TIME_ENTRY_PATHS = "/v1/workspaces/{workspaceId}/*time-entries*"

ALLOWLIST: tuple[Allowance, ...] = (
    Allowance(
        "*",
        TIME_ENTRY_PATHS,
        "response",
        ("body *timeInterval.end: null", "body *timeInterval.duration: null"),
        "FACTS §5: a running entry has timeInterval.end and .duration null; spec says string",
    ),
    Allowance(
        "*",
        TIME_ENTRY_PATHS,
        "response",
        (
            "body *projectId: null",
            "body *taskId: null",
            "body *tagIds: null",
            "body *kioskId: null",
        ),
        "FACTS §8: entries carry projectId/taskId/tagIds/kioskId null instead of omitting them",
    ),
    Allowance(
        "*",
        "*",
        "response",
        ("body *hourlyRate: null", "body *costRate: null"),
        "FACTS §4 Money, §8: hourlyRate/costRate may be null; spec declares a RateDto object",
    ),
    Allowance(
        "GET",
        "/v1/workspaces/{workspaceId}/users",
        "request",
        ("query include-roles: required",),
        "FACTS §6 Workspace users: the spec marks include-roles required by mistake",
    ),
)
