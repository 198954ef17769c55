"""Settings: the Reminders page shows and saves the reminder choices, and the "Start at
login" box shows the OS entry's real state and writes or removes it on Apply (real files
under a temporary XDG_CONFIG_HOME), with the reason shown when that fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers.workers import OfflineWorker
from tracker.bridge.controller import Controller
from tracker.integrations.autostart import launch_command
from tracker.integrations.autostart.xdg import XdgAutostart, exec_line
from tracker.integrations.secrets import MemorySecretStore
from tracker.ui.settings import SettingsDialog


def dialog(controller: Controller, qtbot: QtBot, autostart: Any = None) -> SettingsDialog:
    settings = SettingsDialog(controller, OfflineWorker(), MemorySecretStore(), autostart=autostart)
    qtbot.addWidget(settings)
    settings.show()
    return settings


# --- reminders ----------------------------------------------------------------------------


def test_reminders_are_off_by_default_and_saved_from_the_page(
    controller: Controller, qtbot: QtBot
) -> None:
    settings = dialog(controller, qtbot)
    page = settings.reminders_page
    settings.tabs.setCurrentWidget(page)
    assert page.remind_every.text() == "Off"
    assert [c.isChecked() for c in page.day_checks] == [True] * 5 + [False] * 2
    assert not page.stop_at.isEnabled()
    settings.grab().save("/tmp/settings-reminders.png")

    page.remind_every.setValue(30)
    page.day_checks[0].setChecked(False)
    page.day_checks[5].setChecked(True)
    page.remind_from.setTime(QTime(8, 30))
    page.remind_to.setTime(QTime(12, 0))
    page.long_running.setValue(2.5)
    page.stop_check.setChecked(True)
    page.stop_at.setTime(QTime(18, 15))
    page.pomodoro.setValue(25)
    page.break_minutes.setValue(5)
    assert settings.apply()
    prefs = controller.preferences()
    assert (prefs.remind_every_minutes, prefs.remind_days) == (30, (1, 2, 3, 4, 5))
    assert (prefs.remind_from, prefs.remind_to) == ("08:30", "12:00")
    assert (prefs.long_running_hours, prefs.stop_at) == (2.5, "18:15")
    assert (prefs.pomodoro_minutes, prefs.break_minutes) == (25, 5)

    page.stop_check.setChecked(False)
    assert settings.apply()
    assert controller.preferences().stop_at == ""
    settings.load()
    assert page.remind_from.time() == QTime(8, 30)
    assert not page.stop_check.isChecked()


def test_the_reminder_hours_cannot_end_before_they_begin(
    controller: Controller, qtbot: QtBot
) -> None:
    settings = dialog(controller, qtbot)
    page = settings.reminders_page
    page.remind_from.setTime(QTime(16, 0))
    page.remind_to.setTime(QTime(9, 0))
    assert page.remind_to.time() > page.remind_from.time()


# --- start at login -----------------------------------------------------------------------


def test_start_at_login_writes_and_removes_the_entry(
    controller: Controller, qtbot: QtBot, tmp_path: Path
) -> None:
    backend = XdgAutostart(env={"XDG_CONFIG_HOME": str(tmp_path)})
    settings = dialog(controller, qtbot, backend)
    assert not settings.general_page.autostart_check.isChecked()
    settings.general_page.autostart_check.setChecked(True)
    assert settings.apply()
    assert backend.path.exists()
    assert f"Exec={exec_line(launch_command())}\n" in backend.path.read_text()
    assert controller.preferences().autostart is True

    settings.general_page.autostart_check.setChecked(False)
    assert settings.apply()
    assert not backend.path.exists()
    assert controller.preferences().autostart is False


def test_the_box_shows_the_real_entry(controller: Controller, qtbot: QtBot, tmp_path: Path) -> None:
    backend = XdgAutostart(env={"XDG_CONFIG_HOME": str(tmp_path)})
    controller.save_preferences(controller.preferences().with_changes(autostart=True))
    settings = dialog(controller, qtbot, backend)
    assert not settings.general_page.autostart_check.isChecked()  # the entry is gone (e.g. by hand)
    backend.enable(["tracker"])
    settings.load()
    assert settings.general_page.autostart_check.isChecked()


class Broken:
    name = "broken"
    location = "/nowhere"
    unavailable: str | None = None

    def is_enabled(self) -> bool:
        return False

    def enable(self, command: list[str]) -> None:
        raise PermissionError("read-only file system")

    def disable(self) -> None:
        pass


def test_a_failure_is_shown_inline_and_nothing_is_saved(
    controller: Controller, qtbot: QtBot
) -> None:
    settings = dialog(controller, qtbot, Broken())
    settings.tabs.setCurrentWidget(settings.reminders_page)
    settings.general_page.autostart_check.setChecked(True)
    assert not settings.apply()
    assert settings.tabs.currentWidget() is settings.general_page
    assert settings.general_page.autostart_error.isVisible()
    assert "read-only file system" in settings.general_page.autostart_error.text()
    assert controller.preferences().autostart is False
    settings.grab().save("/tmp/settings-autostart-error.png")


def type_into(field: QWidget, typed: str, qtbot: QtBot) -> None:
    """Click the field, select what is in it and type, as a person does."""
    field.setFocus()
    qtbot.wait(5)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field, typed)


@pytest.mark.parametrize(
    ("typed", "saved"), [("7:45", "07:45"), ("07:45", "07:45"), ("0745", "07:45"), ("8", "08:00")]
)
def test_typed_reminder_hours_are_taken_on_ok(
    typed: str, saved: str, controller: Controller, qtbot: QtBot
) -> None:
    settings = dialog(controller, qtbot)
    page = settings.reminders_page
    settings.tabs.setCurrentWidget(page)
    settings.activateWindow()
    qtbot.waitUntil(settings.isActiveWindow, timeout=2000)
    type_into(page.remind_from, typed, qtbot)
    QTest.keyClick(settings, Qt.Key.Key_Return)  # OK, straight from the field
    assert not settings.isVisible()
    assert controller.preferences().remind_from == saved


def test_typed_hours_are_taken_on_leaving_the_field(controller: Controller, qtbot: QtBot) -> None:
    settings = dialog(controller, qtbot)
    page = settings.reminders_page
    settings.tabs.setCurrentWidget(page)
    settings.activateWindow()
    qtbot.waitUntil(settings.isActiveWindow, timeout=2000)
    type_into(page.remind_to, "1930", qtbot)
    page.remind_every.setFocus()
    qtbot.wait(5)
    assert page.remind_to.time() == QTime(19, 30)
    assert page.remind_to.text() == "19:30"
    page.stop_check.setChecked(True)
    type_into(page.stop_at, "17.15", qtbot)
    assert settings.apply()
    assert (controller.preferences().remind_to, controller.preferences().stop_at) == (
        "19:30",
        "17:15",
    )


def test_an_unreadable_hour_says_why_and_saves_nothing(
    controller: Controller, qtbot: QtBot
) -> None:
    settings = dialog(controller, qtbot)
    page = settings.reminders_page
    settings.tabs.setCurrentWidget(page)
    settings.activateWindow()
    qtbot.waitUntil(settings.isActiveWindow, timeout=2000)
    type_into(page.remind_from, "25:00", qtbot)
    page.remind_every.setFocus()
    qtbot.wait(5)
    errors = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
    assert any("25:00" in text and "time of day" in text for text in errors), errors
    assert not settings.apply()
    assert settings.isVisible()
    assert controller.preferences().remind_from == "09:00"
    settings.grab().save("/tmp/settings-reminders-typed.png")
