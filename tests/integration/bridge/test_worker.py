"""The sync worker against the Clockify test server: when it syncs, what it says, how it stops."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pytestqt.qtbot import QtBot

from tests.fakeclockify import Fault
from tests.helpers.keyrings import SlowKeyring, keep_key
from tracker.api import Servers, UnauthorizedError
from tracker.bridge.status import NoticeKind, SyncPhase
from tracker.integrations.secrets import LEGACY_ACCOUNT, MemorySecretStore, key_account
from tracker.services import Tracker
from tracker.store import Store
from tracker.sync.connect import Connected
from tracker.sync.runner import take_lease

from .conftest import FAST, Rig


def _tracker(rig: Rig) -> Tracker:
    return Tracker(rig.store, lambda: datetime.now(UTC))


def _entries_on_server(rig: Rig) -> list[dict[str, Any]]:
    return rig.server.state.time_entries(rig.server.workspace_id, rig.server.user_id)


def _posts(rig: Rig) -> list[Any]:
    return [x for x in rig.server.exchanges if x.method == "POST" and "time-entries" in x.path]


def test_first_round_connects_and_pulls(rig: Rig) -> None:
    worker, seen = rig.started()
    assert seen.reports[0].complete
    assert SyncPhase.SYNCING in seen.phases()
    rig.qtbot.waitUntil(lambda: worker.status.state == SyncPhase.SYNCED)
    assert rig.store.meta.get("workspace_id") == rig.server.workspace_id
    assert seen.data_changes >= 1  # projects and entries arrived


def test_a_burst_of_local_changes_goes_in_one_round_after_the_push_delay(
    rig: Rig, qtbot: QtBot
) -> None:
    worker, _ = rig.started()
    before = len(_entries_on_server(rig))
    tracker = _tracker(rig)
    now = datetime.now(UTC).replace(microsecond=0)
    asked = time.monotonic()
    tracker.entries.add(now - timedelta(hours=3), now - timedelta(hours=2), "first")
    worker.local_change()
    tracker.entries.add(now - timedelta(hours=2), now - timedelta(hours=1), "second")
    worker.local_change()
    with qtbot.waitSignal(worker.round_finished, timeout=10_000) as round_:
        pass
    report = round_.args[0]
    assert report.created == 2  # both changes in one round
    assert time.monotonic() - asked >= worker.policy.push_delay
    descriptions = {e["description"] for e in _entries_on_server(rig)}
    assert {"first", "second"} <= descriptions
    assert len(_entries_on_server(rig)) == before + 2
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.SYNCED)
    assert worker.status.pending == 0


def test_request_sync_pulls_a_timer_started_elsewhere(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    server = rig.server
    started = int(time.time()) - 600
    server.state.add_entry(
        server.workspace_id, server.user_id, started, None, description="from the phone"
    )
    with qtbot.waitSignal(worker.data_changed, timeout=10_000):
        worker.request_sync(True)
    running = rig.store.entries.running(server.workspace_id)
    assert running is not None
    assert running.entry.description == "from the phone"


def test_offline_backs_off_then_recovers_by_itself(rig: Rig, qtbot: QtBot) -> None:
    worker, seen = rig.started()
    rig.server.stop()
    _tracker(rig).timer.start("written offline")
    worker.local_change()
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.OFFLINE, timeout=10_000)
    offline = worker.status
    assert offline.pending == 1
    assert offline.message is not None
    assert offline.message.startswith("Clockify cannot be reached")
    assert offline.next_sync is not None  # the backoff is planned
    failed = len(seen.reports)
    marker = len(seen.statuses)
    qtbot.waitUntil(lambda: len(seen.reports) > failed, timeout=10_000)  # retried, unasked
    # The retry does not flash "syncing": the tray keeps saying offline until it works.
    assert SyncPhase.SYNCING not in [s.state for s in seen.statuses[marker:]]
    rig.server.start()
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.SYNCED, timeout=10_000)
    assert worker.status.pending == 0
    assert any(e["description"] == "written offline" for e in _entries_on_server(rig))


def test_a_refused_key_pauses_until_the_account_changes(rig: Rig, qtbot: QtBot) -> None:
    worker, seen = rig.started()
    rig.server.revoke_key()
    with qtbot.waitSignal(worker.notice, timeout=10_000) as said:
        worker.request_sync(True)
    assert said.args[0].kind == NoticeKind.AUTH
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.AUTH)
    assert worker.status.needs_attention

    asked = len(rig.server.exchanges)
    _tracker(rig).timer.start("while refused")
    worker.local_change()
    with qtbot.waitSignal(worker.round_finished, timeout=5_000) as idle:
        worker.request_sync(True)
    assert idle.args[0].auth_required
    assert len(rig.server.exchanges) == asked  # not one request while paused
    assert [n.kind for n in seen.notices].count(NoticeKind.AUTH) == 1

    new_key = rig.server.state.issue_key(rig.server.user_id)
    keep_key(rig.secrets, rig.store, rig.server.base_url, rig.server.user_id, new_key)
    worker.account_changed()
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.SYNCED, timeout=10_000)
    assert any(e["description"] == "while refused" for e in _entries_on_server(rig))


def test_a_refused_change_needs_attention_with_the_servers_message(rig: Rig, qtbot: QtBot) -> None:
    worker, seen = rig.started()
    rig.server.set_force(rig.server.workspace_id, projects=True)
    now = datetime.now(UTC).replace(microsecond=0)
    entry = _tracker(rig).entries.add(
        now - timedelta(hours=2), now - timedelta(hours=1), "no project"
    )
    with qtbot.waitSignal(worker.notice, timeout=10_000) as said:
        worker.local_change()
    notice = said.args[0]
    assert notice.kind == NoticeKind.PARKED
    refused = [x for x in rig.server.exchanges if x.status == 400]
    assert refused, "the server never refused"
    server_message = refused[-1].json()["message"]
    assert server_message in notice.text
    assert notice.text.startswith("no project: ")
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.ATTENTION)
    assert worker.status.parked == 1

    with qtbot.waitSignal(worker.round_finished, timeout=10_000):
        worker.request_sync(True)
    assert [n.kind for n in seen.notices].count(NoticeKind.PARKED) == 1  # said once
    row = rig.store.entries.get(entry.id)
    assert row is not None
    assert row.parked


def test_local_only_never_touches_the_network(rig: Rig, qtbot: QtBot) -> None:
    worker = rig.worker(secrets=MemorySecretStore())
    seen = rig.record(worker)
    worker.start()
    qtbot.waitUntil(lambda: SyncPhase.LOCAL in seen.phases())
    _tracker(rig).timer.start("offline by choice")
    worker.local_change()
    with qtbot.waitSignal(worker.round_finished, timeout=5_000) as idle:
        worker.request_sync(True)
    assert idle.args[0].offline is not None
    assert worker.status.state == SyncPhase.LOCAL
    assert rig.server.exchanges == []


def test_local_only_starts_syncing_once_a_key_arrives(rig: Rig, qtbot: QtBot) -> None:
    rig.store.meta.set_account(None)  # local-only: no account, no key
    secrets = MemorySecretStore()
    worker = rig.worker(secrets=secrets)
    worker.start()
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.LOCAL)
    server = rig.server
    keep_key(secrets, rig.store, server.base_url, server.user_id, server.api_key)  # a login
    with qtbot.waitSignal(worker.round_finished, timeout=10_000) as round_:
        worker.local_change()  # the app hears "refresh" from the CLI
    assert round_.args[0].complete


def test_shutdown_lets_a_slow_write_finish(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    rig.server.add_fault(Fault(kind="delay", delay=1.0, method="POST", path=r".*/time-entries$"))
    now = datetime.now(UTC).replace(microsecond=0)
    entry = _tracker(rig).entries.add(now - timedelta(hours=2), now - timedelta(hours=1), "slow")
    worker.local_change()
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.SYNCING, timeout=5_000)
    began = time.monotonic()
    assert worker.shutdown(timeout=10.0)
    assert time.monotonic() - began < 5.0
    with Store(rig.path) as fresh:
        row = fresh.entries.get(entry.id)
        assert row is not None
        assert not row.pending
        assert row.server_id is not None
    assert [e["description"] for e in _entries_on_server(rig)].count("slow") == 1


def test_a_round_waits_for_another_process_holding_the_lease(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    lease = take_lease(rig.store, "cli")
    assert lease is not None
    asked = len(rig.server.exchanges)
    worker.request_sync(True)
    qtbot.waitUntil(
        lambda: (worker.status.message or "").startswith("Another tracker process"),
        timeout=5_000,
    )
    assert len(rig.server.exchanges) == asked
    lease.release()


def test_call_delivers_results_and_errors_on_the_gui_thread(rig: Rig, qtbot: QtBot) -> None:
    worker = rig.worker()
    worker.start()
    got: list[tuple[Any, bool]] = []

    def done(result: Any) -> None:
        got.append((result, threading.current_thread() is threading.main_thread()))

    async def boom() -> None:
        raise ValueError("nope")

    worker.call(lambda: asyncio.sleep(0, result=42), done)
    worker.call(boom, done)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=10_000)
    assert all(on_gui for _, on_gui in got)
    results = [result for result, _ in got]
    assert 42 in results
    assert any(isinstance(r, ValueError) and str(r) == "nope" for r in results)


def test_call_after_shutdown_says_so(rig: Rig, qtbot: QtBot) -> None:
    worker = rig.worker()
    worker.start()
    assert worker.shutdown()
    got: list[Any] = []
    worker.call(lambda: asyncio.sleep(0, result=1), got.append)
    qtbot.waitUntil(lambda: len(got) == 1)
    assert isinstance(got[0], RuntimeError)


def _pulls(rig: Rig) -> int:
    """Reads of the person's entries: what a pull costs."""
    return sum(
        1 for x in rig.server.exchanges if x.method == "GET" and x.path.endswith("/time-entries")
    )


