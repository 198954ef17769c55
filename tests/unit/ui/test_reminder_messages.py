"""What each reminder says and which buttons it offers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tracker.services.preferences import Preferences
from tracker.services.reminders import Reminder
from tracker.ui.reminder_messages import message

AT = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
PREFS = Preferences().with_changes(long_running_hours=8, pomodoro_minutes=25, break_minutes=5)


def test_track_offers_to_continue_the_last_entry() -> None:
    title, body, actions = message(Reminder("track", "k", AT, None, "Write  report"), PREFS, UTC)
    assert (title, body) == ("Not tracking", "No timer is running.")
    assert actions == [("continue", "Continue Write report"), ("start", "Start timer")]
    assert message(Reminder("track", "k", AT), PREFS, UTC)[2] == [("start", "Start timer")]


def test_long_running_and_break_offer_stop() -> None:
    _t, body, actions = message(Reminder("long_running", "k", AT, "e", "<b>x</b>"), PREFS, UTC)
    assert body == "“<b>x</b>” has run for 8 h."  # plain text, as written
    assert actions[0] == ("stop", "Stop timer")
    _t, body, actions = message(Reminder("break", "k", AT, "e", "x"), PREFS, UTC)
    assert body == "25 minutes of “x”: stop for a 5-minute break."
    assert actions == [("stop", "Stop timer")]


def test_stop_at_says_when_in_the_profile_zone_and_long_labels_are_cut() -> None:
    label = "a" * 80
    _t, body, actions = message(
        Reminder("stop_at", "k", AT, "e", label), PREFS, ZoneInfo("Europe/Berlin")
    )
    assert body == f"“{'a' * 39}…” stopped at 18:00, as set in Settings."
    assert actions == [("continue", "Continue")]
