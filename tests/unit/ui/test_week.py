"""The week timesheet window, driven from the keyboard on the real table and a real store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.unit.ui.conftest import NOW, Seeded, at
from tracker.bridge.controller import Controller
from tracker.domain.model import WorkspaceInfo, WorkspaceRules
from tracker.domain.workdays import DayPlan, TimeOffMark
from tracker.services import Tracker
from tracker.services.changes import Changes
from tracker.services.requests import Add, Start
from tracker.services.timesheet import RowKey
from tracker.store import Store
from tracker.ui.today import TodayWindow
from tracker.ui.week import WeekWindow
from tracker.ui.week_model import TOTAL, day_header

CTRL = Qt.KeyboardModifier.ControlModifier
MONDAY = NOW.date()


@pytest.fixture
def window(controller: Controller, qtbot: QtBot, seeded: Seeded) -> WeekWindow:
    """The window on the seeded week (this week: Monday 2 March 2026)."""
    shown = WeekWindow(controller)
    qtbot.addWidget(shown)
    shown.show_week(MONDAY)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown, timeout=2000)
    return shown


def active(window: WeekWindow, qtbot: QtBot) -> None:
    """Wait until the window has the keys again (after a question box closed)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def cell(window: WeekWindow, row: int, column: int) -> str:
    return str(window.model.index(row, column).data())


def labels(window: WeekWindow) -> list[str]:
    model = window.model
    return [str(model.index(n, 0).data()) for n in range(model.rowCount())]


def type_in(window: WeekWindow, qtbot: QtBot, row: int, column: int, typed: str) -> None:
    """Go to the cell, type ``typed`` (typing starts the edit) and press Enter."""
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(row, column))
    QTest.keyClicks(window.table, typed[0])
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=1000)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QTest.keyClicks(editor, typed[1:])
    QTest.keyClick(editor, Qt.Key.Key_Return)


def answer(button: str) -> list[str]:
    """Click ``button`` in the next question box once it shows; returns its text."""
    asked: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        asked.append(box.text())
        for candidate in box.buttons():
            if candidate.text() == button:
                candidate.click()
                return
        raise AssertionError(f"no {button!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(10, click)
    return asked


def test_rows_days_and_totals(window: WeekWindow, seeded: Seeded, tracker: Tracker) -> None:
    tracker.act(Add(at(9, days=2), at(12, days=2), "Review"))
    window.refresh()
    assert labels(window) == [
        "Internal - Standup",
        "Website / Design - Write report",
        "(no project) - Review",
        "Total",
    ]
    assert cell(window, 2, 1) == "1:15"
    assert cell(window, 2, 3) == "3:00"
    assert cell(window, 2, TOTAL) == "4:15"
    assert cell(window, 3, 1) == "3:15"
    assert cell(window, 3, TOTAL) == "6:15"
    header = window.model.headerData(1, Qt.Orientation.Horizontal)
    assert header == "Mon 2\n8:00"
    assert window.model.headerData(6, Qt.Orientation.Horizontal) == "Sat 7\n—"
    assert window.total_label.text() == "6:15 of 40:00"
    assert "this week" in window.title.text()


def test_typing_a_duration_creates_then_changes_an_entry(
    window: WeekWindow, seeded: Seeded, qtbot: QtBot, tracker: Tracker
) -> None:
    type_in(window, qtbot, 2, 2, "2h")  # Review, Tuesday: a new entry from 9:00
    qtbot.waitUntil(lambda: cell(window, 2, 2) == "2:00", timeout=2000)
    assert cell(window, 3, TOTAL) == "5:15"
    type_in(window, qtbot, 2, 1, "45m")  # Review, Monday: its one entry ends earlier
    qtbot.waitUntil(lambda: cell(window, 2, 1) == "0:45", timeout=2000)
    assert tracker.find(seeded.entries[2].id).entry.end == at(13, 45)
    QTest.keyClick(window, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: cell(window, 2, 1) == "1:15", timeout=2000)


def test_a_refused_edit_stays_open_and_says_why(
    window: WeekWindow, seeded: Seeded, qtbot: QtBot, store: Store
) -> None:
    type_in(window, qtbot, 2, 1, "soon")
    qtbot.waitUntil(lambda: "not a duration" in window.status_label.text(), timeout=1000)
    assert window.table.state() == QAbstractItemView.State.EditingState
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "soon"  # kept, to be corrected
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    # A locked day: the entry services refuse, and the window shows their reason.
    workspace = seeded.entries[0].workspace_id
    store.meta.save_workspace(
        WorkspaceInfo(workspace, "Acme", WorkspaceRules(locked_before=at(0, days=1)))
    )
    store.meta.set("workspace_id", workspace)
    type_in(window, qtbot, 2, 1, "3h")
    qtbot.waitUntil(lambda: "locked" in window.status_label.text(), timeout=1000)
    assert cell(window, 2, 1) == "1:15"


def test_delete_clears_a_cell_after_asking(
    window: WeekWindow, seeded: Seeded, qtbot: QtBot
) -> None:
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(2, 1))
    asked = answer("Cancel")
    QTest.keyClick(window.table, Qt.Key.Key_Delete)
    assert asked == ["Clear “(no project) - Review” on Monday 2 March: delete its entry?"]
    assert cell(window, 2, 1) == "1:15"
    active(window, qtbot)
    answer("Delete")
    QTest.keyClick(window.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "(no project) - Review" not in labels(window), timeout=2000)
    assert "Ctrl+Z undoes it" in window.status_label.text()


