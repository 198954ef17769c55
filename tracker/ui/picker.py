"""The project/task picker: a line edit over a list, with fuzzy search that stays instant.

This module is the widget: the edit, the list under it (or floating below it), the keys that
drive the list, picking, creating and pinning. The list's rows are
:mod:`tracker.ui.picker_model`'s, painted by :mod:`tracker.ui.picker_delegate`; the search
itself is :mod:`tracker.services.search` (Qt-free). Its index costs a few hundred
milliseconds on a workspace of 10,000 projects and 40,000 tasks, so a large catalog is
indexed on a pool thread (:mod:`tracker.ui.picker_index`): meanwhile the picker keeps
searching the catalog it had, or, with none yet, shows that it is loading and remembers what
is typed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListView, QVBoxLayout, QWidget

from tracker.domain.model import Project, Task
from tracker.services.changes import Changes
from tracker.services.search_candidates import Candidate
from tracker.ui.picker_delegate import PickerDelegate
from tracker.ui.picker_index import TYPING
from tracker.ui.picker_model import INLINE_LIMIT, PickerModel
from tracker.ui.picker_rows import FAVOURITE_KEY, LOADING, CreateRow, GroupRow

if TYPE_CHECKING:
    from tracker.ui.create import Creator

__all__ = ["HINT", "ProjectPicker"]

HINT = (
    "Type to search projects and tasks (\u201cweb des\u201d finds \u201cWebsite: Design\u201d). "
    f"Up/Down choose, Enter picks, {FAVOURITE_KEY} pins the highlighted one on top as a "
    "favourite (again unpins it)."
)


class ProjectPicker(QWidget):
    """A line edit that filters a list of projects and tasks below it.

    Up/Down move in the list, Enter picks, Esc first closes the list (then the event goes on,
    so the window can close). The list shows while the person types or moves in it: inside
    the picker's layout, or (``floating``, for a table cell or a dialog) in a window of its
    own below the edit, so nothing around it moves. With a ``creator``, what matches nothing
    can be created from the list ("Create project 'x'…", "Create task 'y' in P").

    Signals:
        picked(object, object): the chosen project id and task id (each ``str | None``).
        list_toggled(bool): the list was shown or hidden (the window may resize).
    """

    picked = Signal(object, object)
    list_toggled = Signal(bool)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        inline_limit: int = INLINE_LIMIT,
        floating: bool = False,
        creator: Creator | None = None,
    ) -> None:
        super().__init__(parent)
        self._stale = True
        """Whether the creator's catalog or favourites changed since they were last read."""
        self._keep: tuple[str | None, str | None] | None = None
        """The row to highlight again once the catalog is read anew (a favourite toggled)."""
        self._selection: tuple[str | None, str | None] = (None, None)
        self._selected_label = ""
        self._floating = floating
        self._projects: dict[str, Project] = {}
        self._listed: list[Project] = []
        self.creator = creator
        self.escape_cancels = False
        """Whether Esc on the open list also goes on (a table cell: one Esc cancels the edit);
        else it only closes the list."""
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("No project")
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName("Project or task")
        self.setFocusProxy(self.edit)
        self.model = PickerModel(self, inline_limit=inline_limit)
        self.model.offer_create = creator is not None
        self.model.loaded.connect(self._on_loaded)
        self.view = QListView(self) if floating else QListView()
        if floating:
            # A window that never takes the focus: typing stays in the edit.
            self.view.setWindowFlags(Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
            self.view.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.view.setModel(self.model)
        self.view.setItemDelegate(PickerDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setMinimumHeight(180)
        self.view.setAccessibleName("Projects and tasks")
        self.view.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        if not floating:
            layout.addWidget(self.view)
        self.edit.textEdited.connect(self._on_edited)
        self.edit.installEventFilter(self)
        self.view.clicked.connect(lambda index: self.pick_row(index.row()))
        if creator is not None:
            self.edit.setToolTip(HINT)
            self.view.setToolTip(HINT)
            creator.controller.changed.connect(self._on_changed)

    def load_catalog(self) -> None:
        """Read the catalog and favourites from the creator when they changed since the
        last read (they are marked so while the picker is hidden, and read at once while
        it shows)."""
        if self.creator is not None and self._stale:
            self._stale = False
            self.set_catalog(*self.creator.catalog())

    def _on_changed(self, changes: Changes) -> None:
        """Projects, tasks, favourites or the workspace changed (here, in another picker,
        or in a CLI call): shown lists are refreshed, hidden ones when next loaded."""
        if not (changes.catalog or changes.favourites or changes.account):
            return
        self._stale = True
        if self.isVisible():
            self.load_catalog()

    def toggle_favourite(self, row: int | None = None) -> bool | None:
        """Pin the highlighted (or ``row``'s) project or task on top, or unpin it; whether
        it is pinned now (``None``: not a project or task row, or no creator)."""
        row = self.current_row() if row is None else row
        if self.creator is None or not 0 <= row < self.model.rowCount():
            return None
        item = self.model.candidate(row)
        if not isinstance(item, Candidate) or item.project_id is None or item is LOADING:
            return None
        self._keep = (item.project_id, item.task_id)
        return self.creator.favourite(item.project_id, item.task_id)

    def set_candidates(self, items: list[Candidate]) -> None:
        """The searchable projects and tasks (see
        :func:`~tracker.services.search_candidates.candidates`)."""
        self.model.set_candidates(items)
        self._select_first()

    def set_catalog(
        self,
        projects: Iterable[Project],
        tasks: Iterable[Task],
        client_names: Mapping[str, str],
        pinned: Collection[str] = (),
    ) -> None:
        """The workspace's projects and tasks, listed and indexed off the GUI thread when
        there are many (the list says it is loading until then)."""
        self._listed = list(projects)
        self._projects = {}
        self.model.set_catalog(self._listed, tasks, client_names, pinned)
        if self.model.is_loading():
            self._select_first()  # in what is shown meanwhile (else ``loaded`` did)

    def project(self, project_id: str | None) -> Project | None:
        """The catalog's project ``project_id`` (for its billable default and colour)."""
        if not self._projects and self._listed:
            self._projects = {p.id: p for p in self._listed}
        return self._projects.get(project_id or "")

    def billable_default(self, project_id: str | None) -> bool | None:
        """Whether an entry on ``project_id`` is billable by default (``None``: no project,
        which leaves billable as it was). The services apply the same rule to what is saved."""
        project = self.project(project_id)
        return None if project is None else project.billable

    def is_loading(self) -> bool:
        """Whether the catalog is still being indexed."""
        return self.model.is_loading()

    def set_selection(self, project_id: str | None, task_id: str | None, label: str = "") -> None:
        """Show a choice made elsewhere (the running entry's project), without ``picked``."""
        self._selection = (project_id, task_id)
        self._selected_label = label if project_id else ""
        self.edit.setText(self._selected_label)
        self.close_list()

    def selection(self) -> tuple[str | None, str | None]:
        """The chosen project id and task id."""
        return self._selection

    def is_open(self) -> bool:
        """Whether the list shows."""
        if self._floating:
            return self.view.isVisible()
        return self.view.isVisible() or not self.view.isHidden()

    def open_list(self) -> None:
        """Show the list (filtered by what the edit holds, unless it shows the choice)."""
        query = self.edit.text()
        self.model.set_query("" if query == self._selected_label else query)
        self._select_first()
        self._show_list()

    def close_list(self) -> None:
        """Hide the list (and let the window shrink, even while it is hidden itself)."""
        self.view.hide()
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
        self.updateGeometry()
        self.list_toggled.emit(False)

    def _show_list(self) -> None:
        if self._floating:
            self._place_list()
        if self.view.isHidden():
            self.view.show()
            self.updateGeometry()
            self.list_toggled.emit(True)

    def _place_list(self) -> None:
        """Put the floating list under the edit, as wide as the edit (at least 360 px),
        inside the screen (above the edit when there is no room below)."""
        edit = self.edit
        width = max(edit.width(), 360)
        rows = max(1, min(self.model.rowCount(), 10))
        height = rows * max(self.view.sizeHintForRow(0), 1) + 2 * self.view.frameWidth()
        height = max(height, 60)
        below = edit.mapToGlobal(QPoint(0, edit.height()))
        area = edit.screen().availableGeometry()
        x = max(area.left(), min(below.x(), area.right() - width))
        y = below.y()
        if y + height > area.bottom():
            y = max(area.top(), edit.mapToGlobal(QPoint(0, 0)).y() - height)
        self.view.setMinimumHeight(0)
        self.view.setGeometry(x, y, width, height)

    def hideEvent(self, event: QHideEvent) -> None:
        """A floating list goes with the picker (a closed cell editor, a hidden dialog)."""
        if self._floating:
            self.view.hide()
        super().hideEvent(event)

    def pick_row(self, row: int) -> None:
        """Choose the row (emits ``picked``); a row offering to create creates first."""
        if not 0 <= row < self.model.rowCount():
            return
        chosen = self.model.candidate(row)
        if not self.model.pickable(row) or isinstance(chosen, GroupRow):
            return
        if isinstance(chosen, CreateRow):
            self._create(chosen)
            return
        self.set_selection(chosen.project_id, chosen.task_id, chosen.label)
        self.picked.emit(chosen.project_id, chosen.task_id)

    def _create(self, row: CreateRow) -> None:
        """Create what the row offers, then pick it (the catalog is read again)."""
        creator = self.creator
        if creator is None:
            return
        self.close_list()
        made: tuple[str, str | None, str] | None
        if row.kind == "task" and row.project_id is not None:
            task = creator.task(row.project_id, row.name)
            made = (row.project_id, task.id, f"{row.project_name}: {task.name}") if task else None
        else:
            project = creator.project(row.name, self.edit)
            made = (project.id, None, project.name) if project else None
        self.edit.setFocus()
        if made is None:
            return
        self.load_catalog()  # read anew if the creation's ``changed`` did not already
        self.set_selection(*made)
        self.picked.emit(made[0], made[1])

    def settle(self) -> tuple[str | None, str | None]:
        """The choice when the edit is left without Enter (Tab in a table cell): the
        highlighted match of what was typed, as Enter would take it (never an offer to
        create, which needs the person's say), else the choice as it was."""
        row = self.current_row()
        typed = self.edit.text() != self._selected_label
        if typed and self.is_open() and 0 <= row < self.model.rowCount():
            chosen = self.model.candidate(row)
            if self.model.pickable(row) and isinstance(chosen, Candidate):
                self.set_selection(chosen.project_id, chosen.task_id, chosen.label)
        return self.selection()

    def current_row(self) -> int:
        """The highlighted row (-1: none)."""
        return self.view.currentIndex().row()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrow keys, Enter and Esc in the edit drive the list."""
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            TYPING.touch()  # first: a build in progress pauses for this key and its paint
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            if not self.is_open():
                self.open_list()
                return True
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8}
            step = steps.get(Qt.Key(key), -8)
            count = self.model.rowCount()
            if count:
                row = max(0, min(count - 1, self.current_row() + step))
                direction = 1 if step > 0 else -1
                while 0 <= row < count and not self.model.pickable(row):
                    row += direction  # over headings
                if not 0 <= row < count:
                    row = self.current_row()
                self.view.setCurrentIndex(self.model.index(row))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.is_open():
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                return False
            self.pick_row(max(self.current_row(), 0))
            return True
        if (
            key == Qt.Key.Key_D
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and self.is_open()
            and self.creator is not None
        ):
            self.toggle_favourite()
            return True
        if key == Qt.Key.Key_Escape and self.is_open():
            self.edit.setText(self._selected_label)
            self.close_list()
            return not self.escape_cancels
        return False

    def _on_edited(self, query: str) -> None:
        if not query:
            self._selection = (None, None)
            self._selected_label = ""
        self.model.set_query(query)
        self._select_first()
        self._show_list()

    def _on_loaded(self) -> None:
        """A new index is in use: highlight the first row (or the one kept), once."""
        self._select_first()
        self._keep = None

    def _select_first(self) -> None:
        model = self.model
        first = next((r for r in range(model.rowCount()) if model.pickable(r)), 0)
        keep = self._keep
        if keep is not None:
            for row in range(model.rowCount()):
                item = model.candidate(row)
                if isinstance(item, Candidate) and (item.project_id, item.task_id) == keep:
                    first = row
                    break
        if model.rowCount():
            self.view.setCurrentIndex(model.index(first))
