"""What the tracker knows about its own setup: the facts ``tracker doctor`` and the app's
"copy diagnostics" both report, computed once so the two never disagree."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker.services.context import Context
from tracker.services.views import Views

__all__ = ["FREE_PER_HOUR", "Health", "health", "spent_last_hour"]

HOUR = 3600.0
FREE_PER_HOUR = 30
"""Requests a Free-plan workspace may make per hour."""


@dataclass(frozen=True)
class Health:
    """One look at the setup; nothing here is secret (the key store is named, never read)."""

    store: Path
    store_bytes: int
    key_store: str
    account: dict[str, Any] | None
    workspace_id: str
    workspace: str | None
    pending: int
    parked: int
    unclear: int
    """Creates sent with no clear answer, looked for on Clockify before anything is resent."""
    rejected: list[dict[str, Any]]
    """Items Clockify sent that could not be read and were skipped (newest first)."""
    requests_last_hour: int
    requests_left: int | None
    last_sync: dict[str, Any] | None
    last_sync_at: datetime | None
    auth_required: str | None
    zone: str
    zone_warning: str | None
    hotkeys: str | None = None
    """The global hotkey backend and its state (``x11 (ok)``), given by the caller: the
    integrations sit above this layer."""
    idle: str | None = None
    """The idle detection backend and why (``x11 (ok)``), given by the caller likewise."""
    autostart: str | None = None
    """Where start at login is kept and whether it is on, given by the caller likewise."""
    notifications: str | None = None
    """The notification backend (``freedesktop (dunst 1.9, buttons)``), likewise."""

    def report(self) -> dict[str, Any]:
        """Plain values for ``--json`` (the shape ``tracker doctor --json`` has always had)."""
        return {
            "store": str(self.store),
            "store_bytes": self.store_bytes,
            "key_store": self.key_store,
            "account": self.account,
            "workspace_id": self.workspace_id,
            "workspace": self.workspace,
            "pending": self.pending,
            "parked": self.parked,
            "unclear": self.unclear,
            "rejected": self.rejected,
            "requests_last_hour": self.requests_last_hour,
            "requests_left": self.requests_left,
            "last_sync": self.last_sync,
            "auth_required": self.auth_required,
            "zone": self.zone,
            "zone_warning": self.zone_warning,
            **({"hotkeys": self.hotkeys} if self.hotkeys is not None else {}),
            **({"idle": self.idle} if self.idle is not None else {}),
            **({"autostart": self.autostart} if self.autostart is not None else {}),
            **({"notifications": self.notifications} if self.notifications is not None else {}),
        }

    def lines(self) -> list[str]:
        """The report as aligned lines for a person."""
        account = self.account
        lines = [
            f"Store        {self.store} ({self.store_bytes // 1024} KiB)",
            f"API key      {self.key_store}",
            "Account      "
            + (
                f"{account.get('name')} <{account.get('email')}>"
                if account
                else "none (local only)"
            ),
            f"Workspace    {self.workspace or self.workspace_id}",
            f"Waiting      {self.pending} changes, {self.parked} need attention",
            *(
                [
                    f"Unclear      {self.unclear} sent without a clear answer; looked for on "
                    "Clockify before anything is sent again"
                ]
                if self.unclear
                else []
            ),
            "Budget       "
            + (
                f"{self.requests_left} of {FREE_PER_HOUR} requests left this hour"
                if self.requests_left is not None
                else f"{self.requests_last_hour} requests in the last hour "
                "(paid plan: no hourly limit)"
            ),
            f"Time zone    {self.zone}",
        ]
        if self.hotkeys is not None:
            lines.append(f"Hotkeys      {self.hotkeys}")
        if self.idle is not None:
            lines.append(f"Idle         {self.idle}")
        if self.autostart is not None:
            lines.append(f"Autostart    {self.autostart}")
        if self.notifications is not None:
            lines.append(f"Notify       {self.notifications}")
        if self.last_sync_at is not None and self.last_sync is not None:
            state = "complete" if self.last_sync.get("complete") else "stopped early"
            lines.append(f"Last sync    {self.last_sync_at:%Y-%m-%d %H:%M} ({state})")
        if self.rejected:
            latest = self.rejected[0]
            lines.append(
                f"Skipped      {len(self.rejected)} item(s) Clockify sent that could not be read; "
                f"latest: {latest.get('id') or 'no id'}: {latest.get('reason')}"
            )
        if self.auth_required:
            lines.append(f"Problem      Clockify refused the key: {self.auth_required}")
        if self.zone_warning:
            lines.append(f"Problem      {self.zone_warning}")
        return lines


def spent_last_hour(state: Any, now: float | None = None) -> int:
    """Requests the shared budget ledger recorded in the last hour."""
    if not isinstance(state, dict):
        return 0
    now = time.time() if now is None else now
    return sum(1 for stamp in state.get("stamps") or () if stamp > now - HOUR)


def health(
    context: Context,
    store_file: Path,
    key_store: str,
    *,
    hotkeys: str | None = None,
    idle: str | None = None,
    autostart: str | None = None,
    notifications: str | None = None,
) -> Health:
    """Look at the store behind ``context``; ``key_store`` says where the key is kept, and
    ``hotkeys`` which hotkey backend the app would use."""
    store = context.store
    workspace = context.workspace_id
    pending, parked = store.entries.counts(workspace)
    info = store.meta.workspace(workspace)
    spent = spent_last_hour(store.meta.budget())
    free = info.free_plan if info is not None else True
    last = store.meta.last_sync()
    last_at = None
    if isinstance(last, dict):
        last_at = datetime.fromtimestamp(last.get("at", 0), UTC).astimezone(context.zone())
    account = store.meta.account()
    views = Views(context)
    return Health(
        store=store_file,
        store_bytes=store_file.stat().st_size if store_file.exists() else 0,
        key_store=key_store,
        account=account,
        workspace_id=workspace,
        workspace=info.name if info else None,
        pending=pending,
        parked=parked,
        unclear=store.entries.unclear_count(workspace) + store.catalog.unclear_count(workspace),
        rejected=store.meta.rejected_remote(),
        requests_last_hour=spent,
        requests_left=max(0, FREE_PER_HOUR - spent) if free else None,
        last_sync=last if isinstance(last, dict) else None,
        last_sync_at=last_at,
        auth_required=store.meta.auth_required(),
        zone=views.status().zone,
        zone_warning=views.zone_warning(),
        hotkeys=hotkeys,
        idle=idle,
        autostart=autostart,
        notifications=notifications,
    )
