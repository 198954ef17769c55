"""Sync rounds against the Clockify test server: converge, never duplicate, lose nothing."""

import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakeclockify import Fault
from tests.fakeclockify.tls import server_context
from tests.helpers.clock import FakeClock
from tracker.api import FREE_PLAN, TlsError
from tracker.domain.model import Entry, Project, SyncState, Tag, new_id
from tracker.store import EntryRow, Store
from tracker.sync.engine import (
    DELETED_ON_SERVER,
    LOOK_AGAIN,
    UNCLEAR_HORIZON,
    SyncReport,
    note_failure,
)

from .conftest import Harness


def test_offline_work_goes_out_in_one_request_per_entry(harness: Harness, clock: FakeClock) -> None:
    now = clock.now
    first = harness.new_entry(now - timedelta(hours=3), now - timedelta(hours=2), description="a")
    for text in ("b", "c", "d"):  # three offline edits of one entry: one request
        first = replace(first, description=text)
        harness.store.entries.save(first)
    harness.new_entry(now - timedelta(hours=1), None, description="running")
    report = harness.sync()
    assert report.complete
    assert (report.created, report.updated) == (2, 0)
    harness.assert_converged()
    posts = [x for x in harness.server.exchanges if x.method == "POST"]
    assert len(posts) == 2
    # Nothing to do: the next round only pulls.
    again = harness.sync(refresh_refs=False)
    assert (again.created, again.updated, again.requests) == (0, 0, 1)


def test_stop_edit_delete_after_sync(harness: Harness, clock: FakeClock) -> None:
    now = clock.now
    running = harness.new_entry(now - timedelta(hours=1), None, description="work")
    doomed = harness.new_entry(now - timedelta(hours=5), now - timedelta(hours=4), description="x")
    harness.sync()
    harness.store.entries.save(replace(running, end=now, description="work done"))
    with harness.store.transaction():
        harness.store.entries.delete_in(doomed.id, 0)
    report = harness.sync(refresh_refs=False)
    assert (report.updated, report.deleted) == (1, 1)
    harness.assert_converged()


def test_unclear_create_is_adopted_not_duplicated(harness: Harness, clock: FakeClock) -> None:
    now = clock.now
    harness.server.add_fault(Fault(kind="drop_after_commit", method="POST", times=1))
    harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="once")
    report = harness.sync()
    assert report.offline is not None  # the round stopped: the answer never came
    assert len(harness.server_entries()) == 1  # but Clockify has it
    report = harness.sync(refresh_refs=False)
    assert report.adopted == 1
    assert report.created == 0
    harness.assert_converged()


def test_create_that_never_landed_is_sent_again_after_the_horizon(
    harness: Harness, clock: FakeClock
) -> None:
    now = clock.now
    harness.server.add_fault(Fault(kind="drop_before_commit", method="POST", times=1))
    entry = harness.new_entry(
        now - timedelta(hours=2), now - timedelta(hours=1), description="twice?"
    )
    harness.sync()
    # The connection broke after the request went out: Clockify may commit it yet.
    report = harness.sync(refresh_refs=False)
    assert (report.adopted, report.created, report.unclear) == (0, 0, 1)
    row = harness.store.entries.get(entry.id)
    assert row is not None
    assert row.state(connected=True) is SyncState.UNCLEAR
    clock.advance(seconds=UNCLEAR_HORIZON.total_seconds())
    report = harness.sync(refresh_refs=False)
    assert (report.adopted, report.created, report.unclear) == (0, 1, 0)
    harness.assert_converged()


def test_late_commit_is_never_sent_twice(harness: Harness, clock: FakeClock) -> None:
    """A slow server commits a create after the client gave up; an immediate sync must wait."""
    now = clock.now
    # The client's read timeout in the harness is 2 s: the answer comes after it gave up.
    harness.server.add_fault(Fault(kind="delay", delay=3.0, method="POST", times=1))
    harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="slow")
    report = harness.sync()
    assert report.offline is not None
    # At once, while the server still works on the first attempt: look, do not resend.
    report = harness.sync(refresh_refs=False)
    assert (report.created, report.unclear) == (0, 1)
    assert report.recheck_in is not None
    harness.server.wait_for(
        lambda _log: len(harness.server.state.time_entries(harness.ws)) == 1, timeout=10
    )
    # Minutes later (a look is due again): the server's copy is found and adopted.
    clock.advance(seconds=LOOK_AGAIN.total_seconds())
    report = harness.sync(refresh_refs=False)
    assert (report.adopted, report.created, report.unclear) == (1, 0, 0)
    harness.assert_converged()


