"""Durations as Clockify writes them and as people type them.

Clockify's main API sends ISO-8601 durations in Java ``Duration`` style (``PT2H54M``,
``PT561H13M28S``: hours are never rolled into days), but real payloads also carry a day part
(``P1DT2H``) and even a missing ``T`` (``P120H``). People type ``1h30``, ``1:30`` or ``90m``.
Both are parsed here, in one place, into :class:`datetime.timedelta`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tracker.domain.bounds import MAX_DURATION

__all__ = [
    "DurationError",
    "DurationTooLong",
    "format_clock",
    "format_iso",
    "parse_human",
    "parse_iso",
    "shown_length",
    "shown_seconds",
]


class DurationError(ValueError):
    """A text that is not a duration; the message says what was expected."""


class DurationTooLong(DurationError):
    """A duration written correctly but longer than the limit (or than Python can hold)."""


# Lenient on purpose: days, a missing "T", lower case and fractional seconds all occur.
_ISO = re.compile(
    r"""
    (?P<sign>[-+])?P
    (?:(?P<weeks>\d+(?:\.\d+)?)W)?
    (?:(?P<days>\d+(?:\.\d+)?)D)?
    T?
    (?:(?P<hours>\d+(?:\.\d+)?)H)?
    (?:(?P<minutes>\d+(?:\.\d+)?)M)?
    (?:(?P<seconds>\d+(?:\.\d+)?)S)?
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)


def parse_iso(text: str) -> timedelta:
    """Parse an ISO-8601 duration such as ``PT1H30M``, ``P1DT2H`` or ``P120H``.

    Raises:
        DurationError: when ``text`` is not an ISO duration with at least one part.
    """
    stripped = text.strip()
    match = _ISO.fullmatch(stripped)
    if match is None or not any(
        match.group(part) for part in ("weeks", "days", "hours", "minutes", "seconds")
    ):
        raise DurationError(f"not an ISO-8601 duration: {text[:40]!r}")
    parts = {
        name: float(match.group(name) or 0)
        for name in ("weeks", "days", "hours", "minutes", "seconds")
    }
    try:
        value = timedelta(**parts)
    except OverflowError as exc:
        raise DurationError(f"duration out of range: {text[:40]!r}") from exc
    return -value if match.group("sign") == "-" else value


def format_iso(value: timedelta) -> str:
    """Format as Clockify does: whole seconds, hours not rolled into days (``PT26H5M``)."""
    total = round(value.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    body = "".join(
        f"{amount}{unit}"
        for amount, unit in ((hours, "H"), (minutes, "M"), (seconds, "S"))
        if amount
    )
    return f"{sign}PT{body or '0S'}"


_CLOCK = re.compile(r"(?P<h>\d+):(?P<m>\d{1,2})(?::(?P<s>\d{1,2}))?", re.ASCII)
_UNITS = re.compile(
    r"""
    (?:(?P<h>\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*
    (?:(?P<m>\d+(?:[.,]\d+)?)\s*m(?:in(?:utes?|s)?)?)?\s*
    (?:(?P<s>\d+)\s*s(?:ec(?:onds?|s)?)?)?
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
_HOURS_THEN_BARE_MINUTES = re.compile(r"(?P<h>\d+)\s*h\s*(?P<m>\d{1,2})", re.IGNORECASE | re.ASCII)
_MINUTES = re.compile(r"\d+", re.ASCII)


def parse_human(text: str, *, limit: timedelta | None = MAX_DURATION) -> timedelta:
    """Parse what a person types: ``1h30``, ``1h 30m``, ``1:30``, ``1:30:15``, ``90m``, ``1.5h``.

    A bare number means minutes (``45`` is 45 minutes), as in most time trackers. ISO strings
    are accepted too, so a value copied from the API can be pasted. Anything longer than
    ``limit`` (an entry's longest, 999 hours) is refused here, where the person typed it;
    ``None`` lifts the limit for offsets such as ``-1000h`` whose result is checked instead.

    Raises:
        DurationError: with a message that shows the accepted forms or the limit.
    """
    raw = text.strip()
    if not raw:
        raise DurationError("empty duration; type e.g. 1h30, 1:30 or 90m")
    longest = MAX_DURATION if limit is None else limit
    too_long = DurationTooLong(
        f"{raw[:40]!r} is longer than {longest // timedelta(hours=1)} hours, "
        "the most an entry lasts"
    )
    try:
        value = parse_iso(raw) if raw[0] in "pP" else _parse_human_forms(raw)
    except OverflowError as exc:
        raise too_long from exc
    except DurationError as exc:
        if isinstance(exc.__cause__, OverflowError):  # an ISO value past timedelta's range
            raise too_long from exc
        raise
    if value < timedelta(0):
        raise DurationError(f"a duration cannot be negative: {raw[:40]!r}")
    if limit is not None and value > limit:
        raise too_long
    return value


def _parse_human_forms(raw: str) -> timedelta:
    if _MINUTES.fullmatch(raw):
        return timedelta(minutes=int(raw))
    clock = _CLOCK.fullmatch(raw)
    if clock is not None:
        minutes, seconds = int(clock["m"]), int(clock["s"] or 0)
        if minutes >= 60 or seconds >= 60:
            raise DurationError(f"minutes and seconds must be below 60 in {raw!r}")
        return timedelta(hours=int(clock["h"]), minutes=minutes, seconds=seconds)
    bare = _HOURS_THEN_BARE_MINUTES.fullmatch(raw)
    if bare is not None:
        return timedelta(hours=int(bare["h"]), minutes=int(bare["m"]))
    units = _UNITS.fullmatch(raw)
    if units is not None and any(units.group(g) for g in ("h", "m", "s")):
        return timedelta(
            hours=float((units["h"] or "0").replace(",", ".")),
            minutes=float((units["m"] or "0").replace(",", ".")),
            seconds=int(units["s"] or 0),
        )
    raise DurationError(f"not a duration: {raw[:40]!r}; type e.g. 1h30, 1:30 or 90m")


def format_clock(value: timedelta, *, seconds: bool = True) -> str:
    """Format as ``H:MM:SS`` (or ``H:MM``), the way a running timer is shown."""
    total = round(value.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)  # ints: total was rounded
    if seconds:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{hours}:{minutes:02d}"


def shown_seconds(start: int, end: int) -> int:
    """:func:`shown_length` on POSIX seconds (for sums read straight from the store)."""
    return max(0, end - end % 60 - (start - start % 60))


def shown_length(start: datetime, end: datetime) -> timedelta:
    """How long ``start`` to ``end`` lasts as the times are shown: from the start's minute to
    the end's minute, seconds cut from both ends, never below zero.

    Times are shown as ``HH:MM`` with the seconds cut, so a length cut on its own would
    disagree with them (08:45:40 to 09:15:10 shows 08:45 to 09:15 but lasts 29.5 minutes).
    Every finished duration and every total is counted this way, so shown start, end and
    duration always agree and a day's rows add up to its total. (Every time zone since 1972
    is a whole number of minutes off UTC, so cutting UTC seconds cuts local ones.)
    """
    return timedelta(seconds=shown_seconds(int(start.timestamp()), int(end.timestamp())))
