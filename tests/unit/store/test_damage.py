"""Values in the store that tracker never wrote: a damaged entry is a clear error that names
it, a damaged setting counts as unset, and ``check`` finds both."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from tests.unit.store.support import WS, entry
from tracker.domain.model import Profile, Project, Task, WorkspaceInfo, WorkspaceRules
from tracker.store import Store, StoreDamagedError


def poke(path: Path, sql: str, *args: object) -> None:
    """Change the file behind the store's back, as another program or a bad disk might."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(sql, args)
    conn.close()


@pytest.mark.parametrize(
    ("column", "value", "named"),
    [
        ("tag_ids", "{bad", "tag_ids is not valid JSON"),
        ("tag_ids", '{"a": 1}', "tag_ids holds JSON dict, not list"),
        ("tag_ids", "[1]", "an item of tag_ids holds int"),
        ("custom_fields", "[unclosed", "custom_fields is not valid JSON"),
        ("custom_fields", "[]", "custom_fields holds JSON list, not dict"),
        ("synced", "{", "synced is not valid JSON"),
        ("start", "nine o'clock", "start holds str"),
        ("start", 1.5, "start holds float"),
        ("start", 10**15, "year"),
        ("end", "later", "end holds str"),
        ("description", b"\x00", "description holds bytes"),
        ("billable", "yes", "billable holds str"),
        ("version", "two", "version holds str"),
    ],
)
def test_a_damaged_entry_is_a_clear_error_naming_it(
    store: Store, path: Path, column: str, value: object, named: str
) -> None:
    store.entries.save(entry("hurt", 0, 30))
    store.entries.save(entry("fine", 60, 30))
    poke(path, f"UPDATE entries SET {column} = ? WHERE id = 'hurt'", value)

    with pytest.raises(StoreDamagedError) as caught:
        store.entries.get("hurt")
    message = str(caught.value)
    assert "entry 'hurt'" in message
    assert named in message
    assert str(path) in message
    assert "restore a backup" in message
    assert store.entries.get("fine") is not None  # the others read as before


def test_a_damaged_entry_in_a_range_is_never_skipped(store: Store, path: Path) -> None:
    """Leaving it out of a day would hide recorded time: the read fails instead."""
    store.entries.save(entry("a", 0, 30))
    store.entries.save(entry("b", 60, 30))
    poke(path, "UPDATE entries SET custom_fields = 'oops' WHERE id = 'b'")
    day = entry("x").start.replace(hour=0)

    with pytest.raises(StoreDamagedError, match="entry 'b'"):
        store.entries.between(WS, day, day.replace(hour=23), now=day.replace(hour=23))
    with pytest.raises(StoreDamagedError, match="entry 'b'"):
        store.entries.latest(WS, 10)


def test_what_an_unclear_create_sent_is_checked_while_in_flight(store: Store, path: Path) -> None:
    store.entries.save(entry("a"))
    store.entries.mark_in_flight("a", {"description": "sent"})
    poke(path, "UPDATE entries SET sent = '{\"description\": ' WHERE id = 'a'")

    with pytest.raises(StoreDamagedError, match="sent is not valid JSON"):
        store.entries.get("a")
    store.entries.record_not_sent("a")  # no longer read once the flight is over
    row = store.entries.get("a")
    assert row is not None
    assert row.sent is None


