"""The week timesheet's table model: a row per project/task/description, a column per day,
a total column and a total row.

Cells show minutes as the today window does; typing a duration in a day cell asks the
services to make the row hold it that day (:mod:`tracker.services.timesheet`). Zero or an
empty cell is a clear, which the window asks about first (``clear_asked``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from tracker.bridge.controller import Controller
from tracker.domain.durations import DurationError, parse_human
from tracker.domain.workdays import DayPlan
from tracker.services.timesheet import DAYS, RowKey, SetCell, WeekRow, WeekSheet
from tracker.ui import text
from tracker.ui.approvals_locks import day_locks, lock_icon
from tracker.ui.invoiced_marks import invoiced_locks

__all__ = ["LABEL", "TOTAL", "WeekModel", "day_header", "hours"]

LABEL = 0
"""The column naming the row; days follow it, then the total."""
TOTAL = DAYS + 1
"""The total column."""

Index = QModelIndex | QPersistentModelIndex


def hours(seconds: int) -> str:
    """``1:30`` for a cell, empty for nothing."""
    return text.duration(timedelta(seconds=seconds)) if seconds else ""


def day_header(day: date, plan: DayPlan) -> tuple[str, str]:
    """A day column's header (day, date, what it expects) and its tooltip."""
    tips = [f"{day:%A}, {day.day} {day:%B %Y}"]
    if plan.holiday:
        expects = "Holiday"
        tips.append(f"Holiday: {plan.holiday}")
    elif not plan.working:
        expects = "—"
        tips.append("Not a working day")
    else:
        expects = hours(plan.capacity) or "0:00"
        tips.append(f"Capacity {hours(plan.base_capacity) or '0:00'}")
    for mark in plan.time_off:
        shape = "half day" if mark.half_day else hours(mark.seconds)
        state = "approved" if mark.status == "APPROVED" else "asked for"
        tips.append(f"Time off ({mark.policy}, {shape}, {state})")
    if plan.time_off and not plan.holiday:
        expects = f"{expects} · off" if plan.capacity else "Time off"
    return f"{day:%a} {day.day}\n{expects}", "\n".join(tips)


