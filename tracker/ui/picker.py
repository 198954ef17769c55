"""The project/task picker: a line edit over a list, with fuzzy search that stays instant.

The search itself is :mod:`tracker.services.search` (Qt-free). Its index costs a few hundred
milliseconds on a workspace of 10,000 projects and 40,000 tasks, so a large catalog is
indexed on a pool thread: meanwhile the picker keeps searching the catalog it had, or, with
none yet, shows that it is loading and remembers what is typed.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
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
    QHideEvent,
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
from tracker.services.changes import Changes
from tracker.services.search import (
    LIMIT,
    NO_PROJECT,
    Candidate,
    Search,
    SearchIndex,
    candidate_steps,
    candidates,
    finish,
    normalize,
)
from tracker.ui import text

if TYPE_CHECKING:
    from tracker.ui.create import Creator

__all__ = [
    "FAVOURITES",
    "FAVOURITE_KEY",
    "INLINE_LIMIT",
    "LOADING",
    "NO_PROJECT",
    "Candidate",
    "CreateRow",
    "GroupRow",
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


class CreateRow(NamedTuple):
    """A row that offers to create what was typed: a project, or a task of a project typed
    as ``Project: task``. It reads like a :class:`Candidate` where a row is painted."""

    kind: str
    name: str
    project_id: str | None = None
    project_name: str = ""

    @property
    def label(self) -> str:
        """What the row says."""
        if self.kind == "task":
            return f"Create task \u201c{self.name}\u201d in {self.project_name}"
        return f"Create project \u201c{self.name}\u201d\u2026"

    @property
    def task_id(self) -> None:
        """Not a task yet."""
        return None

    @property
    def client(self) -> None:
        """No client shown."""
        return None

    @property
    def color(self) -> None:
        """No colour yet."""
        return None

    @property
    def estimate(self) -> None:
        """No estimate."""
        return None


class GroupRow(NamedTuple):
    """A client's name over its projects while browsing (no query); not pickable."""

    label: str

    @property
    def project_id(self) -> None:
        """Not a project."""
        return None

    @property
    def task_id(self) -> None:
        """Not a task."""
        return None

    @property
    def client(self) -> None:
        """The label is the client."""
        return None

    @property
    def color(self) -> None:
        """No colour."""
        return None

    @property
    def estimate(self) -> None:
        """No estimate."""
        return None


Row = Candidate | CreateRow | GroupRow


FAVOURITES = "Favourites"
"""The heading over pinned projects and tasks while browsing."""

FAVOURITE_KEY = "Ctrl+D"
"""Pins the highlighted row on top of every picker, or unpins it."""

HINT = (
    "Type to search projects and tasks (\u201cweb des\u201d finds \u201cWebsite: Design\u201d). "
    f"Up/Down choose, Enter picks, {FAVOURITE_KEY} pins the highlighted one on top as a "
    "favourite (again unpins it)."
)

STAR = "\u2605"
"""Drawn at the end of a pinned row."""

STAR_COLOR = "#e0a100"
"""The star's amber: readable on light and dark list backgrounds alike."""


def _grouped(found: list[Candidate]) -> list[Row]:
    """The browse list under client headings (favourites first, under their own), as
    Clockify lists projects; none when no project has a client and none is pinned."""
    clients = any(item.client for item in found)
    if not clients and not any(item.pinned for item in found):
        return list(found)
    rest = "Without client" if clients else "Projects"
    rows: list[Row] = []
    heading: object = None
    for item in found:
        group = FAVOURITES if item.pinned else (item.client or rest)
        if group != heading:
            rows.append(GroupRow(group))
            heading = group
        rows.append(item)
    return rows


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


