"""Small facts: key-value settings, workspaces, profile, conflicts and undo."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.unit.store.support import start_together
from tracker.domain.model import Profile, WorkspaceInfo, WorkspaceRules
from tracker.store import Store
from tracker.store.meta import ACCOUNT, PULLED, REFS, WORKSPACE_ID, MetaStore

Spawn = Callable[..., subprocess.Popen[str]]


# --- key-value -------------------------------------------------------------------------------


def test_get_set_and_none_deletes(store: Store) -> None:
    assert store.meta.get("missing") is None
    assert store.meta.get("missing", 7) == 7
    store.meta.set("k", {"a": [1, 2.5, "x", None, True]})
    assert store.meta.get("k") == {"a": [1, 2.5, "x", None, True]}
    store.meta.set("k", 3)
    assert store.meta.get("k") == 3
    store.meta.set("k", False)  # a falsy value is still a value
    assert store.meta.get("k", "default") is False
    store.meta.set("k", None)
    assert store.meta.get("k", "default") == "default"
    assert store.conn.execute("SELECT count(*) FROM meta WHERE key = 'k'").fetchone()[0] == 0


def test_update_writes_the_change_and_returns_the_result(store: Store) -> None:
    def bump(value: Any) -> tuple[int, str]:
        new = (value or 0) + 1
        return new, f"now {new}"

    assert store.meta.update("n", bump) == "now 1"
    assert store.meta.update("n", bump) == "now 2"
    assert store.meta.get("n") == 2


def test_update_that_fails_writes_nothing(store: Store) -> None:
    store.meta.set("n", 1)

    def broken(value: Any) -> tuple[Any, None]:
        store.meta.set_in("other", "half")
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        store.meta.update("n", broken)
    assert store.meta.get("n") == 1
    assert store.meta.get("other") is None


def test_update_is_atomic_across_processes(path: Path, spawn: Spawn) -> None:
    Store(path).close()
    code = """
        import sys
        from pathlib import Path
        from tracker.store import Store

        with Store(Path(sys.argv[1])) as store:
            print("ready", flush=True)
            sys.stdin.readline()
            for _ in range(100):
                store.meta.update("counter", lambda value: ((value or 0) + 1, None))
        """
    children = [spawn(code, str(path)) for _ in range(3)]
    start_together(children)
    for child in children:
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
    with Store(path) as store:
        assert store.meta.get("counter") == 300  # no increment lost


# --- workspaces and profile ------------------------------------------------------------------


def test_workspace_round_trip_with_every_rule(store: Store) -> None:
    locked = datetime(2024, 3, 1, 0, 0, tzinfo=timezone(timedelta(hours=-5)))
    rules = WorkspaceRules(
        require_project=True,
        require_task=True,
        require_tags=True,
        require_description=True,
        locked_before=locked,
    )
    store.meta.save_workspace(WorkspaceInfo("w1", "Zeta", rules, free_plan=False))
    store.meta.save_workspace(WorkspaceInfo("w2", "alpha"))

    loaded = store.meta.workspace("w1")
    assert loaded == WorkspaceInfo("w1", "Zeta", rules, free_plan=False)
    assert loaded.rules.locked_before is not None
    assert loaded.rules.locked_before.tzinfo is UTC
    assert store.meta.workspace("w2") == WorkspaceInfo("w2", "alpha")
    assert store.meta.workspace("unknown") is None
    assert [ws.id for ws in store.meta.workspaces()] == ["w2", "w1"]  # by name, any case

    store.meta.save_workspace(WorkspaceInfo("w1", "Zeta renamed"))  # fetched again
    assert store.meta.workspace("w1") == WorkspaceInfo("w1", "Zeta renamed")
    assert len(store.meta.workspaces()) == 2


def test_profile_round_trip(store: Store) -> None:
    assert store.meta.profile() == Profile()
    profile = Profile(
        user_id="u1",
        name="Ada",
        email="ada@example.com",
        time_zone="Europe/Berlin",
        week_start="SUNDAY",
        daily_capacity=timedelta(hours=7, minutes=30),
        working_days=("MONDAY", "TUESDAY", "WEDNESDAY"),
    )
    store.meta.save_profile(profile)
    assert store.meta.profile() == profile
    assert store.meta.profile() == profile  # reading does not consume anything

    store.meta.save_profile(Profile(user_id="u1"))
    assert store.meta.profile() == Profile(user_id="u1")


# --- conflicts -------------------------------------------------------------------------------


def test_conflicts_are_listed_newest_first_until_seen(store: Store) -> None:
    assert store.meta.conflicts() == []
    store.meta.add_conflict("e1", "description", "mine", "theirs")
    store.meta.add_conflict("e2", "tag_ids", ["a"], None)

    listed = store.meta.conflicts()
    assert [(c.entry_id, c.field, c.kept, c.overwritten) for c in listed] == [
        ("e2", "tag_ids", ["a"], None),
        ("e1", "description", "mine", "theirs"),
    ]
    assert listed[0].seq > listed[1].seq
    assert [c.entry_id for c in store.meta.conflicts(limit=1)] == ["e2"]
    assert len(store.meta.conflicts(unseen_only=True)) == 2

    store.meta.mark_conflicts_seen()
    assert store.meta.conflicts(unseen_only=True) == []
    assert len(store.meta.conflicts()) == 2

    store.meta.add_conflict("e3", "billable", True, False)
    assert [c.entry_id for c in store.meta.conflicts(unseen_only=True)] == ["e3"]


# --- undo ------------------------------------------------------------------------------------


def test_undo_is_a_stack(store: Store) -> None:
    with store.transaction():
        assert store.meta.pop_undo_in() is None
        store.meta.push_undo_in("delete", [{"id": "a", "deleted": True}])
        store.meta.push_undo_in("edit", [{"id": "b"}, {"id": "c"}])
    with store.transaction():
        assert store.meta.pop_undo_in() == ("edit", [{"id": "b"}, {"id": "c"}])
        assert store.meta.pop_undo_in() == ("delete", [{"id": "a", "deleted": True}])
        assert store.meta.pop_undo_in() is None


def test_undo_keeps_the_last_fifty(store: Store) -> None:
    for i in range(60):
        with store.transaction():
            store.meta.push_undo_in(f"change {i}", [{"i": i}])
    popped = []
    with store.transaction():
        while (record := store.meta.pop_undo_in()) is not None:
            popped.append(record[0])
    assert popped == [f"change {i}" for i in range(59, 9, -1)]


def test_a_popped_undo_comes_back_if_the_undo_fails(store: Store) -> None:
    with store.transaction():
        store.meta.push_undo_in("delete", [])

    def undo() -> None:
        with store.transaction():
            assert store.meta.pop_undo_in() is not None
            raise RuntimeError("restoring failed")

    with pytest.raises(RuntimeError, match="restoring failed"):
        undo()
    with store.transaction():
        assert store.meta.pop_undo_in() == ("delete", [])


def test_shared_values_have_typed_accessors(store: Store) -> None:
    meta = store.meta
    assert (meta.workspace_id(), meta.account(), meta.auth_required(), meta.last_sync()) == (
        None,
        None,
        None,
        None,
    )
    meta.set_workspace_id("ws1")
    meta.set_account({"user_id": "u1", "name": "Ann", "email": "ann@example.com"})
    meta.set_auth_required("Unauthorized")
    meta.set_last_sync({"at": 1.0, "complete": True})
    assert meta.workspace_id() == "ws1"
    assert meta.account() == {"user_id": "u1", "name": "Ann", "email": "ann@example.com"}
    assert meta.auth_required() == "Unauthorized"
    assert meta.last_sync() == {"at": 1.0, "complete": True}
    meta.set_account(None)
    meta.set_auth_required(None)
    assert (meta.account(), meta.auth_required()) == (None, None)


def test_an_account_of_the_wrong_shape_reads_as_local_only(store: Store) -> None:
    store.meta.set(ACCOUNT, ["not", "an", "object"])
    store.meta.set(WORKSPACE_ID, "")
    assert store.meta.account() is None
    assert store.meta.workspace_id() is None


def test_fetch_times_are_kept_per_workspace_and_kind(store: Store) -> None:
    assert store.meta.fetched_at(REFS, "ws1") is None
    store.meta.set_fetched_at(REFS, "ws1", 1_700_000_000.5)
    store.meta.set_fetched_at(PULLED, "ws1", 1_700_000_100)
    assert store.meta.fetched_at(REFS, "ws1") == 1_700_000_000.5
    assert store.meta.fetched_at(PULLED, "ws1") == 1_700_000_100.0
    assert store.meta.fetched_at(REFS, "ws2") is None


def test_an_unreadable_fetch_time_counts_as_never(store: Store) -> None:
    # A damaged value must make the data look stale (fetched again), never crash a round.
    store.meta.set(f"{REFS}:ws1", "yesterday")
    assert store.meta.fetched_at(REFS, "ws1") is None


# --- what is kept between reads --------------------------------------------------------------


def _statements(store: Store) -> list[str]:
    """Every statement ``store``'s connection runs from now on."""
    ran: list[str] = []
    store.conn.set_trace_callback(ran.append)
    return ran


