"""The Approvals window's way to Clockify: kept copies read here, every request on the sync
worker.

The GUI thread only reads the store's report cache (my periods, the team's pending ones, a
period's report) and the workspace's plan; submitting, withdrawing, deciding and refreshing
run on the worker thread with its own client and store
(:meth:`~tracker.bridge.channel.SyncChannel.call_with_client`), so they count in the one
budget and never block the window. The services say every failure as one sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.api import ForbiddenError
from tracker.bridge.channel import SyncChannel
from tracker.domain.approval_periods import Period
from tracker.services.approval_locks import KeptApprovals, KeptRequest
from tracker.services.approvals import ApprovalError, Approvals, Decision
from tracker.services.context import Context
from tracker.services.reports import LocalReportSource, Report, ReportQuery
from tracker.services.reports_online import OnlineReports, Person
from tracker.store import Store

__all__ = ["ClockifyApprovals", "Fetched", "approved_days", "detail_query"]

Done = Callable[[Any], None]


@dataclass(frozen=True)
class Fetched:
    """One refresh: my periods, and the team's pending ones (``None`` with ``refused``, the
    sentence, when Clockify refused the list to this person)."""

    mine: KeptApprovals
    team: tuple[KeptRequest, ...] | None
    refused: str | None = None


def detail_query(request: KeptRequest) -> ReportQuery:
    """A period's time by day, then project: one summary report request."""
    return ReportQuery(request.period.first, request.period.last, group_by=("date", "project"))


def approved_days(kept: KeptApprovals | None) -> set[date]:
    """Every day of my approved periods (the days the entry services lock)."""
    days: set[date] = set()
    for request in kept.requests if kept is not None else ():
        if request.state == "APPROVED":
            first, last = request.period.first.toordinal(), request.period.last.toordinal()
            days.update(date.fromordinal(n) for n in range(first, last + 1))
    return days


def _person(request: KeptRequest, me: str | None) -> Person:
    if request.owner_id == me:
        return Person()
    return Person("user", request.owner_id, request.owner_name or None)


class ClockifyApprovals:
    """Approvals from Clockify for the window.

    Args:
        context: the GUI thread's store and clock (cache reads only).
        channel: the sync worker's channel; called only when a request is due.
    """

    def __init__(self, context: Context, channel: Callable[[], SyncChannel]) -> None:
        self.context = context
        self.channel = channel

    @property
    def local(self) -> Approvals:
        """The service without a client: kept copies and periods."""
        return Approvals(self.context)

    def connected(self) -> bool:
        """Whether an account is connected (approvals live on Clockify only)."""
        meta = self.context.store.meta
        return meta.account_user_id() is not None and bool(meta.workspace_id())

    def me(self) -> str | None:
        """My Clockify user id."""
        return self.context.store.meta.account_user_id()

    def free_plan(self) -> bool:
        """Whether the workspace is (or may be) on the Free plan: every request counts."""
        info = self.context.store.meta.workspace(self.context.workspace_id)
        return info is None or info.free_plan

    def periods(self) -> list[Period]:
        """The periods "My time" lists, newest first: this one, the one before, and every
        older one Clockify has a request for."""
        local = self.local
        today = self.context.today()
        current = local.period_of(today)
        previous = current.previous(self.context.store.meta.profile().week_start)
        kept = local.kept()
        older = [r.period for r in kept.requests] if kept is not None else []
        found = {p.first: p for p in (*older, previous, current)}
        return sorted(found.values(), key=lambda p: p.first, reverse=True)

    def decides(self) -> bool | None:
        """Whether this person may decide on others' time, as last learnt (no request):
        ``False`` for a plain member, ``None`` when not known yet."""
        known = self.context.store.meta.get("report_access:" + self.context.workspace_id)
        if not isinstance(known, dict) or "role" not in known:
            return None
        return known.get("role") != "member"

    def local_total(self, period: Period) -> int:
        """A period not submitted: its total on this computer (a store read)."""
        source = LocalReportSource(self.context)
        return source.report(ReportQuery(period.first, period.last)).total_seconds

    def kept_detail(self, request: KeptRequest) -> Report | None:
        """A period's report as last fetched, however old."""
        reports = OnlineReports(self.context, None, _person(request, self.me()))
        return reports.kept(detail_query(request))

    # --- on the worker --------------------------------------------------------------------

    def _run(self, work: Callable[[Approvals], Any], done: Done) -> None:
        async def call(store: Store, api: Any) -> Any:
            return await work(Approvals(Context(store, self.context.clock), api))

        self.channel().call_with_client(call, done)

    def fetch(self, done: Done) -> None:
        """My periods and the team's pending ones; ``done(Fetched or exception)``."""

        async def work(approvals: Approvals) -> Fetched:
            mine = await approvals.mine(refresh=True)
            try:
                team = await approvals.team_pending()
            except ApprovalError as exc:
                if not isinstance(exc.__cause__, ForbiddenError):
                    raise
                return Fetched(mine, None, exc.message)
            return Fetched(mine, tuple(team))

        self._run(work, done)

    def submit(self, period: Period, done: Done) -> None:
        """Submit (or submit again) my ``period``; ``done(KeptRequest or exception)``. The
        list is read again after (one request): only it says the period's tracked time."""

        async def work(approvals: Approvals) -> KeptRequest:
            made = await approvals.submit(period)
            try:
                mine = await approvals.mine(refresh=True)
            except ApprovalError:
                return made  # submitted all the same; the total comes with the next refresh
            return mine.for_period(period) or made

        self._run(work, done)

    def withdraw(self, period: Period, done: Done) -> None:
        """Take back my pending submission of ``period``."""
        self._run(lambda approvals: approvals.withdraw(period), done)

    def decide(self, request_id: str, state: Decision, note: str | None, done: Done) -> None:
        """Approve or reject someone's period, with a note."""
        self._run(lambda approvals: approvals.decide(request_id, state, note), done)

    def detail(self, request: KeptRequest, done: Done) -> None:
        """Fetch a period's report (one request); ``done(Report or exception)``."""
        person = _person(request, self.me())

        async def work(store: Store, api: Any) -> Report:
            context = Context(store, self.context.clock)
            return await OnlineReports(context, api, person).report(
                detail_query(request), refresh=True
            )

        self.channel().call_with_client(work, done)
