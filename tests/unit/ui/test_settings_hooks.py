"""Settings: the Hooks page shows the hooks file as lines and writes what is typed there."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.helpers.workers import OfflineWorker
from tracker.bridge.controller import Controller
from tracker.integrations.hooks import Hook, load, save
from tracker.integrations.secrets import MemorySecretStore
from tracker.ui.settings import SettingsDialog


def _dialog(controller: Controller, qtbot: QtBot) -> SettingsDialog:
    settings = SettingsDialog(controller, OfflineWorker(), MemorySecretStore())
    qtbot.addWidget(settings)
    settings.show()
    return settings


def _hooks_file() -> Path:
    return Path(os.environ["TRACKER_HOME"]) / "hooks.json"


def test_hooks_typed_on_the_page_are_written_to_the_hooks_file(
    controller: Controller, qtbot: QtBot
) -> None:
    save([Hook("timer.stopped", ("logger", "stopped"), 4.0)], _hooks_file())
    settings = _dialog(controller, qtbot)
    page = settings.hooks_page
    assert page.editor.toPlainText() == "timer.stopped  logger stopped"
    page.editor.setPlainText(
        "timer.stopped  logger stopped\ntimer.started  notify-send Tracker 'Timer started'"
    )
    with qtbot.waitSignal(settings.hooks_saved, timeout=1000):
        assert settings.apply()
    assert load(_hooks_file()) == [
        Hook("timer.stopped", ("logger", "stopped"), 4.0),  # its timeout kept
        Hook("timer.started", ("notify-send", "Tracker", "Timer started")),
    ]


def test_a_line_that_is_not_a_hook_is_refused_and_nothing_written(
    controller: Controller, qtbot: QtBot
) -> None:
    settings = _dialog(controller, qtbot)
    page = settings.hooks_page
    page.editor.setPlainText("timer.paused  notify-send hi")
    assert not settings.apply()
    assert settings.tabs.currentWidget() is page
    assert page.error.isVisible()
    assert "'timer.paused' is not an event" in page.error.text()
    assert not _hooks_file().exists()


def test_a_file_others_may_write_is_shown_as_refused(controller: Controller, qtbot: QtBot) -> None:
    save([Hook("*", ("true",))], _hooks_file())
    _hooks_file().chmod(0o666)
    settings = _dialog(controller, qtbot)
    page = settings.hooks_page
    assert "Others may write" in page.error.text()
    assert page.editor.toPlainText() == ""
