"""The picker's list model: "No project", then the ranked matches of what is typed (under
client headings while browsing, with offers to create after them), searched in an index
built at once for a small catalog and on a pool thread for a large one."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor

from tracker.domain.model import Project, Task
from tracker.services.search import LIMIT, Search
from tracker.services.search_candidates import NO_PROJECT, Candidate
from tracker.services.search_index import SearchIndex, normalize
from tracker.services.search_steps import finish
from tracker.ui import text
from tracker.ui.picker_index import Build, Deliveries, Steps, index_catalog
from tracker.ui.picker_rows import (
    FAVOURITE_KEY,
    LOADING,
    STAR,
    CreateRow,
    GroupRow,
    Row,
    grouped,
)

__all__ = ["INLINE_LIMIT", "PickerModel"]

INLINE_LIMIT = 2000
"""Catalogs up to this many projects and tasks are indexed at once on the GUI thread (a few
milliseconds); larger ones on a pool thread."""


_INDEX = object()


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
        self._progress: Mapping[str, float] = {}
        Deliveries.instance().built.connect(self._on_built)

    def set_progress(self, shares: Mapping[str, float]) -> None:
        """Tracked time as a share of each task's estimate (task id → share), shown beside
        the estimate; from the kept projects copy, so only where it was fetched."""
        self._progress = dict(shares)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def progress_of(self, task_id: str | None) -> float | None:
        """The task's share of its estimate used, if known."""
        return self._progress.get(task_id) if task_id else None

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
        """A new catalog, listed (see :func:`~tracker.services.search_candidates.candidates`)
        and indexed on a pool thread."""
        args = (list(projects), list(tasks), dict(client_names), frozenset(pinned))
        if len(args[0]) + len(args[1]) <= self._inline_limit:
            self._ticket = None
            self._use(finish(index_catalog(*args)))
        else:
            self._build(lambda: index_catalog(*args))

    def _build(self, make: Callable[[], Steps]) -> None:
        self._ticket = ticket = object()
        QThreadPool.globalInstance().start(Build(make, ticket, Deliveries.instance()))
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
                rows = [NO_PROJECT, *grouped(found)]
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
