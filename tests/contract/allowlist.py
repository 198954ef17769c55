"""Where the official OpenAPI document is wrong about the real Clockify API.

Every entry names the operation(s), the part of the exchange, the violation keys it tolerates
and the line of ``shared/clockify-api/FACTS.md`` that shows the spec is wrong. Keep it short:
an entry is added only for a deviation the test server really reproduces, together with a test
in ``tests/unit/contract/test_validator.py`` that fails without it.

Patterns match the spec path template and the violation key (see
``tests.contract.checker.Violation.key``); ``*`` is the only wildcard, so ``[]`` is literal.
Keys look like ``body timeInterval.end: null``, ``body [].projectId: null`` (inside a list
response), ``body customFieldValues[].value: type`` or ``query include-roles: required``.

Not needed, although FACTS.md mentions them:

- ``Last-Page`` (FACTS §2): the spec describes it only in prose and declares no response
  headers, so an undeclared header is no violation.
- ``clientId: ""`` (FACTS §8): an empty string is a valid ``type: string``.
- error bodies ``{message, code}`` (FACTS §3): the spec documents only 2xx responses, so the
  checker validates 2xx responses only (a blanket rule in the checker, not an entry here).

Besides the entries, :func:`repair_spec` fixes one modelling error of the document before it
is loaded, because no allow-list entry can: Java enums exported as ``type: object``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from tests.contract.checker import Violation

Part = Literal["request", "response"]


@dataclass(frozen=True)
class Allowance:
    """One tolerated deviation, with the reason it is tolerated."""

    method: str
    """HTTP method in upper case, or ``*``."""
    path: str
    """Spec path template pattern, e.g. ``/v1/workspaces/{workspaceId}/users``."""
    part: Part
    match: tuple[str, ...]
    """Patterns on :attr:`Violation.key`; any one matching is enough."""
    why: str

    def allows(self, violation: Violation) -> bool:
        """Tell whether this entry covers ``violation``."""
        return (
            violation.template is not None
            and self.method in ("*", violation.method)
            and self.part == violation.part
            and glob(self.path, violation.template)
            and any(glob(pattern, violation.key) for pattern in self.match)
        )


def glob(pattern: str, text: str) -> bool:
    """Match ``text`` against ``pattern`` where only ``*`` is special (keys contain ``[]``)."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, text) is not None


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
        TIME_ENTRY_PATHS,
        "response",
        ("body *customFieldValues[].value: null", "body *customFieldValues[].value: type"),
        "FACTS §8: a custom-field value is null, a string or a number; spec says object",
    ),
    Allowance(
        "*",
        "/v1/workspaces/{workspaceId}/projects*",
        "response",
        ("body *budgetEstimate: null", "body *timeEstimate.resetOption: null"),
        "FACTS §8: projects carry budgetEstimate null and timeEstimate.resetOption null",
    ),
    Allowance(
        "*",
        "*",
        "response",
        ("body *hourlyRate: null", "body *costRate: null"),
        "FACTS §4 Money, §8: hourlyRate/costRate may be null; spec declares a RateDto object",
    ),
    Allowance(
        "*",
        "/v1/workspaces/{workspaceId}/clients*",
        "response",
        ("body *email: null", "body *address: null", "body *note: null", "body *ccEmails: null"),
        "FACTS §8 recorded probes (go-clockify clients happy-path): email, address, note and "
        "ccEmails are null on a client that has none",
    ),
    Allowance(
        "*",
        "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks*",
        "response",
        ("body *assigneeId: null",),
        "FACTS §8 recorded probes (go-clockify tasks single-item): assigneeId is null",
    ),
    Allowance(
        "*",
        "/v1/workspaces/{workspaceId}/projects*",
        "response",
        ("body *estimateReset: null",),
        "FACTS §8 recorded probes (go-clockify projects single-item): estimateReset is null",
    ),
    Allowance(
        "GET",
        "/v1/workspaces/{workspaceId}/*custom-fields",
        "response",
        ("body *description: null", "body *workspaceDefaultValue: null"),
        "FACTS §8 recorded probes (go-clockify custom-fields happy-path): description and "
        "workspaceDefaultValue are null when unset",
    ),
    Allowance(
        "POST",
        "/v1/workspaces/{workspaceId}/reports/detailed",
        "response",
        ("body timeEntries[].approvalRequestId: null",),
        "FACTS §8 Real-world quirks: reports carry approvalRequestId: null on entries not in an "
        "approval request; spec says string",
    ),
    Allowance(
        "GET",
        "/v1/workspaces/{workspaceId}/users",
        "request",
        ("query include-roles: required",),
        "FACTS §6 Workspace users: the spec marks include-roles required by mistake",
    ),
    Allowance(
        "*",
        "/v1/workspaces/{workspaceId}/users*",
        "response",
        ("body *name: null", "body *settings: null"),
        "FACTS §6 Workspace users: settings is always present but may be null, and name may "
        "be null for users who haven't finished onboarding",
    ),
    Allowance(
        "*",
        "/v1/workspaces/{workspaceId}/users*",
        "response",
        ("body value: type", "body *customFields[].value: type"),
        "FACTS §8: a custom-field value is null, a string or a number; the spec says object "
        "though its own example of a user's value is the string 20231211-12345",
    ),
    Allowance(
        "PUT",
        "/v1/workspaces/{workspaceId}/users/{userId}/custom-field/{customFieldId}/value",
        "request",
        ("body value: type",),
        "FACTS §8: a custom-field value is a string or a number; the spec's own example of "
        "this body's value is the string 20231211-12345 though it types it as an object",
    ),
    # --- custom-field administration (definitions and a project's own defaults) ---
    Allowance(
        "*",
        "/v1/workspaces/{workspaceId}/*custom-fields*",
        "response",
        (
            "body *description: null",
            "body *workspaceDefaultValue: null",
            "body *projectDefaultValues[].value: null",
            "body *projectDefaultValues[].value: type",
        ),
        "FACTS §8 recorded probes (go-clockify custom-fields happy-path) and Real-world quirks: "
        "the write routes answer the same CustomFieldDtoV1 as the list, with null description "
        "and defaults when unset, and a value is null, a string or a number; spec says object",
    ),
    Allowance(
        "*",
        "/v1/workspaces/{workspaceId}/*custom-fields*",
        "request",
        ("body defaultValue: type", "body workspaceDefaultValue: type"),
        "FACTS §8 Real-world quirks: a custom-field value is null, a string or a number (a "
        "default value too); spec says object",
    ),
    Allowance(
        "PATCH",
        "/v1/workspaces/{workspaceId}/time-entries/invoiced",
        "request",
        ("body timeEntryIds[]: type",),
        "FACTS §5: marking entries invoiced sends {timeEntryIds[], invoiced}, a list of ids; "
        "the spec types each as a TimeEntryId object though its own example lists id strings",
    ),
)


