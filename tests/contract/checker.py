"""Check recorded exchanges with the Clockify test server against the official OpenAPI document.

The client is written against the spec and the test server imitates the real API, so both
sides are checked on every exchange the suite makes: a wrong field name in the client or an
invented field in the server shows up here instead of in production.

Rules beyond what openapi-core checks by itself:

- requests may not carry query parameters or body properties the spec does not declare
  (FACTS §2: a misspelt ``pageSize`` or the read key ``customFieldValues`` is silently
  ignored by Clockify, so only a contract check can catch it);
- a required query parameter must be present even when the spec gives it a default;
- deprecated operations count as violations;
- 2xx bodies are validated against the operation's schema; 4xx and 5xx bodies, which the
  spec leaves out, against the shape FACTS §3 records from the live API: nothing at all
  (an unknown workspace id), or a JSON object ``{"message": text, "code": integer}`` whose
  ``code`` some routes leave out. Responses that never arrived (status ``None``) or whose
  body a fault corrupted on purpose are skipped.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError as SchemaError
from openapi_core import Config, OpenAPI
from openapi_core.casting.schemas.exceptions import CastError
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.media_types.exceptions import MediaTypeDeserializeError
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.templating.responses.exceptions import ResponseFinderError
from openapi_core.validation.request.exceptions import (
    MissingParameterError,
    MissingRequestBody,
    MissingRequiredRequestBody,
    ParameterValidationError,
    SecurityValidationError,
)
from openapi_core.validation.request.validators import (
    V30RequestBodyValidator,
    V30RequestParametersValidator,
    V30RequestSecurityValidator,
)
from openapi_core.validation.response.exceptions import HeaderValidationError, MissingData
from openapi_core.validation.response.validators import V30ResponseValidator
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests.contract.allowlist import ALLOWLIST, Allowance, Part, repair_spec
from tests.fakeclockify.model import BODY_CORRUPTING_FAULTS

SPEC_RELATIVE = Path("shared") / "clockify-api" / "openapi-v1.json"

# Per-path servers in the spec: the main API lives under /api, Reports and the audit log at
# their host's root.
HOSTS: Mapping[str, tuple[str, str]] = {
    "api": ("https://api.clockify.me", "/api"),
    "reports": ("https://reports.api.clockify.me", ""),
    "audit": ("https://auditlog-api.api.clockify.me", ""),
}

# BODY_CORRUPTING_FAULTS (the test server's faults that corrupt a 2xx body on purpose):
# nothing to validate there.

EXPORT_CONTENT_TYPES: Mapping[str, str] = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "PDF": "application/pdf",
    "ZIP": "application/zip",
}
"""Reports asked with one of these ``exportType``s answer the file, not the JSON schema
(FACTS §6 "Reports": non-JSON exports come back as binary)."""

ERROR_BODY: Mapping[str, Any] = {
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string"}, "code": {"type": "integer"}},
    "additionalProperties": False,
}
"""Clockify's error answer (FACTS §3): ``code`` is a JSON number, never a string."""

_ERROR_VALIDATOR = Draft4Validator(ERROR_BODY)


class SpecMissingError(RuntimeError):
    """The OpenAPI document is not where the repository layout says it is."""


