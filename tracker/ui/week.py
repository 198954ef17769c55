"""The week timesheet window: the week's rows and days in a table edited from the keyboard.

Arrows move, typing a duration (or Enter, F2) edits a cell, Enter or Tab commits, Delete
clears a cell (asked first), Ctrl+Left/Right change the week, Ctrl+N adds a row through the
project picker, Ctrl+Shift+C copies last week, Ctrl+Z undoes. The rules of a cell edit are
the services' (:mod:`tracker.services.timesheet`); the window re-reads only when a change
touches a day it shows, and only while visible. A running timer's cell grows each minute.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QHideEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.services.changes import Changes
from tracker.services.requests import Undo
from tracker.services.timesheet import (
    DAYS,
    ClearCell,
    CopyLastWeek,
    PlanSource,
    RowKey,
    build_week,
    last_week_rows,
    week_start,
)
from tracker.ui import text
from tracker.ui.appearance import set_tone
from tracker.ui.period_header import PeriodHeader
from tracker.ui.week_model import WeekModel, hours
from tracker.ui.week_table import AddRowDialog, WeekTable

__all__ = ["WeekWindow"]

TICK_MS = 30_000
"""How often a running timer's cell is read again (cells show minutes)."""
MINIMUM_SIZE = QSize(560, 300)

RefreshKept = Callable[[Callable[[object], None]], bool]
"""Starts a refresh of what is kept of time off and holidays when it is due (``done(result)``
then runs here) and says whether it did."""


