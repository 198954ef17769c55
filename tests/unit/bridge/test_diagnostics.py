"""The "copy diagnostics" text: what doctor says, the versions, the log's end, and no key."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.bridge import diagnostics, logs
from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.domain.model import Profile, WorkspaceInfo, WorkspaceRules
from tracker.services import Tracker
from tracker.store import Store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ENV_KEY = "diag-env-key-5f1c2e7a9b3d4c6e8f00"
LOGGED_KEY = "diag-logged-key-0a1b2c3d4e5f6a7b8c9d"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    hooks = (sys.excepthook, threading.excepthook)
    yield
    logs.shutdown_logging()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "tracker.sqlite3") as opened:
        opened.meta.save_profile(Profile(time_zone="Europe/Berlin"))
        yield opened


def test_local_only_report(store: Store, tmp_path: Path) -> None:
    logs.setup_logging(tmp_path)
    logging.getLogger("tracker.test").info("a line from before")
    Tracker(store, lambda: NOW).timer.start("offline work")
    text = diagnostics.collect(
        store, secrets_backend=None, status=None, environ={}, clock=lambda: NOW
    )
    assert "Version      tracker " in text
    assert "Qt           6." in text
    assert "Mode         local only" in text
    assert "Account      none (local only)" in text
    assert "Waiting      1 changes, 0 need attention" in text
    assert "Budget       30 of 30 requests left this hour" in text
    assert "Time zone    Europe/Berlin" in text
    assert "API key      none (no safe key store here)" in text
    assert f"Store        {store.path}" in text
    assert "Sync         no status from the sync worker yet" in text
    assert "Schema       " in text
    assert text.rstrip().endswith("a line from before")


def test_connected_report_with_status(store: Store) -> None:
    store.meta.save_workspace(WorkspaceInfo("ws1", "Acme", WorkspaceRules(), free_plan=False))
    store.meta.set("workspace_id", "ws1")
    store.meta.set("account", {"user_id": "u1", "name": "Alex", "email": "alex@example.com"})
    store.meta.set("last_sync", {"at": NOW.timestamp(), "complete": True})
    status = SyncStatus(SyncPhase.ATTENTION, "Project is required", pending=2, parked=1)
    text = diagnostics.collect(
        store, secrets_backend="OS keyring: test", status=status, environ={}, clock=lambda: NOW
    )
    assert "Mode         connected" in text
    assert "Account      Alex <alex@example.com>" in text
    assert "Workspace    Acme" in text
    assert "Workspace id ws1" in text
    assert "API key      OS keyring: test" in text
    assert "paid plan: no hourly limit" in text
    assert "Last sync    2026-03-02 10:00 (complete)" in text
    assert "Sync         attention, 2 pending, 1 parked" in text
    assert "Sync says    Project is required" in text


def test_never_contains_the_key(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Not when the key was logged, set in the environment, or quoted by the sync status."""
    path = logs.setup_logging(tmp_path)
    # Lines written before the key was known to the redaction filter (an older run's log).
    with path.open("a") as file:
        file.write(f"2026-03-01 old line with {ENV_KEY}\n")
    with caplog.at_level(logging.WARNING, logger="tracker.test"):
        logging.getLogger("tracker.test").warning("request X-Api-Key: %s failed", LOGGED_KEY)
    status = SyncStatus(SyncPhase.AUTH, f"refused key {ENV_KEY}")
    text = diagnostics.collect(
        store,
        secrets_backend="environment variable CLOCKIFY_API_KEY",
        status=status,
        environ={"CLOCKIFY_API_KEY": ENV_KEY},
        clock=lambda: NOW,
    )
    assert ENV_KEY not in text
    assert LOGGED_KEY not in text
    assert "old line with ***" in text
    assert "Env key      CLOCKIFY_API_KEY is set" in text
    assert "Sync says    refused key ***" in text
