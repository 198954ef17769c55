"""One sync round for a process that has no worker thread (the CLI).

It builds the client with the store-backed budget ledger, makes sure the account and its
workspace are known, moves local-only data into the workspace the first time an account is
connected, and runs one :class:`~tracker.sync.engine.SyncEngine` round.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from tracker.api import FREE_PLAN, PAID_PLAN, ClockifyClient, RateLimits, RequestBudget, Servers
from tracker.domain.model import Profile, WorkspaceInfo, WorkspaceRules
from tracker.store import Store
from tracker.sync.engine import SyncEngine, SyncReport
from tracker.sync.ledger import StoreBudgetLedger

__all__ = [
    "LOCAL_WORKSPACE",
    "budget_for",
    "connect_account",
    "limits_for",
    "sync_now",
    "sync_once",
]

LOCAL_WORKSPACE = "local"
"""The workspace id of data made with no account connected."""


def _now() -> datetime:
    return datetime.now(UTC)


def limits_for(store: Store, workspace_id: str | None) -> RateLimits:
    """A workspace's request limits: 30 an hour unless it is known to be on a paid plan."""
    info = store.meta.workspace(workspace_id) if workspace_id else None
    return PAID_PLAN if info is not None and not info.free_plan else FREE_PLAN


def budget_for(store: Store, workspace_id: str | None) -> RequestBudget:
    """The request budget for a workspace, shared with every process through the store."""
    return RequestBudget(limits_for(store, workspace_id), ledger=StoreBudgetLedger(store))


async def connect_account(
    store: Store, api: ClockifyClient, workspace_id: str | None = None
) -> str:
    """Learn who the key belongs to and which workspace to use; returns the workspace id.

    Three requests the first time (user, workspace, member profile), none afterwards.
    """
    account = store.meta.get("account")
    chosen = workspace_id or store.meta.get("workspace_id")
    if account and chosen and chosen != LOCAL_WORKSPACE and store.meta.workspace(chosen):
        return str(chosen)
    user = await api.user.current()
    chosen = (
        chosen
        if chosen and chosen != LOCAL_WORKSPACE
        else (user.active_workspace or user.default_workspace)
    )
    if not chosen:
        raise ValueError("this Clockify account has no workspace")
    workspace = await api.workspaces.get(chosen)
    settings = workspace.workspace_settings
    store.meta.save_workspace(
        WorkspaceInfo(
            workspace.id,
            workspace.name,
            WorkspaceRules(
                require_project=settings.force_projects,
                require_task=settings.force_tasks,
                require_tags=settings.force_tags,
                require_description=settings.force_description,
            ),
            free_plan=workspace.is_free_plan,
        )
    )
    capacity = None
    try:
        capacity = (await api.users.profile(chosen, user.id)).work_capacity
    except Exception:
        capacity = None
    profile_settings = user.settings
    store.meta.save_profile(
        Profile(
            user_id=user.id,
            name=user.name,
            email=user.email,
            time_zone=profile_settings.time_zone if profile_settings else None,
            week_start=(profile_settings.week_start if profile_settings else None) or "MONDAY",
            daily_capacity=capacity,
        )
    )
    store.meta.set("account", {"user_id": user.id, "name": user.name, "email": user.email})
    store.meta.set("workspace_id", chosen)
    store.meta.set("auth_required", None)
    moved = store.move_workspace(LOCAL_WORKSPACE, chosen)
    if moved:
        store.meta.set("uploaded_local_entries", moved)
    return str(chosen)


async def sync_once(
    store: Store,
    api_key: str,
    servers: Servers,
    *,
    pull: bool = True,
    clock: Callable[[], datetime] = _now,
) -> SyncReport:
    """Connect if needed and run one round."""
    workspace_id = store.meta.get("workspace_id")
    async with ClockifyClient(
        api_key, servers=servers, budget=budget_for(store, workspace_id)
    ) as api:
        workspace_id = await connect_account(store, api)
        api.budget.configure(limits_for(store, workspace_id))
        account = store.meta.get("account") or {}
        engine = SyncEngine(
            store, api, workspace_id=workspace_id, user_id=account["user_id"], clock=clock
        )
        return await engine.run_once(pull=pull)


def sync_now(store: Store, api_key: str, servers: Servers) -> SyncReport:
    """Run one sync round to completion on a fresh event loop (for the CLI)."""
    return asyncio.run(sync_once(store, api_key, servers))
