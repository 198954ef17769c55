"""The tray's "N to approve": counted from the kept copy, asked again on the worker only when
due, and never for a member or a plan without approvals."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.integration.bridge.conftest import Rig
from tracker.api import ClockifyClient, Servers
from tracker.bridge.pending_approvals import FRESH_SECONDS, PendingApprovals
from tracker.services.abilities import ACCESS_KEY, ELEVATED


def _member_submits(server: FakeClockify, name: str, week: date) -> None:
    key = next(u.api_key for u in server.users if u.name.startswith(name))

    async def submit() -> None:
        servers = Servers.custom(server.base_url, server.reports_url)
        async with ClockifyClient(key, servers=servers) as api:
            await api.approvals.submit(server.workspace_id, week, "WEEKLY")

    asyncio.run(submit())


def test_the_owner_sees_how_many_wait_and_asks_again_only_when_due(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    server = rig.server
    today = datetime.fromtimestamp(server.state.now(), UTC).date()
    monday = today - timedelta(days=today.weekday() + 7)
    _member_submits(server, "Priya", monday)
    now = [datetime.now(UTC)]
    pending = PendingApprovals(rig.store, lambda: now[0], lambda: worker.channel)
    assert pending.count() is None  # nothing kept, the role not known yet

    counts: list[int | None] = []
    before = len(server.exchanges)
    assert pending.refresh_if_due(counts.append)
    qtbot.waitUntil(lambda: bool(counts), timeout=10_000)
    assert counts == [1]
    assert pending.count() == 1
    asked = [e.path for e in server.exchanges[before:]]
    assert any("/approval-requests" in path for path in asked)

    # Within the freshness nothing is asked; after it, one list again (the role is kept).
    assert not pending.refresh_if_due(counts.append)
    _member_submits(server, "Sam", monday)  # one more waits for the owner
    now[0] += timedelta(seconds=FRESH_SECONDS + 1)
    before = len(server.exchanges)
    assert pending.refresh_if_due(counts.append)
    qtbot.waitUntil(lambda: len(counts) == 2, timeout=10_000)
    assert counts[-1] == 2
    assert [e.path for e in server.exchanges[before:]] == [
        f"/v1/workspaces/{server.workspace_id}/approval-requests"
    ]


def test_a_member_or_a_plan_without_approvals_is_never_asked(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    store, ws = rig.store, rig.server.workspace_id
    pending = PendingApprovals(store, lambda: datetime.now(UTC), lambda: worker.channel)
    store.meta.set(ACCESS_KEY + ws, {"role": "member", "sees_team": False, "at": 1.0})
    before = len(rig.server.exchanges)
    assert not pending.refresh_if_due(lambda _count: None)
    assert pending.count() is None
    store.meta.set(ACCESS_KEY + ws, {"role": ELEVATED, "sees_team": True, "at": 1.0})
    info = store.meta.workspace(ws)
    assert info is not None
    store.meta.save_workspace(replace(info, features=frozenset({"TIME_TRACKING"})))
    assert not pending.refresh_if_due(lambda _count: None)
    assert len(rig.server.exchanges) == before
