"""The workspace's people and user groups as Clockify sends them, and the changes an
administrator sends: invitations, status, roles, rates, custom-field values, groups.

People are :class:`~tracker.api.models.account.User` with their custom-field values
(``customFields``); a ``value`` is ``null``, a string, a number or a list (FACTS §8), though
the spec types it as an object. Rates are cents (FACTS §4).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from tracker.api.models.account import User
from tracker.api.models.base import NullableList, RequestModel, WireId, WireModel

__all__ = [
    "FieldValueChange",
    "GroupMemberAdd",
    "GroupName",
    "Person",
    "PersonFieldValue",
    "PersonInvite",
    "RateChange",
    "RoleGrant",
    "StatusChange",
    "TeamManager",
    "UserGroup",
]


def _none_to_empty(value: Any) -> Any:
    return [] if value is None else value


class PersonFieldValue(WireModel):
    """One of a person's custom-field values (``UserCustomFieldValueDtoV1``)."""

    custom_field_id: str | None = None
    custom_field_name: str | None = None
    custom_field_type: str | None = None
    value: Any = None


class Person(User):
    """A workspace user with custom-field values (``GET /users``, ``POST /users/info``)."""

    custom_fields: Annotated[list[PersonFieldValue], BeforeValidator(_none_to_empty)] = Field(
        default_factory=list
    )


class TeamManager(WireModel):
    """A group's team manager (``UserRedactedDtoV1``)."""

    id: WireId
    name: str | None = None


class UserGroup(WireModel):
    """A user group: its members' ids and, when asked for, its team managers."""

    id: WireId
    name: str = ""
    user_ids: NullableList = Field(default_factory=list)
    team_managers: Annotated[list[TeamManager], BeforeValidator(_none_to_empty)] = Field(
        default_factory=list
    )


class PersonInvite(RequestModel):
    """Body of ``POST /users``: add someone to the workspace by email (paid plans)."""

    email: str


class StatusChange(RequestModel):
    """Body of ``PUT /users/{uid}``: ``ACTIVE`` or ``INACTIVE``."""

    status: str


class RoleGrant(RequestModel):
    """Body of ``POST``/``DELETE /users/{uid}/roles``. ``entityId`` is the workspace for
    ``WORKSPACE_ADMIN``, a project for ``PROJECT_MANAGER``, and for ``TEAM_MANAGER`` a
    person or, with ``sourceType: USER_GROUP``, a group."""

    role: str
    entity_id: str
    source_type: str | None = None


class RateChange(RequestModel):
    """Body of ``PUT /users/{uid}/hourly-rate`` and ``/cost-rate``: cents, from ``since``."""

    amount: int
    since: str | None = None


class FieldValueChange(RequestModel):
    """Body of ``PUT /users/{uid}/custom-field/{cf}/value``."""

    value: Any = None

    def body(self) -> dict[str, Any]:
        """The value is sent even when ``None`` (clearing it)."""
        return {"value": self.value}


class GroupName(RequestModel):
    """Body of ``POST /user-groups`` and ``PUT /user-groups/{id}``."""

    name: str


class GroupMemberAdd(RequestModel):
    """Body of ``POST /user-groups/{g}/users``."""

    user_id: str