def test_weeks_change_with_ctrl_arrows(window: WeekWindow, seeded: Seeded) -> None:
    QTest.keyClick(window, Qt.Key.Key_Left, CTRL)
    assert window.week_start == MONDAY - timedelta(days=7)
    assert labels(window) == ["Total"]
    QTest.keyClick(window, Qt.Key.Key_Right, CTRL)
    QTest.keyClick(window, Qt.Key.Key_Right, CTRL)
    assert window.week_start == MONDAY + timedelta(days=7)
    window.go_this_week()
    assert window.week_start == MONDAY


def test_copy_last_week_rows_only_or_with_time(
    window: WeekWindow, seeded: Seeded, qtbot: QtBot, clock: FakeClock
) -> None:
    clock.now = NOW + timedelta(days=7)
    window.go_this_week()
    assert labels(window) == ["Total"]
    answer("Rows only")
    QTest.keyClick(window, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert len(labels(window)) == 4
    assert cell(window, 3, TOTAL) == ""
    active(window, qtbot)
    answer("Rows and time")
    QTest.keyClick(window, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: cell(window, 3, TOTAL) == "3:15", timeout=2000)
    assert "Copied 3 entries" in window.status_label.text()


def test_a_row_added_through_the_picker_takes_time(
    window: WeekWindow, seeded: Seeded, qtbot: QtBot
) -> None:
    def fill() -> None:
        dialog = window.dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, fill)
            return
        dialog.picker.set_selection(seeded.internal.id, None, "Internal")
        dialog.description.setText("Planning")
        dialog.accept()

    QTimer.singleShot(10, fill)
    QTest.keyClick(window, Qt.Key.Key_N, CTRL)
    assert "Internal - Planning" in labels(window)
    row = labels(window).index("Internal - Planning")
    assert window.table.currentIndex().row() == row
    active(window, qtbot)
    type_in(window, qtbot, row, 4, "1:30")
    qtbot.waitUntil(lambda: cell(window, row, 4) == "1:30", timeout=2000)


def test_the_running_timer_counts_live_and_other_weeks_do_not_refresh(
    window: WeekWindow, seeded: Seeded, controller: Controller, clock: FakeClock
) -> None:
    clock.now = at(17)
    controller.act(Start("Focus"))
    clock.now = at(18)
    window.refresh()
    focus = labels(window).index("(no project) - Focus")
    assert cell(window, focus, 1) == "▶ 1:00"
    assert window._ticker.isActive()  # noqa: SLF001 - the running cell is read every 30 s
    before = window.model.sheet
    controller.act(Add(at(9, days=14), at(10, days=14), "Far away"))
    assert window.model.sheet is before  # a day it does not show: not read again
    window.hide()
    assert not window._ticker.isActive()  # noqa: SLF001 - a hidden window does not tick


def test_day_headers_mark_holidays_and_time_off() -> None:
    day = MONDAY
    holiday = DayPlan(day, True, 28800, holiday="New Year")
    assert day_header(day, holiday) == ("Mon 2\nHoliday", "Monday, 2 March 2026\nHoliday: New Year")
    half = DayPlan(day, True, 28800, time_off=(TimeOffMark("Vacation", 14400, "APPROVED", True),))
    shown, tip = day_header(day, half)
    assert shown == "Mon 2\n4:00 · off"
    assert "Time off (Vacation, half day, approved)" in tip


def test_ctrl_w_in_the_today_window_asks_for_the_timesheet(
    controller: Controller, qtbot: QtBot
) -> None:
    today = TodayWindow(controller)
    qtbot.addWidget(today)
    today.show()
    qtbot.waitExposed(today)
    today.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is today, timeout=2000)
    with qtbot.waitSignal(today.open_week, timeout=1000):
        QTest.keyClick(today, Qt.Key.Key_W, CTRL)


def test_extra_rows_are_kept_per_week(window: WeekWindow, seeded: Seeded) -> None:
    window._extra[window.week_start] = [RowKey(None, None, "Later")]  # noqa: SLF001
    window.refresh()
    assert "(no project) - Later" in labels(window)
    window.next_week()
    assert labels(window) == ["Total"]


def test_rows_added_by_hand_go_with_a_workspace_switch(
    window: WeekWindow, controller: Controller
) -> None:
    window._extra[window.week_start] = [RowKey(None, None, "Later")]  # noqa: SLF001
    window.refresh()
    assert "(no project) - Later" in labels(window)
    controller.changed.emit(Changes(account=True))
    assert "(no project) - Later" not in labels(window)


def test_tab_commits_and_moves_to_the_next_day(window: WeekWindow, qtbot: QtBot) -> None:
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(2, 2))
    QTest.keyClicks(window.table, "1")
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=1000)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QTest.keyClicks(editor, "h")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: cell(window, 2, 2) == "1:00", timeout=2000)
    assert window.table.currentIndex().column() == 3
