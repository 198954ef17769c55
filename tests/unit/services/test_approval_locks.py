"""Days of a period Clockify approved are locked in every edit path: the timer, added and
edited entries, deletes, splits and undo, with the reason; other days and other people's
copies are not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers.clock import FakeClock
from tracker.domain.approval_periods import period_containing
from tracker.domain.model import LOCAL_WORKSPACE
from tracker.services import Tracker
from tracker.services.approval_locks import KeptApprovals, KeptRequest, mine_key
from tracker.services.errors import ServiceError
from tracker.store import Store
from tracker.store.report_cache import ReportCache

from .conftest import START, connect

HOUR = timedelta(hours=1)
REASON = "is approved on Clockify, so its time is locked"


def keep(store: Store, state: str, user_id: str = "u1") -> None:
    """Keep one request of ``user_id`` for the week of START, as the approvals service does."""
    week = period_containing(START.date(), "WEEKLY")
    request = KeptRequest("a" * 24, user_id, "Ann", week, state)
    kept = KeptApprovals((request,), START)
    ReportCache(store.conn).put(mine_key("ws1", user_id), "ws1", kept.to_json(), 0.0)


def test_an_approved_week_refuses_every_change_with_the_reason(
    store: Store, tracker: Tracker, clock: FakeClock
) -> None:
    earlier = tracker.entries.add(START - 3 * HOUR, START - 2 * HOUR, "review")
    store.move_workspace(LOCAL_WORKSPACE, "ws1")
    connect(store)
    tracker.entries.edit(earlier.id, description="kept")  # waiting: still editable
    keep(store, "APPROVED")
    for attempt in (
        lambda: tracker.timer.start("new work"),
        lambda: tracker.entries.add(START - 5 * HOUR, START - 4 * HOUR, "late"),
        lambda: tracker.entries.edit(earlier.id, description="changed"),
        lambda: tracker.entries.split(earlier.id, START - 150 * timedelta(minutes=1)),
        lambda: tracker.entries.delete(earlier.id),
        tracker.entries.undo,
    ):
        with pytest.raises(ServiceError, match=REASON):
            attempt()
    # The week after is open.
    clock.advance(days=7)
    assert tracker.timer.start("next week").started.description == "next week"


@pytest.mark.parametrize(("state", "user_id"), [("PENDING", "u1"), ("APPROVED", "u2")])
def test_only_my_approved_periods_lock(
    store: Store, tracker: Tracker, state: str, user_id: str
) -> None:
    store.move_workspace(LOCAL_WORKSPACE, "ws1")
    connect(store)
    keep(store, state, user_id)
    added = tracker.entries.add(START - 3 * HOUR, START - 2 * HOUR, "review")
    assert tracker.entries.delete(added.id).id == added.id
