"""Time off, holidays and the member profile, read through the store and changed on Clockify.

These are server-first data: what Clockify said last is kept in the store's report cache
(:mod:`tracker.services.timeoff_kept` has the shapes and keys) with the time it was fetched,
so the CLI, the timesheet and the reminder read it at once and offline, labelled "as of".
A read younger
than :data:`FRESH_SECONDS` costs no request; every request goes through the client's budget.

Changes go to Clockify at once and are never sent twice:

- Offline (nothing reached Clockify) a change fails with :class:`TimeOffOffline`, which
  carries what was asked so the caller keeps the person's input.
- A new request whose answer was lost (it may have been made) is remembered; asking the same
  again first looks for it among the person's requests and adopts it instead of asking twice.
- Approving what is already approved (or withdrawing what is gone) says so; it is not an
  error to retry.

Who may do what is Clockify's to decide (the owner and admins manage policies, balances and
holidays; the owner, admins and the person's manager approve); a refusal becomes one sentence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.api import (
    BadRequestError,
    ClockifyClient,
    ClockifyError,
    ForbiddenError,
    TransportError,
    UnauthorizedError,
)
from tracker.api.models.account import MemberProfile
from tracker.api.models.holidays import DatePeriodWrite, Holiday, HolidayWrite
from tracker.api.models.timeoff import (
    Balance,
    BalanceChange,
    Policy,
    PolicyApproval,
    PolicyWrite,
    TimeOffPeriodWrite,
    TimeOffRequest,
    TimeOffRequestCreate,
    TimeOffRequestsFilter,
    TimeSpanWrite,
)
from tracker.domain.workdays import DEFAULT_CAPACITY, DEFAULT_WORKING_DAYS
from tracker.services.context import Context
from tracker.services.people import only_match
from tracker.services.timeoff_kept import (
    WEEKDAYS,
    BalanceView,
    HolidayView,
    Kept,
    PolicyView,
    ProfileView,
    RequestView,
    cache_key,
    kept_holidays,
    kept_profile,
    kept_requests,
    thaw,
    with_pending,
)
from tracker.store.report_cache import ReportCache
from tracker.sync.unclear import held_until

__all__ = [
    "FRESH_SECONDS",
    "SHORT_ID",
    "BalanceView",
    "HolidayView",
    "Kept",
    "PolicyView",
    "ProfileView",
    "RequestDraft",
    "RequestView",
    "TimeOff",
    "TimeOffError",
    "TimeOffNoteNeeded",
    "TimeOffOffline",
    "TimeOffUnclear",
    "cache_key",
    "kept_holidays",
    "kept_profile",
    "kept_requests",
]

FRESH_SECONDS = 300.0
"""How long what was fetched is shown without asking again: time off changes by the day,
and every request comes from the same budget as sync (30 an hour on a Free plan)."""

_INFLIGHT = "timeoff_inflight:"

_CHANGED = "changed"
"""Set in a kept copy that a change made here since: shown, but read again before reuse."""

SHORT_ID = 8
"""How many leading characters of a request's id name it (as lists show it)."""


@dataclass(frozen=True)
class RequestDraft:
    """What a person asks for, kept whole so nothing typed is lost when it cannot be sent.

    ``hours``: on an hourly policy, that many hours on ``first`` (from ``start_at``, 09:00 by
    default, in the profile's zone); otherwise whole days, or half of one day.
    """

    policy_id: str
    first: date
    last: date
    half_day: bool = False
    hours: float | None = None
    note: str = ""
    start_at: time = field(default=time(9, 0))

    def key(self) -> dict[str, Any]:
        """What identifies the request among the person's (to find one already made)."""
        return {
            "policy": self.policy_id,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "half_day": self.half_day,
            "hours": self.hours,
        }