class ExchangeLike(Protocol):
    """The fields of ``tests.fakeclockify.Exchange`` that the checker reads."""

    @property
    def method(self) -> str: ...
    @property
    def host(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def query(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def request_headers(self) -> Mapping[str, str]: ...
    @property
    def request_body(self) -> bytes: ...
    @property
    def status(self) -> int | None: ...
    @property
    def response_headers(self) -> Mapping[str, str]: ...
    @property
    def response_body(self) -> bytes: ...
    @property
    def fault(self) -> str | None: ...


@dataclass(frozen=True)
class Violation:
    """One way an exchange breaks the spec.

    ``key`` is short and stable so that the allow-list can match it:
    ``<location> <field>: <kind>``, e.g. ``body timeInterval.end: null``,
    ``body [].tagIds: null``, ``query pageSize: undeclared``, ``security: no credentials``.
    """

    method: str
    path: str
    template: str | None
    part: Part
    key: str
    detail: str

    def __str__(self) -> str:
        where = self.template or self.path
        return f"{self.method} {where} [{self.part}] {self.key} -- {self.detail}"


def repo_root() -> Path:
    """The checkout this file belongs to."""
    return Path(__file__).resolve().parents[2]


def spec_file() -> Path:
    """Locate the OpenAPI document: ``shared/`` lies beside the repository (also in CI)."""
    path = repo_root().parent / SPEC_RELATIVE
    if not path.is_file():
        raise SpecMissingError(
            f"OpenAPI document not found at {path}: the contract checks need the project's "
            "shared/ folder beside the repository checkout"
        )
    return path


class _Request:
    """openapi-core's ``Request`` protocol over a recorded exchange."""

    def __init__(self, exchange: ExchangeLike) -> None:
        host_url, prefix = HOSTS[exchange.host]
        headers = Headers(list(exchange.request_headers.items()))
        self.host_url = host_url
        self.path = prefix + exchange.path
        self.method = exchange.method.lower()
        self.body: bytes | None = exchange.request_body or None
        self.content_type = str(headers.get("content-type", "")).lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(exchange.query)), header=headers
        )

    @property
    def full_url(self) -> str:
        return self.host_url + self.path


class _Response:
    """openapi-core's ``Response`` protocol over a recorded exchange."""

    def __init__(self, exchange: ExchangeLike) -> None:
        assert exchange.status is not None
        self.headers = Headers(list(exchange.response_headers.items()))
        self.status_code = exchange.status
        self.content_type = str(self.headers.get("content-type", "")).lower()
        self.data: bytes | None = exchange.response_body


_REQUIRED = re.compile(r"'(.+?)' is a required property")
_QUOTED = re.compile(r"'([^']*)'")


