"""Shared reports on the Reports host: list, create, update, delete, and open one by id.

A shared report is a saved report filter with a type (SUMMARY, DETAILED, WEEKLY or
ATTENDANCE here) that others open by link. Its author and the workspace's admins manage it;
the people it is shared with (or anyone, when public) open it. The list is an envelope
``{reports, count}`` paged by camelCase ``page``/``pageSize`` in the query (FACTS §2). On a
Free workspace the report it renders covers at most 31 days, like every report.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.fakeclockify import handlers_reports as reports
from tests.fakeclockify.access import ADMIN, OWNER, role_of
from tests.fakeclockify.lookup import not_in_workspace
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import SharedReport, WorkspaceData
from tests.fakeclockify.reports import parse_query
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_object,
    body_str,
    body_str_list,
    route,
)
from tests.fakeclockify.wire import dumps

__all__ = ["SHARED_TYPES"]

SHARED_TYPES = ("SUMMARY", "DETAILED", "WEEKLY", "ATTENDANCE")
"""Shared report types the test server renders."""

_BASE = "/v1/workspaces/{workspaceId}/shared-reports"
_LINK = "https://app.clockify.me/shared/{id}"


def _manages(data: WorkspaceData, report: SharedReport, user_id: str) -> bool:
    return report.user_id == user_id or role_of(data, user_id) in (OWNER, ADMIN)


def _may_open(data: WorkspaceData, report: SharedReport, user_id: str) -> bool:
    return (
        report.is_public
        or _manages(data, report, user_id)
        or (user_id in report.visible_to_users and user_id in data.workspace.members)
    )


def _find(req: Request) -> SharedReport:
    report = req.ws.shared_reports.get(req.params["id"])
    if report is None:
        raise not_in_workspace("Shared report")
    if not _manages(req.ws, report, req.user.id):
        raise ApiError(403, "Access Denied", 501)
    return report


def _full_dto(report: SharedReport) -> dict[str, Any]:
    """A ``SharedReportV1``: the filter, and the ids it is visible to."""
    return {
        "id": report.id,
        "name": report.name,
        "type": report.type,
        "isPublic": report.is_public,
        "fixedDate": report.fixed_date,
        "filter": report.filter,
        "userId": report.user_id,
        "workspaceId": report.workspace_id,
        "visibleToUsers": list(report.visible_to_users),
        "visibleToUserGroups": list(report.visible_to_user_groups),
    }


def _list_dto(req: Request, report: SharedReport) -> dict[str, Any]:
    """A ``SharedReportDtoV1``: names beside ids, the link, the author."""
    people = req.state.users
    return {
        "id": report.id,
        "name": report.name,
        "type": report.type,
        "isPublic": report.is_public,
        "fixedDate": report.fixed_date,
        "link": _LINK.format(id=report.id),
        "reportAuthor": report.user_id,
        "visibleToUsers": [
            {"id": u, "name": (people[u].name or people[u].email) if u in people else ""}
            for u in report.visible_to_users
        ],
        "visibleToUserGroups": [],
    }


def _check_filter(req: Request, filter_body: dict[str, Any]) -> None:
    """The filter must be a report body whose range the workspace's plan allows."""
    probe = dataclasses.replace(req, body=dumps(filter_body))
    parse_query(probe, "Shared", None)


@route("GET", _BASE, host="reports")
def list_shared(req: Request) -> Reply:
    """``GET /shared-reports``: ``{reports, count}`` for the chosen origin, paged."""
    page = max(req.integer("page", 1), 1)
    size = req.integer("pageSize", 50)
    if size < 1:
        raise ApiError(400, "Page size must be greater than 0.", 501)
    origin = req.first("sharedReportsFilter") or "ALL"
    me = req.user.id
    found = []
    for report in req.ws.shared_reports.values():
        mine = report.user_id == me
        shared = me in report.visible_to_users and not mine
        if origin == "CREATED_BY_ME":
            keep = mine
        elif origin == "SHARED_WITH_ME":
            keep = shared
        elif origin == "ALL_ADMIN":
            keep = role_of(req.ws, me) in (OWNER, ADMIN) or mine
        else:
            keep = mine or shared
        if keep:
            found.append(report)
    found.sort(key=lambda r: (r.name.casefold(), r.id))
    chosen = found[(page - 1) * size : page * size]
    return Reply(200, {"reports": [_list_dto(req, r) for r in chosen], "count": len(found)})


