"""The Idle row in Settings: shows the saved threshold, saves a new one, 0 turns it off, and a
fraction saved outside Settings survives OK."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.workers import OfflineWorker
from tracker.bridge.controller import Controller
from tracker.integrations.secrets import MemorySecretStore
from tracker.ui.settings import SettingsDialog


def dialog(controller: Controller, qtbot: QtBot) -> SettingsDialog:
    settings = SettingsDialog(controller, OfflineWorker(), MemorySecretStore())
    qtbot.addWidget(settings)
    settings.show()
    settings.tabs.setCurrentWidget(settings.general_page)
    return settings


def test_the_default_is_five_minutes(controller: Controller, qtbot: QtBot) -> None:
    settings = dialog(controller, qtbot)
    assert settings.general_page.idle_spin.value() == 5
    assert settings.general_page.idle_spin.isVisible()
    settings.grab().save("/tmp/settings-idle.png")


@pytest.mark.parametrize(("value", "saved"), [(12, 12.0), (0, 0.0)])
def test_a_new_threshold_is_saved(
    controller: Controller, qtbot: QtBot, value: int, saved: float
) -> None:
    settings = dialog(controller, qtbot)
    settings.general_page.idle_spin.setValue(value)
    assert settings.apply()
    assert controller.preferences().idle_threshold_minutes == saved
    if value == 0:
        assert settings.general_page.idle_spin.text() == "Off"


def test_a_fraction_saved_elsewhere_survives_ok(controller: Controller, qtbot: QtBot) -> None:
    controller.save_preferences(controller.preferences().with_changes(idle_threshold_minutes=2.5))
    settings = dialog(controller, qtbot)
    assert settings.general_page.idle_spin.value() == 2
    assert settings.apply()
    assert controller.preferences().idle_threshold_minutes == 2.5
