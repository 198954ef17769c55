"""The user, workspaces and workspace members as Clockify sends them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator

from tracker.api.models.base import (
    IsoDuration,
    NullableList,
    RequestModel,
    WireId,
    WireModel,
)

__all__ = [
    "PAID_PLAN_FAMILIES",
    "Membership",
    "Rate",
    "User",
    "UserSettings",
    "UsersFilter",
    "Workspace",
    "WorkspaceSettings",
]

PAID_PLAN_FAMILIES = (
    "BASIC",
    "STANDARD",
    "PRO",
    "ENTERPRISE",
    "BUNDLE",
    "PREMIUM",
    "SPECIAL",
    "SELF_HOSTED",
)
"""How the names of paid plans begin (``PRO_2021``, ``BUNDLE_YEAR_2024``)."""


def _plan_name(value: Any) -> str | None:
    """``featureSubscriptionType`` as a plan name. The API sends a string (``PRO_2021``); the
    spec models a ``FeaturePlan`` object, whose ``addonSubscriptionPlan`` names the plan."""
    if isinstance(value, dict):
        value = value.get("addonSubscriptionPlan")
    return value if isinstance(value, str) else None


class Rate(WireModel):
    """Money in minor units (cents); ``hourlyRate`` may also be ``null`` as a whole."""

    amount: int = 0
    currency: str | None = None


class Membership(WireModel):
    """A user's membership of a workspace, project or group."""

    user_id: str | None = None
    target_id: str | None = None
    membership_type: str | None = None
    membership_status: str | None = None
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None


class UserSettings(WireModel):
    """The profile settings that matter to a time tracker."""

    time_zone: str | None = None
    week_start: str | None = None
    time_format: str | None = None
    date_format: str | None = None
    my_start_of_day: str | None = None
    track_time_down_to_second: bool | None = None


class User(WireModel):
    """``GET /user`` and workspace user lists. ``name`` and ``settings`` may be ``null``."""

    id: WireId
    email: str | None = None
    name: str | None = None
    active_workspace: str | None = None
    default_workspace: str | None = None
    status: str | None = None
    settings: UserSettings | None = None
    memberships: list[Membership] | None = None
    profile_picture: str | None = None


class WorkspaceSettings(WireModel):
    """The rules a workspace imposes on entries (FACTS §5) and its lock date."""

    force_projects: bool = False
    force_tasks: bool = False
    force_tags: bool = False
    force_description: bool = False
    lock_time_entries: str | None = None
    time_tracking_mode: str | None = None
    track_time_down_to_second: bool | None = None
    working_days: NullableList = Field(default_factory=list)
    default_billable_projects: bool | None = None
    only_admins_create_project: bool | None = None
    only_admins_create_tag: bool | None = None
    only_admins_create_task: bool | None = None
    only_admins_see_all_time_entries: bool | None = None
    """``False``: every member sees everyone's time (in reports too)."""


class Workspace(WireModel):
    """A workspace; ``featureSubscriptionType`` tells Free from paid plans."""

    id: WireId
    name: str = ""
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None
    workspace_settings: WorkspaceSettings = Field(default_factory=WorkspaceSettings)
    feature_subscription_type: Annotated[str | None, BeforeValidator(_plan_name)] = None
    features: list[Any] | None = None
    memberships: list[Membership] | None = None
    image_url: str | None = None

    @property
    def feature_names(self) -> frozenset[str] | None:
        """The plan's features as names (``None`` when the answer did not list them). The
        spec types the list as ``Feature``; names are kept as sent, unknown ones included."""
        if self.features is None:
            return None
        return frozenset(str(item) for item in self.features if isinstance(item, str))

    @property
    def is_free_plan(self) -> bool:
        """Whether the 30-requests-per-hour limit of new Free workspaces may apply.

        Only a plan known to be paid lifts it: the spec's ``BASIC``, ``STANDARD``, ``PRO``,
        ``ENTERPRISE`` (sent with a year, ``PRO_2021``), and the ``BUNDLE``, ``PREMIUM``,
        ``SPECIAL`` and ``SELF_HOSTED`` families. ``FREE``, a trial, a missing or unknown
        value all keep the Free limits: pacing a paid workspace too slowly costs a little
        freshness, while spending like a paid plan on a Free one spends a whole team's
        shared allowance.
        """
        plan = (self.feature_subscription_type or "").upper()
        return not plan.startswith(PAID_PLAN_FAMILIES)


class UsersFilter(RequestModel):
    """Body of ``POST /users/info``: the only way to filter users by role."""

    email: str | None = None
    name: str | None = None
    project_id: str | None = None
    status: str | None = None
    account_statuses: list[str] | None = None
    roles: list[str] | None = None
    user_groups: list[str] | None = None
    memberships: str | None = None
    include_roles: bool | None = None
    sort_column: str | None = None
    sort_order: str | None = None
    page: int = 1
    page_size: int = 50


__all__ += ["MemberProfile"]


class MemberProfile(WireModel):
    """The member profile: the user's daily work capacity, when the workspace sets one."""

    work_capacity: IsoDuration | None = None
    working_days: NullableList = Field(default_factory=list)
    week_start: str | None = None

    @field_validator("working_days", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        # The spec types it as a single day; accept a list or a comma-separated string.
        if isinstance(value, str):
            return [day.strip() for day in value.split(",") if day.strip()]
        return value
