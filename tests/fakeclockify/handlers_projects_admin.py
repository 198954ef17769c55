"""Routes that administer a project: members and their rates, estimates, templates, and
task rates.

Who may: the owner and admins every project, a project manager the projects they manage
(``access.require_project_manager``); anyone else gets 403. Rate paths answer only ``PUT``
(a ``GET`` is 405, FACTS §6: rates are read from the memberships). A budget estimate needs
the plan's ``PROJECT_BUDGET``.
"""

from __future__ import annotations

from typing import Any

from tests.fakeclockify.access import denied, is_admin_role, require_feature
from tests.fakeclockify.access import require_project_manager as _manager
from tests.fakeclockify.handlers_projects import _check_project_name, _check_unique_project
from tests.fakeclockify.lookup import find_client, find_project, find_task
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import Project, WorkspaceData
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_instant,
    body_int,
    body_object,
    body_str,
    body_str_list,
    route,
)
from tests.fakeclockify.views import duration_seconds, project_dto, task_dto

__all__: list[str] = []

_PERIODS = ("WEEKLY", "MONTHLY", "YEARLY")


def _project_to_change(req: Request) -> Project:
    project = find_project(req.ws, req.params["projectId"])
    _manager(req.ws, req.user.id, project.id)
    return project


def _rate_of(data: WorkspaceData, body: dict[str, Any] | None) -> dict[str, Any] | None:
    if body is None:
        return None
    amount = body_int(body, "amount")
    if amount is None:
        raise ApiError(400, "amount: must not be null", 501)
    if amount < 0:
        raise ApiError(400, "amount: must be greater than or equal to 0", 501)
    body_instant(body, "since")  # read as Clockify reads it; one rate is kept, no history
    return {"amount": amount, "currency": data.workspace.currency}


def _member_of_workspace(data: WorkspaceData, user_id: str) -> None:
    if user_id not in data.workspace.members:
        raise ApiError(400, "User doesn't belong to Workspace", 501)


# --- memberships -------------------------------------------------------------------------


@route("PATCH", "/v1/workspaces/{workspaceId}/projects/{projectId}/memberships")
def set_memberships(req: Request) -> Reply:
    """Replace the project's members (each with its own rates) and groups."""
    data = req.ws
    project = _project_to_change(req)
    body = req.json_object()
    raw = body.get("memberships")
    if not isinstance(raw, list):
        raise ApiError(400, "memberships: must not be null", 501)
    members: list[str] = []
    rates: dict[str, dict[str, Any]] = {}
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("userId"), str):
            raise ApiError(400, "userId: must not be null", 501)
        user_id = item["userId"]
        _member_of_workspace(data, user_id)
        if user_id not in members:
            members.append(user_id)
        rates[user_id] = {
            "hourly": _rate_of(data, body_object(item, "hourlyRate")),
            "cost": _rate_of(data, body_object(item, "costRate")),
        }
    groups = body_object(body, "userGroups")
    project.member_ids = members
    project.member_rates = rates
    project.group_ids = (body_str_list(groups, "ids") or []) if groups else []
    req.state.touch()
    return Reply(200, project_dto(data, project))


@route("POST", "/v1/workspaces/{workspaceId}/projects/{projectId}/memberships")
def add_or_remove_members(req: Request) -> Reply:
    """Add the given users (or, with ``remove``, take them off); the others stay."""
    data = req.ws
    project = _project_to_change(req)
    body = req.json_object()
    user_ids = body_str_list(body, "userIds") or []
    for user_id in user_ids:
        _member_of_workspace(data, user_id)
    if body_bool(body, "remove"):
        project.member_ids = [u for u in project.member_ids if u not in user_ids]
        for user_id in user_ids:
            project.member_rates.pop(user_id, None)
    else:
        project.member_ids += [u for u in dict.fromkeys(user_ids) if u not in project.member_ids]
    req.state.touch()
    return Reply(200, project_dto(data, project))


