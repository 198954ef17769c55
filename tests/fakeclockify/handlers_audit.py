"""The audit log host: ``POST /v1/workspaces/{ws}/audit-log`` (served under ``/audit``).

Rules (the spec's ``AuditLogGetRequestV1``, FACTS §2, §6): ``start``, ``end``, ``actions``
(at least one, from the enum) and ``authors`` (``authorIds`` and ``contains``: ``CONTAINS``
or ``DOES_NOT_CONTAIN``; ``SYSTEM`` among the ids means the server's own changes; no ids
means everyone) are required; ``page`` counts from 1 (0 reads as 1) and ``page-size`` is 1
to 50 (default 20). The answer is ``{response: [...]}``, newest first, with no total and no
``Last-Page``. The audit log is the ``AUDIT_LOG`` feature (403 on a plan without it), and
only the owner and admins read it (403 ``Access Denied`` for everyone else, like any other
administrator-only read). Events are written by :mod:`tests.fakeclockify.audit`.
"""

from __future__ import annotations

from tests.fakeclockify.access import ADMIN, OWNER, require_feature, role_of
from tests.fakeclockify.audit import ACTIONS, audit_log
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_instant,
    body_int,
    body_object,
    body_str,
    body_str_list,
    route,
)

__all__ = ["AUDIT_LOG", "MAX_PAGE_SIZE"]

AUDIT_LOG = "AUDIT_LOG"
"""The spec's ``Feature`` name of the audit log."""

MAX_PAGE_SIZE = 50
"""The documented largest ``page-size`` (FACTS §2)."""


def _required(name: str) -> ApiError:
    return ApiError(400, f"{name}: must not be null", 501)


@route("POST", "/v1/workspaces/{workspaceId}/audit-log", host="audit")
def audit_log_report(req: Request) -> Reply:
    """One page of the workspace's audit events that match the filter, newest first."""
    data = req.ws
    require_feature(data, AUDIT_LOG)
    if role_of(data, req.user.id) not in (OWNER, ADMIN):
        raise ApiError(403, "Access Denied", 501)
    body = req.json_object()
    start, end = body_instant(body, "start"), body_instant(body, "end")
    if start is None:
        raise _required("start")
    if end is None:
        raise _required("end")
    if end < start:
        raise ApiError(400, "end: must be after start", 501)
    actions = body_str_list(body, "actions")
    if not actions:
        raise ApiError(400, "actions: size must be between 1 and 2147483647", 501)
    unknown = sorted(set(actions) - set(ACTIONS))
    if unknown:
        raise ApiError(400, f"JSON parse error: Unknown audit log action {unknown[0]}", 3002)
    authors = body_object(body, "authors")
    if authors is None:
        raise _required("authors")
    author_ids = body_str_list(authors, "authorIds") or []
    contains = body_str(authors, "contains")
    if contains not in ("CONTAINS", "DOES_NOT_CONTAIN"):
        raise ApiError(400, "authors.contains: must be CONTAINS or DOES_NOT_CONTAIN", 501)
    page = max(body_int(body, "page") or 1, 1)
    size = body_int(body, "page-size")
    size = 20 if size is None else size
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError(400, f"page-size: must be between 1 and {MAX_PAGE_SIZE}", 501)
    wanted = set(actions)
    ids = set(author_ids)
    found = [
        event
        for event in audit_log(data)
        if start <= event.at <= end
        and event.action in wanted
        and (not ids or (event.user_id in ids) == (contains == "CONTAINS"))
    ]
    found.reverse()
    chunk = found[(page - 1) * size : page * size]
    return Reply(200, {"response": [event.dto(data.id) for event in chunk]})