LOOKS = replace(FAST, look_fresh_unlimited=1.0)
"""The demo workspace is on a paid plan: a look within a second of a pull is fresh."""


def test_a_look_pulls_only_when_what_is_known_is_stale(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started(policy=LOOKS)
    after_start = _pulls(rig)
    with qtbot.assertNotEmitted(worker.round_finished, wait=300):
        worker.look()  # the popup opens right after the first pull
    assert _pulls(rig) == after_start
    qtbot.wait(1100)
    with qtbot.waitSignal(worker.round_finished, timeout=10_000) as round_:
        worker.look()
    assert round_.args[0].complete
    assert _pulls(rig) == after_start + 1


def test_no_quiet_polls_while_away_and_a_pull_on_return(rig: Rig, qtbot: QtBot) -> None:
    quick = replace(FAST, min_poll=0.2, look_fresh_unlimited=0.1)  # a quiet poll every 0.2 s
    worker, seen = rig.started(policy=quick)
    qtbot.waitUntil(lambda: len(seen.reports) >= 3, timeout=10_000)  # polling while here
    worker.on_locked(True)
    worker.on_idle(True)
    qtbot.wait(300)  # a round in flight when the screen locked may still end
    locked = _pulls(rig)
    qtbot.wait(1000)
    assert _pulls(rig) == locked  # five quiet polls would have been due
    worker.on_locked(False)
    qtbot.wait(500)
    assert _pulls(rig) == locked  # still idle: still away
    server = rig.server
    server.state.add_entry(
        server.workspace_id, server.user_id, int(time.time()) - 60, None, description="phone"
    )
    with qtbot.waitSignal(worker.data_changed, timeout=10_000):
        worker.on_idle(False)  # back: the timer started elsewhere shows at once
    running = rig.store.entries.running(server.workspace_id)
    assert running is not None
    assert running.entry.description == "phone"


def test_connecting_a_wrong_key_keeps_and_records_nothing(rig: Rig, qtbot: QtBot) -> None:
    rig.store.meta.set_account(None)  # local-only: no account, no key
    secrets = MemorySecretStore()
    worker = rig.worker(secrets=secrets)
    worker.start()
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.LOCAL)
    got: list[Any] = []
    servers = Servers.custom(rig.server.base_url, rig.server.reports_url)
    wrong = "not-a-key-" + "x" * 30
    worker.connect_account(wrong, servers, got.append)
    worker.connect_account("a key\nwith a line break", servers, got.append)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=10_000)
    refused, malformed = got
    assert isinstance(refused, UnauthorizedError)
    assert wrong not in refused.message
    assert isinstance(malformed, ValueError)
    assert "line break" not in str(malformed)
    assert secrets.accounts() == []
    assert rig.store.meta.get("account") is None
    assert [x.path for x in rig.server.exchanges] == ["/v1/user"]  # the malformed one: none
    assert worker.status.state == SyncPhase.LOCAL


