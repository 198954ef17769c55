"""What an operation changed, so each view refreshes only what it shows.

Modelled on Anki's ``OpChanges``: every operation yields one :class:`Changes` value, and a
view looks at the flags it depends on and skips the rest (the tray ignores a day it does not
show, the settings ignore everything but the account and the preferences). The services note
what they write while an operation runs (:meth:`Context.note
<tracker.services.context.Context.note>`); a sync round or another process's change is
described coarsely (:data:`EVERYTHING`, or :func:`from_sync`).

No Qt here: the CLI and tests use the same values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from tracker.domain.model import Entry

__all__ = ["EVERYTHING", "Changes", "Origin", "days_of", "entry_changes", "from_sync"]

MAX_DAYS = 60
"""Days named one by one before a change counts as touching any day (an entry lasts at most
999 hours, about 42 days)."""


class Origin(StrEnum):
    """Who made a change: a view may treat its own actions, sync and other processes apart."""

    ACTION = "action"
    """The person, through this process (a click, a key, a CLI verb)."""
    SYNC = "sync"
    """A sync round wrote what Clockify has (nothing of it needs sending back)."""
    OUTSIDE = "outside"
    """Another process changed the store (a CLI call told the app)."""


@dataclass(frozen=True)
class Changes:
    """What changed; all ``False`` (and no days) means nothing did.

    ``days`` are dates in the profile's zone at the time of the change; ``None`` means any
    day may have changed (a sync round, a CLI call, a workspace switch).
    """

    entries: bool = False
    """Time entries were written (created, edited, deleted, restored)."""
    days: frozenset[date] | None = frozenset()
    """Which days' entries changed (``None``: any day)."""
    running: bool = False
    """The running timer started, stopped, or changed."""
    catalog: bool = False
    """Projects, tasks, tags or clients were created or refreshed."""
    account: bool = False
    """The account, workspace or profile (zone, capacity) changed."""
    preferences: bool = False
    """The saved preferences changed."""
    sync: bool = False
    """What waits to be sent (and the rows' sync markers) changed."""
    favourites: bool = False
    """Projects or tasks were pinned or unpinned in the pickers (kept on this computer only:
    nothing to send, and unlike ``preferences`` no reason to re-read the account)."""
    origin: Origin = Origin.ACTION
    ids: frozenset[str] | None = None
    """Which entries were written, when known: a view re-reads just those rows of a day it
    shows (``None``: unknown, the days are read whole)."""

    def __bool__(self) -> bool:
        """Whether anything changed (the days only say where entries did)."""
        return (
            self.entries
            or self.running
            or self.catalog
            or self.account
            or self.preferences
            or self.sync
            or self.favourites
        )

    def __or__(self, other: Changes) -> Changes:
        """Both changes at once (the origin of the later one)."""
        days: frozenset[date] | None
        if self.days is None or other.days is None:
            days = None
        else:
            days = self.days | other.days
            if len(days) > MAX_DAYS:
                days = None
        mine = self.ids if self.entries else frozenset()
        theirs = other.ids if other.entries else frozenset()
        written = self.entries or other.entries
        return Changes(
            entries=written,
            days=days,
            running=self.running or other.running,
            catalog=self.catalog or other.catalog,
            account=self.account or other.account,
            preferences=self.preferences or other.preferences,
            sync=self.sync or other.sync,
            favourites=self.favourites or other.favourites,
            origin=other.origin if other else self.origin,
            ids=None if mine is None or theirs is None or not written else mine | theirs,
        )

    def touches(self, day: date, *, around: int = 0) -> bool:
        """Whether entries of ``day`` (or of a day at most ``around`` days from it: a week's
        total) may have changed; also true after a switch of account or workspace, which
        changes every day."""
        if self.account:
            return True
        if not self.entries:
            return False
        return self.days is None or any(abs((d - day).days) <= around for d in self.days)

    @property
    def to_send(self) -> bool:
        """Whether something was written here that Clockify has to hear about."""
        return self.origin is not Origin.SYNC and (self.entries or self.catalog)

    def coming_from(self, origin: Origin) -> Changes:
        """The same changes, said to come from ``origin``."""
        return replace(self, origin=origin)


EVERYTHING = Changes(
    entries=True,
    days=None,
    running=True,
    catalog=True,
    account=True,
    preferences=True,
    sync=True,
    favourites=True,
    origin=Origin.OUTSIDE,
)
"""Anything may have changed (another process wrote to the store)."""


def from_sync(*, entries: bool, catalog: bool, account: bool = False) -> Changes:
    """What a sync round changed, coarsely: any day, the running timer with any entry."""
    return Changes(
        entries=entries,
        days=None if entries else frozenset(),
        running=entries,
        catalog=catalog,
        account=account,
        sync=True,
        origin=Origin.SYNC,
    )


def days_of(entry: Entry, zone: tzinfo, now: datetime) -> frozenset[date] | None:
    """The days (in ``zone``) an entry is listed on: from its start to its end, or to now
    while it runs; ``None`` when that is more days than :data:`MAX_DAYS`."""
    first = entry.start.astimezone(zone).date()
    finish = entry.end if entry.end is not None else max(now, entry.start)
    last = finish.astimezone(zone).date()
    if finish > entry.start and finish.astimezone(zone).time() == datetime.min.time():
        last -= timedelta(days=1)  # ends at midnight: not listed on the next day
    count = (last - first).days + 1
    if count > MAX_DAYS:
        return None
    return frozenset(first + timedelta(days=n) for n in range(max(1, count)))


def entry_changes(
    pairs: Iterable[tuple[Entry | None, Entry | None]], zone: tzinfo, now: datetime
) -> Changes:
    """What writing entries changes: each ``(before, after)`` pair names the days both are
    listed on, and the running timer when either runs."""
    found = Changes()
    for before, after in pairs:
        for entry in (before, after):
            if entry is not None:
                found |= Changes(
                    entries=True,
                    days=days_of(entry, zone, now),
                    running=entry.running,
                    sync=True,
                    ids=frozenset({entry.id}),
                )
    return found
