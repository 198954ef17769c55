"""A sync worker on a real store file, talking to the Clockify test server, offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.helpers.keyrings import keep_key
from tests.integration.api.conftest import FAST_RETRY
from tracker.bridge.status import Notice, SyncPhase, SyncStatus
from tracker.bridge.worker import SyncWorker
from tracker.domain.model import Profile
from tracker.integrations.secrets import MemorySecretStore
from tracker.services.preferences import Preferences, save
from tracker.store import Store
from tracker.sync.engine import SyncReport
from tracker.sync.schedule import SyncPolicy

# Before the first QApplication (tests/conftest.py sets them too; this folder may run alone).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.core.qobject.connect=false")

FAST = SyncPolicy(push_delay=0.05, min_poll=3600.0, max_backoff=0.3)
"""Pushes almost at once, no periodic pull during a test, backoff under a third of a second."""

API_OPTIONS = {"retry": FAST_RETRY, "timeout": httpx.Timeout(2.0), "budget_wait": 0.0}


class Recorder:
    """Everything a worker said, in order."""

    def __init__(self, worker: SyncWorker) -> None:
        self.statuses: list[SyncStatus] = []
        self.notices: list[Notice] = []
        self.reports: list[SyncReport] = []
        self.data_changes = 0
        worker.status_changed.connect(self.statuses.append)
        worker.notice.connect(self.notices.append)
        worker.round_finished.connect(self.reports.append)
        worker.data_changed.connect(self._changed)

    def _changed(self) -> None:
        self.data_changes += 1

    def phases(self) -> list[SyncPhase]:
        return [status.state for status in self.statuses]


class Rig:
    """A store file wired to the test server, and workers on it."""

    def __init__(self, path: Path, server: FakeClockify, qtbot: QtBot) -> None:
        self.path = path
        self.server = server
        self.qtbot = qtbot
        self.secrets = MemorySecretStore()
        self.store = Store(path)
        keep_key(self.secrets, self.store, server.base_url, server.user_id, server.api_key)
        self.store.meta.save_profile(Profile(time_zone="UTC"))
        save(
            self.store,
            Preferences(server="custom", api_url=server.base_url, reports_url=server.reports_url),
        )
        self.workers: list[SyncWorker] = []
        self.recorders: list[Recorder] = []

    def worker(self, *, policy: SyncPolicy = FAST, **options: Any) -> SyncWorker:
        made = SyncWorker(
            self.path,
            options.pop("secrets", self.secrets),
            policy=policy,
            clock=lambda: datetime.now(UTC),
            api_options={**API_OPTIONS, **options},
        )
        self.workers.append(made)
        return made

    def started(self, **options: Any) -> tuple[SyncWorker, Recorder]:
        """A worker whose first round (connect and pull) is over."""
        worker = self.worker(**options)
        seen = self.record(worker)
        with self.qtbot.waitSignal(worker.round_finished, timeout=10_000):
            worker.start()
        return worker, seen

    def record(self, worker: SyncWorker) -> Recorder:
        """A recorder that lives as long as the rig (Qt may still deliver to it at the end)."""
        made = Recorder(worker)
        self.recorders.append(made)
        return made

    def close(self) -> None:
        clean = [worker.shutdown() for worker in self.workers]
        QCoreApplication.processEvents()  # deliver what the workers said last
        self.store.close()
        assert all(clean), "a worker did not stop cleanly"


@pytest.fixture
def rig(tmp_path: Path, clockify: FakeClockify, qtbot: QtBot) -> Iterator[Rig]:
    made = Rig(tmp_path / "tracker.sqlite3", clockify, qtbot)
    yield made
    made.close()
