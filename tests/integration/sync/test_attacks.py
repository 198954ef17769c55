"""Attacks on "nothing lost, nothing duplicated": sequences of edits, server faults, clock
jumps and races that the sync engine must survive, each against the Clockify test server.

Each test drives rounds with a hand clock (see ``conftest.Harness``) and ends by comparing
what Clockify holds with what the user did.
"""

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.fakeclockify import Fault
from tests.helpers.clock import FakeClock
from tracker.domain.model import Project, Tag, new_id
from tracker.services.tracker import Tracker
from tracker.sync.engine import LOOK_AGAIN, UNCLEAR_HORIZON

from .conftest import Harness


def _web(harness: Harness) -> httpx.Client:
    """Someone using Clockify directly (the web app, a phone) with the same account."""
    return httpx.Client(
        base_url=f"{harness.server.base_url}/v1/workspaces/{harness.ws}",
        headers={"X-Api-Key": harness.server.api_key},
    )


def _stamp(value: Any) -> str:
    return str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))


def test_undoing_a_timer_switch_whose_start_was_unclear_keeps_the_old_timer_running(
    harness: Harness, clock: FakeClock
) -> None:
    """The unclear start of the new timer stopped the old one on Clockify (that is what a
    start does there). The user undid the switch; the old timer must run again on both sides,
    not be stopped by a merge that takes our own create's side effect for an edit made
    elsewhere."""
    tracker = Tracker(harness.store, clock)
    harness.sync()  # connect: the services now write to the workspace
    first = tracker.timer.start("first").started
    assert harness.sync(refresh_refs=False).complete
    clock.advance(minutes=5)
    tracker.timer.start("second")  # stops "first" at the same instant
    harness.server.add_fault(Fault(kind="drop_after_commit", method="POST", times=1))
    assert harness.sync(refresh_refs=False, pull=False).offline is not None
    tracker.entries.undo()  # "second" is gone again, "first" runs again
    clock.advance(minutes=1)
    harness.sync(refresh_refs=False)
    harness.sync(refresh_refs=False)
    row = harness.store.entries.get(first.id)
    assert row is not None
    assert row.entry.running, "the timer the user brought back was stopped by sync"
    harness.assert_converged()


def test_an_unclear_create_does_not_adopt_another_entry_that_only_shares_start_and_text(
    harness: Harness, clock: FakeClock
) -> None:
    """A create that never landed is looked for; meanwhile an entry with the same start and
    description but another project (and end) was made in the web app. It is not the
    create's copy (ARCHITECTURE, sync rule 3: same start, description and project): adopting
    it overwrites it with this entry's end and project, and one of the two entries is gone."""
    now = clock.now
    harness.sync()
    start = now - timedelta(hours=2)
    harness.server.add_fault(Fault(kind="drop_before_commit", method="POST", times=1))
    harness.new_entry(start, now - timedelta(hours=1), description="standup")
    assert harness.sync(refresh_refs=False).offline is not None
    with _web(harness) as web:
        project = web.post("/projects", json={"name": "Client work"})
        assert project.status_code == 201
        made = web.post(
            "/time-entries",
            json={
                "start": _stamp(start),
                "end": _stamp(start + timedelta(minutes=15)),
                "description": "standup",
                "projectId": project.json()["id"],
            },
        )
        assert made.status_code == 201
        theirs = made.json()
    harness.sync(refresh_refs=False)  # the look, before the horizon
    clock.advance(seconds=UNCLEAR_HORIZON.total_seconds())
    harness.sync(refresh_refs=False)
    harness.sync(refresh_refs=False)
    remote = harness.server_entries()
    assert theirs["id"] in remote
    kept = remote[theirs["id"]]
    assert kept["timeInterval"]["end"] == theirs["timeInterval"]["end"], "overwritten"
    assert kept["projectId"] == theirs["projectId"], "overwritten"
    assert len(remote) == 2
    harness.assert_converged()


