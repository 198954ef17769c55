"""When an unclear create may be sent again, and when it is looked for (sync rule 3).

A create that went out without a clear answer (a timeout, a dropped connection, a kill) may
still be committed by Clockify, which has no idempotency key. Such a create is never sent a
second time until a look on Clockify made after :data:`UNCLEAR_HORIZON` does not find it.

The horizon is counted on this boot's clock when the create went out during the current boot
(Linux: ``CLOCK_BOOTTIME``, which runs through suspend and which no clock change moves), so a
wall clock set forward cannot make it pass early; on another boot, or where the boot clock is
unknown, on the wall clock, with a send time that lies in the future (the clock ran ahead)
counted as now.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = [
    "LOOK_AGAIN",
    "UNCLEAR_HORIZON",
    "BootClock",
    "Flight",
    "boot_clock",
    "boot_stamp",
    "held_until",
]

UNCLEAR_HORIZON = timedelta(minutes=15)
"""How long after a create went out Clockify could still commit it.

The client abandons any attempt after :data:`~tracker.api.REQUEST_DEADLINE` (30 s: connect,
send and the whole answer), and a killed process abandons it at once, but the server may
still be working on it: Clockify's own request timeouts and the proxies in front of it end
such work within a minute or two. Fifteen minutes is far past that, yet short enough that an
entry that never landed reaches Clockify the same working hour.
"""


def held_until(sent_at: object, now: float) -> datetime | None:
    """Until when a write sent at ``sent_at`` (Unix seconds) and not seen since is not sent
    again (Clockify may still commit it), or ``None`` once it may go (or ``sent_at`` is not a
    time). A send "after now" counts from now: the clock was set back."""
    if not isinstance(sent_at, int | float) or isinstance(sent_at, bool):
        return None
    sent = min(float(sent_at), now)
    if now - sent >= UNCLEAR_HORIZON.total_seconds():
        return None
    return datetime.fromtimestamp(sent, UTC) + UNCLEAR_HORIZON


LOOK_AGAIN = timedelta(minutes=5)
"""Before the horizon, how often an unclear create is looked for (each look is a request)."""

BootClock = Callable[[], tuple[str, float] | None]
"""This boot's id and its clock in seconds, or ``None`` where that is not known."""

_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def boot_clock() -> tuple[str, float] | None:
    """The boot id and ``CLOCK_BOOTTIME`` (Linux), else ``None``."""
    clock_id = getattr(time, "CLOCK_BOOTTIME", None)
    if clock_id is None:
        return None
    try:
        boot = _BOOT_ID.read_text(encoding="ascii").strip()
    except (OSError, UnicodeError):
        return None
    return boot, time.clock_gettime(clock_id)


def boot_stamp(clock: BootClock) -> str | None:
    """The boot clock as stored with a flight: ``boot-id:seconds``."""
    now = clock()
    return None if now is None else f"{now[0]}:{now[1]!r}"


def _parse(stamp: str | None) -> tuple[str, float] | None:
    if not stamp:
        return None
    boot, _, seconds = stamp.rpartition(":")
    try:
        return boot, float(seconds)
    except ValueError:
        return None


@dataclass(frozen=True)
class Flight:
    """An unclear create: when it went out (wall clock and boot clock), when last looked for."""

    sent_at: float | None
    sent_boot: str | None
    looked_at: float | None

    def elapsed(self, now: float, boot_now: tuple[str, float] | None) -> float | None:
        """Seconds since it went out, on the boot clock when the boot is the same, else on
        the wall clock; ``None`` when the send time is unknown (an older store)."""
        sent = _parse(self.sent_boot)
        if sent is not None and boot_now is not None and sent[0] == boot_now[0]:
            return max(0.0, boot_now[1] - sent[1])
        if self.sent_at is None:
            return None
        return max(0.0, now - self.sent_at)

    def horizon_passed(self, now: float, boot_now: tuple[str, float] | None) -> bool:
        """Whether Clockify can no longer commit the create."""
        elapsed = self.elapsed(now, boot_now)
        return elapsed is not None and elapsed >= UNCLEAR_HORIZON.total_seconds()

    def look_due(self, now: float) -> bool:
        """Whether a look before the horizon is due (none yet, or the last one is old)."""
        if self.looked_at is None or self.looked_at > now:
            return True
        return now - self.looked_at >= LOOK_AGAIN.total_seconds()

    def next_check(self, now: float, boot_now: tuple[str, float] | None) -> float:
        """Seconds until a look is due again: the next periodic look or the horizon."""
        waits = [LOOK_AGAIN.total_seconds()]
        if self.looked_at is not None and self.looked_at <= now:
            waits = [self.looked_at + LOOK_AGAIN.total_seconds() - now]
        elapsed = self.elapsed(now, boot_now)
        if elapsed is not None:
            waits.append(UNCLEAR_HORIZON.total_seconds() - elapsed)
        return max(1.0, min(waits))