def test_a_damaged_setting_counts_as_unset_until_written_again(
    store: Store, path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store.meta.set("workspace_id", "ws1")
    store.meta.set("budget", {"stamps": [1.0]})
    poke(path, "UPDATE meta SET value = '{\"ws' WHERE key = 'workspace_id'")
    poke(path, "UPDATE meta SET value = 12 WHERE key = 'budget'")  # valid JSON: a number
    poke(path, "INSERT INTO meta VALUES ('blob', x'00ff')")
    caplog.set_level(logging.WARNING, logger="tracker.store")

    assert store.meta.get("workspace_id") is None
    assert store.meta.get("workspace_id", "fallback") == "fallback"
    assert store.meta.get("blob") is None
    assert store.meta.get("budget") == 12  # readable: what it means is the reader's business
    warnings = [r.getMessage() for r in caplog.records]
    assert any("'workspace_id'" in w and "taken as unset" in w for w in warnings)
    assert all("ws1" not in w for w in warnings)  # the value itself is not logged

    assert store.meta.update("workspace_id", lambda old: ("ws2", old)) is None
    assert store.meta.get("workspace_id") == "ws2"


@pytest.mark.parametrize(
    "stored",
    [
        "[1, 2]",
        '{"time_zone": 5}',
        '{"colour": "blue"}',
        '{"working_days": "MONDAY"}',
        '{"working_days": [1]}',
        '{"daily_capacity": "8h"}',
    ],
)
def test_a_damaged_profile_counts_as_none(
    store: Store, path: Path, stored: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Expected: the damage is logged.
    caplog.set_level(logging.WARNING, logger="tracker.store")
    store.meta.save_profile(Profile(time_zone="Europe/Berlin", week_start="SUNDAY"))
    poke(path, "UPDATE meta SET value = ? WHERE key = 'profile'", stored)

    assert store.meta.profile() == Profile()


@pytest.mark.parametrize(
    "stored",
    ["{", "[]", '{"require_project": "yes"}', '{"locked_before": 5}', '{"surprise": true}'],
)
def test_damaged_workspace_rules_count_as_none(
    store: Store, path: Path, stored: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Expected: the damage is logged.
    caplog.set_level(logging.WARNING, logger="tracker.store")
    store.meta.save_workspace(WorkspaceInfo("ws1", "Acme", WorkspaceRules(require_project=True)))
    poke(path, "UPDATE workspaces SET rules = ? WHERE id = 'ws1'", stored)

    assert store.meta.workspace("ws1") == WorkspaceInfo("ws1", "Acme", WorkspaceRules())
    assert store.meta.workspaces() == [WorkspaceInfo("ws1", "Acme", WorkspaceRules())]


def test_a_damaged_undo_record_is_a_clear_error_and_undoes_nothing(
    store: Store, path: Path
) -> None:
    with store.transaction():
        store.meta.push_undo_in("edit", [{"id": "a", "before": None}])
    poke(path, "UPDATE undo SET rows = '[{\"id\"' WHERE label = 'edit'")

    damaged = pytest.raises(StoreDamagedError, match="undo record \\('edit'\\) cannot be read")
    with damaged, store.transaction():
        store.meta.pop_undo_in()
    assert store.conn.execute("SELECT count(*) FROM undo").fetchone()[0] == 1


def test_a_conflict_that_cannot_be_read_shows_its_text(store: Store, path: Path) -> None:
    store.meta.add_conflict("a", "description", "mine", "theirs")
    poke(path, "UPDATE conflicts SET kept = 'not json'")

    (conflict,) = store.meta.conflicts()
    assert (conflict.kept, conflict.overwritten) == ("not json", "theirs")


def test_damaged_catalog_details_count_as_unset(
    store: Store, path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Expected: the damage is logged.
    caplog.set_level(logging.WARNING, logger="tracker.store")
    store.catalog.add_local(Project("p1", WS, "Web", color="#fff", billable=True))
    store.catalog.add_local(Task("t1", WS, "p1", "Build"))
    poke(path, "UPDATE refs SET data = '{' WHERE id = 'p1'")
    poke(path, "UPDATE refs SET data = '{\"estimate\": \"2h\"}' WHERE id = 't1'")

    assert store.catalog.get("project", "p1") == Project("p1", WS, "Web")
    assert store.catalog.get("task", "t1") == Task("t1", WS, "p1", "Build")


# --- the whole-store check ----------------------------------------------------------------------


def test_check_finds_nothing_in_a_sound_store(store: Store) -> None:
    store.entries.save(entry("a"))
    store.meta.set("k", [1])
    assert store.check() == []


def test_check_names_damaged_entries_of_any_workspace_and_unreadable_settings(
    store: Store, path: Path
) -> None:
    for n in range(14):
        store.entries.save(entry(f"e{n:02d}", n * 60, workspace_id="elsewhere" if n else WS))
    poke(path, "UPDATE entries SET tag_ids = 'x' WHERE id < 'e13'")
    poke(path, "UPDATE entries SET start = 'noon' WHERE id = 'e13'")
    store.meta.set("workspace_id", WS)
    poke(path, "UPDATE meta SET value = 'x' WHERE key = 'workspace_id'")

    damage, setting = store.check()
    assert damage.startswith(f"The store {path} is damaged: entry 'e00' cannot be read")
    assert "entry 'e09'" in damage
    assert "entry 'e10'" not in damage
    assert "and 4 more entries" in damage
    assert "restore a backup" in damage
    assert "'workspace_id'" in setting
    assert "counts as unset" in setting


def test_check_reports_damaged_pages(path: Path) -> None:
    with Store(path) as store:
        for n in range(300):
            store.entries.save(entry(f"e{n:03d}", n, description="x" * 300))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    for at in range((root - 1) * page_size + 8, root * page_size, 7):  # the table's first page
        data[at] = 0xFF
    path.write_bytes(bytes(data))

    with Store(path) as store:
        (problem,) = store.check()  # SQLite's check finds it, or fails on it: either is told
    assert str(path) in problem
    assert "damaged" in problem
    assert "restore a backup" in problem
