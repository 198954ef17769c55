"""The contract checker catches what it must and the allow-list covers only FACTS.md quirks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import pytest

from tests.contract import (
    ALLOWLIST,
    ContractLog,
    SpecMissingError,
    Violation,
    not_allowed,
    shared_checker,
)
from tests.contract import checker as checker_module

WS = "64a687e29ae1f428e7ebe303"
USER = "5a0ab5acb07987125438b60f"
ENTRY = "64c777ddd3fcab07cfbb210c"
PROJECT = "5b641568b07987035750505e"
AUTH = {"x-api-key": "test-key"}
JSON_BODY = {"x-api-key": "test-key", "content-type": "application/json"}
JSON_REPLY = {"content-type": "application/json"}


@dataclass(frozen=True)
class Exchange:
    """Stand-in with the fields of ``tests.fakeclockify.Exchange`` (the checker is structural)."""

    method: str
    host: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    request_headers: Mapping[str, str] = field(default_factory=lambda: dict(AUTH))
    request_body: bytes = b""
    status: int | None = 200
    response_headers: Mapping[str, str] = field(default_factory=lambda: dict(JSON_REPLY))
    response_body: bytes = b""
    fault: str | None = None
    committed: bool = True


def body(value: Any) -> bytes:
    return json.dumps(value).encode()


def entry(**overrides: Any) -> dict[str, Any]:
    """A stopped time entry as the spec describes it."""
    value: dict[str, Any] = {
        "id": ENTRY,
        "description": "Writing tests",
        "billable": False,
        "isLocked": False,
        "projectId": PROJECT,
        "tagIds": [],
        "type": "REGULAR",
        "userId": USER,
        "workspaceId": WS,
        "customFieldValues": [],
        "timeInterval": {
            "start": "2026-05-20T12:00:00Z",
            "end": "2026-05-20T14:00:00Z",
            "duration": "PT2H",
        },
    }
    value.update(overrides)
    return value


def running_entry() -> dict[str, Any]:
    return entry(timeInterval={"start": "2026-05-20T12:00:00Z", "end": None, "duration": None})


def start_timer(request: dict[str, Any], reply: dict[str, Any], **kw: Any) -> Exchange:
    return Exchange(
        "POST",
        "api",
        f"/v1/workspaces/{WS}/time-entries",
        request_headers=JSON_BODY,
        request_body=body(request),
        status=kw.pop("status", 201),
        response_body=body(reply),
        **kw,
    )


def check(exchange: Exchange) -> list[Violation]:
    return shared_checker().check(exchange)


def keys(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.part, v.key) for v in violations}


# --- accepts good exchanges --------------------------------------------------------------------


def test_good_request_and_response_pass() -> None:
    exchange = start_timer({"start": "2026-05-20T12:00:00Z", "description": "x"}, entry())
    assert check(exchange) == []


def test_list_with_paging_and_last_page_header_passes() -> None:
    # Last-Page (FACTS §2) is prose in the spec, not a declared header: nothing to allow.
    exchange = Exchange(
        "GET",
        "api",
        f"/v1/workspaces/{WS}/user/{USER}/time-entries",
        query=(("page", "2"), ("page-size", "50"), ("hydrated", "true")),
        response_headers={**JSON_REPLY, "last-page": "true"},
        response_body=body([entry(), entry(id="64c777ddd3fcab07cfbb210d")]),
    )
    assert check(exchange) == []


def test_empty_client_id_is_valid_per_spec() -> None:
    # FACTS §8 says clientId can be "": still a string, so no allow-list entry is needed.
    exchange = Exchange(
        "POST",
        "api",
        f"/v1/workspaces/{WS}/projects",
        request_headers=JSON_BODY,
        request_body=body({"name": "Tracker"}),
        status=201,
        response_body=body({"id": PROJECT, "name": "Tracker", "clientId": ""}),
    )
    assert check(exchange) == []


def test_reports_host_is_matched_without_api_prefix() -> None:
    request = {
        "dateRangeStart": "2026-05-01T00:00:00.000Z",
        "dateRangeEnd": "2026-05-31T23:59:59.999Z",
        "detailedFilter": {"page": 1, "pageSize": 50},
    }
    exchange = Exchange(
        "POST",
        "reports",
        f"/v1/workspaces/{WS}/reports/detailed",
        request_headers=JSON_BODY,
        request_body=body(request),
        response_body=body({"timeentries": [], "totals": []}),
    )
    assert check(exchange) == []


def test_delete_with_204_and_no_body_passes() -> None:
    exchange = Exchange(
        "DELETE",
        "api",
        f"/v1/workspaces/{WS}/time-entries/{ENTRY}",
        status=204,
        response_headers={},
    )
    assert check(exchange) == []


# --- catches bad requests ----------------------------------------------------------------------


def test_missing_required_body_field_is_caught() -> None:
    exchange = Exchange(
        "PATCH",
        "api",
        f"/v1/workspaces/{WS}/user/{USER}/time-entries",
        request_headers=JSON_BODY,
        request_body=body({}),
        response_body=body(entry()),
    )
    assert keys(check(exchange)) == {("request", "body end: required")}


def test_wrong_type_in_request_is_caught() -> None:
    exchange = start_timer({"start": "2026-05-20T12:00:00Z", "billable": "yes"}, entry())
    assert keys(check(exchange)) == {("request", "body billable: type")}


def test_bad_date_time_in_request_is_caught() -> None:
    exchange = start_timer({"start": "yesterday"}, entry())
    assert keys(check(exchange)) == {("request", "body start: format")}


def test_undeclared_body_property_is_caught() -> None:
    # FACTS §5: Clockify silently drops the read key customFieldValues on write.
    exchange = start_timer({"start": "2026-05-20T12:00:00Z", "customFieldValues": []}, entry())
    assert keys(check(exchange)) == {("request", "body customFieldValues: undeclared")}


def test_undeclared_query_parameter_is_caught() -> None:
    # FACTS §2: the size parameter is page-size; pageSize would be ignored by Clockify.
    exchange = Exchange(
        "GET",
        "api",
        f"/v1/workspaces/{WS}/projects",
        query=(("pageSize", "200"),),
        response_body=body([]),
    )
    assert keys(check(exchange)) == {("request", "query pageSize: undeclared")}


def test_query_parameter_out_of_range_is_caught() -> None:
    exchange = Exchange(
        "GET",
        "api",
        f"/v1/workspaces/{WS}/projects",
        query=(("page-size", "0"),),
        response_body=body([]),
    )
    assert keys(check(exchange)) == {("request", "query page-size: minimum")}


def test_missing_api_key_is_caught() -> None:
    exchange = Exchange("GET", "api", "/v1/user", request_headers={}, status=401)
    assert keys(check(exchange)) == {("request", "security: no credentials")}


def test_unknown_operation_is_caught() -> None:
    # FACTS §5: a /stop route does not exist.
    exchange = Exchange("POST", "api", f"/v1/workspaces/{WS}/time-entries/{ENTRY}/stop")
    assert keys(check(exchange)) == {("request", "operation: unknown")}


def test_deprecated_operation_is_caught() -> None:
    exchange = Exchange("GET", "api", f"/v1/workspaces/{WS}/templates", response_body=b"[]")
    assert ("request", "operation: deprecated") in keys(check(exchange))


def test_request_answered_by_a_fault_is_still_checked() -> None:
    exchange = start_timer(
        {"start": "2026-05-20T12:00:00Z", "billable": 1}, {}, status=None, fault="drop"
    )
    assert keys(check(exchange)) == {("request", "body billable: type")}


# --- catches bad responses ---------------------------------------------------------------------


def test_wrong_type_in_response_is_caught() -> None:
    exchange = start_timer({"start": "2026-05-20T12:00:00Z"}, entry(billable="no"))
    assert keys(check(exchange)) == {("response", "body billable: type")}


def test_wrong_enum_in_list_response_is_caught() -> None:
    exchange = Exchange(
        "GET",
        "api",
        f"/v1/workspaces/{WS}/user/{USER}/time-entries",
        response_body=body([entry(type="MEETING")]),
    )
    assert keys(check(exchange)) == {("response", "body [].type: enum")}


def test_undocumented_success_status_is_caught() -> None:
    exchange = Exchange("DELETE", "api", f"/v1/workspaces/{WS}/time-entries/{ENTRY}", status=200)
    assert keys(check(exchange)) == {("response", "status 200: undocumented")}


def test_unparseable_success_body_is_caught() -> None:
    exchange = Exchange("GET", "api", "/v1/user", response_body=b'{"id": ')
    assert keys(check(exchange)) == {("response", "body: not parseable")}


@pytest.mark.parametrize(("status", "fault"), [(None, "reset"), (200, "malformed_json")])
def test_responses_without_a_contract_are_skipped(status: int | None, fault: str | None) -> None:
    # Dropped and deliberately corrupted bodies are noise.
    exchange = Exchange(
        "GET", "api", "/v1/user", status=status, fault=fault, response_body=b"{oops"
    )
    assert check(exchange) == []


# --- error answers (FACTS §3: {message, code}; the spec documents only 2xx) --------------------


@pytest.mark.parametrize(
    ("status", "reply"),
    [
        (401, body({"message": "Api key does not exist", "code": 4003})),
        (429, body({"message": "Too many requests", "code": 429})),
        (400, body({"message": "Project doesn't belong to Workspace"})),  # some send no code
        (404, b""),  # an unknown workspace id: no body at all
    ],
)
def test_clockify_shaped_error_answers_pass(status: int, reply: bytes) -> None:
    exchange = Exchange("GET", "api", f"/v1/workspaces/{WS}", status=status, response_body=reply)
    assert check(exchange) == []


@pytest.mark.parametrize(
    ("reply", "headers", "key"),
    [
        (body({"message": "Nope", "code": "501"}), JSON_REPLY, "error body code: type"),
        (body({"code": 501}), JSON_REPLY, "error body message: required"),
        (
            body({"message": "Nope", "code": 501, "error": "x"}),
            JSON_REPLY,
            "error body error: undeclared",
        ),
        (body({"message": None, "code": 501}), JSON_REPLY, "error body message: null"),
        (body(["Nope"]), JSON_REPLY, "error body: type"),
        (b"{oops", JSON_REPLY, "error body: not parseable"),
        (b"<html>502</html>", {"content-type": "text/html"}, "error body: not JSON"),
    ],
)
def test_error_answers_of_another_shape_are_caught(
    reply: bytes, headers: Mapping[str, str], key: str
) -> None:
    for status in (400, 503):
        exchange = Exchange(
            "GET", "api", "/v1/user", status=status, response_headers=headers, response_body=reply
        )
        assert keys(check(exchange)) == {("response", key)}, status


def test_an_error_answer_of_an_unknown_route_is_checked_too() -> None:
    exchange = Exchange(
        "GET", "api", "/v1/nowhere", status=404, response_body=body({"message": 3000})
    )
    assert keys(check(exchange)) == {
        ("request", "operation: unknown"),
        ("response", "error body message: type"),
    }


# --- the allow-list ----------------------------------------------------------------------------

USERS_WITHOUT_INCLUDE_ROLES = Exchange(
    "GET", "api", f"/v1/workspaces/{WS}/users", query=(("page", "1"),), response_body=b"[]"
)
INVOICED_IDS = Exchange(
    "PATCH",
    "api",
    f"/v1/workspaces/{WS}/time-entries/invoiced",
    request_headers=JSON_BODY,
    request_body=body({"timeEntryIds": [ENTRY], "invoiced": True}),
    response_headers={},
)
RUNNING_TIMER = start_timer({"start": "2026-05-20T12:00:00Z"}, running_entry())
NULL_IDS = Exchange(
    "GET",
    "api",
    f"/v1/workspaces/{WS}/user/{USER}/time-entries",
    query=(("in-progress", "true"),),
    response_body=body([entry(projectId=None, taskId=None, tagIds=None, kioskId=None)]),
)
NULL_RATES = Exchange(
    "GET",
    "api",
    f"/v1/workspaces/{WS}/projects",
    response_body=body([{"id": PROJECT, "name": "P", "hourlyRate": None, "costRate": None}]),
)
CUSTOM_FIELD_VALUES = Exchange(
    "GET",
    "api",
    f"/v1/workspaces/{WS}/user/{USER}/time-entries",
    response_body=body(
        [
            entry(customFieldValues=[{"customFieldId": PROJECT, "value": None}]),
            entry(customFieldValues=[{"customFieldId": PROJECT, "value": "SHOP-119"}]),
            entry(customFieldValues=[{"customFieldId": PROJECT, "value": 42}]),
        ]
    ),
)
PROJECT_ESTIMATES = Exchange(
    "GET",
    "api",
    f"/v1/workspaces/{WS}/projects",
    response_body=body(
        [
            {
                "id": PROJECT,
                "name": "P",
                "budgetEstimate": None,
                "timeEstimate": {"estimate": "PT0S", "type": "AUTO", "resetOption": None},
            }
        ]
    ),
)
NULL_CLIENT_FIELDS = Exchange(
    "GET",
    "api",
    f"/v1/workspaces/{WS}/clients",
    response_body=body(
        [
            {
                "id": PROJECT,
                "name": "C",
                "email": None,
                "address": None,
                "note": None,
                "ccEmails": None,
            }
        ]
    ),
)
NULL_ASSIGNEE = Exchange(
    "GET",
    "api",
    f"/v1/workspaces/{WS}/projects/{PROJECT}/tasks/{ENTRY}",
    response_body=body({"id": ENTRY, "name": "T", "assigneeId": None}),
)
NULL_ESTIMATE_RESET = Exchange(
    "DELETE",
    "api",
    f"/v1/workspaces/{WS}/projects/{PROJECT}",
    response_body=body({"id": PROJECT, "name": "P", "estimateReset": None}),
)
NULL_CUSTOM_FIELD_PARTS = Exchange(
    "GET",
    "api",
    f"/v1/workspaces/{WS}/custom-fields",
    response_body=body(
        [{"id": PROJECT, "name": "F", "description": None, "workspaceDefaultValue": None}]
    ),
)
DETAILED_REQUEST = {
    "dateRangeStart": "2026-05-01T00:00:00",
    "dateRangeEnd": "2026-05-31T23:59:59.999",
    "detailedFilter": {"page": 1, "pageSize": 50},
}
REPORT_APPROVAL_NULL = Exchange(
    "POST",
    "reports",
    f"/v1/workspaces/{WS}/reports/detailed",
    request_headers=JSON_BODY,
    request_body=body(DETAILED_REQUEST),
    response_body=body({"timeEntries": [{"_id": ENTRY, "approvalRequestId": None}], "totals": []}),
)
PENDING_PERSON = Exchange(
    "GET",
    "api",
    f"/v1/workspaces/{WS}/users",
    query=(("include-roles", "false"),),
    response_body=body(
        [
            {
                "id": USER,
                "name": None,
                "settings": None,
                "customFields": [{"customFieldId": PROJECT, "value": "E-042"}],
            }
        ]
    ),
)
PERSON_FIELD_VALUE = Exchange(
    "PUT",
    "api",
    f"/v1/workspaces/{WS}/users/{USER}/custom-field/{PROJECT}/value",
    request_headers=JSON_BODY,
    request_body=body({"value": "E-042"}),
    status=201,
    response_body=body({"customFieldId": PROJECT, "userId": USER, "value": "E-042"}),
)
PROJECT_FIELD_DEFAULT = Exchange(
    "PATCH",
    "api",
    f"/v1/workspaces/{WS}/projects/{PROJECT}/custom-fields/{ENTRY}",
    request_headers=JSON_BODY,
    request_body=body({"defaultValue": "Lisbon"}),
    response_body=body(
        {
            "id": ENTRY,
            "name": "Office",
            "description": None,
            "workspaceDefaultValue": None,
            "projectDefaultValues": [{"projectId": PROJECT, "value": "Lisbon"}],
        }
    ),
)
QUIRKS = [
    PENDING_PERSON,
    PERSON_FIELD_VALUE,
    PROJECT_FIELD_DEFAULT,
    REPORT_APPROVAL_NULL,
    NULL_CLIENT_FIELDS,
    NULL_ASSIGNEE,
    NULL_ESTIMATE_RESET,
    NULL_CUSTOM_FIELD_PARTS,
    USERS_WITHOUT_INCLUDE_ROLES,
    INVOICED_IDS,
    RUNNING_TIMER,
    NULL_IDS,
    NULL_RATES,
    CUSTOM_FIELD_VALUES,
    PROJECT_ESTIMATES,
]


def test_report_approval_request_null_is_a_violation_but_allowed() -> None:
    found = check(REPORT_APPROVAL_NULL)
    assert keys(found) == {("response", "body timeEntries[].approvalRequestId: null")}
    assert not_allowed(found) == []


def _export(kind: str, content_type: str, payload: bytes) -> Exchange:
    return Exchange(
        "POST",
        "reports",
        f"/v1/workspaces/{WS}/reports/detailed",
        request_headers=JSON_BODY,
        request_body=body({**DETAILED_REQUEST, "exportType": kind}),
        response_headers={"content-type": content_type},
        response_body=payload,
    )


def test_an_export_answer_is_checked_as_a_file_of_its_format() -> None:
    assert check(_export("CSV", "text/csv", b"Project,Client\r\n")) == []
    assert check(_export("PDF", "application/pdf", b"%PDF-1.4\n")) == []
    wrong = check(_export("XLSX", "application/json", b"{}"))
    assert keys(wrong) == {("response", "export: content type")}
    empty = check(_export("CSV", "text/csv", b""))
    assert keys(empty) == {("response", "export: empty")}
    json_answer = check(_export("JSON", "application/json", b"[1]"))
    assert ("response", "body: type") in keys(json_answer)  # JSON is still the schema's


def test_running_entry_nulls_are_violations_but_allowed() -> None:
    found = check(RUNNING_TIMER)
    assert keys(found) == {
        ("response", "body timeInterval.end: null"),
        ("response", "body timeInterval.duration: null"),
    }
    assert not_allowed(found) == []


def test_null_ids_are_violations_but_allowed() -> None:
    found = check(NULL_IDS)
    assert keys(found) == {
        ("response", f"body [].{name}: null")
        for name in ("projectId", "taskId", "tagIds", "kioskId")
    }
    assert not_allowed(found) == []


def test_null_rates_are_violations_but_allowed() -> None:
    found = check(NULL_RATES)
    assert keys(found) == {
        ("response", "body [].hourlyRate: null"),
        ("response", "body [].costRate: null"),
    }
    assert not_allowed(found) == []


def test_custom_field_values_of_any_scalar_type_are_violations_but_allowed() -> None:
    found = check(CUSTOM_FIELD_VALUES)
    assert keys(found) == {
        ("response", "body [].customFieldValues[].value: null"),
        ("response", "body [].customFieldValues[].value: type"),
    }
    assert not_allowed(found) == []


def test_null_project_estimates_are_violations_but_allowed() -> None:
    found = check(PROJECT_ESTIMATES)
    assert keys(found) == {
        ("response", "body [].budgetEstimate: null"),
        ("response", "body [].timeEstimate.resetOption: null"),
    }
    assert not_allowed(found) == []


@pytest.mark.parametrize(
    ("exchange", "names"),
    [
        (NULL_CLIENT_FIELDS, ["[].email", "[].address", "[].note", "[].ccEmails"]),
        (NULL_ASSIGNEE, ["assigneeId"]),
        (NULL_ESTIMATE_RESET, ["estimateReset"]),
        (NULL_CUSTOM_FIELD_PARTS, ["[].description", "[].workspaceDefaultValue"]),
    ],
)
def test_probe_recorded_nulls_are_violations_but_allowed(
    exchange: Exchange, names: list[str]
) -> None:
    found = check(exchange)
    assert keys(found) == {("response", f"body {name}: null") for name in names}
    assert not_allowed(found) == []


def test_a_projects_own_field_default_is_a_plain_value_and_allowed() -> None:
    found = check(PROJECT_FIELD_DEFAULT)
    assert keys(found) == {
        ("request", "body defaultValue: type"),
        ("response", "body description: null"),
        ("response", "body workspaceDefaultValue: null"),
        ("response", "body projectDefaultValues[].value: type"),
    }
    assert not_allowed(found) == []


def test_absent_include_roles_is_a_violation_but_allowed() -> None:
    found = check(USERS_WITHOUT_INCLUDE_ROLES)
    assert keys(found) == {("request", "query include-roles: required")}
    assert not_allowed(found) == []


def test_invoiced_entry_ids_as_strings_are_violations_but_allowed() -> None:
    found = check(INVOICED_IDS)
    assert keys(found) == {("request", "body timeEntryIds[]: type")}
    assert not_allowed(found) == []


def test_every_allowlist_entry_is_needed() -> None:
    found = [v for exchange in QUIRKS for v in check(exchange)]
    for allowance in ALLOWLIST:
        assert any(allowance.allows(v) for v in found), f"unused allow-list entry: {allowance}"
        assert allowance.why.startswith("FACTS §"), allowance


def test_allowlist_does_not_hide_other_nulls_or_other_operations() -> None:
    null_start = start_timer(
        {"start": "2026-05-20T12:00:00Z"},
        entry(timeInterval={"start": None, "end": None, "duration": None}),
    )
    assert [v.key for v in not_allowed(check(null_start))] == ["body timeInterval.start: null"]
    null_name = Exchange(
        "GET", "api", f"/v1/workspaces/{WS}/projects", response_body=body([{"name": None}])
    )
    assert [v.key for v in not_allowed(check(null_name))] == ["body [].name: null"]
    null_project_in_request = start_timer(
        {"start": "2026-05-20T12:00:00Z", "projectId": None}, entry()
    )
    assert [v.key for v in not_allowed(check(null_project_in_request))] == ["body projectId: null"]


# --- repairs of the document ------------------------------------------------------------------


def test_enums_exported_as_objects_are_repaired_and_still_checked() -> None:
    raw = json.loads(checker_module.spec_file().read_text(encoding="utf-8"))
    assert raw["components"]["schemas"]["AccountStatus"]["type"] == "object"
    assert {"AccountStatus", "TaskStatus", "FeaturePlan"} <= set(shared_checker().repaired)
    user = {"id": USER, "email": "a@example.com", "status": "ACTIVE"}
    good = Exchange("GET", "api", "/v1/user", response_body=body(user))
    assert check(good) == []
    bad = Exchange("GET", "api", "/v1/user", response_body=body({**user, "status": "HAPPY"}))
    assert keys(check(bad)) == {("response", "body status: enum")}


def test_sets_of_enums_typed_as_one_string_are_repaired() -> None:
    raw = json.loads(checker_module.spec_file().read_text(encoding="utf-8"))
    working_days = raw["components"]["schemas"]["MemberProfileDtoV1"]["properties"]["workingDays"]
    assert working_days["type"] == "string"
    assert working_days["example"].startswith("[")
    path = f"/v1/workspaces/{WS}/member-profile/{USER}"
    good = Exchange("GET", "api", path, response_body=body({"workingDays": ["MONDAY", "FRIDAY"]}))
    assert check(good) == []
    bad = Exchange("GET", "api", path, response_body=body({"workingDays": ["FUNDAY"]}))
    assert keys(check(bad)) == {("response", "body workingDays[]: enum")}


def test_self_referencing_feature_plan_no_longer_recurses() -> None:
    workspace = {
        "id": WS,
        "name": "W",
        "featureSubscriptionType": "FREE",
        "features": ["TIME_OFF", "APPROVAL"],
    }
    exchange = Exchange("GET", "api", "/v1/workspaces", response_body=body([workspace]))
    assert check(exchange) == []


# --- the per-test log behind the clockify fixture ----------------------------------------------


def test_contract_log_reports_unallowed_violations_only() -> None:
    log = ContractLog()
    log.record(RUNNING_TIMER)
    assert log.report() == ""
    bad = start_timer({"start": "2026-05-20T12:00:00Z", "billable": "yes"}, entry())
    log.record(bad)
    report = log.report()
    assert "1 contract violation(s)" in report
    assert "POST /v1/workspaces/{workspaceId}/time-entries [request] body billable: type" in report
    log.allow(
        "POST", "/v1/workspaces/{workspaceId}/time-entries", "request", "body billable: *", ""
    )
    assert log.report() == ""


def test_missing_spec_is_reported_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setattr(checker_module, "repo_root", lambda: tmp_path / "repo")
    with pytest.raises(SpecMissingError, match="shared/ folder beside the repository"):
        checker_module.spec_file()


def test_stand_in_matches_the_test_server_exchange() -> None:
    real = getattr(pytest.importorskip("tests.fakeclockify"), "Exchange", None)
    if real is None:
        pytest.skip("tests.fakeclockify does not export Exchange yet")
    real_fields = {f.name for f in fields(real)}
    assert {f.name for f in fields(Exchange)} <= real_fields
