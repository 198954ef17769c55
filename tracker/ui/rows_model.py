"""The table of a Workspace page: rows of plain text filtered by every word of a query and
sorted by a column, fast on thousands of rows.

The model filters in Python over one folded string per row (a few milliseconds for 5,000 rows)
and resets the view, which only asks for the rows it paints; Qt's proxy models would call back
into Python for every cell of every row on each keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

__all__ = ["Index", "Row", "RowsModel"]

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Row:
    """One row: its cells as shown, a key (an id) and the view behind it."""

    cells: tuple[str, ...]
    key: str
    item: Any = None
    haystack: str = ""
    """What the filter searches (folded); the cells joined when empty."""


class RowsModel(QAbstractTableModel):
    """Rows shown as plain text, filtered by every word of a query, sorted by a column."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self._all: list[Row] = []
        self._folded: list[str] = []
        self._shown: list[Row] = []
        self._query: tuple[str, ...] = ()
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- contents ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show ``rows`` (the filter and sort kept)."""
        self._all = list(rows)
        self._folded = [(r.haystack or " ".join(r.cells)).casefold() for r in self._all]
        self._apply()

    def filter(self, text: str) -> None:
        """Keep the rows that contain every word of ``text`` (case and accents as typed)."""
        query = tuple(text.casefold().split())
        if query != self._query:
            self._query = query
            self._apply()

    def row(self, number: int) -> Row | None:
        """The shown row ``number`` (``None`` past the end)."""
        return self._shown[number] if 0 <= number < len(self._shown) else None

    def find(self, key: str) -> int:
        """The shown row number of ``key``, or -1."""
        return next((n for n, row in enumerate(self._shown) if row.key == key), -1)

    @property
    def total(self) -> int:
        """All rows, before the filter."""
        return len(self._all)

    def _apply(self) -> None:
        self.beginResetModel()
        if self._query:
            query = self._query
            self._shown = [
                row
                for row, folded in zip(self._all, self._folded, strict=True)
                if all(word in folded for word in query)
            ]
        else:
            self._shown = list(self._all)
        if self._sort is not None and self._sort[0] >= 0:
            column, order = self._sort
            self._shown.sort(
                key=lambda r: _sort_key(r.cells[column] if column < len(r.cells) else ""),
                reverse=order == Qt.SortOrder.DescendingOrder,
            )
        self.endResetModel()

    # --- Qt ---------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._shown[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.cells[index.column()] if index.column() < len(row.cells) else ""
        if role == Qt.ItemDataRole.UserRole:
            return row.key
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._apply()


def _sort_key(cell: str) -> tuple[int, float, str]:
    """Numbers (hours, rates, percentages) sort as numbers, the rest as folded text."""
    number = cell.replace(",", "").rstrip("%h ").split(" ")[0]
    try:
        return (0, float(number), "")
    except ValueError:
        return (1, 0.0, cell.casefold())
