"""User groups and who manages whom: the one place the test server keeps both.

A team manager in Clockify manages people given to them one by one (``POST /users/{uid}/roles``
with ``TEAM_MANAGER`` and a user's id) or a whole group (the same with ``sourceType:
USER_GROUP`` and the group's id): they then manage whoever is in the group, now or later.
So "whom does Sam manage" is computed here from the groups and the direct grants
(:func:`managed_users`), never stored twice; approvals, time off and reports all ask it.

Groups are kept beside the :class:`~tests.fakeclockify.records.WorkspaceData` (found with
:func:`groups_of`); the time-off book's ``groups`` is the same dictionary, so a holiday or a
policy given to a group follows its members as they change.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from tests.fakeclockify.records import WorkspaceData

__all__ = ["Group", "group_dto", "groups_of", "managed_users", "managers_of_group"]


@dataclass(slots=True)
class Group:
    """A user group: its members, and the team managers given the whole group."""

    id: str
    name: str
    user_ids: list[str] = field(default_factory=list)
    manager_ids: list[str] = field(default_factory=list)


_GROUPS: weakref.WeakKeyDictionary[WorkspaceData, dict[str, Group]] = weakref.WeakKeyDictionary()


def groups_of(data: WorkspaceData) -> dict[str, Group]:
    """The workspace's groups by id (an empty store at first)."""
    found = _GROUPS.get(data)
    if found is None:
        found = _GROUPS[data] = {}
    return found


def managed_users(data: WorkspaceData, manager_id: str) -> set[str]:
    """Everyone ``manager_id`` manages: people given one by one, and the members of the
    groups they manage (not themselves)."""
    member = data.workspace.members.get(manager_id)
    if member is None or "TEAM_MANAGER" not in member.roles:
        return set()
    people = set(member.manages_users)
    for group in groups_of(data).values():
        if manager_id in group.manager_ids:
            people.update(group.user_ids)
    people.discard(manager_id)
    return people


def managers_of_group(data: WorkspaceData, group: Group) -> list[str]:
    """The ids of the group's team managers who still hold the role."""
    members = data.workspace.members
    return [
        user_id
        for user_id in group.manager_ids
        if user_id in members and "TEAM_MANAGER" in members[user_id].roles
    ]


def group_dto(
    data: WorkspaceData, group: Group, *, names: dict[str, str | None], managers: bool
) -> dict[str, Any]:
    """A ``UserGroupDtoV1``; ``teamManagers`` only when asked (``includeTeamManagers``)."""
    body: dict[str, Any] = {
        "id": group.id,
        "name": group.name,
        "userIds": list(group.user_ids),
        "workspaceId": data.id,
    }
    if managers:
        body["teamManagers"] = [
            {"id": user_id, "name": names.get(user_id) or ""}
            for user_id in managers_of_group(data, group)
        ]
    return body
