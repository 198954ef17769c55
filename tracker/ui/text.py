"""How the widgets write durations, times, tooltips, keys and user text, so every window says
it the same way.

Window titles follow one rule: a window names only itself ("Today", "Settings", a running
entry's title); the app's name is added by the platform, which appends the application's
display name (" — Tracker") to every title that does not already end with it.

Tooltips get their own helper because Qt guesses whether a tooltip is rich text: a
description such as ``<b>x</b>`` would be rendered as bold. :func:`tooltip` always builds
rich text from escaped lines, so server text shows literally, whatever it contains.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from PySide6.QtGui import QKeySequence

from tracker.domain.durations import format_clock
from tracker.domain.timeutil import format_local

__all__ = [
    "MODIFIER_HINT",
    "SUPER_KEY",
    "against_capacity",
    "clock",
    "cut",
    "duration",
    "isolate",
    "key_names",
    "key_text",
    "local_time",
    "tooltip",
]

SUPER_KEY = {"win32": "Win", "darwin": "Cmd"}.get(sys.platform, "Super")
"""The platform's own name of the key Qt calls Meta on Linux and Windows (the logo key)."""

MODIFIER_HINT = "Cmd, Option or Ctrl" if sys.platform == "darwin" else f"Ctrl, Alt or {SUPER_KEY}"
"""The modifier keys a global hotkey combines, as this platform names them."""


def key_names(message: str) -> str:
    """``message`` with Qt's ``Meta`` called by the platform's name (``Super`` on Linux,
    ``Win`` on Windows), so a key reads the same in the field, the hint and any error."""
    if sys.platform == "darwin":
        return message  # Qt shows macOS keys as their symbols: no "Meta" to rename
    return re.sub(r"\bMeta\b", SUPER_KEY, message)


def key_text(sequence: QKeySequence) -> str:
    """A key combination as a person reads it on this platform (``Super+T``, ``⌘T``)."""
    return key_names(sequence.toString(QKeySequence.SequenceFormat.NativeText))


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


FSI, PDI = "\u2068", "\u2069"
"""First strong isolate and pop directional isolate: the text between them takes its own
direction and does not reorder what surrounds it."""

_BIDI_ACTIVE = frozenset({"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI"})
"""Bidi classes that can move the text around them: right-to-left letters, Arabic digits and
the explicit embedding, override and isolate controls."""


def isolate(value: str) -> str:
    """``value`` (user text: a description, a project) fenced with FSI…PDI when it holds
    right-to-left text or bidi controls, so joined with other text (``Stop — תיקון  1:30``)
    it keeps to its place and the time after it stays after it. Left-to-right text is
    returned as it is: it cannot move anything in these left-to-right sentences."""
    if any(unicodedata.bidirectional(char) in _BIDI_ACTIVE for char in value):
        return f"{FSI}{value}{PDI}"
    return value


def cut(value: str, width: int) -> str:
    """``value`` cut to ``width`` characters with an ellipsis; isolates the cut left open
    are closed, so the cut text still cannot reorder what follows it."""
    if len(value) <= width:
        return value
    kept = value[: width - 1].rstrip() + "…"
    open_isolates = 0
    for char in kept:
        if char == FSI:
            open_isolates += 1
        elif char == PDI and open_isolates:
            open_isolates -= 1
    return kept + PDI * open_isolates