def test_unclear_create_is_looked_for_sparingly_before_the_horizon(
    harness: Harness, clock: FakeClock
) -> None:
    now = clock.now
    harness.server.add_fault(Fault(kind="drop_before_commit", method="POST", times=1))
    harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="costly?")
    harness.sync()
    assert harness.sync(refresh_refs=False, pull=False).requests == 1  # the first look
    assert harness.sync(refresh_refs=False, pull=False).requests == 0  # too soon to look again
    clock.advance(seconds=LOOK_AGAIN.total_seconds())
    assert harness.sync(refresh_refs=False, pull=False).requests == 1


def test_deleted_unclear_create_keeps_its_tombstone_until_settled(
    harness: Harness, clock: FakeClock
) -> None:
    """Deleting an entry whose create is unclear must not forget it: Clockify may have it."""
    now = clock.now
    harness.server.add_fault(Fault(kind="delay", delay=3.0, method="POST", times=1))
    entry = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1))
    harness.sync()
    with harness.store.transaction():
        harness.store.entries.delete_in(entry.id, 0.0)
    report = harness.sync(refresh_refs=False)
    assert report.unclear == 1
    assert harness.store.entries.get(entry.id) is not None  # the tombstone waits
    harness.server.wait_for(
        lambda _log: len(harness.server.state.time_entries(harness.ws)) == 1, timeout=10
    )
    clock.advance(seconds=UNCLEAR_HORIZON.total_seconds())
    report = harness.sync(refresh_refs=False)
    assert (report.adopted, report.deleted) == (1, 1)
    assert harness.server_entries() == {}
    assert harness.store.entries.get(entry.id) is None


def test_undo_of_a_delete_sent_meanwhile_creates_the_entry_again(
    harness: Harness, clock: FakeClock
) -> None:
    now = clock.now
    entry = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="u")
    harness.sync()
    with harness.store.transaction():
        harness.store.entries.delete_in(entry.id, 0.0)
    row = harness.store.entries.get(entry.id)
    assert row is not None
    original = harness.store.entries.record_deleted

    def undo_while_the_delete_is_out(entry_id: str, *, sent_version: int | None = None) -> None:
        harness.store.entries.save(entry)  # the user pressed Ctrl+Z meanwhile
        original(entry_id, sent_version=sent_version)

    harness.store.entries.record_deleted = undo_while_the_delete_is_out  # type: ignore[method-assign]
    assert harness.sync(refresh_refs=False).deleted == 1
    harness.store.entries.record_deleted = original  # type: ignore[method-assign]
    assert harness.server_entries() == {}
    report = harness.sync(refresh_refs=False)
    assert report.created == 1
    harness.assert_converged()


def test_an_edit_during_the_merge_is_not_lost(harness: Harness, clock: FakeClock) -> None:
    """The merge reads a row, then writes the server's copy: an edit in between must win."""
    now = clock.now
    entry = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="a")
    harness.sync()
    row = harness.store.entries.get(entry.id)
    assert row is not None
    assert row.server_id is not None
    # Changed in Clockify by someone else...
    with httpx.Client(headers={"X-Api-Key": harness.server.api_key}) as raw:
        raw.put(
            f"{harness.server.base_url}/v1/workspaces/{harness.ws}/time-entries/{row.server_id}",
            json={
                "start": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "description": "changed in Clockify",
            },
        ).raise_for_status()
    # ...and edited here, by another connection (the GUI thread, a CLI call), just after the
    # merge read the row and before it wrote the server's copy back.
    other = Store(harness.store.path)
    reads = harness.store.entries.by_server_id

    def read_then_edit(workspace_id: str, server_id: str) -> EntryRow | None:
        found = reads(workspace_id, server_id)
        if found is not None and found.id == entry.id:
            other.entries.save(replace(found.entry, description="edited here"))
        return found

    harness.store.entries.by_server_id = read_then_edit  # type: ignore[method-assign]
    try:
        harness.sync(refresh_refs=False, pull=True)
    finally:
        harness.store.entries.by_server_id = reads  # type: ignore[method-assign]
        other.close()
    row = harness.store.entries.get(entry.id)
    assert row is not None
    assert row.server_id is not None
    assert row.entry.description == "edited here"
    assert row.pending or harness.server_entries()[row.server_id]["description"] == "edited here"
    harness.sync(refresh_refs=False)
    harness.assert_converged()
    assert harness.server_entries()[row.server_id]["description"] == "edited here"


