"""Settings shows what became of each hotkey: taken, refused with the reason, or why none can
work here together with the commands to bind in the desktop instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.workers import OfflineWorker
from tracker.bridge.controller import Controller
from tracker.integrations.hotkeys import clash, fallback_text
from tracker.integrations.secrets import MemorySecretStore
from tracker.ui.settings import SettingsDialog

SHOTS = Path("/tmp/shots-settings")


@pytest.fixture
def dialog(controller: Controller, qtbot: QtBot) -> SettingsDialog:
    settings = SettingsDialog(controller, OfflineWorker(), MemorySecretStore())
    qtbot.addWidget(settings)
    settings.resize(560, 620)
    settings.show()
    page = settings.general_page.hotkeys.parentWidget()
    assert page is not None
    settings.tabs.setCurrentIndex(settings.tabs.indexOf(page))
    return settings


def test_each_action_shows_whether_its_key_was_taken(dialog: SettingsDialog) -> None:
    dialog.set_hotkey_status({"toggle": "ok", "popup": clash("Ctrl+Alt+P")}, None)
    status = dialog.general_page.hotkeys.status
    assert status["toggle"].isVisible()
    assert status["toggle"].text() == "Active."
    assert status["popup"].text() == "Ctrl+Alt+P is already taken by another program"
    assert not status["today"].isVisible()
    assert not dialog.general_page.hotkeys.unavailable.isVisible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "hotkeys-status.png"))


def test_without_a_backend_the_commands_to_bind_are_shown(dialog: SettingsDialog) -> None:
    reason = "this desktop offers no global shortcuts portal; " + fallback_text()
    dialog.set_hotkey_status({"toggle": reason}, reason)
    assert not dialog.general_page.hotkeys.status["toggle"].isVisible()
    text = dialog.general_page.hotkeys.unavailable.text()
    assert dialog.general_page.hotkeys.unavailable.isVisible()
    for command in ("`tracker toggle`", "`tracker popup`", "`tracker open-today`"):
        assert command in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "hotkeys-unavailable.png"))
