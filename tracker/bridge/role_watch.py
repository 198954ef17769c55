"""Learning this person's role in the workspace, so the tray offers the Workspace window only
to those who may use it.

The role is read from the store (:func:`~tracker.services.abilities.abilities`, no request).
When it is not known (never learnt, or kept before admins and managers were told apart), the
worker learns it the first time the tray menu opens: two requests (``POST /users/info`` with
a role filter), then nothing for a day. On a Free workspace that is two of 30 an hour, once a
day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tracker.bridge.channel import SyncChannel
from tracker.services.abilities import abilities
from tracker.services.context import Context
from tracker.store import Store

__all__ = ["RoleWatch"]

log = logging.getLogger(__name__)


class RoleWatch:
    """Asks the worker for the role when it is not known.

    Args:
        store: the GUI thread's store (reads only).
        clock: the app's clock.
        channel: the sync worker's channel, asked for only when the role is unknown.
    """

    def __init__(
        self, store: Store, clock: Callable[[], datetime], channel: Callable[[], SyncChannel]
    ) -> None:
        self.store = store
        self.clock = clock
        self.channel = channel
        self._asking = False
        self._failed_at: float | None = None

    def learn_if_unknown(self, done: Callable[[], None]) -> bool:
        """Learn the role on the worker when it is not known; ``done()`` on the GUI thread
        once learnt. Whether it was asked for (not again within an hour of a failure)."""
        offered = abilities(self.store)
        if self._asking or not offered.connected or offered.role is not None:
            return False
        now = self.clock().timestamp()
        if self._failed_at is not None and 0 <= now - self._failed_at < 3600:
            return False
        self._asking = True

        async def work(store: Store, api: Any) -> None:
            # Loaded on the worker with the network stack it needs.
            from tracker.services.reports_online import OnlineReports, Person  # noqa: PLC0415

            await OnlineReports(Context(store, self.clock), api, Person()).access()

        def finished(result: object) -> None:
            self._asking = False
            if isinstance(result, Exception):
                self._failed_at = self.clock().timestamp()
                log.info("the role in this workspace could not be learnt: %s", result)
            done()

        self.channel().call_with_client(work, finished)
        return True