def test_connect_after_shutdown_says_so(rig: Rig, qtbot: QtBot) -> None:
    worker = rig.worker()
    worker.start()
    assert worker.shutdown()
    got: list[Any] = []
    servers = Servers.custom(rig.server.base_url, rig.server.reports_url)
    worker.connect_account(rig.server.api_key, servers, got.append)
    qtbot.waitUntil(lambda: len(got) == 1)
    assert isinstance(got[0], RuntimeError)
    assert rig.server.exchanges == []


def test_asks_made_while_connecting_are_not_lost(rig: Rig, qtbot: QtBot) -> None:
    keyring = SlowKeyring()
    worker = rig.worker(secrets=keyring)
    seen = rig.record(worker)
    worker.start()
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.LOCAL)
    got: list[Any] = []
    servers = Servers.custom(rig.server.base_url, rig.server.reports_url)
    worker.connect_account(rig.server.api_key, servers, got.append)
    try:
        qtbot.waitUntil(keyring.asked.is_set, timeout=10_000)
        worker.request_sync(True)  # asked while the connect waits for the keyring
    finally:
        keyring.release.set()
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert isinstance(got[0], Connected)
    assert got[0].workspace_id == rig.server.workspace_id
    qtbot.waitUntil(lambda: bool(seen.reports), timeout=5_000)  # with no other ask
    assert seen.reports[0].complete


