"""Building a picker's index off the GUI thread: on a pool thread, a step at a time, pausing
while someone types, delivered back to the GUI thread with a ticket (the model keeps only
the latest catalog's)."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Signal

from tracker.domain.model import Project, Task
from tracker.services.search_candidates import Candidate, candidate_steps
from tracker.services.search_index import SearchIndex

__all__ = ["PAUSE", "TYPING", "Build", "Deliveries", "Steps", "index_catalog"]

log = logging.getLogger("tracker.ui")


class Deliveries(QObject):
    """Carries indexes built on pool threads back to the GUI thread.

    One lives as long as the application, so a pool thread never emits on a deleted object
    (a picker closed while its index was being built simply no longer listens).

    Signals:
        built(object, object): the build's ticket, and its :class:`SearchIndex` (``None``
            when building failed, which is logged).
    """

    built = Signal(object, object)

    @classmethod
    def instance(cls) -> Deliveries:
        """The application's one, made on first use (on the GUI thread)."""
        app = QCoreApplication.instance()
        found = app.findChild(cls, "pickerIndexDeliveries") if app is not None else None
        if isinstance(found, cls):
            return found
        made = cls(app)
        made.setObjectName("pickerIndexDeliveries")
        return made


class _Typing:
    """When the person last pressed a key in a picker. A build pauses between its steps
    until :data:`PAUSE` after that: the build thread and the GUI thread share the
    interpreter, and handing it back and forth on every paint cost each key tens of ms."""

    def __init__(self) -> None:
        self._until = 0.0

    def touch(self) -> None:
        """A key was pressed (GUI thread)."""
        self._until = time.monotonic() + PAUSE

    def wait(self) -> None:
        """Return once nobody has typed for :data:`PAUSE` (build thread)."""
        while (left := self._until - time.monotonic()) > 0:
            time.sleep(left)


PAUSE = 0.3
"""Seconds after a key press during which index builds wait (typing comes in bursts)."""

TYPING = _Typing()


class _Collector:
    """Python's cyclic garbage collector, off while builds run: a build makes a few hundred
    thousand objects, and a full collection they trigger holds the interpreter (and so the
    GUI thread) for a hundred milliseconds. Reference counting still frees everything."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builds = 0
        self._was_enabled = True

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Collector off for the ``with`` body (and until the last concurrent build ends)."""
        with self._lock:
            if not self._builds:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._builds += 1
        try:
            yield
        finally:
            with self._lock:
                self._builds -= 1
                if not self._builds and self._was_enabled:
                    gc.enable()


_COLLECTOR = _Collector()

Steps = Generator[None, None, SearchIndex[Candidate]]


class Build(QRunnable):
    """Builds one index on a pool thread, a step at a time, pausing while someone types,
    and emits it with its ticket."""

    def __init__(self, make: Callable[[], Steps], ticket: object, to: Deliveries) -> None:
        super().__init__()
        self._make = make
        self._ticket = ticket
        self._to = to

    def run(self) -> None:
        """Build; a failure is a bug, logged, and reported as ``None``."""
        index: SearchIndex[Candidate] | None = None
        try:
            with _COLLECTOR.paused():
                steps = self._make()
                while index is None:
                    TYPING.wait()
                    try:
                        next(steps)
                    except StopIteration as done:
                        index = done.value
        except Exception:
            log.exception("building the project picker's index failed")
            index = None
        self._to.built.emit(self._ticket, index)


def index_catalog(
    projects: list[Project],
    tasks: list[Task],
    client_names: dict[str, str],
    pinned: frozenset[str],
) -> Steps:
    items = yield from candidate_steps(projects, tasks, client_names, pinned)
    return (yield from SearchIndex.steps(items))
