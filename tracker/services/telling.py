"""A workspace change that landed but that the person has not been told about yet.

A command killed after Clockify answered but before it printed leaves the person knowing
nothing; run again, the same change would be made twice (a payment paid twice). While a
command runs inside :func:`telling`, a change that lands keeps its mark as "landed"
(:meth:`tracker.services.admin_base.ServerFirst.send_once`) until the command has said so
(:meth:`Telling.told`), or for :data:`LANDED_SECONDS`; the same change asked again meanwhile
is answered "already done" unless the person asks for it ``again``. Outside of it (the
desktop pages, which show the answer at once) nothing is kept. Light on imports: the command
line enters it for every verb.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LANDED_SECONDS", "Telling", "current", "telling"]

LANDED_SECONDS = 600.0
"""How long a landed change nobody was told about is answered "already done": long enough
for a person to run the command again, short enough that a second, identical change made
later (another payment of the same amount next week) is simply made."""


@dataclass
class Telling:
    """One command's changes that landed (meta store, mark) and whether one was refused as
    already done; ``again`` makes a change even when the same one just landed."""

    again: bool = False
    already: bool = False
    landed: list[tuple[Any, str]] = field(default_factory=list)

    def told(self) -> None:
        """The person has been told: the landed marks go."""
        for meta, marker in self.landed:
            meta.set(marker, None)
        self.landed.clear()


_CURRENT: ContextVar[Telling | None] = ContextVar("tracker_telling", default=None)


def current() -> Telling | None:
    """The command running here, or ``None`` (a page shows its answer at once)."""
    return _CURRENT.get()


@contextlib.contextmanager
def telling(*, again: bool = False) -> Iterator[Telling]:
    """Run a command whose landed changes are kept until it calls :meth:`Telling.told`
    (after printing); a command that fails or is killed before leaves them kept."""
    state = Telling(again)
    token = _CURRENT.set(state)
    try:
        yield state
    finally:
        _CURRENT.reset(token)
