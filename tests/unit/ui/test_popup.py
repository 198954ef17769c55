"""The timer popup over a real store: start, save as you go, suggestions, recent entries,
backdate, discard and undo, keyboard, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.unit.ui.conftest import Seeded, at
from tracker.bridge.controller import Controller
from tracker.domain.model import WorkspaceInfo, WorkspaceRules
from tracker.services import LOCAL_WORKSPACE, Tracker
from tracker.services.requests import Discard, Edit, Start, Stop
from tracker.store import Store
from tracker.ui.popup import DESCRIPTION_PAUSE_MS, NOT_A_TIME, TimerPopup
from tracker.ui.suggestions import PAUSE_MS

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


def _tick_tag(popup: TimerPopup, name: str) -> None:
    """Tick a tag in the tags list by clicking its name, as a person would."""
    tags = popup.tags_button
    tags.open_panel()
    row = next(r for r in range(tags.list.count()) if tags.list.item(r).text() == name)
    point = tags.list.visualRect(tags.list.model().index(row, 0)).center()
    QTest.mouseClick(tags.list.viewport(), Qt.MouseButton.LeftButton, pos=point)
    tags.panel.hide()


def test_edits_to_the_running_timer_are_saved_as_made_and_escape_keeps_them(
    seeded: Seeded, popup: TimerPopup, controller: Controller, store: Store, qtbot: QtBot
) -> None:
    started = controller.act(Start("Work"))
    assert started is not None
    _open(popup, qtbot)
    qtbot.keyClicks(popup.picker.edit, "intern")
    qtbot.keyClick(popup.picker.edit, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert running.project_id == seeded.internal.id
    _tick_tag(popup, "meeting")
    running = controller.running()
    assert running is not None
    assert running.tag_ids == (seeded.meeting.id,)
    popup.billable.click()
    qtbot.keyClick(popup.description, Qt.Key.Key_End)
    qtbot.keyClicks(popup.description, " on the roadmap")
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    running = controller.running()
    assert running is not None
    assert running.id == started.started.id
    assert running.description == "Work on the roadmap"
    assert (running.project_id, running.tag_ids, running.billable) == (
        seeded.internal.id,
        (seeded.meeting.id,),
        True,
    )
    _open(popup, qtbot)
    assert popup.picker.edit.text() == "Internal"
    assert popup.description.text() == "Work on the roadmap"
    row = store.entries.get(running.id)
    assert row is not None
    assert row.pending
    assert row.server_id is None


def test_the_description_is_saved_after_a_pause_in_typing(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(Start("Draft"))
    _open(popup, qtbot)
    qtbot.keyClick(popup.description, Qt.Key.Key_End)
    qtbot.keyClicks(popup.description, "ing the plan")
    running = controller.running()
    assert running is not None
    assert running.description == "Draft"
    qtbot.waitUntil(
        lambda: getattr(controller.running(), "description", "") == "Drafting the plan",
        timeout=DESCRIPTION_PAUSE_MS + 2000,
    )
    assert popup.isVisible()


def test_a_start_time_typed_and_left_is_applied_when_the_popup_closes(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(Start("Work"))
    _open(popup, qtbot)
    popup.started.setText("16:40")
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    running = controller.running()
    assert running is not None
    assert running.start == at(16, 40)


def test_an_unreadable_start_time_left_on_close_changes_nothing(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    started = controller.act(Start("Work"))
    assert started is not None
    _open(popup, qtbot)
    popup.started.setText("half past lunch")
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert controller.running() == started.started


def test_a_save_refused_on_close_opens_the_popup_again_with_the_reason(
    seeded: Seeded, popup: TimerPopup, controller: Controller, store: Store, qtbot: QtBot
) -> None:
    store.meta.save_workspace(
        WorkspaceInfo(LOCAL_WORKSPACE, "Local", WorkspaceRules(require_description=True))
    )
    started = controller.act(Start("Work", project="Internal"))
    assert started is not None
    _open(popup, qtbot)
    popup.description.clear()  # not saved yet: no pause, no leaving the field
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(popup.isVisible)
    assert popup.error.isVisible()
    assert "description" in popup.error.text().lower()
    assert popup.description.text() == ""  # the edit is still there to fix
    popup.description.setText("Work on it")
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.wait(10)
    assert not popup.isVisible()
    running = controller.running()
    assert running is not None
    assert running.description == "Work on it"
    _open(popup, qtbot)
    popup.description.clear()
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)  # a second close lets the edit go
    qtbot.wait(10)
    assert not popup.isVisible()
    running = controller.running()
    assert running is not None
    assert running.description == "Work on it"


def test_an_edit_made_elsewhere_meanwhile_is_not_overwritten(
    seeded: Seeded, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    started = controller.act(Start("Work"))
    assert started is not None
    _open(popup, qtbot)
    controller.act(Edit(started.started.id, description="Renamed in the today window"))
    qtbot.keyClicks(popup.picker.edit, "intern")
    qtbot.keyClick(popup.picker.edit, Qt.Key.Key_Return)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    running = controller.running()
    assert running is not None
    assert running.description == "Renamed in the today window"
    assert running.project_id == seeded.internal.id


def _past_planning(tracker: Tracker, seeded: Seeded) -> None:
    """ "Planning" long ago on Internal (tagged, billable), and once more recently on nothing
    but under another description."""
    tracker.entries.add(
        at(9, days=-200),
        at(10, days=-200),
        "Planning",
        project="Internal",
        tags=["meeting"],
        billable=True,
    )
    tracker.entries.add(at(9, days=-1), at(10, days=-1), "Plan review", project="Website")


def test_a_chosen_suggestion_starts_with_its_project_tags_and_billable(
    seeded: Seeded, tracker: Tracker, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    _past_planning(tracker, seeded)
    _open(popup, qtbot)
    qtbot.keyClicks(popup.description, "pla")
    listed = popup.suggestions.list
    assert listed.isVisible()
    assert popup.suggestions.shown() == ["Plan review — Website", "Planning — Internal"]
    qtbot.keyClick(listed, Qt.Key.Key_Down)
    qtbot.keyClick(listed, Qt.Key.Key_Down)
    qtbot.keyClick(listed, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert running.description == "Planning"
    assert (running.project_id, running.tag_ids, running.billable) == (
        seeded.internal.id,
        (seeded.meeting.id,),
        True,
    )
    assert not popup.isVisible()


def test_enter_on_the_suggestions_with_none_chosen_starts_what_was_typed(
    seeded: Seeded, tracker: Tracker, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    _past_planning(tracker, seeded)
    _open(popup, qtbot)
    qtbot.keyClicks(popup.description, "Plan")
    qtbot.wait(1)  # the list drops the field's highlight once the key is handled
    assert popup.suggestions.list.isVisible()
    qtbot.keyClick(popup.suggestions.list, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert (running.description, running.project_id) == ("Plan", None)
    assert len([v for v in controller.day().entries if v.entry.description == "Plan"]) == 1


def test_a_suggestion_chosen_while_a_timer_runs_is_saved_to_it(
    seeded: Seeded, tracker: Tracker, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    _past_planning(tracker, seeded)
    started = controller.act(Start(""))
    assert started is not None
    _open(popup, qtbot)
    qtbot.keyClicks(popup.description, "planning")
    qtbot.keyClick(popup.suggestions.list, Qt.Key.Key_Down)
    qtbot.keyClick(popup.suggestions.list, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert running.id == started.started.id
    assert (running.description, running.project_id) == ("Planning", seeded.internal.id)
    assert popup.isVisible()


def test_recent_entries_continue_with_one_click(
    seeded: Seeded, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    _open(popup, qtbot)
    labels = [b.text() for b in popup.recent.buttons]
    assert labels[:3] == ["▶  Review", "▶  Standup — Internal", "▶  Write report — Website: Design"]
    popup.recent.buttons[1].click()
    running = controller.running()
    assert running is not None
    assert (running.description, running.project_id, running.tag_ids) == (
        "Standup",
        seeded.internal.id,
        (seeded.meeting.id,),
    )
    assert not popup.isVisible()


def test_discard_offers_undo_in_place(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    started = controller.act(Start("Oops"))
    assert started is not None
    _open(popup, qtbot)
    popup.discard.click()
    assert controller.running() is None
    assert popup.isVisible()
    assert popup.undo_bar.is_offered()
    assert popup.undo_bar.message.text() == 'Discarded "Oops"'
    assert popup.start_stop.text() == "Start"
    popup.undo_bar.button.click()
    assert controller.running() == started.started
    assert not popup.undo_bar.is_offered()
    assert popup.start_stop.text() == "Stop"


def test_the_undo_offer_goes_away_and_never_undoes_a_later_change(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(Start("Oops"))
    _open(popup, qtbot)
    popup.discard.click()
    later = controller.act(Start("From the command line"))
    assert later is not None
    popup.undo_bar.button.click()
    assert controller.running() == later.started
    assert popup.error.isVisible()
    assert popup.error.text().startswith("Something else changed since")
    controller.act(Discard())
    popup.undo_bar.show_ms = 50
    popup.undo_bar.offer("Discarded", later.started.id)
    height = popup.height()
    qtbot.waitUntil(lambda: not popup.undo_bar.is_offered(), timeout=2000)
    assert popup.height() < height  # the window shrinks back


def test_a_bad_start_time_says_one_line_and_keeps_the_rows(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(Start("Work"))
    _open(popup, qtbot)
    rows = [popup.description.height(), popup.picker.edit.height(), popup.started.height()]
    height = popup.height()
    popup.started.setText("half past lunch")
    qtbot.keyClick(popup.started, Qt.Key.Key_Return)
    assert popup.error.isVisible()
    assert popup.error.text() == NOT_A_TIME
    assert "9:30" in popup.error.toolTip()
    assert "-15m" in popup.error.toolTip()
    assert [popup.description.height(), popup.picker.edit.height(), popup.started.height()] == rows
    assert popup.error.height() < 2 * popup.fontMetrics().height() + 4
    assert popup.height() > height
    assert popup.started.text() == "half past lunch"  # kept to correct it
    assert popup.started.hasFocus()
    popup.started.setText("16:30")
    qtbot.keyClick(popup.started, Qt.Key.Key_Return)
    assert not popup.error.isVisible()
    assert popup.height() == height
    running = controller.running()
    assert running is not None
    assert running.start == at(16, 30)


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


def test_suggestions_follow_a_burst_of_keys_with_one_query_more(
    seeded: Seeded,
    popup: TimerPopup,
    controller: Controller,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first key asks the store at once; keys typed quickly after it are asked about
    once, when typing pauses (a query per key made fast typing stutter on a long history)."""
    _past_planning(controller.tracker, seeded)
    asked: list[str] = []
    real = controller.suggestions

    def counted(text: str, limit: int) -> list[Any]:
        asked.append(text)
        return list(real(text, limit))

    monkeypatch.setattr(controller, "suggestions", counted)
    _open(popup, qtbot)
    qtbot.keyClicks(popup.description, "planning")  # one burst: no event loop in between
    assert asked == ["p"]
    listed = popup.suggestions.model

    def labels() -> list[str]:
        return [listed.item(r).text() for r in range(listed.rowCount())]

    assert "Plan review — Website" in labels()  # still what "p" found
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=1000)
    assert asked == ["p", "planning"]
    assert labels() == ["Planning — Internal"]
    qtbot.wait(int(PAUSE_MS * 1.5))
    qtbot.keyClick(popup.description, Qt.Key.Key_Backspace)  # after a pause: at once again
    assert asked[-1] == "plannin"


def test_down_right_after_a_burst_acts_on_what_was_typed(
    seeded: Seeded, tracker: Tracker, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    _past_planning(tracker, seeded)
    _open(popup, qtbot)
    qtbot.keyClicks(popup.description, "planni")
    qtbot.keyClick(popup.suggestions.list, Qt.Key.Key_Down)  # before the burst's pause ended
    qtbot.keyClick(popup.suggestions.list, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert (running.description, running.project_id) == ("Planning", seeded.internal.id)
