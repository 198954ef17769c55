"""This computer's time zone, read with ``tzlocal`` (``TZ``, the OS settings, the Windows
registry), for days counted where no Clockify profile zone is known.

The domain layer reads nothing from the machine, so the zone is read here and handed down
(``tracker.domain.timeutil.zone``). A zone that ``tzlocal`` cannot name in Python's zone data
(a POSIX rule in ``TZ``) falls back to the C library's own local time, which still follows DST.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from datetime import tzinfo
from zoneinfo import ZoneInfoNotFoundError

import tzlocal

from tracker.domain.timeutil import LOCAL_TIME

__all__ = ["REREAD_AFTER", "system_zone"]

REREAD_AFTER = 5.0
"""Seconds a reading stays good: a changed system zone shows within them, and drawing a day
(which asks for the zone per row) does not reread the OS settings each time."""

_lock = threading.Lock()
_cached: tuple[str | None, float, tzinfo] | None = None


def system_zone(*, monotonic: Callable[[], float] = time.monotonic) -> tzinfo:
    """The system's zone, DST-aware: a named ``ZoneInfo`` where one is set, else local time.

    Read afresh every :data:`REREAD_AFTER` seconds (by ``monotonic``), and at once when
    ``TZ`` changed.
    """
    global _cached
    tz_variable = os.environ.get("TZ")
    now = monotonic()
    with _lock:
        if _cached is not None and _cached[0] == tz_variable and now < _cached[1]:
            return _cached[2]
    try:
        found: tzinfo = tzlocal.reload_localzone()
    except (ZoneInfoNotFoundError, ValueError, OSError):
        found = LOCAL_TIME
    with _lock:
        _cached = (tz_variable, now + REREAD_AFTER, found)
    return found
