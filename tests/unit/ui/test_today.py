"""The Today window, driven from the keyboard on the real table and a real store."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.unit.ui.conftest import Seeded, at
from tracker.bridge.controller import Controller
from tracker.services import Tracker
from tracker.services.requests import Add, Delete, Edit, Start, Toggle
from tracker.services.views import DayView
from tracker.store import Store
from tracker.ui.editor import EntryEditor
from tracker.ui.entries_model import Column
from tracker.ui.picker import ProjectPicker
from tracker.ui.today import EMPTY_TEXT, TodayWindow

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(controller: Controller, qtbot: QtBot) -> TodayWindow:
    shown = TodayWindow(controller)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown, timeout=2000)
    return shown


def go_to(window: TodayWindow, row: int, column: Column) -> None:
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(row, column))


def open_editor(window: TodayWindow, qtbot: QtBot) -> QLineEdit:
    """The line edit that Enter opened on the current cell."""
    QTest.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=1000)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert window.table.state() == QAbstractItemView.State.EditingState
    return editor


def press_enter(window: TodayWindow, editor: QLineEdit, qtbot: QtBot) -> None:
    """Enter in an editor commits on the next turn of the event loop."""
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.table.state() != QAbstractItemView.State.EditingState, timeout=1000
    )


def shown_text(window: TodayWindow, row: int, column: Column) -> object:
    return window.model.data(window.model.index(row, column))


def test_typing_a_duration_sets_the_entry_in_the_store(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 2, Column.DURATION)  # Review, 13:00-14:15
    editor = open_editor(window, qtbot)
    assert editor.text() == "1:15"
    editor.selectAll()
    QTest.keyClicks(editor, "1h30")
    press_enter(window, editor, qtbot)
    entry = controller.entry_view(seeded.entries[2].id).entry
    assert entry.end is not None
    assert entry.end - entry.start == timedelta(minutes=90)
    qtbot.waitUntil(lambda: shown_text(window, 2, Column.END) == "14:30", timeout=1000)
    assert shown_text(window, 2, Column.DURATION) == "1:30"


def test_tab_commits_and_moves_to_the_next_cell(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 0, Column.DESCRIPTION)
    editor = open_editor(window, qtbot)
    QTest.keyClicks(editor, "Write the report")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    assert controller.entry_view(seeded.entries[0].id).entry.description == "Write the report"
    qtbot.waitUntil(lambda: window.table.currentIndex().column() == Column.PROJECT, timeout=1000)
    assert window.table.state() == QAbstractItemView.State.EditingState
    project_editor = QApplication.focusWidget()
    assert isinstance(project_editor, QLineEdit)
    assert project_editor.text() == "Website: Design"
    QTest.keyClick(project_editor, Qt.Key.Key_Escape)
    assert window.table.state() != QAbstractItemView.State.EditingState


def test_escape_cancels(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 1, Column.DESCRIPTION)
    editor = open_editor(window, qtbot)
    QTest.keyClicks(editor, "zzz")
    with qtbot.assertNotEmitted(controller.changed):
        QTest.keyClick(editor, Qt.Key.Key_Escape)
    assert controller.entry_view(seeded.entries[1].id).entry.description == "Standup"
    assert shown_text(window, 1, Column.DESCRIPTION) == "Standup"


def press_enter_refused(window: TodayWindow, editor: QLineEdit, qtbot: QtBot) -> None:
    """Enter on a refused text: the editor stays open with the text, focused."""
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(50)  # the delegate commits and would close on the next turn
    assert window.table.state() == QAbstractItemView.State.EditingState
    assert QApplication.focusWidget() is editor


def test_a_refused_edit_keeps_its_editor_open_to_correct_it(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 0, Column.END)
    editor = open_editor(window, qtbot)
    editor.selectAll()
    QTest.keyClicks(editor, "8:00")  # before the 9:00 start
    with qtbot.assertNotEmitted(controller.changed):
        press_enter_refused(window, editor, qtbot)
    assert editor.text() == "8:00"  # kept, to be corrected
    assert window.status_label.text() == "The end is before the start."
    assert window.status_label.isVisible()
    assert controller.entry_view(seeded.entries[0].id).entry.end == at(10, 30)
    assert shown_text(window, 0, Column.END) == "10:30"
    editor.selectAll()
    QTest.keyClicks(editor, "10:45")
    press_enter(window, editor, qtbot)
    assert controller.entry_view(seeded.entries[0].id).entry.end == at(10, 45)
    assert window.status_label.text() == ""  # the error went with its cause


def test_an_unreadable_time_is_explained_and_esc_gives_up(
    window: TodayWindow, seeded: Seeded, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 0, Column.START)
    editor = open_editor(window, qtbot)
    editor.selectAll()
    QTest.keyClicks(editor, "half past")
    press_enter_refused(window, editor, qtbot)
    assert "cannot read 'half past' as a time" in window.status_label.text()
    assert editor.text() == "half past"
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(
        lambda: window.table.state() != QAbstractItemView.State.EditingState, timeout=1000
    )
    assert shown_text(window, 0, Column.START) == "09:00"


def test_delete_then_undo(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 2, Column.DESCRIPTION)
    QTest.keyClick(window.table, Qt.Key.Key_Delete)
    assert [e.entry.description for e in controller.day().entries] == ["Write report", "Standup"]
    assert window.model.rowCount() == 2
    assert "Deleted “Review” (13:00 to 14:15)" in window.status_label.text()
    assert window.undo_link.isVisible()
    QTest.keyClick(window.table, Qt.Key.Key_Z, CTRL)
    assert [e.entry.description for e in controller.day().entries] == [
        "Write report",
        "Standup",
        "Review",
    ]
    assert window.model.rowCount() == 3
    assert window.status_label.text().startswith("Undid delete of")
    assert not window.undo_link.isVisible()


def test_the_undo_link_undoes_too(
    window: TodayWindow, seeded: Seeded, controller: Controller
) -> None:
    window.refresh()
    go_to(window, 0, Column.DESCRIPTION)
    window.commands.delete.trigger()
    assert window.model.rowCount() == 2
    window.undo_link.linkActivated.emit("undo")
    assert window.model.rowCount() == 3


def test_add_goes_in_the_first_free_half_hour_and_edits_its_description(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    QTest.keyClick(window.table, Qt.Key.Key_N, CTRL)
    entries = controller.day().entries
    assert len(entries) == 4
    added = entries[2].entry  # between Standup (ends 11:00) and Review (13:00)
    assert (added.start, added.end) == (at(11), at(11, 30))
    assert not any(e.overlaps for e in entries)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=1000)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QTest.keyClicks(editor, "Lunch")
    press_enter(window, editor, qtbot)
    assert controller.entry_view(added.id).entry.description == "Lunch"


def test_add_on_an_empty_day_takes_the_last_half_hour(
    window: TodayWindow, controller: Controller
) -> None:
    window.commands.add.trigger()
    added = controller.day().entries[0].entry
    assert (added.start, added.end) == (at(16, 30), at(17))


def test_split_at_a_typed_time(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 0, Column.DESCRIPTION)
    QTest.keyClick(window.table, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.prompt_box.isVisible()
    assert window.prompt.text() == "09:45"
    window.prompt.selectAll()
    QTest.keyClicks(window.prompt, "10:00")
    QTest.keyClick(window.prompt, Qt.Key.Key_Return)
    assert not window.prompt_box.isVisible()
    spans = [(e.entry.start, e.entry.end) for e in controller.day().entries]
    assert spans[:2] == [(at(9), at(10)), (at(10), at(10, 30))]
    assert window.model.rowCount() == 4


def test_split_prompt_escape_cancels(
    window: TodayWindow, seeded: Seeded, controller: Controller
) -> None:
    window.refresh()
    go_to(window, 0, Column.DESCRIPTION)
    window.commands.split.trigger()
    QTest.keyClick(window.prompt, Qt.Key.Key_Escape)
    assert not window.prompt_box.isVisible()
    assert len(controller.day().entries) == 3


def test_fill_gap_before_the_selected_entry(
    window: TodayWindow, seeded: Seeded, controller: Controller
) -> None:
    window.refresh()
    go_to(window, 2, Column.DESCRIPTION)  # Review at 13:00; Standup ended 11:00
    QTest.keyClick(window.table, Qt.Key.Key_G, CTRL)
    spans = [(e.entry.start, e.entry.end) for e in controller.day().entries]
    assert (at(11), at(13)) in spans
    go_to(window, 1, Column.DESCRIPTION)  # Standup follows Write report directly
    window.commands.fill.trigger()
    assert "no gap" in window.status_label.text()


def test_continue_starts_the_selected_entry_again(
    window: TodayWindow, seeded: Seeded, controller: Controller
) -> None:
    window.refresh()
    go_to(window, 1, Column.DESCRIPTION)
    QTest.keyClick(window.table, Qt.Key.Key_Return, CTRL)
    running = controller.running()
    assert running is not None
    assert running.description == "Standup"
    assert running.project_id == seeded.internal.id


def test_previous_and_next_day(window: TodayWindow, seeded: Seeded, controller: Controller) -> None:
    window.refresh()
    today = controller.today()
    assert "Monday, 2 March 2026" in window.date_label.text()
    QTest.keyClick(window.table, Qt.Key.Key_Left, ALT)
    assert window.shown_day == today - timedelta(days=1)
    assert window.stack.currentWidget() is window.empty_label
    assert window.empty_label.text() == EMPTY_TEXT
    assert "Sunday, 1 March 2026" in window.date_label.text()
    QTest.keyClick(window, Qt.Key.Key_Right, ALT)
    QTest.keyClick(window, Qt.Key.Key_Right, ALT)
    assert window.shown_day == today + timedelta(days=1)
    QTest.keyClick(window, Qt.Key.Key_Home, ALT)
    assert window.shown_day == today
    assert window.stack.currentWidget() is window.table
    assert window.model.rowCount() == 3


def test_header_totals_against_capacity(window: TodayWindow, seeded: Seeded) -> None:
    window.refresh()
    assert window.total_label.text().startswith("Day 3:15 of 8:00")
    assert "Week 3:15" in window.total_label.text()
    assert window.progress.isVisible()
    assert window.progress.value() == 195
    assert window.zone_label.text() == "UTC"


def test_a_running_entry_ticks_only_while_shown(
    window: TodayWindow, seeded: Seeded, controller: Controller, clock: FakeClock, qtbot: QtBot
) -> None:
    controller.act(Start("Focus", at=at(16, 50)))
    window.refresh()
    row = window.model.rowCount() - 1
    assert shown_text(window, row, Column.DURATION) == "0:10:00"
    assert window._ticker.isActive()
    clock.advance(seconds=7)
    qtbot.waitUntil(lambda: shown_text(window, row, Column.DURATION) == "0:10:07", timeout=3000)
    assert window.total_label.text().startswith("Day 3:25 of 8:00")
    window.hide()
    assert not window._ticker.isActive()
    controller.act(Add(at(6), at(7), "While hidden"))
    assert not window._refresh_soon.isActive()  # a hidden window does not re-read
    window.show()
    qtbot.waitExposed(window)
    assert window.model.rowCount() == 5
    assert window._ticker.isActive()


def test_without_a_running_entry_nothing_ticks(window: TodayWindow, seeded: Seeded) -> None:
    window.refresh()
    assert not window._ticker.isActive()


def test_changes_elsewhere_are_shown(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    controller.act(Edit(seeded.entries[0].id, description="Renamed in the tray"))
    qtbot.waitUntil(
        lambda: shown_text(window, 0, Column.DESCRIPTION) == "Renamed in the tray", timeout=1000
    )


def test_a_parked_row_is_marked_and_says_why(
    window: TodayWindow, tracker: Tracker, store: Store
) -> None:
    entry = tracker.entries.add(at(9), at(10), "<b>x</b>")
    row = store.entries.get(entry.id)
    assert row is not None
    store.entries.park(entry.id, "Task is required", sent_version=row.version)
    window.refresh()
    index = window.model.index(0, Column.STATE)
    tip = window.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;x&lt;/b&gt;" in tip
    assert "Task is required" in tip
    assert window.model.data(index, Qt.ItemDataRole.BackgroundRole) is not None


def test_ctrl_e_and_double_click_on_the_marker_open_the_editor(
    window: TodayWindow, seeded: Seeded, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 1, Column.DESCRIPTION)
    QTest.keyClick(window.table, Qt.Key.Key_E, CTRL)
    editors = window.findChildren(EntryEditor)
    assert len(editors) == 1
    assert editors[0].description.text() == "Standup"
    editors[0].reject()
    qtbot.waitUntil(lambda: not window.findChildren(EntryEditor), timeout=1000)
    window.table.doubleClicked.emit(window.model.index(2, Column.STATE))
    editors = window.findChildren(EntryEditor)
    assert [e.description.text() for e in editors] == ["Review"]
    editors[0].reject()


def test_the_sync_banner_shows_only_what_needs_the_person(
    window: TodayWindow, controller: Controller, qtbot: QtBot
) -> None:
    from tracker.bridge.status import SyncPhase, SyncStatus

    window.set_sync_status(SyncStatus(SyncPhase.SYNCED))
    assert not window.sync_banner.isVisible()

    window.set_sync_status(SyncStatus(SyncPhase.OFFLINE, "Connection refused", pending=3))
    assert window.sync_banner.isVisible()
    assert window.sync_label.text().startswith("3 changes wait to be sent. Connection refused")
    with qtbot.waitSignal(controller.sync_requested, timeout=500):
        window.sync_button.click()  # Retry now

    window.set_sync_status(SyncStatus(SyncPhase.AUTH, "refused", pending=1))
    assert "API key" in window.sync_label.text()
    with qtbot.waitSignal(window.open_settings, timeout=500):
        window.sync_button.click()

    window.set_sync_status(SyncStatus(SyncPhase.ATTENTION, pending=2, parked=1))
    assert "refused 1 change:" in window.sync_label.text()
    assert not window.sync_button.isVisible()

    window.set_sync_status(SyncStatus(SyncPhase.LOCAL))
    assert not window.sync_banner.isVisible()


def test_the_banner_says_when_the_accounts_key_is_not_on_this_computer(
    window: TodayWindow, controller: Controller, qtbot: QtBot
) -> None:
    """An account is recorded but its key is not in the keyring: the worker stays local, and
    the banner says so (as the tray and Settings do), with the way to Settings."""
    from tracker.bridge.status import KEY_MISSING, SyncPhase, SyncStatus
    from tracker.services.requests import ForgetAccount

    controller.tracker.store.meta.set_account({"user_id": "u1", "name": "Ann", "email": "a@b"})
    window.set_sync_status(SyncStatus(SyncPhase.LOCAL, KEY_MISSING, pending=2))
    assert window.sync_banner.isVisible()
    assert window.sync_label.text() == (
        f"2 changes wait to be sent. {KEY_MISSING} Changes made now are kept here and sent "
        "once it is."
    )
    assert window.sync_button.text() == "Settings…"
    with qtbot.waitSignal(window.open_settings, timeout=500):
        window.sync_button.click()
    red = window.sync_banner.palette().color(window.sync_banner.backgroundRole())
    assert red.red() > red.green()  # needs the person, as a refused key

    controller.act(ForgetAccount())  # local-only now: nothing is missing
    assert not window.sync_banner.isVisible()


def count_reads(controller: Controller, monkeypatch: pytest.MonkeyPatch) -> list[date | None]:
    """Record every day the window reads from the store (whole, or again for the entries a
    change wrote)."""
    reads: list[date | None] = []
    real, again = controller.day, controller.day_again

    def counted(day: date | None = None) -> DayView:
        reads.append(day)
        return real(day)

    def counted_again(shown: DayView, ids: Collection[str]) -> DayView:
        reads.append(shown.day)
        return again(shown, ids)

    monkeypatch.setattr(controller, "day", counted)
    monkeypatch.setattr(controller, "day_again", counted_again)
    return reads


def settle(qtbot: QtBot) -> None:
    """Let the deferred re-read run (it waits for the event loop)."""
    qtbot.wait(20)


def test_one_action_reads_the_day_once(
    window: TodayWindow,
    seeded: Seeded,
    controller: Controller,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.refresh()
    reads = count_reads(controller, monkeypatch)
    controller.act(Toggle())  # from the tray: the window follows
    settle(qtbot)
    assert len(reads) == 1
    go_to(window, 0, Column.DESCRIPTION)
    window.commands.delete.trigger()  # from the window itself: shown at once, read once
    assert window.model.rowCount() == 3
    settle(qtbot)
    assert len(reads) == 2


def test_changes_elsewhere_in_time_or_of_other_things_are_not_read(
    window: TodayWindow,
    seeded: Seeded,
    controller: Controller,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.refresh()
    reads = count_reads(controller, monkeypatch)
    controller.act(Add(at(9, days=-10), at(10, days=-10), "Long ago"))
    controller.save_preferences(controller.preferences().with_changes(left_click="toggle"))
    settle(qtbot)
    assert reads == []
    with qtbot.assertNotEmitted(window.model.dataChanged):
        controller.act(Add(at(9, days=2), at(10, days=2), "Wednesday"))  # in the week total
        settle(qtbot)
    assert reads == []  # Monday's rows are not read again: only the week's total moved
    assert "Week 4:15" in window.total_label.text()
    controller.act(Add(at(15), at(16), "Monday"))  # the day shown
    settle(qtbot)
    assert len(reads) == 1
    assert "Week 5:15" in window.total_label.text()


def test_a_hidden_window_reads_only_when_shown(
    window: TodayWindow,
    seeded: Seeded,
    controller: Controller,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.refresh()
    window.hide()
    reads = count_reads(controller, monkeypatch)
    for _ in range(3):
        controller.act(Toggle())
    settle(qtbot)
    assert reads == []
    window.show()
    qtbot.waitExposed(window)
    assert len(reads) == 1


def _cell_picker(window: TodayWindow, qtbot: QtBot) -> ProjectPicker:
    """The project cell's picker, opened with Enter (its list floats below the cell)."""
    QTest.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=1000)
    focus = QApplication.focusWidget()
    assert focus is not None
    picker = focus.parent()
    assert isinstance(picker, ProjectPicker)
    qtbot.waitUntil(picker.is_open, timeout=1000)
    return picker


