"""The current user, workspaces, workspace users and member profiles."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence

from tracker.api.models import MemberProfile, User, UsersFilter, Workspace, decode, decode_list
from tracker.api.pagination import DEFAULT_PAGE_SIZE, iterate_items
from tracker.api.paths import api_path
from tracker.api.session import ApiSession

__all__ = ["UserResource", "UsersResource", "WorkspacesResource"]

_WORKSPACE = "/v1/workspaces/{workspace_id}"


class UserResource:
    """``/v1/user``: who the API key belongs to."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    async def current(self, *, include_memberships: bool | None = None) -> User:
        """The key's user, with profile time zone and week start. Also checks a key."""
        data, _ = await self._session.get_json(
            "/v1/user", params={"include-memberships": include_memberships}
        )
        return decode(User, data, what="user")


class WorkspacesResource:
    """``/v1/workspaces``: the user's workspaces and their settings."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    async def list(self, *, roles: Sequence[str] | None = None) -> builtins.list[Workspace]:
        """Every workspace of the user (this endpoint ignores paging)."""
        params = {"roles": ",".join(roles)} if roles else None
        data, _ = await self._session.get_json("/v1/workspaces", params=params)
        return decode_list(Workspace, data, what="workspaces")

    async def get(self, workspace_id: str) -> Workspace:
        """One workspace, with ``workspaceSettings`` (force rules, lock date)."""
        data, _ = await self._session.get_json(api_path(_WORKSPACE, workspace_id=workspace_id))
        return decode(Workspace, data, what="workspace")


class UsersResource:
    """``/v1/workspaces/{ws}/users``: the members of a workspace."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def list(
        self,
        workspace_id: str,
        *,
        email: str | None = None,
        name: str | None = None,
        project_id: str | None = None,
        status: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[User]:
        """Members, filtered by email, name, project access or membership status."""
        return iterate_items(
            self._session,
            api_path(_WORKSPACE + "/users", workspace_id=workspace_id),
            User,
            what="workspace users",
            params={"email": email, "name": name, "project-id": project_id, "status": status},
            page_size=page_size,
        )

    async def search(self, workspace_id: str, query: UsersFilter) -> builtins.list[User]:
        """One page of ``POST /users/info``: the only endpoint that filters by role."""
        data = await self._session.send_json(
            "POST",
            api_path(_WORKSPACE + "/users/info", workspace_id=workspace_id),
            json_body=query.body(),
            idempotent=True,  # a search changes nothing, so resending is safe
        )
        return decode_list(User, data, what="workspace users")

    async def profile(self, workspace_id: str, user_id: str) -> MemberProfile:
        """The member profile: daily work capacity and working days."""
        data, _ = await self._session.get_json(
            api_path(
                _WORKSPACE + "/member-profile/{user_id}", workspace_id=workspace_id, user_id=user_id
            )
        )
        return decode(MemberProfile, data, what="member profile")
