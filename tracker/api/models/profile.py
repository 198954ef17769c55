"""Changes to a member profile: the daily capacity, working days and week start.

The profile itself is read as :class:`~tracker.api.models.account.MemberProfile`.
``workCapacity`` is an ISO duration (``PT7H``, FACTS §4); ``workingDays`` a list of days.
"""

from __future__ import annotations

from tracker.api.models.base import RequestModel

__all__ = ["WEEKDAYS", "MemberProfileUpdate"]

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
"""Clockify's names of the days, Monday first (``date.weekday()`` order)."""


class MemberProfileUpdate(RequestModel):
    """Body of ``PATCH /member-profile/{uid}``: only what is given changes."""

    work_capacity: str | None = None
    working_days: list[str] | None = None
    week_start: str | None = None
