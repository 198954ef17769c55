"""The week timesheet's table and its "Add a row" dialog.

The table starts an edit when a key is typed (or Enter, F2), keeps a refused edit open to be
corrected, and hands Delete to the window, which asks before clearing a cell. Its day columns
give up room first when the window is narrow, so the row names stay readable at scale 2.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.services.timesheet import DAYS, RowKey
from tracker.ui.appearance import plain_items
from tracker.ui.create import Creator
from tracker.ui.picker import ProjectPicker
from tracker.ui.week_model import LABEL, WeekModel

__all__ = ["AddRowDialog", "WeekTable"]


class WeekTable(QTableView):
    """The timesheet table: typing starts an edit, Enter edits or commits, a refused edit
    stays open to be corrected (the status line says why)."""

    def __init__(self, model: WeekModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.week = model
        self.setModel(model)
        self._keep_editor = False
        self.clear_requested: Callable[[], None] = lambda: None
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        plain_items(self)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(24)
        header.setFixedHeight(self.fontMetrics().height() * 2 + 14)
        self.setAccessibleName("Week timesheet")

    def size_columns(self) -> None:
        """Day columns as wide as ``Holiday`` or ``▶ 10:00``; the label takes the rest, and
        the days give up room first when the window is narrow (scale 2), down to their
        text, so the label keeps at least a dozen letters."""
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        self._day_width = (
            max(metrics.horizontalAdvance(t) for t in ("Wed 30", "Holiday", "▶ 10:00")) + 20
        )
        self._narrowest = max(metrics.horizontalAdvance(t) for t in ("Wed 30", "10:00")) + 8
        self._label_width = metrics.horizontalAdvance("M") * 12
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        self._fit_days()

    def _fit_days(self) -> None:
        room = self.viewport().width() - self._label_width
        width = max(self._narrowest, min(self._day_width, room // (DAYS + 1)))
        header = self.horizontalHeader()
        for column in range(1, DAYS + 2):
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_days()

    def commitData(self, editor: QWidget) -> None:
        super().commitData(editor)
        self._keep_editor = self.week.refused_edit

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        keep, self._keep_editor = self._keep_editor, False
        if keep and hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
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
        editing = self.state() == QAbstractItemView.State.EditingState
        current = self.currentIndex()
        locked = self.week.cell_lock(self.week.row_at(current.row()), current.column())
        if plain and locked and not editing and self.week.row_at(self.currentIndex().row()):
            edits = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2, Qt.Key.Key_Delete)
            if event.key() in (*edits, Qt.Key.Key_Backspace) or event.text().strip():
                self.week.refused.emit(locked)  # say why here, instead of a silent key
                event.accept()
                return
        if plain and self.state() != QAbstractItemView.State.EditingState:
            index = self.currentIndex()
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid():
                if index.flags() & Qt.ItemFlag.ItemIsEditable:
                    self.edit(index)
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_requested()
                event.accept()
                return
        super().keyPressEvent(event)


class AddRowDialog(QDialog):
    """Choose a project or task (the shared picker) and a description for a new row."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a row")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Project or task", self))
        self.picker = ProjectPicker(self, floating=True, creator=Creator(controller))
        layout.addWidget(self.picker)
        layout.addWidget(QLabel("Description", self))
        self.description = QLineEdit(self)
        self.description.setPlaceholderText("What the row is for (may stay empty)")
        layout.addWidget(self.description)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add row")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.picker.picked.connect(lambda *_: self.description.setFocus())
        self.picker.load_catalog()
        self.picker.edit.setFocus()

    def key(self) -> RowKey:
        """The row chosen."""
        project, task = self.picker.settle()
        return RowKey(project, task, self.description.text().strip())
