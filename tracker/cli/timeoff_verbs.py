"""Verbs for time off and holidays: ``tracker timeoff ...`` and ``tracker holidays ...``.

Time off lives on Clockify, so these verbs need an account (``tracker login`` or
``CLOCKIFY_API_KEY``). Reads show what was fetched in the last few minutes without a request,
and what was fetched before (with its time) when Clockify cannot be reached. Changes are sent
at once and never twice: offline, nothing is sent and the verb says to run it again; a
request whose answer was lost is looked for before it is asked again. Every request is
counted in the budget every process on the store shares.
"""

from __future__ import annotations

import asyncio
import math
import sys
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line
from tracker.services.abilities import TIME_OFF, plan_lacks

if TYPE_CHECKING:
    from tracker.services.timeoff import (
        BalanceView,
        HolidayView,
        Kept,
        PolicyView,
        RequestView,
        TimeOff,
    )

__all__ = ["cmd_holidays", "cmd_timeoff"]

T = TypeVar("T")


# --- talking to Clockify -------------------------------------------------------------------------


def _require_account(rt: Runtime) -> None:
    if not rt.key_configured():
        raise UserError("Time off lives on Clockify: run `tracker login` first.")
    if rt.store.meta.account() is None:
        rt.fetch_references_once()  # connects a key from the environment
    if rt.store.meta.account() is None or not rt.store.meta.workspace_id():
        raise UserError("Clockify cannot be reached to connect the account; try again later.")
    if plan_lacks(rt.store, TIME_OFF):
        raise UserError(
            "This workspace's Clockify plan has no time off or holidays (they come with the "
            "Standard plan and above)."
        )


def _run(rt: Runtime, work: Callable[[TimeOff], Awaitable[T]]) -> T:
    """Run ``work`` on the time-off service with a client in the shared budget.

    Raises:
        UserError: Clockify refused, or (for a change) could not be reached.
    """
    from tracker.api import ClockifyClient  # noqa: PLC0415 - network verbs only
    from tracker.services.fresh_client import run_with_client  # noqa: PLC0415
    from tracker.services.timeoff import TimeOff, TimeOffError, TimeOffOffline  # noqa: PLC0415
    from tracker.sync.runner import budget_for  # noqa: PLC0415

    _require_account(rt)
    store = rt.store
    key = rt.api_key()
    servers = rt.servers()
    workspace_id = store.meta.workspace_id()

    def connect() -> ClockifyClient:
        return ClockifyClient(key, servers=servers, budget=budget_for(store, workspace_id))

    try:
        return run_with_client(connect, lambda api: work(TimeOff(rt.context, api)), TimeOffOffline)
    except TimeOffError as exc:
        raise UserError(exc.message) from exc


def _read(rt: Runtime, work: Callable[[TimeOff], Coroutine[Any, Any, Kept[T]]]) -> Kept[T]:
    """A read from Clockify, else what was fetched before (said on stderr), else the error."""
    from tracker.services.timeoff import TimeOff, TimeOffError, TimeOffOffline  # noqa: PLC0415

    try:
        return _run(rt, work)
    except UserError as exc:
        problem = exc
    try:
        kept: Kept[T] = asyncio.run(work(TimeOff(rt.context)))
    except (TimeOffOffline, TimeOffError):
        raise problem from None
    print(f"tracker: {problem}; showing what was fetched at {_at(kept.as_of)}.", file=sys.stderr)
    return kept


def _refresh(rt: Runtime) -> bool:
    """``--refresh``: ask Clockify even if what is kept is minutes old."""
    return bool(getattr(rt.args, "refresh", False))


