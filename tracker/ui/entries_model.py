"""The Today table's model: one day's entries as rows of ready-made text.

Rows are built once per refresh from a :class:`DayView`, so painting a cell never touches the
store, even with hundreds of entries. A commit parses what was typed (times in the profile's
zone, durations as people type them) and goes through :meth:`Controller.edit`; the view
re-reads when the controller says ``changed``, so a refused edit keeps the old value (and
:attr:`EntriesModel.refused_edit` tells the table to keep its editor open). An end typed into
the future is asked about first: the same text committed again keeps it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QPolygonF,
)

from tracker.bridge.controller import Controller
from tracker.domain.durations import DurationError, parse_human, shown_length
from tracker.domain.model import SyncState
from tracker.domain.timeutil import TimeParseError, day_bounds, parse_when
from tracker.services.requests import Edit
from tracker.services.views import DayView, EntryView
from tracker.ui import text
from tracker.ui.approvals_locks import day_locks, lock_icon
from tracker.ui.invoiced_marks import invoiced_locks

__all__ = [
    "NO_DESCRIPTION",
    "Column",
    "EntriesModel",
    "Row",
    "future_end_question",
    "state_label",
]

Index = QModelIndex | QPersistentModelIndex

FIX_HINT = "Edit the entry to fix it; it is sent again after the change."
NO_DESCRIPTION = "(no description)"
"""What an entry without a description shows, greyed (its editor starts empty)."""


class Column(enum.IntEnum):
    """The table's columns, in order."""

    STATE = 0
    DESCRIPTION = 1
    PROJECT = 2
    TAGS = 3
    START = 4
    END = 5
    DURATION = 6


HEADERS = {
    Column.STATE: "",
    Column.DESCRIPTION: "Description",
    Column.PROJECT: "Project",
    Column.TAGS: "Tags",
    Column.START: "Start",
    Column.END: "End",
    Column.DURATION: "Duration",
}
TIME_COLUMNS = (Column.START, Column.END, Column.DURATION)

DISPLAY = Qt.ItemDataRole.DisplayRole.value
EDIT = Qt.ItemDataRole.EditRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
DECORATION = Qt.ItemDataRole.DecorationRole.value
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
FONT = Qt.ItemDataRole.FontRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
ALIGNMENTS = tuple(
    _RIGHT
    if c in TIME_COLUMNS
    else int(Qt.AlignmentFlag.AlignCenter)
    if c == Column.STATE
    else _LEFT
    for c in Column
)
"""Each column's text alignment, by column number."""
ALIGNMENT_FLAGS = tuple(Qt.AlignmentFlag(value) for value in ALIGNMENTS)
MARKER_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
CELL_FLAGS = MARKER_FLAGS | Qt.ItemFlag.ItemIsEditable

STATE_COLORS = {
    SyncState.SYNCED: QColor("#43a047"),
    SyncState.PENDING: QColor("#f59e0b"),
    SyncState.UNCLEAR: QColor("#f59e0b"),
    SyncState.PARKED: QColor("#e53935"),
    SyncState.LOCAL_ONLY: QColor("#9e9e9e"),
}
PARKED_BACKGROUND = QColor(229, 57, 53, 38)
"""A faint red that reads on light and dark palettes alike."""
OVERLAP_BACKGROUND = QColor(245, 158, 11, 64)
"""A faint amber on the times of entries that share time (light and dark alike)."""


def state_label(view: EntryView) -> str:
    """The sync state in words, for tooltips and the editor."""
    return {
        SyncState.SYNCED: "Synced with Clockify",
        SyncState.PENDING: "Waiting to be sent to Clockify",
        SyncState.UNCLEAR: (
            "Sent to Clockify, but no answer came back: checking whether it arrived "
            "before sending it again, so it is never saved twice"
        ),
        SyncState.PARKED: "Needs attention: Clockify refused it",
        SyncState.LOCAL_ONLY: "Kept on this computer (no account connected)",
    }[view.state]


