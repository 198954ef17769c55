"""How the widgets write durations, times and tooltips, so every window says it the same way.

Tooltips get their own helper because Qt guesses whether a tooltip is rich text: a
description such as ``<b>x</b>`` would be rendered as bold. :func:`tooltip` always builds
rich text from escaped lines, so server text shows literally, whatever it contains.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from tracker.domain.durations import format_clock
from tracker.domain.timeutil import format_local

__all__ = ["against_capacity", "clock", "duration", "local_time", "tooltip"]


def duration(value: timedelta) -> str:
    """A finished length as ``1:30`` (hours and minutes, seconds cut)."""
    minutes = int(max(value, timedelta(0)).total_seconds()) // 60
    return format_clock(timedelta(minutes=minutes), seconds=False)


def clock(value: timedelta) -> str:
    """A running length as ``1:30:05``."""
    return format_clock(timedelta(seconds=int(max(value, timedelta(0)).total_seconds())))


def local_time(instant: datetime, zone: tzinfo, *, with_date: bool = False) -> str:
    """An instant as wall-clock time in ``zone``: ``09:05`` (``2026-03-02 09:05``)."""
    return format_local(instant, zone, with_date=with_date)


def against_capacity(total: timedelta, capacity: timedelta | None) -> str:
    """``6:30 of 8:00`` when the daily capacity is known, else ``6:30``."""
    if not capacity:
        return duration(total)
    return f"{duration(total)} of {duration(capacity)}"


def tooltip(lines: str | Iterable[str]) -> str:
    """A tooltip that shows ``lines`` literally (escaped, one paragraph per line)."""
    items = [lines] if isinstance(lines, str) else list(lines)
    body = "<br>".join(html.escape(line) for item in items for line in item.splitlines() or [""])
    return f"<p style='white-space:pre-wrap'>{body}</p>"
