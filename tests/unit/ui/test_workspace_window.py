"""The Workspace window's frame: pages built on first show, a filter that keeps up with
thousands of rows, and the keys that move between pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker.services.admin_base import AdminOffline, Kept
from tracker.store import Store
from tracker.ui import workspace
from tracker.ui.admin_page import AdminPage, PageContext, Work
from tracker.ui.rows_model import Row, RowsModel
from tracker.ui.workspace import WorkspaceWindow

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


class People(AdminPage):
    """A page over a fixed list, asking the 'worker' for nothing but a failure."""

    title = "People"
    headers = ("Name", "Email", "Rate")
    built = 0

    def __init__(self, context: PageContext) -> None:
        super().__init__(context)
        People.built += 1
        self.shown_times = 0

    def load_kept(self) -> bool:
        rows = [
            Row((f"Person {n}", f"p{n}@example.com", f"{n % 90}.00"), f"id{n}") for n in range(5000)
        ]
        self.show_rows(rows, Kept({}, NOW))
        return True

    def shown(self) -> None:
        self.shown_times += 1
        super().shown()


class Groups(People):
    title = "Groups"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr(
        workspace,
        "PAGES",
        (("People", __name__, "People"), ("Groups", __name__, "Groups")),
    )
    People.built = 0
    with Store(tmp_path / "s.sqlite3") as store:

        def run(_work: Work, done: Any) -> None:
            done(AdminOffline("Clockify cannot be reached (list people)."))

        made = WorkspaceWindow(store, lambda: NOW, run)
        qtbot.addWidget(made)
        yield made


def test_only_the_page_looked_at_is_built(window: WorkspaceWindow, qtbot: QtBot) -> None:
    assert [page is not None for page in window.pages] == [False, False]  # until shown
    window.show()
    assert [page is not None for page in window.pages] == [True, False]
    assert People.built == 1
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window.pages_list, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == 1
    assert [page is not None for page in window.pages] == [True, True]
    qtbot.keyClick(window.pages_list, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == 0
    by_keys = {action.shortcut().toString(): action for action in window.actions()}
    by_keys["Ctrl+2"].trigger()
    assert window.stack.currentIndex() == 1
    assert People.built == 2


def test_the_filter_keeps_every_word_and_the_chosen_row(window: WorkspaceWindow) -> None:
    window.show_page(0)
    page = window.page(0)
    assert page.model.rowCount() == 5000
    assert "as of" in page.as_of.text()
    page.table.selectRow(page.model.find("id4321"))
    page.search.setText("person 432")
    assert page.model.rowCount() == 15  # 432, 1432, 2432, 3432, 4432 and 4320..4329
    assert page.current_key() == "id4321"
    page.search.setText("p4321@ 4321")
    assert page.model.rowCount() == 1
    page.search.setText("nobody")
    assert page.model.rowCount() == 0
    page.search.clear()
    assert page.model.rowCount() == 5000


def test_numbers_sort_as_numbers() -> None:
    model = RowsModel(("Name", "Rate"))
    model.set_rows([Row(("a", "100.00"), "a"), Row(("b", "9.50"), "b"), Row(("c", "—"), "c")])
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [model.row(n).key for n in range(3)] == ["b", "a", "c"]  # type: ignore[union-attr]


def test_offline_is_said_quietly_and_what_is_kept_stays(window: WorkspaceWindow) -> None:
    window.show_page(0)
    page = window.page(0)
    page.ask(_nothing, lambda _result: None)
    assert page.message.isVisibleTo(page)
    assert "cannot be reached" in page.message.text()
    assert page.model.rowCount() == 5000
    assert page.refresh_button.isEnabled()


async def _nothing(_store: Store, _api: Any) -> None:
    return None


class CountingRows(RowsModel):
    """The page's model, counting what Qt asks of it."""

    calls = 0

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        CountingRows.calls += 1
        return super().data(index, role)


def test_a_keystroke_asks_the_model_only_for_what_is_painted(
    window: WorkspaceWindow, qtbot: QtBot
) -> None:
    """Filtering 5,000 rows is one pass in Python over folded strings; Qt then asks only for
    the cells it paints (a proxy model would call back for every cell of every row)."""
    window.show()
    qtbot.waitExposed(window)
    page = window.page(0)
    counting = CountingRows(People.headers, page)
    counting.set_rows([page.model.row(n) for n in range(page.model.rowCount())])  # type: ignore[misc]
    page.model = counting
    page.table.setModel(counting)
    for text in ("p", "pe", "per", "pers", "person", "person 4", "person 42"):
        CountingRows.calls = 0
        page.search.setText(text)
        page.table.viewport().grab()  # paints now
        assert 0 < CountingRows.calls < 2000, (text, CountingRows.calls)  # 15,000 cells in all


def test_esc_in_the_filter_clears_it_and_a_second_esc_closes(
    window: WorkspaceWindow, qtbot: QtBot
) -> None:
    page = window.page(0)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    page.table.selectRow(page.model.find("id4321"))
    page.search.setFocus()
    qtbot.keyClicks(page.search, "4321")
    assert page.model.rowCount() == 1
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert window.isVisible()  # the filter was cleared, the window stays
    assert page.search.text() == ""
    assert page.model.rowCount() == 5000
    assert page.current_key() == "id4321"
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_a_window_opened_on_a_page_reads_its_copy_once_and_again_when_reopened(
    window: WorkspaceWindow, qtbot: QtBot
) -> None:
    """The tray opens the window on a page, then shows it: reading the kept copy twice
    doubled the time to open (5,000 projects: ~130 ms became ~460 ms)."""
    window.show_page(1)
    window.show()
    qtbot.waitExposed(window)
    page = window.page(1)
    assert isinstance(page, People)
    assert page.shown_times == 1
    window.close()
    window.show()
    assert page.shown_times == 2  # opened again: its copy may have grown old meanwhile
