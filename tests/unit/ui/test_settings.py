"""The settings dialog offscreen: a real key check over loopback that never blocks the GUI,
the keyring, server validation, preferences, diagnostics without the key, and screenshots."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProxyStyle
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify, Fault
from tests.helpers.keyrings import SlowKeyring
from tracker.api import Servers
from tracker.bridge import logs
from tracker.bridge.controller import Controller
from tracker.bridge.status import KEY_MISSING, KEY_REFUSED, SyncPhase, SyncStatus
from tracker.bridge.worker import SyncWorker
from tracker.domain.model import WorkspaceInfo, WorkspaceRules
from tracker.integrations.secrets import (
    EnvSecretStore,
    MemorySecretStore,
    SecretStore,
    key_account,
)
from tracker.services.requests import Start
from tracker.store import Store
from tracker.sync.connect import Connected, connect_key
from tracker.sync.engine import SyncReport
from tracker.sync.runner import budget_for
from tracker.ui.settings import SettingsDialog, apply_appearance
from tracker.ui.text import local_time

SHOTS = Path("/tmp/shots-settings")


class LoopWorker(QObject):
    """The worker's contract on a bare asyncio loop thread: real awaits, real HTTP, and the
    real connect service on its own connection to the store file."""

    delivered = Signal(object, object)

    def __init__(self, store_path: Path, secrets: SecretStore) -> None:
        super().__init__()
        self.store_path = store_path
        self.secrets = secrets
        self.loop = asyncio.new_event_loop()
        self.loop_thread = threading.Thread(target=self.loop.run_forever, name="test-loop")
        self.loop_thread.start()
        self.account_changes = 0
        self.delivered.connect(self.on_delivered, Qt.ConnectionType.QueuedConnection)

    def connect_account(self, key: str, servers: Servers, done: Callable[[Any], None]) -> None:
        secrets = self.secrets

        def keep(checked: str, user_id: str) -> None:
            secrets.set(key_account(servers.api, user_id), checked)

        async def connect() -> Connected:
            with Store(self.store_path) as store:  # SQLite connections belong to one thread
                return await connect_key(store, key, servers, keep=keep)

        self.call(connect, done)

    def call(self, make: Callable[[], Awaitable[Any]], done: Callable[[Any], None]) -> None:
        async def run() -> None:
            try:
                result: Any = await make()
            except BaseException as exc:
                result = exc
            self.delivered.emit(done, result)

        asyncio.run_coroutine_threadsafe(run(), self.loop)

    def account_changed(self) -> None:
        self.account_changes += 1

    def on_delivered(self, done: Callable[[Any], None], result: Any) -> None:
        done(result)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.loop_thread.join(5)
        self.loop.close()


@pytest.fixture
def secrets() -> MemorySecretStore:
    return MemorySecretStore()


@pytest.fixture
def worker(store: Store, secrets: MemorySecretStore) -> Iterator[LoopWorker]:
    loop_worker = LoopWorker(store.path, secrets)
    yield loop_worker
    loop_worker.close()


@pytest.fixture
def on_server(controller: Controller, clockify: FakeClockify) -> FakeClockify:
    """The preferences point at the test server as a custom server."""
    prefs = controller.preferences().with_changes(
        server="custom", api_url=clockify.base_url, reports_url=clockify.reports_url
    )
    assert controller.save_preferences(prefs)
    return clockify


@pytest.fixture
def dialog(
    controller: Controller, worker: LoopWorker, secrets: MemorySecretStore, qtbot: QtBot
) -> SettingsDialog:
    settings = SettingsDialog(controller, worker, secrets)
    qtbot.addWidget(settings)
    settings.show()
    return settings


@pytest.fixture(autouse=True)
def system_look() -> Iterator[None]:
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_appearance(app, "system")


def connect_with(qtbot: QtBot, dialog: SettingsDialog, key: str) -> None:
    dialog.account_page.key_edit.setText(key)
    QTest.mouseClick(dialog.account_page.connect_button, Qt.MouseButton.LeftButton)


def test_a_good_key_is_kept_and_its_owner_shown(
    on_server: FakeClockify,
    dialog: SettingsDialog,
    secrets: MemorySecretStore,
    worker: LoopWorker,
    qtbot: QtBot,
) -> None:
    assert dialog.account_page.account_state.text() == "Local-only mode"
    assert "uploaded once" in dialog.account_page.account_note.text()
    connect_with(qtbot, dialog, on_server.api_key)
    qtbot.waitUntil(
        lambda: "Alex Morgan" in dialog.account_page.account_state.text(), timeout=10_000
    )
    assert (
        dialog.account_page.account_state.text()
        == "Connected as Alex Morgan <alex.morgan@example.com>"
    )
    assert secrets.accounts() == [key_account(on_server.base_url, on_server.user_id)]
    assert secrets.get(key_account(on_server.base_url, on_server.user_id)) == on_server.api_key
    assert worker.account_changes == 1
    assert dialog.account_page.key_edit.text() == ""
    assert dialog.account_page.connect_button.isEnabled()
    assert not dialog.account_page.account_error.isVisible()
    paths = [e.path for e in on_server.exchanges]
    assert paths[:2] == ["/v1/user", "/v1/workspaces"]
    assert paths[2].endswith(f"/member-profile/{on_server.user_id}")
    assert len(paths) == 3
    # Recorded for the sync round that follows, and counted in the shared budget.
    assert dialog.workspace_page.workspace_combo.count() == 2
    assert budget_for(dialog.controller.tracker.store, None).spent() == 3


def test_a_bad_key_shows_the_servers_message_and_keeps_nothing(
    on_server: FakeClockify,
    dialog: SettingsDialog,
    secrets: MemorySecretStore,
    worker: LoopWorker,
    qtbot: QtBot,
) -> None:
    bad = "not-a-real-key-7c1d9e2f"
    connect_with(qtbot, dialog, bad)
    qtbot.waitUntil(dialog.account_page.account_error.isVisible, timeout=10_000)
    text = dialog.account_page.account_error.text()
    assert text.startswith("Could not connect: Clockify does not accept this API key")
    assert bad not in text
    assert secrets.accounts() == []
    assert worker.account_changes == 0
    assert dialog.account_page.account_state.text() == "Local-only mode"
    assert dialog.account_page.connect_button.isEnabled()


def test_a_key_no_clockify_key_could_be_is_refused_before_any_request(
    on_server: FakeClockify,
    dialog: SettingsDialog,
    secrets: MemorySecretStore,
    qtbot: QtBot,
) -> None:
    connect_with(qtbot, dialog, "abc\u00e9def ghi")  # a wrong paste: a space, a non-ASCII letter
    assert dialog.account_page.account_error.isVisible()
    assert "never has" in dialog.account_page.account_error.text()
    assert "abc" not in dialog.account_page.account_error.text()
    assert secrets.accounts() == []
    assert on_server.exchanges == []


def test_the_check_never_blocks_the_dialog(
    on_server: FakeClockify, dialog: SettingsDialog, qtbot: QtBot
) -> None:
    on_server.add_fault(Fault(kind="delay", delay=1.5, path="/v1/user$"))
    began = time.monotonic()
    connect_with(qtbot, dialog, on_server.api_key)
    assert time.monotonic() - began < 0.5  # the click returned at once
    assert not dialog.account_page.connect_button.isEnabled()
    assert not dialog.account_page.key_edit.isEnabled()
    assert dialog.account_page.checking.isVisible()
    assert dialog.account_page.checking.text() == "Checking the key with Clockify…"
    ticked: list[float] = []
    QTimer.singleShot(50, lambda: ticked.append(time.monotonic()))
    qtbot.waitUntil(lambda: bool(ticked), timeout=1000)
    dialog.tabs.setCurrentWidget(dialog.general_page)  # the dialog answers meanwhile
    assert dialog.tabs.currentWidget() is dialog.general_page
    assert "Alex" not in dialog.account_page.account_state.text()  # the answer is still on its way
    qtbot.waitUntil(
        lambda: "Alex Morgan" in dialog.account_page.account_state.text(), timeout=10_000
    )
    assert ticked[0] - began < 1.0
    assert not dialog.account_page.checking.isVisible()


def test_enter_in_the_key_field_connects_and_keeps_the_dialog_open(
    on_server: FakeClockify, dialog: SettingsDialog, qtbot: QtBot
) -> None:
    dialog.account_page.key_edit.setText(on_server.api_key)
    dialog.account_page.key_edit.setFocus()
    QTest.keyClick(dialog.account_page.key_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    qtbot.waitUntil(
        lambda: "Alex Morgan" in dialog.account_page.account_state.text(), timeout=10_000
    )


def test_a_refused_key_is_said_on_the_account_page_as_everywhere(
    dialog: SettingsDialog, controller: Controller
) -> None:
    store = controller.tracker.store
    store.meta.set("account", {"user_id": "u", "name": "A", "email": "a@x"})
    store.meta.set_auth_required("Api key does not exist")  # as the worker records a 401
    dialog.load()
    page = dialog.account_page
    assert page.account_state.text() == "Key refused for A <a@x>"
    assert "Connected" not in page.account_state.text()
    assert page.account_error.isVisible()
    assert page.account_error.text().startswith("Clockify refused the API key: paste a new one")
    assert page.key_edit.isEnabled()  # where the new key goes


def test_the_account_page_follows_the_workers_word(
    dialog: SettingsDialog, controller: Controller
) -> None:
    controller.tracker.store.meta.set("account", {"user_id": "u", "name": "A", "email": "a@x"})
    dialog.load()
    page = dialog.account_page
    assert page.account_state.text() == "Connected as A <a@x>"
    page.set_sync_status(SyncStatus(SyncPhase.AUTH, message=KEY_REFUSED))
    assert page.account_state.text() == "Key refused for A <a@x>"
    page.set_sync_status(SyncStatus(SyncPhase.LOCAL, message=KEY_MISSING))
    assert page.account_state.text() == "No API key for A <a@x>"
    assert "not on this computer" in page.account_error.text()
    page.set_sync_status(SyncStatus(SyncPhase.SYNCED))
    assert page.account_state.text() == "Connected as A <a@x>"
    assert not page.account_error.isVisible()


def test_the_account_page_says_when_it_last_synced(
    dialog: SettingsDialog, controller: Controller
) -> None:
    controller.tracker.store.meta.set("account", {"user_id": "u", "name": "A", "email": "a@x"})
    dialog.load()
    page = dialog.account_page
    assert page.last_sync.text() == "Not synced yet"
    now = controller.now()
    page.set_sync_status(SyncStatus(SyncPhase.SYNCED, last_sync=now - timedelta(minutes=2)))
    expected = local_time(now - timedelta(minutes=2), controller.zone())
    assert page.last_sync.text() == f"Synced 2 min ago ({expected})"


def test_disconnect_removes_the_key_and_keeps_the_entries(
    dialog: SettingsDialog,
    controller: Controller,
    secrets: MemorySecretStore,
    worker: LoopWorker,
    qtbot: QtBot,
) -> None:
    controller.tracker.store.meta.set("account", {"user_id": "u", "name": "A", "email": "a@x"})
    secrets.set(key_account(Servers().api, "u"), "a-stored-key-123456")
    secrets.set("default", "another-folders-key-123456")  # the old shared name: not this one's
    controller.act(Start("kept"))
    dialog.load()
    assert dialog.account_page.account_state.text() == "Connected as A <a@x>"
    assert dialog.account_page.disconnect_button.isEnabled()
    QTest.mouseClick(dialog.account_page.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.account_page.account_state.text() == "Local-only mode", timeout=5000
    )
    assert secrets.accounts() == ["default"]  # another folder's key is left alone
    assert controller.account() is None
    assert "Your entries stay on this computer" in dialog.account_page.account_note.text()
    assert controller.running() is not None
    assert worker.account_changes == 1
    assert not dialog.account_page.disconnect_button.isEnabled()


def test_without_a_safe_key_store_connect_is_off_and_says_why(
    controller: Controller, worker: LoopWorker, qtbot: QtBot
) -> None:
    dialog = SettingsDialog(controller, worker, None)
    qtbot.addWidget(dialog)
    assert not dialog.account_page.connect_button.isEnabled()
    assert not dialog.account_page.key_edit.isEnabled()
    assert dialog.account_page.key_store_note.text().startswith(
        "The key cannot be kept safely here: no secure"
    )


def test_a_key_from_the_environment_is_not_stored_here(
    controller: Controller, worker: LoopWorker, qtbot: QtBot
) -> None:
    dialog = SettingsDialog(controller, worker, EnvSecretStore({"CLOCKIFY_API_KEY": "k" * 20}))
    qtbot.addWidget(dialog)
    assert not dialog.account_page.connect_button.isEnabled()
    assert "CLOCKIFY_API_KEY" in dialog.account_page.key_store_note.text()


def test_server_text_is_plain(dialog: SettingsDialog, controller: Controller, qtbot: QtBot) -> None:
    controller.tracker.store.meta.set(
        "account", {"user_id": "u", "name": "<b>Bold</b>", "email": "<i>x</i>"}
    )
    controller.refresh()
    assert dialog.account_page.account_state.text() == "Connected as <b>Bold</b> <<i>x</i>>"
    shown = [
        dialog.account_page.account_state,
        dialog.account_page.account_error,
        dialog.account_page.account_note,
        dialog.account_page.key_store_note,
        dialog.server_page.server_error,
        dialog.workspace_page.workspace_note,
        dialog.logs_page.log_path_label,
        dialog.account_page.checking,
        dialog.logs_page.copied,
    ]
    for label in shown:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    qtbot.wait(1)


def test_a_region_is_saved_and_tells_the_worker(
    dialog: SettingsDialog, controller: Controller, worker: LoopWorker
) -> None:
    assert dialog.server_page.server_combo.currentText() == "Global (clockify.me)"
    assert not dialog.server_page.api_url_edit.isEnabled()
    names = [
        dialog.server_page.server_combo.itemText(i)
        for i in range(dialog.server_page.server_combo.count())
    ]
    assert names[1:5] == ["EU (Germany)", "USA (East)", "UK", "Australia"]
    dialog.server_page.server_combo.setCurrentIndex(
        dialog.server_page.server_combo.findData("euc1")
    )
    assert dialog.apply()
    assert controller.preferences().server == "euc1"
    assert worker.account_changes == 1
    assert dialog.apply()  # nothing changed: the worker is not bothered again
    assert worker.account_changes == 1


@pytest.mark.parametrize(
    "url",
    ["", "clockify.example.com/api", "ftp://clockify.example.com/api", "https://", "http:// x"],
)
def test_a_custom_url_is_checked(
    dialog: SettingsDialog, controller: Controller, worker: LoopWorker, url: str
) -> None:
    dialog.tabs.setCurrentWidget(dialog.general_page)
    dialog.server_page.server_combo.setCurrentIndex(
        dialog.server_page.server_combo.findData("custom")
    )
    assert dialog.server_page.api_url_edit.isEnabled()
    dialog.server_page.api_url_edit.setText(url)
    assert not dialog.apply()
    assert dialog.server_page.server_error.isVisible()
    assert dialog.server_page.server_error.text()
    assert dialog.tabs.currentWidget() is dialog.server_page
    assert controller.preferences().server == "global"
    assert worker.account_changes == 0


def test_a_good_custom_url_is_saved(dialog: SettingsDialog, controller: Controller) -> None:
    dialog.server_page.server_combo.setCurrentIndex(
        dialog.server_page.server_combo.findData("custom")
    )
    dialog.server_page.api_url_edit.setText("https://clockify.example.com/api/")
    dialog.accept()
    prefs = controller.preferences()
    assert (prefs.server, prefs.api_url) == ("custom", "https://clockify.example.com/api/")
    assert not dialog.isVisible()


def test_general_choices_are_saved(dialog: SettingsDialog, controller: Controller) -> None:
    dialog.general_page.left_click_combo.setCurrentIndex(
        dialog.general_page.left_click_combo.findData("toggle")
    )
    dialog.general_page.notify_check.setChecked(False)
    dialog.general_page.autostart_check.setChecked(True)
    dialog.general_page.hotkeys.edits["toggle"].setKeySequence("Ctrl+Alt+T")
    assert dialog.general_page.hotkeys.objectName() == "hotkeys"
    assert dialog.apply()
    prefs = controller.preferences()
    assert prefs.left_click == "toggle"
    assert prefs.notify is False
    assert prefs.autostart is True
    assert prefs.hotkeys == (("toggle", "Ctrl+Alt+T"),)
    dialog.load()
    assert dialog.general_page.hotkeys.edits["toggle"].keySequence().toString() == "Ctrl+Alt+T"


def test_appearance_previews_and_cancel_reverts(
    dialog: SettingsDialog, controller: Controller, qtbot: QtBot
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    dialog.general_page.appearance_combo.setCurrentIndex(
        dialog.general_page.appearance_combo.findData("dark")
    )
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    style = app.style()
    assert isinstance(style, QProxyStyle)  # Fusion, its check boxes outlined
    assert style.baseStyle().name().lower() == "fusion"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert controller.preferences().appearance == "system"
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 150


def test_enter_presses_ok(dialog: SettingsDialog, controller: Controller, qtbot: QtBot) -> None:
    dialog.general_page.appearance_combo.setCurrentIndex(
        dialog.general_page.appearance_combo.findData("light")
    )
    dialog.tabs.setFocus()
    QTest.keyClick(dialog.tabs, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert controller.preferences().appearance == "light"


def test_workspace_switch(
    dialog: SettingsDialog, controller: Controller, worker: LoopWorker
) -> None:
    assert not dialog.workspace_page.workspace_combo.isEnabled()
    assert "Connect an account" in dialog.workspace_page.workspace_note.text()
    meta = controller.tracker.store.meta
    meta.save_workspace(WorkspaceInfo("w1", "Acme & <Co>", WorkspaceRules()))
    meta.save_workspace(WorkspaceInfo("w2", "Beta", WorkspaceRules()))
    meta.set("workspace_id", "w1")
    controller.refresh()
    assert dialog.workspace_page.workspace_combo.isEnabled()
    assert dialog.workspace_page.workspace_combo.currentText() == "Acme & <Co>"
    dialog.workspace_page.workspace_combo.setCurrentIndex(
        dialog.workspace_page.workspace_combo.findData("w2")
    )
    assert dialog.apply()
    assert controller.workspace_id() == "w2"
    assert worker.account_changes == 1


def test_copy_diagnostics_has_no_key(
    dialog: SettingsDialog,
    secrets: MemorySecretStore,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    key = "settings-env-key-3e8a7b6c5d4e"
    monkeypatch.setenv("CLOCKIFY_API_KEY", key)
    logs.setup_logging(tmp_path)
    try:
        logging.getLogger("tracker.test").info("header X-Api-Key: %s", key)
        with (tmp_path / "logs" / logs.LOG_FILE).open("a") as file:
            file.write(f"raw {key}\n")
        secrets.set("default", key)
        dialog.logs_page.copy_diagnostics()
    finally:
        logs.shutdown_logging()
    text = QGuiApplication.clipboard().text()
    assert "Version      tracker" in text
    assert "API key      memory (not persisted)" in text
    assert "raw ***" in text
    assert key not in text
    assert dialog.logs_page.copied.text() == "Copied to the clipboard."


def test_real_sync_worker_connects_once_and_counts_every_request(
    controller: Controller,
    store: Store,
    on_server: FakeClockify,
    secrets: MemorySecretStore,
    qtbot: QtBot,
) -> None:
    """The same flow through the app's own worker thread: the key is checked once, inside
    the shared request budget, and the first round does not ask who the key belongs to
    again."""
    sync = SyncWorker(store.path, secrets)
    rounds: list[SyncReport] = []
    sync.round_finished.connect(rounds.append)
    sync.start()
    try:
        dialog = SettingsDialog(controller, sync, secrets)
        qtbot.addWidget(dialog)
        dialog.show()
        connect_with(qtbot, dialog, on_server.api_key)
        qtbot.waitUntil(
            lambda: "Alex Morgan" in dialog.account_page.account_state.text(), timeout=10_000
        )
        assert secrets.accounts() == [key_account(on_server.base_url, on_server.user_id)]
        assert controller.account() is not None  # recorded before the dialog says so
        qtbot.waitUntil(lambda: any(report.complete for report in rounds), timeout=15_000)
    finally:
        assert sync.shutdown()
    paths = [e.path for e in on_server.exchanges]
    assert paths.count("/v1/user") == 1
    assert paths.count("/v1/workspaces") == 1
    assert budget_for(store, None).spent() == len(paths)  # none outside the ledger


def test_screenshots(
    dialog: SettingsDialog,
    controller: Controller,
    on_server: FakeClockify,
    qtbot: QtBot,
) -> None:
    """Every page rendered offscreen, for looking at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    meta = controller.tracker.store.meta
    meta.save_workspace(WorkspaceInfo("w1", "Morgan Digital", WorkspaceRules()))
    meta.set("workspace_id", "w1")
    meta.set("account", {"user_id": "u", "name": "Alex Morgan", "email": "alex@example.com"})
    dialog.load()
    dialog.resize(dialog.sizeHint())
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        name = dialog.tabs.tabText(index).lower()
        assert dialog.grab().save(str(SHOTS / f"{index}-{name}.png"))
    dialog.server_page.server_combo.setCurrentIndex(
        dialog.server_page.server_combo.findData("custom")
    )
    dialog.server_page.api_url_edit.setText("clockify.example")
    dialog.apply()
    assert dialog.grab().save(str(SHOTS / "2-server-error.png"))
    meta.set("account", None)
    dialog.load()
    dialog.tabs.setCurrentIndex(0)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_appearance(app, "dark")
    qtbot.wait(10)  # the palette reaches the widgets through posted events
    assert dialog.grab().save(str(SHOTS / "0-account-dark.png"))
    apply_appearance(app, "system")
    qtbot.wait(10)
    on_server.add_fault(Fault(kind="delay", delay=1.0, path="/v1/user$"))
    dialog.server_page.server_combo.setCurrentIndex(
        dialog.server_page.server_combo.findData("custom")
    )
    dialog.server_page.api_url_edit.setText(on_server.base_url)
    connect_with(qtbot, dialog, on_server.api_key)
    assert dialog.account_page.checking.isVisible()
    assert dialog.grab().save(str(SHOTS / "0-account-checking.png"))
    qtbot.waitUntil(lambda: not dialog.account_page.checking.isVisible(), timeout=10_000)


