"""When the app should speak up about the timer: the reminder rules, with ``now`` passed in.

Four rules, each off by default (see :class:`~tracker.services.preferences.Preferences`):

- **track**: on the chosen weekdays, from ``remind_from`` every ``remind_every_minutes`` until
  ``remind_to``, a reminder when no timer runs at that moment; never on a day the person is
  away (``state.away``: a holiday, time off). Only the latest moment counts (a laptop waking
  at 11:10 reminds once, not for every moment it slept through) and a moment at which a timer
  still ran does not count even if it has stopped since.
- **long running**: once per entry, when a timer has run ``long_running_hours``.
- **stop at**: the running timer stops at the first ``stop_at`` time of day after it started
  (the app stops it *at* that time, even if it wakes up later).
- **Pomodoro**: "break" after each ``pomodoro_minutes`` of one running timer; "back to work"
  ``break_minutes`` after a timer that ran at least one block stopped.

Days and hours are wall-clock times in the profile's zone. Every reminder has a ``key``
unique to its occasion; the caller remembers the keys it has shown (``state.done``), so
:func:`due` never repeats one and :func:`next_check` names the next instant anything new
becomes due. The app sleeps until then instead of polling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from tracker.services.preferences import Preferences, parse_clock

__all__ = ["Reminder", "ReminderState", "due", "next_check"]

DAYS_AHEAD = 8
"""How far :func:`next_check` looks for the next reminder day (a week, and today)."""


@dataclass(frozen=True)
class Reminder:
    """One thing to tell the person.

    Attributes:
        kind: ``track``, ``long_running``, ``stop_at``, ``break`` or ``back_to_work``.
        key: unique to this occasion (a rule's moment and entry), for "shown once".
        at: the instant it became due (aware UTC); for ``stop_at``, when to stop the timer.
        entry_id: the running entry it is about (``long_running``, ``stop_at``, ``break``).
        label: the entry's description (plain text, for the message), or the latest entry's
            for ``track`` and ``back_to_work``.
    """

    kind: str
    key: str
    at: datetime
    entry_id: str | None = None
    label: str = ""


@dataclass(frozen=True)
class ReminderState:
    """What the rules need to know about the timer, as of now.

    Attributes:
        zone: the profile's zone (days and hours are read there).
        running_id, running_since, running_label: the running entry, if any.
        last_stop: when the latest stopped entry ended; ``last_duration`` how long it ran;
            ``last_label`` its description (what Continue would start again).
        done: keys of the reminders already shown.
        away: days on which nobody should be asked to track (a holiday, a day off; see
            :attr:`tracker.domain.workdays.DayPlan.away`): "remind me to track" stays quiet.
    """

    zone: tzinfo
    running_id: str | None = None
    running_since: datetime | None = None
    running_label: str = ""
    last_stop: datetime | None = None
    last_duration: timedelta | None = None
    last_label: str = ""
    done: frozenset[str] = frozenset()
    away: frozenset[date] = frozenset()

    @property
    def running(self) -> bool:
        """Whether a timer runs."""
        return self.running_since is not None


def due(now: datetime, state: ReminderState, prefs: Preferences) -> list[Reminder]:
    """The reminders due at ``now`` and not yet shown, oldest first."""
    found = [past for past, _next in _rules(now, state, prefs) if past is not None]
    return sorted((r for r in found if r.key not in state.done), key=lambda r: r.at)


def next_check(now: datetime, state: ReminderState, prefs: Preferences) -> datetime | None:
    """The next instant after ``now`` at which :func:`due` has something new; ``None``:
    nothing is planned (every rule off, or nothing to wait for until the timer changes)."""
    upcoming = [future for _past, future in _rules(now, state, prefs) if future is not None]
    return min(upcoming, default=None)


# --- the rules --------------------------------------------------------------------------------

Found = tuple[Reminder | None, datetime | None]
"""A rule's latest occasion at or before now (``None``: none due) and its next after now."""


def _rules(now: datetime, state: ReminderState, prefs: Preferences) -> Iterator[Found]:
    now = now.astimezone(UTC)
    if state.running:
        yield _long_running(now, state, prefs)
        yield _stop_at(now, state, prefs)
        yield _work_block(now, state, prefs)
    else:
        yield _track(now, state, prefs)
        yield _back_to_work(now, state, prefs)


def _wall(day: date, text: str, zone: tzinfo) -> datetime:
    """``text`` (``HH:MM``) on ``day`` in ``zone``, as a UTC instant. A time the clocks skip
    (the spring-forward hour) reads with the offset before the change, so it falls just after
    it; a repeated time is its first occurrence."""
    return datetime.combine(day, parse_clock(text), tzinfo=zone).astimezone(UTC)


def _track(now: datetime, state: ReminderState, prefs: Preferences) -> Found:
    every = timedelta(minutes=prefs.remind_every_minutes)
    if not every or not prefs.remind_days:
        return None, None
    today = now.astimezone(state.zone).date()
    past: Reminder | None = None
    upcoming: datetime | None = None
    for offset in range(-1, DAYS_AHEAD):
        day = today + timedelta(days=offset)
        if day.weekday() not in prefs.remind_days or day in state.away:
            continue
        start = _wall(day, prefs.remind_from, state.zone)
        end = _wall(day, prefs.remind_to, state.zone)
        if start <= now < end + every:
            slot = start + every * ((now - start) // every)
            if slot < end and now - slot < every and _idle_at(slot, state):
                label = state.last_label
                past = Reminder("track", f"track:{slot.isoformat()}", slot, None, label)
        if now < end:
            steps = 0 if now < start else ((now - start) // every) + 1
            slot = start + every * steps
            if slot < end:
                upcoming = slot
                break
    return past, upcoming


def _idle_at(slot: datetime, state: ReminderState) -> bool:
    """No timer ran at ``slot`` (none runs now, and the latest one stopped by then)."""
    return state.last_stop is None or state.last_stop <= slot


def _long_running(now: datetime, state: ReminderState, prefs: Preferences) -> Found:
    if not prefs.long_running_hours or state.running_since is None:
        return None, None
    at = state.running_since + timedelta(hours=prefs.long_running_hours)
    key = f"long_running:{state.running_id}"
    if at > now:
        return None, at
    return Reminder("long_running", key, at, state.running_id, state.running_label), None


def _stop_at(now: datetime, state: ReminderState, prefs: Preferences) -> Found:
    if not prefs.stop_at or state.running_since is None:
        return None, None
    since = state.running_since
    day = since.astimezone(state.zone).date()
    at = _wall(day, prefs.stop_at, state.zone)
    if at <= since:  # started after today's stop time: tomorrow's
        at = _wall(day + timedelta(days=1), prefs.stop_at, state.zone)
    if at > now:
        return None, at
    key = f"stop_at:{state.running_id}:{at.isoformat()}"
    return Reminder("stop_at", key, at, state.running_id, state.running_label), None


def _work_block(now: datetime, state: ReminderState, prefs: Preferences) -> Found:
    block = timedelta(minutes=prefs.pomodoro_minutes)
    if not block or state.running_since is None:
        return None, None
    done = (now - state.running_since) // block
    upcoming = state.running_since + block * (done + 1)
    if done < 1:
        return None, upcoming
    at = state.running_since + block * done
    key = f"break:{state.running_id}:{done}"
    return Reminder("break", key, at, state.running_id, state.running_label), upcoming


def _back_to_work(now: datetime, state: ReminderState, prefs: Preferences) -> Found:
    block = timedelta(minutes=prefs.pomodoro_minutes)
    pause = timedelta(minutes=prefs.break_minutes)
    last = state.last_stop
    if not block or not pause or last is None or (state.last_duration or timedelta(0)) < block:
        return None, None
    at = last + pause
    if at > now:
        return None, at
    if now - at >= pause:  # long past (the app was not running): no stale "back to work"
        return None, None
    key = f"back_to_work:{last.isoformat()}"
    return Reminder("back_to_work", key, at, None, state.last_label), None
