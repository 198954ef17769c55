"""Connecting an account with an API key: the one way, for the settings and ``tracker login``.

Three requests (who the key belongs to, its workspaces with their plans and rules, the
person's profile in the chosen workspace), spent through the store's shared budget ledger
like every other request. Nothing is kept until Clockify accepted the key; then the key is
kept (``keep`` runs on a thread of its own: a keyring may be slow or ask the person, and must
never stall an event loop), and only then is the account recorded, so a key that cannot be
kept leaves no half-connected store behind. The sync round that follows finds the account,
the workspace and the profile known and asks for none of them again.

Callers check the key's shape first (``tracker.integrations.secrets.api_key_problem``): a key
no Clockify key could be never leaves the computer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.api import ClockifyClient, Servers
from tracker.store import Store
from tracker.sync.account import fetch_account, record_account
from tracker.sync.runner import budget_for

__all__ = ["CONNECT_REQUESTS", "Connected", "WorkspaceRef", "connect_key", "key_owner"]

CONNECT_REQUESTS = 3
"""What connecting costs: the user, the workspaces, the member profile."""


@dataclass(frozen=True)
class WorkspaceRef:
    """A workspace the key reaches."""

    id: str
    name: str


@dataclass(frozen=True)
class Connected:
    """Whose key it is, where it syncs, and what moved there from local-only mode.

    Attributes:
        user_id, name, email: the account (name and email are server text: show as plain).
        workspace_id: the workspace chosen (asked for, or the current, active or default one).
        workspaces: every workspace the key reaches.
        moved: local-only entries moved into the workspace (sent by the next round).
    """

    user_id: str
    name: str
    email: str
    workspace_id: str
    workspaces: tuple[WorkspaceRef, ...]
    moved: int

    def workspace_name(self) -> str:
        """The chosen workspace's name (its id when it has none)."""
        names = {ref.id: ref.name for ref in self.workspaces}
        return names.get(self.workspace_id) or self.workspace_id


async def connect_key(
    store: Store,
    key: str,
    servers: Servers,
    *,
    keep: Callable[[str, str], None] | None,
    wanted: str | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> Connected:
    """Check ``key`` with Clockify, keep it with ``keep(key, user_id)`` (``None``: it lives
    elsewhere, such as the environment), then record the account in ``store``.

    Raises:
        tracker.api.ClockifyError: Clockify refused the key (``UnauthorizedError``) or could
            not be reached; nothing was kept or recorded. The message never holds the key.
        tracker.sync.account.WorkspaceChoiceError: ``wanted`` names no workspace, or several.
        Exception: whatever ``keep`` raised (the key was good but could not be kept);
            nothing was recorded.
    """
    key = key.strip()
    options: dict[str, Any] = {
        "servers": servers,
        "budget": budget_for(store, store.meta.workspace_id()),
        **(client_options or {}),
    }
    async with ClockifyClient(key, **options) as api:
        facts = await fetch_account(api, wanted=wanted, current=store.meta.workspace_id())
    if keep is not None:
        await asyncio.to_thread(keep, key, facts.user.id)
    moved = record_account(store, facts, api_url=servers.api)
    user = facts.user
    return Connected(
        user_id=user.id,
        name=user.name or "",
        email=user.email or "",
        workspace_id=facts.chosen,
        workspaces=tuple(WorkspaceRef(ws.id, ws.name) for ws in facts.workspaces),
        moved=moved,
    )


async def key_owner(
    store: Store, key: str, servers: Servers, *, client_options: Mapping[str, Any] | None = None
) -> str:
    """The id of the user ``key`` belongs to on ``servers``: one request, in the budget.

    Confirms whose a key found under the keyring's old shared name is before it is used.

    Raises:
        tracker.api.ClockifyError: refused (``UnauthorizedError``) or not reachable.
    """
    options: dict[str, Any] = {
        "servers": servers,
        "budget": budget_for(store, store.meta.workspace_id()),
        **(client_options or {}),
    }
    async with ClockifyClient(key.strip(), **options) as api:
        user = await api.user.current()
    return user.id