def test_an_unreadable_entry_sync_already_knows_does_not_hold_an_unclear_create_forever(
    harness: Harness, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """An entry Clockify keeps sending broken (its start is not a date) is one this store
    already has by id, so it cannot be the copy of an unclear create; yet every look after
    the horizon saw a reject and kept the create unclear, round after round."""
    caplog.set_level(
        logging.WARNING, logger="tracker.sync"
    )  # each round skips the broken entry and says so
    now = clock.now
    harness.new_entry(now - timedelta(hours=1), now, description="known, later broken")
    assert harness.sync().complete
    harness.server.add_fault(Fault(kind="drop_before_commit", method="POST", times=1))
    lost = harness.new_entry(now - timedelta(hours=3), now - timedelta(hours=2), description="l")
    assert harness.sync(refresh_refs=False).offline is not None
    # From now on the newest entry of every list answer is unreadable.
    harness.server.add_fault(
        Fault(kind="bad_item", method="GET", path="/time-entries$", times=None)
    )
    for _ in range(4):  # an hour of rounds, a look due in each
        clock.advance(seconds=UNCLEAR_HORIZON.total_seconds())
        report = harness.sync(refresh_refs=False)
    row = harness.store.entries.get(lost.id)
    assert row is not None
    assert report.unclear == 0, "still unclear an hour after the horizon"
    assert row.server_id is not None
    harness.server.clear_faults()
    harness.assert_converged()


def test_an_unclear_create_sent_while_the_clock_ran_ahead_settles_once_it_is_set_right(
    harness: Harness, clock: FakeClock
) -> None:
    """The clock was a day fast when the create went out, and NTP set it right. The send time
    then lies in the future: the create must not wait a day for its horizon (the request
    budget already treats such stamps as "just now")."""
    clock.now += timedelta(days=1)  # a wrong clock (only the wall clock moves, not time)
    now = clock.now
    harness.server.add_fault(Fault(kind="drop_before_commit", method="POST", times=1))
    entry = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="n")
    assert harness.sync().offline is not None
    clock.now -= timedelta(days=1)  # set right: again only the wall clock moves
    for _ in range(3):  # 45 minutes of rounds
        clock.advance(seconds=UNCLEAR_HORIZON.total_seconds())
        report = harness.sync(refresh_refs=False)
    row = harness.store.entries.get(entry.id)
    assert row is not None
    assert report.unclear == 0, "unclear until the clock catches up with the wrong send time"
    harness.assert_converged()


def test_a_clock_jump_forward_right_after_an_unclear_create_does_not_send_it_twice(
    harness: Harness, clock: FakeClock
) -> None:
    """The create is still being worked on by Clockify when the wall clock jumps forward past
    the horizon (NTP stepping a slow clock, the time set by hand). No real time has passed:
    Clockify can still commit it, so the look that does not find it must not resend it."""
    now = clock.now
    harness.server.add_fault(Fault(kind="delay", delay=4.0, method="POST", times=1))
    harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="slow")
    assert harness.sync().offline is not None  # the client gave up after 2 s
    clock.now += UNCLEAR_HORIZON + timedelta(minutes=1)  # the wall clock jumps; no time passed
    harness.sync(refresh_refs=False)
    harness.server.wait_for(
        lambda log: any(x.fault == "delay" and x.status is not None for x in log), timeout=10
    )  # the first attempt is committed now
    clock.advance(seconds=LOOK_AGAIN.total_seconds())
    harness.sync(refresh_refs=False)
    assert len(harness.server_entries()) == 1, "sent twice"
    harness.assert_converged()


def test_an_entry_moved_back_before_the_pull_window_in_clockify_is_not_deleted_here(
    harness: Harness, clock: FakeClock
) -> None:
    """Someone moves an entry in the web app to a day two weeks ago. It leaves the span the
    pull lists, but it was not deleted: it must not vanish from this store."""
    now = clock.now
    entry = harness.new_entry(now - timedelta(days=2), now - timedelta(days=2, hours=-1))
    assert harness.sync().complete
    row = harness.store.entries.get(entry.id)
    assert row is not None
    moved = now - timedelta(days=14)
    with _web(harness) as web:
        answer = web.put(
            f"/time-entries/{row.server_id}",
            json={"start": _stamp(moved), "end": _stamp(moved + timedelta(hours=1))},
        )
        assert answer.status_code == 200
    harness.sync(refresh_refs=False)
    assert harness.store.entries.get(entry.id) is not None, "removed as if deleted in Clockify"
    harness.assert_converged()


def test_an_entry_moved_into_the_pull_window_here_is_not_parked_as_deleted_in_clockify(
    harness: Harness, clock: FakeClock
) -> None:
    """An entry from two weeks ago (outside what the pull lists) is moved here to two days
    ago. Clockify still has it; the pull does not list it because Clockify's copy is still
    at the old date. It must be sent, not parked as "deleted in Clockify"."""
    now = clock.now
    old = now - timedelta(days=14)
    entry = harness.new_entry(old, old + timedelta(hours=1), description="old")
    assert harness.sync().complete
    recent = now - timedelta(days=2)
    harness.store.entries.save(replace(entry, start=recent, end=recent + timedelta(hours=1)))
    harness.sync(refresh_refs=False)
    row = harness.store.entries.get(entry.id)
    assert row is not None
    assert row.parked is None, row.parked
    harness.assert_converged()


