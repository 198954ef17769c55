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
from tracker.store import Store
from tracker.sync.account import connect_account
from tracker.sync.engine import SyncEngine, SyncReport
from tracker.sync.ledger import StoreBudgetLedger

__all__ = [
    "budget_for",
    "limits_for",
    "sync_now",
    "sync_once",
]


def _now() -> datetime:
    return datetime.now(UTC)


def limits_for(store: Store, workspace_id: str | None) -> RateLimits:
    """A workspace's request limits: 30 an hour unless it is known to be on a paid plan."""
    info = store.meta.workspace(workspace_id) if workspace_id else None
    return PAID_PLAN if info is not None and not info.free_plan else FREE_PLAN


def budget_for(store: Store, workspace_id: str | None) -> RequestBudget:
    """The request budget for a workspace, shared with every process through the store."""
    return RequestBudget(limits_for(store, workspace_id), ledger=StoreBudgetLedger(store))


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
        workspace_id, _ = await connect_account(store, api)
        api.budget.configure(limits_for(store, workspace_id))
        account = store.meta.get("account") or {}
        engine = SyncEngine(
            store, api, workspace_id=workspace_id, user_id=account["user_id"], clock=clock
        )
        return await engine.run_once(pull=pull)


def sync_now(store: Store, api_key: str, servers: Servers) -> SyncReport:
    """Run one sync round to completion on a fresh event loop (for the CLI)."""
    return asyncio.run(sync_once(store, api_key, servers))
