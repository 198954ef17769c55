"""The project/task picker: a line edit over a list, with fuzzy search that stays instant.

Workspaces can hold 10,000 projects and 40,000 tasks, so searching works on plain Python
lists built once per catalog refresh (one lowercase key per project and per task), never on
Qt items. :func:`rank` does one pass with C-speed string tests (substring, then a compiled
subsequence regex), scores cheaply, keeps the best few with a heap, and refines the order of
only those. When a query extends the previous one, only the previous matches are searched.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPainter, QPalette
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
from tracker.ui import text

__all__ = [
    "NO_PROJECT",
    "Candidate",
    "PickerDelegate",
    "PickerModel",
    "ProjectPicker",
    "Search",
    "SearchIndex",
    "candidates",
    "rank",
]

LIMIT = 50
"""Results shown at most: nobody scrolls further than this, and it bounds the work per key."""

SCORED = 1000
"""Scattered matches scored in full, the most compact first (scoring costs a few µs each)."""

SEPARATORS = frozenset(" :-_/.()[]&,+#")
"""A match right after one of these starts a word."""

_INDEX = object()


class Candidate(NamedTuple):
    """A project, or a project's task, as the picker lists it.

    ``key`` is what is searched: the label and the client name, lowercase.
    """

    project_id: str | None
    task_id: str | None
    label: str
    client: str | None
    color: str | None
    estimate: timedelta | None
    key: str


NO_PROJECT = Candidate(None, None, "No project", None, None, None, "")
"""The first row: clear the project and task."""


def candidates(
    projects: Iterable[Project],
    tasks: Iterable[Task],
    client_names: Mapping[str, str],
) -> list[Candidate]:
    """Every project and each project's open tasks, sorted by label."""
    found: list[Candidate] = []
    by_id: dict[str, tuple[Project, str | None]] = {}
    for project in projects:
        client = client_names.get(project.client_id or "")
        by_id[project.id] = (project, client)
        key = f"{project.name}  {client}".lower() if client else project.name.lower()
        found.append(Candidate(project.id, None, project.name, client, project.color, None, key))
    for task in tasks:
        owner = by_id.get(task.project_id)
        if owner is None or task.done:
            continue
        project, client = owner
        label = f"{project.name}: {task.name}"
        key = f"{label}  {client}".lower() if client else label.lower()
        found.append(
            Candidate(project.id, task.id, label, client, project.color, task.estimate, key)
        )
    found.sort(key=_label_order)
    return found


def _label_order(item: Candidate) -> str:
    return item.key


class SearchIndex:
    """The candidates with what searching needs, computed once per catalog refresh."""

    __slots__ = ("exact", "frequency", "items", "keys", "order")

    def __init__(self, items: Sequence[Candidate]) -> None:
        self.items = items
        # Rebuilt in one go so the strings sit next to each other in memory: a scan over
        # 50,000 keys then runs several times faster than over strings scattered by sorting.
        self.keys = "\n".join(item.key.replace("\n", " ") for item in items).split("\n")
        if not items:
            self.keys = []
        self.frequency = Counter("".join(self.keys))
        size = len(items)
        # Shorter labels first, then the list's (alphabetical) order: one int per row.
        self.order = [len(item.label) * size + i for i, item in enumerate(items)]
        self.exact: dict[str, list[int]] = {}
        for i, item in enumerate(items):
            self.exact.setdefault(item.label.lower(), []).append(i)

    def __len__(self) -> int:
        return len(self.items)


