"""In-place editors for the Today table: a line edit per cell, the project picker (the same
search, grouping and "Create project…" as the timer popup) for the project cell, and
completion of comma-separated tags.

The editors only collect text; the model reads it and asks the controller. Qt's delegate
does the keyboard part: Enter commits, Esc cancels, Tab commits and moves on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.ui.create import Creator
from tracker.ui.entries_model import Column, EntriesModel
from tracker.ui.picker import ProjectPicker

__all__ = ["EntryDelegate", "ListCompleter"]

Index = QModelIndex | QPersistentModelIndex

HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
HAS_DECORATION = QStyleOptionViewItem.ViewItemFeature.HasDecoration

PLACEHOLDERS = {
    Column.DESCRIPTION: "What did you work on?",
    Column.PROJECT: "Project or Project: Task",
    Column.TAGS: "tag, another tag",
    Column.START: "9:30, -15m, now",
    Column.END: "17:00, -10m, now",
    Column.DURATION: "1h30, 1:30, 90m",
}


class ListCompleter(QCompleter):
    """Completes the last item of a comma-separated list, keeping the items before it."""

    def __init__(self, words: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(QStringListModel(list(words)), parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        head = typed.rsplit(",", 1)[0] + ", " if "," in typed else ""
        return head + str(index.data())


class EntryDelegate(QStyledItemDelegate):
    """A line edit for every editable cell, the project picker for the project cell.

    The catalog is read from ``controller`` (and ``tags`` called) when an editor opens, so
    the editors follow the catalog without the delegate listening to anything. Without a
    controller (a model test), the project cell is a plain line edit.
    """

    def __init__(
        self,
        controller: Controller | None,
        tags: Callable[[], list[str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._tags = tags

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        """The cell's look in one call to the model: the base class asks ``data()`` for seven
        roles per cell on every paint, most of what a repaint of the table costs."""
        model = index.model()
        if not isinstance(model, EntriesModel) or not index.isValid():
            super().initStyleOption(option, index)
            return
        look = model.look(index.row(), index.column())
        option.index = index  # type: ignore[assignment]  # PySide types it as a persistent index
        if look.font is not None and look.metrics is not None:
            option.font = look.font
            option.fontMetrics = look.metrics
        option.displayAlignment = look.alignment
        if look.icon is not None:
            option.features |= HAS_DECORATION
            option.icon = look.icon
            option.decorationSize = look.icon.actualSize(option.decorationSize)
        option.features |= HAS_DISPLAY  # every cell has text, if only an empty one
        option.text = look.text.replace("\n", "\u2028")  # as displayText() does
        if look.background is not None:
            option.backgroundBrush = look.background
        option.styleObject = None  # type: ignore[assignment]  # no style animations in views

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        del option
        column = Column(index.column())
        if column == Column.PROJECT and self._controller is not None:
            return self._picker(parent)
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setPlaceholderText(PLACEHOLDERS.get(column, ""))
        alignment = index.data(Qt.ItemDataRole.TextAlignmentRole)
        if isinstance(alignment, int):
            editor.setAlignment(Qt.AlignmentFlag(alignment))
        if column == Column.TAGS:
            editor.setCompleter(ListCompleter(self._tags(), editor))
        return editor

    def _picker(self, parent: QWidget) -> ProjectPicker:
        """The popup's picker in the cell, its list floating below; a pick commits."""
        assert self._controller is not None
        creator = Creator(self._controller)
        picker = ProjectPicker(parent, floating=True, creator=creator)
        picker.edit.setFrame(False)
        picker.escape_cancels = True
        picker.edit.setPlaceholderText(PLACEHOLDERS[Column.PROJECT])
        picker.load_catalog()

        def picked() -> None:
            self.commitData.emit(picker)
            self.closeEditor.emit(picker, QStyledItemDelegate.EndEditHint.NoHint)

        picker.picked.connect(picked)
        return picker

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, ProjectPicker):
            model = index.model()
            if isinstance(model, EntriesModel):
                entry = model.entry(index.row()).entry
                label = str(index.data(Qt.ItemDataRole.EditRole) or "")
                editor.set_selection(entry.project_id, entry.task_id, label)
            editor.edit.selectAll()
            QTimer.singleShot(0, editor, editor.open_list)  # once it is placed in the cell
            return
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, ProjectPicker):
            model.setData(index, editor.settle(), Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
