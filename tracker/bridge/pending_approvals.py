"""How many periods wait for this person's decision, for the tray menu ("3 to approve").

The count is read from the kept copy of the team's pending requests (no request). When the
menu opens and that copy is older than :data:`FRESH_SECONDS`, the worker asks Clockify again:
one request (more only past 200 pending), and before the first one, once a day, the request
or two that tell whether this person decides at all. Only owners, admins and managers on a
plan with approvals are ever asked for; approvals are a paid feature, so this never spends
from a Free workspace's 30 requests an hour.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tracker.bridge.channel import SyncChannel
from tracker.services.abilities import ELEVATED, abilities
from tracker.services.approval_locks import team_key
from tracker.services.context import Context
from tracker.store import Store
from tracker.store.report_cache import ReportCache

__all__ = ["FRESH_SECONDS", "PendingApprovals"]

FRESH_SECONDS = 600.0
"""How old the kept count may be when the menu opens before it is asked again: a request at
most every ten minutes of looking, on plans with no hourly limit."""

log = logging.getLogger(__name__)


class PendingApprovals:
    """The count for the tray, and its refresh on the worker.

    Args:
        store: the GUI thread's store (reads only).
        clock: the app's clock.
        channel: the sync worker's channel, asked for only when a refresh is due.
    """

    def __init__(
        self, store: Store, clock: Callable[[], datetime], channel: Callable[[], SyncChannel]
    ) -> None:
        self.store = store
        self.clock = clock
        self.channel = channel
        self._asking = False

    def count(self) -> int | None:
        """Periods waiting for my decision as last fetched; ``None`` when this person does
        not decide (or it is not known yet, or the plan has no approvals)."""
        offered = abilities(self.store)
        if not (offered.approvals and offered.decides):
            return None
        found = self._kept()
        if found is None:
            return None
        requests = found.data.get("requests")
        return len(requests) if isinstance(requests, list) else None

    def refresh_if_due(self, done: Callable[[int | None], None]) -> bool:
        """Ask the worker for a fresh count when it is due; ``done(count)`` on the GUI thread
        once it arrives. Whether a refresh was asked for."""
        offered = abilities(self.store)
        if self._asking or not offered.approvals or offered.decides is False:
            return False
        found = self._kept()
        now = self.clock().timestamp()
        if found is not None and 0 <= now - found.fetched_at < FRESH_SECONDS:
            return False
        self._asking = True

        async def work(store: Store, api: Any) -> None:
            # Loaded on the worker with the network stack it needs.
            from tracker.services.approvals import Approvals  # noqa: PLC0415
            from tracker.services.reports_online import OnlineReports, Person  # noqa: PLC0415

            context = Context(store, self.clock)
            access = await OnlineReports(context, api, Person()).access()
            if access.role != ELEVATED:
                return  # a member decides on no one's time
            await Approvals(context, api).team_pending()

        def finished(result: object) -> None:
            self._asking = False
            if isinstance(result, Exception):
                log.info("the approvals to decide on could not be counted: %s", result)
            done(self.count())

        self.channel().call_with_client(work, finished)
        return True

    def _kept(self) -> Any:
        meta = self.store.meta
        workspace_id, user_id = meta.workspace_id(), meta.account_user_id()
        if not workspace_id or user_id is None:
            return None
        return ReportCache(self.store.conn).get(team_key(workspace_id, user_id))