def test_one_malformed_server_entry_does_not_stop_sync(
    harness: Harness, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(
        logging.WARNING, logger="tracker.sync"
    )  # the skipped entry is named in the log
    now = clock.now
    mine = harness.new_entry(now - timedelta(hours=3), now - timedelta(hours=2), description="x")
    harness.sync()
    harness.server.state.add_entry(
        harness.ws,
        harness.server.user_id,
        int((now - timedelta(hours=1)).timestamp()),
        int(now.timestamp()),
        description="someone's broken entry",
    )
    waiting = harness.new_entry(now - timedelta(hours=5), now - timedelta(hours=4), description="w")
    # The pull's page comes back with its first (newest) entry unreadable.
    harness.server.add_fault(Fault(kind="bad_item", method="GET", path="/time-entries$"))
    report = harness.sync(refresh_refs=False)
    assert report.complete, report
    assert report.created == 1  # the waiting change went out
    assert len(report.rejected) == 1
    bad_id, reason = report.rejected[0]
    assert bad_id is not None
    assert "start" in reason
    recorded = harness.store.meta.rejected_remote()
    assert [item["id"] for item in recorded] == [bad_id]
    # The unreadable entry is not taken for one deleted on Clockify, nor is ours.
    assert harness.store.entries.get(mine.id) is not None
    row = harness.store.entries.get(waiting.id)
    assert row is not None
    assert not row.pending


def test_a_400_parks_the_entry_and_others_keep_flowing(harness: Harness, clock: FakeClock) -> None:
    now = clock.now
    harness.server.set_force(harness.ws, projects=True)
    bad = harness.new_entry(now - timedelta(hours=4), now - timedelta(hours=3), description="no")
    project = Project(new_id(), harness.ws, "Website")
    harness.store.catalog.add_local(project)
    good = harness.new_entry(
        now - timedelta(hours=2), now - timedelta(hours=1), project_id=project.id
    )
    report = harness.sync()
    assert [entry_id for entry_id, _ in report.parked] == [bad.id]
    row = harness.store.entries.get(bad.id)
    assert row is not None
    assert row.parked is not None
    assert "Project" in row.parked
    good_row = harness.store.entries.get(good.id)
    assert good_row is not None
    assert not good_row.pending
    # The user fixes it: it goes out.
    harness.store.entries.save(replace(bad, project_id=project.id))
    report = harness.sync(refresh_refs=False)
    assert report.updated + report.created == 1
    harness.assert_converged()


def test_revoked_key_pauses_sync(harness: Harness, clock: FakeClock) -> None:
    harness.sync()
    harness.new_entry(clock.now - timedelta(hours=1), clock.now, description="kept")
    harness.server.revoke_key()
    report = harness.sync(refresh_refs=False)
    assert report.auth_required
    assert harness.store.entries.counts(harness.ws) == (1, 0)  # nothing lost
    assert harness.store.meta.get("auth_required")


def test_network_down_loses_nothing(harness: Harness, clock: FakeClock) -> None:
    harness.sync()
    harness.new_entry(clock.now - timedelta(hours=1), clock.now, description="offline")
    harness.server.add_fault(Fault(kind="status", status=503, times=None))
    report = harness.sync(refresh_refs=False)
    assert report.offline is not None
    assert harness.store.entries.counts(harness.ws)[0] == 1
    harness.server.clear_faults()
    assert harness.sync(refresh_refs=False).complete
    harness.assert_converged()


def test_changes_made_elsewhere_are_pulled(harness: Harness, clock: FakeClock) -> None:
    """A timer started in the web app appears after one pull."""
    import httpx

    now = clock.now
    with httpx.Client(headers={"X-Api-Key": harness.server.api_key}) as web:
        response = web.post(
            f"{harness.server.base_url}/v1/workspaces/{harness.ws}/time-entries",
            json={
                "start": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "description": "from the web",
            },
        )
        assert response.status_code == 201
    harness.sync()
    running = harness.store.entries.running(harness.ws)
    assert running is not None
    assert running.entry.description == "from the web"
    assert not running.pending


def test_field_level_merge_and_conflict_record(harness: Harness, clock: FakeClock) -> None:
    import httpx

    now = clock.now
    entry = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="d0")
    harness.sync()
    row = harness.store.entries.get(entry.id)
    assert row is not None
    server_id = row.server_id
    # Elsewhere: description and billable change. Here: description and end change.
    with httpx.Client(headers={"X-Api-Key": harness.server.api_key}) as web:
        body = {
            "start": entry.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end": entry.end.strftime("%Y-%m-%dT%H:%M:%SZ") if entry.end else None,
            "description": "web text",
            "billable": True,
        }
        url = f"{harness.server.base_url}/v1/workspaces/{harness.ws}/time-entries/{server_id}"
        assert web.put(url, json=body).status_code == 200
    harness.store.entries.save(
        replace(entry, description="local text", end=now - timedelta(minutes=30))
    )
    report = harness.sync(refresh_refs=False)
    assert report.conflicts == 1
    merged = harness.store.entries.get(entry.id)
    assert merged is not None
    assert merged.entry.description == "local text"  # both changed: local wins
    assert merged.entry.billable is True  # only the server changed it: taken
    assert merged.entry.end == now - timedelta(minutes=30)  # only we changed it
    conflict = harness.store.meta.conflicts()[0]
    assert (conflict.field, conflict.kept, conflict.overwritten) == (
        "description",
        "local text",
        "web text",
    )
    harness.assert_converged()


