"""A tracker on a real SQLite file with a clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tracker.domain.model import Profile, WorkspaceInfo, WorkspaceRules
from tracker.services import Tracker
from tracker.store import Store

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


class Clock:
    """The time the services see; tests move it."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "tracker.sqlite3") as opened:
        opened.meta.save_profile(Profile(time_zone="UTC"))
        yield opened


@pytest.fixture
def tracker(store: Store, clock: Clock) -> Tracker:
    return Tracker(store, clock)


def connect(store: Store, rules: WorkspaceRules | None = None, workspace: str = "ws1") -> None:
    """Make the store look connected to a Clockify workspace with ``rules``."""
    store.meta.save_workspace(WorkspaceInfo(workspace, "Acme", rules or WorkspaceRules()))
    store.meta.set("workspace_id", workspace)
    store.meta.set("account", {"user_id": "u1", "name": "Ann", "email": "ann@example.com"})
