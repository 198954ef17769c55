"""The event journal: each local change journals what it did, in its own transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers.clock import FakeClock
from tests.unit.services.conftest import START
from tracker.services import ServiceError, Tracker
from tracker.services.events import Kind, event_json, record
from tracker.store import Store
from tracker.store import events as journal_store


def _kinds(store: Store, since: int = 0) -> list[tuple[str, str | None]]:
    return [(e.kind, e.entry_id) for e in store.events.all_after(since)]


def test_every_timer_and_entry_change_journals_its_kind(tracker: Tracker, clock: FakeClock) -> None:
    store = tracker.store
    first = tracker.timer.start("Design").started
    clock.advance(minutes=30)
    second = tracker.timer.start("Review").started  # stops "Design" at the same instant
    clock.advance(minutes=10)
    tracker.timer.stop()
    added = tracker.entries.add(START - timedelta(hours=3), START - timedelta(hours=2), "Plan")
    tracker.entries.edit(added.id, description="Planning")
    tracker.entries.delete(added.id)
    tracker.entries.undo()  # brings "Planning" back
    tracker.timer.start("Call")
    tracker.timer.discard()

    assert _kinds(store) == [
        ("timer.started", first.id),
        ("timer.stopped", first.id),
        ("timer.started", second.id),
        ("timer.stopped", second.id),
        ("entry.created", added.id),
        ("entry.edited", added.id),
        ("entry.deleted", added.id),
        ("entry.created", added.id),
        ("timer.started", store.events.after(8)[0].entry_id),
        ("timer.discarded", store.events.after(8)[0].entry_id),
    ]


def test_a_refused_change_journals_nothing(tracker: Tracker) -> None:
    tracker.timer.start("Design")
    before = tracker.store.events.last_id()
    with pytest.raises(ServiceError):
        tracker.timer.stop(at=START + timedelta(hours=1))  # in the future
    assert tracker.store.events.last_id() == before


def test_an_event_carries_the_entry_as_today_json_shows_it(
    tracker: Tracker, clock: FakeClock
) -> None:
    tracker.catalog.create_project("Website")
    tracker.catalog.create_tag("dev")
    started = tracker.timer.start("Fix bug", project="Website", tags=["dev"]).started
    clock.advance(minutes=45)
    tracker.timer.stop()
    tracker.entries.edit(started.id, description="Fixed the bug")  # later than both events

    shown = [event_json(tracker.context, e) for e in tracker.store.events.all_after(0)]
    today = tracker.views.day(clock().date()).to_json()["entries"][0]

    assert [s["kind"] for s in shown] == ["timer.started", "timer.stopped", "entry.edited"]
    assert set(shown[0]["entry"]) == set(today)  # the same shape
    assert shown[0]["entry"]["running"] is True  # as the change wrote it, not as it is now
    assert shown[0]["entry"]["description"] == "Fix bug"
    assert shown[1]["entry"]["end"] == (START + timedelta(minutes=45)).isoformat()
    assert shown[1]["entry"]["duration_seconds"] == 45 * 60
    assert shown[1]["entry"]["project"] == "Website"
    assert shown[1]["entry"]["tags"] == ["dev"]
    assert shown[2]["entry"]["description"] == "Fixed the bug"
    assert shown[1]["id"] == 2


def test_a_deleted_entry_is_still_shown_with_its_fields(tracker: Tracker) -> None:
    added = tracker.entries.add(START - timedelta(hours=2), START - timedelta(hours=1), "Gone")
    tracker.entries.delete(added.id)
    shown = [event_json(tracker.context, e) for e in tracker.store.events.all_after(0)]
    assert shown[1]["kind"] == "entry.deleted"
    assert shown[1]["entry"]["description"] == "Gone"
    assert shown[1]["entry"]["deleted"] is True


def test_app_events_carry_their_own_data(tracker: Tracker) -> None:
    record(tracker.store, Kind.SYNC_FAILED, {"reason": "Clockify cannot be reached."})
    (shown,) = [event_json(tracker.context, e) for e in tracker.store.events.all_after(0)]
    assert shown["kind"] == "sync.failed"
    assert shown["reason"] == "Clockify cannot be reached."
    assert "entry" not in shown


def test_the_journal_keeps_only_the_newest_events(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal_store, "KEEP", 20)
    monkeypatch.setattr(journal_store, "PRUNE_EVERY", 8)
    for n in range(50):
        with store.transaction():
            store.events.append_in([("entry.created", f"e{n}", {})])
    ids = [e.id for e in store.events.all_after(0)]
    assert ids[-1] == 50
    assert 20 <= len(ids) < 20 + 8  # pruned when an id crossed a multiple of 8
    assert ids == list(range(ids[0], 51))


def test_reading_pages_through_a_long_journal(store: Store) -> None:
    with store.transaction():
        store.events.append_in([("entry.created", f"e{n}", {}) for n in range(1200)])
    assert [e.id for e in store.events.all_after(100)] == list(range(101, 1201))