def test_deleted_elsewhere(harness: Harness, clock: FakeClock) -> None:
    import httpx

    now = clock.now
    quiet = harness.new_entry(now - timedelta(hours=4), now - timedelta(hours=3), description="q")
    edited = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="e")
    harness.sync()
    with httpx.Client(headers={"X-Api-Key": harness.server.api_key}) as web:
        for entry in (quiet, edited):
            row = harness.store.entries.get(entry.id)
            assert row is not None
            url = (
                f"{harness.server.base_url}/v1/workspaces/{harness.ws}/time-entries/{row.server_id}"
            )
            assert web.delete(url).status_code == 204
    harness.store.entries.save(replace(edited, description="edited here"))
    harness.sync(refresh_refs=False)
    assert harness.store.entries.get(quiet.id) is None  # unchanged here: follows the server
    kept = harness.store.entries.get(edited.id)
    assert kept is not None
    assert kept.parked == DELETED_ON_SERVER  # changed here: kept, and the user decides


def test_local_only_data_is_uploaded_once_and_matched_by_name(
    store: Any, server: Any, clock: FakeClock
) -> None:
    import httpx

    from tracker.domain.model import LOCAL_WORKSPACE

    from .conftest import Harness as H

    with httpx.Client(headers={"X-Api-Key": server.api_key}) as web:
        made = web.post(
            f"{server.base_url}/v1/workspaces/{server.workspace_id}/projects",
            json={"name": "Existing"},
        )
        assert made.status_code == 201
        existing_id = made.json()["id"]
    existing = Project(new_id(), LOCAL_WORKSPACE, "existing")  # same name, other case
    fresh = Project(new_id(), LOCAL_WORKSPACE, "Brand new")
    tag = Tag(new_id(), LOCAL_WORKSPACE, "deep")
    for item in (existing, fresh, tag):
        store.catalog.add_local(item)
    now = clock.now
    entries = [
        Entry(
            new_id(),
            LOCAL_WORKSPACE,
            now - timedelta(hours=3),
            now - timedelta(hours=2),
            description="one",
            project_id=existing.id,
            tag_ids=(tag.id,),
        ),
        Entry(
            new_id(),
            LOCAL_WORKSPACE,
            now - timedelta(hours=2),
            now - timedelta(hours=1),
            description="two",
            project_id=fresh.id,
        ),
    ]
    for entry in entries:
        store.entries.save(entry)
    harness = H(store, server, clock)
    report = harness.sync()
    assert report.complete
    assert report.created == 2
    harness.assert_converged()
    projects = {p["name"]: p["id"] for p in _projects(server)}
    assert projects["Existing"] == existing_id
    assert set(projects) == {"Existing", "Brand new"}  # matched, not duplicated
    assert harness.sync(refresh_refs=False).created == 0


