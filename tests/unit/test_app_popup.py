"""The app and its timer popup: what the popup holds is saved when the app closes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tracker.app import App
from tracker.domain.model import LOCAL_WORKSPACE
from tracker.integrations.secrets import MemorySecretStore
from tracker.services.requests import Start
from tracker.store import Store
from tracker.ui.popup import TimerPopup


def test_closing_the_app_saves_what_the_open_popup_holds(
    tmp_path: Path, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tracker.integrations.idle.choose")
    path = tmp_path / "tracker.sqlite3"
    app = App(path, choose_secrets=MemorySecretStore)
    window = app.tray.timer_window()
    if window is not None:
        qtbot.addWidget(window)
    app.controller.act(Start("Work"))
    app.windows.show_popup()
    # This app's popup: the one showing (an earlier test's may still exist, hidden).
    popup = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, TimerPopup) and w.isVisible()
    )
    assert popup.isVisible()
    popup.description.setText("Work on the report")  # typed, not saved yet
    app.close()
    assert not popup.isVisible()
    with Store(path) as store:
        running = store.entries.running(LOCAL_WORKSPACE)  # no account: the local workspace
    assert running is not None
    assert running.entry.description == "Work on the report"
