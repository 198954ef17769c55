"""Entries with their sync bookkeeping, on a real file."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.unit.store.support import T0, WS, entry, start_together
from tracker.domain.model import Entry, SyncState
from tracker.store import EntryRow, Store
from tracker.store import entries as entries_module

Spawn = Callable[..., subprocess.Popen[str]]


def synced(store: Store, entry_id: str, server_id: str) -> EntryRow:
    """Record the current version of a row as on Clockify, as sync does after a response."""
    row = store.entries.get(entry_id)
    assert row is not None
    store.entries.record_synced(
        entry_id, server_id=server_id, sent_version=row.version, server_fields=row.entry.fields()
    )
    again = store.entries.get(entry_id)
    assert again is not None
    return again


def minutes_to(moment: datetime) -> float:
    """Minutes from T0 to ``moment`` (for :func:`entry`)."""
    return (moment - T0).total_seconds() / 60


def ids(rows: list[EntryRow]) -> list[str]:
    return [row.id for row in rows]


# --- saving --------------------------------------------------------------------------------


def test_save_inserts_a_pending_row_that_reads_back_equal(store: Store) -> None:
    made = entry(
        "a",
        description="Write tests",
        project_id="p1",
        task_id="t1",
        tag_ids=("tag1", "tag2"),
        billable=True,
        custom_fields={"cf": ["x", 1], "none": None},
    )
    row = store.entries.save(made, now=1.0)
    assert row.entry == made
    assert (row.version, row.synced_version, row.server_id) == (1, 0, None)
    assert row.pending
    assert not row.deleted
    assert not row.in_flight
    assert row.parked is None
    assert row.synced is None
    assert row.state(connected=True) is SyncState.PENDING
    assert row.state(connected=False) is SyncState.LOCAL_ONLY
    assert store.entries.get("a") == row


def test_tags_are_stored_in_one_order(store: Store) -> None:
    row = store.entries.save(entry("a", tag_ids=("b", "a", "c")))
    assert row.entry.tag_ids == ("a", "b", "c")


def test_saving_again_bumps_the_version_and_unparks(store: Store) -> None:
    store.entries.save(entry("a"))
    synced(store, "a", "S1")
    store.entries.park("a", "Project is archived", sent_version=1)
    parked = store.entries.get("a")
    assert parked is not None
    assert parked.parked == "Project is archived"
    assert parked.state(connected=True) is SyncState.PARKED

    row = store.entries.save(entry("a", description="fixed"))
    assert (row.version, row.synced_version) == (2, 1)
    assert row.parked is None
    assert row.pending
    assert row.server_id == "S1"
    assert row.entry.description == "fixed"
    assert row.synced is not None
    assert row.synced["description"] == ""  # the agreed copy is still the old one


def test_pending_and_counts(store: Store) -> None:
    for i, name in enumerate(["new", "edited", "clean", "parked"]):
        store.entries.save(entry(name, i * 60))
    store.entries.save(entry("elsewhere", workspace_id="ws2"))
    for name in ("edited", "clean", "parked"):
        synced(store, name, f"S-{name}")
    store.entries.save(entry("edited", 60, description="changed"))
    store.entries.save(entry("parked", 180, description="changed"))
    store.entries.park("parked", "refused", sent_version=2)

    assert ids(store.entries.pending(WS)) == ["new", "edited", "parked"]  # oldest start first
    assert store.entries.counts(WS) == (3, 1)
    assert store.entries.counts("ws2") == (1, 0)
    assert store.entries.counts("nobody") == (0, 0)


# --- reading ---------------------------------------------------------------------------------


def test_between_takes_entries_that_overlap_the_day(store: Store) -> None:
    plus2 = timezone(timedelta(hours=2))
    day_start = T0.astimezone(plus2).replace(hour=0, minute=0, second=0)
    day_end = day_start + timedelta(days=1)
    store.entries.save(entry("across-start", minutes_to(day_start) - 60, 120))  # 23:00 → 01:00
    store.entries.save(entry("ends-at-start", minutes_to(day_start) - 60, 60))  # 23:00 → 00:00
    store.entries.save(entry("inside", minutes_to(day_start) + 600, 30))
    store.entries.save(entry("across-end", minutes_to(day_end) - 30, 60))  # 23:30 → 00:30
    store.entries.save(entry("starts-at-end", minutes_to(day_end), 30))
    store.entries.save(entry("running", minutes_to(day_start) - 2 * 24 * 60, None))
    store.entries.save(entry("gone", minutes_to(day_start) + 60, 30))
    synced(store, "gone", "S-gone")
    with store.transaction():
        store.entries.delete_in("gone", 0.0)
    store.entries.save(entry("other-ws", minutes_to(day_start) + 60, 30, workspace_id="ws2"))

    now = day_end + timedelta(hours=1)
    rows = store.entries.between(WS, day_start, day_end, now=now)
    assert ids(rows) == ["running", "across-start", "inside", "across-end"]
    assert rows[0].entry.running

    # The same entry across midnight belongs to both days.
    previous = store.entries.between(WS, day_start - timedelta(days=1), day_start, now=now)
    assert "across-start" in ids(previous)
    assert "ends-at-start" in ids(previous)


def test_a_running_entry_is_listed_from_its_start_up_to_now_not_after(store: Store) -> None:
    store.entries.save(entry("before", -24 * 60, 30))
    store.entries.save(entry("running", 0, None))  # since T0
    now = T0 + timedelta(days=2, hours=3)
    today = now.replace(hour=0)

    def listed(day: datetime, moment: datetime = now) -> list[str]:
        return ids(store.entries.between(WS, day, day + timedelta(days=1), now=moment))

    assert listed(T0.replace(hour=0)) == ["running"]  # the day it started
    assert listed(today - timedelta(days=1)) == ["running"]  # a day it ran through
    assert listed(today) == ["running"]  # today, up to now
    assert listed(today + timedelta(days=1)) == []  # tomorrow: it has not run then yet
    assert listed(today + timedelta(days=365)) == []
    assert listed(T0.replace(hour=0) - timedelta(days=1)) == ["before"]
    # Right at midnight it is on the new day (where it goes on), from its first second.
    assert listed(today, today) == ["running"]
    # A timer whose start is ahead of the clock shows on the day it starts, nowhere later.
    assert listed(T0.replace(hour=0), T0 - timedelta(days=3)) == ["running"]
    assert listed(T0.replace(hour=0) + timedelta(days=1), T0 - timedelta(days=3)) == []
    week = (today - timedelta(days=3), today + timedelta(days=4))
    assert store.entries.total(WS, *week, now=now) == now - T0 + timedelta(minutes=30)


def test_running_is_the_live_entry_without_an_end(store: Store) -> None:
    assert store.entries.running(WS) is None
    store.entries.save(entry("done", 0, 30))
    assert store.entries.running(WS) is None
    store.entries.save(entry("old-running", 60, None))
    synced(store, "old-running", "S1")
    store.entries.save(entry("now-running", 120, None))
    running = store.entries.running(WS)
    assert running is not None
    assert running.id == "now-running"
    with store.transaction():
        store.entries.delete_in("now-running", 0.0)
        store.entries.delete_in("old-running", 0.0)
    assert store.entries.running(WS) is None
    assert store.entries.running("ws2") is None


def test_latest_is_newest_first_without_tombstones(store: Store) -> None:
    for i in range(5):
        store.entries.save(entry(f"e{i}", i * 60))
    synced(store, "e4", "S4")
    with store.transaction():
        store.entries.delete_in("e4", 0.0)
    assert ids(store.entries.latest(WS, 3)) == ["e3", "e2", "e1"]
    assert ids(store.entries.latest(WS, 100)) == ["e3", "e2", "e1", "e0"]


def test_descriptions_are_distinct_and_most_recent_first(store: Store) -> None:
    store.entries.save(entry("a", 0, description="Email"))
    store.entries.save(entry("b", 60, description="Review"))
    store.entries.save(entry("c", 120, description="Email"))  # Email used again, later
    store.entries.save(entry("d", 180, description=""))
    store.entries.save(entry("e", 240, description="Deleted one"))
    synced(store, "e", "S-e")
    with store.transaction():
        store.entries.delete_in("e", 0.0)
    store.entries.save(entry("f", 300, description="Other ws", workspace_id="ws2"))

    assert store.entries.descriptions(WS) == ["Email", "Review"]
    assert store.entries.descriptions(WS, limit=1) == ["Email"]


# --- deleting --------------------------------------------------------------------------------


def test_deleting_a_row_clockify_never_saw_removes_it(store: Store) -> None:
    store.entries.save(entry("a"))
    with store.transaction():
        store.entries.delete_in("a", 5.0)
    assert store.entries.get("a") is None
    assert store.entries.pending(WS) == []


def test_deleting_a_synced_row_leaves_a_pending_tombstone(store: Store) -> None:
    store.entries.save(entry("a", description="to delete"))
    synced(store, "a", "S1")
    with store.transaction():
        store.entries.delete_in("a", 5.0)

    row = store.entries.get("a")
    assert row is not None
    assert row.deleted
    assert row.pending
    assert (row.version, row.synced_version, row.server_id) == (2, 1, "S1")
    assert ids(store.entries.pending(WS)) == ["a"]
    assert store.entries.latest(WS, 10) == []

    store.entries.record_deleted("a")  # Clockify deleted it too
    assert store.entries.get("a") is None


def test_deleting_a_row_whose_create_may_have_landed_keeps_a_tombstone(store: Store) -> None:
    store.entries.save(entry("a"))
    store.entries.mark_in_flight("a")
    with store.transaction():
        store.entries.delete_in("a", 5.0)
    row = store.entries.get("a")
    assert row is not None
    assert row.deleted
    assert row.in_flight
    assert row.pending


def test_undoing_a_delete_brings_the_row_back(store: Store) -> None:
    store.entries.save(entry("kept", description="synced"))
    synced(store, "kept", "S1")
    store.entries.save(entry("local", 60, description="never sent"))
    before = {name: store.entries.get(name) for name in ("kept", "local")}
    with store.transaction():
        store.entries.delete_in("kept", 1.0)
        store.entries.delete_in("local", 1.0)
    with store.transaction():
        for row in before.values():
            assert row is not None
            store.entries.restore_in(row, 2.0)

    kept = store.entries.get("kept")
    assert kept is not None
    assert not kept.deleted
    assert kept.server_id == "S1"
    assert kept.pending  # version went up twice; the server still has version 1
    local, local_before = store.entries.get("local"), before["local"]
    assert local is not None
    assert local_before is not None
    assert local.entry == local_before.entry
    assert local.server_id is None


def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    store.entries.save(entry("a"))
    synced(store, "a", "S1")
    try:
        with store.transaction():
            store.entries.delete_in("a", 1.0)
            store.entries.save_in(entry("b"), 1.0)
            raise RuntimeError("the service changed its mind")
    except RuntimeError:
        pass
    row = store.entries.get("a")
    assert row is not None
    assert not row.deleted
    assert not row.pending
    assert store.entries.get("b") is None


# --- sync's records --------------------------------------------------------------------------


def test_an_edit_during_the_request_keeps_the_row_pending(store: Store) -> None:
    sent = store.entries.save(entry("a", description="as sent"))
    store.entries.mark_in_flight("a")
    store.entries.save(entry("a", description="edited while sending"))
    store.entries.record_synced(
        "a", server_id="S1", sent_version=sent.version, server_fields=sent.entry.fields()
    )

    row = store.entries.get("a")
    assert row is not None
    assert (row.version, row.synced_version) == (2, 1)
    assert row.pending
    assert row.server_id == "S1"
    assert not row.in_flight
    assert row.synced == sent.entry.fields()
    assert row.entry.description == "edited while sending"
    assert ids(store.entries.pending(WS)) == ["a"]


def test_recording_the_current_version_makes_the_row_synced(store: Store) -> None:
    store.entries.save(entry("a"))
    row = synced(store, "a", "S1")
    assert not row.pending
    assert row.state(connected=True) is SyncState.SYNCED
    assert store.entries.by_server_id(WS, "S1") == row
    assert store.entries.by_server_id("ws2", "S1") is None


def test_record_not_sent_clears_the_in_flight_flag(store: Store) -> None:
    store.entries.save(entry("a"))
    store.entries.mark_in_flight("a")
    store.entries.record_not_sent("a")
    row = store.entries.get("a")
    assert row is not None
    assert not row.in_flight
    assert row.pending


def test_in_flight_survives_a_crash(path: Path, spawn: Spawn) -> None:
    child = spawn(
        """
        import sys, time
        from pathlib import Path
        from tests.unit.store.support import entry
        from tracker.store import Store

        store = Store(Path(sys.argv[1]))
        print("ready", flush=True)
        sys.stdin.readline()
        store.entries.save(entry("a", description="create me"))
        store.entries.mark_in_flight("a")
        print("marked", flush=True)
        time.sleep(60)  # the request is out when the process dies
        """,
        str(path),
    )
    start_together([child])
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "marked"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)

    with Store(path) as store:
        row = store.entries.get("a")
        assert row is not None
        assert row.in_flight
        assert row.server_id is None
        assert row.pending
        assert row.entry.description == "create me"


def test_park_applies_only_to_the_version_that_was_sent(store: Store) -> None:
    store.entries.save(entry("a"))
    store.entries.save(entry("b", 60))
    store.entries.save(entry("b", 60, description="edited after sending version 1"))

    store.entries.park("a", "Tag is required", sent_version=1)
    store.entries.park("b", "Tag is required", sent_version=1)

    a, b = store.entries.get("a"), store.entries.get("b")
    assert a is not None
    assert b is not None
    assert a.parked == "Tag is required"
    assert a.pending  # parked rows are still pending; they are just not sent
    assert b.parked is None
    assert store.entries.counts(WS) == (2, 1)


def test_adopt_remote_inserts_a_new_synced_row(store: Store) -> None:
    remote = entry("S1", description="made on the web")
    store.entries.adopt_remote(WS, "S1", remote)
    row = store.entries.get("S1")
    assert row is not None
    assert row.entry == remote
    assert row.server_id == "S1"
    assert (row.version, row.synced_version) == (1, 1)
    assert not row.pending
    assert row.synced == remote.fields()


def test_adopt_remote_overwrites_a_synced_row_in_place(store: Store) -> None:
    store.entries.save(entry("local", description="old"))
    before = synced(store, "local", "S1")
    remote = entry("S1", 15, 45, description="changed on the web", billable=True)

    store.entries.adopt_remote(WS, "S1", remote)  # found by its server id

    row = store.entries.get("local")
    assert row is not None
    assert store.entries.get("S1") is None
    assert row.entry.description == "changed on the web"
    assert row.entry.start == remote.start
    assert row.entry.billable
    assert row.version == before.version
    assert not row.pending
    assert row.synced == remote.fields()


def test_adopt_remote_keeping_the_local_version_stays_pending(store: Store) -> None:
    store.entries.save(entry("a", description="base"))
    synced(store, "a", "S1")
    local = store.entries.save(entry("a", description="local edit"))
    server = entry("a", 0, 30, description="base", project_id="p-remote")
    merged = entry("a", 0, 30, description="local edit", project_id="p-remote")

    store.entries.adopt_remote(
        WS,
        "S1",
        merged,
        local_id="a",
        keep_local_version=True,
        server_fields=server.fields(),
    )

    row = store.entries.get("a")
    assert row is not None
    assert row.entry == merged
    assert row.version == local.version + 1
    assert row.synced_version == 1
    assert row.pending
    assert row.synced == server.fields()  # the base of the next merge


def test_forget_remote_leaves_pending_rows_alone(store: Store) -> None:
    store.entries.save(entry("clean"))
    synced(store, "clean", "S1")
    store.entries.save(entry("edited", 60))
    synced(store, "edited", "S2")
    store.entries.save(entry("edited", 60, description="mine"))
    store.entries.save(entry("new", 120))

    store.entries.forget_remote(["clean", "edited", "new", "unknown"])

    assert store.entries.get("clean") is None
    assert store.entries.get("edited") is not None
    assert store.entries.get("new") is not None


def test_server_ids_between_maps_rows_clockify_has(store: Store) -> None:
    store.entries.save(entry("before", -60))
    synced(store, "before", "S0")
    store.entries.save(entry("first", 0))
    synced(store, "first", "S1")
    store.entries.save(entry("tomb", 30))
    synced(store, "tomb", "S2")
    with store.transaction():
        store.entries.delete_in("tomb", 0.0)
    store.entries.save(entry("unsent", 60))
    store.entries.save(entry("at-end", 120))
    synced(store, "at-end", "S3")
    store.entries.adopt_remote("ws2", "S9", entry("S9", 10, workspace_id="ws2"))

    found = store.entries.server_ids_between(WS, T0, T0 + timedelta(minutes=120))
    assert found == {"S1": "first", "S2": "tomb"}


def test_neighbours_skip_tombstones_and_other_workspaces(store: Store) -> None:
    for name in ("aa1", "ab2", "ac3", "ad4"):
        store.entries.save(entry(name))
    store.entries.save(entry("ab9", workspace_id="elsewhere"))
    synced(store, "ac3", "S3")
    with store.transaction():
        store.entries.delete_in("ac3", 0.0)  # a tombstone is no neighbour
    assert store.entries.neighbours(WS, ["ab2", "aa1", "ad4", "zz"]) == {
        "ab2": ("aa1", "ad4"),
        "aa1": (None, "ab2"),
        "ad4": ("ab2", None),
        "zz": ("ad4", None),
    }


def test_neighbours_of_many_ids_span_several_statements(store: Store) -> None:
    names = [f"id{n:04d}" for n in range(1000)]
    with store.transaction():
        for name in names:
            store.entries.save_in(entry(name), 0.0)
    found = store.entries.neighbours(WS, names)
    assert len(found) == 1000
    assert found["id0500"] == ("id0499", "id0501")


# --- range reads at scale --------------------------------------------------------------------


def fill(store: Store, count: int, *, before: datetime, prefix: str) -> None:
    """``count`` finished 45-minute entries, one every two hours, ending before ``before``."""
    with store.transaction():
        for n in range(count):
            start = before - timedelta(hours=2 * (n + 1))
            made = Entry(f"{prefix}{n:06d}", WS, start, start + timedelta(minutes=45))
            store.entries.save_in(made, 0.0)


def steps(store: Store, read: Callable[[], object]) -> int:
    """SQLite virtual machine steps (in hundreds) that ``read`` costs: the work, not the time."""
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    store.conn.set_progress_handler(tick, 100)
    try:
        read()
    finally:
        store.conn.set_progress_handler(None, 0)
    return count


def test_a_range_read_costs_the_same_however_many_entries_came_before(store: Store) -> None:
    day = datetime(2024, 6, 3, tzinfo=UTC)
    fill(store, 24, before=day + timedelta(days=2), prefix="near")  # the two days read
    store.entries.save(Entry("running", WS, day + timedelta(hours=20)))
    now = day + timedelta(days=1, hours=12)

    def read() -> object:
        listed = store.entries.between(WS, day, day + timedelta(days=1), now=now)
        week = store.entries.total(WS, day, day + timedelta(days=7), now=now)
        return listed, week

    small = steps(store, read)
    fill(store, 20_000, before=day - timedelta(days=1), prefix="past")  # ~4.5 years before
    large = steps(store, read)

    assert len(store.entries.between(WS, day, day + timedelta(days=1), now=now)) == 13
    assert large <= small + 5, (small, large)


def test_range_reads_seek_the_index_from_both_ends(store: Store) -> None:
    day = datetime(2024, 6, 3, tzinfo=UTC)
    fill(store, 50, before=day, prefix="e")
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    store.entries.between(WS, day, day + timedelta(days=1), now=day)
    store.entries.total(WS, day, day + timedelta(days=7), now=day)
    store.conn.set_trace_callback(None)

    for sql in statements:
        plan = [str(row[3]) for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert not [step for step in plan if step.startswith("SCAN")], plan
        assert (
            "SEARCH entries USING INDEX entries_start (workspace_id=? AND start>? AND start<?)"
            in plan
        )
        assert "SEARCH entries USING INDEX entries_length (workspace_id=?)" in plan
        assert "SEARCH entries USING INDEX entries_running (workspace_id=? AND start<?)" in plan


# --- suggestions -----------------------------------------------------------------------------


def test_suggestions_are_the_latest_entry_of_each_description_project_and_task(
    store: Store,
) -> None:
    day = 24 * 60
    store.entries.save(entry("old", -400 * day, description="Planning", project_id="internal"))
    store.entries.save(
        entry(
            "mid",
            -30 * day,
            description="Planning",
            project_id="internal",
            tag_ids=("t1",),
            billable=True,
        )
    )
    store.entries.save(entry("web", -20 * day, description="Sprint planning", project_id="web"))
    store.entries.save(entry("bare", -40 * day, description="planning"))
    store.entries.save(entry("other", -1 * day, description="Review"))
    store.entries.save(entry("gone", 0, description="Planning poker"))
    store.entries.delete_in("gone", 1.0)
    store.entries.save(entry("now", 10, None, description="Planning now"))  # running
    found = store.entries.suggestions(WS, "PLA")
    assert [(r.id, r.entry.description) for r in found] == [
        ("web", "Sprint planning"),
        ("mid", "Planning"),
        ("bare", "planning"),
    ]
    assert found[1].entry.tag_ids == ("t1",)
    assert found[1].entry.billable
    assert store.entries.suggestions(WS, "pla", limit=1)[0].id == "web"
    assert store.entries.suggestions("another workspace", "pla") == []


def test_suggestions_take_percent_and_underscore_literally(store: Store) -> None:
    store.entries.save(entry("pct", 0, description="100% done"))
    store.entries.save(entry("und", 60, description="snake_case"))
    store.entries.save(entry("plain", 120, description="1000 done, snakeXcase"))
    assert ids(store.entries.suggestions(WS, "0% d")) == ["pct"]
    assert ids(store.entries.suggestions(WS, "e_c")) == ["und"]
    assert ids(store.entries.suggestions(WS, "\\")) == []


def test_suggestions_look_past_a_window_of_one_repeated_entry(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(entries_module, "SUGGESTION_WINDOW", 3)
    store.entries.save(entry("old", -10_000, description="Standup notes", project_id="p2"))
    for n in range(5):  # the newest matches are all one entry's repeats
        store.entries.save(entry(f"s{n}", n * 60, description="Standup", project_id="p1"))
    found = store.entries.suggestions(WS, "stand")
    assert [(r.entry.description, r.entry.project_id) for r in found] == [
        ("Standup", "p1"),
        ("Standup notes", "p2"),
    ]
    assert found[0].id == "s4"  # the latest one of its kind
    assert ids(store.entries.suggestions(WS, "stand", limit=1)) == ["s4"]
