"""Verbs for the running timer: start, stop, status, continue, discard."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from tracker.cli.output import clock, entry_line, what
from tracker.cli.runtime import Runtime, UserError
from tracker.domain.model import Entry
from tracker.domain.timeutil import format_local
from tracker.services.requests import Continue, Discard, Start, Stop

if TYPE_CHECKING:
    from tracker.services.timer import StartResult

__all__ = ["cmd_continue", "cmd_discard", "cmd_start", "cmd_status", "cmd_stop", "cmd_toggle"]


def fields_arg(pairs: list[str] | None) -> dict[str, str]:
    """``--field NAME=VALUE`` options as a mapping (an empty value clears the field)."""
    result: dict[str, str] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UserError(f"--field takes NAME=VALUE, not {pair!r}.")
        result[name.strip()] = value
    return result


def entry_json(rt: Runtime, entry: Entry) -> dict[str, Any]:
    """An entry with names and sync state, as ``--json`` shows it."""
    row = rt.store.entries.get(entry.id)
    if row is None:  # deleted outright (never sent): show it as it was
        return {"id": entry.id, **entry.fields(), "deleted": True}
    return rt.views.entry(row).to_json()


def entry_text(rt: Runtime, entry: Entry) -> str:
    """An entry on one line for a confirmation message."""
    row = rt.store.entries.get(entry.id)
    if row is None:
        return f"{entry.description or '(no description)'}"
    return entry_line(rt.views.entry(row), rt.zone(), rt.clock())


def _started(rt: Runtime, result: StartResult, verb: str) -> int:
    lines = []
    if result.stopped is not None:
        lines.append(f"Stopped  {entry_text(rt, result.stopped)}")
    lines.append(f"{verb}  {entry_text(rt, result.started)}")
    if result.note:
        lines.append(f"Note     {result.note}")
    rt.emit(
        {
            "started": entry_json(rt, result.started),
            "stopped": entry_json(rt, result.stopped) if result.stopped else None,
            "note": result.note,
        },
        lines,
    )
    return 0


def _emit_stopped(rt: Runtime, stopped: Entry, *, wrap: bool) -> int:
    """Say what was stopped, and why it ends at its start when the clock was behind."""
    from tracker.services.timer import stop_note  # noqa: PLC0415 - `status` never loads it

    note = stop_note(stopped, rt.clock())
    lines = [f"Stopped  {entry_text(rt, stopped)}"]
    if note:
        lines.append(f"Note     {note}")
    data = {**entry_json(rt, stopped), "note": note}
    rt.emit({"stopped": data} if wrap else data, lines)
    return 0


def cmd_start(rt: Runtime) -> int:
    """Start a timer (stopping the running one at the same instant)."""
    args = rt.args
    result = rt.act(
        Start(
            " ".join(args.description),
            project=args.project,
            task=args.task,
            tags=args.tag or (),
            billable=args.billable,
            at=rt.when(args.at) if args.at else None,
            fields=fields_arg(args.field),
        )
    )
    return _started(rt, result, "Started")


def cmd_continue(rt: Runtime) -> int:
    """Start again what a recent entry was about."""
    args = rt.args
    which: int | str = 1
    if args.which:
        # A few digits are a count; a longer run of digits is an id prefix (ids are hex).
        short_count = args.which.isascii() and args.which.isdigit() and len(args.which) < 4
        which = int(args.which) if short_count else args.which
    result = rt.act(Continue(which, at=rt.when(args.at) if args.at else None))
    return _started(rt, result, "Started")


def cmd_stop(rt: Runtime) -> int:
    """Stop the running timer."""
    stopped = rt.act(Stop(rt.when(rt.args.at) if rt.args.at else None))
    return _emit_stopped(rt, stopped, wrap=False)


def cmd_toggle(rt: Runtime) -> int:
    """Stop the running timer, else start again the latest entry (one key for both)."""
    tracker = rt.tracker
    if tracker.timer.running() is not None:
        return _emit_stopped(rt, rt.act(Stop()), wrap=True)
    if not rt.store.entries.latest(rt.context.workspace_id, 1):
        raise UserError("Nothing to continue yet: start a timer with `tracker start`.")
    return _started(rt, rt.act(Continue(1)), "Started")


def cmd_discard(rt: Runtime) -> int:
    """Throw the running entry away."""
    gone = rt.act(Discard())
    rt.emit(
        {"discarded": {"id": gone.id, **gone.fields()}},
        [f"Discarded  {gone.description or '(no description)'}  (`tracker undo` brings it back)"],
    )
    return 0


def cmd_status(rt: Runtime) -> int:
    """What runs, today's total, and what waits to be sent."""
    status = rt.views.status()
    lines: list[str] = []
    tz = rt.zone()
    if status.running is not None:
        lines.append(f"Running  {what(status.running)}")
        started = status.running.entry.start
        lines.append(f"         {clock(status.elapsed)} since {_hhmm(rt, started, tz)}")
    else:
        lines.append("Running  nothing")
    today = f"Today    {clock(status.today_total)}"
    if status.capacity:
        today += f" of {clock(status.capacity)}"
    lines.append(today)
    data = status.to_json()
    never = rt.store.meta.last_sync() is None
    if status.connected or rt.key_configured():
        data["synced_yet"] = not never
        sync = f"{status.pending} waiting to be sent" if status.pending else "all sent"
        if never:
            sync = "connected, not synced yet (`tracker sync` fetches projects and entries)"
            if status.pending:
                sync += f"; {status.pending} waiting to be sent"
        if status.parked:
            sync += f", {status.parked} need attention (see `tracker today`)"
        lines.append(f"Sync     {sync}")
    else:
        lines.append("Sync     local only (`tracker login` connects Clockify)")
    if status.zone_warning:
        lines.append(f"Note     {status.zone_warning}")
    rt.emit(data, lines)
    return 0


def _hhmm(rt: Runtime, moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    today = rt.clock().astimezone(tz).date()
    return format_local(moment, tz, with_date=local.date() != today)
