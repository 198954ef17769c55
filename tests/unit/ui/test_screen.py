"""Every window fits a small screen: the 1280x800 laptop screen at a scale of 2 is 640x400
logical pixels, and at 1.5 it is 853x533. :func:`fit_to_screen` shrinks and moves each window
into the work area, and each window's layout can shrink that far (pages scroll instead)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers.workers import OfflineWorker
from tests.unit.ui.conftest import Seeded
from tracker.bridge.controller import Controller
from tracker.integrations.secrets import MemorySecretStore
from tracker.ui.editor import EntryEditor
from tracker.ui.idle_prompt import IdlePrompt
from tracker.ui.popup import TimerPopup
from tracker.ui.screen import FRAME_GUESS, fit_to_screen
from tracker.ui.settings import SettingsDialog
from tracker.ui.timer_window import TimerWindow
from tracker.ui.today import TodayWindow

SCALE_2 = QRect(0, 0, 640, 400)
"""1280x800 at a scale factor of 2."""

SCALE_15 = QRect(0, 0, 853, 533)
"""1280x800 at a scale factor of 1.5."""

OFFSET = QRect(100, 40, 640, 400)
"""The work area of a second screen, below a top panel."""


def settings(controller: Controller, seeded: Seeded) -> QWidget:
    del seeded
    return SettingsDialog(controller, OfflineWorker(), MemorySecretStore())


def today(controller: Controller, seeded: Seeded) -> QWidget:
    del seeded
    window = TodayWindow(controller)
    window.resize(980, 560)
    return window


def editor(controller: Controller, seeded: Seeded) -> QWidget:
    return EntryEditor(controller, seeded.entries[0].id)


def idle(controller: Controller, seeded: Seeded) -> QWidget:
    del controller, seeded
    prompt = IdlePrompt()
    prompt.message.setText("You were away from 14:00 to 15:10 while “Write report” ran.")
    return prompt


def timer_window(controller: Controller, seeded: Seeded) -> QWidget:
    del controller, seeded
    return TimerWindow(QMenu())


def popup(controller: Controller, seeded: Seeded) -> QWidget:
    del seeded
    return TimerPopup(controller)


WINDOWS: dict[str, Callable[[Controller, Seeded], QWidget]] = {
    "settings": settings,
    "today": today,
    "editor": editor,
    "idle prompt": idle,
    "timer window": timer_window,
    "popup": popup,
}


@pytest.mark.parametrize("area", [SCALE_2, SCALE_15, OFFSET], ids=["scale2", "scale1.5", "offset"])
@pytest.mark.parametrize("name", list(WINDOWS))
def test_each_window_fits_the_work_area(
    name: str, area: QRect, controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    window = WINDOWS[name](controller, seeded)
    qtbot.addWidget(window)
    window.move(area.right() - 50, area.bottom() - 50)  # placed half off the screen
    fit_to_screen(window, area)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(10)  # the layout settles the size once shown
    assert area.contains(window.frameGeometry()), (name, window.frameGeometry(), area)
    hint = window.minimumSizeHint()
    assert hint.width() <= area.width(), (name, hint)
    assert hint.height() <= area.height(), (name, hint)


def test_a_window_that_fits_stays_where_it_is(controller: Controller, qtbot: QtBot) -> None:
    window = TimerWindow(QMenu())
    qtbot.addWidget(window)
    window.move(120, 80)
    window.show()
    qtbot.waitExposed(window)
    before = window.geometry()
    fit_to_screen(window, QRect(0, 0, 1280, 800))
    assert window.geometry() == before


def test_a_new_dialog_is_centred_over_its_window(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    host = TodayWindow(controller)
    qtbot.addWidget(host)
    host.setGeometry(100, 100, 600, 380)
    host.show()
    qtbot.waitExposed(host)
    dialog = EntryEditor(controller, seeded.entries[0].id, host)
    fit_to_screen(dialog, SCALE_2.adjusted(0, 0, 400, 400))
    centre = dialog.frameGeometry().center()
    assert abs(centre.x() - host.frameGeometry().center().x()) <= FRAME_GUESS.width()
