"""The tray learns the person's role once when it is not known, on the worker, and not
again while it is known or within an hour of a failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from tests.fakeclockify import Fault
from tests.integration.bridge.conftest import Rig
from tracker.bridge.role_watch import RoleWatch
from tracker.services.abilities import ROLE_ADMIN, abilities


def test_the_role_is_learnt_once_then_read_from_the_store(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    now = [datetime.now(UTC)]
    watch = RoleWatch(rig.store, lambda: now[0], lambda: worker.channel)
    server = rig.server
    server.add_fault(Fault("status", status=503, path="/users/info", times=None))
    learnt: list[bool] = []
    before = len(server.exchanges)
    assert watch.learn_if_unknown(lambda: learnt.append(True))
    qtbot.waitUntil(lambda: bool(learnt), timeout=10_000)
    assert abilities(rig.store).role is None  # Clockify failed: not known
    assert not watch.learn_if_unknown(lambda: learnt.append(True))  # not again at once
    server.clear_faults()
    now[0] += timedelta(hours=1, seconds=1)
    assert watch.learn_if_unknown(lambda: learnt.append(True))
    qtbot.waitUntil(lambda: len(learnt) == 2, timeout=10_000)
    assert abilities(rig.store).role == ROLE_ADMIN  # Alex owns the demo workspace
    asked = len(server.exchanges) - before
    assert not watch.learn_if_unknown(lambda: learnt.append(True))
    assert len(server.exchanges) - before == asked
