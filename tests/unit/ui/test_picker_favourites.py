"""Favourites: pinned projects and tasks come first in every picker (the popup, the today
table's project cell, the entry editor), Ctrl+D pins or unpins the highlighted row, and
they are kept in the store per workspace, so a restart or another window sees them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.unit.ui.conftest import Seeded
from tracker.bridge.controller import Controller
from tracker.domain.model import Project, WorkspaceInfo
from tracker.services import LOCAL_WORKSPACE, Tracker
from tracker.services.requests import SetFavourite, UseWorkspace
from tracker.store import Store
from tracker.ui.editor import EntryEditor
from tracker.ui.entries_model import Column
from tracker.ui.picker import ProjectPicker
from tracker.ui.picker_model import PickerModel
from tracker.ui.picker_rows import FAVOURITE_KEY, FAVOURITES
from tracker.ui.popup import TimerPopup
from tracker.ui.today import TodayWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def _popup(controller: Controller, qtbot: QtBot) -> TimerPopup:
    made = TimerPopup(controller)
    qtbot.addWidget(made)
    made.show_near(QRect(1200, 0, 24, 24))
    qtbot.waitExposed(made)
    return made


def _browse(picker: ProjectPicker) -> list[str]:
    """The rows of the list with no query (headings included), pinned ones starred."""
    picker.edit.setFocus()
    picker.edit.clear()
    picker.open_list()
    return _rows(picker)


def _rows(picker: ProjectPicker) -> list[str]:
    model = picker.model
    shown = []
    for row in range(model.rowCount()):
        label = model.data(model.index(row), Qt.ItemDataRole.AccessibleTextRole)
        shown.append(str(label).replace(", favourite", " *"))
    return shown


def test_favourites_come_first_in_the_popup_under_their_heading(
    seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(SetFavourite(seeded.internal.id))
    popup = _popup(controller, qtbot)
    assert _browse(popup.picker) == [
        "No project",
        FAVOURITES,
        "Internal *",
        "Projects",
        "Website",
        "Website: Design",
    ]
    # With a query, a favourite comes first among equally good matches.
    qtbot.keyClicks(popup.picker.edit, "e")
    assert _rows(popup.picker)[0] == "Internal *"
    tooltip = popup.picker.model.data(popup.picker.model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert f"({FAVOURITE_KEY} unpins it)" in str(tooltip)
    assert FAVOURITE_KEY in popup.picker.edit.toolTip()


def test_ctrl_d_pins_the_highlighted_row_and_again_unpins_it(
    seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    popup = _popup(controller, qtbot)
    picker = popup.picker
    qtbot.keyClicks(picker.edit, "design")
    assert picker.model.candidate(picker.current_row()).label == "Website: Design"
    QTest.keyClick(picker.edit, Qt.Key.Key_D, CTRL)
    assert controller.favourites() == {seeded.design.id}
    assert picker.edit.text() == "design"  # the key typed nothing
    assert picker.model.candidate(picker.current_row()).label == "Website: Design"
    assert _rows(picker)[0] == "Website: Design *"
    assert _browse(picker)[:3] == ["No project", FAVOURITES, "Website: Design *"]

    # Unpinned from the browse list; the highlight stays on the row that moved back.
    QTest.keyClick(picker.edit, Qt.Key.Key_Down)  # from "No project", over the heading
    assert picker.model.candidate(picker.current_row()).label == "Website: Design"
    QTest.keyClick(picker.edit, Qt.Key.Key_D, CTRL)
    assert controller.favourites() == frozenset()
    assert FAVOURITES not in _rows(picker)
    assert picker.model.candidate(picker.current_row()).label == "Website: Design"


def test_unpinning_a_task_pinned_through_its_project_unpins_the_project(
    seeded: Seeded, controller: Controller
) -> None:
    assert controller.act(SetFavourite(seeded.website.id)) is True
    assert controller.act(SetFavourite(seeded.website.id, seeded.design.id)) is False
    assert controller.favourites() == frozenset()


def test_a_pin_made_in_one_picker_shows_at_once_in_another_open_one(
    seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    editors = []
    for entry in seeded.entries[1:]:
        editor = EntryEditor(controller, entry.id)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        editors.append(editor)
    first, second = editors
    assert FAVOURITES not in _browse(second.project)
    first.project.edit.clear()
    qtbot.keyClicks(first.project.edit, "internal")
    QTest.keyClick(first.project.edit, Qt.Key.Key_D, CTRL)
    assert _rows(first.project)[0] == "Internal *"
    assert _rows(second.project)[:3] == ["No project", FAVOURITES, "Internal *"]
    # The popup was closed meanwhile: it reads them when it opens.
    popup = _popup(controller, qtbot)
    assert _browse(popup.picker)[:3] == ["No project", FAVOURITES, "Internal *"]


def test_the_editor_lists_favourites_first(
    seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(SetFavourite(seeded.website.id, seeded.design.id))
    editor = EntryEditor(controller, seeded.entries[2].id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    assert _browse(editor.project)[1:3] == [FAVOURITES, "Website: Design *"]


def test_the_table_cell_lists_favourites_first_and_pins_by_key(
    seeded: Seeded, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(SetFavourite(seeded.website.id, seeded.design.id))
    window = TodayWindow(controller)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    window.refresh()
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(2, Column.PROJECT))
    QTest.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=1000)
    focus = QApplication.focusWidget()
    assert focus is not None
    cell = focus.parent()
    assert isinstance(cell, ProjectPicker)
    qtbot.waitUntil(cell.is_open, timeout=1000)
    assert _rows(cell)[1:3] == [FAVOURITES, "Website: Design *"]
    # Pinned from the cell, too.
    QTest.keyClicks(cell.edit, "internal")
    QTest.keyClick(cell.edit, Qt.Key.Key_D, CTRL)
    assert controller.favourites() == {seeded.design.id, seeded.internal.id}


def test_favourites_are_kept_across_a_restart(
    tmp_path: Path, clock: FakeClock, qtbot: QtBot
) -> None:
    path = tmp_path / "restart.sqlite3"
    with Store(path) as store:
        first = Controller(Tracker(store, clock))
        internal = first.tracker.catalog.create_project("Internal")
        first.tracker.catalog.create_project("Website")
        popup = _popup(first, qtbot)
        qtbot.keyClicks(popup.picker.edit, "intern")
        QTest.keyClick(popup.picker.edit, Qt.Key.Key_D, CTRL)
        popup.hide()
    with Store(path) as store:
        again = Controller(Tracker(store, clock))
        assert again.favourites() == {internal.id}
        popup = _popup(again, qtbot)
        assert _browse(popup.picker)[1:3] == [FAVOURITES, "Internal *"]
        popup.hide()


def test_favourites_belong_to_their_workspace(
    seeded: Seeded, store: Store, controller: Controller, qtbot: QtBot
) -> None:
    controller.act(SetFavourite(seeded.internal.id))
    popup = _popup(controller, qtbot)
    assert FAVOURITES in _browse(popup.picker)
    store.meta.save_workspace(WorkspaceInfo("ws-other", "Other"))
    controller.act(UseWorkspace("ws-other"))
    assert controller.favourites() == frozenset()
    other = controller.tracker.catalog.create_project("Elsewhere")
    controller.act(SetFavourite(other.id))
    assert _browse(popup.picker)[1:3] == [FAVOURITES, "Elsewhere *"]
    store.meta.save_workspace(WorkspaceInfo(LOCAL_WORKSPACE, "Local"))
    store.meta.set_workspace_id(None)
    assert controller.favourites() == {seeded.internal.id}
    assert store.meta.favourites("ws-other") == {other.id}


def test_an_unreadable_saved_list_counts_as_no_favourites(store: Store) -> None:
    store.meta.set(f"favourites:{LOCAL_WORKSPACE}", {"not": "a list"})
    assert store.meta.favourites(LOCAL_WORKSPACE) == frozenset()
    store.meta.set(f"favourites:{LOCAL_WORKSPACE}", ["p1", 7, "", None])
    assert store.meta.favourites(LOCAL_WORKSPACE) == {"p1"}


def test_the_picker_model_stars_only_pinned_rows(qtbot: QtBot) -> None:
    del qtbot  # a QApplication
    model = PickerModel()
    model.set_catalog([Project("a", "w", "Alpha"), Project("b", "w", "Beta")], [], {}, {"b"})
    model.set_query("")
    labels = [
        model.data(model.index(r), Qt.ItemDataRole.AccessibleTextRole)
        for r in range(model.rowCount())
    ]
    assert labels == ["No project", FAVOURITES, "Beta, favourite", "Projects", "Alpha"]


def test_a_pin_is_nothing_to_send_and_no_change_of_preferences(
    seeded: Seeded, controller: Controller
) -> None:
    """Pinning is kept here only: it must not wake sync (a round costs requests on a Free
    plan) nor make the app apply its preferences again, as a saved setting does."""
    done = controller.tracker.act(SetFavourite(seeded.internal.id))
    assert done.changes.favourites
    assert not done.changes.to_send
    assert not done.changes.preferences
    assert not done.changes.catalog
