"""The workspace's people and user groups: reads for everyone, changes for administrators.

Lists go through the page guards. ``POST /users/info`` pages in its body (``page``,
``pageSize``; FACTS §2) and is read page by page like a query-paged list, stopping on
``Last-Page``. Changes are sent once (``idempotent=False``): a rate, status or role whose
answer was lost is read back by the service above before it is asked again, so a slow server
never gets the same change twice, and a revoked role is never "revoked" again into a 400.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator

from tracker.api.explain import read_json
from tracker.api.models.account import UsersFilter
from tracker.api.models.base import decode, decode_list
from tracker.api.models.team import (
    FieldValueChange,
    GroupMemberAdd,
    GroupName,
    Person,
    PersonFieldValue,
    PersonInvite,
    RateChange,
    RoleGrant,
    StatusChange,
    UserGroup,
)
from tracker.api.pagination import DEFAULT_PAGE_SIZE, Page, guarded_pages
from tracker.api.paths import api_path
from tracker.api.resources.base import Collection
from tracker.api.session import ApiSession

__all__ = ["TeamResource"]

_WS = "/v1/workspaces/{workspace_id}"
_USERS = _WS + "/users"
_USER = _USERS + "/{user_id}"
_RATES = {"hourly": _USER + "/hourly-rate", "cost": _USER + "/cost-rate"}
_GROUPS = _WS + "/user-groups"
_GROUP = _GROUPS + "/{group_id}"


class TeamResource:
    """People (``/users``) and user groups (``/user-groups``) of one workspace."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session
        self._people = Collection(session, Person, "person", "workspace users")
        self._groups = Collection(session, UserGroup, "user group", "user groups")

    # --- people --------------------------------------------------------------------------

    def people(
        self,
        workspace_id: str,
        *,
        email: str | None = None,
        name: str | None = None,
        project_id: str | None = None,
        status: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[Person]:
        """Everyone matching the query filters, with their workspace membership (rates,
        status) and custom-field values."""
        params = {
            "email": email,
            "name": name,
            "project-id": project_id,
            "status": status,
            "memberships": "WORKSPACE",
        }
        return self._people.iterate(api_path(_USERS, workspace_id=workspace_id), params, page_size)

    async def search(self, workspace_id: str, query: UsersFilter) -> builtins.list[Person]:
        """Everyone matching a ``POST /users/info`` body, every page: the only filter by
        role and by group (FACTS §6)."""
        path = api_path(_USERS + "/info", workspace_id=workspace_id)
        size = max(query.page_size, 1)

        async def fetch(page: int, page_size: int) -> Page:
            asked = query.model_copy(update={"page": page, "page_size": page_size})
            reply = await self.session.request(
                "POST", path, json_body=asked.body(), idempotent=True
            )
            data = read_json(reply, method="POST", path=path)
            last = reply.headers.get("last-page", "").strip().lower()
            items = decode_list(Person, data, what="workspace users")
            return Page(items, last=True if last == "true" else None)

        found: builtins.list[Person] = []
        async for one in guarded_pages(fetch, what="workspace users", page_size=size):
            found.extend(one.items)
        return found

    async def invite(self, workspace_id: str, email: str, *, send_email: bool = True) -> None:
        """Add someone by email (a pending membership; paid workspaces only). Not resent:
        a second invitation of someone already added is refused."""
        await self.session.send_json(
            "POST",
            api_path(_USERS, workspace_id=workspace_id),
            params={"send-email": "true" if send_email else "false"},
            json_body=PersonInvite(email=email).body(),
            idempotent=False,
        )

    async def set_status(self, workspace_id: str, user_id: str, *, active: bool) -> None:
        """Reactivate (``ACTIVE``) or deactivate (``INACTIVE``) someone's membership."""
        change = StatusChange(status="ACTIVE" if active else "INACTIVE")
        await self._send("PUT", api_path(_USER, workspace_id=workspace_id, user_id=user_id), change)

    async def set_rate(
        self, workspace_id: str, user_id: str, kind: str, change: RateChange
    ) -> None:
        """Set the person's ``hourly`` or ``cost`` rate (cents)."""
        if kind not in _RATES:
            raise ValueError(f"unknown rate kind {kind!r}")
        path = api_path(_RATES[kind], workspace_id=workspace_id, user_id=user_id)
        await self._send("PUT", path, change)

    async def grant(self, workspace_id: str, user_id: str, role: RoleGrant) -> None:
        """Give a role (admin, team manager of a person or group, project manager)."""
        path = api_path(_USER + "/roles", workspace_id=workspace_id, user_id=user_id)
        await self._send("POST", path, role)

    async def revoke(self, workspace_id: str, user_id: str, role: RoleGrant) -> None:
        """Take one grant of a role away."""
        path = api_path(_USER + "/roles", workspace_id=workspace_id, user_id=user_id)
        await self._send("DELETE", path, role)

    async def set_field_value(
        self, workspace_id: str, user_id: str, field_id: str, value: object
    ) -> PersonFieldValue:
        """Set (``None``: clear) the person's value of a USER custom field."""
        path = api_path(
            _USER + "/custom-field/{field_id}/value",
            workspace_id=workspace_id,
            user_id=user_id,
            field_id=field_id,
        )
        data = await self.session.send_json(
            "PUT", path, json_body=FieldValueChange(value=value).body(), idempotent=False
        )
        return decode(PersonFieldValue, data, what="custom field value")

    async def _send(
        self, method: str, path: str, body: RoleGrant | RateChange | StatusChange
    ) -> None:
        await self.session.send_json(method, path, json_body=body.body(), idempotent=False)

    # --- groups --------------------------------------------------------------------------

    def groups(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        project_id: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[UserGroup]:
        """Groups (with their team managers), filtered by name or project."""
        params = {"name": name, "project-id": project_id, "includeTeamManagers": True}
        return self._groups.iterate(api_path(_GROUPS, workspace_id=workspace_id), params, page_size)

    async def create_group(self, workspace_id: str, name: str) -> UserGroup:
        """A new, empty group. Not resent: the service looks for it by name first."""
        data = await self.session.send_json(
            "POST",
            api_path(_GROUPS, workspace_id=workspace_id),
            json_body=GroupName(name=name).body(),
            idempotent=False,
        )
        return decode(UserGroup, data, what="user group")

    async def rename_group(self, workspace_id: str, group_id: str, name: str) -> UserGroup:
        """Rename a group. Not resent: the service reads the name back first (another
        administrator may have renamed it meanwhile)."""
        path = api_path(_GROUP, workspace_id=workspace_id, group_id=group_id)
        data = await self.session.send_json(
            "PUT", path, json_body=GroupName(name=name).body(), idempotent=False
        )
        return decode(UserGroup, data, what="user group")

    async def delete_group(self, workspace_id: str, group_id: str) -> None:
        """Delete a group (its people stay). Not resent: a group already gone is refused."""
        path = api_path(_GROUP, workspace_id=workspace_id, group_id=group_id)
        await self.session.send_json("DELETE", path, idempotent=False)

    async def add_to_group(self, workspace_id: str, group_id: str, user_id: str) -> UserGroup:
        """Put someone in a group (already there: no change, so resending is safe)."""
        path = api_path(_GROUP + "/users", workspace_id=workspace_id, group_id=group_id)
        return await self._groups.send("POST", path, GroupMemberAdd(user_id=user_id).body())

    async def remove_from_group(self, workspace_id: str, group_id: str, user_id: str) -> UserGroup:
        """Take someone out of a group. Not resent (a second removal is refused)."""
        path = api_path(
            _GROUP + "/users/{user_id}",
            workspace_id=workspace_id,
            group_id=group_id,
            user_id=user_id,
        )
        data = await self.session.send_json("DELETE", path, idempotent=False)
        return decode(UserGroup, data, what="user group")
