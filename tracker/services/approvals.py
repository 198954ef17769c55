"""Timesheet approvals: my periods and their state, submitting and withdrawing them, and the
team's pending periods that a manager or admin approves or rejects with a note.

Server-first data: every answer is kept in the store's report cache (``approvals:`` keys,
:mod:`tracker.services.approval_locks`) with the time it was fetched, so the CLI and the
windows show it at once, offline too, labelled "as of". Every request goes through the
client's request budget. No Qt here: the CLI runs :class:`Approvals` on a fresh event loop,
the app on its sync worker.

A write is never sent twice. Submitting is a POST and a decision a PATCH that Clockify refuses
to repeat; when the answer is lost after the request left (a timeout, a dropped connection),
the list is read back to learn whether it took, and the person is told either way. When
Clockify cannot be reached, nothing is sent, the sentence says so, and a decision's note is
kept for the next try.

The workspace's approval period (weekly, semi-monthly, monthly) cannot be read through the
API; it is learnt from the periods of my requests, or given once (``--every``), and kept.
"""

from __future__ import annotations

import asyncio
import calendar
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, tzinfo
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from tracker.api import (
    BadRequestError,
    BudgetExhaustedError,
    ClockifyClient,
    ClockifyError,
    ForbiddenError,
    TransportError,
    UnauthorizedError,
)
from tracker.api.models.approvals import ApprovalRequest, ApprovalUpdate, PeriodKind
from tracker.domain.approval_periods import PERIOD_KINDS, Period, period_containing
from tracker.services.approval_locks import (
    KEY_PREFIX,
    KeptApprovals,
    KeptRequest,
    kept_approvals,
    mine_key,
    team_key,
)
from tracker.services.context import Context
from tracker.services.errors import ServiceError
from tracker.store.report_cache import FRESH_SECONDS, ReportCache
from tracker.sync.unclear import held_until

__all__ = [
    "PERIOD_SETTING",
    "ApprovalError",
    "ApprovalOffline",
    "Approvals",
    "Decision",
    "infer_kind",
    "run_approvals",
]

T = TypeVar("T")

PERIOD_SETTING = "approval_period:"
"""Meta key prefix (+ workspace id) of the workspace's approval period as learnt or given."""

_IN_FLIGHT = "approval_inflight:"
"""Meta key prefix (+ workspace and user id) of the writes whose answer was lost: what each
was (``submit:<first day>``, ``decide:<request id>``) and when it went out."""


Decision = Literal["APPROVED", "REJECTED", "WITHDRAWN_SUBMISSION", "WITHDRAWN_APPROVAL"]

_DONE = {
    "APPROVED": "approved",
    "REJECTED": "rejected",
    "WITHDRAWN_SUBMISSION": "withdrawn",
    "WITHDRAWN_APPROVAL": "approval withdrawn",
}


class ApprovalError(ServiceError):
    """Clockify refused, or the request cannot be made; the message is one sentence."""


class ApprovalOffline(ApprovalError):
    """Clockify could not be reached; nothing was sent."""


def infer_kind(first: date, last: date) -> str:
    """The approval period a run of days is: a week, a half month or a month."""
    end = calendar.monthrange(first.year, first.month)[1]
    if first.day == 1 and last == first.replace(day=end):
        return "MONTHLY"
    if (first.day, last.day) == (1, 15) or (first.day == 16 and last == first.replace(day=end)):
        return "SEMI_MONTHLY"
    return "WEEKLY"


def _zone(name: str | None, fallback: tzinfo) -> tzinfo:
    try:
        return ZoneInfo(name) if name else fallback
    except (ValueError, KeyError):
        return fallback