def _member_rate(req: Request, kind: str) -> Reply:
    data = req.ws
    project = _project_to_change(req)
    user_id = req.params["userId"]
    _member_of_workspace(data, user_id)
    if user_id not in project.member_ids:
        raise ApiError(400, "User is not a member of the project", 501)
    rate = _rate_of(data, req.json_object())
    project.member_rates.setdefault(user_id, {"hourly": None, "cost": None})[kind] = rate
    req.state.touch()
    return Reply(200, project_dto(data, project))


@route("PUT", "/v1/workspaces/{workspaceId}/projects/{projectId}/users/{userId}/hourly-rate")
def member_hourly_rate(req: Request) -> Reply:
    """A member's billable rate on this project."""
    return _member_rate(req, "hourly")


@route("PUT", "/v1/workspaces/{workspaceId}/projects/{projectId}/users/{userId}/cost-rate")
def member_cost_rate(req: Request) -> Reply:
    """A member's cost rate on this project."""
    return _member_rate(req, "cost")


# --- estimates and templates -------------------------------------------------------------


def _period(raw: str | None) -> str | None:
    if raw is None:
        return None
    if raw.upper() not in _PERIODS:
        raise ApiError(
            400,
            "JSON parse error: Cannot deserialize value of type `ResetOption` from String "
            f'"{raw}": not one of the values accepted for Enum class: [WEEKLY, MONTHLY, YEARLY]',
            3002,
        )
    return raw.upper()


def _kind(raw: str | None, default: str) -> str:
    if raw is None:
        return default
    if raw.upper() not in ("AUTO", "MANUAL"):
        raise ApiError(
            400,
            "JSON parse error: Cannot deserialize value of type `EstimateType` from String "
            f'"{raw}": not one of the values accepted for Enum class: [AUTO, MANUAL]',
            3002,
        )
    return raw.upper()


def _time_estimate(project: Project, body: dict[str, Any]) -> None:
    estimate = body_str(body, "estimate")
    if estimate is not None:
        if duration_seconds(estimate) is None:
            raise ApiError(400, "Estimate must be a duration in ISO-8601 format", 501)
        project.estimate = estimate
    project.estimate_type = _kind(body_str(body, "type"), project.estimate_type)
    if "resetOption" in body:
        project.estimate_reset = _period(body_str(body, "resetOption"))
    active = body_bool(body, "active")
    if active is not None:
        project.estimate_active = active
    include = body_bool(body, "includeNonBillable")
    if include is not None:
        project.include_non_billable = include


def _budget_estimate(data: WorkspaceData, project: Project, body: dict[str, Any]) -> None:
    require_feature(data, "PROJECT_BUDGET")
    budget = dict(
        project.budget
        or {
            "estimate": 0,
            "type": "MANUAL",
            "resetOption": None,
            "active": False,
            "includeExpenses": False,
        }
    )
    estimate = body_int(body, "estimate")
    if estimate is not None:
        if estimate < 0:
            raise ApiError(400, "estimate: must be greater than or equal to 0", 501)
        budget["estimate"] = estimate
    budget["type"] = _kind(body_str(body, "type"), budget["type"])
    if "resetOption" in body:
        budget["resetOption"] = _period(body_str(body, "resetOption"))
    for key in ("active", "includeExpenses"):
        value = body_bool(body, key)
        if value is not None:
            budget[key] = value
    project.budget = budget


@route("PATCH", "/v1/workspaces/{workspaceId}/projects/{projectId}/estimate")
def set_estimate(req: Request) -> Reply:
    """The time estimate (manual or the tasks' sum, optionally reset each period) and the
    budget estimate (cents); each part changes only when the body has it."""
    data = req.ws
    project = _project_to_change(req)
    body = req.json_object()
    time_part = body_object(body, "timeEstimate")
    budget_part = body_object(body, "budgetEstimate")
    reset = body_object(body, "estimateReset")
    if budget_part is not None:
        _budget_estimate(data, project, budget_part)
    if time_part is not None:
        _time_estimate(project, time_part)
    if reset is not None and body_bool(reset, "active") is False:
        project.estimate_reset = None
        if project.budget is not None:
            project.budget["resetOption"] = None
    req.state.touch()
    return Reply(200, project_dto(data, project))


