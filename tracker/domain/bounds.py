"""The range of days, instants and entry lengths the tracker works with.

Python's dates end at year 9999 and ``timedelta`` at a billion days, so an unchecked
``9999-12-31`` or ``P999999999D`` from a keyboard overflows in date arithmetic far from where
it was typed. Every typed day, time and duration is checked against these bounds where it is
read, and the services check again before they compute with values from anywhere else.

* Days run from 1970-01-01 (the Unix epoch: Windows cannot turn earlier times into local
  time, and nobody tracks work that old) to 2099-12-31 (far enough ahead for any plan, and
  far enough from year 9999 that a week's bounds or an entry's end never overflow).
* An entry lasts at most 999 hours: Clockify refuses longer ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

__all__ = [
    "DAY_RANGE",
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_DURATION",
    "day_problem",
    "duration_problem",
    "instant_problem",
]

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2099, 12, 31)
MAX_DURATION = timedelta(hours=999)

_SLACK = timedelta(days=1)  # more than any zone's offset: a local day's instants all fit
_EARLIEST = datetime.combine(FIRST_DAY, time(), UTC) - _SLACK
_LATEST = datetime.combine(LAST_DAY, time(), UTC) + 2 * _SLACK

DAY_RANGE = f"days from {FIRST_DAY} to {LAST_DAY}"
"""The bounds in words, for messages."""


def day_problem(day: date) -> str | None:
    """Why ``day`` is outside the tracker's range, or ``None`` when it is inside."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"{day.isoformat()} is out of range: the tracker keeps {DAY_RANGE}."


def instant_problem(instant: datetime) -> str | None:
    """Why an aware ``instant`` is outside the tracker's range, or ``None``.

    Checked in UTC with a day's slack on both sides, so that every instant of an allowed
    local day passes in any zone.
    """
    if _EARLIEST <= instant <= _LATEST:
        return None
    return f"{instant.isoformat()} is out of range: the tracker keeps {DAY_RANGE}."


def duration_problem(length: timedelta) -> str | None:
    """Why ``length`` cannot be an entry's length, or ``None`` when it can."""
    if length < timedelta(0):
        return "A duration cannot be negative."
    if length > MAX_DURATION:
        hours = MAX_DURATION // timedelta(hours=1)
        return f"An entry can last at most {hours} hours; that is longer."
    return None