@route("POST", _BASE, host="reports")
def create_shared(req: Request) -> Reply:
    """``POST /shared-reports``: name, type and a report filter are needed."""
    body = req.json_object()
    name = (body_str(body, "name") or "").strip()
    kind = body_str(body, "type")
    filter_body = body_object(body, "filter")
    if not name:
        raise ApiError(400, "name is required", 501)
    if kind not in SHARED_TYPES:
        raise ApiError(400, f"Shared report type {kind} is not supported", 501)
    if filter_body is None:
        raise ApiError(400, "filter is required", 501)
    _check_filter(req, filter_body)
    report = SharedReport(
        id=req.state.new_id(),
        workspace_id=req.ws.id,
        user_id=req.user.id,
        name=name,
        type=kind,
        filter=filter_body,
        is_public=bool(body_bool(body, "isPublic")),
        fixed_date=bool(body_bool(body, "fixedDate")),
        visible_to_users=body_str_list(body, "visibleToUsers") or [],
        visible_to_user_groups=body_str_list(body, "visibleToUserGroups") or [],
    )
    req.ws.shared_reports[report.id] = report
    req.state.touch()
    return Reply(200, _full_dto(report))


@route("PUT", f"{_BASE}/{{id}}", host="reports")
def update_shared(req: Request) -> Reply:
    """``PUT /shared-reports/{id}``: name (required), visibility and fixed date."""
    report = _find(req)
    body = req.json_object()
    name = (body_str(body, "name") or "").strip()
    if not name:
        raise ApiError(400, "name is required", 501)
    report.name = name
    public = body_bool(body, "isPublic")
    fixed = body_bool(body, "fixedDate")
    report.is_public = report.is_public if public is None else public
    report.fixed_date = report.fixed_date if fixed is None else fixed
    users = body_str_list(body, "visibleToUsers")
    groups = body_str_list(body, "visibleToUserGroups")
    report.visible_to_users = report.visible_to_users if users is None else users
    report.visible_to_user_groups = report.visible_to_user_groups if groups is None else groups
    req.state.touch()
    return Reply(200, _full_dto(report))


@route("DELETE", f"{_BASE}/{{id}}", host="reports")
def delete_shared(req: Request) -> Reply:
    """``DELETE /shared-reports/{id}``: 204 without a body."""
    report = _find(req)
    del req.ws.shared_reports[report.id]
    req.state.touch()
    return Reply(204)


@route("GET", "/v1/shared-reports/{id}", host="reports")
def open_shared(req: Request) -> Reply:
    """``GET /shared-reports/{id}``: the report rendered for the caller, with the query's
    range, sort, page and export type over the saved filter."""
    found = [
        (data, data.shared_reports[req.params["id"]])
        for data in req.state.workspaces.values()
        if req.params["id"] in data.shared_reports
    ]
    if not found:
        raise ApiError(404, "Shared report not found", 404)
    data, report = found[0]
    if not _may_open(data, report, req.user.id):
        raise ApiError(403, "Access Denied", 501)
    filter_body = dict(report.filter)
    for name in ("dateRangeStart", "dateRangeEnd", "sortOrder", "exportType"):
        if (value := req.first(name)) is not None:
            filter_body[name] = value
    if report.type == "DETAILED":
        detailed = dict(filter_body.get("detailedFilter") or {})
        detailed["page"] = req.integer("page", detailed.get("page") or 1)
        detailed["pageSize"] = req.integer("pageSize", detailed.get("pageSize") or 50)
        filter_body["detailedFilter"] = detailed
    handler = {
        "SUMMARY": reports.post_summary,
        "DETAILED": reports.post_detailed,
        "WEEKLY": reports.post_weekly,
        "ATTENDANCE": reports.post_attendance,
    }[report.type]
    filter_key = {
        "SUMMARY": "summaryFilter",
        "DETAILED": "detailedFilter",
        "WEEKLY": "weeklyFilter",
        "ATTENDANCE": "attendanceFilter",
    }[report.type]
    filter_body.setdefault(filter_key, {})
    # Rendered with its author's view: whoever opens the link sees what was shared.
    author = req.state.users[report.user_id]
    rendered = dataclasses.replace(req, body=dumps(filter_body), data=data, params={}, user=author)
    return handler(rendered)
