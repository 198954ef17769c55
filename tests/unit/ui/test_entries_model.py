"""The Today table's model: Qt's model rules, text per cell, edits through the controller."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.unit.ui.conftest import Seeded, at
from tracker.bridge.controller import Controller
from tracker.services import Tracker
from tracker.services.requests import Add, Discard, Start
from tracker.store import Store
from tracker.ui.delegates import EntryDelegate
from tracker.ui.entries_model import Column, EntriesModel


def loaded(controller: Controller) -> EntriesModel:
    model = EntriesModel(controller)
    model.load(controller.day(), controller.zone(), controller.now())
    return model


def cell(
    model: EntriesModel, row: int, column: Column, role: int = Qt.ItemDataRole.DisplayRole
) -> object:
    return model.data(model.index(row, column), role)


def test_qt_model_rules_with_entries_empty_and_after_refresh(
    controller: Controller, seeded: Seeded, qtmodeltester: ModelTester
) -> None:
    model = loaded(controller)
    qtmodeltester.check(model)
    controller.act(Add(at(15), at(16), "More"))
    model.load(controller.day(), controller.zone(), controller.now())
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    empty = controller.day(controller.today() - timedelta(days=3))
    model.load(empty, controller.zone(), controller.now())
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_cells_are_plain_strings(controller: Controller, seeded: Seeded) -> None:
    model = loaded(controller)
    row = [cell(model, 0, c) for c in Column]
    assert row == ["", "Write report", "Website: Design", "deep work", "09:00", "10:30", "1:30"]
    assert cell(model, 0, Column.START, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert cell(model, 0, Column.PROJECT, Qt.ItemDataRole.DecorationRole) is not None
    assert not model.flags(model.index(0, Column.STATE)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, Column.DURATION)) & Qt.ItemFlag.ItemIsEditable


def test_edits_go_through_the_controller(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    model = loaded(controller)
    first = seeded.entries[0].id
    with qtbot.waitSignal(controller.changed, timeout=500):
        assert model.setData(model.index(0, Column.DURATION), "2h")
    assert controller.entry_view(first).duration == timedelta(hours=2)

    def edit(column: Column, typed: str) -> None:
        assert model.setData(model.index(0, column), typed)
        model.load(controller.day(), controller.zone(), controller.now())

    edit(Column.PROJECT, "internal")
    view = controller.entry_view(first)
    assert (view.project, view.task) == ("Internal", None)
    edit(Column.PROJECT, "Website: Design")
    view = controller.entry_view(first)
    assert (view.project, view.task) == ("Website", "Design")
    edit(Column.TAGS, "meeting, deep work")
    assert controller.entry_view(first).tags == ("deep work", "meeting")
    edit(Column.START, "8:45")
    assert controller.entry_view(first).entry.start == at(8, 45)
    edit(Column.END, "-1h")  # relative to now (17:00)
    assert controller.entry_view(first).entry.end == at(16)
    edit(Column.PROJECT, "")
    assert controller.entry_view(first).project is None


def test_an_unchanged_value_makes_no_edit(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    model = loaded(controller)
    with qtbot.assertNotEmitted(controller.changed):
        assert model.setData(model.index(0, Column.DESCRIPTION), "Write report ")


def test_unreadable_or_refused_values_change_nothing(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    model = loaded(controller)
    with qtbot.waitSignal(model.refused, timeout=500) as refused:
        assert not model.setData(model.index(0, Column.DURATION), "soon")
    assert "1h30" in refused.args[0]
    with qtbot.waitSignal(controller.failed, timeout=500):
        assert not model.setData(model.index(0, Column.PROJECT), "Nonexistent")
    assert controller.entry_view(seeded.entries[0].id).project == "Website"


def test_a_running_entry_ticks_without_reading_the_store(
    controller: Controller, seeded: Seeded, clock: FakeClock, qtbot: QtBot
) -> None:
    controller.act(Start("Now", at=at(16, 30)))
    model = loaded(controller)
    row = model.rowCount() - 1
    assert cell(model, row, Column.END) == "running"
    assert cell(model, row, Column.DURATION) == "0:30:00"
    clock.advance(seconds=65)
    with qtbot.waitSignal(model.dataChanged, timeout=500):
        grown = model.tick(clock.now)
    assert grown == timedelta(minutes=1)  # totals count shown minutes: 16:30 to 17:01
    assert cell(model, row, Column.DURATION) == "0:31:05"


def test_a_parked_rows_tooltip_says_why_in_plain_text(
    controller: Controller, tracker: Tracker, store: Store, clock: FakeClock
) -> None:
    entry = tracker.entries.add(at(9), at(10), "<b>x</b>")
    row = store.entries.get(entry.id)
    assert row is not None
    store.entries.park(entry.id, "Project is <i>required</i>", sent_version=row.version)
    model = loaded(controller)
    tip = cell(model, 0, Column.DESCRIPTION, Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str)
    assert "<b>x</b>" not in tip
    assert "<i>" not in tip
    shown = QTextDocument()
    shown.setHtml(tip)
    plain = shown.toPlainText()
    assert "<b>x</b>" in plain
    assert "Project is <i>required</i>" in plain
    assert "Edit the entry to fix it; it is sent again after the change." in plain
    assert cell(model, 0, Column.DESCRIPTION) == "<b>x</b>"


def test_entries_across_midnight_are_marked(controller: Controller, tracker: Tracker) -> None:
    tracker.entries.add(at(22, days=-1), at(1), "Night")
    tracker.entries.add(at(23), at(2, days=1), "Late")
    model = loaded(controller)
    assert cell(model, 0, Column.START) == "← 22:00"
    assert cell(model, 1, Column.END) == "02:00 →"
    # Tomorrow 03:00 is in the future: asked first, kept when typed again.
    assert not model.setData(model.index(1, Column.END), "3:00")
    assert model.refused_edit
    assert model.setData(model.index(1, Column.END), "3:00")  # stays on the day it ends
    assert controller.entry_view(model.entry(1).entry.id).entry.end == at(3, days=1)


def test_three_hundred_entries_load_fast(controller: Controller, tracker: Tracker) -> None:
    import time

    for n in range(300):
        start = at(0) + timedelta(minutes=4 * n)
        tracker.entries.add(start, start + timedelta(minutes=3), f"Entry {n}")
    day = controller.day()
    model = EntriesModel(controller)
    began = time.perf_counter()
    model.load(day, controller.zone(), controller.now())
    for row in range(model.rowCount()):
        for column in Column:
            model.data(model.index(row, column))
            model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
    assert model.rowCount() == 300
    assert time.perf_counter() - began < 0.5


def test_a_started_or_discarded_timer_adds_or_removes_a_row_without_a_reset(
    controller: Controller, seeded: Seeded, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    model = loaded(controller)
    qtmodeltester.check(model)
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.waitSignal(model.rowsInserted, timeout=500),
    ):
        controller.act(Start("Focus"))
        model.load(controller.day(), controller.zone(), controller.now())
    assert cell(model, 3, Column.DESCRIPTION) == "Focus"
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.waitSignal(model.rowsRemoved, timeout=500),
    ):
        controller.act(Discard())
        model.load(controller.day(), controller.zone(), controller.now())
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_the_delegate_paints_each_cell_as_the_roles_say(
    controller: Controller, tracker: Tracker, store: Store, seeded: Seeded
) -> None:
    """The delegate fills a cell's look in one call; Qt's own way (role by role) agrees."""
    parked = tracker.entries.add(at(16), at(16, 30), "two\nlines")
    row = store.entries.get(parked.id)
    assert row is not None
    store.entries.park(parked.id, "refused", sent_version=row.version)
    model = loaded(controller)
    fast, plain = EntryDelegate(None, list), QStyledItemDelegate()
    for number in range(model.rowCount()):
        for column in Column:
            index = model.index(number, column)
            ours, qts = QStyleOptionViewItem(), QStyleOptionViewItem()
            fast.initStyleOption(ours, index)
            plain.initStyleOption(qts, index)
            assert (ours.text, ours.features, ours.displayAlignment) == (
                qts.text,
                qts.features,
                qts.displayAlignment,
            )
            assert ours.font == qts.font
            assert ours.icon.cacheKey() == qts.icon.cacheKey()
            assert ours.backgroundBrush == qts.backgroundBrush
