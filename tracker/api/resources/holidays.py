"""Holidays (``/v1/workspaces/{ws}/holidays``) and member profiles.

Both holiday lists ignore paging and return the whole set (FACTS §2), so each is one request.
``in-period`` needs all three of ``assigned-to``, ``start`` and ``end`` (FACTS "Holidays").
"""

from __future__ import annotations

import builtins
from datetime import UTC, date, datetime, time

from tracker.api.models.account import MemberProfile
from tracker.api.models.base import decode, decode_list, format_instant
from tracker.api.models.holidays import Holiday, HolidayWrite
from tracker.api.models.profile import MemberProfileUpdate
from tracker.api.paths import api_path
from tracker.api.resources.base import Collection
from tracker.api.session import ApiSession

__all__ = ["HolidaysResource", "MemberProfileResource"]

_HOLIDAYS = "/v1/workspaces/{workspace_id}/holidays"
_HOLIDAY = _HOLIDAYS + "/{holiday_id}"
_IN_PERIOD = _HOLIDAYS + "/in-period"
_PROFILE = "/v1/workspaces/{workspace_id}/member-profile/{user_id}"


class HolidaysResource:
    """Holidays of one workspace."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session
        self._items = Collection(session, Holiday, "holiday", "holidays")

    async def list(
        self, workspace_id: str, *, assigned_to: str | None = None
    ) -> builtins.list[Holiday]:
        """Every holiday (the person's with ``assigned_to``)."""
        data, _ = await self.session.get_json(
            api_path(_HOLIDAYS, workspace_id=workspace_id), params={"assigned-to": assigned_to}
        )
        return decode_list(Holiday, data, what="holidays")

    async def in_period(
        self, workspace_id: str, user_id: str, first: date, last: date
    ) -> builtins.list[Holiday]:
        """The person's holidays with a day between ``first`` and ``last``."""
        params = {
            "assigned-to": user_id,
            "start": format_instant(datetime.combine(first, time(0), UTC)),
            "end": format_instant(datetime.combine(last, time(23, 59, 59), UTC)),
        }
        data, _ = await self.session.get_json(
            api_path(_IN_PERIOD, workspace_id=workspace_id), params=params
        )
        return decode_list(Holiday, data, what="holidays")

    async def create(self, workspace_id: str, holiday: HolidayWrite) -> Holiday:
        """Create a holiday (owner and admins)."""
        path = api_path(_HOLIDAYS, workspace_id=workspace_id)
        return await self._items.send("POST", path, holiday.body())

    async def replace(self, workspace_id: str, holiday_id: str, holiday: HolidayWrite) -> Holiday:
        """Replace a holiday."""
        path = api_path(_HOLIDAY, workspace_id=workspace_id, holiday_id=holiday_id)
        return await self._items.send("PUT", path, holiday.body())

    async def delete(self, workspace_id: str, holiday_id: str) -> None:
        """Delete a holiday."""
        await self._items.delete(
            api_path(_HOLIDAY, workspace_id=workspace_id, holiday_id=holiday_id)
        )


class MemberProfileResource:
    """``/member-profile/{uid}``: capacity, working days and week start."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, user_id: str) -> MemberProfile:
        """The member's profile."""
        data, _ = await self.session.get_json(
            api_path(_PROFILE, workspace_id=workspace_id, user_id=user_id)
        )
        return decode(MemberProfile, data, what="member profile")

    async def update(
        self, workspace_id: str, user_id: str, change: MemberProfileUpdate
    ) -> MemberProfile:
        """Change what ``change`` gives; answers the whole profile."""
        data = await self.session.send_json(
            "PATCH",
            api_path(_PROFILE, workspace_id=workspace_id, user_id=user_id),
            json_body=change.body(),
        )
        return decode(MemberProfile, data, what="member profile")