class WeekWindow(QWidget):
    """A week as a timesheet; ``show_week(day)`` picks the week holding ``day``."""

    def __init__(
        self,
        controller: Controller,
        parent: QWidget | None = None,
        *,
        plans: PlanSource | None = None,
        refresh_kept: RefreshKept | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.plans = plans
        """Where the day plans come from (the profile's defaults when ``None``)."""
        self.refresh_kept = refresh_kept
        """Refreshes the kept time off and holidays off the GUI thread when due."""
        self.setWindowTitle("Timesheet")
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(900, 480)
        self._day = controller.today()
        self._extra: dict[date, list[RowKey]] = {}
        """Rows added or copied without time, per week start (kept while the app runs)."""
        self._stale = True
        self.dialog: AddRowDialog | None = None
        self.model = WeekModel(controller, self)
        self.table = WeekTable(self.model, self)
        self.table.clear_requested = self.clear_current
        self._build()
        self._actions()
        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(0)
        self._refresh_soon.timeout.connect(self.refresh)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.refresh)
        controller.changed.connect(self._on_changed)
        controller.failed.connect(self.show_failure)
        self.model.refused.connect(self.show_failure)
        self.model.accepted.connect(self._clear_status)
        self.model.clear_asked.connect(self._clear_asked)

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 8)
        outer.setSpacing(6)
        header = PeriodHeader(self)
        self.prev_button, self.this_button = header.prev_button, header.here_button
        self.next_button, self.title = header.next_button, header.title
        header.addWidget(self.title, 1)
        self.total_label = QLabel(self)
        self.total_label.setTextFormat(Qt.TextFormat.PlainText)
        header.addWidget(self.total_label)
        outer.addLayout(header)
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        outer.addWidget(self.toolbar)
        outer.addWidget(self.table, 1)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        outer.addWidget(self.status_label)
        self.table.size_columns()

    def _actions(self) -> None:
        def action(label: str, keys: list[str], slot: Callable[[], object], tip: str) -> QAction:
            made = QAction(label, self)
            made.setShortcuts([QKeySequence(k) for k in keys])
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            shown = text.key_text(QKeySequence(keys[0]))
            made.setToolTip(f"{tip} ({shown})")
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.previous = action("◀", ["Ctrl+Left"], self.previous_week, "Previous week")
        self.next = action("▶", ["Ctrl+Right"], self.next_week, "Next week")
        self.this_week = action("This week", ["Ctrl+Home"], self.go_this_week, "This week")
        self.add_row = action("Add row…", ["Ctrl+N"], self.ask_row, "Add a project or task row")
        self.copy = action(
            "Copy last week…", ["Ctrl+Shift+C"], self.copy_last_week, "Copy last week's rows"
        )
        self.undo = action("Undo", ["Ctrl+Z"], self.undo_last, "Undo the last change")
        self.prev_button.setDefaultAction(self.previous)
        self.this_button.setDefaultAction(self.this_week)
        self.next_button.setDefaultAction(self.next)
        for item in (self.add_row, self.copy, self.undo):
            self.toolbar.addAction(item)

    # --- public -------------------------------------------------------------------------------

    @property
    def week_start(self) -> date:
        """The first day of the week shown."""
        return week_start(self.controller.tracker.context, self._day)

    def show_week(self, day: date) -> None:
        """Show the week holding ``day``."""
        if week_start(self.controller.tracker.context, day) != self.week_start:
            self._clear_status()
        self._day = day
        self.refresh()

    def refresh(self) -> None:
        """Read the week from the store, keeping the current cell; under an open editor (Tab
        moved on to the next cell) only when the rows stay the same, so figures update in
        place and the editor stays, else once the editor is closed."""
        self._refresh_soon.stop()
        self._stale = False
        current = self.table.currentIndex()
        shown = self.model.row_at(current.row())
        keep = (shown.key if shown else None, current.column()) if current.isValid() else None
        first = self.week_start
        sheet = build_week(
            self.controller.tracker.context,
            first,
            plans=self.plans,
            extra=self._extra.get(first, ()),
        )
        editing = self.table.state() == QAbstractItemView.State.EditingState
        if editing and not self.model.same_rows(sheet):
            self._refresh_soon.start(500)  # never reset the rows under an open editor
            return
        self.model.load(sheet)
        self._show_header()
        if sheet.running and self.isVisible():
            self._ticker.start()
        else:
            self._ticker.stop()
        if not editing:
            self._restore(keep)

    def plans_changed(self) -> None:
        """What is kept of holidays and time off changed: read again now, or when shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _restore(self, keep: tuple[RowKey | None, int] | None) -> None:
        model = self.model
        if model.rowCount() == 0:
            return
        row = None
        column = keep[1] if keep else self._today_column()
        if keep is not None and keep[0] is not None:
            row = model.row_of(keep[0])
        if row is None:
            current = self.table.currentIndex()
            row = current.row() if current.isValid() else 0
        row = min(row, model.rowCount() - 1)
        index = model.index(row, column)
        if self.table.currentIndex() != index:
            self.table.setCurrentIndex(index)

    def focus_row(self, key: RowKey) -> None:
        """Put the cursor on ``key``'s row, in today's column (or the week's first)."""
        row = self.model.row_of(key)
        if row is not None:
            index = self.model.index(row, self._today_column())
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            self.table.setFocus()

    def _today_column(self) -> int:
        days = (self.controller.today() - self.week_start).days
        return days + 1 if 0 <= days < DAYS else 1

    # --- actions ------------------------------------------------------------------------------

    def previous_week(self) -> None:
        self.show_week(self.week_start - timedelta(days=DAYS))

    def next_week(self) -> None:
        self.show_week(self.week_start + timedelta(days=DAYS))

    def go_this_week(self) -> None:
        self.show_week(self.controller.today())

    def clear_current(self) -> None:
        """Delete the current cell's entries, once the person says so."""
        index = self.table.currentIndex()
        row, day = self.model.row_at(index.row()), self.model.day_at(index.column())
        if row is None or day is None or not row.seconds[index.column() - 1]:
            return
        self._clear_asked(row.key, day)

    def _clear_asked(self, key: RowKey, day: date) -> None:
        row = self.model.row_of(key)
        found = self.model.row_at(row) if row is not None else None
        if found is None:
            return
        count = len(found.entry_ids[(day - self.week_start).days])
        what = "its entry" if count == 1 else f"its {count} entries"
        question = f"Clear “{found.label()}” on {day:%A} {day.day} {day:%B}: delete {what}?"
        if not self.confirm(question, "Delete"):
            return
        done = self.controller.act(ClearCell(key, day))
        if done is not None:
            self._say(f"Cleared {found.label()} on {day:%a} {day.day}. Ctrl+Z undoes it.")

    def ask_row(self) -> None:
        """Add a row chosen in the project picker (empty until a duration is typed)."""
        dialog = AddRowDialog(self.controller, self)
        self.dialog = dialog
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            key = dialog.key()
        finally:
            self.dialog = None
            dialog.deleteLater()
        if key == RowKey(None, None, ""):
            self.show_failure("Choose a project or type a description for the new row.")
            return
        rows = self._extra.setdefault(self.week_start, [])
        if key not in rows:
            rows.append(key)
        self.refresh()
        self.focus_row(key)
        self._say("Row added: type a duration in a day to add time.")

    def copy_last_week(self) -> None:
        """Copy last week: its rows only (nothing written), or its entries with their time."""
        box = QMessageBox(QMessageBox.Icon.Question, "Timesheet", "Copy last week?", parent=self)
        box.setInformativeText(
            "Rows only adds last week's projects and tasks here, empty, to fill in.\n"
            "Rows and time also copies last week's entries, each a week later, where a row "
            "has no time yet (Ctrl+Z undoes it)."
        )
        rows_only = box.addButton("Rows only", QMessageBox.ButtonRole.AcceptRole)
        with_time = box.addButton("Rows and time", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(rows_only)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is rows_only:
            self.copy_rows()
        elif box.clickedButton() is with_time:
            self.copy_time()

    def copy_rows(self) -> None:
        keys = last_week_rows(self.controller.tracker.context, self.week_start)
        rows = self._extra.setdefault(self.week_start, [])
        rows.extend(k for k in keys if k not in rows)
        self.refresh()
        self._say(f"Added {len(keys)} rows from last week." if keys else "No rows to add.")

    def copy_time(self) -> None:
        count = self.controller.act(CopyLastWeek(self.week_start))
        if count is not None:
            self._say(f"Copied {count} entries from last week. Ctrl+Z undoes it.")

    def undo_last(self) -> None:
        done = self.controller.act(Undo())
        if done is not None:
            self._say(done[:1].upper() + done[1:] + ".")

    def confirm(self, question: str, action: str) -> bool:
        """Ask ``question``; Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, "Timesheet", question, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.exec()
        return box.clickedButton() is go

    def show_failure(self, message: str) -> None:
        """A refusal (a locked day, a cell that cannot hold it), in the status line."""
        if not self.isVisible():
            return
        set_tone(self.status_label, "error")
        self.status_label.setText(message)

    # --- events -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        elif self.model.sheet is not None and self.model.sheet.running:
            self._ticker.start()
        self.table.setFocus()
        if self.refresh_kept is not None:
            self.refresh_kept(self._kept_refreshed)

    def _kept_refreshed(self, _result: object) -> None:
        """Time off and holidays were fetched (or could not be: the kept copy stays)."""
        self.plans_changed()

    def hideEvent(self, event: QHideEvent) -> None:
        self._ticker.stop()
        self._refresh_soon.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ticker.stop()
        super().closeEvent(event)

    def _on_changed(self, changes: Changes) -> None:
        """Re-read when the change touches a day shown (or the names, or the account)."""
        if changes.account:
            self._extra.clear()  # rows added by hand belong to the workspace they were for
        first = self.week_start
        shown = any(changes.touches(first + timedelta(days=n)) for n in range(DAYS))
        if not (shown or changes.catalog or changes.account):
            return
        if not self.isVisible():
            self._stale = True
        elif self.model.committing:
            self._refresh_soon.start()
        else:
            self.refresh()

    # --- helpers ------------------------------------------------------------------------------

    def _show_header(self) -> None:
        sheet = self.model.sheet
        if sheet is None:
            return
        last = sheet.days[-1]
        first = sheet.start
        span = f"{first.day} {first:%b} \u2013 {last.day} {last:%b %Y}"
        this = week_start(self.controller.tracker.context, self.controller.today())
        self.title.setText(f"Week of {span}" + (" · this week" if first == this else ""))
        total = hours(sheet.shown_total) or "0:00"
        self.total_label.setText(f"{total} of {hours(sheet.capacity) or '0:00'}")

    def _say(self, message: str) -> None:
        set_tone(self.status_label, "text")
        self.status_label.setText(message)

    def _clear_status(self) -> None:
        self._say("")
