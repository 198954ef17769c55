"""Response bodies built from stored records, shaped like the live API's JSON.

Field names follow the spec's 2xx schemas; where the live API differs (FACTS §5, §8) the live
shape wins: ``projectId``/``taskId``/``kioskId`` are ``null`` rather than absent, a running
entry has ``end`` and ``duration`` ``null``, ``tagIds`` may be ``null``, a project without a
client has ``clientId: ""``, and rates are ``null`` or ``{amount, currency}`` in cents.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakeclockify.records import (
    Client,
    CustomField,
    Entry,
    Member,
    Project,
    Tag,
    Task,
    User,
    Workspace,
    WorkspaceData,
)
from tests.fakeclockify.wire import format_duration, format_instant

__all__ = [
    "client_dto",
    "custom_field_dto",
    "entry_dto",
    "membership_dto",
    "project_dto",
    "tag_dto",
    "task_dto",
    "user_dto",
    "workspace_dto",
]

WORKING_DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]


def _rate(rate: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if rate is None else {"amount": rate["amount"], "currency": rate["currency"]}


def membership_dto(member: Member, target_id: str, kind: str = "WORKSPACE") -> dict[str, Any]:
    """A ``MembershipDtoV1``."""
    return {
        "userId": member.user_id,
        "hourlyRate": _rate(member.hourly_rate),
        "costRate": _rate(member.cost_rate),
        "targetId": target_id,
        "membershipType": kind,
        "membershipStatus": member.status,
    }


def user_dto(
    user: User,
    memberships: list[dict[str, Any]] | None = None,
    *,
    settings: bool = True,
    custom_fields: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A ``UserDtoV1``; memberships are ``[]`` unless asked for, as observed live;
    ``settings`` is ``null`` for someone invited who has not signed up (FACTS §6)."""
    body: dict[str, Any] = {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "memberships": memberships or [],
        "profilePicture": user.profile_picture,
        "activeWorkspace": user.active_workspace,
        "defaultWorkspace": user.default_workspace,
        "settings": None,
        "status": user.status,
        "customFields": custom_fields or [],
    }
    if settings:
        body["settings"] = {
            "weekStart": user.week_start,
            "timeZone": user.time_zone,
            "timeFormat": user.time_format,
            "dateFormat": user.date_format,
            "sendNewsletter": False,
            "weeklyUpdates": False,
            "longRunning": False,
            "scheduledReports": True,
            "approval": False,
            "pto": False,
            "alerts": True,
            "reminders": True,
            "timeTrackingManual": False,
            "summaryReportSettings": {"group": "PROJECT", "subgroup": "CLIENT"},
            "isCompactViewOn": False,
            "dashboardSelection": "ME",
            "dashboardViewType": "PROJECT",
            "dashboardPinToTop": False,
            "projectListCollapse": 50,
            "collapseAllProjectLists": False,
            "groupSimilarEntriesDisabled": False,
            "myStartOfDay": "09:00",
            "projectPickerTaskFilter": False,
            "lang": "en",  # the spec's example; no live recording says otherwise
            "multiFactorEnabled": False,
            "scheduling": False,
            "onboarding": False,
            "showOnlyWorkingDays": False,
            "theme": "DEFAULT",
        }
    return body


def default_workspace_settings() -> dict[str, Any]:
    """A fresh ``WorkspaceSettingsDtoV1`` with Clockify's defaults (nothing forced).

    ``lockTimeEntries`` is left out on an unlocked workspace, like every field whose live
    value is not on record (no probe shows it, and the spec does not allow ``null``).
    """
    return {
        "timeRoundingInReports": False,
        "onlyAdminsSeeBillableRates": True,
        "onlyAdminsCreateProject": True,
        "onlyAdminsSeeDashboard": False,
        "defaultBillableProjects": True,
        "round": {"round": "Round to nearest", "minutes": "15"},
        "projectFavorites": True,
        "canSeeTimeSheet": True,
        "canSeeTracker": True,
        "projectPickerSpecialFilter": False,
        "forceProjects": False,
        "forceTasks": False,
        "forceTags": False,
        "forceDescription": False,
        "onlyAdminsSeeAllTimeEntries": False,
        "onlyAdminsSeePublicProjectsEntries": False,
        "trackTimeDownToSecond": True,
        "projectGroupingLabel": "client",
        "onlyAdminsCreateTag": False,
        "onlyAdminsCreateTask": False,
        "timeTrackingMode": "DEFAULT",
        "isProjectPublicByDefault": True,
        "multiFactorEnabled": False,
        "numberFormat": "COMMA_PERIOD",
        "currencyFormat": "CURRENCY_SPACE_VALUE",
        "durationFormat": "FULL",
        "workingDays": list(WORKING_DAYS),
    }