def test_the_project_cell_is_the_fuzzy_picker_and_picking_commits(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 2, Column.PROJECT)  # Review, no project
    picker = _cell_picker(window, qtbot)
    QTest.keyClicks(picker.edit, "web des")  # fuzzy, as in the popup: "Website: Design"
    assert picker.model.candidate(0).label == "Website: Design"
    QTest.keyClick(picker.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.table.state() != QAbstractItemView.State.EditingState, timeout=1000
    )
    entry = controller.entry_view(seeded.entries[2].id).entry
    assert (entry.project_id, entry.task_id) == (seeded.website.id, seeded.design.id)
    assert not picker.isVisible() or not picker.is_open()


def test_a_project_is_created_from_the_cell(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 2, Column.PROJECT)
    picker = _cell_picker(window, qtbot)
    QTest.keyClicks(picker.edit, "web fr")
    last = picker.model.rowCount() - 1
    assert picker.model.candidate(last).label == "Create project \u201cweb fr\u201d\u2026"

    def fill() -> None:
        form = picker.creator.form if picker.creator is not None else None
        if form is None or not form.isVisible():
            QTimer.singleShot(10, fill)
            return
        form.name.setText("Website Frontend")
        QTest.keyClick(form.name, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)
    picker.view.setCurrentIndex(picker.model.index(last))
    QTest.keyClick(picker.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.table.state() != QAbstractItemView.State.EditingState, timeout=1000
    )
    [made] = [p for p in controller.projects() if p.name == "Website Frontend"]
    assert controller.entry_view(seeded.entries[2].id).entry.project_id == made.id


