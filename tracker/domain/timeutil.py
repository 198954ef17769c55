"""Local days, weeks and typed times, kept apart from the clock.

"Today" and "this week" depend on a time zone (the Clockify profile's, else the system's, which
the services read), and local days are not always 24 hours long. Every function here is pure in
time: whatever needs "now" takes it as an argument, so tests can pin it and DST days can be
checked exactly.
Instants go in as aware datetimes (any zone) and come out as aware UTC; durations are always
real elapsed time, never wall-clock differences.

Wall-clock times that a DST change makes odd are resolved as PEP 495 does with ``fold=0``:

* a time in a spring-forward gap (``02:30`` in Berlin on the last Sunday of March) moves
  forward by the gap (to ``03:30``), because it is read with the offset in force before the
  change;
* a time that occurs twice at fall-back (``02:30`` on the last Sunday of October) means the
  first occurrence, in summer time.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from tracker.domain.bounds import DAY_RANGE, FIRST_DAY, LAST_DAY, day_problem, instant_problem
from tracker.domain.durations import DurationError, DurationTooLong, parse_human

__all__ = [
    "LOCAL_TIME",
    "WEEK_STARTS",
    "TimeOutOfRange",
    "TimeParseError",
    "day_bounds",
    "format_local",
    "local_day",
    "parse_day",
    "parse_when",
    "split_by_day",
    "to_clockify_filter",
    "week_bounds",
    "zone",
    "zone_named",
]

WEEK_STARTS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
"""Clockify's ``settings.weekStart`` values, in ``date.weekday()`` order."""

WHEN_FORMS = (
    "9:30, 9, 9am, 5:15pm, 17:05:30 (today), yesterday 17:00, 2026-03-29 14:00, "
    "2026-03-29T14:00 (optionally with +02:00 or Z), -15m, -1h30, +10m (from now), now"
)
DAY_FORMS = "today, yesterday, tomorrow, -2 (days ago), 2026-03-29, mon or monday (most recent)"


class TimeParseError(ValueError):
    """A typed time or day that cannot be read; the message lists the accepted forms."""


class TimeOutOfRange(TimeParseError):
    """A typed time or day in an accepted form, outside the tracker's range of days."""


# --- zones -------------------------------------------------------------------------------------


def zone_named(name: str) -> ZoneInfo | None:
    """The IANA zone called ``name``, or None when this machine's zone data does not know it.

    Separate from :func:`zone` so callers can tell the user that a profile zone was unknown.
    """
    key = name.strip()
    if not key:
        return None
    try:
        return ZoneInfo(key)
    except (KeyError, ValueError, OSError):  # not found, malformed key, a folder such as "Europe"
        return None


def zone(name: str | None, system: tzinfo) -> tzinfo:
    """The IANA zone ``name``; None or an unknown name gives ``system`` instead.

    The system's zone is read by the caller (``tracker.services.zones``, with the ``tzlocal``
    library): this layer reads nothing from the machine.
    """
    named = zone_named(name) if name else None
    return named if named is not None else system


_EPOCH = datetime(1970, 1, 1)  # naive on purpose: wall-clock seconds since the epoch
_SECOND = timedelta(seconds=1)
_DAY = timedelta(days=1)


