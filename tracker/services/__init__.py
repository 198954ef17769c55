"""The use cases the GUI and the CLI share: timer, entries, reference data, views, undo.

Every change is checked against the workspace's rules and lands in the store in one
transaction with its undo record; nothing here talks to the network (sync sends it later).
"""

from tracker.services.context import LOCAL_WORKSPACE, Clock, Context, system_clock
from tracker.services.errors import AmbiguousName, NotFound, ServiceError
from tracker.services.timer import StartResult
from tracker.services.tracker import Tracker
from tracker.services.views import DayView, EntryView, LogView, StatusView

__all__ = [
    "LOCAL_WORKSPACE",
    "AmbiguousName",
    "Clock",
    "Context",
    "DayView",
    "EntryView",
    "LogView",
    "NotFound",
    "ServiceError",
    "StartResult",
    "StatusView",
    "Tracker",
    "system_clock",
]