class Search:
    """One query's result; the next, longer query looks only at this one's pool.

    Attributes:
        query: the normalised query.
        pool: rows holding every letter of the query (a superset of the matches, cheap to
            narrow), ``None`` for the empty query.
        best: the rows to show, best first.
    """

    __slots__ = ("best", "pool", "query")

    def __init__(self, query: str, pool: list[int] | None, best: list[int]) -> None:
        self.query = query
        self.pool = pool
        self.best = best

    @classmethod
    def run(
        cls,
        query: str,
        index: SearchIndex,
        limit: int = LIMIT,
        previous: Search | None = None,
    ) -> Search:
        """The best ``limit`` rows for ``query``, reusing ``previous`` when it is a prefix."""
        q = " ".join(query.lower().split())
        if not q:
            return cls(q, None, list(range(min(limit, len(index)))))
        if previous is not None and previous.pool is not None and q.startswith(previous.query):
            pool, known = previous.pool, set(previous.query)
        else:
            pool, known = list(range(len(index))), set()
        keys = index.keys
        # Rarest letter first: the first pass sees every row, later ones only the survivors.
        for char in sorted(set(q) - known, key=index.frequency.__getitem__):
            pool = [i for i in pool if char in keys[i]]
        return cls(q, pool, _best(q, index, pool, limit))


def _best(q: str, index: SearchIndex, pool: list[int], limit: int) -> list[int]:
    """Tier by tier (whole label, label prefix, word start, substring, scattered), stopping
    as soon as ``limit`` rows are found; each tier is ordered shortest label first.

    Plain comprehensions over int lists: on CPython 3.11 they beat map/compress pipelines.
    """
    keys = index.keys
    order = index.order.__getitem__
    best: list[int] = []
    taken: set[int] = set()

    def take(rows: list[int]) -> bool:
        fresh = [i for i in rows if i not in taken] if taken else rows
        chosen = heapq.nsmallest(limit - len(best), fresh, key=order)
        best.extend(chosen)
        taken.update(chosen)
        return len(best) >= limit

    if take(index.exact.get(q, [])):
        return best
    substring = [i for i in pool if q in keys[i]]
    if take([i for i in substring if keys[i].startswith(q)]):
        return best
    starts = re.compile(f"(?:^|[{re.escape(''.join(sorted(SEPARATORS)))}]){re.escape(q)}").search
    if take([i for i in substring if starts(keys[i])]):
        return best
    if take(substring):
        return best
    within = set(substring)
    match = _subsequence(q).match
    scattered = [
        (hit.end() - hit.start(1), order(i), i)
        for i in pool
        if i not in within and (hit := match(keys[i])) is not None
    ]
    shortlist = heapq.nsmallest(SCORED, scattered) if len(scattered) > SCORED else scattered
    shortlist.sort(key=lambda entry: (-_fuzzy_score(q, keys[entry[2]]), entry[0], entry[1]))
    best.extend(entry[2] for entry in shortlist[: limit - len(best)])
    return best


def _subsequence(q: str) -> re.Pattern[str]:
    """``abc`` → ``[^a]*+(a)[^b]*+b[^c]*+c``: the leftmost subsequence, matched in one pass
    without backtracking (possessive runs); group 1 marks where it begins."""
    head = re.escape(q[0])
    parts = [f"[^{head}]*+({head})"]
    parts.extend(f"[^{re.escape(char)}]*+{re.escape(char)}" for char in q[1:])
    return re.compile("".join(parts))


def rank(
    query: str, candidates: SearchIndex | Sequence[Candidate], limit: int = LIMIT
) -> list[Candidate]:
    """The best ``limit`` candidates for ``query``, best first.

    Order: the whole label, then a label prefix, a substring at a word start, any
    substring, then scattered letters in order (favouring word starts and runs); within
    each, shorter labels first. Pass a :class:`SearchIndex` (built once per catalog) to
    search fast; a plain list is indexed on every call.
    """
    index = candidates if isinstance(candidates, SearchIndex) else SearchIndex(candidates)
    return [index.items[i] for i in Search.run(query, index, limit).best]


def _fuzzy_score(q: str, key: str) -> int:
    """A score for a scattered match: letters that start words or follow the previous one
    count; gaps cost. Greedy, taking a word start over the next occurrence when the rest of
    the query still fits after it."""
    score = 0
    pos = -1
    for at, char in enumerate(q):
        nxt = key.find(char, pos + 1)
        if nxt < 0:
            return -10_000
        if nxt == pos + 1 and pos >= 0:
            score += 8
        else:
            word = _word_start(key, char, pos + 1)
            if word >= 0 and _fits(q, at + 1, key, word + 1):
                nxt = word
                score += 6
            score -= min(nxt - pos - 1, 10) if pos >= 0 else min(nxt, 5)
        pos = nxt
    return score