def workspace_dto(workspace: Workspace) -> dict[str, Any]:
    """A ``WorkspaceDtoV1``."""
    return {
        "id": workspace.id,
        "name": workspace.name,
        "hourlyRate": _rate(workspace.hourly_rate),
        "costRate": _rate(workspace.cost_rate),
        "memberships": [membership_dto(m, workspace.id) for m in workspace.members.values()],
        "workspaceSettings": dict(workspace.settings),
        "imageUrl": workspace.image_url,
        "featureSubscriptionType": workspace.plan,
        "features": list(workspace.features),
        "currencies": [
            {"id": workspace.currency_id, "code": workspace.currency, "isDefault": True}
        ],
        "subdomain": {"name": "", "enabled": False},
        "cakeOrganizationId": workspace.organization_id,
    }


def client_dto(client: Client) -> dict[str, Any]:
    """A ``ClientWithCurrencyDtoV1``."""
    body: dict[str, Any] = {
        "id": client.id,
        "name": client.name,
        "email": client.email,
        "workspaceId": client.workspace_id,
        "archived": client.archived,
        "address": client.address,
        "note": client.note,
        "ccEmails": None if client.cc_emails is None else list(client.cc_emails),
        "currencyCode": client.currency_code,
    }
    if client.currency_id is not None:  # no value on record for a client without one
        body["currencyId"] = client.currency_id
    return body


def project_dto(data: WorkspaceData, project: Project) -> dict[str, Any]:
    """A project as the list, get, create, update and delete routes return it.

    ``timeEstimate`` of type ``AUTO`` is the sum of the tasks' estimates (Clockify's
    "task-based" estimate); ``MANUAL`` is the project's own.
    """
    client = data.clients.get(project.client_id) if project.client_id else None
    tracked = data.totals()[0].get(project.id, 0)
    estimate = project_estimate(data, project)
    return {
        "id": project.id,
        "name": project.name,
        "hourlyRate": _rate(project.hourly_rate),
        "costRate": _rate(project.cost_rate),
        "clientId": project.client_id,
        "workspaceId": project.workspace_id,
        "billable": project.billable,
        "memberships": [
            {
                "userId": user_id,
                "hourlyRate": _rate(project.member_rates.get(user_id, {}).get("hourly")),
                "costRate": _rate(project.member_rates.get(user_id, {}).get("cost")),
                "targetId": project.id,
                "membershipType": "PROJECT",
                "membershipStatus": "ACTIVE",
            }
            for user_id in project.member_ids
        ],
        "color": project.color,
        "estimate": {"estimate": estimate, "type": project.estimate_type},
        "archived": project.archived,
        "duration": format_duration(tracked),
        "clientName": client.name if client else "",
        "note": project.note,
        "template": project.template,
        "public": project.public,
        "budgetEstimate": _budget(project),
        "estimateReset": None,
        "timeEstimate": {
            "estimate": estimate,
            "type": project.estimate_type,
            "resetOption": project.estimate_reset,
            "active": project.estimate_active,
            "includeNonBillable": project.include_non_billable,
        },
    }


def _budget(project: Project) -> dict[str, Any] | None:
    """``budgetEstimate``; a budget that does not reset has no ``resetOption`` (the spec
    allows no ``null`` there)."""
    if project.budget is None:
        return None
    return {k: v for k, v in project.budget.items() if v is not None or k != "resetOption"}


