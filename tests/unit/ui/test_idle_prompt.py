"""The idle prompt: what it says, each answer by mouse and keyboard, Esc, and the answer
applied through the controller to a real store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.unit.ui.conftest import at
from tracker.bridge.controller import Controller
from tracker.services.idle import IDLE_DESCRIPTION, IdleChoice
from tracker.services.requests import ResolveIdle, Start
from tracker.ui.idle_prompt import IdlePrompt, away_text

LEFT = datetime(2026, 3, 2, 10, 12, tzinfo=UTC)
BACK = datetime(2026, 3, 2, 10, 47, tzinfo=UTC)


@pytest.fixture
def prompt(qtbot: QtBot) -> IdlePrompt:
    dialog = IdlePrompt()
    qtbot.addWidget(dialog)
    dialog.ask(LEFT, BACK, "Write report", "e1", UTC)
    return dialog


def test_it_says_when_and_what(prompt: IdlePrompt) -> None:
    assert prompt.message.text() == (
        "You were away from 10:12 to 10:47 (35 min) while \u201cWrite report\u201d was running."
    )
    assert prompt.message.textFormat() == Qt.TextFormat.PlainText
    assert prompt.isVisible()
    assert prompt.buttons[IdleChoice.KEEP].hasFocus() or not prompt.isActiveWindow()


def test_long_absences_and_midnight_read_well() -> None:
    late = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    text = away_text(late, late + timedelta(hours=2, minutes=5), "", UTC)
    assert text == "You were away from 23:30 to Tue 01:35 (2 h 05 min) while the timer was running."


def test_markup_in_a_description_stays_text(prompt: IdlePrompt) -> None:
    prompt.ask(LEFT, BACK, "<b>bold</b>", None, UTC)
    assert "<b>bold</b>" in prompt.message.text()
    assert prompt.message.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize("choice", list(IdleChoice))
def test_each_button_answers_once(prompt: IdlePrompt, qtbot: QtBot, choice: IdleChoice) -> None:
    with qtbot.waitSignal(prompt.chosen) as signal:
        qtbot.mouseClick(prompt.buttons[choice], Qt.MouseButton.LeftButton)
    assert signal.args == [choice.value]
    assert not prompt.isVisible()


@pytest.mark.parametrize(
    ("key", "choice"),
    [
        (Qt.Key.Key_K, IdleChoice.KEEP),
        (Qt.Key.Key_D, IdleChoice.DISCARD),
        (Qt.Key.Key_C, IdleChoice.DISCARD_CONTINUE),
        (Qt.Key.Key_A, IdleChoice.ADD_AS_NEW),
    ],
)
def test_alt_keys_answer(prompt: IdlePrompt, qtbot: QtBot, key: Qt.Key, choice: IdleChoice) -> None:
    prompt.activateWindow()
    qtbot.waitUntil(prompt.isActiveWindow)
    with qtbot.waitSignal(prompt.chosen) as signal:
        qtbot.keyClick(prompt, key, Qt.KeyboardModifier.AltModifier)
    assert signal.args == [choice.value]


def test_escape_keeps_the_time(prompt: IdlePrompt, qtbot: QtBot) -> None:
    with qtbot.waitSignal(prompt.chosen) as signal:
        qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    assert signal.args == [IdleChoice.KEEP.value]


def test_the_answer_reaches_the_store_through_the_controller(
    controller: Controller, clock: FakeClock, qtbot: QtBot
) -> None:
    clock.now = at(9)
    started = controller.act(Start("Write report"))
    assert started is not None
    clock.now = at(11)
    with qtbot.waitSignal(controller.changed) as changed:
        controller.act(
            ResolveIdle(IdleChoice.ADD_AS_NEW, at(10, 12), at(10, 47), started.started.id)
        )
    assert changed.args[0].to_send
    entries = sorted((e.entry for e in controller.day().entries), key=lambda e: e.start)
    assert [(e.description, e.start, e.end) for e in entries] == [
        ("Write report", at(9), at(10, 12)),
        (IDLE_DESCRIPTION, at(10, 12), at(10, 47)),
        ("Write report", at(10, 47), None),
    ]


def test_keep_tells_no_one(controller: Controller, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(controller.changed):
        assert controller.act(ResolveIdle("keep", LEFT, BACK)) is not None


def test_a_refused_answer_says_why(controller: Controller, qtbot: QtBot) -> None:
    with qtbot.waitSignal(controller.failed) as signal:
        assert controller.act(ResolveIdle("discard", LEFT, BACK)) is None
    assert "No timer" in signal.args[0]
