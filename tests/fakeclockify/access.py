"""Who may do what in a workspace: roles and subscription plans, as Clockify applies them.

One module for every feature that asks (reports now; approvals, time off, administration and
invoices later), so the rules live in one place:

- **Plans.** ``--plan FREE|STANDARD|PRO|ENTERPRISE`` picks a tier; the workspace's
  ``featureSubscriptionType`` and ``features`` follow it (feature names from the spec's
  ``Feature`` enum). A paid feature on a workspace without it is a 403 (FACTS §3, "paid-plan
  feature on a Free workspace"). Reports on a Free workspace cover at most 31 days (FACTS §4,
  and the spec's description of every report operation).
- **Roles.** Owner and admins see everyone's time. A manager sees their own time, the time of
  the people they manage (a user group) and the time on projects they manage. A regular member
  sees only their own time unless the workspace lets everyone see all time entries
  (``workspaceSettings.onlyAdminsSeeAllTimeEntries`` false), as Clockify's "who can see all time
  entries" setting does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tests.fakeclockify.groups import managed_users
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import Entry, Member, WorkspaceData

__all__ = [
    "ADMIN",
    "BUNDLE_PLAN",
    "FREE_REPORT_DAYS",
    "MANAGER",
    "MEMBER",
    "OWNER",
    "PLANS",
    "ROLE_NAMES",
    "check_report_range",
    "features_for",
    "has_feature",
    "is_free",
    "plan_forbidden",
    "require_feature",
    "role_of",
    "sees_everyone",
    "subscription_for",
    "visible_entries",
]

OWNER = "OWNER"
ADMIN = "ADMIN"
MANAGER = "MANAGER"
MEMBER = "MEMBER"
ROLE_NAMES = (OWNER, ADMIN, MANAGER, MEMBER)
"""The four kinds of people the test server seeds, most rights first."""

PLANS = ("FREE", "STANDARD", "PRO", "ENTERPRISE")
"""The tiers ``--plan`` accepts."""

BUNDLE_PLAN = "BUNDLE_YEAR_2024"
"""The demo's own paid plan (every feature the app uses), kept when no ``--plan`` is given."""

_SUBSCRIPTION = {
    "FREE": "FREE",
    "STANDARD": "STANDARD_2021",  # the spec's example of FeaturePlan
    "PRO": "PRO_2021",
    "ENTERPRISE": "ENTERPRISE_2021",
}

_FREE = ("TIME_TRACKING",)
_STANDARD = (
    *_FREE,
    "ADD_TIME_FOR_OTHERS",
    "ADMIN_PANEL",
    "APPROVAL",
    "BULK_EDIT",
    "CUSTOM_FIELDS",
    "DECIMAL_FORMAT",
    "HIDE_PAGES",
    "INVOICING",
    "REQUIRED_FIELDS",
    "TIME_OFF",
    "UNLIMITED_REPORTS",
    "USER_CUSTOM_FIELDS",
    "WORKSPACE_LOCK_TIMEENTRIES",
)
_PRO = (*_STANDARD, "EXPENSES", "PROJECT_BUDGET", "SCHEDULING")
_BUNDLE = (*_PRO,)
"""What the demo's workspace always listed (every paid feature the app reads)."""
_ENTERPRISE = (*_PRO, "AUDIT_LOG", "CUSTOM_SUBDOMAIN", "SSO")
_FEATURES = {
    "FREE": _FREE,
    "STANDARD": _STANDARD,
    "PRO": _PRO,
    "ENTERPRISE": _ENTERPRISE,
    BUNDLE_PLAN: _BUNDLE,
}

FREE_REPORT_DAYS = 31
"""The longest report a Free workspace may ask for (FACTS §4)."""

_PLAN_MESSAGE = "Feature not available on your current plan"


def subscription_for(plan: str) -> str:
    """The ``featureSubscriptionType`` a tier (or a literal subscription type) shows."""
    return _SUBSCRIPTION.get(plan, plan)


def features_for(plan: str) -> list[str]:
    """The ``features`` a workspace on ``plan`` lists (a tier or a subscription type)."""
    for tier, subscription in _SUBSCRIPTION.items():
        if plan == subscription:
            plan = tier
    return sorted(_FEATURES.get(plan, _FREE))


def is_free(data: WorkspaceData) -> bool:
    """Whether the workspace is on the Free plan."""
    return data.workspace.plan == "FREE"


def has_feature(data: WorkspaceData, feature: str) -> bool:
    """Whether the workspace's plan includes ``feature``."""
    return feature in data.workspace.features