def _kept(request: ApprovalRequest, fallback: tzinfo, tracked: int = 0) -> KeptRequest:
    """A request as kept: its days in the owner's zone."""
    zone = _zone(request.owner.time_zone, fallback)
    rng = request.date_range
    if rng.start is None or rng.end is None:
        raise ApprovalError("Clockify sent an approval request without its days.")
    first = rng.start.astimezone(zone).date()
    last = rng.end.astimezone(zone).date()
    return KeptRequest(
        id=request.id,
        owner_id=request.owner.user_id,
        owner_name=request.owner.user_name or "",
        period=Period(first, last, infer_kind(first, last)),
        state=request.status.state,
        note=request.status.note or "",
        decided_by=request.status.updated_by_user_name or "",
        tracked_seconds=tracked,
    )


@contextlib.contextmanager
def _asking() -> Iterator[None]:
    """Clockify's failures as one sentence for a person."""
    try:
        yield
    except ApprovalError:
        raise
    except UnauthorizedError as exc:
        raise ApprovalError("Clockify refused the API key (run `tracker login`).") from exc
    except ForbiddenError as exc:
        said = exc.server_message or "not allowed"
        raise ApprovalError(
            f"Clockify refused ({said}): approvals need a Standard plan or higher, and only "
            "the owner, admins and a person's manager decide on their time."
        ) from exc
    except BadRequestError as exc:
        raise ApprovalError(f"Clockify refused: {exc.server_message or exc.message}") from exc
    except (TransportError, BudgetExhaustedError) as exc:
        if _unclear(exc):
            raise ApprovalError(f"Clockify did not answer: {exc.message}") from exc
        first = exc.message.split(". ")[0].rstrip(".")
        raise ApprovalOffline(
            f"Clockify cannot be reached now ({first}); nothing was sent."
        ) from exc
    except ClockifyError as exc:
        raise ApprovalError(f"Clockify could not do it: {exc.message}") from exc


def _unclear(exc: ClockifyError) -> bool:
    """Whether a write may have reached Clockify although no answer came back."""
    return bool(getattr(exc, "maybe_committed", False))