def test_favourites_made_local_only_follow_their_projects_into_the_account(
    store: Any, server: Any, clock: FakeClock
) -> None:
    """Pins made before any account move with the projects into the chosen workspace, and a
    pinned project folded into Clockify's one of the same name stays pinned."""
    import httpx

    from tracker.domain.model import LOCAL_WORKSPACE

    from .conftest import Harness as H

    with httpx.Client(headers={"X-Api-Key": server.api_key}) as web:
        made = web.post(
            f"{server.base_url}/v1/workspaces/{server.workspace_id}/projects",
            json={"name": "Existing"},
        )
        assert made.status_code == 201
    existing = Project(new_id(), LOCAL_WORKSPACE, "existing")
    fresh = Project(new_id(), LOCAL_WORKSPACE, "Brand new")
    for item in (existing, fresh):
        store.catalog.add_local(item)

    def pin(ids: Any) -> None:
        ids.update({existing.id, fresh.id})

    store.meta.set_favourites(LOCAL_WORKSPACE, pin)
    harness = H(store, server, clock)
    assert harness.sync().complete
    ws = str(server.workspace_id)
    merged = next(p.id for p in store.catalog.all("project", ws) if p.name == "Existing")
    assert merged != existing.id  # folded into the project Clockify had
    assert store.meta.favourites(ws) == {merged, fresh.id}
    assert store.meta.favourites(LOCAL_WORKSPACE) == frozenset()


def _projects(server: Any) -> list[dict[str, Any]]:
    import httpx

    with httpx.Client(headers={"X-Api-Key": server.api_key}) as web:
        return list(
            web.get(f"{server.base_url}/v1/workspaces/{server.workspace_id}/projects").json()
        )


def test_switching_timers_costs_one_request(harness: Harness, clock: FakeClock) -> None:
    """Clockify stops the running timer when a new one starts: no separate stop request."""
    first = harness.new_entry(clock.now - timedelta(hours=1), None, description="first")
    harness.sync()
    switch = clock.advance(minutes=5)
    harness.store.entries.save(replace(first, end=switch))
    harness.new_entry(switch, None, description="second")
    before = len(harness.server.exchanges)
    report = harness.sync(pull=False, refresh_refs=False)
    sent = [(x.method, x.status) for x in harness.server.exchanges[before:]]
    assert sent == [("POST", 201)]
    assert report.created == 1
    harness.assert_converged()


def test_a_clock_set_back_does_not_block_sync(harness: Harness, clock: FakeClock) -> None:
    harness.limits = FREE_PLAN  # ten a second, thirty an hour
    now = clock.now
    harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="before")
    assert harness.sync().complete
    clock.advance(hours=-3)  # the clock was three hours fast, and NTP set it right
    harness.new_entry(
        clock.now - timedelta(hours=2), clock.now - timedelta(hours=1), description="after"
    )
    report = harness.sync(refresh_refs=False)
    assert report.complete, report
    assert report.created == 1
    harness.assert_converged()


def test_a_late_commit_seen_by_the_pull_is_adopted_not_pulled_as_new(
    harness: Harness, clock: FakeClock
) -> None:
    """The pull lists the late-committed entry before the next look: it is the row's copy."""
    now = clock.now
    harness.server.add_fault(Fault(kind="delay", delay=3.0, method="POST", times=1))
    entry = harness.new_entry(now - timedelta(hours=2), now - timedelta(hours=1), description="l")
    harness.sync()
    assert harness.sync(refresh_refs=False).unclear == 1  # looked at once: not there yet
    harness.server.wait_for(
        lambda _log: len(harness.server.state.time_entries(harness.ws)) == 1, timeout=10
    )
    report = harness.sync(refresh_refs=False)  # too soon for a look; the pull sees it
    assert (report.adopted, report.pulled, report.unclear) == (1, 0, 0)
    rows = harness.store.entries.latest(harness.ws, 10)
    assert [row.id for row in rows] == [entry.id]
    clock.advance(seconds=UNCLEAR_HORIZON.total_seconds())
    harness.sync(refresh_refs=False)
    harness.assert_converged()


