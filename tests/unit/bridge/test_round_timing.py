"""When the sync worker's next round runs: the wait each kind of stopped round sets, and
which asks may cut it short. Monotonic seconds are plain numbers here."""

from __future__ import annotations

from tracker.api import PAID_PLAN
from tracker.bridge.channel import Requests
from tracker.bridge.round_timing import LEASE_RETRY, RoundTiming
from tracker.sync.engine import SyncReport
from tracker.sync.schedule import SyncPolicy

NOW = 1000.0
POLICY = SyncPolicy()


def pulled_at(now: float) -> RoundTiming:
    """A schedule whose start-up pull completed at ``now``: nothing is owed."""
    timing = RoundTiming(POLICY)
    timing.round_ended(SyncReport(), True, PAID_PLAN, now)
    return timing


def test_start_up_owes_a_pull_at_once() -> None:
    timing = RoundTiming(POLICY)
    assert timing.due(Requests(), NOW) is True
    assert timing.sleep_for(None, NOW) == 0.0


def test_a_complete_pull_plans_the_quiet_poll() -> None:
    timing = pulled_at(NOW)
    assert timing.due(Requests(), NOW + 1) is None
    assert timing.sleep_for(None, NOW) == POLICY.poll_interval(PAID_PLAN)


def test_a_change_waiting_is_pushed_without_a_pull_when_due() -> None:
    timing = pulled_at(NOW)
    assert timing.due(Requests(push_at=NOW + 2), NOW + 1) is None
    assert timing.due(Requests(push_at=NOW + 2), NOW + 2) is False
    assert timing.sleep_for(NOW + 2, NOW) == 2.0


def test_failures_back_off_longer_each_time_and_a_success_clears_them() -> None:
    timing = pulled_at(NOW)
    waits = []
    for failures in (1, 2, 3):
        timing.round_ended(SyncReport(offline="no route"), False, PAID_PLAN, NOW)
        assert timing.failures == failures
        assert timing.retry_at is not None
        waits.append(timing.retry_at - NOW)
        # Even a change due now waits out the backoff; then the stopped round resumes.
        assert timing.due(Requests(push_at=NOW), NOW + waits[-1] - 0.1) is None
        assert timing.due(Requests(), timing.retry_at) is False
    assert 5 <= waits[0] <= 10 < waits[2] <= 40
    timing.round_ended(SyncReport(), False, PAID_PLAN, NOW)
    assert (timing.failures, timing.retry_at) == (0, None)


def test_someone_looking_cuts_a_backoff_short_but_not_the_budget() -> None:
    timing = RoundTiming(POLICY)  # a pull is owed
    timing.round_ended(SyncReport(error="unreadable"), True, PAID_PLAN, NOW)
    assert timing.due(Requests(), NOW + 1) is None
    assert timing.due(Requests(looked=True), NOW + 1) is True
    assert timing.due(Requests(came_back=True), NOW + 1) is True

    timing.round_ended(SyncReport(retry_in=30.0), True, PAID_PLAN, NOW)
    assert timing.held_by_budget
    assert timing.due(Requests(looked=True), NOW + 1) is None
    assert timing.due(Requests(looked=True), NOW + 30) is True


def test_an_asked_round_runs_whatever_the_wait() -> None:
    timing = pulled_at(NOW)
    timing.round_ended(SyncReport(offline="no route"), False, PAID_PLAN, NOW)
    assert timing.due(Requests(round_asked=False), NOW + 1) is False
    assert timing.due(Requests(round_asked=True), NOW + 1) is True


def test_an_unclear_create_is_looked_for_when_due_not_before() -> None:
    timing = pulled_at(NOW)
    timing.round_ended(SyncReport(offline="x"), False, PAID_PLAN, NOW)
    timing.round_ended(SyncReport(recheck_in=45.0), False, PAID_PLAN, NOW)
    assert (timing.failures, timing.retry_at) == (0, NOW + 45.0)
    assert timing.sleep_for(None, NOW) == 45.0


def test_a_refused_key_leaves_the_wait_as_it_was() -> None:
    timing = pulled_at(NOW)
    timing.round_ended(SyncReport(offline="x"), False, PAID_PLAN, NOW)
    before = (timing.failures, timing.retry_at)
    timing.round_ended(SyncReport(auth_required=True), False, PAID_PLAN, NOW + 5)
    assert (timing.failures, timing.retry_at) == before


def test_a_busy_lease_is_tried_again_shortly_and_an_account_change_starts_over() -> None:
    timing = pulled_at(NOW)
    timing.round_started()
    timing.lease_busy(NOW)
    assert timing.sleep_for(None, NOW) == LEASE_RETRY
    assert timing.due(Requests(), NOW + LEASE_RETRY) is False
    timing.round_ended(SyncReport(offline="x"), False, PAID_PLAN, NOW)
    timing.start_over()
    assert (timing.failures, timing.retry_at) == (0, None)
