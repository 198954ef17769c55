"""The time-off part of every seed: two policies, a balance for each seeded person, a group
and a holiday inside the seeded weeks.

- "Vacation" counts days, allows half days and needs approval; everyone has 25 days.
- "Appointments" counts hours and needs approval; everyone has 16 hours.
- "Product team" is the group Sam Rivera manages (Priya Shah's), when the team is seeded.
- "Founders' Day", every year, on the Wednesday of last week, for everyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.fakeclockify.state import State
from tests.fakeclockify.timeoff import Group, Holiday, Policy, book

__all__ = ["HOLIDAY_NAME", "HOURS_POLICY", "VACATION_POLICY", "seed_time_off"]

VACATION_POLICY = "Vacation"
HOURS_POLICY = "Appointments"
HOLIDAY_NAME = "Founders' Day"
_TEAM_GROUP = ("Sam Rivera", "Priya Shah")


def seed_time_off(state: State, workspace_id: str, owner_id: str) -> None:
    """Add the policies, balances, group and holiday to the workspace."""
    with state.lock:
        data = state.workspaces[workspace_id]
        books = book(data)
        vacation = Policy(
            id=state.new_id(), name=VACATION_POLICY, time_unit="DAYS", allow_half_day=True
        )
        hours = Policy(id=state.new_id(), name=HOURS_POLICY, time_unit="HOURS", icon="CALENDAR")
        for policy, total in ((vacation, 25.0), (hours, 16.0)):
            books.policies[policy.id] = policy
            for user_id in data.workspace.members:
                books.balance(state.new_id(), policy.id, user_id).total = total
        names = {state.users[u].name: u for u in data.workspace.members}
        team = [names[n] for n in _TEAM_GROUP if n in names]
        if team:
            group = Group(id=state.new_id(), name="Product team", user_ids=team)
            books.groups[group.id] = group
        zone = ZoneInfo(state.users[owner_id].time_zone)
        today = datetime.fromtimestamp(state.now(), zone).date()
        wednesday = today - timedelta(days=today.weekday() + 7) + timedelta(days=2)
        holiday = Holiday(
            id=state.new_id(),
            name=HOLIDAY_NAME,
            start=wednesday,
            end=wednesday,
            occurs_annually=True,
            everyone_including_new=True,
        )
        books.holidays[holiday.id] = holiday
        state.touch()
