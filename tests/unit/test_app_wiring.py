"""The app in this process, offscreen: one action table for the channel, hotkeys and buttons;
what waits until after the icon; and local-only mode never loading the sync worker."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tracker.app import KEY_VARIABLE, App
from tracker.integrations.secrets import ENV_VAR, MemorySecretStore, SecretStore


@pytest.fixture
def chosen() -> list[SecretStore]:
    """The secret stores the app asked for (it should ask only when it needs one)."""
    return []


@pytest.fixture
def app(
    tmp_path: Path, chosen: list[SecretStore], qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> Iterator[App]:
    # Started in full, the app looks for an idle backend; this machine's tests have no
    # system bus, so it says idle detection is unavailable: expected here.
    caplog.set_level(logging.WARNING, logger="tracker.integrations.idle.choose")

    def choose() -> SecretStore:
        store = MemorySecretStore()
        chosen.append(store)
        return store

    made = App(tmp_path / "tracker.sqlite3", choose_secrets=choose)
    window = made.tray.timer_window()
    if window is not None:
        qtbot.addWidget(window)
    yield made
    made.close()


def test_the_key_variable_is_the_secrets_modules() -> None:
    assert KEY_VARIABLE == ENV_VAR


def test_messages_hotkeys_and_buttons_run_from_one_table(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tracker.app")  # the unknown action is logged
    replies: list[str] = []
    app.run_action("toggle", replies.append)
    assert app.controller.running() is not None
    app.run_action("stop")  # a reminder's button: no one to answer
    assert app.controller.running() is None
    app.run_action("continue")
    assert app.controller.running() is not None
    app.on_message(" probe \n", replies.append)
    app.run_action("explode", replies.append)
    assert json.loads(replies[0]) == {"ok": True}
    assert json.loads(replies[1])["running"] is True
    assert json.loads(replies[2]) == {"ok": False, "error": "unknown message 'explode'"}


def test_local_only_never_loads_the_keyring_or_the_worker(
    app: App, chosen: list[SecretStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    app.start_rest()
    app.toggle()  # a change to send, but nothing to send it to
    app.windows.show_today()
    assert not app.worker_started
    assert chosen == []
    assert json.loads(_probe(app))["sync"] == "local"


def test_an_account_from_a_login_elsewhere_starts_the_worker(
    app: App, chosen: list[SecretStore]
) -> None:
    app.start_rest()
    app.store.meta.set_account({"user_id": "u1", "name": "Ann", "email": "ann@example.com"})
    app.run_action("refresh")  # `tracker login` tells the app
    assert app.worker_started
    assert len(chosen) == 1


def _probe(app: App) -> str:
    replies: list[str] = []
    app.run_action("probe", replies.append)
    return replies[0]


class CountingKeys:
    """A hotkey backend that only counts what it is asked to do."""

    name = "counting"
    unavailable: str | None = None

    def __init__(self) -> None:
        self.registered: list[tuple[str, str]] = []

    def register(self, action: str, sequence: str) -> str | None:
        self.registered.append((action, sequence))
        return None

    def unregister_all(self) -> None:
        self.registered.clear()


def test_hotkeys_are_taken_again_only_when_they_changed(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = CountingKeys()
    taken: list[int] = []
    monkeypatch.setattr(
        "tracker.integrations.hotkeys.choose.choose_backend", lambda _activated: keys
    )
    real = keys.register

    def counted(action: str, sequence: str) -> str | None:
        taken.append(1)
        return real(action, sequence)

    keys.register = counted  # type: ignore[method-assign]
    prefs = app.controller.preferences().with_changes(hotkeys=(("toggle", "Ctrl+Alt+T"),))
    app.controller.save_preferences(prefs)
    app.start_rest()
    assert keys.registered == [("toggle", "Ctrl+Alt+T")]
    app.run_action("refresh")  # a CLI call: anything may have changed, the keys did not
    app.controller.save_preferences(prefs.with_changes(left_click="toggle"))
    assert len(taken) == 1
    app.controller.save_preferences(prefs.with_changes(hotkeys=(("today", "Ctrl+Alt+D"),)))
    assert keys.registered == [("today", "Ctrl+Alt+D")]


def test_no_hotkey_backend_is_made_until_a_key_is_chosen(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None are bound by default; X11's backend opens its own X connection (about 0.5 MiB).
    keys = CountingKeys()
    made: list[int] = []

    def choose(_activated: object) -> CountingKeys:
        made.append(1)
        return keys

    monkeypatch.setattr("tracker.integrations.hotkeys.choose.choose_backend", choose)
    app.start_rest()
    assert made == []
    prefs = app.controller.preferences().with_changes(hotkeys=(("toggle", "Ctrl+Alt+T"),))
    app.controller.save_preferences(prefs)
    assert made == [1]
    assert keys.registered == [("toggle", "Ctrl+Alt+T")]


def test_the_first_start_welcomes_once_and_connect_opens_the_account_page(
    app: App, qtbot: QtBot
) -> None:
    assert app.windows.welcome_if_new()
    welcome = app.windows.welcome_window
    assert welcome is not None
    qtbot.addWidget(welcome)
    assert welcome.isVisible()
    assert "offline" in welcome.tracking.text()
    assert "tracker login" in welcome.connect_text.text()
    welcome.close()
    assert not app.windows.welcome_if_new()  # once: the next start says nothing
    app.run_action("welcome")  # reachable later
    assert welcome.isVisible()
    welcome.connect_button.click()
    settings = app.windows.settings_window
    assert settings is not None
    qtbot.addWidget(settings)
    assert not welcome.isVisible()
    assert settings.isVisible()
    assert settings.tabs.currentWidget() is settings.account_page


def test_a_store_with_entries_is_not_a_first_start(app: App) -> None:
    app.toggle()  # tracked before the welcome existed
    assert not app.windows.welcome_if_new()
    assert app.windows.welcome_window is None


def test_a_key_in_the_environment_is_not_a_first_start(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_VARIABLE, "a-key-from-the-environment-123")
    assert not app.windows.welcome_if_new()


def test_reports_open_from_the_tray_menu_and_the_action_table(app: App) -> None:
    from PySide6.QtGui import QAction

    (item,) = [a for a in app.tray.menu().actions() if a.objectName() == "openReports"]
    assert isinstance(item, QAction)
    assert item.text() == "Reports…"
    item.trigger()
    assert json.loads(_probe(app))["reports"] is True
    window = app.windows._reports  # noqa: SLF001 - the one window, raised again below
    assert window is not None
    window.close()
    app.run_action("reports")
    assert app.windows._reports is window  # noqa: SLF001 - built once
    assert window.isVisible()
    window.close()


def test_time_off_opens_from_the_tray_menu_and_the_action_table(app: App) -> None:
    from PySide6.QtGui import QAction

    (item,) = [a for a in app.tray.menu().actions() if a.objectName() == "openTimeOff"]
    assert isinstance(item, QAction)
    assert item.text() == "Time off…"
    item.trigger()
    probe = json.loads(_probe(app))
    assert probe["timeoff"] is True
    assert probe["timeoff_state"]["requests"] == 0  # no account: nothing, and nothing asked
    window = app.windows._time_off  # noqa: SLF001 - the one window, raised again below
    assert window is not None
    assert window.message.text().startswith("Time off lives on Clockify")
    window.close()
    app.run_action("timeoff")
    assert app.windows._time_off is window  # noqa: SLF001 - built once
    assert window.isVisible()
    window.close()


def test_the_timesheet_opens_from_the_tray_menu_today_and_the_action_table(
    app: App, qtbot: QtBot
) -> None:
    from PySide6.QtGui import QAction

    (item,) = [a for a in app.tray.menu().actions() if a.objectName() == "openWeek"]
    assert isinstance(item, QAction)
    assert item.text() == "Timesheet…"
    item.trigger()
    assert json.loads(_probe(app))["week"] is True
    window = app.windows.week_window
    assert window is not None
    window.close()
    app.run_action("week")
    assert app.windows.week_window is window  # built once
    assert window.isVisible()
    window.close()
    app.windows.show_today()
    today = app.windows.today_window
    assert today is not None
    today.open_week.emit()  # Ctrl+W in the today window
    assert window.isVisible()
    window.close()
    today.close()


def test_the_today_banners_settings_button_opens_the_account_page(app: App, qtbot: QtBot) -> None:
    from tracker.bridge.status import KEY_MISSING, SyncPhase, SyncStatus

    app.controller.tracker.store.meta.set_account({"user_id": "u", "name": "Ann", "email": "a@b"})
    app.windows.show_settings()  # left on another page earlier
    earlier = app.windows.settings_window
    assert earlier is not None
    qtbot.addWidget(earlier)
    earlier.tabs.setCurrentIndex(earlier.tabs.count() - 1)
    assert earlier.tabs.currentWidget() is not earlier.account_page
    earlier.hide()
    app.run_action("today")
    today = app.windows.today_window
    assert today is not None
    qtbot.addWidget(today)
    today.set_sync_status(SyncStatus(SyncPhase.LOCAL, KEY_MISSING))
    assert today.sync_button.isVisible()
    today.sync_button.click()
    assert earlier.isVisible()
    assert earlier.tabs.currentWidget() is earlier.account_page


def test_the_app_leaves_the_fuzzy_name_match_until_a_name_is_looked_up(tmp_path: Path) -> None:
    # difflib (0.2 MiB) serves only a name typed in the CLI or a picker that matches nothing.
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from tracker.app import App\n"
        "from tracker.integrations.secrets import MemorySecretStore\n"
        "qapp = QApplication([])\n"
        "app = App(Path(sys.argv[1]), choose_secrets=MemorySecretStore)\n"
        "app.start_rest()\n"
        "print('difflib' in sys.modules)\n"
        "app.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "tracker.sqlite3")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
