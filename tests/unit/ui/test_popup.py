"""The timer popup over a real store: start, edit, backdate, discard, keyboard, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.unit.ui.conftest import Seeded, at
from tracker.bridge.controller import Controller
from tracker.services.requests import Start, Stop
from tracker.ui.popup import TimerPopup

SHOTS = Path("/tmp/shots-tray")


@pytest.fixture
def popup(controller: Controller, qtbot: QtBot) -> TimerPopup:
    made = TimerPopup(controller)
    qtbot.addWidget(made)
    return made


def _open(popup: TimerPopup, qtbot: QtBot) -> None:
    popup.show_near(QRect(1200, 0, 24, 24))
    qtbot.waitExposed(popup)


def test_typing_and_enter_starts_with_the_picked_project(
    seeded: Seeded, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    _open(popup, qtbot)
    qtbot.keyClicks(popup.picker.edit, "web des")
    qtbot.keyClick(popup.picker.edit, Qt.Key.Key_Return)
    assert popup.picker.selection() == (seeded.website.id, seeded.design.id)
    qtbot.keyClicks(popup.description, "Draft layout")
    qtbot.keyClick(popup.description, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert (running.description, running.project_id, running.task_id) == (
        "Draft layout",
        seeded.website.id,
        seeded.design.id,
    )
    assert not popup.isVisible()
    started = [v for v in controller.day().entries if v.entry.description == "Draft layout"]
    assert len(started) == 1  # Enter in the field is handled once, not again by the popup


def test_escape_closes(popup: TimerPopup, qtbot: QtBot) -> None:
    _open(popup, qtbot)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert not popup.is_ticking()


def test_running_entry_is_shown_edited_and_stopped(
    seeded: Seeded, popup: TimerPopup, controller: Controller, clock: FakeClock, qtbot: QtBot
) -> None:
    controller.act(Start("Standup", project="Internal", tags=["meeting"]))
    clock.advance(minutes=3, seconds=7)
    _open(popup, qtbot)
    assert popup.description.text() == "Standup"
    assert popup.picker.edit.text() == "Internal"
    assert popup.tags_button.text() == "meeting"
    assert popup.elapsed.text() == "0:03:07"
    assert popup.start_stop.text() == "Stop"
    assert popup.is_ticking()
    popup.description.setText("Standup (long)")
    qtbot.keyClick(popup.description, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert running.description == "Standup (long)"
    assert running.project_id == seeded.internal.id
    assert running.tag_ids == (seeded.meeting.id,)
    _open(popup, qtbot)
    qtbot.keyClick(popup.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert controller.running() is None


def test_backdate_the_running_entry(
    popup: TimerPopup, controller: Controller, clock: FakeClock, qtbot: QtBot
) -> None:
    controller.act(Start("Work"))
    _open(popup, qtbot)
    assert popup.started.text() == "17:00"
    popup.started.setText("16:30")
    qtbot.keyClick(popup.started, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert running.start == at(16, 30)
    assert popup.elapsed.text() == "0:30:00"


def test_start_time_for_a_new_timer(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    _open(popup, qtbot)
    popup.started.setText("16:45")
    qtbot.keyClicks(popup.description, "Late start")
    qtbot.keyClick(popup.description, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert running.start == at(16, 45)


def test_bad_start_time_shows_inline(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    _open(popup, qtbot)
    popup.started.setText("half past lunch")
    qtbot.keyClick(popup.description, Qt.Key.Key_Return)
    assert controller.running() is None
    assert popup.error.isVisible()
    assert popup.isVisible()


def test_refusal_shows_inline(popup: TimerPopup, controller: Controller, qtbot: QtBot) -> None:
    _open(popup, qtbot)
    controller.failed.emit("<b>Project required</b>")
    assert popup.error.isVisible()
    assert popup.error.textFormat() == Qt.TextFormat.PlainText
    assert popup.error.text() == "<b>Project required</b>"


def test_discard(popup: TimerPopup, controller: Controller, qtbot: QtBot) -> None:
    controller.act(Start("Oops"))
    _open(popup, qtbot)
    assert popup.discard.isEnabled()
    popup.discard.click()
    assert controller.running() is None
    assert controller.day().entries == ()


def test_description_completer_offers_history(
    seeded: Seeded, popup: TimerPopup, qtbot: QtBot
) -> None:
    _open(popup, qtbot)
    completer = popup.description.completer()
    completer.setCompletionPrefix("REP")
    found = {
        completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())
    }
    assert found == {"Write report"}
    completer.setCompletionPrefix("view")
    assert completer.currentCompletion() == "Review"


def test_stays_on_screen(popup: TimerPopup, qtbot: QtBot) -> None:
    area = QGuiApplication.primaryScreen().availableGeometry()
    for anchor in (QRect(area.right() - 5, area.bottom() - 5, 24, 24), QPoint(0, 0), None):
        popup.show_near(anchor)
        qtbot.waitExposed(popup)
        assert area.contains(popup.frameGeometry()), anchor
        popup.hide()


def test_screenshots(
    seeded: Seeded, popup: TimerPopup, controller: Controller, clock: FakeClock, qtbot: QtBot
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    _open(popup, qtbot)
    assert popup.grab().save(str(SHOTS / "popup-stopped.png"))
    qtbot.keyClicks(popup.picker.edit, "web")
    assert popup.grab().save(str(SHOTS / "popup-picking.png"))
    popup.hide()
    controller.act(
        Start("Write the quarterly report", project="Website", task="Design", tags=["deep work"])
    )
    clock.advance(minutes=12, seconds=5)
    _open(popup, qtbot)
    assert popup.grab().save(str(SHOTS / "popup-running.png"))


def test_a_timer_started_elsewhere_shows_in_the_open_popup(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    _open(popup, qtbot)
    assert popup.start_stop.text() == "Start"
    controller.act(Start("From the command line"))  # as a CLI refresh or a hotkey would
    assert popup.start_stop.text() == "Stop"
    assert popup.description.text() == "From the command line"
    controller.act(Stop())
    assert popup.start_stop.text() == "Start"
