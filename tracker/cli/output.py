"""Human output: aligned tables and one-line entries, in the person's time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from tracker.cli.safe_output import one_line
from tracker.domain.durations import format_clock
from tracker.domain.model import Entry, SyncState
from tracker.domain.timeutil import format_local
from tracker.services.views import DayView, EntryView

__all__ = ["clock", "day_lines", "entry_line", "table", "what"]


def clock(value: timedelta | None) -> str:
    """A duration as ``H:MM:SS`` (``-`` for none)."""
    return "-" if value is None else format_clock(value)


CELL_WIDTH = 100
"""The most a table's cell shows: a name of 10 KB (anyone in a workspace may write one)
would otherwise pad every row of the listing to 10 KB. ``--json`` gives it whole."""


def _cell(text: str) -> str:
    cell = one_line(text)
    return cell if len(cell) <= CELL_WIDTH else cell[: CELL_WIDTH - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, indent: str = "") -> list[str]:
    """Rows in columns as wide as their widest cell (at most :data:`CELL_WIDTH`); the last
    column is not padded."""
    rows = [[_cell(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        for column, cell in enumerate(row):
            widths[column] = max(widths[column], len(cell))

    def line(cells: Sequence[str]) -> str:
        padded = [cell.ljust(widths[i]) for i, cell in enumerate(cells)]
        return (indent + "  ".join(padded)).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def what(view: EntryView) -> str:
    """Description, project/task and tags in one phrase."""
    parts = [view.entry.description or "(no description)"]
    if view.project:
        project = f"{view.project} ({view.client})" if view.client else view.project
        parts.append(f"[{project} / {view.task}]" if view.task else f"[{project}]")
    if view.tags:
        parts.append(" ".join(f"#{tag}" for tag in view.tags))
    return one_line("  ".join(parts))


def span(entry: Entry, tz: tzinfo, now: datetime) -> str:
    """``09:00-10:30``, with dates when the entry is not on the day it is shown for."""
    start = entry.start.astimezone(tz)
    today = now.astimezone(tz).date()
    with_date = start.date() != today
    begin = format_local(entry.start, tz, with_date=with_date)
    if entry.end is None:
        return f"{begin}-now"
    same_day = entry.end.astimezone(tz).date() == start.date()
    return f"{begin}-{format_local(entry.end, tz, with_date=not same_day)}"


def entry_line(view: EntryView, tz: tzinfo, now: datetime) -> str:
    """One entry for a message: short id, time span, duration, and what it was."""
    return f"{view.short_id}  {span(view.entry, tz, now)}  {clock(view.duration)}  {what(view)}"


def _time_cell(moment: datetime | None, tz: tzinfo, other_day: bool) -> str:
    if moment is None:
        return "now"
    return format_local(moment, tz, with_date=other_day)


def day_lines(view: DayView, tz: tzinfo, *, connected: bool) -> list[str]:
    """A day as a table with its totals."""
    title = f"{view.day:%a %d %b %Y} ({view.zone})"
    if not view.entries:
        return [title, "  No entries."]
    rows: list[list[str]] = []
    notes: dict[int, str] = {}
    for number, entry in enumerate(view.entries):
        row = [
            f"#{entry.index}",
            entry.short_id,
            _time_cell(entry.entry.start, tz, entry.starts_before),
            _time_cell(entry.entry.end, tz, entry.ends_after),
            clock(entry.in_range),
        ]
        if connected:
            row.append(_state(entry.state))
        row.append(what(entry))
        rows.append(row)
        if entry.parked:
            notes[number] = entry.parked
    headers = ["#", "id", "start", "end", "time"]
    if connected:
        headers.append("sync")
    headers.append("what")
    lines = [title, *table(headers, rows, indent="  ")]
    for number, reason in notes.items():
        lines.append(f"  #{number + 1} needs attention: {reason}")
    total = f"  Total {clock(view.total)}   week {clock(view.week_total)}"
    if view.capacity:
        total += f"   capacity {clock(view.capacity)}"
    lines.append(total)
    return lines


def _state(state: SyncState) -> str:
    return {SyncState.SYNCED: "ok", SyncState.PENDING: "pending"}.get(state, state.value)
