"""Timesheet cell edits are local first and reach Clockify like any other edit."""

from datetime import timedelta

from tests.helpers.clock import FakeClock
from tests.integration.sync.conftest import Harness
from tracker.services import Tracker
from tracker.services.timesheet import ClearCell, CopyLastWeek, RowKey, SetCell


def test_typed_cleared_and_copied_cells_are_sent(harness: Harness, clock: FakeClock) -> None:
    harness.sync()  # connect: the store now writes into the server's workspace
    tracker = Tracker(harness.store, clock)
    today = tracker.context.today()
    last_week = today - timedelta(days=7)
    key = RowKey(None, None, "Support")
    tracker.act(SetCell(key, last_week, timedelta(hours=2)))
    tracker.act(SetCell(RowKey(None, None, "Docs"), last_week, timedelta(hours=1)))
    tracker.act(CopyLastWeek(today))
    report = harness.sync()
    assert report.created == 4
    harness.assert_converged()
    tracker.act(SetCell(key, today, timedelta(minutes=30)))  # its one entry ends earlier
    tracker.act(ClearCell(RowKey(None, None, "Docs"), last_week))
    report = harness.sync()
    assert (report.updated, report.deleted) == (1, 1)
    harness.assert_converged()
    remote = {item["description"]: item for item in harness.server_entries().values()}
    assert set(remote) == {"Support", "Docs"}
