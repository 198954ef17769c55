"""Many people at once, for benchmarks of the team's pages and reads (2,000 in well under a
second): ``seed_people(server.state, server.workspace_id, 2000)``.

Each person gets a name, an email, rates (every third without, so the workspace's applies),
and a place in one of ``groups`` groups managed by the workspace's team manager, if any.
"""

from __future__ import annotations

from tests.fakeclockify.groups import Group, groups_of
from tests.fakeclockify.records import Member, User
from tests.fakeclockify.state import State

__all__ = ["seed_people"]


def seed_people(state: State, workspace_id: str, count: int, *, groups: int = 20) -> list[str]:
    """Add ``count`` members (and ``groups`` groups holding them) to the workspace; returns
    their ids."""
    with state.lock:
        data = state.workspaces[workspace_id]
        managers = [m.user_id for m in data.workspace.members.values() if "TEAM_MANAGER" in m.roles]
        made = [
            Group(state.new_id(), f"Bulk group {n:03d}", manager_ids=managers[:1])
            for n in range(1, groups + 1)
        ]
        for group in made:
            groups_of(data)[group.id] = group
        ids = []
        for number in range(1, count + 1):
            user = User(
                id=state.new_id(),
                name=f"Bulk Person {number:05d}",
                email=f"bulk.person.{number:05d}@example.com",
                default_workspace=workspace_id,
                active_workspace=workspace_id,
            )
            state.users[user.id] = user
            rate = (
                None if number % 3 == 0 else {"amount": 5000 + number % 50 * 100, "currency": "EUR"}
            )
            data.workspace.members[user.id] = Member(
                user.id, [], status="INACTIVE" if number % 50 == 0 else "ACTIVE", hourly_rate=rate
            )
            if made:
                made[number % len(made)].user_ids.append(user.id)
            ids.append(user.id)
        state.touch()
        return ids