def _at(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _amount(value: float, unit: str) -> str:
    text = f"{value:g}"
    if unit == "HOURS":
        return f"{text} h"
    return f"{text} day" if value == 1 else f"{text} days"


def _policy(policies: list[PolicyView], wanted: str) -> PolicyView:
    """The policy named ``wanted`` (its name, a unique part of it, or its id)."""
    folded = wanted.strip().casefold()
    for policy in policies:
        if policy.id == wanted.strip() or policy.name.casefold() == folded:
            return policy
    matches = [p for p in policies if folded and folded in p.name.casefold() and not p.archived]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(one_line(p.name) for p in policies if not p.archived) or "none"
    if matches:
        raise UserError(f"{wanted!r} matches several policies ({names}); give its full name.")
    raise UserError(f"No time-off policy {wanted!r}; the policies are: {names}.")


# --- tracker timeoff ---------------------------------------------------------------------------


def cmd_timeoff(rt: Runtime) -> int:
    """Time-off balances, requests, approvals and policies."""
    action = rt.args.action or "balance"
    verbs: dict[str, Callable[[Runtime], int]] = {
        "balance": _balance,
        "list": _list,
        "request": _request,
        "withdraw": _withdraw,
        "approve": _decide,
        "reject": _decide,
        "policies": _policies,
    }
    return verbs[action](rt)


def _balance(rt: Runtime) -> int:
    if rt.args.change is not None:
        return _change_balance(rt)
    kept = _read(rt, lambda s: s.balances(refresh=_refresh(rt)))
    rows = kept.value
    data = {"as_of": kept.as_of.isoformat(), "balances": [_balance_json(b) for b in rows]}
    lines = table(
        ["Policy", "Left", "Used", "Total", "Pending"],
        [
            [
                one_line(b.policy),
                _amount(b.balance, b.unit),
                _amount(b.used, b.unit),
                _amount(b.total, b.unit),
                _amount(b.pending, b.unit) if b.pending else "",
            ]
            for b in rows
        ],
    )
    rt.emit(data, [*lines, f"(as of {_at(kept.as_of)})"] if rows else ["No time-off policies."])
    return 0


def _change_balance(rt: Runtime) -> int:
    """``balance --change N --policy P [--person NAME]``: an admin adds to a balance."""
    args = rt.args
    if not args.policy:
        raise UserError("Say whose balance on which policy: --policy NAME (and --person NAME).")
    if not math.isfinite(args.change) or args.change == 0:
        raise UserError("--change needs a number of days or hours other than 0.")

    async def work(service: TimeOff) -> dict[str, Any]:
        policy = _policy((await service.policies()).value, args.policy)
        if args.person:
            user_id, name = await service.find_person(args.person)
        else:
            user_id, name = service.user_id, "your"
        after = await service.change_balance(policy.id, user_id, args.change, args.note)
        return {"policy": policy.name, "unit": policy.unit, "person": name, "balance": after}

    done = _run(rt, work)
    whose = "your" if done["person"] == "your" else f"{one_line(done['person'])}'s"
    rt.emit(
        {**done, "change": args.change},
        [
            f"Changed {whose} {one_line(done['policy'])} balance by {args.change:+g}: "
            f"{_amount(done['balance'], done['unit'])} left."
        ],
    )
    return 0


def _balance_json(item: BalanceView) -> dict[str, Any]:
    return {
        "policy_id": item.policy_id,
        "policy": item.policy,
        "unit": item.unit,
        "total": item.total,
        "used": item.used,
        "balance": item.balance,
        "pending": item.pending,
    }


def _request_json(item: RequestView) -> dict[str, Any]:
    return item.to_json()


def _request_lines(rows: list[RequestView], *, team: bool) -> list[str]:
    from tracker.services.timeoff import SHORT_ID  # noqa: PLC0415

    headers = ["ID", *(["Who"] if team else []), "Policy", "From", "To", "Amount", "Status", "Note"]
    return table(
        headers,
        [
            [
                r.id[:SHORT_ID],
                *([one_line(r.user)] if team else []),
                one_line(r.policy),
                str(r.first),
                str(r.last),
                _amount(r.hours if r.hours is not None else r.amount, r.unit)
                + (" (half)" if r.half_day else ""),
                r.status.lower(),
                one_line(r.note),
            ]
            for r in rows
        ],
    )


def _list(rt: Runtime) -> int:
    if rt.args.team:
        status = None if rt.args.status == "all" else rt.args.status.upper()
        rows = _run(rt, lambda s: s.team_requests(status=status))
        me = rt.store.meta.account_user_id()
        rows = [r for r in rows if r.user_id != me]  # one's own are decided by others
        data: dict[str, Any] = {"requests": [_request_json(r) for r in rows]}
        rt.emit(data, _request_lines(rows, team=True) if rows else ["No requests to decide."])
        return 0
    kept = _read(rt, lambda s: s.requests(refresh=_refresh(rt)))
    rows = [r for r in kept.value if rt.args.status in ("all", r.status.lower())]
    data = {"as_of": kept.as_of.isoformat(), "requests": [_request_json(r) for r in rows]}
    lines = _request_lines(rows, team=False) if rows else ["No time-off requests."]
    rt.emit(data, [*lines, f"(as of {_at(kept.as_of)})"])
    return 0


def _request(rt: Runtime) -> int:
    from tracker.services.timeoff import (  # noqa: PLC0415
        RequestDraft,
        TimeOffError,
        TimeOffOffline,
        TimeOffUnclear,
    )

    args = rt.args
    first = rt.day(args.first)
    last = rt.day(args.last) if args.last else first
    if args.hours is not None and args.half_day:
        raise UserError("Give --half-day or --hours, not both.")

    async def ask(service: TimeOff) -> RequestView:
        policy = _policy((await service.policies()).value, args.policy)
        if args.half_day and not policy.half_day:
            raise TimeOffError(f"{one_line(policy.name)} does not allow half days.")
        if args.hours is not None and policy.unit != "HOURS":
            raise TimeOffError(f"{one_line(policy.name)} is counted in days; leave out --hours.")
        draft = RequestDraft(
            policy.id, first, last, half_day=args.half_day, hours=args.hours, note=args.note or ""
        )
        return await service.request(draft)

    try:
        made = _run(rt, ask)
    except UserError as exc:
        cause = exc.__cause__
        if isinstance(cause, TimeOffOffline):
            raise UserError(
                f"Your request was not sent: {cause.message} Run the same command again later."
            ) from exc
        if isinstance(cause, TimeOffUnclear) and cause.until is not None:
            raise UserError(cause.message) from exc
        if isinstance(cause, TimeOffUnclear):
            raise UserError(
                f"{cause.message} Run the same command again: it is asked only if Clockify "
                "does not have it."
            ) from exc
        raise
    waiting = "waiting for approval" if made.status == "PENDING" else made.status.lower()
    amount = _amount(made.hours if made.hours is not None else made.amount, made.unit)
    rt.emit(
        _request_json(made),
        [
            f"Asked for {one_line(made.policy)}, {_days(made.first, made.last)} ({amount}): "
            f"{waiting}."
        ],
    )
    return 0


def _days(first: date, last: date) -> str:
    return str(first) if first == last else f"{first} to {last}"


def _withdraw(rt: Runtime) -> int:
    gone = _run(rt, lambda s: s.withdraw(rt.args.id))
    rt.emit(
        {**_request_json(gone), "withdrawn": True},
        [f"Withdrew {one_line(gone.policy)}, {_days(gone.first, gone.last)}."],
    )
    return 0


def _decide(rt: Runtime) -> int:
    from tracker.services.timeoff import TimeOffNoteNeeded  # noqa: PLC0415

    approve = rt.args.action == "approve"
    note = rt.args.note if (rt.args.note or "").strip() else None
    try:
        done = _run(rt, lambda s: s.decide(rt.args.id, approve=approve, note=note))
    except UserError as exc:
        if isinstance(exc.__cause__, TimeOffNoteNeeded):  # none given, none kept from before
            raise UserError("Say why with --note when rejecting a request.") from exc
        raise
    said = "Approved" if approve else "Rejected"
    who = f"{one_line(done.user)}'s " if done.user else ""
    what = f"{one_line(done.policy)}, {_days(done.first, done.last)}"
    rt.emit(_request_json(done), [f"{said} {who}{what}."])
    return 0


def _policies(rt: Runtime) -> int:
    op = rt.args.op
    if op is None:
        kept = _read(rt, lambda s: s.policies(refresh=_refresh(rt)))
        data = {"as_of": kept.as_of.isoformat(), "policies": [_policy_json(p) for p in kept.value]}
        lines = table(
            ["Policy", "Unit", "Half days", "Approval", "State"],
            [
                [
                    one_line(p.name),
                    p.unit.lower(),
                    "yes" if p.half_day else "no",
                    "needed" if p.requires_approval else "none",
                    "archived" if p.archived else "active",
                ]
                for p in kept.value
            ],
        )
        rt.emit(data, lines if kept.value else ["No time-off policies."])
        return 0
    args = rt.args

    async def change(service: TimeOff) -> PolicyView:
        if op == "add":
            return await service.add_policy(
                args.name,
                unit="HOURS" if args.hours else "DAYS",
                half_day=bool(args.half_day),
                approval=not args.no_approval,
                negative=bool(args.negative),
            )
        policy = _policy((await service.policies(refresh=True)).value, args.policy)
        if op == "archive":
            return await service.archive_policy(policy.id, archived=not args.restore)
        changes: dict[str, Any] = {}
        if args.name:
            changes["name"] = args.name
        if args.half_day is not None:
            changes["allow_half_day"] = args.half_day
        if args.negative is not None:
            changes["allow_negative_balance"] = args.negative
        if not changes:
            raise UserError("Nothing to change: give --name, --half-day or --negative.")
        return await service.edit_policy(policy.id, **changes)

    made = _run(rt, change)
    said = {"add": "Created", "edit": "Changed", "archive": "Archived"}[op]
    if op == "archive" and args.restore:
        said = "Restored"
    rt.emit(_policy_json(made), [f"{said} the policy {one_line(made.name)}."])
    return 0


def _policy_json(item: PolicyView) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "unit": item.unit,
        "half_day": item.half_day,
        "archived": item.archived,
        "requires_approval": item.requires_approval,
    }


