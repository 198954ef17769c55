"""Cancelling a call through the sync worker, against the Clockify test server: a read on a
server that trickles its answer stops at once, the kept copy is untouched, the next read
works; a call is answered once; a cancel after the end does nothing; shutdown still cuts a
call off as before."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime
from typing import Any

from pytestqt.qtbot import QtBot

from tests.fakeclockify import Fault
from tracker.api import ClockifyClient
from tracker.bridge.channel import CallHandle, Cancelled
from tracker.integrations.secrets import MemorySecretStore
from tracker.services.admin_base import Kept
from tracker.services.admin_projects import AdminProjects
from tracker.services.context import Context
from tracker.store import Store

from .conftest import Rig

TRICKLE = Fault(kind="trickle", delay=0.2, method="GET", path=r"/projects$", times=None)
"""The projects list, one byte every 0.2 s: about 30 s (the request deadline) to read."""


def _now() -> datetime:
    return datetime.now(UTC)


async def _read_projects(store: Store, api: ClockifyClient) -> Any:
    return await AdminProjects(Context(store, _now), api).projects(refresh=True)


def _kept(rig: Rig) -> Kept[dict[str, Any]] | None:
    with Store(rig.path) as fresh:
        return AdminProjects(Context(fresh, _now)).kept()


def _projects_asked(rig: Rig) -> int:
    return sum(1 for x in rig.server.exchanges if x.path.endswith("/projects"))


def test_a_read_on_a_trickling_server_is_cancelled_at_once_and_the_copy_kept(
    rig: Rig, qtbot: QtBot
) -> None:
    worker, _ = rig.started()
    got: list[Any] = []
    worker.channel.call_with_client(_read_projects, got.append)
    qtbot.waitUntil(lambda: len(got) == 1, timeout=10_000)
    assert isinstance(got[0], Kept)
    before = _kept(rig)
    assert before is not None
    rig.server.add_fault(TRICKLE)
    handle = worker.channel.call_with_client(_read_projects, got.append)
    qtbot.waitUntil(lambda: handle.requests >= 1, timeout=5_000)
    qtbot.wait(500)  # the answer has begun to trickle
    assert len(got) == 1
    began = time.monotonic()
    assert handle.cancel()
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5_000)
    took = time.monotonic() - began
    assert took < 0.5, f"the cancel took {took:.2f} s"
    assert isinstance(got[1], Cancelled)
    assert handle.cancelled
    assert not handle.cancel()  # once: a second cancel does nothing
    qtbot.wait(300)
    assert len(got) == 2  # answered once
    after = _kept(rig)
    assert after is not None
    assert (after.as_of, after.value) == (before.as_of, before.value)
    rig.server.clear_faults()
    asked = _projects_asked(rig)
    worker.channel.call_with_client(_read_projects, got.append)
    qtbot.waitUntil(lambda: len(got) == 3, timeout=10_000)
    assert isinstance(got[2], Kept)
    assert _projects_asked(rig) > asked
    newer = _kept(rig)
    assert newer is not None
    assert newer.as_of >= before.as_of


def test_a_call_counts_its_own_requests(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    got: list[Any] = []
    seen = len(rig.server.exchanges)
    handle = worker.channel.call_with_client(_read_projects, got.append)
    qtbot.waitUntil(lambda: len(got) == 1, timeout=10_000)
    assert isinstance(got[0], Kept)
    counted = handle.requests
    assert counted == len(rig.server.exchanges) - seen >= 3
    # a round's requests on the same client are not the call's
    with qtbot.waitSignal(worker.round_finished, timeout=10_000):
        worker.request_sync(True)
    assert len(rig.server.exchanges) > seen + counted
    assert handle.requests == counted


def test_a_call_cancelled_before_it_ran_sends_nothing(rig: Rig, qtbot: QtBot) -> None:
    worker = rig.worker()
    got: list[Any] = []
    ran: list[bool] = []

    async def work(store: Store, api: ClockifyClient) -> Any:
        ran.append(True)
        return await _read_projects(store, api)

    handle = worker.channel.call_with_client(work, got.append)
    assert handle.cancel()
    with qtbot.waitSignal(worker.round_finished, timeout=10_000):
        worker.start()
    qtbot.waitUntil(lambda: len(got) == 1, timeout=5_000)
    assert isinstance(got[0], Cancelled)
    assert ran == []
    assert handle.requests == 0


def test_cancelling_an_ended_call_does_nothing(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    got: list[Any] = []
    handle: CallHandle = worker.call(lambda: asyncio.sleep(0, result=42), got.append)
    qtbot.waitUntil(lambda: len(got) == 1, timeout=5_000)
    assert not handle.cancel()
    assert not handle.cancelled
    qtbot.wait(200)
    assert got == [42]


def test_shutdown_still_cuts_off_a_call_in_flight(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    rig.server.add_fault(TRICKLE)
    got: list[Any] = []
    handle = worker.channel.call_with_client(_read_projects, got.append)
    qtbot.waitUntil(lambda: handle.requests >= 1, timeout=5_000)
    began = time.monotonic()
    worker.shutdown(timeout=2.0)
    assert time.monotonic() - began < 3.0
    qtbot.waitUntil(lambda: len(got) == 1, timeout=5_000)
    # as before (the client closes under it): a failure, not the person's cancel
    assert isinstance(got[0], BaseException)
    assert not isinstance(got[0], Cancelled)
    assert not handle.cancel()


class LockedKeyring(MemorySecretStore):
    """A keyring that, once locked, holds every read until the person unlocks it (a locked
    OS keyring asks first): ``asked`` is set when a read waits."""

    def __init__(self) -> None:
        super().__init__()
        self.locked = threading.Event()
        self.asked = threading.Event()
        self.unlocked = threading.Event()

    def get(self, account: str) -> str | None:
        if self.locked.is_set():
            self.asked.set()
            self.unlocked.wait(10)
        return super().get(account)


def test_a_call_waiting_behind_a_locked_keyring_is_cancelled_at_once(
    rig: Rig, qtbot: QtBot
) -> None:
    """The loop reads the key again (the account changed) and the keyring asks the person
    first: a read asked meanwhile waits its turn, and Cancel answers it now, not once the
    keyring is unlocked (the page would say "Cancelling…" with Refresh off all along)."""
    keyring = LockedKeyring()
    for account in rig.secrets.accounts():
        key = rig.secrets.get(account)
        assert key is not None
        keyring.set(account, key)
    worker, _ = rig.started(secrets=keyring)
    keyring.locked.set()
    try:
        worker.channel.account_changed()
        assert keyring.asked.wait(5)
        got: list[Any] = []
        handle = worker.channel.call_with_client(_read_projects, got.append)
        qtbot.wait(100)
        assert got == []  # waits behind the keyring
        began = time.monotonic()
        assert handle.cancel()
        qtbot.waitUntil(lambda: len(got) == 1, timeout=2_000)
        assert time.monotonic() - began < 0.5
        assert isinstance(got[0], Cancelled)
        assert handle.requests == 0
    finally:
        keyring.unlocked.set()
    qtbot.wait(300)
    assert len(got) == 1  # answered once: the loop, back, does not run it


def test_a_change_asked_just_before_quitting_is_still_sent(rig: Rig, qtbot: QtBot) -> None:
    """Save, then Quit at once: the change and the list read after it run within the
    shutdown's margin for calls, not into a client closed under them ("the client has been
    closed", a connection left open)."""
    worker, _ = rig.started()
    got: list[Any] = []
    worker.channel.call_with_client(_read_projects, got.append)
    qtbot.waitUntil(lambda: len(got) == 1, timeout=10_000)
    assert isinstance(got[0], Kept)
    project = next(p for p in got[0].value if not p.archived)

    async def save(store: Store, api: ClockifyClient) -> Any:
        # as the Invoices and Webhooks pages do: the change, then the list read again
        service = AdminProjects(Context(store, _now), api)
        await service.edit(project, note="sent at quit")
        return await service.projects(refresh=True)

    handle = worker.channel.call_with_client(save, got.append)
    qtbot.waitUntil(lambda: handle.requests >= 1, timeout=5_000)  # the change is on its way
    assert worker.shutdown(timeout=2.0)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5_000)
    assert not isinstance(got[1], BaseException), got[1]
    ws = rig.server.workspace_id
    assert rig.server.state.workspaces[ws].projects[project.id].note == "sent at quit"


def test_quitting_cancels_a_read_at_once_while_a_change_gets_its_margin(
    rig: Rig, qtbot: QtBot
) -> None:
    """A page's refresh (a call its asker said only reads) is cancelled as the worker stops:
    quitting does not wait the margin meant for a change to be sent."""
    worker, _ = rig.started()
    rig.server.add_fault(TRICKLE)
    got: list[Any] = []
    handle = worker.channel.call_with_client(_read_projects, got.append)
    handle.only_reads()
    qtbot.waitUntil(lambda: handle.requests >= 1, timeout=5_000)
    began = time.monotonic()
    assert worker.shutdown(timeout=2.0)
    took = time.monotonic() - began
    assert took < 0.3, f"quitting waited {took:.2f} s for a read"
    qtbot.waitUntil(lambda: len(got) == 1, timeout=2_000)
    assert isinstance(got[0], Cancelled)
