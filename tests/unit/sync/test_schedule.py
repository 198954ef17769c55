"""The pull rule on its own: when looks, returns, rounds and quiet polls pull."""

from __future__ import annotations

from tracker.api import FREE_PLAN, PAID_PLAN, RateLimits
from tracker.sync.schedule import PullClock, SyncPolicy

POLICY = SyncPolicy()


def test_start_up_owes_a_pull_then_a_free_plan_polls_every_ninety_minutes() -> None:
    pulls = PullClock(POLICY, FREE_PLAN)
    assert pulls.due(0.0)
    pulls.pulled(100.0)
    assert not pulls.due(100.0 + 5399)
    assert pulls.due(100.0 + 5400)
    assert pulls.next_at() == 5500.0


def test_a_paid_plan_polls_every_minute() -> None:
    pulls = PullClock(POLICY, PAID_PLAN)
    pulls.pulled(0.0)
    assert not pulls.due(59.0)
    assert pulls.due(60.0)


def test_a_lower_limit_taught_by_a_429_polls_more_rarely() -> None:
    pulls = PullClock(POLICY, FREE_PLAN)
    pulls.pulled(0.0)
    pulls.set_limits(RateLimits(per_hour=15))
    assert not pulls.due(5400.0)
    assert pulls.due(10800.0)


def test_a_look_pulls_only_when_what_is_known_is_stale() -> None:
    pulls = PullClock(POLICY, FREE_PLAN)
    pulls.pulled(0.0)
    assert not pulls.look(299.0)  # 5 minutes on a Free plan
    assert not pulls.due(299.0)
    assert pulls.look(300.0)
    assert pulls.due(300.0)
    assert pulls.due(301.0)  # owed until a pull completes
    pulls.pulled(302.0)
    assert not pulls.due(302.0)


def test_a_look_on_a_paid_plan_is_fresh_for_seconds() -> None:
    pulls = PullClock(POLICY, PAID_PLAN)
    pulls.pulled(0.0)
    assert not pulls.look(9.0)
    assert pulls.look(10.0)


def test_no_quiet_poll_while_away_and_a_pull_on_return() -> None:
    pulls = PullClock(POLICY, FREE_PLAN)
    pulls.pulled(0.0)
    assert not pulls.set_away({"lock"}, 10.0)
    assert pulls.next_at() is None
    assert not pulls.due(20_000.0)  # hours locked: not one quiet poll
    assert not pulls.set_away({"lock", "idle"}, 20_001.0)
    assert not pulls.set_away({"idle"}, 20_002.0)  # still away
    assert pulls.set_away(set(), 20_003.0)  # back: a look, and what is known is old
    assert pulls.due(20_003.0)


def test_a_short_absence_costs_nothing() -> None:
    pulls = PullClock(POLICY, FREE_PLAN)
    pulls.pulled(0.0)
    pulls.set_away({"sleep"}, 60.0)
    assert not pulls.set_away((), 120.0)  # back within 5 minutes of the last pull
    assert not pulls.due(120.0)


def test_a_timer_sent_here_counts_as_knowing_what_runs_but_keeps_an_owed_pull() -> None:
    pulls = PullClock(POLICY, FREE_PLAN)
    pulls.pulled(0.0)
    pulls.timer_started(5000.0)
    assert not pulls.due(5400.0)  # the quiet poll moves with it
    assert pulls.due(5000.0 + 5400)
    assert not pulls.look(5100.0)  # fresh for a look too
    pulls.timer_started(4000.0)  # an older instant never moves it back
    assert pulls.next_at() == 10_400.0
    owed = PullClock(POLICY, FREE_PLAN)  # start-up: nothing pulled yet
    owed.timer_started(10.0)
    assert owed.due(10.0)
