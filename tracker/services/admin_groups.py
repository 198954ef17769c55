"""The workspace's user groups, for its owner, admins and managers: made, renamed, deleted,
joined and left.

Groups are part of the team's kept copy (``admin:team:<ws>``, read by
:class:`~tracker.services.admin_people.Team`), so a change here shows at once in the team's
people too. Each change is sent at once and never twice: one whose answer was lost is read
back (a new group is looked for by name), and sent again only when the read shows it did not
land.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from tracker.api.models.team import UserGroup
from tracker.services.admin_base import AdminError, speaking
from tracker.services.admin_people import GroupView, PersonView, Team, group_view

__all__ = ["Groups"]


class Groups(Team):
    """The team of the connected workspace, and changes to its groups."""

    async def create_group(self, name: str) -> GroupView:
        """A new group; one whose answer was lost, or whose process was killed while it was
        out, is looked for by name before it is sent again (:meth:`ServerFirst.send_once`)."""
        ws = self.workspace_id
        clean = " ".join(name.split())
        if not clean:
            raise AdminError("A group needs a name.")

        async def by_name() -> UserGroup | None:
            with speaking(f"look for the group {clean}"):
                found = [g async for g in self.api.team.groups(ws, name=clean)]
            return next((g for g in found if g.name.casefold() == clean.casefold()), None)

        async def send() -> UserGroup:
            return await self.api.team.create_group(ws, clean)

        key = f"group:{clean.casefold()}"
        made = await self.send_once(key, f"create the group {clean}", by_name, send)
        view = group_view(made)
        self.amend(lambda data: data.setdefault("groups", []).append(asdict(view)))
        return view

    async def rename_group(self, group: GroupView, name: str) -> GroupView:
        """Rename a group; a rename whose answer was lost is read back before it is sent
        again (sent twice, it could undo another administrator's rename in between)."""
        clean = " ".join(name.split())
        if not clean:
            raise AdminError("A group needs a name.")
        ws = self.workspace_id

        async def renamed() -> bool:
            found = [g async for g in self.api.team.groups(ws)]
            return any(g.id == group.id and g.name == clean for g in found)

        await self._once(
            f"rename the group {group.name}",
            lambda: self.api.team.rename_group(ws, group.id, clean),
            renamed,
        )
        self._amend_group(group.id, name=clean)
        return replace(group, name=clean)

    async def delete_group(self, group: GroupView) -> None:
        """Delete a group (its people stay in the workspace)."""
        ws = self.workspace_id

        async def gone() -> bool:
            return all(g.id != group.id for g in [g async for g in self.api.team.groups(ws)])

        await self._once(
            f"delete the group {group.name}", lambda: self.api.team.delete_group(ws, group.id), gone
        )
        self.amend(
            lambda data: data.__setitem__(
                "groups", [g for g in data.get("groups", []) if g["id"] != group.id]
            )
        )

    async def add_member(self, group: GroupView, person: PersonView) -> None:
        """Put someone in a group (sending it twice does no harm: already there is kept)."""
        ws = self.workspace_id

        async def inside() -> bool:
            found = [g async for g in self.api.team.groups(ws)]
            return any(g.id == group.id and person.id in g.user_ids for g in found)

        await self._once(
            f"add {person.name} to {group.name}",
            lambda: self.api.team.add_to_group(ws, group.id, person.id),
            inside,
        )
        members = [*group.member_ids, *([] if person.id in group.member_ids else [person.id])]
        self._amend_group(group.id, member_ids=members)
        self._amend_person(person.id, groups=sorted({*person.groups, group.name}))

    async def remove_member(self, group: GroupView, person: PersonView) -> None:
        """Take someone out of a group."""
        ws = self.workspace_id

        async def out() -> bool:
            found = [g async for g in self.api.team.groups(ws)]
            return any(g.id == group.id and person.id not in g.user_ids for g in found)

        await self._once(
            f"take {person.name} out of {group.name}",
            lambda: self.api.team.remove_from_group(ws, group.id, person.id),
            out,
        )
        self._amend_group(group.id, member_ids=[i for i in group.member_ids if i != person.id])
        self._amend_person(person.id, groups=[g for g in person.groups if g != group.name])

    def _amend_group(self, group_id: str, **changes: Any) -> None:
        def change(data: dict[str, Any]) -> None:
            for raw in data.get("groups", []):
                if raw["id"] == group_id:
                    raw.update(changes)

        self.amend(change)
