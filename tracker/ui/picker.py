"""The project/task picker: a line edit over a list, with fuzzy search that stays instant.

The search itself is :mod:`tracker.services.search` (Qt-free). Its index costs a few hundred
milliseconds on a workspace of 10,000 projects and 40,000 tasks, so a large catalog is
indexed on a pool thread: meanwhile the picker keeps searching the catalog it had, or, with
none yet, shows that it is loading and remembers what is typed.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.model import Project, Task
from tracker.services.search import (
    LIMIT,
    NO_PROJECT,
    Candidate,
    Search,
    SearchIndex,
    candidates,
    normalize,
)
from tracker.ui import text

__all__ = [
    "INLINE_LIMIT",
    "LOADING",
    "NO_PROJECT",
    "Candidate",
    "PickerDelegate",
    "PickerModel",
    "ProjectPicker",
    "candidates",
]

log = logging.getLogger("tracker.ui")

INLINE_LIMIT = 2000
"""Catalogs up to this many projects and tasks are indexed at once on the GUI thread (a few
milliseconds); larger ones on a pool thread."""

LOADING = Candidate(None, None, "Loading projects and tasks…", None, None, None)
"""The one row shown while the first index is built; it cannot be picked."""

_INDEX = object()


# --- building the index off the GUI thread --------------------------------------------------


class _Deliveries(QObject):
    """Carries indexes built on pool threads back to the GUI thread.

    One lives as long as the application, so a pool thread never emits on a deleted object
    (a picker closed while its index was being built simply no longer listens).

    Signals:
        built(object, object): the build's ticket, and its :class:`SearchIndex` (``None``
            when building failed, which is logged).
    """

    built = Signal(object, object)

    @classmethod
    def instance(cls) -> _Deliveries:
        """The application's one, made on first use (on the GUI thread)."""
        app = QCoreApplication.instance()
        found = app.findChild(cls, "pickerIndexDeliveries") if app is not None else None
        if isinstance(found, cls):
            return found
        made = cls(app)
        made.setObjectName("pickerIndexDeliveries")
        return made


class _Build(QRunnable):
    """Builds one index on a pool thread and emits it with its ticket."""

    def __init__(
        self, make: Callable[[], SearchIndex[Candidate]], ticket: object, to: _Deliveries
    ) -> None:
        super().__init__()
        self._make = make
        self._ticket = ticket
        self._to = to

    def run(self) -> None:
        """Build; a failure is a bug, logged, and reported as ``None``."""
        try:
            index: SearchIndex[Candidate] | None = self._make()
        except Exception:
            log.exception("building the project picker's index failed")
            index = None
        self._to.built.emit(self._ticket, index)


def _index_catalog(
    projects: list[Project],
    tasks: list[Task],
    client_names: dict[str, str],
    pinned: frozenset[str],
) -> SearchIndex[Candidate]:
    return SearchIndex(candidates(projects, tasks, client_names, pinned))


# --- the list model -------------------------------------------------------------------------


