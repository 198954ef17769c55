"""The clock tests move by hand, shared by every test that needs "now".

Code under test takes its clock by injection (``clock: Callable[[], datetime]``), so a test
holds time still, moves it forward, or sets it back as an NTP correction would, and never
sleeps. One class serves all of them, so they cannot drift apart in what "advance" means.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["MONDAY", "FakeClock"]

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""A Monday morning, the default "now": the week starts here and the day has hours left."""


class FakeClock:
    """Now, moved by hand, with a boot clock beside it.

    ``advance`` moves both (time passed); setting ``now`` directly moves only the wall clock,
    like a clock change, so code that keeps boot time can tell the two apart. ``sleep`` is an
    async sleep that passes the time at once and remembers how long it was asked to wait.
    """

    def __init__(self, now: datetime = MONDAY) -> None:
        self.now = now
        self.booted = 1000.0
        self.slept: list[float] = []

    @classmethod
    def starting_now(cls) -> FakeClock:
        """A clock that starts at the real time (whole seconds), for tests beside a server
        that keeps real time."""
        return cls(datetime.now(UTC).replace(microsecond=0))

    def __call__(self) -> datetime:
        return self.now

    def timestamp(self) -> float:
        """Now as POSIX seconds, for code that counts time in floats (the request budget)."""
        return self.now.timestamp()

    def advance(self, **delta: float) -> datetime:
        """Let time pass (``advance(minutes=5)``); a negative step sets the wall clock back."""
        step = timedelta(**delta)
        self.now += step
        if step > timedelta(0):
            self.booted += step.total_seconds()
        return self.now

    def boot(self) -> tuple[str, float]:
        """The boot id and seconds since boot, as the store records them."""
        return "test-boot", self.booted

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds=seconds)