class _SystemLocalTime(tzinfo):
    """The C library's local time, for systems whose zone has no zoneinfo data.

    Offsets come from ``time.localtime`` per instant, so DST is followed; ``fold`` follows
    PEP 495 like ``ZoneInfo`` (gap: the offset before the change; repeat: fold picks).
    """

    def _offset_at(self, seconds: int) -> timedelta:
        try:
            offset = timedelta(seconds=time.localtime(seconds).tm_gmtoff)
        except (OverflowError, OSError, ValueError):
            offset = timedelta(seconds=-time.timezone)
        # A rule such as TZ=UTC+99 gives a whole day or more, which no datetime accepts;
        # the C library names that zone "UTC", so UTC it is.
        return offset if abs(offset) < _DAY else timedelta(0)

    def utcoffset(self, dt: datetime | None, /) -> timedelta | None:
        if dt is None:
            return None
        wall = (dt.replace(tzinfo=None) - _EPOCH) // _SECOND
        before = self._offset_at(wall - 86400)
        after = self._offset_at(wall + 86400)
        fits = [off for off in (before, after) if self._offset_at(wall - off // _SECOND) == off]
        if before == after or len(fits) == 1:
            return fits[0] if fits else before
        return after if dt.fold else before  # a gap, or a repeated hour

    def dst(self, _dt: datetime | None, /) -> timedelta | None:
        return None  # the C library reports whole offsets only

    def tzname(self, dt: datetime | None, /) -> str | None:
        if dt is None:
            return None
        offset = self.utcoffset(dt) or timedelta(0)
        seconds = (dt.replace(tzinfo=None) - offset - _EPOCH) // _SECOND
        try:
            return time.localtime(seconds).tm_zone
        except (OverflowError, OSError, ValueError):
            return None

    def fromutc(self, dt: datetime, /) -> datetime:
        seconds = (dt.replace(tzinfo=None) - _EPOCH) // _SECOND
        offset = self._offset_at(seconds)
        local = dt + offset
        return local.replace(fold=0 if self.utcoffset(local) == offset else 1)

    def __repr__(self) -> str:
        return "SystemLocalTime()"


LOCAL_TIME: tzinfo = _SystemLocalTime()
"""The C library's local time: the zone of last resort, for a system whose zone has no name
that Python's zone data knows (a POSIX rule in ``TZ``)."""


# --- days and weeks ----------------------------------------------------------------------------


def _require_aware(value: datetime, what: str) -> datetime:
    """Naive datetimes would silently mean the machine's zone; refuse them instead."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {value!r}")
    return value.astimezone(UTC)


def _wall_to_utc(wall: datetime, tz: tzinfo) -> datetime:
    """Read a naive wall-clock time in ``tz``: gaps move forward, repeats take the first."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The UTC instants of local midnight and the next local midnight (23 h or 25 h on DST days).

    A midnight that a DST change skips starts the day at the change itself.
    """
    midnight = datetime.combine(day, clock_time(0))
    return _wall_to_utc(midnight, tz), _wall_to_utc(midnight + _DAY, tz)


def week_bounds(day: date, tz: tzinfo, week_start: str = "MONDAY") -> tuple[datetime, datetime]:
    """The UTC bounds of the local week holding ``day``, starting on Clockify's ``weekStart``.

    Raises:
        ValueError: for a ``week_start`` that is not MONDAY..SUNDAY (any case).
    """
    key = week_start.strip().upper()
    if key not in WEEK_STARTS:
        raise ValueError(f"week start must be one of {', '.join(WEEK_STARTS)}: {week_start!r}")
    first = day - timedelta(days=(day.weekday() - WEEK_STARTS.index(key)) % 7)
    return day_bounds(first, tz)[0], day_bounds(first + timedelta(days=7), tz)[0]


def local_day(instant: datetime, tz: tzinfo) -> date:
    """The calendar day that ``instant`` falls on in ``tz``."""
    return _require_aware(instant, "instant").astimezone(tz).date()


def split_by_day(start: datetime, end: datetime, tz: tzinfo) -> list[tuple[date, timedelta]]:
    """How much of ``start``..``end`` falls on each local day, in day order.

    An entry across midnight counts toward each day it touches; days it only touches at an
    end point are left out, so an empty interval gives ``[]``. The parts sum exactly to the
    real elapsed time, also across DST changes.

    Raises:
        ValueError: when ``end`` is before ``start`` or either is naive.
    """
    cursor = _require_aware(start, "start")
    stop = _require_aware(end, "end")
    if stop < cursor:
        raise ValueError(f"interval ends before it starts: {start.isoformat()} > {end.isoformat()}")
    parts: list[tuple[date, timedelta]] = []
    day = local_day(cursor, tz)
    while cursor < stop:
        boundary = min(day_bounds(day, tz)[1], stop)
        if boundary > cursor:  # a day that a zone skipped entirely has no length
            parts.append((day, boundary - cursor))
            cursor = boundary
        day += _DAY
    return parts


# --- typed days and times ----------------------------------------------------------------------

_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
_DAYS_AGO = re.compile(r"[-+]\d{1,5}", re.ASCII)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_WHEN = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)
"""The ISO forms the help lists; Python's parser also takes week dates and basic forms, which
would read a mistyped run of digits as a date."""


def parse_day(text: str, *, now: datetime, tz: tzinfo) -> date:
    """Read a day as people type it; weekday names mean the most recent one, today included.

    ``-2`` is two days ago (``+1`` tomorrow). ``now`` fixes "today" in ``tz``. Only days
    from 1970-01-01 to 2099-12-31 are accepted (see :mod:`tracker.domain.bounds`).

    Raises:
        TimeParseError: with the accepted forms, or the accepted range.
    """
    today = local_day(now, tz)
    raw = text.strip().lower()
    named = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if raw in named:
        return _day_in_range(today + timedelta(days=named[raw]))
    if raw in _WEEKDAYS:
        return _day_in_range(today - timedelta(days=(today.weekday() - _WEEKDAYS[raw]) % 7))
    if _DAYS_AGO.fullmatch(raw):
        ordinal = today.toordinal() + int(raw)
        if not FIRST_DAY.toordinal() <= ordinal <= LAST_DAY.toordinal():
            raise TimeOutOfRange(f"{text.strip()} is out of range: the tracker keeps {DAY_RANGE}.")
        return date.fromordinal(ordinal)
    try:
        if not _ISO_DAY.fullmatch(raw):
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise TimeParseError(f"cannot read {text[:40]!r} as a day; type {DAY_FORMS}") from exc
    return _day_in_range(day)


def _day_in_range(day: date) -> date:
    problem = day_problem(day)
    if problem is not None:
        raise TimeOutOfRange(problem)
    return day


_CLOCK = re.compile(
    r"(?:(?P<day>\S+)\s+)?(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2}))?)?\s*(?P<ampm>[ap]m)?",
    re.ASCII,
)


def parse_when(text: str, *, now: datetime, tz: tzinfo) -> datetime:
    """Read a point in time as typed for ``--at`` or an entry's start or end, as aware UTC.

    A bare time of day is always today in ``tz``, even when that is after ``now``: guessing
    "yesterday" would surprise more than an error later on. Relative forms keep ``now``'s
    sub-second precision; everything else is whole seconds. Gaps and repeated hours of DST
    changes resolve as described in the module docstring. The result must fall on a day
    from 1970-01-01 to 2099-12-31 in ``tz``.

    Raises:
        TimeParseError: with the accepted forms, or the accepted range.
    """
    current = _require_aware(now, "now")
    raw = text.strip().lower()
    problem = TimeParseError(f"cannot read {text[:40]!r} as a time; type {WHEN_FORMS}")
    if raw == "now":
        return current
    out_of_range = TimeOutOfRange(
        f"{text.strip()[:40]!r} is out of range: the tracker keeps {DAY_RANGE}."
    )
    try:
        if raw[:1] in ("-", "+"):
            try:
                delta = parse_human(raw[1:].strip(), limit=None)
            except DurationTooLong as exc:
                raise out_of_range from exc
            except DurationError:
                pass  # perhaps a day offset before a time: "-2 17:00"
            else:
                return _in_range(current - delta if raw[0] == "-" else current + delta, tz)
        clock = _CLOCK.fullmatch(raw)
        if clock is not None:
            return _in_range(_from_clock(clock, current, tz, problem), tz)
        return _in_range(_from_iso(text.strip().upper(), tz, problem), tz)
    except OverflowError as exc:
        raise out_of_range from exc


def _in_range(instant: datetime, tz: tzinfo) -> datetime:
    """``instant`` when it lies on an allowed day in ``tz``."""
    problem = instant_problem(instant) or day_problem(local_day(instant, tz))
    if problem is not None:
        raise TimeOutOfRange(problem)
    return instant


def _from_clock(clock: re.Match[str], now: datetime, tz: tzinfo, problem: Exception) -> datetime:
    """A time of day, on today or on the day typed before it."""
    hour, minute, second = int(clock["h"]), int(clock["m"] or 0), int(clock["s"] or 0)
    if clock["ampm"]:
        if not 1 <= hour <= 12:
            raise problem
        hour = hour % 12 + (12 if clock["ampm"] == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise problem
    if clock["day"]:
        try:
            day = parse_day(clock["day"], now=now, tz=tz)
        except TimeOutOfRange:
            raise  # a day in a listed form, out of range: say so
        except TimeParseError as exc:
            raise problem from exc
    else:
        day = local_day(now, tz)
    return _wall_to_utc(datetime.combine(day, clock_time(hour, minute, second)), tz)


def _from_iso(raw: str, tz: tzinfo, problem: Exception) -> datetime:
    """An ISO date-time in a form the help lists; without an offset it is wall-clock time
    in ``tz``."""
    if not _ISO_WHEN.fullmatch(raw):
        raise problem  # also a date alone, which is no point in time
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise problem from exc
    _day_in_range(parsed.date())  # before any arithmetic, which overflows near year 1 or 9999
    if parsed.tzinfo is None:
        return _wall_to_utc(parsed, tz)
    return parsed.astimezone(UTC)


# --- Clockify and display ----------------------------------------------------------------------


def to_clockify_filter(instant: datetime, tz: tzinfo) -> datetime:
    """The value to send as a ``start``/``end`` list filter for ``instant``.

    Clockify reads those filters as wall-clock time in the profile zone despite their ``Z``
    (FACTS.md §4), so this returns ``instant``'s wall clock in ``tz`` labelled UTC. It is
    not an instant: in a repeated fall-back hour two instants give the same value.
    """
    local = _require_aware(instant, "instant").astimezone(tz)
    return local.replace(tzinfo=UTC, fold=0)


def format_local(
    instant: datetime, tz: tzinfo, *, with_date: bool = False, hour24: bool = True
) -> str:
    """Show ``instant`` as local wall-clock time: ``09:05``, ``9:05 AM``, ``2026-03-29 09:05``.

    Seconds are cut, not rounded, as clocks do; AM/PM is fixed English, not the C locale's.
    """
    local = _require_aware(instant, "instant").astimezone(tz)
    if hour24:
        shown = f"{local.hour:02d}:{local.minute:02d}"
    else:
        half = "AM" if local.hour < 12 else "PM"
        shown = f"{(local.hour - 1) % 12 + 1}:{local.minute:02d} {half}"
    return f"{local.date().isoformat()} {shown}" if with_date else shown