def repair_spec(spec: dict[str, Any]) -> list[str]:
    """Undo the document's enum export errors in place; return what was changed.

    FACTS §8: knpkv's patch of this document makes ``AccountStatus`` a string enum. The same
    export error hits every schema of the form ``{type: object, oneOf: [<the real enum>]}``
    (``TaskStatus``, ``Feature``, ...): their examples are strings, the API sends strings, and
    no string can satisfy ``type: object``. ``FeaturePlan``'s only branch refers to itself,
    which sends any validator into endless recursion. Sets of enums suffer the sibling error:
    properties such as ``workingDays`` are typed as one string although the document's own
    example is a list. The enum values are kept, so a wrong value is still caught.
    """
    schemas: dict[str, Any] = spec["components"]["schemas"]
    changed = []
    for name, original in list(schemas.items()):
        fixed = _enum_from_object(name, original)
        if fixed is not None:
            schemas[name] = fixed
            changed.append(name)
        properties = schemas[name].get("properties", {})
        for prop, value in properties.items():
            if _is_listed_enum(value):
                properties[prop] = {
                    "type": "array",
                    "items": {"type": "string", "enum": list(value["enum"])},
                    "description": value.get("description", ""),
                }
                changed.append(f"{name}.{prop}")
    return changed


def _enum_from_object(name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    branches = schema.get("oneOf")
    if schema.get("type") != "object" or not isinstance(branches, list) or len(branches) != 1:
        return None
    (branch,) = branches
    fixed: dict[str, Any]
    if branch.get("$ref") == f"#/components/schemas/{name}":
        fixed = {"type": "string"}
    elif branch.get("type") == "string" and "enum" in branch:
        fixed = {"type": "string", "enum": list(branch["enum"])}
    else:
        return None
    if isinstance(schema.get("example"), list):
        fixed = {"type": "array", "items": fixed}
    fixed["description"] = schema.get("description", "")
    return fixed


def _is_listed_enum(schema: Any) -> bool:
    """A string enum whose own example is a JSON list of its values."""
    if not isinstance(schema, dict) or schema.get("type") != "string" or "enum" not in schema:
        return False
    example = schema.get("example")
    if not isinstance(example, str) or not example.startswith("["):
        return False
    try:
        values = json.loads(example)
    except ValueError:
        return False
    return isinstance(values, list) and set(values) <= set(schema["enum"])