@dataclass(frozen=True)
class Row:
    """One entry's cells, formatted once."""

    view: EntryView
    cells: tuple[str, ...]
    """Display text per :class:`Column`."""
    edits: tuple[str, ...]
    """What an editor starts with, per :class:`Column`."""
    locked: str = ""
    """Why the entry cannot change (its day is in an approved period); empty when it can."""

    @property
    def entry_id(self) -> str:
        return self.view.entry.id

    def looks_like(self, other: Row) -> bool:
        """Whether ``other`` shows the same (its place in the day may differ: ``#N`` and the
        short id are not shown), so it need not be redrawn, nor an open editor refilled."""
        mine, theirs = self.view, other.view
        if (mine.index, mine.short_id) == (theirs.index, theirs.short_id):
            return self == other
        same_place = replace(theirs, index=mine.index, short_id=mine.short_id)
        return self == replace(other, view=same_place)

    def background(self, column: int) -> QBrush | None:
        """Red over a refused entry; amber over the times of one that shares time."""
        if self.view.state == SyncState.PARKED:
            return QBrush(PARKED_BACKGROUND)
        if self.view.overlaps and column in TIME_COLUMNS:
            return QBrush(OVERLAP_BACKGROUND)
        return None


class Look(NamedTuple):
    """A cell's text, alignment, font (``None``: the view's) and its metrics, icon,
    background and whether its text is a placeholder (greyed), as
    :meth:`EntriesModel.data` gives them role by role."""

    text: str
    alignment: Qt.AlignmentFlag
    font: QFont | None
    metrics: QFontMetrics | None
    icon: QIcon | None
    background: QBrush | None
    placeholder: bool = False


def _placeholder(row: Row, column: int) -> bool:
    """Whether the cell shows a stand-in for an empty value (greyed)."""
    return column == Column.DESCRIPTION and not row.view.entry.description


def future_end_question(end: datetime, now: datetime, zone: tzinfo) -> str:
    """What the table and the entry editor ask before an entry ends after ``now`` (seldom
    meant: a typo in the hour); Enter again keeps it."""
    other_day = end.astimezone(zone).date() != now.astimezone(zone).date()
    when = text.local_time(end, zone, with_date=other_day)
    return (
        f"That makes the entry end in the future, at {when}. Press Enter again to keep "
        "it, or correct it."
    )