# --- tracker holidays --------------------------------------------------------------------------


def cmd_holidays(rt: Runtime) -> int:
    """Your holidays (``--from``/``--to``: those in a period), or add, edit, delete one."""
    op = rt.args.op
    if op is None:
        return _list_holidays(rt)
    args = rt.args

    async def change(service: TimeOff) -> HolidayView | None:
        if op == "delete":
            await service.delete_holiday(args.id)
            return None
        if op == "add":
            first = rt.day(args.first)
            last = rt.day(args.last) if args.last else first
            return await service.save_holiday(args.name, first, last, annual=args.annual)
        current = [h for h in (await service.holidays(refresh=True)).value if h.id == args.id]
        if not current:
            raise UserError(f"No holiday {args.id!r} among yours (see `tracker holidays`).")
        old = current[0]
        return await service.save_holiday(
            args.name or old.name,
            rt.day(args.first) if args.first else old.first,
            rt.day(args.last) if args.last else old.last,
            annual=old.annual if args.annual is None else args.annual,
            holiday_id=old.id,
        )

    made = _run(rt, change)
    if made is None:
        rt.emit({"deleted": args.id}, ["Deleted the holiday."])
        return 0
    said = "Added" if op == "add" else "Changed"
    rt.emit(_holiday_json(made), [f"{said} {one_line(made.name)}, {_days(made.first, made.last)}."])
    return 0