class PickerModel(QAbstractListModel):
    """The shown rows: "No project" first, then the ranked matches.

    Signals:
        loaded(): a new index is in use (the rows were searched again).
    """

    ProjectIdRole = Qt.ItemDataRole.UserRole + 1
    TaskIdRole = Qt.ItemDataRole.UserRole + 2
    ClientRole = Qt.ItemDataRole.UserRole + 3
    ColorRole = Qt.ItemDataRole.UserRole + 4
    EstimateRole = Qt.ItemDataRole.UserRole + 5

    loaded = Signal()

    def __init__(self, parent: QObject | None = None, *, inline_limit: int = INLINE_LIMIT) -> None:
        super().__init__(parent)
        self._inline_limit = inline_limit
        self._index: SearchIndex[Candidate] | None = SearchIndex([])
        self._ticket: object | None = None
        self._rows: list[Candidate] = [NO_PROJECT]
        self._query = ""
        self._search: Search | None = None
        _Deliveries.instance().built.connect(self._on_built)

    def set_candidates(self, items: list[Candidate]) -> None:
        """A new catalog (after a sync or an edit); the current query is applied again."""
        snapshot = list(items)  # the pool thread reads its own list
        if len(snapshot) <= self._inline_limit:
            self._ticket = None
            self._use(SearchIndex(snapshot))
        else:
            self._build(lambda: SearchIndex(snapshot))

    def set_catalog(
        self,
        projects: Iterable[Project],
        tasks: Iterable[Task],
        client_names: Mapping[str, str],
        pinned: Collection[str] = (),
    ) -> None:
        """A new catalog, listed (see :func:`candidates`) and indexed on a pool thread."""
        args = (list(projects), list(tasks), dict(client_names), frozenset(pinned))
        if len(args[0]) + len(args[1]) <= self._inline_limit:
            self._ticket = None
            self._use(_index_catalog(*args))
        else:
            self._build(lambda: _index_catalog(*args))

    def _build(self, make: Callable[[], SearchIndex[Candidate]]) -> None:
        self._ticket = ticket = object()
        QThreadPool.globalInstance().start(_Build(make, ticket, _Deliveries.instance()))
        if self._index is None or not len(self._index):
            self._index = None  # nothing to search meanwhile: say it is loading
            self._show(self._query)

    @Slot(object, object)
    def _on_built(self, ticket: object, index: SearchIndex[Candidate] | None) -> None:
        if ticket is not self._ticket:
            return  # another picker's, or a catalog replaced since
        self._ticket = None
        self._use(index if index is not None else SearchIndex([]))

    def _use(self, index: SearchIndex[Candidate]) -> None:
        self._index = index
        self._search = None
        self._show(self._query)
        self.loaded.emit()

    def is_loading(self) -> bool:
        """Whether a new index is being built."""
        return self._ticket is not None

    def candidate_count(self) -> int:
        """How many projects and tasks are searchable."""
        return len(self._index) if self._index is not None else 0

    def set_query(self, query: str) -> None:
        """Show the best matches of ``query``."""
        if normalize(query) != self._query:
            self._show(query)

    def _show(self, query: str) -> None:
        self.beginResetModel()
        if self._index is None:
            self._query = normalize(query)
            self._rows = [LOADING]
        else:
            self._search = Search.run(query, self._index, LIMIT, self._search)
            self._query = self._search.query
            items = self._index.items
            rows = [items[i] for i in self._search.best]
            self._rows = rows if self._query else [NO_PROJECT, *rows]
        self.endResetModel()

    def candidate(self, row: int) -> Candidate:
        """The candidate shown in ``row``."""
        return self._rows[row]

    def rowCount(
        self,
        parent: QModelIndex | QPersistentModelIndex = _INDEX,  # type: ignore[assignment]
    ) -> int:
        """Rows shown (none under a valid parent: a flat list)."""
        if parent is not _INDEX and parent.isValid():
            return 0
        return len(self._rows)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """The row's label, client, colour, estimate and ids."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column():
            return None
        item = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return text.tooltip([item.label, *([item.client] if item.client else [])])
        if role == self.ProjectIdRole:
            return item.project_id
        if role == self.TaskIdRole:
            return item.task_id
        if role == self.ClientRole:
            return item.client
        if role == self.ColorRole:
            return QColor(item.color) if item.color else None
        if role == self.EstimateRole:
            return text.duration(item.estimate) if item.estimate else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Rows are selectable, never editable; the loading row is neither."""
        if not index.isValid() or self._rows[index.row()] is LOADING:
            return Qt.ItemFlag.ItemNeverHasChildren if index.isValid() else Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class PickerDelegate(QStyledItemDelegate):
    """Paints a row: the project's colour dot, the label, the client and the task estimate.

    Laying out text costs more than drawing it, and most rows stay on screen from one
    keystroke to the next, so each elided text is laid out once (a ``QStaticText``, kept for
    the last :data:`TEXTS_KEPT` texts and the font and width they were laid out for).
    """

    TEXTS_KEPT = 512

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts: OrderedDict[tuple[str, int, bool], QStaticText] = OrderedDict()
        self._font = QFont()
        self._colors: dict[str, QColor] = {}

    def sizeHint(
        self,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,  # noqa: ARG002 - every row is alike
    ) -> QSize:
        """One line of text with some air."""
        height = option.fontMetrics.height() + 8
        return QSize(200, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Dot, label (elided), then client and estimate right-aligned in a dimmer colour.

        Reads the row's candidate from the model at once: asking ``data()`` role by role
        (and ``initStyleOption``'s eight roles) cost more than the painting itself.
        """
        model = index.model()
        item = model.candidate(index.row()) if isinstance(model, PickerModel) else NO_PROJECT
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        rect: QRect = option.rect
        palette: QPalette = option.palette
        metrics = option.fontMetrics
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fore = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        dim = QColor(fore)
        dim.setAlphaF(0.65)
        painter.save()
        dot = metrics.height() // 2
        x = rect.left() + 8
        if item.color or item.project_id is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(self._color(item.color or "#9ca3af")))
            painter.drawEllipse(x, rect.center().y() - dot // 2, dot, dot)
        x += dot + 8

        right = rect.right() - 8
        extras = []
        if item.estimate:
            extras.append(f"est. {text.duration(item.estimate)}")
        if item.client:
            extras.append(item.client)
        available = right - x
        extra = "  ·  ".join(extras)
        font = option.font
        top = rect.top() + (rect.height() - metrics.height()) // 2
        extra_width = 0
        if extra:
            laid = self._laid_out(extra, available // 2, font, metrics, left=False)
            extra_width = int(laid.size().width())
        label_width = available - extra_width - (12 if extra else 0)
        painter.setPen(fore if item.project_id is not None else dim)
        painter.drawStaticText(x, top, self._laid_out(item.label, label_width, font, metrics))
        if extra:
            painter.setPen(dim)
            painter.drawStaticText(right - extra_width, top, laid)
        painter.restore()

    def _laid_out(
        self, line: str, width: int, font: QFont, metrics: QFontMetrics, *, left: bool = True
    ) -> QStaticText:
        """``line`` elided to ``width`` at its end, laid out (``left``: where it is drawn)."""
        if font != self._font:  # laid out for another font: start again
            self._texts.clear()
            self._font = QFont(font)
        key = (line, width, left)
        laid = self._texts.get(key)
        if laid is not None:
            self._texts.move_to_end(key)
            return laid
        # Names are cut at their end, wherever they stand: "Acme Corpor…", not "…e Corporation".
        laid = QStaticText(metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(width, 0)))
        laid.setTextFormat(Qt.TextFormat.PlainText)
        laid.prepare(QTransform(), font)
        self._texts[key] = laid
        if len(self._texts) > self.TEXTS_KEPT:
            self._texts.popitem(last=False)
        return laid

    def _color(self, name: str) -> QColor:
        color = self._colors.get(name)
        if color is None:
            color = self._colors[name] = QColor(name)
        return color


# --- the widget -----------------------------------------------------------------------------


class ProjectPicker(QWidget):
    """A line edit that filters a list of projects and tasks below it.

    Up/Down move in the list, Enter picks, Esc first closes the list (then the event goes on,
    so the window can close). The list shows while the person types or moves in it.

    Signals:
        picked(object, object): the chosen project id and task id (each ``str | None``).
        list_toggled(bool): the list was shown or hidden (the window may resize).
    """

    picked = Signal(object, object)
    list_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, inline_limit: int = INLINE_LIMIT) -> None:
        super().__init__(parent)
        self._selection: tuple[str | None, str | None] = (None, None)
        self._selected_label = ""
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("No project")
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName("Project or task")
        self.model = PickerModel(self, inline_limit=inline_limit)
        self.model.loaded.connect(self._select_first)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(PickerDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setMinimumHeight(180)
        self.view.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.view)
        self.edit.textEdited.connect(self._on_edited)
        self.edit.installEventFilter(self)
        self.view.clicked.connect(lambda index: self.pick_row(index.row()))

    def set_candidates(self, items: list[Candidate]) -> None:
        """The searchable projects and tasks (see :func:`candidates`)."""
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
        self.model.set_catalog(projects, tasks, client_names, pinned)
        self._select_first()

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
        if self.view.isHidden():
            self.view.show()
            self.updateGeometry()
            self.list_toggled.emit(True)

    def pick_row(self, row: int) -> None:
        """Choose the row (emits ``picked``)."""
        if not 0 <= row < self.model.rowCount():
            return
        chosen = self.model.candidate(row)
        if chosen is LOADING:
            return
        self.set_selection(chosen.project_id, chosen.task_id, chosen.label)
        self.picked.emit(chosen.project_id, chosen.task_id)

    def current_row(self) -> int:
        """The highlighted row (-1: none)."""
        return self.view.currentIndex().row()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrow keys, Enter and Esc in the edit drive the list."""
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
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
                self.view.setCurrentIndex(self.model.index(row))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.is_open():
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                return False
            self.pick_row(max(self.current_row(), 0))
            return True
        if key == Qt.Key.Key_Escape and self.is_open():
            self.edit.setText(self._selected_label)
            self.close_list()
            return True
        return False

    def _on_edited(self, query: str) -> None:
        if not query:
            self._selection = (None, None)
            self._selected_label = ""
        self.model.set_query(query)
        self._select_first()
        self._show_list()

    def _select_first(self) -> None:
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0))