class _Typing:
    """When the person last pressed a key in a picker. A build pauses between its steps
    until :data:`PAUSE` after that: the build thread and the GUI thread share the
    interpreter, and handing it back and forth on every paint cost each key tens of ms."""

    def __init__(self) -> None:
        self._until = 0.0

    def touch(self) -> None:
        """A key was pressed (GUI thread)."""
        self._until = time.monotonic() + PAUSE

    def wait(self) -> None:
        """Return once nobody has typed for :data:`PAUSE` (build thread)."""
        while (left := self._until - time.monotonic()) > 0:
            time.sleep(left)


PAUSE = 0.3
"""Seconds after a key press during which index builds wait (typing comes in bursts)."""

_TYPING = _Typing()


class _Collector:
    """Python's cyclic garbage collector, off while builds run: a build makes a few hundred
    thousand objects, and a full collection they trigger holds the interpreter (and so the
    GUI thread) for a hundred milliseconds. Reference counting still frees everything."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builds = 0
        self._was_enabled = True

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Collector off for the ``with`` body (and until the last concurrent build ends)."""
        with self._lock:
            if not self._builds:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._builds += 1
        try:
            yield
        finally:
            with self._lock:
                self._builds -= 1
                if not self._builds and self._was_enabled:
                    gc.enable()


_COLLECTOR = _Collector()

Steps = Generator[None, None, SearchIndex[Candidate]]


class _Build(QRunnable):
    """Builds one index on a pool thread, a step at a time, pausing while someone types,
    and emits it with its ticket."""

    def __init__(self, make: Callable[[], Steps], ticket: object, to: _Deliveries) -> None:
        super().__init__()
        self._make = make
        self._ticket = ticket
        self._to = to

    def run(self) -> None:
        """Build; a failure is a bug, logged, and reported as ``None``."""
        index: SearchIndex[Candidate] | None = None
        try:
            with _COLLECTOR.paused():
                steps = self._make()
                while index is None:
                    _TYPING.wait()
                    try:
                        next(steps)
                    except StopIteration as done:
                        index = done.value
        except Exception:
            log.exception("building the project picker's index failed")
            index = None
        self._to.built.emit(self._ticket, index)