def _fits(q: str, start: int, key: str, begin: int) -> bool:
    """Whether ``q[start:]`` is a subsequence of ``key[begin:]``."""
    for char in q[start:]:
        begin = key.find(char, begin) + 1
        if not begin:
            return False
    return True


def _word_start(key: str, char: str, begin: int) -> int:
    if char in SEPARATORS:
        return -1
    at = key.find(char, begin)
    while at >= 0:
        if at == 0 or key[at - 1] in SEPARATORS:
            return at
        at = key.find(char, at + 1)
    return -1


# --- the list model -------------------------------------------------------------------------


class PickerModel(QAbstractListModel):
    """The shown rows: "No project" first, then the ranked matches."""

    ProjectIdRole = Qt.ItemDataRole.UserRole + 1
    TaskIdRole = Qt.ItemDataRole.UserRole + 2
    ClientRole = Qt.ItemDataRole.UserRole + 3
    ColorRole = Qt.ItemDataRole.UserRole + 4
    EstimateRole = Qt.ItemDataRole.UserRole + 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._index = SearchIndex([])
        self._rows: list[Candidate] = [NO_PROJECT]
        self._query = ""
        self._search: Search | None = None

    def set_candidates(self, items: list[Candidate]) -> None:
        """A new catalog (after a sync or an edit); the current query is applied again."""
        self._index = SearchIndex(items)
        self._search = None
        self._show(self._query)

    def candidate_count(self) -> int:
        """How many projects and tasks are searchable."""
        return len(self._index)

    def set_query(self, query: str) -> None:
        """Show the best matches of ``query``."""
        if " ".join(query.lower().split()) != self._query:
            self._show(query)

    def _show(self, query: str) -> None:
        self._search = Search.run(query, self._index, LIMIT, self._search)
        self._query = self._search.query
        self.beginResetModel()
        rows = [self._index.items[i] for i in self._search.best]
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
        if isinstance(parent, QModelIndex | QPersistentModelIndex) and parent.isValid():
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
        """Rows are selectable, never editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class PickerDelegate(QStyledItemDelegate):
    """Paints a row: the project's colour dot, the label, the client and the task estimate."""

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
        """Dot, label (elided), then client and estimate right-aligned in a dimmer colour."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        rect: QRect = opt.rect
        palette: QPalette = opt.palette
        metrics = opt.fontMetrics
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        fore = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        dim = QColor(fore)
        dim.setAlphaF(0.65)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dot = metrics.height() // 2
        x = rect.left() + 8
        color = index.data(PickerModel.ColorRole)
        project = index.data(PickerModel.ProjectIdRole)
        if isinstance(color, QColor) or project is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(color if isinstance(color, QColor) else QColor("#9ca3af")))
            painter.drawEllipse(x, rect.center().y() - dot // 2, dot, dot)
        x += dot + 8

        right = rect.right() - 8
        extras = []
        estimate = index.data(PickerModel.EstimateRole)
        if estimate:
            extras.append(f"est. {estimate}")
        client = index.data(PickerModel.ClientRole)
        if client:
            extras.append(str(client))
        label = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        available = right - x
        extra = "  ·  ".join(extras)
        extra_width = min(metrics.horizontalAdvance(extra), available // 2) if extra else 0
        label_width = available - extra_width - (12 if extra else 0)
        text_rect = QRect(x, rect.top(), label_width, rect.height())
        painter.setPen(fore if project is not None else dim)
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width),
        )
        if extra:
            painter.setPen(dim)
            painter.drawText(
                QRect(right - extra_width, rect.top(), extra_width, rect.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                metrics.elidedText(extra, Qt.TextElideMode.ElideLeft, extra_width),
            )
        painter.restore()


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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._selection: tuple[str | None, str | None] = (None, None)
        self._selected_label = ""
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("No project")
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName("Project or task")
        self.model = PickerModel(self)
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
