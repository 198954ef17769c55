"""Routes that change custom fields and a project's own settings of them.

Custom fields are a paid feature (``CUSTOM_FIELDS``: 403 on a Free workspace, FACTS §3);
only the owner and admins define them. A project's manager sets the project's own default
value and visibility (``PATCH``) or takes the field off the project (``DELETE``, which
leaves the field ``INACTIVE`` there). The lists are in :mod:`handlers_catalog`.
"""

from __future__ import annotations

from typing import Any

from tests.fakeclockify.access import (
    CUSTOM_FIELDS,
    require_admin,
    require_feature,
    require_project_manager,
)
from tests.fakeclockify.lookup import find_project, not_in_workspace
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import CustomField, WorkspaceData
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_str,
    body_str_list,
    route,
)
from tests.fakeclockify.views import custom_field_dto

__all__: list[str] = []

_TYPES = ("TXT", "NUMBER", "DROPDOWN_SINGLE", "DROPDOWN_MULTIPLE", "CHECKBOX", "LINK")
_STATUSES = ("INACTIVE", "VISIBLE", "INVISIBLE")
_DROPDOWNS = ("DROPDOWN_SINGLE", "DROPDOWN_MULTIPLE")


def _enum(raw: str | None, allowed: tuple[str, ...], java: str, default: str | None) -> str:
    if raw is None:
        if default is None:
            raise ApiError(400, f"{java.lower()}: must not be null", 501)
        return default
    if raw.upper() not in allowed:
        raise ApiError(
            400,
            f"JSON parse error: Cannot deserialize value of type `{java}` from String "
            f'"{raw}": not one of the values accepted for Enum class: [{", ".join(allowed)}]',
            3002,
        )
    return raw.upper()


def _find_field(data: WorkspaceData, field_id: str) -> CustomField:
    field = data.custom_fields.get(field_id)
    if field is None:
        raise not_in_workspace("Custom field")
    return field


def _name(data: WorkspaceData, raw: str | None, own_id: str) -> str:
    if raw is None or not raw.strip():
        raise ApiError(400, "name: must not be blank", 501)
    if len(raw.strip()) > 250:
        raise ApiError(400, "Custom field name can't be longer than 250 characters", 501)
    for other in data.custom_fields.values():
        if other.id != own_id and other.name.lower() == raw.strip().lower():
            raise ApiError(400, f"Custom field with name '{raw.strip()}' already exists", 501)
    return raw.strip()


def _definition(data: WorkspaceData, body: dict[str, Any], own_id: str) -> dict[str, Any]:
    """The fields of a ``CustomFieldRequestV1``/``UpdateCustomFieldRequestV1`` body."""
    kind = _enum(body_str(body, "type"), _TYPES, "CustomFieldType", None)
    allowed = body_str_list(body, "allowedValues") or []
    if kind in _DROPDOWNS and not allowed:
        raise ApiError(400, "A dropdown custom field needs allowed values", 501)
    default = body.get("workspaceDefaultValue")
    if kind in _DROPDOWNS and default not in (None, "", *allowed):
        raise ApiError(400, "Default value must be one of the allowed values", 501)
    return {
        "name": _name(data, body_str(body, "name"), own_id),
        "type": kind,
        "allowed_values": allowed if kind in _DROPDOWNS else [],
        "status": _enum(body_str(body, "status"), _STATUSES, "CustomFieldStatus", "VISIBLE"),
        "placeholder": body_str(body, "placeholder") or "",
        "description": body_str(body, "description"),
        "only_admin_can_edit": bool(body_bool(body, "onlyAdminCanEdit")),
        "default_value": default,
    }


@route("POST", "/v1/workspaces/{workspaceId}/custom-fields")
def create_field(req: Request) -> Reply:
    """Define a custom field (201)."""
    data = req.ws
    require_feature(data, CUSTOM_FIELDS)
    require_admin(data, req.user.id)
    body = req.json_object()
    definition = _definition(data, body, "")
    entity = _enum(body_str(body, "entityType"), ("TIMEENTRY", "USER"), "EntityType", "TIMEENTRY")
    field = req.state.add_custom_field(data.id, entity_type=entity, **definition)
    return Reply(201, custom_field_dto(field, data))


@route("PUT", "/v1/workspaces/{workspaceId}/custom-fields/{customFieldId}")
def update_field(req: Request) -> Reply:
    """Replace a custom field's definition (``name`` and ``type`` required)."""
    data = req.ws
    require_feature(data, CUSTOM_FIELDS)
    require_admin(data, req.user.id)
    field = _find_field(data, req.params["customFieldId"])
    body = req.json_object()
    for attribute, value in _definition(data, body, field.id).items():
        setattr(field, attribute, value)
    field.required = bool(body_bool(body, "required"))
    req.state.touch()
    return Reply(200, custom_field_dto(field, data))


@route("DELETE", "/v1/workspaces/{workspaceId}/custom-fields/{customFieldId}")
def delete_field(req: Request) -> Reply:
    """Delete a custom field (204); entries lose its values."""
    data = req.ws
    require_feature(data, CUSTOM_FIELDS)
    require_admin(data, req.user.id)
    field = _find_field(data, req.params["customFieldId"])
    for entry in data.entries.values():
        entry.custom_values.pop(field.id, None)
    del data.custom_fields[field.id]
    req.state.touch()
    return Reply(204, None)


def _project_field(req: Request) -> tuple[str, CustomField]:
    data = req.ws
    require_feature(data, CUSTOM_FIELDS)
    project = find_project(data, req.params["projectId"])
    require_project_manager(data, req.user.id, project.id)
    return project.id, _find_field(data, req.params["customFieldId"])


@route("PATCH", "/v1/workspaces/{workspaceId}/projects/{projectId}/custom-fields/{customFieldId}")
def set_project_field(req: Request) -> Reply:
    """The project's own default value and visibility of a field."""
    project_id, field = _project_field(req)
    body = req.json_object()
    own = dict(field.project_defaults.get(project_id) or {"status": field.status})
    if "defaultValue" in body:
        value = body["defaultValue"]
        if field.type in _DROPDOWNS and value not in (None, "", *field.allowed_values):
            raise ApiError(400, "Default value must be one of the allowed values", 501)
        own["defaultValue"] = value
    own["status"] = _enum(body_str(body, "status"), _STATUSES, "CustomFieldStatus", own["status"])
    field.project_defaults[project_id] = own
    req.state.touch()
    return Reply(200, custom_field_dto(field, req.ws))


@route("DELETE", "/v1/workspaces/{workspaceId}/projects/{projectId}/custom-fields/{customFieldId}")
def remove_project_field(req: Request) -> Reply:
    """Take a field off a project: it stays defined, ``INACTIVE`` on this project."""
    project_id, field = _project_field(req)
    field.project_defaults[project_id] = {"defaultValue": None, "status": "INACTIVE"}
    req.state.touch()
    return Reply(200, custom_field_dto(field, req.ws))