def test_a_late_committed_project_is_not_created_twice(harness: Harness, clock: FakeClock) -> None:
    project = Project(new_id(), harness.ws, "Late project")
    harness.store.catalog.add_local(project)
    creates: list[str] = []  # project creates as the server receives them (before any delay)
    take = harness.server.take_fault

    def counting(method: str, path: str) -> Any:
        if method == "POST" and path.endswith("/projects"):
            creates.append(path)
        return take(method, path)

    harness.server.take_fault = counting
    harness.server.add_fault(
        Fault(kind="delay", delay=3.0, method="POST", path="/projects$", times=1)
    )
    harness.sync()  # the create times out on the client; the server commits it later
    harness.sync()  # at once: not found by name yet, and it must not be sent again
    harness.server.wait_for(
        lambda _log: len(harness.server.state.projects(harness.ws)) == 1, timeout=10
    )
    clock.advance(seconds=LOOK_AGAIN.total_seconds())  # the next look is due
    harness.sync()
    assert [p["name"] for p in harness.server.state.projects(harness.ws)] == ["Late project"]
    assert harness.store.catalog.server_id("project", project.id) is not None
    assert len(creates) == 1  # sent once; found by name afterwards


def test_a_refused_certificate_stops_sync_as_an_error_not_an_outage(
    clockify_factory: Any, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    context, _authority = server_context("self-signed", tmp_path)
    server = clockify_factory(seed="empty", tls=context)
    harness = Harness(store, server, clock)
    with pytest.raises(TlsError) as refused:
        harness.sync()  # connecting (GET /user) is the first request
    report = SyncReport()
    note_failure(report, refused.value)
    assert report.offline is None
    assert report.error is not None
    assert "certificate" in report.error


def test_an_id_that_is_no_clockify_id_parks_its_row_and_the_rest_goes_on(
    harness: Harness, clock: FakeClock
) -> None:
    now = clock.now
    bad = harness.new_entry(now - timedelta(hours=3), now - timedelta(hours=2), description="b")
    harness.sync()
    with harness.store.transaction() as conn:  # a store written before ids were checked
        conn.execute("UPDATE entries SET server_id = '../../x' WHERE id = ?", (bad.id,))
    harness.store.entries.save(replace(bad, description="edited"))
    harness.new_entry(now - timedelta(hours=5), now - timedelta(hours=4), description="fine")
    report = harness.sync(refresh_refs=False, pull=False)
    assert report.complete, report
    assert report.created == 1
    row = harness.store.entries.get(bad.id)
    assert row is not None
    assert row.parked is not None
    assert not any(x.path.endswith("/x") for x in harness.server.exchanges)


def test_a_switch_with_the_clock_behind_stops_the_old_timer_before_the_new_one_starts(
    harness: Harness, clock: FakeClock
) -> None:
    """The clock was set back: the old timer ends at its own start and the new one starts
    earlier. The stop must reach Clockify first, or the new start would stop it there."""
    running = harness.new_entry(clock.now - timedelta(minutes=30), None, description="old")
    harness.sync()
    earlier = clock.now - timedelta(hours=2)
    with harness.store.transaction():
        harness.store.entries.save_in(replace(running, end=running.start), 0.0)
        harness.store.entries.save_in(Entry(new_id(), harness.ws, earlier, None, "new"), 0.0)
    harness.sync(refresh_refs=False)
    writes = [(x.method, x.path) for x in harness.server.exchanges if x.method in ("PUT", "POST")]
    assert writes[-2][0] == "PUT"  # the stop of the old timer
    assert writes[-1][0] == "POST"  # then the new timer
    harness.assert_converged()