def test_editing_an_entry_deleted_in_clockify_sends_it_again_as_a_new_entry(
    harness: Harness, clock: FakeClock
) -> None:
    """The parked row says "Edit it to send it again as a new entry". Doing so must work."""
    now = clock.now
    entry = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="a")
    assert harness.sync().complete
    row = harness.store.entries.get(entry.id)
    assert row is not None
    with _web(harness) as web:
        assert web.delete(f"/time-entries/{row.server_id}").status_code == 204
    harness.store.entries.save(replace(entry, description="edited here"))
    harness.sync(refresh_refs=False)
    parked = harness.store.entries.get(entry.id)
    assert parked is not None
    assert parked.parked is not None  # "deleted in Clockify": the user decides
    harness.store.entries.save(replace(entry, description="keep it"))  # the user decides
    harness.sync(refresh_refs=False)
    row = harness.store.entries.get(entry.id)
    assert row is not None
    assert row.parked is None, row.parked
    assert [e["description"] for e in harness.server_entries().values()] == ["keep it"]
    harness.assert_converged()


def test_a_delete_just_before_a_create_goes_out_does_not_bring_the_entry_back(
    harness: Harness, clock: FakeClock
) -> None:
    """The GUI deletes a never-sent entry (it is removed outright) just after the push read
    the row and before it marked the create in flight. The create must not go out, or the
    next pull brings the deleted entry back as one pulled from Clockify."""
    from tracker.store import Store

    now = clock.now
    harness.sync()
    entry = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="d")
    other = Store(harness.store.path)
    original = harness.store.entries.mark_in_flight

    def delete_first(entry_id: str, *args: Any, **kwargs: Any) -> bool:
        with other.transaction():
            other.entries.delete_in(entry_id, clock.now.timestamp())
        return original(entry_id, *args, **kwargs)

    harness.store.entries.mark_in_flight = delete_first  # type: ignore[method-assign]
    try:
        harness.sync(refresh_refs=False)
    finally:
        harness.store.entries.mark_in_flight = original  # type: ignore[method-assign]
        other.close()
    harness.sync(refresh_refs=False)
    assert harness.store.entries.get(entry.id) is None
    assert harness.store.entries.latest(harness.ws, 10) == [], "the deleted entry came back"
    assert harness.server_entries() == {}


def test_an_unclear_project_is_looked_for_at_most_every_look_again(
    harness: Harness, clock: FakeClock
) -> None:
    """Each look is a request out of 30 an hour. Rounds follow every local edit, so an unclear
    project must be looked for no more often than an unclear entry is (README)."""
    project = Project(new_id(), harness.ws, "Lost project")
    harness.store.catalog.add_local(project)
    harness.server.add_fault(
        Fault(kind="drop_before_commit", method="POST", path="/projects$", times=1)
    )
    assert harness.sync().offline is not None  # unclear: the connection broke after sending
    looks_before = _project_looks(harness)
    for _ in range(3):  # three local edits, three rounds within a minute
        clock.advance(seconds=20)
        harness.sync(refresh_refs=False, pull=False)
    assert _project_looks(harness) - looks_before <= 1


def _project_looks(harness: Harness) -> int:
    return sum(
        1
        for x in harness.server.exchanges
        if x.method == "GET" and x.path.endswith("/projects") and dict(x.query).get("name")
    )


def test_an_entry_moved_away_here_is_not_the_copy_of_an_unclear_create_at_its_old_start(
    harness: Harness, clock: FakeClock
) -> None:
    """An entry is moved here to another day (the move waits to be sent) and a new one is
    added at its old start with the same text; the new one's create is unclear. Clockify's
    copy of the moved entry, still at the old start, belongs to the moved row: the look must
    not adopt it (two rows would claim one Clockify entry, which the store refuses, and every
    round after that failed)."""
    from tracker.store import StoreError

    now = clock.now
    start = now - timedelta(days=3)
    moved = harness.new_entry(start, start + timedelta(hours=1), description="standup")
    assert harness.sync().complete
    later = now - timedelta(hours=6)
    harness.store.entries.save(replace(moved, start=later, end=later + timedelta(hours=1)))
    harness.server.add_fault(Fault(kind="drop_before_commit", method="POST", times=1))
    added = harness.new_entry(start, start + timedelta(hours=1), description="standup")
    assert harness.sync(refresh_refs=False).offline is not None  # the new one went first
    for _ in range(3):
        clock.advance(seconds=UNCLEAR_HORIZON.total_seconds())
        try:
            harness.sync(refresh_refs=False)
        except StoreError as exc:
            raise AssertionError(f"the round failed: {exc}") from exc
    moved_row = harness.store.entries.get(moved.id)
    added_row = harness.store.entries.get(added.id)
    assert moved_row is not None
    assert added_row is not None
    assert moved_row.server_id != added_row.server_id
    assert len(harness.server_entries()) == 2
    harness.assert_converged()


