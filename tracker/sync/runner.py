"""One sync round for a process that has no worker thread (the CLI), and the lease every
process holds while it runs rounds.

It builds the client with the store-backed budget ledger, makes sure the account and its
workspace are known, moves local-only data into the workspace the first time an account is
connected, and runs one :class:`~tracker.sync.engine.SyncEngine` round.

The engine assumes one sender per store (an unclear create is looked for on Clockify, and two
processes looking at once could both decide to resend it), so a round runs only under the
store's sync lease: a record in the meta table, taken and released atomically, naming its
holder's process (pid, and on Linux when it started, since a pid is reused) and expiring on
its own if the holder dies without releasing it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker.api import (
    FREE_PLAN,
    PAID_PLAN,
    ClockifyClient,
    ClockifyError,
    RateLimits,
    RequestBudget,
    Servers,
    UnauthorizedError,
)
from tracker.store import Store
from tracker.sync.account import connect_account
from tracker.sync.engine import SyncEngine, SyncReport, note_failure
from tracker.sync.ledger import StoreBudgetLedger
from tracker.sync.servers import servers_for

__all__ = [
    "LEASE_KEY",
    "LEASE_SECONDS",
    "SyncBusyError",
    "SyncLease",
    "budget_for",
    "fetch_references",
    "lease_holder",
    "limits_for",
    "report_json",
    "servers_for",
    "sync_now",
    "sync_once",
    "take_lease",
    "wait_for_lease",
]

LEASE_KEY = "sync_lease"
LEASE_SECONDS = 300.0
"""How long a lease lasts unless renewed: longer than any round (a round ends when the
budget runs out, and requests time out after seconds)."""


class SyncBusyError(Exception):
    """Another process runs sync rounds on this store; the message says who."""


@dataclass(frozen=True)
class SyncLease:
    """The right to run sync rounds on one store, until released or expired."""

    store: Store
    token: str

    def renew(
        self, seconds: float = LEASE_SECONDS, *, now: Callable[[], float] = time.time
    ) -> bool:
        """Push the expiry out; ``False`` when the lease was lost (expired and taken)."""

        def change(held: Any) -> tuple[Any, bool]:
            if not isinstance(held, dict) or held.get("token") != self.token:
                return held, False
            return {**held, "expires": now() + seconds}, True

        return self.store.meta.update(LEASE_KEY, change)

    def release(self) -> None:
        """Give the lease back (a lease already lost stays with its new holder)."""

        def change(held: Any) -> tuple[Any, None]:
            if isinstance(held, dict) and held.get("token") == self.token:
                return None, None
            return held, None

        self.store.meta.update(LEASE_KEY, change)


def process_started(pid: int) -> str | None:
    """When process ``pid`` started, as a token a reused pid does not share; ``None`` where
    that is not cheap to learn (no ``/proc``: macOS, Windows) or the process is gone.

    Linux: this boot's id and field 22 of ``/proc/<pid>/stat`` (start time in clock ticks
    since boot); the boot id keeps a pid and tick from a previous boot from matching.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None
    # Field 2 is the command name in parentheses and may itself hold ") "; field 3 follows
    # the last ")", so field 22 is the 20th after it.
    fields = stat.rpartition(b")")[2].split()
    if len(fields) < 20 or not fields[19].isdigit():
        return None
    return f"{boot}:{int(fields[19])}"


def _holder_gone(held: dict[str, Any], now: float) -> bool:
    """Whether a recorded lease no longer binds: expired, or its process died on this host
    (no such pid, or the pid now names a process that started at another time)."""
    if float(held.get("expires") or 0) <= now:
        return True
    if held.get("host") != socket.gethostname() or os.name != "posix":
        return False  # (os.kill on Windows would end the process, not probe it)
    try:
        pid = int(held.get("pid") or 0)
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's: its start time still tells whether it is the holder
    except (OverflowError, ValueError):
        return False
    started = held.get("started")
    if started is None:
        return False  # the holder could not tell when it started: only expiry frees it
    current = process_started(pid)
    return current is not None and current != started


def take_lease(
    store: Store,
    owner: str,
    *,
    seconds: float = LEASE_SECONDS,
    now: Callable[[], float] = time.time,
) -> SyncLease | None:
    """Take the store's sync lease, or ``None`` when another holder has it."""
    token = uuid.uuid4().hex

    def change(held: Any) -> tuple[Any, bool]:
        at = now()
        if isinstance(held, dict) and not _holder_gone(held, at):
            return held, False
        mine = {
            "token": token,
            "owner": owner,
            "pid": os.getpid(),
            "started": process_started(os.getpid()),
            "host": socket.gethostname(),
            "expires": at + seconds,
        }
        return mine, True

    return SyncLease(store, token) if store.meta.update(LEASE_KEY, change) else None


