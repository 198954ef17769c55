"""A tracker on the shared store and clock (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.helpers.clock import MONDAY, FakeClock
from tracker.domain.model import WorkspaceInfo, WorkspaceRules
from tracker.services import Tracker
from tracker.store import Store

START = MONDAY


@pytest.fixture
def tracker(store: Store, clock: FakeClock) -> Tracker:
    return Tracker(store, clock)


def connect(store: Store, rules: WorkspaceRules | None = None, workspace: str = "ws1") -> None:
    """Make the store look connected to a Clockify workspace with ``rules``."""
    store.meta.save_workspace(WorkspaceInfo(workspace, "Acme", rules or WorkspaceRules()))
    store.meta.set("workspace_id", workspace)
    store.meta.set("account", {"user_id": "u1", "name": "Ann", "email": "ann@example.com"})