def _index_catalog(
    projects: list[Project],
    tasks: list[Task],
    client_names: dict[str, str],
    pinned: frozenset[str],
) -> Steps:
    items = yield from candidate_steps(projects, tasks, client_names, pinned)
    return (yield from SearchIndex.steps(items))


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
        self._rows: list[Row] = [NO_PROJECT]
        self._query = ""
        self._search: Search | None = None
        self.offer_create = False
        """Whether rows offering to create what was typed are shown (a creator is set)."""
        _Deliveries.instance().built.connect(self._on_built)

    def set_candidates(self, items: list[Candidate]) -> None:
        """A new catalog (after a sync or an edit); the current query is applied again."""
        snapshot = list(items)  # the pool thread reads its own list
        if len(snapshot) <= self._inline_limit:
            self._ticket = None
            self._use(SearchIndex(snapshot))
        else:
            self._build(lambda: SearchIndex.steps(snapshot))

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
            self._use(finish(_index_catalog(*args)))
        else:
            self._build(lambda: _index_catalog(*args))

    def _build(self, make: Callable[[], Steps]) -> None:
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
            found = [items[i] for i in self._search.best]
            rows: list[Row] = list(found)
            if not self._query:
                rows = [NO_PROJECT, *_grouped(found)]
            elif self.offer_create:
                rows.extend(self._creatable(query, rows))
            self._rows = rows
        self.endResetModel()

    def _creatable(self, query: str, found: list[Row]) -> list[CreateRow]:
        """What typing ``query`` may mean to create: ``Project: task`` of a known project
        offers the task; anything else not named exactly offers a project."""
        if found and normalize(found[0].label) == self._query:
            return []  # it exists: picking it is the only sensible offer
        name = " ".join(query.split())
        head, colon, tail = name.partition(":")
        owner = self._project_named(head) if colon and tail.strip() else None
        if owner is not None:
            return [CreateRow("task", tail.strip(), owner.project_id, owner.label)]
        return [CreateRow("project", name)]

    def _project_named(self, name: str) -> Candidate | None:
        """The project whose name is ``name`` (normalised), found by the search itself."""
        assert self._index is not None
        wanted = normalize(name)
        items = self._index.items
        for i in Search.run(wanted, self._index, LIMIT).best:
            item = items[i]
            if normalize(item.label) != wanted:
                break  # exact matches come first
            if item.task_id is None and item.project_id is not None:
                return item
        return None

    def pickable(self, row: int) -> bool:
        """Whether ``row`` can be picked (not the loading row, not a heading)."""
        item = self._rows[row]
        return item is not LOADING and not isinstance(item, GroupRow)

    def candidate(self, row: int) -> Row:
        """The candidate (or offer to create) shown in ``row``."""
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
        pinned = isinstance(item, Candidate) and item.pinned
        if role == Qt.ItemDataRole.DisplayRole:
            return item.label
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.label}, favourite" if pinned else item.label
        if role == Qt.ItemDataRole.ToolTipRole:
            star = [f"{STAR} Favourite ({FAVOURITE_KEY} unpins it)"] if pinned else []
            return text.tooltip([item.label, *([item.client] if item.client else []), *star])
        if role == self.ProjectIdRole:
            return None if isinstance(item, CreateRow) else item.project_id
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
        """Rows are selectable, never editable; the loading row and headings are neither."""
        if not index.isValid() or not self.pickable(index.row()):
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
        create = isinstance(item, CreateRow)
        if isinstance(item, GroupRow):
            self._paint_heading(painter, option, item.label)
            return
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
        self._paint_mark(painter, item, QRect(x, rect.top(), dot, rect.height()), fore)
        x += dot + 8

        right = rect.right() - 8
        if isinstance(item, Candidate) and item.pinned:
            right = self._paint_star(painter, rect, right, fore if selected else None)
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
        painter.setPen(fore if item.project_id is not None or create else dim)
        painter.drawStaticText(x, top, self._laid_out(item.label, label_width, font, metrics))
        if extra:
            painter.setPen(dim)
            painter.drawStaticText(right - extra_width, top, laid)
        painter.restore()

    def _paint_mark(self, painter: QPainter, item: Row, box: QRect, fore: QColor) -> None:
        """The row's mark in ``box``: "+" on an offer to create, else the project's dot."""
        if isinstance(item, CreateRow):
            painter.setPen(fore)
            painter.drawText(box.adjusted(-2, 0, 2, 0), Qt.AlignmentFlag.AlignCenter, "+")
        elif item.color or item.project_id is not None:
            dot = box.width()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(self._color(item.color or "#9ca3af")))
            painter.drawEllipse(box.left(), box.center().y() - dot // 2, dot, dot)

    def _paint_star(self, painter: QPainter, rect: QRect, right: int, pen: QColor | None) -> int:
        """A favourite's star ending at ``right`` (amber unless ``pen``); where text may end."""
        width = painter.fontMetrics().horizontalAdvance(STAR)
        painter.setPen(pen if pen is not None else self._color(STAR_COLOR))
        painter.drawText(
            QRect(right - width, rect.top(), width, rect.height()),
            Qt.AlignmentFlag.AlignCenter,
            STAR,
        )
        return right - width - 8

    def _paint_heading(self, painter: QPainter, option: QStyleOptionViewItem, label: str) -> None:
        """A client's name over its projects: small, bold, dimmed."""
        rect: QRect = option.rect
        color = QColor(option.palette.color(QPalette.ColorRole.Text))
        color.setAlphaF(0.75)
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
        painter.save()
        painter.setFont(font)
        painter.setPen(color)
        text_rect = rect.adjusted(8, 0, -8, 0)
        elided = QFontMetrics(font).elidedText(
            label.upper(), Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided
        )
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
            _TYPING.touch()  # first: a build in progress pauses for this key and its paint
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
