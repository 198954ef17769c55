"""The Today window's table: keyboard editing, column widths, and keeping the current cell
across a re-read.

Enter or F2 edits the current cell, Tab skips the marker column, and Enter on the marker
column opens the full editor (the view's ``doubleClicked``). A refused edit leaves its editor
open with the text as typed, to be corrected (Esc gives up).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.services.views import EntryView
from tracker.ui.appearance import plain_items
from tracker.ui.delegates import EntryDelegate
from tracker.ui.entries_model import Column, EntriesModel

__all__ = ["Cell", "EntryTable", "TodayDelegate"]

Cell = tuple[str, Column, bool]
"""Where the cursor goes after a re-read: entry id, column, and whether to start editing."""


class TodayDelegate(EntryDelegate):
    """The table's delegate, greying the text that stands in for an empty value."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        model = index.model()
        if (
            index.column() == Column.DESCRIPTION  # the only column with a stand-in
            and isinstance(model, EntriesModel)
            and model.look(index.row(), index.column()).placeholder
        ):
            grey = option.palette.color(QPalette.ColorRole.PlaceholderText)
            option.palette.setColor(QPalette.ColorRole.Text, grey)


class EntryTable(QTableView):
    """The entries table over ``model``, its editors completing names from ``controller``."""

    def __init__(
        self, model: EntriesModel, controller: Controller, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.entries = model
        self._controller = controller
        self.setModel(model)
        self.setItemDelegate(TodayDelegate(controller, self._tag_names, self))
        self._keep_editor = False
        """Whether the editor being committed was refused (it stays open)."""
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.horizontalHeader().setHighlightSections(False)
        self._size_columns()
        plain_items(self)

    # --- the cursor ---------------------------------------------------------------------------

    def selected_entry(self) -> EntryView | None:
        """The entry of the current row, if any."""
        index = self.currentIndex()
        if not index.isValid() or index.row() >= self.entries.rowCount():
            return None
        return self.entries.entry(index.row())

    def current_cell(self) -> Cell | None:
        """The current cell by entry, to find it again after the rows are read anew."""
        chosen = self.selected_entry()
        if chosen is None:
            return None
        return chosen.entry.id, Column(max(self.currentIndex().column(), 1)), False

    def restore_cell(self, keep: Cell | None) -> None:
        """Put the cursor back on ``keep`` (and edit it when asked); else keep it where it is,
        or on the last row."""
        model = self.entries
        if model.rowCount() == 0:
            return
        row = model.row_of(keep[0]) if keep else None
        if row is None:
            if self.currentIndex().isValid():
                return
            row = model.rowCount() - 1
        column = keep[1] if keep else Column.DESCRIPTION
        index = model.index(row, column)
        if self.currentIndex() != index:
            self.setCurrentIndex(index)
        self.scrollTo(index)
        if keep and keep[2]:
            self.setFocus()
            self.edit(index)

    def select_none(self) -> None:
        """No current row: the next Delete or Enter does nothing until a row is chosen."""
        self.clearSelection()
        self.setCurrentIndex(QModelIndex())

    # --- Qt overrides -------------------------------------------------------------------------

    def commitData(self, editor: QWidget) -> None:
        super().commitData(editor)
        self._keep_editor = self.entries.refused_edit

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        keep, self._keep_editor = self._keep_editor, False
        if keep and hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            # Refused: the text stays, to be corrected; the status line says what was wrong.
            editor.setFocus()
            if isinstance(editor, QLineEdit):
                editor.selectAll()
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if (
            plain
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            index = self.currentIndex()
            if index.isValid():
                if index.flags() & Qt.ItemFlag.ItemIsEditable:
                    self.edit(index)
                else:
                    self.doubleClicked.emit(index)
                event.accept()
                return
        super().keyPressEvent(event)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        index = super().moveCursor(cursorAction, modifiers)
        if not index.isValid() or index.column() != Column.STATE:
            return index
        # Tab lands on editable cells only: the marker column is stepped over.
        if cursorAction == QAbstractItemView.CursorAction.MoveNext:
            return index.siblingAtColumn(Column.DESCRIPTION)
        if cursorAction == QAbstractItemView.CursorAction.MovePrevious:
            if index.row() == 0:
                return self.currentIndex()
            return index.sibling(index.row() - 1, Column.DURATION)
        return index

    # --- helpers ------------------------------------------------------------------------------

    def _size_columns(self) -> None:
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        header.setMinimumSectionSize(24)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.STATE, QHeaderView.ResizeMode.Fixed)
        time_width = metrics.horizontalAdvance("← 00:00") + 24
        self._widths = {
            Column.STATE: 44,
            Column.PROJECT: metrics.horizontalAdvance("M") * 20,
            Column.TAGS: metrics.horizontalAdvance("M") * 10,
            Column.START: time_width,
            Column.END: max(time_width, metrics.horizontalAdvance("running") + 24),
            Column.DURATION: metrics.horizontalAdvance("Duration") + 28,
        }
        self._sizing = True
        for column, width in self._widths.items():
            header.resizeSection(column, width)
        self._sizing = False
        self._sized_by_hand = False
        header.sectionResized.connect(self._section_resized)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._sizing and column in (Column.PROJECT, Column.TAGS):
            self._sized_by_hand = True  # the person's widths are kept from now on

    def resizeEvent(self, event: QResizeEvent) -> None:
        """On a narrow table (a small window, or scale 2) the project and tag columns give up
        room first, so the description keeps at least half of what the other columns leave."""
        super().resizeEvent(event)
        if self._sized_by_hand:
            return
        fixed = sum(
            self._widths[c] for c in (Column.STATE, Column.START, Column.END, Column.DURATION)
        )
        room = max(self.viewport().width() - fixed, 0)
        share = {Column.PROJECT: 0.3, Column.TAGS: 0.15}
        self._sizing = True
        for column, part in share.items():
            wanted = max(min(self._widths[column], int(room * part)), 60)
            if self.horizontalHeader().sectionSize(column) != wanted:
                self.horizontalHeader().resizeSection(column, wanted)
        self._sizing = False

    def _tag_names(self) -> list[str]:
        return [tag.name for tag in self._controller.tags()]
