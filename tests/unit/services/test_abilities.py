"""What is offered: the plan's features and the person's role, from the store alone."""

from __future__ import annotations

from pathlib import Path

from tracker.domain.model import WorkspaceInfo
from tracker.services.abilities import ACCESS_KEY, ELEVATED, abilities
from tracker.store import Store


def _connected(store: Store, *, free_plan: bool, features: frozenset[str] | None = None) -> None:
    store.meta.set("account", {"user_id": "u1", "name": "Ann", "email": "a@example.com"})
    store.meta.set("workspace_id", "w1")
    store.meta.save_workspace(WorkspaceInfo("w1", "Team", free_plan=free_plan, features=features))


def test_local_only_offers_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        found = abilities(store)
    assert (found.connected, found.anything, found.decides) == (False, False, False)


def test_features_decide_and_survive_a_read_without_them(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        _connected(store, free_plan=False, features=frozenset({"TIME_OFF"}))
        found = abilities(store)
        assert (found.approvals, found.time_off) == (False, True)
        # a later read that did not list features keeps what was known
        store.meta.save_workspace(WorkspaceInfo("w1", "Team", free_plan=False))
        assert abilities(store).time_off
    with Store(tmp_path / "s.sqlite3") as store:  # and it is kept in the file
        assert abilities(store).time_off


def test_unknown_features_follow_the_plan(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        _connected(store, free_plan=True)
        assert not abilities(store).anything
        _connected(store, free_plan=False)
        assert abilities(store).approvals


def test_the_role_kept_by_the_reports_says_who_decides(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        _connected(store, free_plan=False, features=frozenset({"APPROVAL"}))
        assert abilities(store).decides is None
        store.meta.set(ACCESS_KEY + "w1", {"role": ELEVATED, "sees_team": True, "at": 1.0})
        assert abilities(store).decides is True
        store.meta.set(ACCESS_KEY + "w1", {"role": "member", "sees_team": False, "at": 1.0})
        assert abilities(store).decides is False
