"""``tracker week``: the week as a timesheet, and typing a duration in one of its cells.

``tracker week [WEEK]`` prints the rows (project / task - description), a column per day
with its capacity, and the totals; ``--json`` says seconds. ``tracker week set ROW DAY
DURATION`` does what typing in the window's cell does (0 clears it); ``tracker week copy
[WEEK]`` copies last week's entries into the week.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.domain.durations import DurationError, format_clock, parse_human
from tracker.domain.timeutil import TimeParseError
from tracker.domain.workdays import DayPlan
from tracker.services.timesheet import CopyLastWeek, SetCell, WeekSheet, build_week

__all__ = ["cmd_week", "parse_week"]

WEEK_FORMS = "this, last, next, -1 (weeks back), 2026-W49, or a day in it (mon, 2026-03-02)"
_ISO_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE | re.ASCII)
_WEEKS_AGO = re.compile(r"[-+]\d{1,4}", re.ASCII)


def parse_week(rt: Runtime, text: str) -> date:
    """A day in the week ``text`` names (see :data:`WEEK_FORMS`)."""
    raw = text.strip().lower()
    today = rt.day("today")
    named = {"this": 0, "this-week": 0, "last": -1, "last-week": -1, "next": 1, "next-week": 1}
    if raw in named:
        return today + timedelta(weeks=named[raw])
    if _WEEKS_AGO.fullmatch(raw):
        try:
            return today + timedelta(weeks=int(raw))
        except OverflowError as exc:
            raise UserError(f"{text.strip()} weeks is out of range.") from exc
    iso = _ISO_WEEK.fullmatch(raw)
    if iso:
        try:
            return date.fromisocalendar(int(iso.group(1)), int(iso.group(2)), 1)
        except ValueError as exc:
            raise UserError(f"{text.strip()!r} is not a week of that year.") from exc
    try:
        return rt.day(raw)
    except TimeParseError as exc:
        raise UserError(f"cannot read {text.strip()[:40]!r} as a week; type {WEEK_FORMS}") from exc


def cmd_week(rt: Runtime) -> int:
    """The week as a timesheet; ``set`` changes a cell, ``copy`` copies last week."""
    words: list[str] = list(rt.args.words)
    if words and words[0] == "set":
        return _set(rt, words[1:])
    if words and words[0] == "copy":
        if len(words) > 2:
            raise UserError("Give at most one week: `tracker week copy [WEEK]`.")
        day = parse_week(rt, words[1]) if len(words) == 2 else rt.day("today")
        count = rt.act(CopyLastWeek(day))
        sheet = build_week(rt.tracker.context, day)
        rt.emit(
            {"copied": count, **sheet.to_json()},
            [f"Copied {count} entries from last week.", "", *week_lines(sheet)],
        )
        return 0
    if len(words) > 1:
        raise UserError(
            "Give one week (`tracker week last`), or `tracker week set ROW DAY DURATION`."
        )
    day = parse_week(rt, words[0]) if words else rt.day("today")
    sheet = build_week(rt.tracker.context, day)
    rt.emit(sheet.to_json(), week_lines(sheet))
    return 0


def _set(rt: Runtime, words: list[str]) -> int:
    if len(words) != 3:
        raise UserError(
            "Give a row number, a day and a duration: `tracker week set 2 tue 1h30` "
            "(0 clears the cell)."
        )
    number, day_text, length = words
    day = rt.day(day_text)
    sheet = build_week(rt.tracker.context, day)
    if not number.isdigit() or not 1 <= int(number) <= len(sheet.rows):
        listed = f"1 to {len(sheet.rows)}" if sheet.rows else "none: the week has no rows yet"
        raise UserError(
            f"No row {number[:20]!r} in the week of {sheet.start}; rows are {listed} "
            "(`tracker week` lists them; `tracker add` starts a new one)."
        )
    try:
        duration = parse_human(length)
    except DurationError as exc:
        raise UserError(str(exc)) from exc
    row = sheet.rows[int(number) - 1]
    rt.act(SetCell(row.key, day, duration))
    after = build_week(rt.tracker.context, day)
    changed = after.row(row.key)
    shown = changed.shown[(day - after.start).days] if changed else 0
    data: dict[str, Any] = {
        "row": row.key.to_json(),
        "day": day.isoformat(),
        "seconds": changed.seconds[(day - after.start).days] if changed else 0,
        "week": after.to_json(),
    }
    rt.emit(data, [f"{row.label()} on {day:%a %d %b}: {_hm(shown)}", "", *week_lines(after)])
    return 0


def _hm(seconds: int) -> str:
    return format_clock(timedelta(seconds=seconds), seconds=False) if seconds else "-"


def week_lines(sheet: WeekSheet) -> list[str]:
    """The week as an aligned table: rows, then each day's total and capacity."""
    title = f"Week of {sheet.start:%a %d %b %Y} ({sheet.zone})"
    days = [f"{d:%a %d}" for d in sheet.days]
    headers = ["#", "what", *days, "total"]
    rows = [
        [str(n), row.label(), *(_hm(s) for s in row.shown), _hm(row.shown_total)]
        for n, row in enumerate(sheet.rows, start=1)
    ]
    rows.append(["", "total", *(_hm(s) for s in sheet.day_shown), _hm(sheet.shown_total)])
    rows.append(["", "capacity", *(_plan(p) for p in sheet.plans), _hm(sheet.capacity)])
    lines = [title]
    if not sheet.rows:
        lines.append("  No entries this week.")
    lines.extend(table(headers, rows, indent="  "))
    if sheet.running:
        lines.append("  (a timer is running: its time counts up to now)")
    return lines


def _plan(plan: DayPlan) -> str:
    if plan.holiday:
        return "holiday"
    if plan.time_off and plan.capacity == 0:
        return "off"
    return _hm(plan.capacity)
