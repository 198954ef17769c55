"""The unclear horizon every server write that lost its answer is held to."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.sync.unclear import UNCLEAR_HORIZON, held_until


def test_a_write_is_held_until_the_horizon_then_free() -> None:
    sent = 1_800_000_000.0
    until = held_until(sent, sent + 60)
    assert until == datetime.fromtimestamp(sent, UTC) + UNCLEAR_HORIZON
    assert held_until(sent, sent + UNCLEAR_HORIZON.total_seconds()) is None


def test_a_clock_set_back_holds_from_now_and_junk_holds_nothing() -> None:
    now = 1_800_000_000.0
    assert held_until(now + 3600, now) == datetime.fromtimestamp(now, UTC) + UNCLEAR_HORIZON
    for junk in (None, "12", True, [1]):
        assert held_until(junk, now) is None
