"""Account questions the settings ask before anything is saved: is this key good, and where.

:func:`check_key` is a coroutine for :meth:`tracker.bridge.worker.SyncWorker.call`, so the
settings dialog never waits on the network. :func:`servers_for` is the Qt-free choice the CLI
makes too (:mod:`tracker.sync.servers`), re-exported here for the GUI.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.api import ClockifyClient, RequestBudget, Servers
from tracker.api.budget import FREE_PLAN
from tracker.integrations.secrets import api_key_problem
from tracker.sync.servers import servers_for

__all__ = ["AccountInfo", "WorkspaceRef", "check_key", "servers_for"]


@dataclass(frozen=True)
class WorkspaceRef:
    """A workspace as the settings list it."""

    id: str
    name: str


@dataclass(frozen=True)
class AccountInfo:
    """Who an API key belongs to and which workspaces it reaches."""

    user_id: str
    name: str
    email: str
    workspaces: tuple[WorkspaceRef, ...]
    active_workspace: str | None = None


async def check_key(
    key: str, servers: Servers, *, budget: RequestBudget | None = None
) -> AccountInfo:
    """Ask Clockify whose key this is (two requests: the user, the workspaces).

    Raises:
        tracker.api.ClockifyError: a subclass saying what went wrong (``UnauthorizedError``
            for a wrong key, ``TransportError`` when offline); the message is for people and
            never contains the key.
        ValueError: the key is empty or has characters no Clockify key has.
    """
    problem = api_key_problem(key.strip())
    if problem is not None:
        raise ValueError(f"{problem}.")
    async with ClockifyClient(
        key.strip(), servers=servers, budget=budget or RequestBudget(FREE_PLAN)
    ) as api:
        user = await api.user.current()
        workspaces = await api.workspaces.list()
    return AccountInfo(
        user_id=user.id,
        name=user.name or "",
        email=user.email or "",
        workspaces=tuple(WorkspaceRef(ws.id, ws.name) for ws in workspaces),
        active_workspace=user.active_workspace or user.default_workspace,
    )
