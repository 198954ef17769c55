"""Scheduling: assignments and capacity (``/v1/workspaces/{ws}/scheduling/assignments/...``).

Every write answers a list (a series is one assignment per week). Creating, changing,
copying and deleting are not resent after an unclear outcome: a second create would book the
person twice, a second move would move a series again from where the first left it, a second
delete is refused; the service above looks before it asks again. Publishing is resent freely
(publishing twice publishes the same). The lists go through the same page guards as every
list: the assignment list is paged in its query (``Last-Page``), the totals in their body
(``pageSize`` ≤ 200, FACTS §2).
"""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from tracker.api.errors import ResponseFormatError
from tracker.api.explain import read_json
from tracker.api.models.base import decode, decode_list, format_instant
from tracker.api.models.schedule import (
    Assignment,
    AssignmentCreate,
    AssignmentUpdate,
    CopyAssignment,
    ProjectTotals,
    ProjectTotalsFilter,
    PublishAssignments,
    RecurringWrite,
    UserTotals,
    UserTotalsFilter,
)
from tracker.api.pagination import Page, guarded_pages
from tracker.api.paths import api_path
from tracker.api.resources.base import Collection
from tracker.api.session import ApiSession, Reply

__all__ = ["MAX_PAGE_SIZE", "SERIES_OPTIONS", "ScheduleResource"]

MAX_PAGE_SIZE = 200
"""The documented largest page of the totals bodies (FACTS §2), used for every list here."""

SERIES_OPTIONS = ("THIS_ONE", "THIS_AND_FOLLOWING", "ALL")
"""What a change to one assignment of a series reaches."""

_BASE = "/v1/workspaces/{workspace_id}/scheduling/assignments"
_ALL = _BASE + "/all"
_CREATE = _BASE + "/recurring"
_ONE = _BASE + "/recurring/{assignment_id}"
_SERIES = _BASE + "/series/{assignment_id}"
_COPY = _BASE + "/{assignment_id}/copy"
_PUBLISH = _BASE + "/publish"
_USER_TOTALS = _BASE + "/users/{user_id}/totals"
_USERS_TOTALS = _BASE + "/user-filter/totals"
_PROJECTS_TOTALS = _BASE + "/projects/totals"
_PROJECT_TOTALS = _BASE + "/projects/totals/{project_id}"