class WeekModel(QAbstractTableModel):
    """The week's rows and totals.

    Signals:
        refused(str): an edit was refused; the message is for the person.
        accepted(): an edit went through.
        clear_asked(object, object): the person typed zero or nothing in a cell with time:
            the row's key and the day, for the window to ask about.
    """

    refused = Signal(str)
    accepted = Signal()
    clear_asked = Signal(object, object)

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.sheet: WeekSheet | None = None
        self.committing = False
        """Whether an edit typed in a cell is being applied (the rows must not change under
        the delegate: the window re-reads after)."""
        self.refused_edit = False
        """Whether the last edit was refused (its editor stays open to be corrected)."""
        self._failed = False
        self.locks: dict[date, str] = {}
        """The week's days in an approved period, with why they are locked."""
        self.invoiced: dict[str, str] = {}
        """The week's invoiced entries (local ids), with why they are locked."""
        controller.failed.connect(self._on_failed)

    def load(self, sheet: WeekSheet) -> None:
        """Show ``sheet``: cells change in place when the rows are the same, so the cursor and
        an open editor stay."""
        self.locks = day_locks(self.controller, sheet.days)
        self.invoiced = invoiced_locks(
            self.controller, (i for r in sheet.rows for ids in r.entry_ids for i in ids)
        )
        if self.same_rows(sheet):
            self.sheet = sheet
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
            return
        self.beginResetModel()
        self.sheet = sheet
        self.endResetModel()

    def same_rows(self, sheet: WeekSheet) -> bool:
        """Whether ``sheet`` has the rows shown now, in the same order (loaded in place)."""
        return self.sheet is not None and [r.key for r in self.sheet.rows] == [
            r.key for r in sheet.rows
        ]

    # --- reading ------------------------------------------------------------------------------

    def row_at(self, row: int) -> WeekRow | None:
        """The timesheet row at table row ``row`` (``None`` on the total row)."""
        if self.sheet is None or not 0 <= row < len(self.sheet.rows):
            return None
        return self.sheet.rows[row]

    def row_of(self, key: RowKey) -> int | None:
        """The table row showing ``key``."""
        if self.sheet is None:
            return None
        return next((n for n, row in enumerate(self.sheet.rows) if row.key == key), None)

    def day_at(self, column: int) -> date | None:
        """The day of column ``column`` (``None`` outside the day columns)."""
        if self.sheet is None or not 1 <= column <= DAYS:
            return None
        return self.sheet.days[column - 1]

    def lock_at(self, column: int) -> str | None:
        """Why column ``column``'s day cannot change (its period is approved), or ``None``."""
        day = self.day_at(column)
        return self.locks.get(day) if day is not None else None

    def cell_lock(self, row: WeekRow | None, column: int) -> str | None:
        """Why a cell cannot change: its day is approved, or an entry in it is invoiced."""
        locked = self.lock_at(column)
        if locked or row is None or not 1 <= column <= DAYS:
            return locked
        return next(
            (self.invoiced[i] for i in row.entry_ids[column - 1] if i in self.invoiced), None
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid() or self.sheet is None:
            return 0
        return len(self.sheet.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else DAYS + 2

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row, day = self.row_at(index.row()), self.day_at(index.column())
        if row is not None and day is not None and not self.cell_lock(row, index.column()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        sheet = self.sheet
        if sheet is None or not index.isValid():
            return None
        row, column = self.row_at(index.row()), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(sheet, row, column, editing=role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != LABEL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (row is None or column == TOTAL):
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row is not None and column != LABEL:
            day = column - 1
            if day < DAYS and row.running == day:
                return QApplication.palette().color(QPalette.ColorRole.Link)
        away = 1 <= column <= DAYS and sheet.plans[column - 1].away
        if role == Qt.ItemDataRole.BackgroundRole and away:  # a weekend, holiday, day off
            return QApplication.palette().color(QPalette.ColorRole.AlternateBase)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(sheet, row, column)
        if (
            role == Qt.ItemDataRole.DecorationRole
            and row is not None
            and self.cell_lock(row, column)
        ):
            return lock_icon() if row.seconds[column - 1] else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        sheet = self.sheet
        if orientation != Qt.Orientation.Horizontal or sheet is None:
            return None
        locked = self.lock_at(section)
        if role == Qt.ItemDataRole.DecorationRole:
            return lock_icon() if locked else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        tip = role == Qt.ItemDataRole.ToolTipRole
        if section == LABEL:
            return "Project, task and description" if tip else "Project / task"
        if section == TOTAL:
            capacity = hours(sheet.capacity) or "0:00"
            return f"Expected this week: {capacity}" if tip else f"Total\n{capacity}"
        shown, tooltip = day_header(sheet.days[section - 1], sheet.plans[section - 1])
        if locked:
            tooltip = f"{tooltip}\nLocked: {locked}"
        return tooltip if tip else shown

    def _text(self, sheet: WeekSheet, row: WeekRow | None, column: int, *, editing: bool) -> str:
        if column == LABEL:
            return "Total" if row is None else row.label()
        if row is None:
            return hours(sheet.shown_total if column == TOTAL else sheet.day_shown[column - 1])
        if column == TOTAL:
            return hours(row.shown_total)
        value = hours(row.shown[column - 1])
        if not editing and row.running == column - 1:
            return f"▶ {value or '0:00'}"
        return value

    def _tip(self, sheet: WeekSheet, row: WeekRow | None, column: int) -> str | None:
        if row is None or column in (LABEL, TOTAL):
            return text.tooltip(row.label()) if row is not None and column == LABEL else None
        count = len(row.entry_ids[column - 1])
        day = sheet.days[column - 1]
        lines = [f"{row.label()} on {day:%a} {day.day} {day:%b}"]
        locked = self.cell_lock(row, column)
        if locked:
            lines.append(f"Locked: {locked}")
        elif count == 0:
            lines.append("Type a duration to add an entry (from 9:00, or after the day's last).")
        elif count == 1:
            lines.append("One entry: typing a duration changes its end.")
        else:
            lines.append(f"{count} entries: typing a duration changes the last one.")
        if row.running == column - 1:
            lines.append("The timer runs here: stop it to change this cell.")
        if count and not locked:
            lines.append("Delete clears the cell (asks first).")
        return text.tooltip(lines)

    # --- editing ------------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row, day = self.row_at(index.row()), self.day_at(index.column())
        self.refused_edit = False
        if role != Qt.ItemDataRole.EditRole or row is None or day is None:
            return False
        locked = self.cell_lock(row, index.column())
        if locked:
            self._refuse(locked)
            return False
        typed = str(value).strip()
        if typed == self._text(self.sheet, row, index.column(), editing=True):  # type: ignore[arg-type]
            return False  # nothing changed: Enter or Tab over a cell is no edit
        try:
            length = timedelta(0) if typed in ("", "0") else parse_human(typed)
        except DurationError as exc:
            self._refuse(str(exc))
            return False
        if length <= timedelta(0):
            if row.seconds[index.column() - 1]:
                self.clear_asked.emit(row.key, day)
            return False
        self.committing = True
        self._failed = False
        try:
            self.controller.act(SetCell(row.key, day, length))
        finally:
            self.committing = False
        if self._failed:  # the controller said why in ``failed``; nothing changed
            self.refused_edit = True
            return False
        self.accepted.emit()
        return True

    def _on_failed(self, _message: str) -> None:
        if self.committing:
            self._failed = True

    def _refuse(self, message: str) -> None:
        self.refused_edit = True
        self.refused.emit(message)