@route("PATCH", "/v1/workspaces/{workspaceId}/projects/{projectId}/template")
def set_template(req: Request) -> Reply:
    """Make a project a template (or an ordinary project again)."""
    data = req.ws
    project = _project_to_change(req)
    flag = body_bool(req.json_object(), "isTemplate")
    if flag is None:
        raise ApiError(400, "isTemplate: must not be null", 501)
    project.template = flag
    req.state.touch()
    return Reply(200, project_dto(data, project))


@route("POST", "/v1/workspaces/{workspaceId}/projects/from-template")
def from_template(req: Request) -> Reply:
    """A new project made from a template: its settings, rates, estimates, members (with
    their rates) and tasks (with assignees, estimates and rates) are copied; ``name`` is
    required, ``clientId``, ``color`` and ``isPublic`` override the template's."""
    data = req.ws
    settings = data.workspace.settings
    if settings.get("onlyAdminsCreateProject") and not is_admin_role(data, req.user.id):
        raise denied()
    body = req.json_object()
    name = _check_project_name(body_str(body, "name"))
    template_id = body_str(body, "templateProjectId")
    if not template_id:
        raise ApiError(400, "templateProjectId: must not be null", 501)
    template = find_project(data, template_id)
    if not template.template:
        raise ApiError(400, "Project is not a template", 501)
    client_id = template.client_id
    if "clientId" in body:
        raw = body_str(body, "clientId")
        client_id = find_client(data, raw).id if raw else ""
    _check_unique_project(data, name, client_id, "")
    color = body_str(body, "color") or template.color
    public = body_bool(body, "isPublic")
    project = req.state.add_project(
        data.id,
        name,
        client_id=client_id,
        color=color,
        billable=template.billable,
        public=template.public if public is None else public,
        note=template.note,
        hourly_rate=template.hourly_rate,
        cost_rate=template.cost_rate,
        estimate=template.estimate,
        estimate_type=template.estimate_type,
        estimate_active=template.estimate_active,
        estimate_reset=template.estimate_reset,
        include_non_billable=template.include_non_billable,
        budget=dict(template.budget) if template.budget else None,
        member_ids=list(dict.fromkeys([*template.member_ids, req.user.id])),
        member_rates={u: dict(r) for u, r in template.member_rates.items()},
        group_ids=list(template.group_ids),
    )
    for task in sorted(
        (t for t in data.tasks.values() if t.project_id == template.id), key=lambda t: t.id
    ):
        req.state.add_task(
            data.id,
            project.id,
            task.name,
            status=task.status,
            assignee_ids=list(task.assignee_ids),
            user_group_ids=list(task.user_group_ids),
            estimate=task.estimate,
            billable=task.billable,
            budget_estimate=task.budget_estimate,
            hourly_rate=task.hourly_rate,
            cost_rate=task.cost_rate,
        )
    return Reply(200, project_dto(data, project))


# --- task rates --------------------------------------------------------------------------


def _task_rate(req: Request, attribute: str) -> Reply:
    data = req.ws
    project = _project_to_change(req)
    task = find_task(data, project, req.params["id"])
    setattr(task, attribute, _rate_of(data, req.json_object()))
    req.state.touch()
    return Reply(200, task_dto(data, task))


@route("PUT", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks/{id}/hourly-rate")
def task_hourly_rate(req: Request) -> Reply:
    """A task's billable rate (above every other rate for time on it)."""
    return _task_rate(req, "hourly_rate")


@route("PUT", "/v1/workspaces/{workspaceId}/projects/{projectId}/tasks/{id}/cost-rate")
def task_cost_rate(req: Request) -> Reply:
    """A task's cost rate."""
    return _task_rate(req, "cost_rate")
