"""The time-off window's way to Clockify: kept copies read here, requests made on the worker.

The GUI thread only reads what the store's report cache keeps of time off (a few
milliseconds); every request is made by the sync worker with its own client and store
(:meth:`~tracker.bridge.channel.SyncChannel.call_with_client`), so it counts in the one budget
and never blocks a window. One source serves the time-off window and the timesheet, so what
they refresh by themselves is counted once: when the kept copy is older than the service's
freshness (:data:`~tracker.services.timeoff.FRESH_SECONDS`), and on a Free workspace (30
requests an hour for everything, sync included) at most once an hour unless the person asks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tracker.api import ClockifyClient
from tracker.domain.workdays import DayPlan
from tracker.services.abilities import TIME_OFF, plan_lacks
from tracker.services.context import Context
from tracker.services.timeoff import (
    FRESH_SECONDS,
    RequestDraft,
    TimeOff,
    TimeOffError,
    TimeOffOffline,
)
from tracker.services.timeoff_kept import (
    BalanceView,
    HolidayView,
    PolicyView,
    RequestView,
    cache_key,
    kept_holidays,
    kept_profile,
    kept_requests,
    thaw,
    with_pending,
)
from tracker.services.workdays import week_plans
from tracker.store import Store

__all__ = [
    "FREE_AUTO_SECONDS",
    "FULL_COST",
    "PLANS_COST",
    "ClockifyTimeOff",
    "Runner",
    "Snapshot",
    "keep_team",
    "offline",
    "problem_of",
    "upcoming",
    "with_team",
]

Done = Callable[[Any], None]
Work = Callable[[Store, ClockifyClient], Awaitable[Any]]
Runner = Callable[[Work, Done], object]
"""Runs ``work(store, api)`` off the GUI thread and calls ``done(result or exception)`` on it
(the sync worker's ``call_with_client``)."""

FREE_AUTO_SECONDS = 3600.0
"""On a Free workspace, what is kept is refreshed by itself at most this often."""

HOLIDAY_DAYS = 366
"""How far ahead holidays are listed."""

FULL_COST = 6
"""Requests a full refresh sends: policies, profile, own requests, balances, holidays, and
the requests waiting for one's approval."""

PLANS_COST = 3
"""Requests the timesheet's refresh sends: profile, holidays, own requests (and, the first
time, the policies that name them)."""


@dataclass(frozen=True)
class Snapshot:
    """Everything the window shows; ``team`` is ``None`` until fetched (it is never kept),
    ``as_of`` is when the oldest part was fetched (``None``: some part was never fetched)."""

    policies: list[PolicyView]
    balances: list[BalanceView]
    requests: list[RequestView]
    holidays: list[HolidayView]
    team: list[RequestView] | None
    as_of: datetime | None


def problem_of(result: object) -> str:
    """What went wrong, in one sentence for a person."""
    if isinstance(result, TimeOffError):
        return result.message
    if isinstance(result, LookupError | RuntimeError):
        return "Clockify cannot be reached now (the connection is not ready); nothing was sent."
    return str(result) or type(result).__name__


def offline(result: object) -> bool:
    """Whether nothing reached Clockify, so what was asked may simply be sent again later."""
    return isinstance(result, TimeOffOffline | LookupError | RuntimeError)


class ClockifyTimeOff:
    """Time off from Clockify for the windows.

    Args:
        context: the GUI thread's store and clock (cache reads only).
        run: how work reaches the worker (requests are made only when due or asked).
    """

    def __init__(
        self, context: Context, run: Runner, kept_changed: Callable[[], None] | None = None
    ) -> None:
        self.context = context
        self._run = run
        self.kept_changed = kept_changed
        """Called (here) once a fetch or a change may have changed what is kept."""
        self._last_auto: dict[str, datetime] = {}
        """When each kind of refresh last started by itself (also those that failed)."""

    # --- what is known without a request ----------------------------------------------------

    def user_id(self) -> str | None:
        return self.context.store.meta.account_user_id()

    def connected(self) -> bool:
        """Whether an account (and so Clockify's time off) is there at all."""
        return self.user_id() is not None and bool(self.context.store.meta.workspace_id())

    def free_plan(self) -> bool:
        info = self.context.store.meta.workspace(self.context.workspace_id)
        return info is None or info.free_plan

    def kept(self) -> Snapshot:
        """What was fetched last, however old."""
        store, ws, me = self.context.store, self.context.workspace_id, self.user_id() or ""
        policies = thaw(store, cache_key("policies", ws, me), lambda d: PolicyView(**d))
        balances = thaw(store, cache_key("balances", ws, me), lambda d: BalanceView(**d))
        requests = kept_requests(store, ws, me)
        holidays = kept_holidays(store, ws, me)
        times = [k.as_of for k in (policies, balances, requests, holidays) if k is not None]
        mine = requests.value if requests else []
        return Snapshot(
            policies.value if policies else [],
            with_pending(balances.value if balances else [], mine),
            mine,
            holidays.value if holidays else [],
            None,
            min(times) if len(times) == 4 else None,  # a part never fetched: not known yet
        )

    def plans(self, days: Sequence[date]) -> dict[date, DayPlan]:
        """The days' plans from what is kept (capacity, holidays, time off)."""
        return week_plans(self.context.store, self.context.workspace_id, self.user_id(), days)

    def plans_kept_at(self) -> datetime | None:
        """When the oldest part the timesheet reads was fetched (``None``: some never)."""
        store, ws, me = self.context.store, self.context.workspace_id, self.user_id() or ""
        parts = (kept_profile(store, ws, me), kept_holidays(store, ws, me))
        requests = kept_requests(store, ws, me)
        times = [k.as_of for k in (*parts, requests) if k is not None]
        return min(times) if len(times) == len(parts) + 1 else None

    def due(self, kind: str, as_of: datetime | None) -> bool:
        """Whether a refresh of ``kind`` may start by itself now: the copy, and the last try,
        are older than the service's freshness (an hour on a Free workspace)."""
        if not self.connected() or plan_lacks(self.context.store, TIME_OFF):
            return False  # nothing to fetch (a Free plan would spend requests on refusals)
        now = self.context.now()
        wait = FREE_AUTO_SECONDS if self.free_plan() else FRESH_SECONDS
        for then in (as_of, self._last_auto.get(kind)):
            if then is not None and 0 <= (now - then).total_seconds() < wait:
                return False
        return True

    # --- requests, on the worker --------------------------------------------------------------

    def run(self, work: Work, done: Done) -> None:
        """``work`` on the worker; ``done`` here, after the views reading what is kept heard."""

        def answered(result: object) -> None:
            if self.kept_changed is not None and not isinstance(result, BaseException):
                self.kept_changed()
            done(result)

        self._run(work, answered)

    def _service(self, store: Store, api: ClockifyClient) -> TimeOff:
        return TimeOff(Context(store, self.context.clock), api)

    def fetch(self, done: Done, *, refresh: bool = True, auto: bool = False) -> None:
        """Fetch everything the window shows; ``refresh=False`` re-asks only what is no
        longer fresh (after a change), and skips the team's requests."""
        if auto:
            self._last_auto["full"] = self.context.now()
        me = self.user_id()

        async def work(store: Store, api: ClockifyClient) -> Snapshot:
            service = self._service(store, api)
            policies = await service.policies(refresh=refresh)
            await service.profile(refresh=refresh)
            mine = await service.requests(refresh=refresh)
            if refresh:
                service.forget("balances")  # the requests were just read: not again
            balances = await service.balances()
            holidays = await service.holidays(refresh=refresh)
            team = await _team(service, me) if refresh else None
            times = (policies.as_of, mine.as_of, balances.as_of, holidays.as_of)
            return Snapshot(
                policies.value, balances.value, mine.value, holidays.value, team, min(times)
            )

        self.run(work, done)

    def fetch_team(self, done: Done) -> None:
        """Fetch only the requests waiting for one's approval (one request; never kept)."""
        me = self.user_id()

        async def work(store: Store, api: ClockifyClient) -> list[RequestView]:
            return await _team(self._service(store, api), me)

        self.run(work, done)

    def fetch_plans(self, done: Done) -> None:
        """Refresh what the timesheet reads (profile, holidays, own requests); by itself."""
        self._last_auto["plans"] = self.context.now()

        async def work(store: Store, api: ClockifyClient) -> None:
            await self._service(store, api).refresh_all()

        self.run(work, done)

    def refresh_plans_if_due(self, done: Done) -> bool:
        """Refresh what the timesheet reads when it is due (see :meth:`due`)."""
        if not self.due("plans", self.plans_kept_at()):
            return False
        self.fetch_plans(done)
        return True

    def send(self, draft: RequestDraft, done: Done) -> None:
        """Ask for time off (a lost answer is looked for first, so never asked twice)."""

        async def work(store: Store, api: ClockifyClient) -> RequestView:
            return await self._service(store, api).request(draft)

        self.run(work, done)

    def withdraw(self, request_id: str, done: Done) -> None:
        async def work(store: Store, api: ClockifyClient) -> RequestView:
            return await self._service(store, api).withdraw(request_id)

        self.run(work, done)

    def decide(self, request_id: str, *, approve: bool, note: str, done: Done) -> None:
        async def work(store: Store, api: ClockifyClient) -> RequestView:
            service = self._service(store, api)
            return await service.decide(request_id, approve=approve, note=note or None)

        self.run(work, done)


async def _team(service: TimeOff, me: str | None) -> list[RequestView]:
    """Others' pending requests one may decide (a member sees only their own: none)."""
    try:
        found = await service.team_requests()
    except TimeOffOffline:
        raise
    except TimeOffError:
        found = []  # Clockify lets this person see only their own requests
    return [r for r in found if r.user_id != me and r.status == "PENDING"]


def with_team(snapshot: Snapshot, team: list[RequestView] | None) -> Snapshot:
    return Snapshot(
        snapshot.policies,
        snapshot.balances,
        snapshot.requests,
        snapshot.holidays,
        team,
        snapshot.as_of,
    )


def keep_team(snapshot: Snapshot, before: Snapshot | None) -> Snapshot:
    """``snapshot`` with the team's requests shown before (they are never kept)."""
    if snapshot.team is not None or before is None:
        return snapshot
    return with_team(snapshot, before.team)


def upcoming(snapshot: Snapshot, today: date) -> list[tuple[str, date, date]]:
    """Holidays from today on, this year's dates of those that repeat every year."""
    found: list[tuple[str, date, date]] = []
    horizon = today + timedelta(days=HOLIDAY_DAYS)
    for holiday in snapshot.holidays:
        first, last = holiday.first, holiday.last
        if holiday.annual and last < today:
            for year in (today.year, today.year + 1):
                try:
                    span = last.year - first.year
                    shifted = first.replace(year=year), last.replace(year=year + span)
                except ValueError:
                    continue
                if shifted[1] >= today:
                    first, last = shifted
                    break
        if last >= today and first <= horizon:
            found.append((holiday.name, first, last))
    return sorted(found, key=lambda h: (h[1], h[0]))