class EntriesModel(QAbstractTableModel):
    """A day's entries for a ``QTableView``; edits go through the controller.

    Signals:
        refused(str): a typed value could not be read, or asks to be confirmed (the
            controller's ``failed`` carries the refusals of the services).
        accepted: a typed value was written.
    """

    refused = Signal(str)
    accepted = Signal()

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._rows: list[Row] = []
        self.committing = False
        """Whether an edit typed in a cell is being written (the view must not re-read the
        rows under the delegate until it finished)."""
        self.refused_edit = False
        """Whether the last text committed from a cell was refused (its editor stays open)."""
        self._confirmed: tuple[str, int, str] | None = None
        """The end in the future asked about last (entry, column, text): typed again, kept."""
        self._zone: tzinfo | None = None
        self._loaded_at: datetime | None = None
        self._day: DayView | None = None
        self._icons: dict[str, QIcon] = {}
        self._mono = QFont()
        self._mono.setFeature(QFont.Tag("tnum"), 1)  # digits of equal width
        self._mono_metrics = QFontMetrics(self._mono)

    # --- loading ------------------------------------------------------------------------------

    @property
    def day(self) -> DayView | None:
        """The day shown, as last loaded."""
        return self._day

    @property
    def loaded_at(self) -> datetime | None:
        """The instant the running entry's time was counted to when the day was loaded."""
        return self._loaded_at

    def load(self, day: DayView, zone: tzinfo, now: datetime) -> None:
        """Show ``day`` row by row: entries gone are removed, new ones inserted at their
        place, moved ones moved and changed ones redrawn, so the selection, an open editor and
        the scroll position stay with their entries. Only when no entry stays (another day)
        does the model reset."""
        starts = [view.entry.start.astimezone(zone).date() for view in day.entries]
        locks = day_locks(self._controller, starts)
        invoiced = invoiced_locks(self._controller, (view.entry.id for view in day.entries))
        known = {row.entry_id: row for row in self._rows} if zone == self._zone else {}
        rows = [
            self._row_for(
                view, zone, locks.get(start, "") or invoiced.get(view.entry.id, ""), known
            )
            for view, start in zip(day.entries, starts, strict=True)
        ]
        self._day, self._zone, self._loaded_at = day, zone, now
        wanted = {row.entry_id for row in rows}
        if not any(row.entry_id in wanted for row in self._rows):
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        self._remove_all_but(wanted)
        last = self.columnCount() - 1
        for number, row in enumerate(rows):
            shown = self._rows[number] if number < len(self._rows) else None
            if shown is not None and shown.entry_id == row.entry_id:
                self._rows[number] = row
                if not shown.looks_like(row):
                    self.dataChanged.emit(self.index(number, 0), self.index(number, last))
                continue
            later = self.row_of(row.entry_id)  # further down: its start moved before others
            if later is None:
                self.beginInsertRows(QModelIndex(), number, number)
                self._rows.insert(number, row)
                self.endInsertRows()
                continue
            self.beginMoveRows(QModelIndex(), later, later, QModelIndex(), number)
            moved = self._rows.pop(later)
            self._rows.insert(number, row)
            self.endMoveRows()
            if not moved.looks_like(row):
                self.dataChanged.emit(self.index(number, 0), self.index(number, last))

    def _row_for(self, view: EntryView, zone: tzinfo, locked: str, shown: dict[str, Row]) -> Row:
        """The row shown for ``view``'s entry when nothing of it changed, else a new one."""
        row = shown.get(view.entry.id)
        if row is not None and row.locked == locked and (row.view is view or row.view == view):
            return row
        return self._build(view, zone, locked)

    def _remove_all_but(self, wanted: set[str]) -> None:
        """Remove the rows of entries not in ``wanted``, each run of them at once."""
        number = len(self._rows) - 1
        while number >= 0:
            if self._rows[number].entry_id in wanted:
                number -= 1
                continue
            first = number
            while first > 0 and self._rows[first - 1].entry_id not in wanted:
                first -= 1
            self.beginRemoveRows(QModelIndex(), first, number)
            del self._rows[first : number + 1]
            self.endRemoveRows()
            number = first - 1

    def tick(self, now: datetime) -> timedelta:
        """Move the running entry's elapsed time on without re-reading; returns what the
        day's total grew by since the last load (in shown minutes, as totals count)."""
        if self._loaded_at is None or self._zone is None or self._day is None:
            return timedelta(0)
        moved = max(timedelta(0), now - self._loaded_at)
        for number, row in enumerate(self._rows):
            view = row.view
            if view.entry.running:
                cells = list(row.cells)
                cells[Column.DURATION] = text.clock(view.duration + moved)
                self._rows[number] = Row(view, tuple(cells), row.edits)
                cell = self.index(number, Column.DURATION)
                self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])
                # Totals count as times are shown: from the start's minute to now's.
                first, last = day_bounds(self._day.day, self._zone)
                shown = shown_length(max(view.entry.start, first), min(max(now, first), last))
                return max(timedelta(0), shown - view.in_range)
        return timedelta(0)

    def entry(self, row: int) -> EntryView:
        """The entry shown in ``row``."""
        return self._rows[row].view

    def row_of(self, entry_id: str) -> int | None:
        """The row showing ``entry_id``, if it is on this day."""
        return next((n for n, r in enumerate(self._rows) if r.entry_id == entry_id), None)

    # --- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if section in TIME_COLUMNS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.STATE:
            return "Sync state"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() == Column.STATE or self.lock_of(index.row()):
            return MARKER_FLAGS
        return CELL_FLAGS

    def lock_of(self, row: int) -> str:
        """Why row ``row``'s entry cannot change (its period is approved); empty if it can."""
        return self._rows[row].locked if 0 <= row < len(self._rows) else ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked hundreds of times per paint: roles and columns are compared as plain ints.
        number = index.row()
        if not 0 <= number < len(self._rows) or not index.isValid():
            return None
        row = self._rows[number]
        column = index.column()
        if role == DISPLAY:
            return row.cells[column]
        if role == ALIGNMENT:
            return ALIGNMENTS[column]
        if role == DECORATION:
            return self._row_icon(row, column)
        if role == FONT:
            return self._mono if column in TIME_COLUMNS else None
        if role == BACKGROUND:
            return row.background(column)
        return self._other_role(row, column, role)

    def _other_role(self, row: Row, column: int, role: int) -> Any:
        """The roles asked for seldom (editing, hovering, screen readers, greyed text)."""
        if role == EDIT:
            return row.edits[column]
        if role == TOOLTIP:
            tip = self._tooltip(row.view, self._zone or self._controller.zone())
            return text.tooltip(f"Locked: {row.locked}") + tip if row.locked else tip
        if role == ACCESSIBLE:
            return row.cells[column] or state_label(row.view)
        if role == FOREGROUND and _placeholder(row, column):
            return QBrush(QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        return None

    def look(self, row: int, column: int) -> Look:
        """What a cell shows, all at once, for the delegate's paint (see :class:`Look`)."""
        shown = self._rows[row]
        timed = column in TIME_COLUMNS
        return Look(
            shown.cells[column],
            ALIGNMENT_FLAGS[column],
            self._mono if timed else None,
            self._mono_metrics if timed else None,
            self._row_icon(shown, column),
            shown.background(column),
            _placeholder(shown, column),
        )

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        self.refused_edit = False
        if row.locked:
            return self._refuse(row.locked)
        if isinstance(value, tuple):  # the project picker's choice: (project id, task id)
            entry = row.view.entry
            if value == (entry.project_id, entry.task_id):
                return True
            changes: dict[str, Any] = {"project": value[0] or "", "task": value[1] or ""}
            return self._act(row.entry_id, changes)
        typed = str(value).strip()
        if typed == row.edits[index.column()].strip():
            return True  # nothing changed: no edit, no undo step
        try:
            changes = self._changes(row.view, Column(index.column()), typed)
        except (TimeParseError, DurationError) as exc:
            return self._refuse(str(exc))
        question = self._ends_in_future(row, index.column(), typed, changes)
        if question is not None:
            return self._refuse(question)
        return self._act(row.entry_id, changes)

    def _act(self, entry_id: str, changes: dict[str, Any]) -> bool:
        """Send one edit; whether it went through (the controller's ``failed`` says why not)."""
        self.committing = True
        try:
            done = self._controller.act(Edit(entry_id, **changes)) is not None
        finally:
            self.committing = False
        self.refused_edit = not done  # the controller's ``failed`` said why
        if done:
            self.accepted.emit()
        return done

    def _refuse(self, message: str) -> bool:
        self.refused_edit = True
        self.refused.emit(message)
        return False

    def _ends_in_future(
        self, row: Row, column: int, typed: str, changes: dict[str, Any]
    ) -> str | None:
        """A question when ``changes`` make a finished entry end after now (seldom meant: a
        typo in the hour); the same text committed again right after keeps it."""
        entry = row.view.entry
        end = changes.get("end")
        if "duration" in changes:
            end = changes.get("start", entry.start) + changes["duration"]
        now = self._controller.now()
        asked, self._confirmed = self._confirmed, None
        if entry.running or end is None or end <= now or asked == (row.entry_id, column, typed):
            return None
        self._confirmed = (row.entry_id, column, typed)
        return future_end_question(end, now, self._zone or self._controller.zone())

    # --- helpers ------------------------------------------------------------------------------

    def _changes(self, view: EntryView, column: Column, typed: str) -> dict[str, Any]:
        """The keywords of :meth:`Controller.edit` that ``typed`` in ``column`` means."""
        entry = view.entry
        if column == Column.DESCRIPTION:
            return {"description": typed}
        if column == Column.PROJECT:
            return self._project_change(typed)
        if column == Column.TAGS:
            return {"tags": [t.strip() for t in typed.split(",") if t.strip()]}
        if column == Column.DURATION:
            return {"duration": parse_human(typed)}
        now = self._controller.now()
        if column == Column.START:
            return {"start": self.read_time(typed, entry.start, now)}
        return {"end": self.read_time(typed, entry.end or now, now)}

    def read_time(self, typed: str, keep_day_of: datetime, now: datetime) -> datetime:
        """A typed time in the profile's zone; ``-15m``/``now`` count from ``now``, and a bare
        time of day keeps the date of ``keep_day_of``, so an end typed on an entry that
        crosses midnight stays on the day it ends.

        Raises:
            TimeParseError: with the accepted forms.
        """
        zone = self._zone or self._controller.zone()
        raw = typed.strip().lower()
        if not raw:
            raise TimeParseError("Type a time, e.g. 9:30 or -15m.")
        if raw == "now" or raw[0] in "+-":
            return parse_when(typed, now=now, tz=zone)
        return parse_when(typed, now=keep_day_of, tz=zone)

    def _project_change(self, typed: str) -> dict[str, Any]:
        """``Project``, ``Project: Task`` or nothing (clears both); names are looked up here
        only to tell the project from the task, the services resolve them."""
        if not typed:
            return {"project": "", "task": ""}
        projects = {p.name.casefold(): p for p in self._controller.projects()}
        if typed.casefold() in projects:
            return {"project": projects[typed.casefold()].id, "task": ""}
        for position, char in enumerate(typed):
            if char == ":" and typed[:position].strip().casefold() in projects:
                owner = projects[typed[:position].strip().casefold()]
                return {"project": owner.id, "task": typed[position + 1 :].strip()}
        return {"project": typed, "task": ""}

    def _build(self, view: EntryView, zone: tzinfo, locked: str = "") -> Row:
        entry = view.entry
        project = view.project or ""
        if view.task:
            project = f"{project}: {view.task}"
        start = text.local_time(entry.start, zone)
        end = text.local_time(entry.end, zone) if entry.end else ""
        duration = text.clock(view.duration) if entry.running else text.duration(view.duration)
        cells = (
            "▶" if entry.running else "",
            entry.description or NO_DESCRIPTION,
            project,
            ", ".join(view.tags),
            f"← {start}" if view.starts_before else start,
            "running" if entry.running else (f"{end} →" if view.ends_after else end),
            duration,
        )
        edits = (
            "",
            entry.description,
            project,
            ", ".join(view.tags),
            start,
            end,
            text.duration(view.duration),
        )
        return Row(view, cells, edits, locked)

    def _tooltip(self, view: EntryView, zone: tzinfo) -> str:
        """Made when asked (a hover), not for every row on every re-read."""
        entry = view.entry
        lines = [entry.description or NO_DESCRIPTION]
        if view.project:
            owner = f" ({view.client})" if view.client else ""
            lines.append(f"{view.project}{owner}" + (f": {view.task}" if view.task else ""))
        if view.tags:
            lines.append("Tags: " + ", ".join(view.tags))
        crosses = view.starts_before or view.ends_after
        begin = text.local_time(entry.start, zone, with_date=crosses)
        if entry.end is None:
            lines.append(f"{begin} until now, {text.clock(view.duration)} so far")
        else:
            finish = text.local_time(entry.end, zone, with_date=crosses)
            lines.append(f"{begin} to {finish} ({text.duration(view.duration)})")
        if crosses:
            lines.append(f"{text.duration(view.in_range)} of it on this day")
        lines.extend(self._shared_time(view, zone))
        if entry.billable:
            lines.append("Billable")
        lines.append(state_label(view))
        if view.state == SyncState.PARKED:
            lines.append(f"Clockify said: {view.parked or 'no reason given'}")
            lines.append(FIX_HINT)
        return text.tooltip(lines)

    def _shared_time(self, view: EntryView, zone: tzinfo) -> list[str]:
        """A line per entry of the day that ``view`` shares time with."""
        others = {e.entry.id: e for e in self._day.entries} if self._day else {}
        lines = []
        for other_id in view.overlaps:
            other = others.get(other_id)
            if other is not None:
                name = other.entry.description or NO_DESCRIPTION
                begin = text.local_time(other.entry.start, zone)
                end = text.local_time(other.entry.end, zone) if other.entry.end else "now"
                lines.append(f"⚠ Shares time with “{name}” ({begin} to {end})")
        return lines

    def _row_icon(self, row: Row, column: int) -> QIcon | None:
        """A padlock before the description of an entry in an approved period."""
        if row.locked and column == Column.DESCRIPTION:
            return lock_icon()
        return self._decoration(row.view, column)

    def _decoration(self, view: EntryView, column: int) -> QIcon | None:
        if column == Column.STATE:
            return self._icon(view.state.value, STATE_COLORS[view.state], view.state)
        if column == Column.PROJECT and view.color:
            color = QColor(view.color)
            return self._icon(f"dot{view.color}", color, None) if color.isValid() else None
        return None

    def _icon(self, key: str, color: QColor, state: SyncState | None) -> QIcon:
        """Small markers drawn once: a dot per project colour, a shape per sync state (so the
        states differ by more than colour)."""
        found = self._icons.get(key)
        if found is not None:
            return found
        size = 12
        app = QGuiApplication.instance()
        ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        pixmap = QPixmap(round(size * ratio), round(size * ratio))  # crisp at any scale
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        if state == SyncState.PARKED:
            painter.drawPolygon(QPolygonF([QPointF(6, 0.5), QPointF(11.5, 11), QPointF(0.5, 11)]))
            painter.setPen(QColor("white"))
            painter.drawLine(QPointF(6, 4), QPointF(6, 7.5))
            painter.drawPoint(QPointF(6, 9.5))
        elif state in (SyncState.PENDING, SyncState.UNCLEAR):
            if state == SyncState.UNCLEAR:  # a dot inside the ring: sent, not yet confirmed
                painter.drawEllipse(QPointF(6, 6), 1.6, 1.6)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = painter.pen()
            pen.setStyle(Qt.PenStyle.SolidLine)
            pen.setColor(color)
            pen.setWidthF(2.0)
            painter.setPen(pen)
            painter.drawEllipse(QPointF(6, 6), 4.2, 4.2)
        else:
            radius = 4.5 if state is None else 4.0
            painter.drawEllipse(QPointF(6, 6), radius, radius)
        painter.end()
        icon = QIcon(pixmap)
        self._icons[key] = icon
        return icon
