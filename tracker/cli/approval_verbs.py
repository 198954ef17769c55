"""Verbs for timesheet approvals: submit, approvals, approve, reject, withdraw.

Each asks Clockify (a few requests, in the shared budget). ``tracker approvals`` shows the kept
copy with when it was fetched when Clockify cannot be reached.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, cast

from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line
from tracker.domain.approval_periods import Period
from tracker.services.abilities import APPROVAL, plan_lacks
from tracker.services.errors import ServiceError

if TYPE_CHECKING:
    from tracker.services.approval_locks import KeptRequest
    from tracker.services.approvals import Approvals, Decision

__all__ = ["cmd_approvals", "cmd_approve", "cmd_reject", "cmd_submit", "cmd_withdraw"]

T = TypeVar("T")

_STATE = {
    "PENDING": "waiting for approval",
    "APPROVED": "approved",
    "REJECTED": "rejected",
    "WITHDRAWN_SUBMISSION": "withdrawn",
    "WITHDRAWN_APPROVAL": "approval withdrawn",
}
_EVERY = {"weekly": "WEEKLY", "semi-monthly": "SEMI_MONTHLY", "monthly": "MONTHLY"}


def _state(state: str) -> str:
    """A request's state for people (one Clockify did not document shown as sent, on one
    line)."""
    return _STATE.get(state, one_line(state.lower()))


def _connected(rt: Runtime) -> None:
    if not rt.key_configured():
        raise UserError("Approvals live on Clockify: run `tracker login` first.")
    if rt.store.meta.account() is None:
        rt.fetch_references_once()  # connects a key given in the environment
    if rt.store.meta.account() is None or not rt.store.meta.workspace_id():
        raise UserError("Approvals live on Clockify: run `tracker login` first.")
    if plan_lacks(rt.store, APPROVAL):
        raise UserError(
            "This workspace's Clockify plan has no timesheet approvals (they come with the "
            "Standard plan and above)."
        )


def _run(rt: Runtime, work: Callable[[Approvals], Awaitable[T]]) -> T:
    """Run ``work`` against Clockify; its refusals become the CLI's."""
    from tracker.api import ClockifyClient  # noqa: PLC0415 - network verbs only
    from tracker.services.approvals import ApprovalError, run_approvals  # noqa: PLC0415
    from tracker.sync.runner import budget_for  # noqa: PLC0415

    _connected(rt)
    store = rt.store
    key = rt.api_key()
    servers = rt.servers()
    workspace_id = store.meta.workspace_id()

    def connect() -> ClockifyClient:
        return ClockifyClient(key, servers=servers, budget=budget_for(store, workspace_id))

    try:
        return run_approvals(rt.context, connect, work)
    except ApprovalError as exc:
        raise UserError(exc.message) from exc


def _local(rt: Runtime) -> Approvals:
    from tracker.services.approvals import Approvals  # noqa: PLC0415

    return Approvals(rt.context)


def _period(rt: Runtime, text: str | None) -> Period:
    """``this`` (the default), ``last``, or any day of the period."""
    approvals = _local(rt)
    every = getattr(rt.args, "every", None)
    if every:
        approvals.set_period_kind(_EVERY[every])
    today = rt.context.today()
    word = (text or "this").strip().casefold()
    if word in ("this", "current"):
        return approvals.period_of(today)
    if word in ("last", "previous"):
        return approvals.period_of(today).previous(rt.store.meta.profile().week_start)
    day: date = rt.day(text or "today")
    return approvals.period_of(day)


def _line(request: KeptRequest, *, whose: bool = False) -> str:
    hours = request.tracked_seconds / 3600
    who = f"{one_line(request.owner_name)}  " if whose else ""
    said = f'  "{one_line(request.note)}"' if request.note else ""
    decided = request.decided_by and request.state != "PENDING"
    by = f" by {one_line(request.decided_by)}" if decided else ""
    return (
        f"{request.id[:8]}  {who}{request.period.label()}  {hours:5.1f} h  "
        f"{_state(request.state)}{by}{said}"
    )


def _done(rt: Runtime, verb: str, request: KeptRequest) -> int:
    rt.emit(
        {"done": verb, "request": request.to_json()},
        [f"{request.period.label()}: {_state(request.state)}."],
    )
    return 0


def cmd_submit(rt: Runtime) -> int:
    """Submit a period of mine for approval (again, after a rejection)."""
    period = _period(rt, rt.args.period)
    done = _run(rt, lambda approvals: approvals.submit(period))
    return _done(rt, "submitted", done)


def cmd_withdraw(rt: Runtime) -> int:
    """Take back a submission that waits for approval."""
    period = _period(rt, rt.args.period)
    done = _run(rt, lambda approvals: approvals.withdraw(period))
    return _done(rt, "withdrawn", done)


def _decide(rt: Runtime, state: str, note: str | None) -> int:
    _connected(rt)
    local = _local(rt)
    try:
        request_id = local.resolve(rt.args.id)
    except ServiceError as exc:
        raise UserError(exc.message) from exc
    if state == "REJECTED" and not note and local.kept_note(request_id) is None:
        raise UserError("Say what to fix: --note TEXT (it goes to them with the rejection).")

    async def work(approvals: Approvals) -> KeptRequest:
        return await approvals.decide(request_id, cast("Decision", state), note)

    done = _run(rt, work)
    who = f"{one_line(done.owner_name)}'s " if done.owner_name else ""
    rt.emit(
        {"done": state.lower(), "request": done.to_json()},
        [f"{who}{done.period.label()}: {_state(done.state)}."],
    )
    return 0


def cmd_approve(rt: Runtime) -> int:
    """Approve someone's pending period."""
    return _decide(rt, "APPROVED", rt.args.note)


def cmd_reject(rt: Runtime) -> int:
    """Reject someone's pending period with a note saying what to fix."""
    note = (rt.args.note or "").strip() or None
    return _decide(rt, "REJECTED", note)


def cmd_approvals(rt: Runtime) -> int:
    """My periods and where they stand; ``--pending``: others' waiting for my decision."""
    from tracker.services.approvals import ApprovalOffline  # noqa: PLC0415

    pending = bool(rt.args.pending)
    try:
        if pending:
            requests = _run(rt, lambda approvals: approvals.team_pending())
            as_of = rt.context.now()
        else:
            mine = _run(rt, lambda approvals: approvals.mine(refresh=True))
            requests, as_of = list(mine.requests), mine.as_of
    except UserError as exc:
        local = _local(rt)
        kept = local.kept_team() if pending else local.kept()
        if kept is None or not isinstance(exc.__cause__, ApprovalOffline):
            raise
        print(
            f"tracker: {exc}; showing what was fetched at {kept.as_of:%Y-%m-%d %H:%M} UTC.",
            file=sys.stderr,
        )
        requests, as_of = list(kept.requests), kept.as_of
    data: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "pending_for_me": pending,
        "requests": [r.to_json() for r in requests],
    }
    if not requests:
        lines = ["Nothing waits for your decision." if pending else "No periods submitted yet."]
    else:
        lines = [_line(r, whose=pending) for r in requests]
    rt.emit(data, lines)
    return 0
