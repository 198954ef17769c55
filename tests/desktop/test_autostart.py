"""Start at login on a real display: ticking "Start at login" in Settings and pressing Apply
writes the XDG autostart entry (under a temporary XDG_CONFIG_HOME) that starts this app, and
unticking it removes the entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.helpers.workers import OfflineWorker
from tracker.bridge.controller import Controller
from tracker.integrations.autostart import choose_backend, launch_command
from tracker.integrations.autostart.xdg import exec_line
from tracker.integrations.secrets import MemorySecretStore
from tracker.services import Tracker
from tracker.store import Store
from tracker.ui.settings import SettingsDialog

pytestmark = pytest.mark.desktop("display")


def test_settings_switch_writes_and_removes_the_autostart_entry(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    entry = config / "autostart" / "tracker.desktop"
    with Store(tmp_path / "t.sqlite3") as store:
        controller = Controller(Tracker(store))
        settings = SettingsDialog(
            controller, OfflineWorker(), MemorySecretStore(), autostart=choose_backend()
        )
        qtbot.addWidget(settings)
        settings.show()
        qtbot.waitExposed(settings)
        settings.tabs.setCurrentWidget(settings.general_page)
        apply = settings.buttons.button(QDialogButtonBox.StandardButton.Apply)
        box = settings.general_page.autostart_check
        assert not box.isChecked()

        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        assert box.isChecked()
        qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(entry.exists, timeout=2000)
        assert f"Exec={exec_line(launch_command())}\n" in entry.read_text()
        assert controller.preferences().autostart is True

        settings.load()  # shown again: the box follows the real entry
        assert box.isChecked()
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not entry.exists(), timeout=2000)
        assert controller.preferences().autostart is False
        assert not settings.general_page.autostart_error.isVisible()