def test_tab_in_the_project_cell_takes_the_highlighted_match(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    window.refresh()
    go_to(window, 2, Column.PROJECT)
    picker = _cell_picker(window, qtbot)
    QTest.keyClicks(picker.edit, "intern")
    QTest.keyClick(picker.edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: window.table.currentIndex().column() == Column.TAGS, timeout=1000)
    assert controller.entry_view(seeded.entries[2].id).entry.project_id == seeded.internal.id


def test_header_names_the_days_holiday_or_time_off_and_its_capacity(
    window: TodayWindow, store: Store, controller: Controller
) -> None:
    """From what is kept of Clockify (as the time-off service keeps it), no request."""
    from dataclasses import replace

    from tracker.services.timeoff_kept import (
        HolidayView,
        ProfileView,
        RequestView,
        cache_key,
    )
    from tracker.store.report_cache import ReportCache

    ws, me = "w1", "u1"
    store.meta.set_workspace_id(ws)
    store.meta.save_profile(replace(store.meta.profile(), user_id=me))
    today = controller.today()

    def keep(kind: str, items: list[dict[str, object]]) -> None:
        ReportCache(store.conn).put(cache_key(kind, ws, me), ws, {"items": items}, 0.0)

    def request(day: date, **fields: object) -> dict[str, object]:
        values: dict[str, object] = {
            "id": f"r{day.day}", "policy_id": "p1", "policy": "Vacation", "user_id": me,
            "user": "Ann", "first": day, "last": day, "half_day": False, "amount": 1.0,
            "unit": "DAYS", "status": "APPROVED",
        }  # fmt: skip
        return RequestView(**{**values, **fields}).to_json()  # type: ignore[arg-type]

    keep("profile", [ProfileView(6 * 3600, frozenset(range(5))).to_json()])
    tomorrow = today + timedelta(days=1)
    keep("holidays", [HolidayView("h1", "Founders' Day", tomorrow, tomorrow, False).to_json()])
    keep("requests", [request(today, half_day=True, amount=0.5)])
    window.plans_changed()  # as the app says once the time-off service kept new copies
    window.refresh()
    assert window.date_label.full_text() == "Monday, 2 March 2026 · today"
    assert window.day_note.full_text() == "Vacation — half day"
    assert window.total_label.text().startswith("Day 0:00 of 3:00")  # half of 6:00
    window.show_day(tomorrow)
    assert window.day_note.full_text() == "Founders' Day"
    assert window.total_label.text().startswith("Day 0:00 (day off)")
    keep("requests", [request(today + timedelta(days=2), status="PENDING")])
    window.plans_changed()
    window.show_day(today + timedelta(days=2))
    assert window.day_note.full_text() == "Vacation (asked for)"
    assert window.total_label.text().startswith("Day 0:00 of 6:00")  # not yet approved
    window.show_day(today + timedelta(days=3))
    assert not window.day_note.isVisible()


def test_entries_coming_moving_and_going_keep_the_open_editor_and_the_selection(
    window: TodayWindow, seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    """Another action (the tray, a sync) adds, moves or deletes entries of the day shown
    while a cell is being edited: the rows change one by one, never all at once."""
    window.refresh()
    model = window.model
    review = seeded.entries[2].id
    go_to(window, 2, Column.DESCRIPTION)  # Review, 13:00-14:15
    editor = open_editor(window, qtbot)
    editor.setText("Review, half-typed")
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))

    added = controller.act(Add(at(11, 30), at(12), "Call"))  # lands above Review
    assert added is not None
    shown = [model.entry(n).entry.description for n in range(model.rowCount())]
    assert shown == ["Write report", "Standup", "Call", "Review"]
    controller.act(Edit(added.id, start=at(8), end=at(8, 30)))  # moves to the top
    assert model.entry(0).entry.id == added.id
    assert window.table.state() == QAbstractItemView.State.EditingState
    assert editor.text() == "Review, half-typed"  # not refilled: Review itself did not change
    press_enter(window, editor, qtbot)
    assert controller.entry_view(review).entry.description == "Review, half-typed"

    controller.act(Delete(seeded.entries[1].id))  # Standup goes
    shown = [model.entry(n).entry.description for n in range(model.rowCount())]
    assert shown == ["Call", "Write report", "Review, half-typed"]
    assert window.table.currentIndex().row() == model.row_of(review) == 2
    assert resets == []