class ScheduleResource:
    """Assignments and capacity totals of one workspace."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session
        self._assignments = Collection(session, Assignment, "assignment", "assignments")

    # --- assignments ---------------------------------------------------------------------

    async def assignments(
        self,
        workspace_id: str,
        start: datetime,
        end: datetime,
        *,
        name: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> builtins.list[Assignment]:
        """Every assignment the person may see that overlaps ``start``..``end``."""
        path = api_path(_ALL, workspace_id=workspace_id)
        params = {
            "start": format_instant(start),
            "end": format_instant(end),
            "name": name,
            "sort-column": "USER",
        }
        return [a async for a in self._assignments.iterate(path, params, page_size)]

    async def create(self, workspace_id: str, body: AssignmentCreate) -> builtins.list[Assignment]:
        """Book someone: one assignment, or a weekly series (answered one per week)."""
        path = api_path(_CREATE, workspace_id=workspace_id)
        return await self._write("POST", path, body.body())

    async def update(
        self, workspace_id: str, assignment_id: str, body: AssignmentUpdate
    ) -> builtins.list[Assignment]:
        """Change an assignment (and, by ``series_update_option``, the following ones or
        its whole series); answers every assignment changed."""
        path = api_path(_ONE, workspace_id=workspace_id, assignment_id=assignment_id)
        return await self._write("PATCH", path, body.body())

    async def delete(
        self, workspace_id: str, assignment_id: str, *, series: str = "THIS_ONE"
    ) -> builtins.list[Assignment]:
        """Delete an assignment (or this and the following, or its series); answers what
        was deleted."""
        path = api_path(_ONE, workspace_id=workspace_id, assignment_id=assignment_id)
        return await self._write("DELETE", path, None, params={"seriesUpdateOption": series})

    async def change_series(
        self, workspace_id: str, assignment_id: str, body: RecurringWrite
    ) -> builtins.list[Assignment]:
        """Make the assignment's series run ``weeks`` weeks from its first (or, with
        ``repeat`` false, keep only this one)."""
        path = api_path(_SERIES, workspace_id=workspace_id, assignment_id=assignment_id)
        return await self._write("PUT", path, body.body(), idempotent=False)

    async def copy(
        self, workspace_id: str, assignment_id: str, body: CopyAssignment
    ) -> builtins.list[Assignment]:
        """Copy an assignment to another person on the same days (drafts)."""
        path = api_path(_COPY, workspace_id=workspace_id, assignment_id=assignment_id)
        return await self._write("POST", path, body.body())

    async def publish(self, workspace_id: str, body: PublishAssignments) -> None:
        """Publish the drafts in a range (those the person may change)."""
        path = api_path(_PUBLISH, workspace_id=workspace_id)
        await self.session.send_json("PUT", path, json_body=body.body())

    async def _write(
        self,
        method: str,
        path: str,
        body: Any,
        *,
        params: dict[str, str] | None = None,
        idempotent: bool = False,
    ) -> builtins.list[Assignment]:
        data = await self.session.send_json(
            method, path, params=params, json_body=body, idempotent=idempotent
        )
        return decode_list(Assignment, [] if data is None else data, what="assignments")

    # --- totals --------------------------------------------------------------------------

    async def user_totals(
        self, workspace_id: str, user_id: str, start: datetime, end: datetime
    ) -> UserTotals:
        """One person's booked hours per day and daily capacity."""
        path = api_path(_USER_TOTALS, workspace_id=workspace_id, user_id=user_id)
        params = {"start": format_instant(start), "end": format_instant(end)}
        data, _ = await self.session.get_json(path, params=params)
        return decode(UserTotals, data, what="capacity totals")

    async def users_totals(
        self, workspace_id: str, query: UserTotalsFilter
    ) -> builtins.list[UserTotals]:
        """Everyone's (whom the person may see) booked hours per day and capacity."""
        path = api_path(_USERS_TOTALS, workspace_id=workspace_id)
        return await self._body_paged(path, query, UserTotals, "capacity totals")

    async def projects_totals(
        self, workspace_id: str, query: ProjectTotalsFilter
    ) -> builtins.list[ProjectTotals]:
        """The hours booked per project in a range."""
        path = api_path(_PROJECTS_TOTALS, workspace_id=workspace_id)
        return await self._body_paged(path, query, ProjectTotals, "project totals")

    async def project_totals(
        self, workspace_id: str, project_id: str, start: datetime, end: datetime
    ) -> ProjectTotals:
        """One project's booked hours in a range."""
        path = api_path(_PROJECT_TOTALS, workspace_id=workspace_id, project_id=project_id)
        params = {"start": format_instant(start), "end": format_instant(end)}
        data, _ = await self.session.get_json(path, params=params)
        return decode(ProjectTotals, data, what="project totals")

    async def _body_paged(
        self,
        path: str,
        query: UserTotalsFilter | ProjectTotalsFilter,
        model: type[Any],
        what: str,
    ) -> builtins.list[Any]:
        size = min(max(query.page_size, 1), MAX_PAGE_SIZE)

        async def fetch(page: int, page_size: int) -> Page:
            asked = query.model_copy(update={"page": page, "page_size": page_size})
            data, response = await self._post(path, asked.body())
            last = response.headers.get("last-page", "").strip().lower()
            return Page(data, last=True if last == "true" else None)

        items: builtins.list[Any] = []
        async for one in guarded_pages(fetch, what=what, page_size=size):
            items.extend(decode_list(model, one.items, what=what))
        return items

    async def _post(self, path: str, body: dict[str, Any]) -> tuple[list[Any], Reply]:
        """A read sent as ``POST`` (safe to resend), with its headers."""
        response = await self.session.request("POST", path, json_body=body, idempotent=True)
        data = read_json(response, method="POST", path=path)
        if not isinstance(data, list):
            raise ResponseFormatError(f"Clockify sent a {type(data).__name__} instead of a list.")
        return data, response
