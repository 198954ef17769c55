"""Notices when the person comes back after being away with a timer running.

Asks the idle backend only while a timer runs (nothing runs when it is stopped, so a stopped
tracker costs no wake-ups): every :data:`POLL_MS` to notice the absence, then every
:data:`AWAY_POLL_MS` while away so the question comes as soon as the person is back. Sleep
and screen lock begin an absence at once; waking up and unlocking end it. An absence shorter
than the threshold (a quick lock to fetch coffee) asks nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from tracker.integrations.idle import IdleBackend

__all__ = ["AWAY_POLL_MS", "POLL_MS", "IdleWatch"]

log = logging.getLogger(__name__)

POLL_MS = 30_000
"""How often the backend is asked while a timer runs and the person is there."""
AWAY_POLL_MS = 1_000
"""How often it is asked while the person is away, to catch the return quickly."""


class IdleWatch(QObject):
    """Emits :attr:`returned` when the person is back after at least the threshold.

    Signals:
        returned(datetime, datetime): when the absence began and ended (aware UTC, from
            ``clock``), at least ``threshold`` apart.
        away_changed(bool): an absence began (``True``) or ended or was forgotten
            (``False``); sync polls not at all meanwhile.

    Args:
        backend: where idle seconds come from.
        clock: the current instant (aware), the same clock the tracker uses.
        threshold_seconds: how long counts as away; ``0`` turns the watch off.
    """

    returned = Signal(object, object)
    away_changed = Signal(bool)

    def __init__(
        self,
        backend: IdleBackend,
        clock: Callable[[], datetime],
        *,
        threshold_seconds: float = 300.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self._clock = clock
        self._threshold = max(0.0, threshold_seconds)
        self._running = False
        self._since: datetime | None = None
        self._last_idle = 0.0
        self._blocks: set[str] = set()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)

    # --- state ----------------------------------------------------------------------------------

    @property
    def polling(self) -> bool:
        """Whether the backend is being asked (a timer runs and the watch is on)."""
        return self._timer.isActive()

    @property
    def away_since(self) -> datetime | None:
        """When the current absence began, while the person is away."""
        return self._since

    @property
    def interval_ms(self) -> int:
        """The current poll interval."""
        return self._timer.interval()

    def set_threshold(self, seconds: float) -> None:
        """A new threshold (``0``: off); an absence in progress is forgotten."""
        if max(0.0, seconds) == self._threshold:
            return
        self._threshold = max(0.0, seconds)
        self._reset()
        self._schedule()

    def set_running(self, running: bool) -> None:
        """Whether a timer runs: the watch asks the backend only then."""
        if running == self._running:
            return
        self._running = running
        self._reset()
        self._schedule()

    # --- inputs ---------------------------------------------------------------------------------

    @Slot()
    def poll(self) -> None:
        """Ask the backend once (the timer calls this; tests may too)."""
        if not self._active():
            return
        idle = self.backend.idle_seconds()
        if idle is None:
            return
        now = self._clock()
        if self._since is None:
            if idle >= self._threshold:
                self._begin(now - timedelta(seconds=idle), idle)
            return
        if not self._blocks and idle < self._last_idle:
            self._end(now - timedelta(seconds=idle))
            return
        self._last_idle = idle

    @Slot(bool)
    def on_sleeping(self, sleeping: bool) -> None:
        """The computer is about to sleep (``True``) or has woken up (``False``)."""
        self._block("sleep", sleeping)

    @Slot(bool)
    def on_locked(self, locked: bool) -> None:
        """The screen locked (``True``) or unlocked (``False``)."""
        self._block("lock", locked)

    # --- helpers --------------------------------------------------------------------------------

    def _active(self) -> bool:
        return self._running and self._threshold > 0

    def _block(self, kind: str, on: bool) -> None:
        if not self._active():
            return
        now = self._clock()
        if on:
            self._blocks.add(kind)
            if self._since is None:
                idle = self.backend.idle_seconds() or 0.0
                self._begin(now - timedelta(seconds=idle), idle)
            return
        self._blocks.discard(kind)
        if not self._blocks and self._since is not None:
            self._end(now)

    def _begin(self, since: datetime, idle: float) -> None:
        log.info("away since %s", since.isoformat(timespec="seconds"))
        self._since = since
        self._last_idle = idle
        self._schedule()
        self.away_changed.emit(True)

    def _end(self, back: datetime) -> None:
        since = self._since
        self._reset()
        self._schedule()
        if since is not None and (back - since).total_seconds() >= self._threshold:
            log.info("back after %s", back - since)
            self.returned.emit(since, back)

    def _reset(self) -> None:
        was_away = self._since is not None
        self._since = None
        self._last_idle = 0.0
        self._blocks.clear()
        if was_away:
            self.away_changed.emit(False)

    def _schedule(self) -> None:
        if not self._active():
            self._timer.stop()
            return
        if self._since is not None:
            interval = AWAY_POLL_MS
        else:  # a threshold shorter than the poll would notice the absence late
            interval = int(min(POLL_MS, max(AWAY_POLL_MS, self._threshold * 1000 / 2)))
        if self._timer.interval() != interval or not self._timer.isActive():
            self._timer.start(interval)