def test_a_tag_made_here_matches_the_tag_clockify_has_in_another_case(
    harness: Harness, clock: FakeClock
) -> None:
    """Clockify's tag names are unique whatever their case, and the sync matches projects by
    name in any case. A tag "deep" made here while Clockify has "Deep" (made elsewhere since
    the catalog was fetched) must become that tag: creating it is refused, the tag is parked,
    and every entry carrying it waits forever."""
    with _web(harness) as web:
        assert web.post("/tags", json={"name": "Deep"}).status_code == 201
    tag = Tag(new_id(), harness.ws, "deep")
    harness.store.catalog.add_local(tag)
    now = clock.now
    entry = harness.new_entry(
        now - timedelta(hours=2), now - timedelta(hours=1), description="t", tag_ids=(tag.id,)
    )
    harness.sync()
    harness.sync(refresh_refs=False)
    row = harness.store.entries.get(entry.id)
    assert row is not None
    assert row.server_id is not None, "the entry never went out"
    assert not row.pending
    harness.assert_converged()


def test_a_timer_started_while_the_previous_start_is_unclear_survives_its_late_commit(
    harness: Harness, clock: FakeClock
) -> None:
    """Starting a timer on Clockify stops whatever runs there. A slow start of "second"
    commits after "third" was started here and sent: it stops "third" on Clockify at once
    (a zero-length entry), and the next pull takes that for an edit made elsewhere, so the
    timer running here stops by itself."""
    tracker = Tracker(harness.store, clock)
    harness.sync()
    harness.server.add_fault(Fault(kind="delay", delay=4.0, method="POST", times=1))
    tracker.timer.start("second")
    assert harness.sync(refresh_refs=False).offline is not None  # gave up after 2 s
    clock.advance(minutes=1)
    third = tracker.timer.start("third").started
    harness.sync(refresh_refs=False, pull=False)  # "third" goes out; "second" is unclear
    harness.server.wait_for(
        lambda log: any(x.fault == "delay" and x.status is not None for x in log), timeout=10
    )  # "second" is committed now, and stopped "third" on Clockify
    clock.advance(seconds=LOOK_AGAIN.total_seconds())
    harness.sync(refresh_refs=False)
    harness.sync(refresh_refs=False)
    row = harness.store.entries.get(third.id)
    assert row is not None
    assert row.entry.running, "the running timer was stopped by sync"
    harness.assert_converged()


def test_a_delete_clockify_refuses_does_not_leave_an_invisible_parked_row(
    harness: Harness, clock: FakeClock
) -> None:
    """Clockify refuses a delete (an approved or locked entry: 403). A parked row waits for
    the person to edit it, but a deleted row is shown nowhere, so it can never be edited:
    the tray says "needs attention" forever while Clockify still has the entry and this store
    hides it. The refused delete must bring the entry back, parked with Clockify's reason."""
    now = clock.now
    entry = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="x")
    assert harness.sync().complete
    with harness.store.transaction():
        harness.store.entries.delete_in(entry.id, clock.now.timestamp())
    harness.server.add_fault(Fault(kind="status", status=403, method="DELETE", times=1))
    report = harness.sync(refresh_refs=False)
    assert report.parked  # refused, with Clockify's reason
    assert len(harness.server_entries()) == 1  # Clockify still has it
    row = harness.store.entries.get(entry.id)
    assert row is not None
    assert not row.deleted, "parked as a tombstone the person can neither see nor edit"


def test_a_timer_stopped_in_the_web_app_before_its_unclear_start_is_adopted_stays_stopped(
    harness: Harness, clock: FakeClock
) -> None:
    """The start of a timer reached Clockify but its answer was lost (the network went down).
    Before the network came back, the person stopped that timer in the web app. Adopting the
    copy must merge: only Clockify changed the end since the create, so Clockify's end wins.
    Instead the adopted row is sent as it is here, running, and the timer runs again."""
    tracker = Tracker(harness.store, clock)
    harness.sync()
    harness.server.add_fault(Fault(kind="drop_after_commit", method="POST", times=1))
    started = tracker.timer.start("meeting").started
    assert harness.sync(refresh_refs=False).offline is not None
    stop = clock.now + timedelta(minutes=5)
    with _web(harness) as web:
        answer = web.patch(
            f"/user/{harness.server.user_id}/time-entries", json={"end": _stamp(stop)}
        )
        assert answer.status_code == 200
    clock.advance(minutes=30)  # the network is back
    harness.sync(refresh_refs=False)
    harness.sync(refresh_refs=False)
    [remote] = harness.server_entries().values()
    assert remote["timeInterval"]["end"] == _stamp(stop), "the timer runs again on Clockify"
    row = harness.store.entries.get(started.id)
    assert row is not None
    assert row.entry.end == stop
    harness.assert_converged()