def test_a_value_read_again_costs_one_cheap_statement(store: Store) -> None:
    store.meta.set_workspace_id("ws1")
    store.meta.save_profile(Profile(time_zone="Europe/Vienna"))
    assert store.meta.workspace_id() == "ws1"
    store.meta.profile()
    ran = _statements(store)
    for _ in range(10):
        assert store.meta.workspace_id() == "ws1"
        assert store.meta.profile().time_zone == "Europe/Vienna"
    assert ran == ["PRAGMA data_version"] * 20


def test_a_write_through_another_connection_is_seen_at_once(path: Path) -> None:
    with Store(path) as app, Store(path) as worker:
        app.meta.set_workspace_id("ws1")
        app.meta.save_profile(Profile(time_zone="Europe/Vienna"))
        app.meta.set("k", {"n": 1})
        assert (app.meta.workspace_id(), app.meta.get("k")) == ("ws1", {"n": 1})
        assert app.meta.profile().time_zone == "Europe/Vienna"
        assert worker.meta.workspace_id() == "ws1"  # both connections have read it now

        worker.meta.set_workspace_id("ws2")
        worker.meta.save_profile(Profile(time_zone="Asia/Tokyo"))
        worker.meta.update("k", lambda value: ({"n": value["n"] + 1}, None))
        assert app.meta.workspace_id() == "ws2"
        assert app.meta.profile().time_zone == "Asia/Tokyo"
        assert app.meta.get("k") == {"n": 2}

        worker.meta.set_workspace_id(None)
        assert app.meta.workspace_id() is None