def _field(parts: Iterable[Any]) -> str:
    """Render a JSON path as ``a.b[].c``: list indexes collapse so one key covers all items."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += "[]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _key(location: str, field: str, kind: str) -> str:
    return f"{location} {field}: {kind}" if field else f"{location}: {kind}"


def _schema_violations(
    location: str, errors: Iterable[SchemaError], name: str | None = None
) -> Iterator[tuple[str, str]]:
    """Turn jsonschema errors into (key, detail) pairs; ``name`` prefixes parameter fields."""
    for error in errors:
        parts = [name, *error.absolute_path] if name else list(error.absolute_path)
        pointer = "/" + "/".join(str(p) for p in parts)
        detail = f"{pointer}: {error.message}"
        if error.validator == "required" and (found := _REQUIRED.search(error.message)):
            yield _key(location, _field([*parts, found.group(1)]), "required"), detail
        elif error.message.startswith("Additional properties are not allowed"):
            extra = error.message.partition("(")[2]
            for extra_name in _QUOTED.findall(extra):
                yield _key(location, _field([*parts, extra_name]), "undeclared"), detail
        elif error.instance is None:  # "not nullable", and also "None is not one of ..."
            yield _key(location, _field(parts), "null"), detail
        else:
            yield _key(location, _field(parts), str(error.validator)), detail


def _cause_violations(location: str, exc: BaseException) -> Iterator[tuple[str, str]]:
    """Explain a body validation error from openapi-core by its cause."""
    cause = exc.__cause__
    if isinstance(cause, InvalidSchemaValue):
        yield from _schema_violations(location, cause.schema_errors)
    elif isinstance(cause, MediaTypeNotFound):
        yield _key(location, "", "undocumented content type"), str(cause)
    elif isinstance(cause, MediaTypeDeserializeError):
        yield _key(location, "", "not parseable"), str(cause)
    else:
        yield _key(location, "", type(exc).__name__), str(exc)


_INVOICE_EXPORT = re.compile(r"/v1/workspaces/[^/]+/invoices/[^/]+/export/?")
"""An invoice export answers the PDF itself (the spec: ``*/*``, a string of bytes)."""


def export_type(exchange: ExchangeLike) -> str | None:
    """The file format a Reports-host request asked for (body or query ``exportType``), or
    ``PDF`` for an invoice export on the main host."""
    if exchange.host != "reports":
        return "PDF" if _INVOICE_EXPORT.fullmatch(exchange.path) else None
    for name, value in exchange.query:
        if name == "exportType":
            return value.upper()
    try:
        body = json.loads(exchange.request_body) if exchange.request_body else None
    except ValueError:
        return None
    kind = body.get("exportType") if isinstance(body, dict) else None
    return kind.upper() if isinstance(kind, str) else None


def _export_violations(exchange: ExchangeLike, kind: str) -> Iterator[tuple[str, str]]:
    """A 2xx export answer must be a non-empty file of the format asked for."""
    expected = EXPORT_CONTENT_TYPES[kind]
    content_type = str(Headers(list(exchange.response_headers.items())).get("content-type", ""))
    if not content_type.lower().startswith(expected):
        yield "export: content type", f"{kind} answered with content type {content_type!r}"
    if not exchange.response_body:
        yield "export: empty", f"{kind} answered with no file"


def _error_violations(exchange: ExchangeLike) -> Iterator[tuple[str, str]]:
    """A 4xx or 5xx body that is not Clockify's ``{message, code}`` (or empty)."""
    status = exchange.status
    if status is None or status < 400 or exchange.fault in BODY_CORRUPTING_FAULTS:
        return
    body = exchange.response_body
    if not body:
        return
    content_type = str(Headers(list(exchange.response_headers.items())).get("content-type", ""))
    if not content_type.lower().startswith("application/json"):
        yield "error body: not JSON", f"{status} with content type {content_type!r}"
        return
    try:
        payload = json.loads(body)
    except ValueError as exc:
        yield "error body: not parseable", f"{status}: {exc}"
        return
    errors = _ERROR_VALIDATOR.iter_errors(payload)
    for key, detail in _schema_violations("error body", errors):
        yield key, f"{status} {detail}"


class _MemoPathFinder(APICallPathFinder):
    """Remembers operation lookups: each openapi-core validator repeats the same one."""

    _memo: ClassVar[dict[tuple[int, str, str], Any]] = {}

    def find(self, method: str, name: str) -> Any:
        key = (id(self.spec), method, name)
        found = self._memo.get(key)
        if found is None:
            found = super().find(method, name)
            if len(self._memo) >= 10_000:
                self._memo.clear()
            self._memo[key] = found
        return found


def _json_or_raw(value: bytes, **_parameters: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


class ContractChecker:
    """Validates exchanges against one loaded copy of the OpenAPI document."""

    def __init__(self, spec_path: Path) -> None:
        self.spec_path = spec_path
        self._raw: dict[str, Any] = json.loads(spec_path.read_text(encoding="utf-8"))
        self.repaired = repair_spec(self._raw)
        spec = OpenAPI.from_dict(self._raw, config=Config(spec_validator_cls=None)).spec
        finder = _MemoPathFinder
        self._finder = finder(spec)
        self._security = V30RequestSecurityValidator(spec, path_finder_cls=finder)
        self._parameters = V30RequestParametersValidator(spec, path_finder_cls=finder)
        self._body = V30RequestBodyValidator(
            spec, path_finder_cls=finder, forbid_unspecified_additional_properties=True
        )
        # 19 operations (all Reports ones among them) declare "*/*" although Clockify answers
        # JSON; openapi-core would then validate the raw bytes. Parse JSON when it is JSON.
        self._response = V30ResponseValidator(
            spec, path_finder_cls=finder, extra_media_type_deserializers={"*/*": _json_or_raw}
        )

    def check(self, exchange: ExchangeLike) -> list[Violation]:
        """Every violation of one exchange, before the allow-list is applied."""
        request = _Request(exchange)
        method = exchange.method.upper()

        def violation(part: Part, template: str | None, key: str, detail: str) -> Violation:
            return Violation(method, exchange.path, template, part, key, detail)

        if exchange.host not in HOSTS:
            return [violation("request", None, "host: unknown", repr(exchange.host))]
        errors = list(_error_violations(exchange))
        try:
            found = self._finder.find(request.method, request.full_url)
        except PathError as exc:
            unknown = violation("request", None, "operation: unknown", str(exc))
            return [unknown, *(violation("response", None, k, d) for k, d in errors)]
        template: str = found.path_result.pattern

        found_keys: dict[tuple[Part, str], str] = {("response", k): d for k, d in errors}
        with warnings.catch_warnings():
            # openapi-core warns about deprecated parameters; reported below as violations.
            warnings.simplefilter("ignore")
            for key, detail in self._request_violations(request, template):
                found_keys.setdefault(("request", key), detail)
            kind = export_type(exchange)
            if (
                kind is not None
                and kind in EXPORT_CONTENT_TYPES
                and self._response_is_checked(exchange)
            ):
                for key, detail in _export_violations(exchange, kind):
                    found_keys.setdefault(("response", key), detail)
            elif self._response_is_checked(exchange):
                for key, detail in self._response_violations(request, _Response(exchange)):
                    found_keys.setdefault(("response", key), detail)
        return [
            violation(part, template, key, detail) for (part, key), detail in found_keys.items()
        ]

    @staticmethod
    def _response_is_checked(exchange: ExchangeLike) -> bool:
        status = exchange.status
        return (
            status is not None
            and 200 <= status < 300
            and exchange.fault not in BODY_CORRUPTING_FAULTS
        )

    def _operation(self, template: str, method: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        item = self._raw["paths"][template]
        operation: dict[str, Any] = item[method]
        params = [*operation.get("parameters", []), *item.get("parameters", [])]
        return operation, params

    def _request_violations(self, request: _Request, template: str) -> Iterator[tuple[str, str]]:
        operation, params = self._operation(template, request.method)
        if operation.get("deprecated"):
            yield "operation: deprecated", f"{request.method.upper()} {template}"

        yield from _query_violations(request.parameters.query, params)
        yield from _security_violations(self._security.iter_errors(request))
        yield from _parameter_violations(self._parameters.iter_errors(request))
        yield from _body_violations(self._body.iter_errors(request))

    def _response_violations(
        self, request: _Request, response: _Response
    ) -> Iterator[tuple[str, str]]:
        for exc in self._response.iter_errors(request, response):
            if isinstance(exc, ResponseFinderError):
                yield _key("status", str(response.status_code), "undocumented"), str(exc)
            elif isinstance(exc, MissingData):
                yield "body: missing", str(exc)
            elif isinstance(exc, HeaderValidationError):
                yield _key("header", exc.name, type(exc).__name__), str(exc)
            else:
                yield from _cause_violations("body", exc)


def _query_violations(
    query: Mapping[str, Any], params: list[dict[str, Any]]
) -> Iterator[tuple[str, str]]:
    """Query parameters the operation does not declare, deprecates, or requires and lacks."""
    declared = {p["name"]: p for p in params if p.get("in") == "query"}
    for name in dict.fromkeys(query.keys()):
        if name not in declared:
            yield _key("query", name, "undeclared"), f"known: {sorted(declared)}"
        elif declared[name].get("deprecated"):
            yield _key("query", name, "deprecated"), "parameter is deprecated"
    for name, param in declared.items():
        if param.get("required") and name not in query:
            yield _key("query", name, "required"), "required parameter is absent"


def _security_violations(errors: Iterable[Exception]) -> Iterator[tuple[str, str]]:
    """A request sent without the credentials the operation asks for."""
    for exc in errors:
        if isinstance(exc, SecurityValidationError):
            yield "security: no credentials", str(exc.__cause__ or exc)
        else:
            yield _key("security", "", type(exc).__name__), str(exc)


def _parameter_violations(errors: Iterable[Exception]) -> Iterator[tuple[str, str]]:
    """Path, query and header parameters missing or not matching their schema."""
    for exc in errors:
        if isinstance(exc, MissingParameterError):
            yield _key(exc.location, exc.name, "required"), str(exc)
        elif isinstance(exc, ParameterValidationError):
            yield from _invalid_parameter(exc)
        else:
            yield _key("parameters", "", type(exc).__name__), str(exc)


def _invalid_parameter(exc: ParameterValidationError) -> Iterator[tuple[str, str]]:
    """One parameter's value, by what made it invalid: its schema, its type, or else."""
    cause = exc.__cause__
    if isinstance(cause, InvalidSchemaValue):
        yield from _schema_violations(exc.location, cause.schema_errors, exc.name)
    elif isinstance(cause, CastError):
        yield _key(exc.location, exc.name, "type"), str(cause)
    else:
        yield _key(exc.location, exc.name, "invalid"), str(cause or exc)


def _body_violations(errors: Iterable[Exception]) -> Iterator[tuple[str, str]]:
    """A request body missing where required, or not matching its schema."""
    for exc in errors:
        if isinstance(exc, MissingRequiredRequestBody):
            yield "body: missing", str(exc)
        elif not isinstance(exc, MissingRequestBody):
            yield from _cause_violations("body", exc)


@functools.cache
def shared_checker() -> ContractChecker:
    """Load the spec once per process: building the validators is the slow part."""
    return ContractChecker(spec_file())


def not_allowed(
    violations: Iterable[Violation], allowances: Iterable[Allowance] = ALLOWLIST
) -> list[Violation]:
    """The violations no allow-list entry covers."""
    entries = tuple(allowances)
    return [v for v in violations if not any(a.allows(v) for a in entries)]


class ContractLog:
    """Collects exchanges from test servers and checks them once the test is over.

    Listeners run on the server's thread; recording is cheap there, and validation waits
    until teardown so it never slows a response (timeouts in tests stay honest).
    """

    def __init__(self, checker: ContractChecker | None = None) -> None:
        self._checker = checker
        self._lock = threading.Lock()
        self._exchanges: list[ExchangeLike] = []
        self._extra: list[Allowance] = []

    def record(self, exchange: ExchangeLike) -> None:
        """Listener for ``FakeClockify.add_listener``."""
        with self._lock:
            self._exchanges.append(exchange)

    def allow(self, method: str, path: str, part: Part, match: str, why: str) -> None:
        """Tolerate a deviation in this test only, e.g. a request that is wrong on purpose."""
        self._extra.append(Allowance(method, path, part, (match,), why))

    @property
    def exchanges(self) -> list[ExchangeLike]:
        with self._lock:
            return list(self._exchanges)

    def violations(self) -> list[Violation]:
        """All violations of the recorded exchanges, allowed or not."""
        checker = self._checker or shared_checker()
        return [v for exchange in self.exchanges for v in checker.check(exchange)]

    def unallowed(self) -> list[Violation]:
        """Violations covered neither by the allow-list nor by this test's own allowances."""
        return not_allowed(self.violations(), (*ALLOWLIST, *self._extra))

    def report(self) -> str:
        """A failure message listing every unallowed violation, or ``""``."""
        problems = self.unallowed()
        if not problems:
            return ""
        lines = [
            f"{len(problems)} contract violation(s) against {SPEC_RELATIVE} "
            "(fix the client or the test server; if FACTS.md shows the spec is wrong, "
            "add a justified entry to tests/contract/allowlist.py):",
            *(f"  - {v}" for v in problems),
        ]
        return "\n".join(lines)