class TimeOffError(Exception):
    """A time-off action Clockify refused or could not take; ``message`` is one sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TimeOffOffline(TimeOffError):
    """Nothing was sent (Clockify cannot be reached, or the budget is spent); ``draft``
    holds what was asked, to be asked again."""

    def __init__(self, message: str, draft: RequestDraft | None = None) -> None:
        super().__init__(message)
        self.draft = draft


class TimeOffNoteNeeded(TimeOffError):
    """A rejection without a note (none given, none kept): nothing was sent."""


class TimeOffUnclear(TimeOffError):
    """The request may have reached Clockify; it is looked for before asking again, and
    not asked again before ``until`` (the horizon) while the looks do not find it."""

    def __init__(
        self, message: str, until: datetime | None = None, draft: RequestDraft | None = None
    ) -> None:
        super().__init__(message)
        self.until = until
        self.draft = draft


# --- from Clockify's shapes --------------------------------------------------------------------


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def request_view(item: TimeOffRequest, policies: dict[str, PolicyView]) -> RequestView:
    """A request as people read it: its days in the requester's zone."""
    zone = _zone(item.user_time_zone)
    span = item.time_off_period.period
    start = span.start or datetime.now(UTC)
    end = span.end or start
    policy = policies.get(item.policy_id)
    unit = item.time_unit or (policy.unit if policy else "DAYS")
    hours = None
    if unit == "HOURS" and (end - start) < timedelta(days=1) and not _whole_days(start, end, zone):
        hours = round((end - start).total_seconds() / 3600, 2)
    return RequestView(
        id=item.id,
        policy_id=item.policy_id,
        policy=item.policy_name or (policy.name if policy else "Time off"),
        user_id=item.user_id,
        user=item.user_name or "",
        first=start.astimezone(zone).date(),
        last=end.astimezone(zone).date(),
        half_day=item.time_off_period.half_day,
        amount=item.balance_diff,
        unit=unit,
        status=item.status.status_type,
        note=item.note or "",
        status_note=item.status.note or "",
        hours=hours,
        start=start.astimezone(UTC).isoformat() if hours is not None else None,
        zone=zone.key,
    )


def _whole_days(start: datetime, end: datetime, zone: ZoneInfo) -> bool:
    """Whether a period is whole days (asked by date: Clockify keeps midnight to the last
    second of the last day), which an hourly policy charges at the daily capacity, not at
    the 24 hours the instants span."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    return first.time() == time(0) and (last.time() == time(0) or last.time() >= time(23, 59, 59))


def _policy_view(item: Policy) -> PolicyView:
    return PolicyView(
        item.id,
        item.name,
        item.time_unit,
        item.allow_half_day,
        item.archived,
        item.approve.requires_approval,
    )


def _holiday_view(item: Holiday) -> HolidayView:
    period = item.date_period
    return HolidayView(item.id, item.name, period.start_date, period.end_date, item.occurs_annually)


def _profile_view(item: MemberProfile) -> ProfileView:
    capacity = int(item.work_capacity.total_seconds()) if item.work_capacity is not None else None
    days = frozenset(WEEKDAYS.index(d) for d in item.working_days if d in WEEKDAYS)
    return ProfileView(
        DEFAULT_CAPACITY if capacity is None else capacity,
        days or DEFAULT_WORKING_DAYS,
        item.week_start,
    )


@contextlib.contextmanager
def _asking(
    what: str, draft: RequestDraft | None = None, *, change: bool = False
) -> Iterator[None]:
    """Clockify's failures as one sentence each (a ``change`` says nothing was sent)."""
    try:
        yield
    except UnauthorizedError as exc:
        raise TimeOffError("Clockify refused the API key (run `tracker login`).") from exc
    except ForbiddenError as exc:
        raise TimeOffError(
            f"Clockify does not let you {what} in this workspace (its plan has no time off, "
            "or your role does not allow it)."
        ) from exc
    except BadRequestError as exc:
        raise TimeOffError(f"Clockify refused to {what}: {exc.message.rstrip('.')}.") from exc
    except TransportError as exc:
        if exc.maybe_committed:
            raise TimeOffUnclear(
                f"Clockify may or may not have received this ({what}); it is looked for "
                "before being asked again.",
                draft=draft,
            ) from exc
        sent = "; nothing was sent" if change else ""
        raise TimeOffOffline(f"Clockify cannot be reached ({what}){sent}.", draft) from exc
    except ClockifyError as exc:
        raise TimeOffOffline(
            f"Clockify could not {what}: {exc.message.split('. ')[0].rstrip('.')}.", draft
        ) from exc