def lease_holder(store: Store) -> dict[str, Any] | None:
    """Who holds the lease now (``owner``, ``pid``, ``expires``), or ``None``."""
    held = store.meta.get(LEASE_KEY)
    if not isinstance(held, dict) or _holder_gone(held, time.time()):
        return None
    return held


def wait_for_lease(
    store: Store, owner: str, *, wait: float, poll: float = 0.1, seconds: float = LEASE_SECONDS
) -> SyncLease:
    """Take the lease, waiting up to ``wait`` seconds for its holder to finish.

    Raises:
        SyncBusyError: it is still held after ``wait``.
    """
    deadline = time.monotonic() + wait
    while True:
        lease = take_lease(store, owner, seconds=seconds)
        if lease is not None:
            return lease
        if time.monotonic() >= deadline:
            held = lease_holder(store) or {}
            who = "the tray app" if held.get("owner") == "app" else "another tracker process"
            raise SyncBusyError(
                f"{who} is syncing this store right now (process {held.get('pid', '?')}); "
                "try again in a moment."
            )
        time.sleep(poll)


def report_json(report: SyncReport) -> dict[str, Any]:
    """A round's report as plain values (the CLI's ``--json`` and the app's reply)."""
    data = asdict(report)
    data["parked"] = [list(pair) for pair in report.parked]
    data["rejected"] = [list(pair) for pair in report.rejected]
    data["complete"] = report.complete
    return data


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
    lease_wait: float = 0.0,
    owner: str = "cli",
) -> SyncReport:
    """Connect if needed and run one round under the store's sync lease.

    Raises:
        SyncBusyError: another process still holds the lease after ``lease_wait`` seconds.
    """
    lease = wait_for_lease(store, owner, wait=lease_wait)
    try:
        return await _round(store, api_key, servers, pull=pull, clock=clock)
    finally:
        lease.release()


async def _round(
    store: Store,
    api_key: str,
    servers: Servers,
    *,
    pull: bool,
    clock: Callable[[], datetime],
) -> SyncReport:
    workspace_id = store.meta.workspace_id()
    async with ClockifyClient(
        api_key, servers=servers, budget=budget_for(store, workspace_id)
    ) as api:
        workspace_id, _ = await connect_account(store, api)
        api.budget.configure(limits_for(store, workspace_id))
        account = store.meta.account() or {}
        engine = SyncEngine(
            store, api, workspace_id=workspace_id, user_id=account["user_id"], clock=clock
        )
        return await engine.run_once(pull=pull)


async def fetch_references(
    store: Store,
    api_key: str,
    servers: Servers,
    *,
    clock: Callable[[], datetime] = _now,
    lease_wait: float = 0.0,
    owner: str = "cli",
) -> SyncReport:
    """Connect if needed and fetch the workspace's projects, tasks, tags, clients and custom
    fields, nothing else: what a verb that names them needs before any round ran. Spent
    through the shared budget like every request; failures are in the report.

    Raises:
        SyncBusyError: another process still holds the lease after ``lease_wait`` seconds.
    """
    lease = wait_for_lease(store, owner, wait=lease_wait)
    report = SyncReport()
    budget = budget_for(store, store.meta.workspace_id())
    spent_before = budget.spent()
    try:
        async with ClockifyClient(api_key, servers=servers, budget=budget) as api:
            try:
                workspace_id, _ = await connect_account(store, api)
            except ClockifyError as exc:
                note_failure(report, exc)
                if isinstance(exc, UnauthorizedError):
                    store.meta.set_auth_required(exc.message)
                return report
            api.budget.configure(limits_for(store, workspace_id))
            account = store.meta.account() or {}
            engine = SyncEngine(
                store, api, workspace_id=workspace_id, user_id=account["user_id"], clock=clock
            )
            await engine.fetch_reference_data(report)
    finally:
        report.requests = budget.spent() - spent_before
        lease.release()
    return report


def sync_now(
    store: Store, api_key: str, servers: Servers, *, lease_wait: float = 0.0
) -> SyncReport:
    """Run one sync round to completion on a fresh event loop (for the CLI)."""
    return asyncio.run(sync_once(store, api_key, servers, lease_wait=lease_wait))