def test_the_weeks_total_read_for_another_day_counts_the_running_timer_to_now(
    window: TodayWindow, seeded: Seeded, controller: Controller, clock: FakeClock, qtbot: QtBot
) -> None:
    """Tuesday is shown (no timer there to tick): the week's total counts Monday's running
    timer up to the moment a change elsewhere in the week is taken in."""
    controller.act(Start("Running"))  # Monday 17:00
    window.show_day(controller.today() + timedelta(days=1))
    assert window.total_label.text().endswith("Week 3:15")
    clock.advance(minutes=30)
    controller.act(Add(at(9, days=2), at(10, days=2), "Wednesday"))
    settle(qtbot)
    assert window.total_label.text().endswith("Week 4:45")  # 3:15, the timer's 0:30, 1:00


def test_a_start_or_stop_reads_again_only_the_rows_it_wrote(
    window: TodayWindow,
    seeded: Seeded,
    controller: Controller,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long day is not read, named and laid out anew for one click: the other rows stay
    the very rows shown."""
    window.refresh()
    asked: list[Collection[str] | None] = []
    between = store.entries.between

    def spied(*args: Any, among: Collection[str] | None = None, **kwargs: Any) -> Any:
        asked.append(among)
        return between(*args, among=among, **kwargs)

    monkeypatch.setattr(store.entries, "between", spied)
    before = [window.model.entry(n) for n in range(3)]
    started = controller.act(Start("Focus"))
    assert started is not None
    assert asked == [{started.started.id}]
    assert [window.model.entry(n) for n in range(3)] == before
    assert all(window.model.entry(n) is before[n] for n in range(3))
    assert window.model.entry(3).entry.running
    controller.act(Toggle())  # stops it
    assert asked[1] == {started.started.id}
    assert window.model.day is not None
    assert window.model.day.running is None
    assert window.model.day == controller.day()  # the same as reading it whole