def _list_holidays(rt: Runtime) -> int:
    args = rt.args
    kept = _read(rt, lambda s: s.holidays(refresh=_refresh(rt)))
    first = rt.day(args.since) if args.since else None
    last = rt.day(args.to) if args.to else None
    if first and last and last < first:
        raise UserError(f"--to {last} is before --from {first}; give the first day first.")
    rows: list[tuple[HolidayView, list[date]]] = []
    for holiday in kept.value:
        if first is None and last is None:
            rows.append((holiday, []))
            continue
        start = first or holiday.first
        end = last or max(holiday.last, start)
        days = [start.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]
        on = [d for d in days if holiday.on(d)]
        if on:
            rows.append((holiday, on))
    data = {
        "as_of": kept.as_of.isoformat(),
        "holidays": [
            {**_holiday_json(h), **({"days": [str(d) for d in on]} if on else {})} for h, on in rows
        ],
    }
    lines = table(
        ["ID", "Holiday", "From", "To", "Every year"],
        [
            [
                h.id,
                one_line(h.name),
                str(on[0] if on else h.first),
                str(on[-1] if on else h.last),
                "yes" if h.annual else "",
            ]
            for h, on in rows
        ],
    )
    rt.emit(data, [*lines, f"(as of {_at(kept.as_of)})"] if rows else ["No holidays."])
    return 0


def _holiday_json(item: HolidayView) -> dict[str, Any]:
    return item.to_json()
