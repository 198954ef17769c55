"""One object with every use case, for the GUI and the CLI alike."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

from tracker.services.changes import Changes
from tracker.services.context import Clock, Context, system_clock
from tracker.services.views import Views, find_entry
from tracker.store import EntryRow, Store

if TYPE_CHECKING:
    from tracker.services.catalog import Catalog
    from tracker.services.entries import Entries
    from tracker.services.requests import Request
    from tracker.services.timer import Timer

__all__ = ["Done", "Tracker"]

T = TypeVar("T")


@dataclass(frozen=True)
class Done(Generic[T]):
    """A request that went through: its result, what it changed, and what the person must
    be told about it (the clock was behind the timer it stopped)."""

    value: T
    changes: Changes
    note: str | None = None


class Tracker:
    """The use cases on one store, with the time from ``clock`` (aware UTC).

    Changes go through :meth:`act` with a request (:mod:`tracker.services.requests`), which
    says what they changed; the parts (``catalog``, ``timer``, ``entries``, ``views``) are
    there for reads and for code that needs more than a request. The editing parts load on
    first use: the tray shows its icon from the views alone.
    """

    def __init__(self, store: Store, clock: Clock = system_clock) -> None:
        self.context = Context(store, clock)
        self.views = Views(self.context)

    @property
    def store(self) -> Store:
        """The store every change lands in."""
        return self.context.store

    @cached_property
    def catalog(self) -> Catalog:
        """Projects, tasks, tags and clients: lookups and quick creation."""
        from tracker.services.catalog import Catalog  # noqa: PLC0415 - see the class

        return Catalog(self.context)

    @cached_property
    def timer(self) -> Timer:
        """The running timer."""
        from tracker.services.timer import Timer  # noqa: PLC0415 - see the class

        return Timer(self.context, self.catalog)

    @cached_property
    def entries(self) -> Entries:
        """Past entries: add, edit, split, delete, undo."""
        from tracker.services.entries import Entries  # noqa: PLC0415 - see the class

        return Entries(self.context, self.catalog)

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
