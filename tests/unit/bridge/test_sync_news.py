"""What the person is told between rounds: the most urgent state wins the status line, and
each parked change or batch of conflicts is told once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.bridge.status import NoticeKind, SyncPhase, SyncStatus
from tracker.bridge.sync_news import (
    Standing,
    conflict_notice,
    data_changed,
    idle_report,
    parked_notices,
    resting_status,
)
from tracker.domain.model import LOCAL_WORKSPACE, Entry, new_id
from tracker.store import Store
from tracker.sync.engine import SyncReport

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
CAN_SYNC = Standing(problem=None, connected=True, refused=False)
BASE = SyncStatus(SyncPhase.SYNCED)


@pytest.mark.parametrize(
    ("standing", "report", "base", "state", "words"),
    [
        # What no round can get past comes first, the broken setup before the missing account.
        (Standing("bad address", False, True), SyncReport(offline="x"), BASE, "attention", "bad"),
        (Standing(None, False, True), SyncReport(offline="x"), BASE, "local", "Local only"),
        (Standing(None, True, True), SyncReport(offline="x"), BASE, "auth", "refused the API"),
        # Then what the round met, then what waits here.
        (CAN_SYNC, SyncReport(offline="no route", error="e"), BASE, "offline", "no route"),
        (CAN_SYNC, SyncReport(error="unreadable"), BASE, "attention", "Sync stopped"),
        (CAN_SYNC, SyncReport(retry_in=40), SyncStatus(SyncPhase.SYNCED, parked=2), "attention",
         "2 change(s) were refused"),
        (CAN_SYNC, SyncReport(retry_in=40, unclear=1), BASE, "pending", "goes in 40 s"),
        (CAN_SYNC, SyncReport(unclear=1), BASE, "pending", "without a clear answer"),
        (CAN_SYNC, SyncReport(), SyncStatus(SyncPhase.SYNCED, pending=3), "pending", None),
        (CAN_SYNC, None, BASE, "synced", None),
    ],
)  # fmt: skip
def test_the_most_urgent_state_wins(
    standing: Standing,
    report: SyncReport | None,
    base: SyncStatus,
    state: str,
    words: str | None,
) -> None:
    status = resting_status(base, standing, report)
    assert status.state == state
    if words is None:
        assert status.message is None
    else:
        assert words in (status.message or "")


def test_a_blocked_account_plans_no_round_and_a_waiting_one_keeps_its_plan() -> None:
    planned = SyncStatus(SyncPhase.SYNCED, next_sync=MONDAY, pending=1)
    blocked = resting_status(planned, Standing(None, True, True), None)
    assert (blocked.next_sync, blocked.pending) == (None, 1)
    said = resting_status(planned, CAN_SYNC, None, message="Another tracker process is syncing.")
    assert (said.state, said.message) == ("pending", "Another tracker process is syncing.")
    assert said.next_sync == MONDAY


def test_a_round_that_cannot_run_answers_why() -> None:
    assert idle_report(Standing(None, True, True), 4) == SyncReport(auth_required=True, pending=4)
    assert idle_report(Standing("no keyring", False, False), 1).offline == "no keyring"
    assert "local-only" in (idle_report(Standing(None, False, False), 0).offline or "")


def test_data_changed_by_counts_or_by_anything_the_round_did() -> None:
    assert not data_changed(SyncReport(requests=3), (1, 0), (1, 0))
    assert data_changed(SyncReport(), (0, 0), (1, 0))
    assert data_changed(SyncReport(pulled=1), (1, 0), (1, 0))
    assert data_changed(SyncReport(refs_refreshed=True), (1, 0), (1, 0))


def test_each_parked_reason_is_told_once(tmp_path: Path) -> None:
    with Store(tmp_path / "t.sqlite3") as store:
        entry = Entry(new_id(), LOCAL_WORKSPACE, MONDAY, description="Design review")
        store.entries.save(entry)
        said: set[tuple[str, str]] = set()
        report = SyncReport(parked=[(entry.id, "Project is archived")])

        first = parked_notices(store, LOCAL_WORKSPACE, report, said)
        again = parked_notices(store, LOCAL_WORKSPACE, report, said)
        other = parked_notices(store, LOCAL_WORKSPACE, SyncReport(parked=[(entry.id, "no")]), said)

    assert [(n.kind, n.text) for n in first] == [
        (NoticeKind.PARKED, "Design review: Project is archived")
    ]
    assert again == []
    assert [n.text for n in other] == ["Design review: no"]


def test_no_conflicts_no_notice(tmp_path: Path) -> None:
    with Store(tmp_path / "t.sqlite3") as store:
        assert conflict_notice(store) is None
