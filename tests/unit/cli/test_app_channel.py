"""The CLI and a running tray app: changes reach it, `tracker sync` lets it run the round,
and the sync lease keeps two processes from syncing one store at once."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from tests.contract import ContractLog
from tests.fakeclockify import FakeClockify
from tests.helpers.keyrings import keep_key
from tests.integration.api.conftest import FAST_RETRY
from tracker.bridge.instance import InstanceServer, Reply, claim
from tracker.bridge.worker import SyncWorker
from tracker.cli import account_verbs
from tracker.integrations.instance import address
from tracker.integrations.paths import store_path
from tracker.store import Store
from tracker.sync.engine import SyncReport
from tracker.sync.runner import report_json, take_lease
from tracker.sync.schedule import SyncPolicy

from .conftest import ROOT, Cli, Result


def in_thread(qtbot: QtBot, work: Callable[[], Result]) -> Result:
    """Run a CLI call (it blocks on the app's reply) while the Qt loop serves the app side."""
    done: list[Result] = []
    thread = threading.Thread(target=lambda: done.append(work()), daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=30_000)
    return done[0]


class FakeApp:
    """The app's side of the channel as tracker/app.py wires it, optionally with a worker."""

    def __init__(self, worker: SyncWorker | None = None) -> None:
        server = claim(address(store_path()))
        assert server is not None
        self.server: InstanceServer = server
        self.heard: list[str] = []
        self.waiters: list[Reply] = []
        self.worker = worker
        server.message_received.connect(self.on_message)
        if worker is not None:
            worker.round_finished.connect(self.on_round)

    def on_message(self, line: str, reply: Reply) -> None:
        self.heard.append(line)
        if line == "sync" and self.worker is not None:
            self.waiters.append(reply)
            self.worker.request_sync(True)
            return
        reply(json.dumps({"ok": True}))

    def on_round(self, report: SyncReport) -> None:
        waiters, self.waiters = self.waiters, []
        for reply in waiters:
            reply(json.dumps(report_json(report)))

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def app(qtbot: QtBot, home: Path) -> Iterator[FakeApp]:
    made = FakeApp()
    yield made
    made.close()


def test_a_change_made_in_the_cli_reaches_the_app(cli: Cli, app: FakeApp, qtbot: QtBot) -> None:
    result = in_thread(qtbot, lambda: cli("start", "from the terminal"))
    assert result.code == 0, result.err
    assert app.heard == ["refresh"]
    in_thread(qtbot, lambda: cli("status"))  # reads only: the app is not bothered
    assert app.heard == ["refresh"]
    in_thread(qtbot, lambda: cli("toggle"))
    assert app.heard == ["refresh", "refresh"]


def test_telling_no_app_costs_nothing_noticeable(cli: Cli) -> None:
    from tracker.cli.runtime import Runtime

    runtime = Runtime(None)  # type: ignore[arg-type]
    best = min(_timed(lambda: runtime.tell_app("refresh")) for _ in range(5))
    assert best < 0.01, f"telling no app took {best * 1000:.1f} ms"


def _timed(work: Callable[[], object]) -> float:
    began = time.perf_counter()
    assert work() is None
    return time.perf_counter() - began


def test_toggle_stops_then_continues(cli: Cli) -> None:
    assert cli("toggle").err.startswith("tracker: Nothing to continue yet")
    cli("start", "writing")
    cli.advance(minutes=30)
    stopped = cli("toggle", "--json")
    assert stopped.code == 0, stopped.err
    assert stopped.json()["stopped"]["description"] == "writing"
    cli.advance(minutes=5)
    again = cli("toggle")
    assert again.out.startswith("Started  ")
    assert again.out.rstrip().endswith("writing")
    assert cli("status", "--json").json()["running"]["description"] == "writing"


_PROBE = """
import json, sys
from tracker.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def test_a_change_tells_the_app_without_loading_qt(home: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, "start", "quick"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**__import__("os").environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        timeout=60,
        check=True,
    )
    report = json.loads(probe.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    assert "tracker.integrations.instance" in report["modules"]  # it did try to tell an app
    assert not [m for m in report["modules"] if m.startswith("PySide6")]


# --- sync --------------------------------------------------------------------------------


@pytest.fixture
def server(clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch) -> FakeClockify:
    monkeypatch.setenv("TRACKER_API_URL", clockify.base_url)
    monkeypatch.setenv("TRACKER_REPORTS_URL", clockify.reports_url)
    return clockify


def test_sync_lets_the_running_app_do_the_round(
    cli: Cli, server: FakeClockify, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cli.store() as store:
        keep_key(cli.secrets, store, server.base_url, server.user_id, server.api_key)
    worker = SyncWorker(
        store_path(),
        cli.secrets,
        policy=SyncPolicy(push_delay=30.0, min_poll=3600.0),  # only asked rounds
        api_options={"retry": FAST_RETRY, "timeout": httpx.Timeout(2.0)},
    )
    with qtbot.waitSignal(worker.round_finished, timeout=10_000):
        worker.start()
    app = FakeApp(worker)
    try:
        assert in_thread(qtbot, lambda: cli("add", "-2h", "-1h", "written here")).code == 0
        before = len(server.exchanges)
        result = in_thread(qtbot, lambda: cli("sync"))
        assert result.code == 0, result.err
        assert result.out.startswith("Sync: 1 created, 0 updated, 0 deleted")
        assert "by the tray app" in result.out
        assert "sync" in app.heard
        assert len(server.exchanges) > before  # the app's worker sent it
        data = in_thread(qtbot, lambda: cli("sync", "--json")).json()
        assert data["by_app"] is True
        assert data["complete"] is True
        assert data["pending"] == 0
    finally:
        app.close()
        assert worker.shutdown()


def test_sync_runs_here_when_no_app_answers(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cli.store() as store:
        keep_key(cli.secrets, store, server.base_url, server.user_id, server.api_key)
    cli("add", "-2h", "-1h", "written here")
    result = cli("sync", "--json")
    assert result.code == 0, result.err
    assert result.json()["created"] == 1
    assert "by_app" not in result.json()
    with cli.store() as store:
        assert store.meta.get("sync_lease") is None  # given back


def test_sync_says_who_is_syncing_when_the_lease_stays_taken(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch, contract: ContractLog
) -> None:
    monkeypatch.setattr(account_verbs, "LEASE_WAIT", 0.3)
    with Store(store_path()) as store:
        keep_key(cli.secrets, store, server.base_url, server.user_id, server.api_key)
        lease = take_lease(store, "app")
        assert lease is not None
        result = cli("sync")
        assert result.code == 1
        assert "the tray app is syncing this store right now" in result.err
        assert server.exchanges == []
        lease.release()
    assert cli("sync").code == 0


_HOLDER = """
import sys, time
from pathlib import Path
from tracker.store import Store
from tracker.sync.runner import take_lease
with Store(Path(sys.argv[1])) as store:
    print("held" if take_lease(store, "cli") else "busy", flush=True)
    time.sleep(60)
"""


def test_a_lease_dies_with_its_process(tmp_path: Path) -> None:
    path = tmp_path / "tracker.sqlite3"
    Store(path).close()
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "held"
        with Store(path) as store:
            assert take_lease(store, "app") is None
            child.kill()
            child.wait()
            lease = take_lease(store, "app")
            assert lease is not None
            assert not take_lease(store, "cli")
            lease.release()
            assert take_lease(store, "cli") is not None
    finally:
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()


def test_an_expired_lease_is_free(tmp_path: Path) -> None:
    with Store(tmp_path / "t.sqlite3") as store:
        old = take_lease(store, "app", seconds=60, now=lambda: time.time() - 120)
        assert old is not None
        fresh = take_lease(store, "cli")
        assert fresh is not None
        assert not old.renew()  # lost: another holder has it now
        old.release()  # does not free someone else's lease
        assert take_lease(store, "app") is None
        assert fresh.renew()
