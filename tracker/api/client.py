"""The Clockify client: one session and a resource object per area of the API."""

from __future__ import annotations

from typing import Unpack

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
from tracker.api.resources.holidays import HolidaysResource, MemberProfileResource
from tracker.api.resources.reports import ReportsResource
from tracker.api.resources.timeoff import TimeOffResource
from tracker.api.session import ApiSession, SessionOptions

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
        self.reports = ReportsResource(self.session)
        self.time_off = TimeOffResource(self.session)
        self.holidays = HolidaysResource(self.session)
        self.member_profile = MemberProfileResource(self.session)

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
