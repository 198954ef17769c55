"""The Reports window's way to Clockify: kept copies read here, fetches on the sync worker.

The GUI thread only reads the store's report cache (a few milliseconds) and what it learnt
about the person's role; every request is made by the worker thread with its own client and
store (:meth:`~tracker.bridge.channel.SyncChannel.call_with_client`), so it counts in the one
budget and never blocks the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.bridge.channel import SyncChannel
from tracker.services.context import Context
from tracker.services.reports import Report, ReportQuery
from tracker.services.reports_online import ACCESS_SECONDS, Access, OnlineReports, Person
from tracker.store import Store

__all__ = ["ClockifyReports"]

Done = Callable[[Any], None]


class ClockifyReports:
    """Reports from Clockify for the window.

    Args:
        context: the GUI thread's store and clock (cache reads only).
        channel: the sync worker's channel (requests); called only when a request is due, so
            the worker starts only then.
    """

    def __init__(self, context: Context, channel: Callable[[], SyncChannel]) -> None:
        self.context = context
        self.channel = channel

    def connected(self) -> bool:
        """Whether an account is connected (else the window shows the local store)."""
        meta = self.context.store.meta
        return meta.account() is not None and bool(meta.workspace_id())

    def reports(self, person: Person) -> OnlineReports:
        """The cache and cost side, without a client."""
        return OnlineReports(self.context, None, person)

    def kept(self, query: ReportQuery, person: Person) -> tuple[Report | None, bool]:
        """The kept copy (however old) and whether it is fresh enough to show as is."""
        reports = self.reports(person)
        kept = reports.kept(query)
        return kept, kept is not None and reports.fresh(query) is not None

    def known_access(self) -> Access | None:
        """What the person may see, when learnt within a day (no request)."""
        reports = self.reports(Person())
        known = self.context.store.meta.get("report_access:" + reports.workspace_id)
        if not isinstance(known, dict) or not isinstance(known.get("at"), (int, float)):
            return None
        if not 0 <= self.context.clock().timestamp() - known["at"] < ACCESS_SECONDS:
            return None
        return Access(str(known.get("role")), bool(known.get("sees_team")), reports.free_plan())

    def fetch(self, query: ReportQuery, person: Person, *, refresh: bool, done: Done) -> None:
        """Fetch the report on the worker; ``done(report or exception)`` here."""

        async def work(store: Store, api: Any) -> Report:
            context = Context(store, self.context.clock)
            return await OnlineReports(context, api, person).report(query, refresh=refresh)

        self.channel().call_with_client(work, done)

    def learn_access(self, done: Done) -> None:
        """Learn what the person may see on the worker (one or two requests)."""

        async def work(store: Store, api: Any) -> Access:
            context = Context(store, self.context.clock)
            return await OnlineReports(context, api, Person()).access()

        self.channel().call_with_client(work, done)