_ISO = re.compile(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?")


def duration_seconds(text: str | None) -> int | None:
    """Seconds of a ``PT..H..M..S`` duration, or None when it is not one."""
    found = _ISO.fullmatch(text or "")
    if found is None or text == "PT":
        return None
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + seconds


def project_estimate(data: WorkspaceData, project: Project) -> str:
    """The project's time estimate: its own (``MANUAL``) or its tasks' sum (``AUTO``)."""
    if project.estimate_type == "MANUAL":
        return project.estimate
    total = sum(
        duration_seconds(t.estimate) or 0 for t in data.tasks.values() if t.project_id == project.id
    )
    return format_duration(total) if total else project.estimate


def task_dto(data: WorkspaceData, task: Task) -> dict[str, Any]:
    """A ``TaskDtoV1``."""
    tracked = data.totals()[1].get(task.id, 0)
    return {
        "id": task.id,
        "name": task.name,
        "projectId": task.project_id,
        "assigneeIds": list(task.assignee_ids),
        "assigneeId": None,
        "userGroupIds": list(task.user_group_ids),
        "estimate": task.estimate,
        "status": task.status,
        "budgetEstimate": task.budget_estimate,
        "duration": format_duration(tracked),
        "billable": task.billable,
        "hourlyRate": _rate(task.hourly_rate),
        "costRate": _rate(task.cost_rate),
    }


def tag_dto(tag: Tag) -> dict[str, Any]:
    """A ``TagDtoV1``."""
    return {
        "id": tag.id,
        "name": tag.name,
        "workspaceId": tag.workspace_id,
        "archived": tag.archived,
    }


def custom_field_dto(field: CustomField, data: WorkspaceData) -> dict[str, Any]:
    """A ``CustomFieldDtoV1``."""
    return {
        "id": field.id,
        "name": field.name,
        "type": field.type,
        "allowedValues": list(field.allowed_values),
        "description": field.description,
        "placeholder": field.placeholder,
        "status": field.status,
        "workspaceId": data.id,
        "entityType": field.entity_type,
        "required": field.required,
        "onlyAdminCanEdit": field.only_admin_can_edit,
        "workspaceDefaultValue": field.default_value,
        "projectDefaultValues": [
            {"projectId": project_id, "value": own.get("defaultValue"), "status": own["status"]}
            for project_id, own in field.project_defaults.items()
        ],
    }


def _entry_rates(data: WorkspaceData, entry: Entry) -> tuple[Any, Any]:
    project = data.projects.get(entry.project_id) if entry.project_id else None
    member = data.workspace.members.get(entry.user_id)
    hourly = (
        (project.hourly_rate if project else None)
        or (member.hourly_rate if member else None)
        or data.workspace.hourly_rate
    )
    cost = (
        (project.cost_rate if project else None)
        or (member.cost_rate if member else None)
        or data.workspace.cost_rate
    )
    return _rate(hourly), _rate(cost)


def _custom_field_value(entry: Entry, field: CustomField) -> dict[str, Any]:
    """A ``CustomFieldValueDtoV1``: ``type`` is where the value comes from, not the field's kind.

    The spec describes it as the "custom field value source type" (example ``WORKSPACE``):
    ``TIMEENTRY`` for a value set on the entry, ``WORKSPACE`` for the workspace default. (A
    project's default would be ``PROJECT``; the test server keeps none.)
    """
    own = field.id in entry.custom_values
    return {
        "customFieldId": field.id,
        "timeEntryId": entry.id,
        "value": entry.custom_values[field.id] if own else field.default_value,
        "name": field.name,
        "type": "TIMEENTRY" if own else "WORKSPACE",
    }


def entry_dto(
    data: WorkspaceData,
    entry: Entry,
    *,
    hydrated: bool = False,
    user: User | None = None,
) -> dict[str, Any]:
    """A time entry (``TimeEntryDtoImplV1`` plus the rates every live route sends).

    Key order follows a recorded live response. Every TIMEENTRY custom field of the workspace
    appears in ``customFieldValues``, with the workspace default (often ``null``) where the
    entry has no value of its own.
    """
    hourly, cost = _entry_rates(data, entry)
    running = entry.end is None
    body: dict[str, Any] = {
        "id": entry.id,
        "description": entry.description,
        "tagIds": None if entry.tag_ids is None else list(entry.tag_ids),
        "userId": entry.user_id,
        "billable": entry.billable,
        "taskId": entry.task_id,
        "projectId": entry.project_id,
        "workspaceId": entry.workspace_id,
        "timeInterval": {
            "start": format_instant(entry.start),
            "end": None if running else format_instant(entry.end or 0),
            "duration": None if running else format_duration((entry.end or 0) - entry.start),
        },
        "customFieldValues": [
            _custom_field_value(entry, field)
            for field in data.custom_fields.values()
            if field.entity_type == "TIMEENTRY"
        ],
        "type": entry.type,
        "kioskId": None,
        "hourlyRate": hourly,
        "costRate": cost,
        "isLocked": entry.is_locked,
    }
    if hydrated:
        project = data.projects.get(entry.project_id) if entry.project_id else None
        task = data.tasks.get(entry.task_id) if entry.task_id else None
        body["project"] = project_dto(data, project) if project else None
        body["task"] = task_dto(data, task) if task else None
        body["tags"] = [tag_dto(data.tags[t]) for t in entry.tag_ids or [] if t in data.tags]
        body["user"] = user_dto(user, settings=False) if user else None
    return body