def plan_forbidden() -> ApiError:
    """The 403 a paid feature gets on a workspace whose plan lacks it (FACTS §3).

    FACTS records the status only (a third party saw 403 for custom fields and policies on a
    Free workspace); the wording is the test server's own, kept in this one place.
    """
    return ApiError(403, _PLAN_MESSAGE, 403)


def require_feature(data: WorkspaceData, feature: str) -> None:
    """Refuse a request for a paid feature the workspace's plan lacks."""
    if not has_feature(data, feature):
        raise plan_forbidden()


def check_report_range(data: WorkspaceData, kind: str, first: date, last: date) -> None:
    """Refuse a report over more than 31 days on a Free workspace.

    The message is the sentence the spec gives in each report operation's description
    ("Summary report data on FREE subscription plan is limited to a maximum interval length of
    one month (31 days)."), with Clockify's business-rule status and code (400, 501; FACTS §3).
    """
    if is_free(data) and (last - first).days + 1 > FREE_REPORT_DAYS:
        raise ApiError(
            400,
            f"{kind} report data on FREE subscription plan is limited to a maximum interval "
            f"length of one month ({FREE_REPORT_DAYS} days).",
            501,
        )


def role_of(data: WorkspaceData, user_id: str) -> str | None:
    """The person's role in the workspace (None when not a member)."""
    member = data.workspace.members.get(user_id)
    if member is None:
        return None
    if user_id == data.workspace.owner_id or "OWNER" in member.roles:
        return OWNER
    if "WORKSPACE_ADMIN" in member.roles:
        return ADMIN
    if {"TEAM_MANAGER", "PROJECT_MANAGER"} & set(member.roles):
        return MANAGER
    return MEMBER


def sees_everyone(data: WorkspaceData, user_id: str) -> bool:
    """Whether the person sees every member's time (admins, or everyone when allowed)."""
    if role_of(data, user_id) in (OWNER, ADMIN):
        return True
    return not data.workspace.settings.get("onlyAdminsSeeAllTimeEntries", False)


def visible_entries(data: WorkspaceData, user_id: str) -> Callable[[Entry], bool]:
    """Which entries the person may see in reports."""
    if sees_everyone(data, user_id):
        return lambda entry: True
    member: Member | None = data.workspace.members.get(user_id)
    users = {user_id, *managed_users(data, user_id)}
    projects = set(member.manages_projects if member else ())
    return lambda entry: entry.user_id in users or (entry.project_id or "") in projects


# --- time off, holidays and member profiles ----------------------------------------------------

__all__ += ["TIME_OFF", "is_admin_role", "manages_person", "may_approve_time_off"]

TIME_OFF = "TIME_OFF"
"""The spec's ``Feature`` for time off; Clockify sells holidays with it (Standard and up)."""


def is_admin_role(data: WorkspaceData, user_id: str) -> bool:
    """Whether the person is the owner or an admin (who manage policies, balances, holidays
    and everyone's member profile)."""
    return role_of(data, user_id) in (OWNER, ADMIN)


def manages_person(data: WorkspaceData, manager_id: str, user_id: str) -> bool:
    """Whether ``manager_id`` is a team manager of ``user_id`` (directly or of a group)."""
    return user_id in managed_users(data, manager_id)


def may_approve_time_off(
    data: WorkspaceData, approver_id: str, user_id: str, specific: tuple[str, ...] = ()
) -> bool:
    """Who may approve or reject someone's time off: the owner and admins, the manager of the
    person's group, and the members a policy names as its approvers."""
    return (
        is_admin_role(data, approver_id)
        or manages_person(data, approver_id, user_id)
        or approver_id in specific
    )


# --- projects, tasks, clients, tags and custom fields --------------------------------------

__all__ += ["CUSTOM_FIELDS", "denied", "require_admin", "require_project_manager"]

CUSTOM_FIELDS = "CUSTOM_FIELDS"
"""The spec's ``Feature`` for custom fields (Standard and up)."""


def denied() -> ApiError:
    """Clockify's answer to a role that may not act (403, ``Access Denied``, code 501)."""
    return ApiError(403, "Access Denied", 501)


def require_admin(data: WorkspaceData, user_id: str) -> None:
    """Only the owner and admins change clients, tags and custom fields."""
    if not is_admin_role(data, user_id):
        raise denied()


def require_project_manager(data: WorkspaceData, user_id: str, project_id: str) -> None:
    """The owner and admins change every project; a project manager the projects they
    manage (``Member.manages_projects``); anyone else gets 403."""
    if is_admin_role(data, user_id):
        return
    member = data.workspace.members.get(user_id)
    if member is None or project_id not in member.manages_projects:
        raise denied()