def test_a_slow_keyring_never_stalls_the_sync_worker(
    controller: Controller, store: Store, on_server: FakeClockify, qtbot: QtBot
) -> None:
    keyring = SlowKeyring()
    sync = SyncWorker(store.path, keyring)
    sync.start()
    try:
        dialog = SettingsDialog(controller, sync, keyring)
        qtbot.addWidget(dialog)
        dialog.show()
        connect_with(qtbot, dialog, on_server.api_key)
        qtbot.waitUntil(keyring.asked.is_set, timeout=10_000)
        answered: list[object] = []
        sync.call(lambda: asyncio.sleep(0, result="still here"), answered.append)
        qtbot.waitUntil(lambda: answered == ["still here"], timeout=2000)  # while it waits
        assert dialog.account_page.checking.isVisible()
        keyring.release.set()
        qtbot.waitUntil(
            lambda: "Alex Morgan" in dialog.account_page.account_state.text(), timeout=10_000
        )
    finally:
        keyring.release.set()
        assert sync.shutdown()


def test_only_account_changes_re_read_the_account(
    dialog: SettingsDialog, controller: Controller, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[None] = []
    real = controller.account

    def counted() -> dict[str, Any] | None:
        reads.append(None)
        return real()

    monkeypatch.setattr(controller, "account", counted)
    controller.act(Start("a timer starts while Settings is open"))
    assert reads == []
    controller.tracker.store.meta.set_account({"user_id": "u", "name": "Ann", "email": "a@x"})
    controller.refresh()  # a sync round or `tracker login` connected the account
    assert reads
    assert "Ann" in dialog.account_page.account_state.text()