def test_a_write_by_another_process_is_seen_at_once(path: Path, store: Store) -> None:
    store.meta.set_account({"user_id": "u1"})
    assert store.meta.account_user_id() == "u1"
    code = (
        "import sys; from pathlib import Path; from tracker.store import Store\n"
        "with Store(Path(sys.argv[1])) as s: s.meta.set_account({'user_id': 'u2'})"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)
    assert store.meta.account_user_id() == "u2"
    assert store.meta.connected()


def test_a_write_through_another_meta_store_on_the_same_connection_is_seen(store: Store) -> None:
    store.meta.set_workspace_id("ws1")
    assert store.meta.workspace_id() == "ws1"
    MetaStore(store.conn).set_workspace_id("ws2")  # as a helper inside a transaction does
    assert store.meta.workspace_id() == "ws2"


def test_a_value_read_in_a_rolled_back_transaction_is_not_kept(store: Store) -> None:
    store.meta.set_workspace_id("ws1")
    assert store.meta.workspace_id() == "ws1"

    def switch_then_fail(value: Any) -> tuple[Any, None]:
        store.meta.set_in(WORKSPACE_ID, "ws2")
        assert store.meta.workspace_id() == "ws2"  # the transaction sees its own write
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        store.meta.update("other", switch_then_fail)
    assert store.meta.workspace_id() == "ws1"


def test_a_value_given_out_cannot_change_what_is_kept(store: Store) -> None:
    store.meta.set("k", {"list": [1]})
    store.meta.get("k")["list"].append(2)
    assert store.meta.get("k") == {"list": [1]}
    store.meta.set_account({"user_id": "u1", "name": "Ann"})
    account = store.meta.account()
    assert account is not None
    account["name"] = "changed"
    assert store.meta.account() == {"user_id": "u1", "name": "Ann"}


def test_a_write_of_another_table_keeps_what_was_read(store: Store) -> None:
    store.meta.set_workspace_id("ws1")
    assert store.meta.workspace_id() == "ws1"
    with store.transaction():
        store.meta.push_undo_in("label", [])
    ran = _statements(store)
    assert store.meta.workspace_id() == "ws1"
    assert ran == ["PRAGMA data_version"]


def test_meta_values_are_written_only_through_the_meta_store() -> None:
    """What keeps them relies on it: a write of the meta table on the same connection
    anywhere else would go unseen (other connections' writes are seen by their commit)."""
    import re

    root = Path(__file__).parents[3] / "tracker"
    writes = re.compile(
        r"(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+meta\b", re.I
    )
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if writes.search(path.read_text(encoding="utf-8"))
    ]
    assert found == [str(Path("store/meta.py"))]