# --- the service -------------------------------------------------------------------------------


class TimeOff:
    """Time off, holidays and the profile of the connected person in the current workspace.

    Args:
        context: the store (cache, account, zone) and clock.
        api: the client; without one, reads show what is kept however old, and changes
            fail with :class:`TimeOffOffline`.
    """

    def __init__(self, context: Context, api: ClockifyClient | None = None) -> None:
        self.context = context
        self._api = api
        self.cache = ReportCache(context.store.conn)

    @property
    def api(self) -> ClockifyClient:
        if self._api is None:
            raise TimeOffOffline("Clockify is not connected; nothing was sent.")
        return self._api

    @property
    def workspace_id(self) -> str:
        return self.context.workspace_id

    @property
    def user_id(self) -> str:
        user_id = self.context.store.meta.account_user_id()
        if user_id is None:
            raise TimeOffError("Connect a Clockify account first (run `tracker login`).")
        return user_id

    def _key(self, kind: str) -> str:
        return cache_key(kind, self.workspace_id, self.user_id)

    def _now(self) -> datetime:
        return self.context.now()

    def _fresh(self, kind: str) -> bool:
        found = self.cache.get(self._key(kind))
        return (
            found is not None
            and not found.data.get(_CHANGED)
            and found.fresh(self._now().timestamp(), FRESH_SECONDS)
        )

    def _reuse(self, kind: str, refresh: bool) -> bool:
        """Whether the kept copy is shown: while fresh, or however old without a client."""
        return self._api is None or (not refresh and self._fresh(kind))

    def _keep(self, kind: str, items: list[dict[str, Any]]) -> datetime:
        now = self._now()
        self.cache.put(self._key(kind), self.workspace_id, {"items": items}, now.timestamp())
        return now

    def forget(self, *kinds: str) -> None:
        """Mark what is kept as changed since it was fetched, so the next read asks Clockify;
        until then the timesheet, the reminder and offline reads still see it (a copy
        dropped here would take every known day off with it)."""
        for kind in kinds:
            self._amend(kind)

    def _amend(
        self, kind: str, *, add: dict[str, Any] | None = None, drop: str | None = None
    ) -> None:
        """Mark the kept ``kind`` as changed, with the item ``add`` put in (replacing the one
        with its id) or the one with id ``drop`` taken out: what this change did, known
        without a request. Its "as of" stays that of the last fetch."""
        key = self._key(kind)
        found = self.cache.get(key)
        if found is None or not isinstance(found.data.get("items"), list):
            return
        gone = {drop, add.get("id") if add else None} - {None}
        items = [
            i for i in found.data["items"] if not (isinstance(i, dict) and i.get("id") in gone)
        ]
        if add is not None:
            items.append(add)
        self.cache.put(key, self.workspace_id, {"items": items, _CHANGED: True}, found.fetched_at)

    # --- reads (kept copy while fresh, else one or a few requests) ---------------------------

    async def policies(self, *, refresh: bool = False) -> Kept[list[PolicyView]]:
        """Every policy (archived ones too)."""
        kept = thaw(self.context.store, self._key("policies"), lambda d: PolicyView(**d))
        if kept is not None and self._reuse("policies", refresh):
            return kept
        with _asking("list time-off policies"):
            found = [_policy_view(p) async for p in self.api.time_off.policies(self.workspace_id)]
        found.sort(key=lambda p: (p.archived, p.name.casefold()))
        return Kept(found, self._keep("policies", [asdict(p) for p in found]))

    async def _naming(self) -> dict[str, PolicyView]:
        """Policies by id, to name requests: the kept copy however old (a policy's name and
        unit rarely change, and Clockify names most requests itself), else fetched."""
        kept = thaw(self.context.store, self._key("policies"), lambda d: PolicyView(**d))
        found = kept.value if kept is not None else (await self.policies()).value
        return {p.id: p for p in found}

    async def requests(self, *, refresh: bool = False) -> Kept[list[RequestView]]:
        """The person's own requests, newest first."""
        kept = kept_requests(self.context.store, self.workspace_id, self.user_id)
        if kept is not None and self._reuse("requests", refresh):
            return kept
        policies = await self._naming()
        with _asking("list your time off"):
            found = await self.api.time_off.requests(
                self.workspace_id, TimeOffRequestsFilter(users=[self.user_id], page_size=200)
            )
        views = [request_view(r, policies) for r in found if r.user_id == self.user_id]
        views.sort(key=lambda r: (r.first, r.id), reverse=True)
        return Kept(views, self._keep("requests", [r.to_json() for r in views]))

    async def team_requests(self, *, status: str | None = "PENDING") -> list[RequestView]:
        """Requests of the people one may approve (the owner and admins: everyone's; a
        manager: their people's), ``PENDING`` by default; never kept."""
        policies = await self._naming()
        with _asking("list time-off requests"):
            found = await self.api.time_off.requests(
                self.workspace_id,
                TimeOffRequestsFilter(statuses=[status] if status else None, page_size=200),
            )
        return [request_view(r, policies) for r in found]

    async def balances(self, *, refresh: bool = False) -> Kept[list[BalanceView]]:
        """The person's balance per policy, with what is pending shown apart."""
        mine = await self.requests(refresh=refresh)
        kept = thaw(self.context.store, self._key("balances"), lambda d: BalanceView(**d))
        if kept is None or not self._reuse("balances", refresh):
            with _asking("read your time-off balances"):
                found = await self.api.time_off.balances_of_user(self.workspace_id, self.user_id)
            views = [_balance_view(b) for b in found]
            kept = Kept(views, self._keep("balances", [asdict(v) for v in views]))
        return Kept(with_pending(kept.value, mine.value), min(kept.as_of, mine.as_of))

    async def holidays(self, *, refresh: bool = False) -> Kept[list[HolidayView]]:
        """The person's holidays (one request: the list ignores paging)."""
        kept = kept_holidays(self.context.store, self.workspace_id, self.user_id)
        if kept is not None and self._reuse("holidays", refresh):
            return kept
        with _asking("list holidays"):
            found = await self.api.holidays.list(self.workspace_id, assigned_to=self.user_id)
        views = sorted((_holiday_view(h) for h in found), key=lambda h: (h.first, h.name))
        return Kept(views, self._keep("holidays", [h.to_json() for h in views]))

    async def change_balance(
        self, policy_id: str, user_id: str, value: float, note: str | None = None
    ) -> float:
        """Add ``value`` (negative: take away) to ``user_id``'s balance on the policy (admins);
        the balance after.

        Clockify's change adds, so it is never sent twice: the balance is read first, and
        when the answer is lost it is read again, done if it moved by ``value``, else not
        sent again before the unclear horizon (a late commit may still land).

        Raises:
            TimeOffError: refused, or the last change may still land (``TimeOffUnclear``).
            TimeOffOffline: Clockify cannot be reached; nothing was sent.
        """
        meta = self.context.store.meta
        marker = f"timeoff_balance_inflight:{self.workspace_id}:{policy_id}:{user_id}"
        what = "change this balance"
        before = await self._balance_of(policy_id, user_id, what)
        held = meta.get(marker)
        if isinstance(held, dict):
            if before == held.get("expected"):
                meta.set(marker, None)  # the change sent before took after all
                self.forget("balances")
                return before
            until = held_until(held.get("sent_at"), self.context.clock().timestamp())
            if until is not None:
                shown = until.astimezone(self.context.zone()).strftime("%H:%M")
                raise TimeOffUnclear(
                    "The balance change sent before may still reach Clockify: it is not sent "
                    f"again before {shown} (`tracker timeoff balance` shows it once it is there).",
                    until,
                )
        expected = before + value
        meta.set(marker, {"expected": expected, "sent_at": self.context.clock().timestamp()})
        change = BalanceChange(user_ids=[user_id], value=value, note=note or None)
        try:
            with _asking(what, change=True):
                await self.api.time_off.change_balances(self.workspace_id, policy_id, change)
        except TimeOffUnclear:
            if await self._balance_of(policy_id, user_id, what) != expected:
                raise  # not there yet: the marker holds it back until the horizon
        except TimeOffError:
            meta.set(marker, None)  # refused or not sent: nothing may land
            raise
        meta.set(marker, None)
        self.forget("balances")
        return expected

    async def find_person(self, name: str) -> tuple[str, str]:
        """(user id, name) of the member called ``name`` (exact, else the only one whose
        name contains it); one request."""
        with _asking("list the workspace's people"):
            found = [u async for u in self.api.users.list(self.workspace_id, name=name.strip())]
        try:
            user = only_match(found, name)
        except LookupError as exc:
            raise TimeOffError(str(exc)) from exc
        return user.id, user.name or user.email or name.strip()

    async def _balance_of(self, policy_id: str, user_id: str, what: str) -> float:
        with _asking(what):
            found = await self.api.time_off.balances_of_policy(self.workspace_id, policy_id)
        for item in found:
            if item.user_id == user_id:
                return float(item.balance)
        raise TimeOffError("That person has no balance on this policy.")

    async def profile(self, *, refresh: bool = False) -> Kept[ProfileView]:
        """The person's member profile (capacity, working days)."""
        kept = kept_profile(self.context.store, self.workspace_id, self.user_id)
        if kept is not None and self._reuse("profile", refresh):
            return kept
        with _asking("read your member profile"):
            found = await self.api.member_profile.get(self.workspace_id, self.user_id)
        view = _profile_view(found)
        return Kept(view, self._keep("profile", [view.to_json()]))

    async def refresh_all(self) -> None:
        """Fetch what the week's plans read: profile, holidays, own requests."""
        await self.profile(refresh=True)
        await self.holidays(refresh=True)
        await self.requests(refresh=True)

    # --- changes -------------------------------------------------------------------------

    async def request(self, draft: RequestDraft) -> RequestView:
        """Ask for time off. A request whose answer was lost before is looked for first and
        adopted when found, so it is never asked twice."""
        meta = self.context.store.meta
        marker = _INFLIGHT + self._key("requests")
        held = meta.get(marker)
        if isinstance(held, dict) and {k: held.get(k) for k in draft.key()} == draft.key():
            for item in (await self.requests(refresh=True)).value:
                if _same(item, draft):
                    meta.set(marker, None)
                    return item
            self._wait_for_horizon(held.get("sent_at"), draft)
        body = self._body(draft)
        meta.set(marker, {**draft.key(), "sent_at": self.context.clock().timestamp()})
        policies = await self._naming()
        try:
            with _asking("ask for this time off", draft, change=True):
                made = await self.api.time_off.request(self.workspace_id, draft.policy_id, body)
        except TimeOffUnclear:
            self.forget("requests", "balances")
            raise
        except TimeOffError:
            meta.set(marker, None)
            raise
        meta.set(marker, None)
        view = request_view(made, policies)
        self._amend("requests", add=view.to_json())
        self.forget("balances")
        return view

    def _wait_for_horizon(self, sent_at: object, draft: RequestDraft) -> None:
        """Refuse to ask again while Clockify may still make the unclear request."""
        until = held_until(sent_at, self.context.clock().timestamp())
        if until is None:
            return
        shown = until.astimezone(self.context.zone()).strftime("%H:%M")
        raise TimeOffUnclear(
            "Clockify does not show the request sent before yet, and may still make it: "
            f"it is not asked again before {shown} (`tracker timeoff list` shows it once "
            "it is there).",
            until,
            draft,
        )

    def _body(self, draft: RequestDraft) -> TimeOffRequestCreate:
        if draft.last < draft.first:
            raise TimeOffError(f"The last day ({draft.last}) is before the first ({draft.first}).")
        if draft.hours is not None:
            if draft.first != draft.last or draft.half_day:
                raise TimeOffError("Hours are asked for on one day; give one day only.")
            if not 0 < draft.hours <= 24:
                raise TimeOffError("Hours must be more than 0 and at most 24.")
            start = datetime.combine(draft.first, draft.start_at, self.context.zone())
            # Elapsed hours, not wall-clock ones: on a DST day 3 hours from 01:00 end at
            # 05:00 or 03:00 on the clock, and Clockify charges what elapsed.
            end = start.astimezone(UTC) + timedelta(hours=draft.hours)
            span = TimeSpanWrite(start=_instant(start), end=_instant(end))
        else:
            if draft.half_day and draft.first != draft.last:
                raise TimeOffError("A half day is one day; give one day only.")
            span = TimeSpanWrite(start=draft.first.isoformat(), end=draft.last.isoformat())
        period = TimeOffPeriodWrite(
            period=span,
            is_half_day=True if draft.half_day else None,
            half_day_period="FIRST_HALF" if draft.half_day else None,
        )
        return TimeOffRequestCreate(time_off_period=period, note=draft.note or None)

    async def _find(self, request_id: str, *, mine: bool) -> RequestView:
        """The request named by its id (or the id's first :data:`SHORT_ID` characters).
        Someone else's is looked for among those waiting first (one page), and only when
        not there among every request one may see, which on a workspace with years of time
        off is many pages of the shared request budget."""
        if mine:
            found = _named((await self.requests(refresh=True)).value, request_id)
        else:
            found = _named(await self.team_requests(), request_id)
            if not found:
                found = _named(await self.team_requests(status=None), request_id)
        if len(found) > 1:
            raise TimeOffError(f"{request_id!r} names several requests; give more of its id.")
        if not found:
            whose = "your requests" if mine else "the requests you may see"
            raise TimeOffError(f"No time-off request {request_id} among {whose}.")
        return found[0]

    async def withdraw(self, request_id: str) -> RequestView:
        """Withdraw one's own request (approved days go back to the balance)."""
        item = await self._find(request_id, mine=True)
        try:
            with _asking("withdraw this request", change=True):
                await self.api.time_off.withdraw(self.workspace_id, item.policy_id, item.id)
        except TimeOffUnclear:
            self.forget("requests", "balances")
            if item.id in {r.id for r in (await self.requests(refresh=True)).value}:
                raise  # still there: it may yet go, and is looked for before trying again
        self._amend("requests", drop=item.id)
        self.forget("balances")
        return item

    async def decide(
        self, request_id: str, *, approve: bool, note: str | None = None
    ) -> RequestView:
        """Approve or reject someone's pending request (with a note). Deciding what is
        already decided says so instead of sending again. A note that could not be sent
        (offline, or an answer lost and the change not seen) is kept, under the id as
        given, and used when ``note`` is ``None`` next time."""
        if note is None:
            note = self.kept_note(request_id)
        try:
            return await self._decide(request_id, approve=approve, note=note)
        except (TimeOffOffline, TimeOffUnclear) as exc:
            if not note:
                raise
            self._keep_note(request_id, note)
            kept = " Your note is kept here and sent when you run this again."
            raise type(exc)(f"{exc.message}{kept}") from exc

    async def _decide(self, request_id: str, *, approve: bool, note: str | None) -> RequestView:
        item = await self._find(request_id, mine=False)
        wanted = "APPROVED" if approve else "REJECTED"
        if not approve and not (note or "").strip() and item.status == "PENDING":
            raise TimeOffNoteNeeded("Say why (a note) when rejecting a request.")
        if item.status == wanted:
            self._forget_note(request_id)
            return item
        if item.status != "PENDING":
            raise TimeOffError(f"This request is already {item.status.lower()}.")
        verb = "approve" if approve else "reject"
        policies = await self._naming()
        try:
            with _asking(f"{verb} this request", change=True):
                changed = await self.api.time_off.set_status(
                    self.workspace_id, item.policy_id, item.id, status=wanted, note=note
                )
        except TimeOffUnclear:
            self.forget("requests", "balances")
            now = await self._find(item.id, mine=False)  # the answer was lost: did it take?
            if now.status != wanted:
                raise
            self._forget_note(request_id)
            return RequestView(**{**asdict(now), "user": item.user, "policy": item.policy})
        self._forget_note(request_id)
        self.forget("requests", "balances")
        view = request_view(changed, policies)
        return RequestView(**{**asdict(view), "user": item.user, "policy": item.policy})

    def _note_key(self, request_id: str) -> str:
        return cache_key("note", self.workspace_id, request_id)

    def kept_note(self, request_id: str) -> str | None:
        """A decision's note kept because it could not be sent (by the full id)."""
        found = self.cache.get(self._note_key(request_id))
        note = None if found is None else found.data.get("note")
        return note if isinstance(note, str) and note else None

    def _keep_note(self, request_id: str, note: str) -> None:
        """Keep a note that could not be sent (with the cache: gone on logout)."""
        at = self.context.clock().timestamp()
        self.cache.put(self._note_key(request_id), self.workspace_id, {"note": note}, at)

    def _forget_note(self, request_id: str) -> None:
        self.cache.drop(self._note_key(request_id))

    # --- administration (owner and admins) -------------------------------------------------

    async def add_policy(
        self,
        name: str,
        *,
        unit: str = "DAYS",
        half_day: bool = False,
        approval: bool = True,
        negative: bool = False,
    ) -> PolicyView:
        """Create a policy for everyone."""
        body = PolicyWrite(
            name=name,
            approve=PolicyApproval(requires_approval=approval, team_managers=approval),
            time_unit=unit,
            allow_half_day=half_day,
            allow_negative_balance=negative,
        )
        with _asking("create a policy", change=True):
            made = await self.api.time_off.create_policy(self.workspace_id, body)
        self.forget("policies", "balances")
        return _policy_view(made)

    async def edit_policy(self, policy_id: str, **changes: Any) -> PolicyView:
        """Change a policy's name, half days, approval or negative balance."""
        with _asking("change this policy", change=True):
            current = await self.api.time_off.policy(self.workspace_id, policy_id)
            made = await self.api.time_off.replace_policy(
                self.workspace_id, policy_id, PolicyWrite.of(current, **changes)
            )
        self.forget("policies", "balances")
        return _policy_view(made)

    async def archive_policy(self, policy_id: str, *, archived: bool = True) -> PolicyView:
        """Archive (or restore) a policy."""
        with _asking("archive this policy", change=True):
            made = await self.api.time_off.set_policy_status(
                self.workspace_id, policy_id, archived=archived
            )
        self.forget("policies", "balances")
        return _policy_view(made)

    async def save_holiday(
        self,
        name: str,
        first: date,
        last: date,
        *,
        annual: bool = False,
        holiday_id: str | None = None,
    ) -> HolidayView:
        """Create (or, with ``holiday_id``, replace) a holiday for everyone."""
        if last < first:
            raise TimeOffError(f"The last day ({last}) is before the first ({first}).")
        body = HolidayWrite(
            name=name,
            date_period=DatePeriodWrite(start_date=first.isoformat(), end_date=last.isoformat()),
            occurs_annually=annual,
            everyone_including_new=True,
        )
        with _asking("save this holiday", change=True):
            if holiday_id is None:
                made = await self.api.holidays.create(self.workspace_id, body)
            else:
                made = await self.api.holidays.replace(self.workspace_id, holiday_id, body)
        view = _holiday_view(made)
        self._amend("holidays", add=view.to_json())  # for everyone: mine too
        return view

    async def delete_holiday(self, holiday_id: str) -> None:
        """Delete a holiday."""
        with _asking("delete this holiday", change=True):
            await self.api.holidays.delete(self.workspace_id, holiday_id)
        self._amend("holidays", drop=holiday_id)


def _balance_view(item: Balance) -> BalanceView:
    return BalanceView(
        item.policy_id,
        item.policy_name,
        item.policy_time_unit,
        item.total,
        item.used,
        item.balance,
    )


def _named(listed: list[RequestView], request_id: str) -> list[RequestView]:
    found = [r for r in listed if r.id == request_id]
    if not found and len(request_id) >= SHORT_ID:
        found = [r for r in listed if r.id.startswith(request_id)]
    return found


def _same(item: RequestView, draft: RequestDraft) -> bool:
    return (
        item.policy_id == draft.policy_id
        and item.first == draft.first
        and item.last == draft.last
        and item.status in ("PENDING", "APPROVED")
    )


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
