"""The Today window: one day's entries in a table edited from the keyboard.

Every change goes through the controller and the table re-reads when the controller says
``changed``. Refusals show in the window's own status line, never in a modal box. While the
window is hidden it neither ticks nor re-reads: it catches up when shown again.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.domain.timeutil import TimeParseError, day_bounds
from tracker.services.views import DayView, EntryView
from tracker.ui import text
from tracker.ui.delegates import EntryDelegate
from tracker.ui.entries_model import Column, EntriesModel

__all__ = ["EMPTY_TEXT", "TodayWindow"]

EMPTY_TEXT = "No entries on this day.\nCtrl+N adds one; the timer starts from the tray."
DEFAULT_LENGTH = timedelta(minutes=30)


def tone(widget: QWidget, light: str, dark: str) -> QColor:
    """``light`` on a light palette, ``dark`` on a dark one: readable on both."""
    background = widget.palette().color(QPalette.ColorRole.Window)
    return QColor(dark if background.lightness() < 128 else light)


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class EntryTable(QTableView):
    """The entries table: Enter or F2 edits the current cell, Tab skips the marker column.

    Enter on the marker column opens the full editor (``open_requested``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if (
            plain
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            index = self.currentIndex()
            if index.isValid():
                if index.flags() & Qt.ItemFlag.ItemIsEditable:
                    self.edit(index)
                else:
                    self.doubleClicked.emit(index)
                event.accept()
                return
        super().keyPressEvent(event)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        index = super().moveCursor(cursorAction, modifiers)
        if not index.isValid() or index.column() != Column.STATE:
            return index
        # Tab lands on editable cells only: the marker column is stepped over.
        if cursorAction == QAbstractItemView.CursorAction.MoveNext:
            return index.siblingAtColumn(Column.DESCRIPTION)
        if cursorAction == QAbstractItemView.CursorAction.MovePrevious:
            if index.row() == 0:
                return self.currentIndex()
            return index.sibling(index.row() - 1, Column.DURATION)
        return index


_BANNER_TONES = {
    SyncPhase.OFFLINE: ("#fff4d6", "#4a3b12"),
    SyncPhase.AUTH: ("#fde2e1", "#5a1f1d"),
    SyncPhase.ATTENTION: ("#fde2e1", "#5a1f1d"),
}
"""Banner backgrounds (light palette, dark palette): amber waits, red needs the person."""


class TodayWindow(QWidget):
    """A day's entries, totals and sync states; quick edits in place.

    ``show_day(day)`` picks the day, ``refresh()`` re-reads it (done on ``changed``).
    ``set_sync_status`` shows a banner while sync is offline or needs the person.

    Signals:
        open_settings: the banner's "Settings…" (the API key was refused).
    """

    open_settings = Signal()

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Today — Clockify tracker")
        self.resize(980, 560)
        self._day: date = controller.today()
        self._view: DayView | None = None
        self._stale = True
        """Whether the store may have changed since the table was read (re-read on show)."""
        self._focus_after: tuple[str, Column, bool] | None = None
        self._editors: list[QWidget] = []

        self.model = EntriesModel(controller, self)
        self.table = EntryTable(self)
        self._build()
        self._build_actions()

        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(0)
        self._refresh_soon.timeout.connect(self.refresh)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)

        controller.changed.connect(self._changed)
        controller.failed.connect(self._failed)
        self.model.refused.connect(self._failed)

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 8)
        outer.setSpacing(6)

        header = QHBoxLayout()
        header.setSpacing(4)
        self.prev_button = QToolButton(self)
        self.today_button = QToolButton(self)
        self.next_button = QToolButton(self)
        for button in (self.prev_button, self.today_button, self.next_button):
            button.setAutoRaise(True)
            header.addWidget(button)
        header.addSpacing(8)
        self.date_label = _plain(QLabel(self))
        font = self.date_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.date_label.setFont(font)
        header.addWidget(self.date_label)
        header.addStretch(1)

        totals = QVBoxLayout()
        totals.setSpacing(2)
        self.total_label = _plain(QLabel(self))
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(4)
        self.progress.setMinimumWidth(220)
        totals.addWidget(self.total_label)
        totals.addWidget(self.progress)
        header.addLayout(totals)
        header.addSpacing(12)
        self.zone_label = _plain(QLabel(self))
        self.zone_label.setToolTip("Days and totals are counted in this time zone.")
        muted = self.zone_label.palette()
        muted.setColor(
            QPalette.ColorRole.WindowText, muted.color(QPalette.ColorRole.PlaceholderText)
        )
        self.zone_label.setPalette(muted)
        header.addWidget(self.zone_label)
        outer.addLayout(header)
        self._build_body(outer)

    def _build_banner(self, outer: QVBoxLayout) -> None:
        """A line about sync that only shows when it matters (offline, key refused, parked)."""
        self.sync_banner = QFrame(self)
        self.sync_banner.setObjectName("syncBanner")
        self.sync_banner.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self.sync_banner)
        row.setContentsMargins(8, 4, 4, 4)
        self.sync_label = _plain(QLabel(self.sync_banner))
        self.sync_label.setWordWrap(True)
        row.addWidget(self.sync_label, 1)
        self.sync_button = QPushButton(self.sync_banner)
        self.sync_button.setAutoDefault(False)
        self.sync_button.clicked.connect(self._banner_action)
        row.addWidget(self.sync_button)
        self.sync_banner.hide()
        self._sync_phase: SyncPhase | None = None
        outer.addWidget(self.sync_banner)

    def set_sync_status(self, status: SyncStatus) -> None:
        """Show (or hide) the sync banner for the worker's latest status."""
        self._sync_phase = status.state
        count = status.pending
        waiting = f"{count} change{'s' if count != 1 else ''}"
        if status.state == SyncPhase.OFFLINE:
            message = status.message or (
                "Clockify cannot be reached; changes made now are kept here."
            )
            if count:
                message = f"{waiting} wait to be sent. {message}"
            button = "Retry now"
        elif status.state == SyncPhase.AUTH:
            message = (
                "Clockify refused the API key, so nothing is sent. Your entries are kept "
                "here; enter a new key in Settings to sync again."
            )
            button = "Settings…"
        elif status.state == SyncPhase.ATTENTION:
            refused = status.parked
            message = (
                f"Clockify refused {refused} change{'s' if refused != 1 else ''}: the rows "
                "marked ! say why. Edit them to send them again."
            )
            button = ""
        else:
            self.sync_banner.hide()
            return
        light, dark = _BANNER_TONES[status.state]
        colour = tone(self, light, dark).name()
        self.sync_banner.setStyleSheet(
            f"#syncBanner {{ background: {colour}; border-radius: 4px; }}"
        )
        self.sync_label.setText(message)
        self.sync_button.setText(button)
        self.sync_button.setVisible(bool(button))
        self.sync_banner.show()

    def _banner_action(self) -> None:
        if self._sync_phase == SyncPhase.AUTH:
            self.open_settings.emit()
        else:
            self.controller.sync_now()

    def _build_body(self, outer: QVBoxLayout) -> None:

        self.warning_label = _plain(QLabel(self))
        self.warning_label.setWordWrap(True)
        warn = self.warning_label.palette()
        warn.setColor(QPalette.ColorRole.WindowText, tone(self, "#8a5a00", "#ffcc80"))
        self.warning_label.setPalette(warn)
        self.warning_label.hide()
        outer.addWidget(self.warning_label)
        self._build_banner(outer)

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        outer.addWidget(self.toolbar)

        table = self.table
        table.setModel(self.model)
        table.setItemDelegate(
            EntryDelegate(self._completion_projects, self._completion_tags, table)
        )
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTabKeyNavigation(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
        table.horizontalHeader().setHighlightSections(False)
        table.doubleClicked.connect(self._double_clicked)
        self._size_columns()

        self.empty_label = _plain(QLabel(EMPTY_TEXT, self))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setPalette(self._muted())
        bigger = self.empty_label.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.15)
        self.empty_label.setFont(bigger)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(table)
        self.stack.addWidget(self.empty_label)
        outer.addWidget(self.stack, 1)
        self._build_footer(outer)

    def _build_footer(self, outer: QVBoxLayout) -> None:

        prompt_row = QHBoxLayout()
        self.prompt_label = _plain(QLabel(self))
        self.prompt = QLineEdit(self)
        self.prompt.setMaximumWidth(160)
        self.prompt.setPlaceholderText("13:30, -15m")
        self.prompt.returnPressed.connect(self._prompt_done)
        self.prompt_hint = _plain(QLabel("Enter splits, Esc cancels", self))
        self.prompt_hint.setPalette(self._muted())
        prompt_row.addWidget(self.prompt_label)
        prompt_row.addWidget(self.prompt)
        prompt_row.addWidget(self.prompt_hint)
        prompt_row.addStretch(1)
        self.prompt_box = QWidget(self)
        self.prompt_box.setLayout(prompt_row)
        prompt_row.setContentsMargins(0, 0, 0, 0)
        self.prompt_box.hide()
        self.prompt.installEventFilter(self)
        outer.addWidget(self.prompt_box)

        status = QHBoxLayout()
        status.setSpacing(8)
        self.status_label = _plain(QLabel(self))
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo_link = QLabel("<a href='undo'>Undo</a>", self)
        self.undo_link.setTextFormat(Qt.TextFormat.RichText)
        self.undo_link.linkActivated.connect(lambda _link: self.undo())
        self.undo_link.hide()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.undo_link)
        outer.addLayout(status)

    def _muted(self) -> QPalette:
        palette = self.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
        )
        return palette

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        header.setMinimumSectionSize(24)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.STATE, QHeaderView.ResizeMode.Fixed)
        time_width = metrics.horizontalAdvance("← 00:00") + 24
        widths = {
            Column.STATE: 44,
            Column.PROJECT: metrics.horizontalAdvance("M") * 20,
            Column.TAGS: metrics.horizontalAdvance("M") * 10,
            Column.START: time_width,
            Column.END: max(time_width, metrics.horizontalAdvance("running") + 24),
            Column.DURATION: metrics.horizontalAdvance("Duration") + 28,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)

    def _build_actions(self) -> None:
        def action(
            label: str, keys: list[str], slot: object, tip: str, *, table_only: bool = False
        ) -> QAction:
            made = QAction(label, self)
            made.setShortcuts([QKeySequence(k) for k in keys])
            shown = ", ".join(
                QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys[:1]
            )
            made.setToolTip(f"{tip} ({shown})" if shown else tip)
            made.triggered.connect(slot)
            if table_only:
                made.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                self.table.addAction(made)
            else:
                made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                self.addAction(made)
            return made

        self.add_action = action("Add", ["Ctrl+N"], self.add_entry, "Add a finished entry")
        self.delete_action = action(
            "Delete", ["Del"], self.delete_selected, "Delete the entry", table_only=True
        )
        self.continue_action = action(
            "Continue",
            ["Ctrl+Return", "Ctrl+Enter"],
            self.continue_selected,
            "Start a timer like this entry",
        )
        self.split_action = action(
            "Split…",
            ["Ctrl+Shift+S"],
            lambda: self.split_selected(None),
            "Cut the entry in two at a time you type",
        )
        self.fill_action = action(
            "Fill gap",
            ["Ctrl+G"],
            self.fill_gap,
            "Add an entry covering the gap before this one",
        )
        self.editor_action = action("Edit…", ["Ctrl+E"], self.open_editor, "Edit every field")
        self.undo_action = action("Undo", ["Ctrl+Z"], self.undo, "Undo the last change")
        self.prev_action = action("◀", ["Alt+Left"], self.previous_day, "Previous day")
        self.next_action = action("▶", ["Alt+Right"], self.next_day, "Next day")
        self.today_action = action("Today", ["Alt+Home"], self.go_today, "Go to today")
        self.prev_button.setDefaultAction(self.prev_action)
        self.next_button.setDefaultAction(self.next_action)
        self.today_button.setDefaultAction(self.today_action)
        for item in (
            self.add_action,
            self.continue_action,
            self.split_action,
            self.fill_action,
            self.editor_action,
        ):
            self.toolbar.addAction(item)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.delete_action)

    # --- public -------------------------------------------------------------------------------

    @property
    def shown_day(self) -> date:
        """The day the table shows."""
        return self._day

    def show_day(self, day: date) -> None:
        """Show ``day``'s entries."""
        if day != self._day:
            self._day = day
            self._clear_status()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the day from the store, keeping the current cell."""
        self._refresh_soon.stop()
        self._stale = False
        controller = self.controller
        keep = self._current_cell()
        view = controller.day(self._day)
        zone = controller.tracker.context.zone()
        now = controller.now()
        self._view = view
        self.model.load(view, zone, now)
        self.stack.setCurrentWidget(self.table if view.entries else self.empty_label)
        self._show_header(view, controller.today())
        warning = controller.status().zone_warning
        self.warning_label.setText(f"⚠ {warning}" if warning else "")
        self.warning_label.setVisible(bool(warning))
        self._restore_cell(keep)
        self._update_actions()
        running_here = view.running is not None
        if running_here and self.isVisible():
            self._ticker.start()
        elif not running_here:
            self._ticker.stop()

    def selected_entry(self) -> EntryView | None:
        """The entry of the current row, if any."""
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.entry(index.row())

    def previous_day(self) -> None:
        """Show the day before."""
        self.show_day(self._day - timedelta(days=1))

    def next_day(self) -> None:
        """Show the day after."""
        self.show_day(self._day + timedelta(days=1))

    def go_today(self) -> None:
        """Show today."""
        self.show_day(self.controller.today())

    def add_entry(self) -> None:
        """Add an entry after the last one (or the last half hour) and edit its description."""
        controller = self.controller
        now = controller.now()
        view = self._view or controller.day(self._day)
        ends = [e.entry.end for e in view.entries if e.entry.end is not None]
        day_start, day_end = day_bounds(self._day, controller.tracker.context.zone())
        if self._day == controller.today():
            last = max(ends, default=None)
            start = last if last is not None and last < now else now - DEFAULT_LENGTH
            end = now
            if view.running is not None:
                start, end = now - DEFAULT_LENGTH, now
        else:
            start = max(ends, default=day_start + timedelta(hours=9))
            start = min(start, day_end - DEFAULT_LENGTH)
            end = start + DEFAULT_LENGTH
        added = controller.add(start, end)
        if added is not None:
            self._focus_after = (added.id, Column.DESCRIPTION, True)
            self._say("Added an entry; type what it was.")
            self.refresh()

    def delete_selected(self) -> None:
        """Delete the selected entry; the status line offers Undo."""
        chosen = self.selected_entry()
        if chosen is None:
            return
        deleted = self.controller.delete(chosen.entry.id)
        if deleted is not None:
            zone = self.controller.tracker.context.zone()
            name = deleted.description or "entry without description"
            when = text.local_time(deleted.start, zone)
            if deleted.end is not None:
                when += f" to {text.local_time(deleted.end, zone)}"
            self._say(f"Deleted “{name}” ({when}).", undo=True)
            self.refresh()

    def undo(self) -> None:
        """Undo the newest change."""
        done = self.controller.undo()
        if done is not None:
            self._say(done[:1].upper() + done[1:] + ".")
            self.refresh()

    def continue_selected(self) -> None:
        """Start a timer with the selected entry's description, project and tags."""
        chosen = self.selected_entry()
        if chosen is None:
            return
        started = self.controller.continue_(chosen.entry.id)
        if started is not None:
            name = chosen.entry.description or "the entry"
            self._say(f"Started “{name}” again.")
            self.refresh()

    def split_selected(self, at: str | None = None) -> None:
        """Cut the selected entry in two at ``at`` (typed as in the table); ``None`` asks."""
        chosen = self.selected_entry()
        if chosen is None:
            return
        entry = chosen.entry
        zone = self.controller.tracker.context.zone()
        if at is None:
            until = entry.end or self.controller.now()
            middle = entry.start + (until - entry.start) / 2
            middle -= timedelta(minutes=middle.minute % 5, seconds=middle.second)
            self._ask(f"Split “{entry.description or 'entry'}” at", text.local_time(middle, zone))
            return
        try:
            cut = self.model.read_time(at, entry.start, self.controller.now())
        except TimeParseError as exc:
            self._failed(str(exc))
            return
        parts = self.controller.split(entry.id, cut)
        if parts is not None:
            self._focus_after = (parts[1].id, Column.DESCRIPTION, False)
            self._say(f"Split at {text.local_time(cut, zone)}.")
            self.refresh()

    def fill_gap(self) -> None:
        """Add an entry from the end of the previous entry to the start of the selected one."""
        chosen = self.selected_entry()
        if chosen is None or self._view is None:
            return
        start = chosen.entry.start
        ends = [
            e.entry.end
            for e in self._view.entries
            if e.entry.end is not None and e.entry.end <= start and e.entry.id != chosen.entry.id
        ]
        if not ends:
            self._failed("There is no earlier entry on this day to fill up to.")
            return
        begin = max(ends)
        if begin >= start:
            self._failed("There is no gap before this entry.")
            return
        added = self.controller.add(begin, start)
        if added is not None:
            self._focus_after = (added.id, Column.DESCRIPTION, True)
            self._say("Filled the gap; type what it was.")
            self.refresh()

    def open_editor(self) -> None:
        """Open the full editor for the selected entry."""
        chosen = self.selected_entry()
        if chosen is None:
            return
        from tracker.ui.editor import EntryEditor  # noqa: PLC0415 - only when asked for

        editor = EntryEditor(self.controller, chosen.entry.id, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._editors.append(editor)
        editor.destroyed.connect(lambda: self._editors.remove(editor))
        editor.open()

    # --- events -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._clear_status()
        if self._stale:  # not when show_day() has just read it: 300 rows cost a few ms each
            self.refresh()
        self.table.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        self._ticker.stop()
        self._refresh_soon.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ticker.stop()
        super().closeEvent(event)

    def eventFilter(self, watched: object, event: object) -> bool:
        if (
            watched is self.prompt
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.prompt_box.hide()
            self.table.setFocus()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    # --- helpers ------------------------------------------------------------------------------

    def _changed(self) -> None:
        if self.isVisible():
            self._refresh_soon.start()  # after the delegate's commit, once per burst
        else:
            self._stale = True  # a hidden window re-reads when shown

    def _tick(self) -> None:
        if not self.isVisible() or self._view is None:
            self._ticker.stop()
            return
        grown = self.model.tick(self.controller.now())
        self._show_totals(self._view, grown)

    def _show_header(self, view: DayView, today: date) -> None:
        day = view.day
        name = f"{day:%A}, {day.day} {day:%B %Y}"
        if day == today:
            name += " · today"
        elif day == today - timedelta(days=1):
            name += " · yesterday"
        self.date_label.setText(name)
        self.zone_label.setText(view.zone)
        self._show_totals(view, timedelta(0))

    def _show_totals(self, view: DayView, grown: timedelta) -> None:
        total = view.total + grown
        week = view.week_total + grown
        if view.capacity is None:
            day_text = text.duration(total)
        elif not view.capacity:
            day_text = f"{text.duration(total)} (day off)"
        else:
            day_text = text.against_capacity(total, view.capacity)
        self.total_label.setText(f"Day {day_text}   ·   Week {text.duration(week)}")
        capacity = view.capacity
        self.progress.setVisible(bool(capacity))
        if capacity:
            maximum = int(capacity.total_seconds() // 60)
            self.progress.setRange(0, maximum)
            self.progress.setValue(min(maximum, int(total.total_seconds() // 60)))

    def _current_cell(self) -> tuple[str, Column, bool] | None:
        if self._focus_after is not None:
            found, self._focus_after = self._focus_after, None
            return found
        chosen = self.selected_entry()
        if chosen is None:
            return None
        return chosen.entry.id, Column(max(self.table.currentIndex().column(), 1)), False

    def _restore_cell(self, keep: tuple[str, Column, bool] | None) -> None:
        if self.model.rowCount() == 0:
            return
        row = self.model.row_of(keep[0]) if keep else None
        if row is None:
            current = self.table.currentIndex()
            if current.isValid():
                return
            row = self.model.rowCount() - 1
        column = keep[1] if keep else Column.DESCRIPTION
        index = self.model.index(row, column)
        if self.table.currentIndex() != index:
            self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        if keep and keep[2]:
            self.table.setFocus()
            self.table.edit(index)

    def _update_actions(self) -> None:
        has_rows = self.model.rowCount() > 0
        for item in (
            self.delete_action,
            self.continue_action,
            self.split_action,
            self.fill_action,
            self.editor_action,
        ):
            item.setEnabled(has_rows)

    def _double_clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid() and index.column() == Column.STATE:
            self.table.setCurrentIndex(index)
            self.open_editor()

    def _ask(self, label: str, value: str) -> None:
        self.prompt_label.setText(label)
        self.prompt.setText(value)
        self.prompt.selectAll()
        self.prompt_box.show()
        self.prompt.setFocus()

    def _prompt_done(self) -> None:
        typed = self.prompt.text()
        self.prompt_box.hide()
        self.table.setFocus()
        self.split_selected(typed)

    def _completion_projects(self) -> list[str]:
        names: list[str] = []
        for project in self.controller.projects():
            names.append(project.name)
            names.extend(f"{project.name}: {task.name}" for task in self.controller.tasks(project))
        return names

    def _completion_tags(self) -> list[str]:
        return [tag.name for tag in self.controller.tags()]

    def _say(self, message: str, *, undo: bool = False) -> None:
        palette = self.status_label.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, self.palette().color(QPalette.ColorRole.WindowText)
        )
        self.status_label.setPalette(palette)
        self.status_label.setText(message)
        self.undo_link.setVisible(undo)

    def _failed(self, message: str) -> None:
        if not self.isVisible():
            return
        palette = self.status_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, tone(self, "#c62828", "#ff8a80"))
        self.status_label.setPalette(palette)
        self.status_label.setText(message)
        self.undo_link.hide()

    def _clear_status(self) -> None:
        self.status_label.clear()
        self.undo_link.hide()