class Approvals:
    """My approval periods and the team's pending ones in the current workspace.

    Args:
        context: the store (cache, account, profile) and clock.
        api: the client; ``None`` for what needs no request (the kept copy, periods).
    """

    def __init__(self, context: Context, api: ClockifyClient | None = None) -> None:
        self.context = context
        self._api = api
        self.cache = ReportCache(context.store.conn)

    @property
    def api(self) -> ClockifyClient:
        """The client."""
        if self._api is None:
            raise RuntimeError("approvals were opened without a client")
        return self._api

    @property
    def workspace_id(self) -> str:
        """The current workspace."""
        return self.context.workspace_id

    @property
    def user_id(self) -> str:
        """Who I am on Clockify."""
        user_id = self.context.store.meta.account_user_id()
        if user_id is None:
            raise ApprovalError("Approvals need a Clockify account: run `tracker login` first.")
        return user_id

    # --- periods ----------------------------------------------------------------------------

    def period_kind(self) -> str:
        """The workspace's approval period: as given or learnt, else from my latest request,
        else weekly (Clockify's default)."""
        known = self.context.store.meta.get(PERIOD_SETTING + self.workspace_id)
        if isinstance(known, str) and known in PERIOD_KINDS:
            return known
        kept = self.kept()
        if kept is not None and kept.requests:
            return max(kept.requests, key=lambda r: r.period.first).period.kind
        return "WEEKLY"

    def set_period_kind(self, kind: str) -> None:
        """Remember the workspace's approval period (``WEEKLY``, ``SEMI_MONTHLY``,
        ``MONTHLY``)."""
        if kind not in PERIOD_KINDS:
            raise ApprovalError(f"The approval period is one of {', '.join(PERIOD_KINDS)}.")
        self.context.store.meta.set(PERIOD_SETTING + self.workspace_id, kind)

    def period_of(self, day: date) -> Period:
        """The approval period that holds ``day``."""
        week_start = self.context.store.meta.profile().week_start
        return period_containing(day, self.period_kind(), week_start)

    def locked_reason(self, day: date) -> str | None:
        """Why time on ``day`` cannot change (the one check the entry services make)."""
        from tracker.services.approval_locks import locked_reason  # noqa: PLC0415

        return locked_reason(self.context.store.conn, self.workspace_id, self.user_id, day)

    # --- reading ----------------------------------------------------------------------------

    def kept(self) -> KeptApprovals | None:
        """My requests as last fetched, however old (offline)."""
        user_id = self.context.store.meta.account_user_id()
        if user_id is None:
            return None
        return kept_approvals(self.context.store.conn, self.workspace_id, user_id)

    async def mine(self, *, refresh: bool = False) -> KeptApprovals:
        """My requests, all states, oldest period first: the kept copy while younger than
        five minutes, else one request per 200 (and kept)."""
        if not refresh:
            kept = self.kept()
            moment = self.context.clock().timestamp()
            if kept is not None and 0 <= moment - kept.as_of.timestamp() < FRESH_SECONDS:
                return kept
        me = self.user_id
        zone = self.context.zone()
        with _asking():
            found = [
                _kept(d.approval_request, zone, int(d.tracked_time.total_seconds()))
                async for d in self.api.approvals.list(self.workspace_id)
                if d.approval_request.owner.user_id == me
            ]
        now = self.context.now()
        kept = KeptApprovals(tuple(found), now)
        self.cache.put(
            mine_key(self.workspace_id, me), self.workspace_id, kept.to_json(), now.timestamp()
        )
        return kept

    async def team_pending(self) -> list[KeptRequest]:
        """Others' periods waiting for my decision (managers: their people; admins: all)."""
        me = self.user_id
        zone = self.context.zone()
        with _asking():
            found = [
                _kept(d.approval_request, zone, int(d.tracked_time.total_seconds()))
                async for d in self.api.approvals.list(self.workspace_id, status="PENDING")
                if d.approval_request.owner.user_id != me
            ]
        now = self.context.now()
        self.cache.put(
            team_key(self.workspace_id, me),
            self.workspace_id,
            {"requests": [r.to_json() for r in found]},
            now.timestamp(),
        )
        return found

    def kept_team(self) -> KeptApprovals | None:
        """The team's pending periods as last fetched, however old (offline, and for ids
        given by their start)."""
        found = self.cache.get(team_key(self.workspace_id, self.user_id))
        if found is None:
            return None
        try:
            requests = tuple(KeptRequest.from_json(item) for item in found.data["requests"])
        except (KeyError, TypeError, ValueError):
            return None
        return KeptApprovals(requests, datetime.fromtimestamp(found.fetched_at, UTC))

    def resolve(self, ref: str) -> str:
        """A request id from an id or the start of one among the kept requests."""
        ref = ref.strip().lower()
        kept = self.kept()
        team = self.kept_team()
        known = [*(kept.requests if kept else ()), *(team.requests if team else ())]
        ids = sorted({r.id for r in known if r.id.startswith(ref)})
        if ref in ids:
            return ref
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise ApprovalError(f"{ref!r} starts several approval requests; give more of it.")
        if len(ref) == 24 and all(c in "0123456789abcdef" for c in ref):
            return ref
        raise ApprovalError(
            f"No approval request {ref!r} is known here; `tracker approvals --pending` lists them."
        )

    # --- writing ----------------------------------------------------------------------------

    async def submit(self, period: Period) -> KeptRequest:
        """Submit my period for approval (again, after a rejection or a withdrawal)."""
        flight = f"submit:{period.first.isoformat()}"
        mine = await self.mine(refresh=True)
        existing = mine.for_period(period)
        if existing is not None and existing.state == "PENDING":
            if self._landed(flight):
                return existing  # the submission whose answer was lost took after all
            raise ApprovalError(f"{period.label()} is already waiting for approval.")
        if existing is not None and existing.state == "APPROVED":
            self._landed(flight)
            raise ApprovalError(f"{period.label()} is already approved.")
        self._hold(flight, f"the submission of {period.label()}")
        again = existing is not None and existing.state in ("REJECTED", "WITHDRAWN_APPROVAL")
        kind: PeriodKind = period.kind  # type: ignore[assignment]
        approvals = self.api.approvals
        send = approvals.resubmit if again else approvals.submit
        self._sending(flight)
        try:
            with _asking():
                made = await send(self.workspace_id, period.first, kind)
        except ApprovalError as exc:
            cause = exc.__cause__
            if not (isinstance(cause, ClockifyError) and _unclear(cause)):
                self._landed(flight)
                raise
            return await self._confirm_submit(period, flight)
        self._landed(flight)
        if self.context.store.meta.get(PERIOD_SETTING + self.workspace_id) is None:
            self.set_period_kind(period.kind)
        return await self._refreshed(made)

    async def _confirm_submit(self, period: Period, flight: str) -> KeptRequest:
        """After a submit whose answer was lost: did it take? Not found yet, it may still
        take (a late commit), so it is not sent again before the horizon."""
        mine = await self.mine(refresh=True)
        found = mine.for_period(period)
        if found is not None and found.state == "PENDING":
            self._landed(flight)
            return found
        what = f"the submission of {period.label()}"
        raise self._held(flight, what) or ApprovalError(
            f"Clockify did not confirm {what} and does not have it: run the same command again."
        )

    # --- writes whose answer was lost (sync rule 3, for approvals) ---------------------------

    def _flight_key(self) -> str:
        return f"{_IN_FLIGHT}{self.workspace_id}:{self.user_id}"

    def _flights(self) -> dict[str, float]:
        found = self.context.store.meta.get(self._flight_key())
        if not isinstance(found, dict):
            return {}
        return {k: float(v) for k, v in found.items() if isinstance(v, int | float)}

    def _sending(self, flight: str) -> None:
        """Note that ``flight`` goes out now, before it does (a kill keeps the note)."""
        flights = self._flights()
        flights[flight] = self.context.clock().timestamp()
        self.context.store.meta.set(self._flight_key(), flights)

    def _landed(self, flight: str) -> bool:
        """Forget ``flight`` (its outcome is known); whether it was in flight."""
        flights = self._flights()
        known = flights.pop(flight, None) is not None
        if known:
            self.context.store.meta.set(self._flight_key(), flights or None)
        return known

    def _hold(self, flight: str, what: str) -> None:
        """Refuse to send ``flight`` again while Clockify may still commit the one whose
        answer was lost (a look found nothing yet)."""
        held = self._held(flight, what)
        if held is not None:
            raise held

    def _held(self, flight: str, what: str) -> ApprovalError | None:
        """Why ``flight`` is not sent again: until :data:`UNCLEAR_HORIZON` after it went
        out, Clockify may still commit it. ``None`` when it may go (and it is forgotten)."""
        sent_at = self._flights().get(flight)
        if sent_at is None:
            return None
        until = held_until(sent_at, self.context.clock().timestamp())
        if until is None:
            self._landed(flight)  # a look after the horizon did not find it: it never took
            return None
        shown = until.astimezone(self.context.zone()).strftime("%H:%M")
        return ApprovalError(
            f"Clockify did not confirm {what} and does not show it yet; it may still take "
            f"it, so it is not sent again before {shown} (`tracker approvals` shows it once "
            "it is there)."
        )

    async def withdraw(self, period: Period) -> KeptRequest:
        """Take back my submission of ``period`` while it waits for approval."""
        mine = await self.mine(refresh=True)
        existing = mine.for_period(period)
        if existing is None or existing.state != "PENDING":
            state = "not submitted" if existing is None else _DONE.get(existing.state, "closed")
            raise ApprovalError(
                f"{period.label()} is not waiting for approval ({state}); nothing to withdraw."
            )
        return await self.decide(existing.id, "WITHDRAWN_SUBMISSION")

    async def decide(
        self, request_id: str, state: Decision, note: str | None = None
    ) -> KeptRequest:
        """Approve, reject or withdraw a request, with a note. A note that could not be sent
        is kept and used when ``note`` is ``None`` next time."""
        draft_key = self._note_key(request_id)
        if note is None:
            note = self.kept_note(request_id)
        flight = f"decide:{request_id}"
        if flight in self._flights():
            found = await self._read_back(request_id, state, draft_key)
            if found is not None:
                self._landed(flight)
                return found
            self._hold(flight, f"that the request was {_DONE[state]}")
        change = ApprovalUpdate(state=state, note=note or None)
        self._sending(flight)
        try:
            with _asking():
                done = await self.api.approvals.update(self.workspace_id, request_id, change)
        except ApprovalOffline as exc:
            self._landed(flight)
            if note:
                self._keep_note(draft_key, note)
                raise ApprovalOffline(
                    f"{exc.message} Your note is kept here and sent when you run this again."
                ) from exc
            raise
        except ApprovalError as exc:
            cause = exc.__cause__
            if not (isinstance(cause, ClockifyError) and _unclear(cause)):
                self._landed(flight)
                raise
            return await self._confirm_decision(request_id, state, draft_key, note)
        self._landed(flight)
        self.cache.drop(draft_key)
        return await self._refreshed(done)

    async def _read_back(
        self, request_id: str, state: Decision, draft_key: str
    ) -> KeptRequest | None:
        """The request when Clockify shows it in ``state`` (its kept note dropped)."""
        zone = self.context.zone()
        with _asking():
            async for details in self.api.approvals.list(self.workspace_id):
                if details.approval_request.id == request_id:
                    found = _kept(details.approval_request, zone)
                    if found.state != state:
                        return None
                    self.cache.drop(draft_key)
                    await self.mine(refresh=True)
                    return found
        return None

    async def _confirm_decision(
        self, request_id: str, state: Decision, draft_key: str, note: str | None
    ) -> KeptRequest:
        """After a decision whose answer was lost: read the request back. Not there yet, it
        may still take (a late commit): the note is kept, and nothing is sent again before
        the horizon."""
        flight = f"decide:{request_id}"
        found = await self._read_back(request_id, state, draft_key)
        if found is not None:
            self._landed(flight)
            return found
        kept = ""
        if note:
            self._keep_note(draft_key, note)
            kept = " Your note is kept here and sent when you run this again."
        what = f"that the request was {_DONE[state]}"
        held = self._held(flight, what)
        said = held.message if held else f"Clockify did not confirm {what}: run it again."
        raise ApprovalError(f"{said}{kept}")

    def _note_key(self, request_id: str) -> str:
        return f"{KEY_PREFIX}{self.workspace_id}:note:{request_id}"

    def kept_note(self, request_id: str) -> str | None:
        """A decision's note kept because it could not be sent."""
        draft = self.cache.get(self._note_key(request_id))
        note = None if draft is None else draft.data.get("note")
        return note if isinstance(note, str) else None

    def _keep_note(self, key: str, note: str) -> None:
        """Keep a note that could not be sent (with the cache: gone on logout)."""
        self.cache.put(key, self.workspace_id, {"note": note}, self.context.clock().timestamp())

    async def _refreshed(self, request: ApprovalRequest) -> KeptRequest:
        """The written request as kept. When it is mine it replaces its old copy in my kept
        list (no request: the answer says all), so the lock on approved days follows."""
        done = _kept(request, self.context.zone())
        kept = self.kept()
        if done.owner_id != self.user_id or kept is None:
            return done
        old = next((r for r in kept.requests if r.id == done.id), None)
        if old is not None:
            done = replace(done, tracked_seconds=old.tracked_seconds)
        others = [r for r in kept.requests if r.id != done.id]
        mine = KeptApprovals(
            tuple(sorted([*others, done], key=lambda r: r.period.first)), kept.as_of
        )
        self.cache.put(
            mine_key(self.workspace_id, self.user_id),
            self.workspace_id,
            mine.to_json(),
            kept.as_of.timestamp(),
        )
        return done


def run_approvals(
    context: Context,
    connect: Callable[[], ClockifyClient],
    work: Callable[[Approvals], Awaitable[T]],
) -> T:
    """Run ``work`` with a fresh client on a fresh event loop (a process without one: the
    CLI)."""

    async def go() -> T:
        async with connect() as api:
            return await work(Approvals(context, api))

    return asyncio.run(go())
