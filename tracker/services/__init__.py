"""The use cases the GUI and the CLI share: timer, entries, reference data, views, undo.

Changes are requests (:mod:`tracker.services.requests`) given to ``Tracker.act``, which says
what each changed (:class:`Changes`).

Every change is checked against the workspace's rules and lands in the store in one
transaction with its undo record; nothing here talks to the network (sync sends it later).

Names are loaded on first use (PEP 562), so ``tracker status``, which needs only the views,
does not pay for importing the editing services.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.services.changes import Changes, Origin
    from tracker.services.context import LOCAL_WORKSPACE, Clock, Context, system_clock
    from tracker.services.errors import AmbiguousName, NotFound, ServiceError
    from tracker.services.timer import StartResult
    from tracker.services.tracker import Done, Tracker
    from tracker.services.views import DayView, EntryView, LogView, StatusView, Views

__all__ = [
    "LOCAL_WORKSPACE",
    "AmbiguousName",
    "Changes",
    "Clock",
    "Context",
    "DayView",
    "Done",
    "EntryView",
    "LogView",
    "NotFound",
    "Origin",
    "ServiceError",
    "StartResult",
    "StatusView",
    "Tracker",
    "Views",
    "system_clock",
]

_HOMES = {
    "Changes": "changes",
    "Origin": "changes",
    "Done": "tracker",
    "LOCAL_WORKSPACE": "context",
    "Clock": "context",
    "Context": "context",
    "system_clock": "context",
    "AmbiguousName": "errors",
    "NotFound": "errors",
    "ServiceError": "errors",
    "StartResult": "timer",
    "Tracker": "tracker",
    "DayView": "views",
    "EntryView": "views",
    "LogView": "views",
    "StatusView": "views",
    "Views": "views",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'tracker.services' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"tracker.services.{home}"), name)
    globals()[name] = value
    return value