def test_the_old_shared_key_is_confirmed_moved_and_synced(rig: Rig, qtbot: QtBot) -> None:
    secrets = MemorySecretStore()
    secrets.set(LEGACY_ACCOUNT, rig.server.api_key)  # as an older version kept it
    worker, _ = rig.started(secrets=secrets)
    own = key_account(rig.server.base_url, rig.server.user_id)
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.SYNCED, timeout=10_000)
    assert secrets.accounts() == [own]
    assert secrets.get(own) == rig.server.api_key


def test_the_old_shared_key_of_another_account_is_not_used(rig: Rig, qtbot: QtBot) -> None:
    someone = rig.server.state.add_user("Someone Else", "else@example.com")
    rig.store.meta.set_account({"user_id": someone.id, "api_url": rig.server.base_url})
    secrets = MemorySecretStore()
    secrets.set(LEGACY_ACCOUNT, rig.server.api_key)  # another folder's key
    worker = rig.worker(secrets=secrets)
    worker.start()
    qtbot.waitUntil(lambda: worker.status.state == SyncPhase.LOCAL, timeout=10_000)
    worker.local_change()
    with qtbot.waitSignal(worker.round_finished, timeout=5_000):
        worker.request_sync(True)
    assert [e.path for e in rig.server.exchanges] == ["/v1/user"]  # asked once, whose it is
    assert secrets.accounts() == [LEGACY_ACCOUNT]
