"""One object with every use case, for the GUI and the CLI alike."""

from __future__ import annotations

from typing import TypeVar

from tracker.services.catalog import Catalog
from tracker.services.context import Clock, Context, system_clock
from tracker.services.entries import Entries
from tracker.services.requests import Done, Request
from tracker.services.timer import Timer
from tracker.services.views import Views, find_entry
from tracker.store import EntryRow, Store

__all__ = ["Tracker"]

T = TypeVar("T")


class Tracker:
    """The use cases on one store, with the time from ``clock`` (aware UTC).

    Changes go through :meth:`act` with a request (:mod:`tracker.services.requests`), which
    says what they changed; the parts (``catalog``, ``timer``, ``entries``, ``views``) are
    there for reads and for code that needs more than a request.
    """

    def __init__(self, store: Store, clock: Clock = system_clock) -> None:
        self.context = Context(store, clock)
        self.catalog = Catalog(self.context)
        self.timer = Timer(self.context, self.catalog)
        self.entries = Entries(self.context, self.catalog)
        self.views = Views(self.context)

    @property
    def store(self) -> Store:
        """The store every change lands in."""
        return self.context.store

    def act(self, request: Request[T]) -> Done[T]:
        """Do what ``request`` asks, in one transaction; returns its result and changes.

        Raises:
            ServiceError: refused (also StoreError, TimeParseError, ValueError); nothing
                was written.
        """
        self.context.take_noted()  # whatever a direct call to a service left
        try:
            value = request.run(self)
        finally:
            changes = self.context.take_noted()
        return Done(value, changes, request.note(value, self.context.now()))

    def find(self, ref: str) -> EntryRow:
        """The live entry ``ref`` (id, short id, ``#N`` of today, ``last``) points at."""
        return find_entry(self.context, ref)
