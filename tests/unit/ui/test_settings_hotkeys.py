"""Settings shows what became of each hotkey: taken, refused with the reason, or why none can
work here together with the commands to bind in the desktop instead."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QKeySequenceEdit, QLabel, QLineEdit
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


SUPER_KEY = {"win32": "Win", "darwin": "Cmd"}.get(sys.platform, "Super")
"""The logo key as this platform names it."""

ALT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def record(
    edit: QKeySequenceEdit, key: Qt.Key, modifiers: Qt.KeyboardModifier, qtbot: QtBot
) -> None:
    """Click the field and press the keys, as a person does."""
    edit.setFocus()
    QTest.keyClick(edit, key, modifiers)
    qtbot.wait(20)


def test_a_key_another_action_has_is_refused_as_it_is_recorded(
    dialog: SettingsDialog, controller: Controller, qtbot: QtBot
) -> None:
    box = dialog.general_page.hotkeys
    dialog.activateWindow()
    record(box.edits["toggle"], Qt.Key.Key_T, ALT_CTRL, qtbot)
    assert box.edits["toggle"].keySequence().toString() == "Ctrl+Alt+T"
    record(box.edits["today"], Qt.Key.Key_T, ALT_CTRL, qtbot)
    qtbot.waitUntil(box.status["today"].isVisible, timeout=3000)
    said = box.status["today"].text()
    assert said == "Ctrl+Alt+T is already the key for “Toggle timer”; choose another."
    assert "'toggle'" not in said
    assert box.edits["today"].keySequence().isEmpty()
    assert box.edits["toggle"].keySequence().toString() == "Ctrl+Alt+T"
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "hotkeys-clash.png"))
    assert dialog.apply()
    assert controller.preferences().hotkeys == (("toggle", "Ctrl+Alt+T"),)


def test_a_key_without_a_modifier_is_refused_as_it_is_recorded(
    dialog: SettingsDialog, qtbot: QtBot
) -> None:
    box = dialog.general_page.hotkeys
    dialog.activateWindow()
    record(box.edits["popup"], Qt.Key.Key_P, Qt.KeyboardModifier.NoModifier, qtbot)
    qtbot.waitUntil(box.status["popup"].isVisible, timeout=3000)
    assert "alone it would take the key away" in box.status["popup"].text()
    assert box.edits["popup"].keySequence().isEmpty()


def test_the_super_key_has_one_name_in_the_field_the_hint_and_errors(
    dialog: SettingsDialog, qtbot: QtBot
) -> None:
    box = dialog.general_page.hotkeys
    dialog.activateWindow()
    record(box.edits["toggle"], Qt.Key.Key_T, Qt.KeyboardModifier.MetaModifier, qtbot)
    line = box.edits["toggle"].findChild(QLineEdit)
    assert line is not None
    qtbot.waitUntil(lambda: line.text() == f"{SUPER_KEY}+T", timeout=3000)
    texts = [label.text() for label in box.findChildren(QLabel)]
    assert any(f"with Ctrl, Alt or {SUPER_KEY}" in text for text in texts)
    assert not any("Meta" in text for text in texts)
    dialog.set_hotkey_status({"popup": "Meta+P is already used for 'toggle' here"}, None)
    assert box.status["popup"].text() == f"{SUPER_KEY}+P is already used for “Toggle timer” here"


def test_reports_can_have_a_global_hotkey() -> None:
    # The Reports window opens from the tray menu and, like today, from a key of one's own.
    from tracker.integrations.hotkeys.portal import LABELS
    from tracker.ui.settings.hotkeys import HOTKEY_ACTIONS

    assert ("reports", "Open reports") in HOTKEY_ACTIONS
    assert LABELS["reports"] == "Open reports"
