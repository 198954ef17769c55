"""The Today window does not surprise: the running timer, Delete, errors that go when fixed,
entries that share time or end in the future, a banner that never moves the rows, a narrow
window, and lengths that agree with the times shown."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.unit.ui.conftest import Seeded, at
from tests.unit.ui.test_today import (
    ALT,
    go_to,
    open_editor,
    press_enter,
    press_enter_refused,
    shown_text,
    window,
)
from tracker.bridge.controller import Controller
from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.domain.model import Profile
from tracker.services.requests import Add, Edit, Start
from tracker.store import Store
from tracker.ui.entries_model import NO_DESCRIPTION, OVERLAP_BACKGROUND, Column
from tracker.ui.today import MINIMUM_SIZE, TodayWindow

__all__ = ["window"]  # the fixture, shared with test_today


def descriptions(window: TodayWindow) -> list[str]:
    model = window.model
    return [model.entry(n).entry.description for n in range(model.rowCount())]


def answer_question(button: str) -> list[str]:
    """Click ``button`` in the next question box once it shows; returns its text (filled
    in when it showed)."""
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


def test_the_running_timer_is_not_listed_on_days_to_come(
    window: TodayWindow, seeded: Seeded, controller: Controller
) -> None:
    controller.act(Start("Running"))
    window.refresh()
    assert descriptions(window)[-1] == "Running"
    for _ in range(3):
        window.commands.next_day()
        assert descriptions(window) == []
        assert window.stack.currentWidget() is window.empty_label
        assert window.total_label.full_text().startswith("Day 0:00")


def test_after_delete_the_cursor_skips_the_running_timer(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(Start("Running"))
    window.refresh()
    go_to(window, 2, Column.DESCRIPTION)  # Review, right before the running timer
    window.commands.delete.trigger()
    chosen = window.selected_entry()
    assert chosen is not None
    assert chosen.entry.description == "Standup"  # not the running timer below
    window.commands.delete.trigger()  # a second Delete takes Standup, never the timer
    assert descriptions(window) == ["Write report", "Running"]
    running = controller.running()
    assert running is not None
    assert running.description == "Running"


def test_after_deleting_the_last_finished_entry_nothing_is_selected(
    window: TodayWindow, controller: Controller, clock: FakeClock
) -> None:
    controller.act(Add(at(9), at(10), "Only"))
    controller.act(Start("Running"))
    window.refresh()
    go_to(window, 0, Column.DESCRIPTION)
    window.commands.delete.trigger()
    assert descriptions(window) == ["Running"]
    assert window.selected_entry() is None
    window.commands.delete.trigger()  # nothing chosen: nothing happens
    assert controller.running() is not None


def test_deleting_the_running_timer_is_asked_first(
    window: TodayWindow, seeded: Seeded, controller: Controller, clock: FakeClock
) -> None:
    controller.act(Start("Running"))
    clock.advance(minutes=12, seconds=5)
    window.refresh()
    go_to(window, 3, Column.DESCRIPTION)
    asked = answer_question("Cancel")
    window.commands.delete.trigger()
    assert asked == ["“Running” is the running timer. Discard it and the 0:12:05 it has run?"]
    assert controller.running() is not None
    answer_question("Discard timer")
    window.commands.delete.trigger()
    assert controller.running() is None
    assert descriptions(window) == ["Write report", "Standup", "Review"]
    assert "Deleted “Running”" in window.status_label.text()


def test_an_end_in_the_future_is_asked_about_in_the_cell(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 2, Column.END)  # Review 13:00-14:15; it is 17:00
    editor = open_editor(window, qtbot)
    editor.selectAll()
    editor.insert("23:00")
    press_enter_refused(window, editor, qtbot)
    assert window.status_label.text() == (
        "That makes the entry end in the future, at 23:00. Press Enter again to keep it, "
        "or correct it."
    )
    assert controller.entry_view(seeded.entries[2].id).entry.end == at(14, 15)
    press_enter(window, editor, qtbot)  # the same again: meant
    assert controller.entry_view(seeded.entries[2].id).entry.end == at(23)
    assert window.status_label.text() == ""


def test_an_edit_that_goes_through_clears_the_refusal_shown(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 0, Column.DURATION)
    editor = open_editor(window, qtbot)
    editor.selectAll()
    editor.insert("soon")
    press_enter_refused(window, editor, qtbot)
    assert "not a duration" in window.status_label.text()
    editor.selectAll()
    editor.insert("1h")
    press_enter(window, editor, qtbot)
    assert window.status_label.text() == ""
    assert shown_text(window, 0, Column.DURATION) == "1:00"


def test_the_refused_banner_goes_once_the_refused_entry_is_edited(
    window: TodayWindow, seeded: Seeded, controller: Controller, store: Store
) -> None:
    entry = seeded.entries[0]
    row = store.entries.get(entry.id)
    assert row is not None
    store.entries.park(entry.id, "Project is required", sent_version=row.version)
    window.set_sync_status(SyncStatus(SyncPhase.ATTENTION, parked=1))
    window.refresh()
    assert window.sync_banner.isVisible()
    controller.act(Edit(entry.id, description="Write the report"))
    assert not window.sync_banner.isVisible()


def test_entries_that_share_time_are_marked(
    window: TodayWindow, seeded: Seeded, controller: Controller
) -> None:
    controller.act(Add(at(10), at(10, 45), "Call"))  # inside Write report and Standup
    window.refresh()
    model = window.model
    assert descriptions(window) == ["Write report", "Call", "Standup", "Review"]
    for row in (0, 1, 2):
        brush = model.data(model.index(row, Column.START), Qt.ItemDataRole.BackgroundRole)
        assert brush is not None
        assert brush.color() == OVERLAP_BACKGROUND
    assert model.data(model.index(3, Column.START), Qt.ItemDataRole.BackgroundRole) is None
    tip = str(model.data(model.index(1, Column.DESCRIPTION), Qt.ItemDataRole.ToolTipRole))
    assert "Shares time with “Write report” (09:00 to 10:30)" in tip
    assert "Shares time with “Standup” (10:30 to 11:00)" in tip


def test_an_entry_without_description_says_so_greyed(
    window: TodayWindow, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(Add(at(9), at(10), ""))
    window.refresh()
    model = window.model
    index = model.index(0, Column.DESCRIPTION)
    assert model.data(index) == NO_DESCRIPTION
    brush = model.data(index, Qt.ItemDataRole.ForegroundRole)
    assert brush is not None
    assert brush.color() == QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    assert model.look(0, Column.DESCRIPTION).placeholder
    go_to(window, 0, Column.DESCRIPTION)
    editor = open_editor(window, qtbot)
    assert editor.text() == ""  # the stand-in is not typed over
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(
        lambda: window.table.state() != QAbstractItemView.State.EditingState, timeout=1000
    )


def test_the_sync_banner_never_moves_the_rows(
    window: TodayWindow, seeded: Seeded, qtbot: QtBot
) -> None:
    window.refresh()
    table = window.table

    def first_row() -> QPoint:
        rect = table.visualRect(window.model.index(0, Column.DESCRIPTION))
        return table.viewport().mapTo(window, rect.topLeft())

    before = first_row()
    window.set_sync_status(
        SyncStatus(SyncPhase.OFFLINE, message="Clockify cannot be reached.", pending=3)
    )
    qtbot.waitUntil(window.sync_banner.isVisible, timeout=1000)
    QApplication.processEvents()
    assert first_row() == before
    window.set_sync_status(SyncStatus(SyncPhase.SYNCED))
    QApplication.processEvents()
    assert first_row() == before


def test_the_narrowest_window_never_overlaps_its_header(
    window: TodayWindow, seeded: Seeded, qtbot: QtBot, store: Store
) -> None:
    store.meta.save_profile(
        Profile(time_zone="America/Argentina/Buenos_Aires", daily_capacity=timedelta(hours=8))
    )
    window.refresh()
    assert window.minimumSizeHint().width() <= MINIMUM_SIZE.width()
    window.resize(MINIMUM_SIZE)
    qtbot.waitUntil(lambda: window.width() == MINIMUM_SIZE.width(), timeout=1000)
    QApplication.processEvents()
    labels = (window.date_label, window.total_label, window.zone_label)
    for label in labels:
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
        assert label.geometry().right() <= window.width()
    date, total, zone = (label.geometry() for label in labels)
    assert not date.intersects(total)
    assert not total.intersects(zone)
    assert not date.intersects(window.progress.geometry())
    assert window.date_label.text() != window.date_label.full_text()  # cut, not hidden
    assert window.date_label.full_text() in window.date_label.toolTip()


def test_lengths_and_totals_agree_with_the_times_shown(
    window: TodayWindow, controller: Controller
) -> None:
    controller.act(Add(at(8, 45) + timedelta(seconds=40), at(9, 15) + timedelta(seconds=10), "Cut"))
    window.refresh()
    assert [shown_text(window, 0, c) for c in (Column.START, Column.END, Column.DURATION)] == [
        "08:45",
        "09:15",
        "0:30",
    ]
    assert window.total_label.full_text().startswith("Day 0:30")


def test_keys_reach_the_table_after_an_empty_day(
    window: TodayWindow, controller: Controller
) -> None:
    """Opened on an empty day the table is hidden, so the focus lands on a header button;
    moving to a day with entries gives the keys back to the table."""
    controller.act(Add(at(9, days=-1), at(10, days=-1), "A"))
    controller.act(Add(at(11, days=-1), at(12, days=-1), "B"))
    window.refresh()
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Left, ALT)
    assert descriptions(window) == ["A", "B"]
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_End)
    assert window.table.currentIndex().column() == Column.DURATION


def test_adding_on_a_day_to_come_is_asked_first(
    window: TodayWindow, controller: Controller
) -> None:
    window.commands.next_day()
    asked = answer_question("Cancel")
    window.commands.add.trigger()
    assert asked == ["Tuesday, 3 March is still to come. Add an entry on it anyway?"]
    assert descriptions(window) == []
    answer_question("Add entry")
    window.commands.add.trigger()
    added = controller.day(window.shown_day).entries
    assert [(e.entry.start, e.entry.end) for e in added] == [(at(9, days=1), at(9, 30, days=1))]


def test_a_narrow_table_keeps_room_for_the_description(
    window: TodayWindow, seeded: Seeded, qtbot: QtBot
) -> None:
    # At scale 2 a laptop screen is 640 logical pixels wide: the project and tag columns,
    # sized for a wide window, must give way, or descriptions shrink to a few letters.
    window.refresh()
    window.resize(640, 400)
    window.show()
    qtbot.waitUntil(lambda: window.width() == 640, timeout=1000)
    QApplication.processEvents()
    table = window.table
    header = table.horizontalHeader()
    description = header.sectionSize(Column.DESCRIPTION)
    assert description >= header.sectionSize(Column.PROJECT) + header.sectionSize(Column.TAGS)
    window.resize(1400, 600)
    qtbot.waitUntil(lambda: window.width() == 1400, timeout=1000)
    QApplication.processEvents()
    wide = table.horizontalHeader().sectionSize(Column.PROJECT)
    assert wide == table.fontMetrics().horizontalAdvance("M") * 20  # room enough: full width
