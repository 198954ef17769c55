"""The Clockify client: one session and a resource object per area of the API.

The areas the timer syncs with are built with the client; the others (reports now,
approvals, time off and the rest later) are properties that import their models on first
use, so a sync worker carries only the pydantic models it validates.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Unpack

from tracker.api.budget import RequestBudget
from tracker.api.resources.account import UserResource, UsersResource, WorkspacesResource
from tracker.api.resources.catalog import (
    ClientsResource,
    CustomFieldsResource,
    ProjectsResource,
    TagsResource,
    TasksResource,
)
from tracker.api.resources.entries import TimeEntriesResource
from tracker.api.session import ApiSession, SessionOptions

if TYPE_CHECKING:
    from tracker.api.resources.admin_projects import AdminProjectsResource
    from tracker.api.resources.approvals import ApprovalsResource
    from tracker.api.resources.audit import AuditLogResource
    from tracker.api.resources.holidays import HolidaysResource, MemberProfileResource
    from tracker.api.resources.invoices import InvoicesResource
    from tracker.api.resources.reports import ReportsResource
    from tracker.api.resources.schedule import ScheduleResource
    from tracker.api.resources.team import TeamResource
    from tracker.api.resources.timeoff import TimeOffResource
    from tracker.api.resources.webhooks import WebhooksResource

__all__ = ["ClockifyClient"]


class ClockifyClient:
    """Async access to one Clockify account.

    Use as ``async with ClockifyClient(key) as api: user = await api.user.current()``.
    All arguments but the key are passed to :class:`~tracker.api.session.ApiSession`.
    """

    def __init__(self, api_key: str, **options: Unpack[SessionOptions]) -> None:
        self.session = ApiSession(api_key, **options)
        self.user = UserResource(self.session)
        self.workspaces = WorkspacesResource(self.session)
        self.users = UsersResource(self.session)
        self.projects = ProjectsResource(self.session)
        self.tasks = TasksResource(self.session)
        self.clients = ClientsResource(self.session)
        self.tags = TagsResource(self.session)
        self.custom_fields = CustomFieldsResource(self.session)
        self.time_entries = TimeEntriesResource(self.session)

    @cached_property
    def reports(self) -> ReportsResource:
        """The Reports host: summary, detailed, weekly reports and exports."""
        from tracker.api.resources.reports import ReportsResource  # noqa: PLC0415 - on use

        return ReportsResource(self.session)

    @cached_property
    def approvals(self) -> ApprovalsResource:
        """Timesheet approval requests: submit, list, decide."""
        from tracker.api.resources.approvals import ApprovalsResource  # noqa: PLC0415 - on use

        return ApprovalsResource(self.session)

    @cached_property
    def time_off(self) -> TimeOffResource:
        """Time-off policies, requests and balances."""
        from tracker.api.resources.timeoff import TimeOffResource  # noqa: PLC0415 - on use

        return TimeOffResource(self.session)

    @cached_property
    def holidays(self) -> HolidaysResource:
        """The workspace's holidays."""
        from tracker.api.resources.holidays import HolidaysResource  # noqa: PLC0415 - on use

        return HolidaysResource(self.session)

    @cached_property
    def member_profile(self) -> MemberProfileResource:
        """Member profiles: working days, daily capacity, week start."""
        from tracker.api.resources.holidays import MemberProfileResource  # noqa: PLC0415

        return MemberProfileResource(self.session)

    @cached_property
    def schedule(self) -> ScheduleResource:
        """Scheduling: assignments, publishing, capacity and project totals."""
        from tracker.api.resources.schedule import ScheduleResource  # noqa: PLC0415 - on use

        return ScheduleResource(self.session)

    @cached_property
    def team(self) -> TeamResource:
        """The workspace's people and user groups (administration)."""
        from tracker.api.resources.team import TeamResource  # noqa: PLC0415 - on use

        return TeamResource(self.session)

    @cached_property
    def admin_projects(self) -> AdminProjectsResource:
        """Administering projects, tasks and custom fields (members, rates, estimates)."""
        from tracker.api.resources.admin_projects import AdminProjectsResource  # noqa: PLC0415

        return AdminProjectsResource(self.session)

    @cached_property
    def invoices(self) -> InvoicesResource:
        """Invoices: lines, imported time, payments, settings, the PDF."""
        from tracker.api.resources.invoices import InvoicesResource  # noqa: PLC0415 - on use

        return InvoicesResource(self.session)

    @cached_property
    def audit_log(self) -> AuditLogResource:
        """The audit log, on its own host: who changed what, when."""
        from tracker.api.resources.audit import AuditLogResource  # noqa: PLC0415 - on use

        return AuditLogResource(self.session)

    @cached_property
    def webhooks(self) -> WebhooksResource:
        """Webhooks: events Clockify sends to a URL, and what it delivered."""
        from tracker.api.resources.webhooks import WebhooksResource  # noqa: PLC0415 - on use

        return WebhooksResource(self.session)

    @property
    def budget(self) -> RequestBudget:
        """The request budget this client spends."""
        return self.session.budget

    async def aclose(self) -> None:
        """Close connections."""
        await self.session.aclose()

    async def __aenter__(self) -> ClockifyClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
