"""What one Start/Stop from the tray costs the store, with the today window open: a click is
to be painted within a frame, so the statements it runs are counted and held to a budget."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import Seeded
from tracker.bridge.controller import Controller
from tracker.bridge.reminders import Reminders
from tracker.store import Store
from tracker.ui.today import TodayWindow
from tracker.ui.tray import Tray

STATEMENTS_PER_CLICK = 56
"""The most statements one Start or Stop may run on the GUI thread's connection, the today
window, tray and reminders included: 45 and 46 now (one of them the event journal's
``INSERT``); they were 83 and 93 before the meta values were kept, the views read from one
snapshot and the day only where a change wrote."""


@dataclass
class Scene:
    """The tray, the reminders and the today window on one connected store."""

    store: Store
    controller: Controller
    tray: Tray
    today: TodayWindow


@pytest.fixture
def scene(
    store: Store, controller: Controller, request: pytest.FixtureRequest, qtbot: QtBot
) -> Iterator[Scene]:
    store.meta.set_workspace_id("w1")
    store.meta.set_account({"user_id": "u1", "name": "Ann", "email": "ann@example.com"})
    store.meta.save_profile(replace(store.meta.profile(), user_id="u1"))
    seeded: Seeded = request.getfixturevalue("seeded")  # entries in the account's workspace
    assert seeded.entries
    tray = Tray(controller)
    timer_window = tray.timer_window()
    if timer_window is not None:
        qtbot.addWidget(timer_window)
    reminders = Reminders(controller)
    reminders.plan()
    today = TodayWindow(controller)
    qtbot.addWidget(today)
    today.show()
    qtbot.waitExposed(today)
    yield Scene(store, controller, tray, today)
    reminders.timer.stop()
    tray.hide()


def _click(scene: Scene) -> list[str]:
    """Start/Stop in the tray menu, and what it ran on the store until the window showed it."""
    action = next(a for a in scene.tray.menu().actions() if a.objectName() == "startStop")
    ran: list[str] = []
    scene.store.conn.set_trace_callback(ran.append)
    try:
        action.trigger()
        QApplication.processEvents()
    finally:
        scene.store.conn.set_trace_callback(None)
    return ran


def test_a_start_and_a_stop_each_stay_within_the_statement_budget(scene: Scene) -> None:
    _click(scene)  # the first use of each request and view
    _click(scene)
    for running in (True, False):
        ran = _click(scene)
        day = scene.today.model.day
        assert day is not None
        assert (day.running is not None) is running  # shown
        assert ("Running" in scene.tray.tooltip()) is running
        assert len(ran) <= STATEMENTS_PER_CLICK, "\n".join(ran)
