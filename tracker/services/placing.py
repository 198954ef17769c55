"""Where an entry goes when the person does not say: a new entry on a day, the gap before an
entry, the time a split is offered at.

These are rules of the product, not of a widget: the today window, the CLI and tests share
them, with no Qt.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from tracker.domain.model import Entry
from tracker.domain.timeutil import day_bounds
from tracker.services.errors import ServiceError
from tracker.services.views import DayView

__all__ = [
    "DEFAULT_LENGTH",
    "FIRST_HOUR",
    "SPLIT_STEP",
    "gap_before",
    "new_entry_span",
    "split_point",
]

DEFAULT_LENGTH = timedelta(minutes=30)
"""How long a new entry is when nothing else says."""
FIRST_HOUR = time(9, 0)
"""Where the first entry of an empty past (or future) day starts."""
SPLIT_STEP = 5
"""Minutes: an offered split point is rounded down to a multiple of this, in local time."""


def new_entry_span(
    view: DayView, today: date, now: datetime, zone: tzinfo
) -> tuple[datetime, datetime]:
    """Where a new entry on ``view``'s day goes, never over another entry.

    Half an hour at the start of the first free stretch of the day that holds one (between
    entries, from 9:00 or the first entry, whichever is earlier); on today only before now.
    Today, when no stretch between entries holds one, the time since the last entry up to
    now (what is not yet accounted for), else the last half hour if it is free; another day,
    half an hour after its last entry (9:00 on an empty day), kept inside the day.

    Raises:
        ServiceError: no free half hour is left where a new entry could go.
    """
    day_start, day_end = day_bounds(view.day, zone)
    limit = min(now, day_end) if view.day == today else day_end
    busy = _busy(view, now)
    first = datetime.combine(view.day, FIRST_HOUR, zone)
    cursor = min([first, *(start for start, _ in busy)])
    for start, end in busy:
        if min(start, limit) - cursor >= DEFAULT_LENGTH:
            return cursor, cursor + DEFAULT_LENGTH
        cursor = max(cursor, end)
    if view.day == today:
        if busy and cursor < now:
            return cursor, now
        if _free(busy, now - DEFAULT_LENGTH, now):
            return now - DEFAULT_LENGTH, now
    else:
        start = max(min(cursor, day_end - DEFAULT_LENGTH), day_start)
        if _free(busy, start, start + DEFAULT_LENGTH):
            return start, start + DEFAULT_LENGTH
    raise ServiceError(
        "No free half hour left for a new entry on this day: change an entry, or fill a "
        "gap with Ctrl+G."
    )


def _busy(view: DayView, now: datetime) -> list[tuple[datetime, datetime]]:
    """The day's entries as (start, end) spans, oldest first; a running one up to now."""
    return [(e.entry.start, e.entry.end or max(now, e.entry.start)) for e in view.entries]


def _free(busy: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    return all(not (begin < end and start < finish) for begin, finish in busy)


def gap_before(view: DayView, entry_id: str) -> tuple[datetime, datetime]:
    """The untracked time between the entry before ``entry_id`` on ``view``'s day and it.

    Raises:
        ServiceError: the entry is not on the day, nothing ends before it, or no time is
            left between them.
    """
    chosen = next((e.entry for e in view.entries if e.entry.id == entry_id), None)
    if chosen is None:
        raise ServiceError("That entry is not on this day.")
    ends = [
        e.entry.end
        for e in view.entries
        if e.entry.end is not None and e.entry.end <= chosen.start and e.entry.id != entry_id
    ]
    if not ends:
        raise ServiceError("There is no earlier entry on this day to fill up to.")
    begin = max(ends)
    if begin >= chosen.start:
        raise ServiceError("There is no gap before this entry.")
    return begin, chosen.start


def split_point(entry: Entry, now: datetime, zone: tzinfo) -> datetime:
    """The time a split of ``entry`` is offered at: its middle (up to now while it runs),
    rounded down to :data:`SPLIT_STEP` minutes on the local clock."""
    until = entry.end or now
    middle = (entry.start + (until - entry.start) / 2).astimezone(zone)
    rounded = middle.replace(
        minute=middle.minute - middle.minute % SPLIT_STEP, second=0, microsecond=0
    )
    # A very short entry keeps its exact middle: rounding down would leave the entry.
    return rounded if rounded > entry.start else middle.replace(microsecond=0)
