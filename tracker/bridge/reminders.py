"""Runs the reminder rules: one single-shot timer set to the next due moment, nothing else.

:func:`tracker.services.reminders.next_check` says when something next becomes due, so the
app sleeps until exactly then (no polling: a laptop's idle wake-ups matter). The plan is made
again whenever the timer or the preferences change. Qt's timers run on the monotonic clock,
which stands still while the computer sleeps, so one sleep is capped at :data:`MAX_SLEEP_MS`
and the plan is checked against the wall clock after it.

A ``stop_at`` reminder stops the running timer here, through the controller (so the stop is
saved, undoable and synced), at the set time; the others are only announced.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from tracker.bridge.controller import Controller
from tracker.services.changes import Changes
from tracker.services.preferences import Preferences
from tracker.services.reminders import DAYS_AHEAD, ReminderState, due, next_check
from tracker.services.requests import Stop
from tracker.services.workdays import away_days

__all__ = ["MAX_SLEEP_MS", "Reminders"]

log = logging.getLogger(__name__)

MAX_SLEEP_MS = 15 * 60 * 1000
"""The longest single sleep: after a suspend the wall clock is checked within this long."""

FORGET_AFTER = timedelta(days=2)
"""Shown reminders older than this are forgotten (their moments never come again)."""


class Reminders(QObject):
    """Emits :attr:`remind` for each reminder as it becomes due.

    Signals:
        remind(Reminder): something to tell the person (a ``stop_at`` one after the stop).

    Args:
        controller: the timer's state and the preferences; stops the timer for ``stop_at``.
        clock: the current instant (default: the controller's clock); tests pass a fake.
    """

    remind = Signal(object)

    def __init__(
        self,
        controller: Controller,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._clock = clock or controller.now
        self._shown: dict[str, datetime] = {}
        self._planning = False
        self._again = False
        self.next_at: datetime | None = None
        """The moment the timer is set for (``None``: nothing planned)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.plan)
        controller.changed.connect(self._on_changed)

    @property
    def timer(self) -> QTimer:
        """The single-shot timer (tests read its interval)."""
        return self._timer

    def state(self) -> ReminderState:
        """The timer's state as the rules see it."""
        controller = self.controller
        zone = controller.zone()
        done = frozenset(self._shown)
        running, last = controller.timer()
        last_label = last.description if last is not None else ""
        if running is not None:
            return ReminderState(
                zone,
                running.id,
                running.start,
                running.description,
                last.end if last else None,
                None,
                last_label,
                done,
            )
        duration = last.end - last.start if last is not None and last.end is not None else None
        return ReminderState(
            zone,
            None,
            None,
            "",
            last.end if last else None,
            duration,
            last_label,
            done,
            self._away(),
        )

    def _away(self) -> frozenset[date]:
        """Days around today on which "remind me to track" stays quiet (holidays, time off),
        from what Clockify said last (a read of the store, never the network)."""
        context = self.controller.tracker.context
        today = context.today()
        days = [today + timedelta(days=n) for n in range(-1, DAYS_AHEAD + 1)]
        user_id = context.store.meta.account_user_id()
        return away_days(context.store, context.workspace_id, user_id, days)

    def _on_changed(self, changes: Changes) -> None:
        """Plan again when the timer, the entries (when tracking last stopped), the zone or
        the preferences changed; nothing else moves a reminder."""
        if changes.running or changes.entries or changes.account or changes.preferences:
            self.plan()

    def plan(self, *_args: object) -> None:
        """Announce what is due now, then sleep until the next due moment."""
        if self._planning:  # a stop below changed the timer: plan once more afterwards
            self._again = True
            return
        self._planning = True
        try:
            self._again = True
            while self._again:
                self._again = False
                state, prefs = self._run_due()
            # The last round changed nothing (else it would have run again): its reading of
            # the store still holds, with the reminders it showed added.
            self._schedule(replace(state, done=frozenset(self._shown)), prefs)
        finally:
            self._planning = False

    def _run_due(self) -> tuple[ReminderState, Preferences]:
        """Announce what is due; the state and preferences it read (one read per plan)."""
        now = self._clock()
        prefs = self.controller.preferences()
        state = self.state()
        for reminder in due(now, state, prefs):
            self._shown[reminder.key] = reminder.at
            if reminder.kind == "stop_at":
                running = self.controller.running()
                if running is None or running.id != reminder.entry_id:
                    continue
                if self.controller.act(Stop(reminder.at)) is None:
                    continue
                log.info("stopped the timer at %s as set in the preferences", reminder.at)
            self.remind.emit(reminder)
        cutoff = now - FORGET_AFTER
        self._shown = {key: at for key, at in self._shown.items() if at >= cutoff}
        return state, prefs

    def _schedule(self, state: ReminderState, prefs: Preferences) -> None:
        now = self._clock()
        upcoming = next_check(now, state, prefs)
        self.next_at = upcoming
        if upcoming is None:
            self._timer.stop()
            return
        wait_ms = math.ceil((upcoming - now).total_seconds() * 1000)
        self._timer.start(max(0, min(wait_ms, MAX_SLEEP_MS)))
