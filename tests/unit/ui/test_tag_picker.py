"""The tags field of the popup and the editor: search, tick by name or box, stays open while
ticking, create what is typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import Seeded
from tracker.bridge.controller import Controller
from tracker.ui.editor import EntryEditor
from tracker.ui.popup import TimerPopup
from tracker.ui.tag_picker import TagPicker


@pytest.fixture
def popup(controller: Controller, qtbot: QtBot) -> TimerPopup:
    made = TimerPopup(controller)
    qtbot.addWidget(made)
    made.show_near(QRect(1200, 0, 24, 24))
    qtbot.waitExposed(made)
    return made


def _open(tags: TagPicker, qtbot: QtBot) -> None:
    qtbot.mouseClick(tags, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tags.is_open, timeout=1000)


def _row(tags: TagPicker, name: str) -> int:
    for row in range(tags.list.count()):
        if tags.list.item(row).text() == name:
            return row
    raise AssertionError(f"no row {name!r}")


def _click(tags: TagPicker, row: int, *, on_box: bool = False) -> None:
    rect = tags.list.visualRect(tags.list.model().index(row, 0))
    point = rect.center()
    if on_box:
        option = QStyleOptionViewItem()
        option.rect = rect
        box = tags.list.style().subElementRect(
            QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, tags.list
        )
        point = box.center() if box.isValid() else QPoint(rect.left() + 8, rect.center().y())
    QTest.mouseClick(tags.list.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_clicking_names_ticks_them_and_the_list_stays_open(
    seeded: Seeded, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    tags = popup.tags_button
    _open(tags, qtbot)
    _click(tags, _row(tags, "meeting"))
    assert tags.selected() == [seeded.meeting.id]
    assert tags.is_open()  # still open for the next tick
    _click(tags, _row(tags, "deep work"), on_box=True)
    assert tags.selected() == [seeded.meeting.id, seeded.deep_work.id]
    _click(tags, _row(tags, "meeting"))  # once more: unticked (one toggle per click)
    assert tags.selected() == [seeded.deep_work.id]
    assert tags.text() == "deep work"
    QTest.keyClick(tags.search, Qt.Key.Key_Escape)
    assert not tags.is_open()
    assert popup.isVisible()
    qtbot.keyClicks(popup.description, "Focus")
    qtbot.keyClick(popup.description, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert running.tag_ids == (seeded.deep_work.id,)


def test_search_filters_and_enter_ticks(seeded: Seeded, popup: TimerPopup, qtbot: QtBot) -> None:
    tags = popup.tags_button
    _open(tags, qtbot)
    QTest.keyClicks(tags.search, "deep")
    shown = [tags.list.item(r).text() for r in range(tags.list.count())]
    assert shown == ["deep work", "+ Create tag \u201cdeep\u201d"]
    QTest.keyClick(tags.search, Qt.Key.Key_Return)
    assert tags.selected() == [seeded.deep_work.id]
    assert tags.is_open()


def test_a_typed_name_is_created_and_ticked(
    seeded: Seeded, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    tags = popup.tags_button
    _open(tags, qtbot)
    QTest.keyClicks(tags.search, "Urgent")
    last = tags.list.count() - 1
    assert tags.list.item(last).text() == "+ Create tag \u201cUrgent\u201d"
    tags.list.setCurrentRow(last)
    QTest.keyClick(tags.search, Qt.Key.Key_Return)
    [made] = [t for t in controller.tags() if t.name == "Urgent"]
    assert tags.selected() == [made.id]
    assert tags.is_open()
    QTest.keyClicks(tags.search, "urgent")  # it exists now: no second offer
    assert not any(
        tags.list.item(r).text().startswith("+ Create") for r in range(tags.list.count())
    )


def test_the_editor_uses_the_same_tags_field(
    seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    dialog = EntryEditor(controller, seeded.entries[1].id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert isinstance(dialog.tags, TagPicker)
    _open(dialog.tags, qtbot)
    _click(dialog.tags, _row(dialog.tags, "deep work"))
    assert dialog.tags.is_open()
    QTest.keyClick(dialog.tags.search, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=500):
        dialog.save()
    view = controller.entry_view(seeded.entries[1].id)
    assert sorted(view.tags) == ["deep work", "meeting"]
