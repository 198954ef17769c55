"""Verbs for entries: today (day), log, add, edit, split, delete, undo."""

from __future__ import annotations

import json
from datetime import timedelta

from tracker.cli.output import clock, day_lines
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.timer_verbs import entry_json, entry_text, fields_arg
from tracker.domain.durations import DurationError, parse_human
from tracker.services.requests import Add, Delete, Edit, Split, Undo

__all__ = ["cmd_add", "cmd_day", "cmd_delete", "cmd_edit", "cmd_log", "cmd_split", "cmd_undo"]


def _duration(text: str) -> timedelta:
    try:
        return parse_human(text)
    except DurationError as exc:
        raise UserError(str(exc)) from exc


def cmd_day(rt: Runtime) -> int:
    """A day's entries (today unless a day is given), numbered for ``#N``."""
    day = rt.day(rt.args.day) if rt.args.day else None
    view = rt.views.day(day)
    rt.emit(view.to_json(), day_lines(view, rt.zone(), connected=rt.context.connected))
    return 0


def cmd_log(rt: Runtime) -> int:
    """Every day with entries in a range (the last seven days by default).

    Days are printed as they are read (``--json`` writes its array item by item), so a range
    of years starts printing at once and takes little memory.
    """
    end = rt.day(rt.args.to) if rt.args.to else rt.day("today")
    start = rt.day(rt.args.since) if rt.args.since else end - timedelta(days=6)
    start, end = min(start, end), max(start, end)
    days = rt.views.days(start, end)
    total = timedelta(0)
    if rt.as_json:
        out = rt.out
        out.write(f'{{\n  "from": "{start}",\n  "to": "{end}",\n  "days": [')
        separator = "\n    "
        for day in days:
            total += day.exact_total  # machine output counts seconds, as the reports do
            text = json.dumps(day.to_json(), indent=2, ensure_ascii=False)
            out.write(separator + text.replace("\n", "\n    "))
            separator = ",\n    "
        closing = "\n  ]" if separator != "\n    " else "]"
        out.write(f'{closing},\n  "total_seconds": {int(total.total_seconds())}\n}}\n')
        return 0
    tz = rt.zone()
    connected = rt.context.connected
    listed = False
    for day in days:
        total += day.total
        listed = True
        rt.emit(None, [*day_lines(day, tz, connected=connected), ""])
    if not listed:
        rt.emit(None, [f"No entries from {start} to {end}."])
    else:
        rt.emit(None, [f"Total {clock(total)} from {start} to {end}"])
    return 0


def cmd_add(rt: Runtime) -> int:
    """Add a finished entry: ``add START END [DESCRIPTION]`` or ``add START -d 1h30 [...]``."""
    args = rt.args
    words = list(args.rest)
    end = None
    if args.duration is None:
        if not words:
            raise UserError(
                "Give an end time or --duration, e.g. `tracker add 9:00 10:30 Meeting`."
            )
        end = rt.when(words.pop(0))
    entry = rt.act(
        Add(
            rt.when(args.start),
            end,
            " ".join(words),
            project=args.project,
            task=args.task,
            tags=args.tag or (),
            billable=args.billable,
            duration=_duration(args.duration) if args.duration is not None else None,
            fields=fields_arg(args.field),
        )
    )
    rt.emit(entry_json(rt, entry), [f"Added  {entry_text(rt, entry)}"])
    return 0


def cmd_edit(rt: Runtime) -> int:
    """Change any field of an entry."""
    args = rt.args
    tags: list[str] | None = args.tag
    if args.no_tags:
        tags = []
    project = "" if args.no_project else args.project
    task = "" if args.no_task else args.task
    changes = {
        "description": args.description,
        "project": project,
        "task": task,
        "tags": tags,
        "billable": args.billable,
        "start": rt.when(args.start) if args.start else None,
        "end": rt.when(args.end) if args.end else None,
        "duration": _duration(args.duration) if args.duration else None,
        "fields": fields_arg(args.field) or None,
    }
    if all(value is None for value in changes.values()):
        raise UserError("Nothing to change: give e.g. --description, -p, --start or --duration.")
    entry = rt.act(Edit(args.id, **changes))
    rt.emit(entry_json(rt, entry), [f"Changed  {entry_text(rt, entry)}"])
    return 0


def cmd_split(rt: Runtime) -> int:
    """Cut an entry in two."""
    first, second = rt.act(Split(rt.args.id, rt.when(rt.args.at)))
    rt.emit(
        {"first": entry_json(rt, first), "second": entry_json(rt, second)},
        [f"Split    {entry_text(rt, first)}", f"         {entry_text(rt, second)}"],
    )
    return 0


def cmd_delete(rt: Runtime) -> int:
    """Delete an entry (undo brings it back)."""
    gone = rt.act(Delete(rt.args.id))
    rt.emit(
        {"deleted": {"id": gone.id, **gone.fields()}},
        [f"Deleted  {gone.description or '(no description)'}  (`tracker undo` brings it back)"],
    )
    return 0


def cmd_undo(rt: Runtime) -> int:
    """Undo the newest change."""
    label = rt.act(Undo())
    rt.emit({"undid": label.removeprefix("undid ")}, [label[0].upper() + label[1:]])
    return 0
