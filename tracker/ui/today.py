"""The Today window: one day's entries in a table edited from the keyboard.

The window shows a day (header, totals, sync banner, status line); the table
(:mod:`tracker.ui.today_table`) and the model (:mod:`tracker.ui.entries_model`) show and edit
its entries, and the actions (:mod:`tracker.ui.today_actions`) turn keys into requests. The
window re-reads only when a change touches the day it shows (or its week's total), and only
while it is visible: a hidden window neither ticks nor re-reads, and catches up when shown.
Refusals show in the window's own status line, never in a modal box, and go once the
next change goes through; discarding the running timer is asked first (it cannot be told
from a finished entry by its row alone). The sync banner and the zone warning sit below the
table, so their coming and going never moves a row under the pointer; the header's texts
elide (full text in their tooltips) so the narrowest window never overlaps them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.bridge.status import KEY_MISSING, AccountState, SyncPhase, SyncStatus, account_view
from tracker.domain.workdays import DayPlan
from tracker.services.changes import Changes
from tracker.services.timesheet import kept_plans
from tracker.services.views import DayView, EntryView
from tracker.ui import text
from tracker.ui.appearance import follow_palette, set_tone, tone_colour
from tracker.ui.entries_model import Column, EntriesModel
from tracker.ui.period_header import ElidedLabel, PeriodHeader
from tracker.ui.screen import fit_to_screen
from tracker.ui.today_actions import TodayActions
from tracker.ui.today_table import Cell, EntryTable

__all__ = ["EMPTY_TEXT", "TodayWindow"]

EMPTY_TEXT = "No entries on this day.\nCtrl+N adds one; the timer starts from the tray."
WEEK = 6
"""Days either side of the day shown whose changes move its week's total."""
MINIMUM_SIZE = QSize(460, 300)
"""The narrowest window: it fits beside another on a 1280-pixel screen at scale 2."""


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


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
        open_settings: the banner's "Settings…" (the API key was refused, or is not on this
            computer): Settings' account page, where a key is entered.
        open_week: Ctrl+W, the week timesheet.
    """

    open_settings = Signal()
    open_week = Signal()

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Today")  # the platform adds " — Tracker" (see ui.text)
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(980, 560)
        self._day: date = controller.today()
        self._view: DayView | None = None
        self._stale = True
        """Whether the store may have changed since the table was read (re-read on show)."""
        self._focus_after: Cell | None = None
        self._editors: list[QWidget] = []
        self._failing = False
        """Whether the status line shows a refusal (cleared by the next change that goes
        through)."""

        self.model = EntriesModel(controller, self)
        self.table = EntryTable(self.model, controller, self)
        self._capacity: timedelta | None = None
        self._plan: DayPlan | None = None
        """The shown day's plan as last read (``None``: to be read)."""
        """What the shown day expects (from its plan where known), for the totals."""
        self._build()
        self.commands = TodayActions(self, controller)
        self._place_actions()
        week = QAction("Timesheet", self)
        week.setShortcut(QKeySequence("Ctrl+W"))
        week.triggered.connect(self.open_week.emit)
        self.addAction(week)

        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(0)
        self._refresh_soon.timeout.connect(self.refresh)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)

        controller.changed.connect(self._on_changed)
        controller.failed.connect(self.show_failure)
        self.model.refused.connect(self.show_failure)
        self.model.accepted.connect(self._clear_failure)

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 8)
        outer.setSpacing(6)

        header = PeriodHeader(self)
        header.setSpacing(4)
        self.prev_button, self.today_button = header.prev_button, header.here_button
        self.next_button, self.date_label = header.next_button, header.title
        self.day_note = ElidedLabel(self)
        self.day_note.setObjectName("dayNote")
        self.day_note.hint = "From Clockify's holidays and your time off, as last fetched."
        set_tone(self.day_note, "muted")
        self.day_note.setVisible(False)
        dated = QVBoxLayout()
        dated.setSpacing(0)
        dated.addWidget(self.date_label)
        dated.addWidget(self.day_note)
        header.addLayout(dated, 1)

        totals = QVBoxLayout()
        totals.setSpacing(2)
        self.total_label = ElidedLabel(self)
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(4)
        self.progress.setMinimumWidth(80)
        totals.addWidget(self.total_label)
        totals.addWidget(self.progress)
        header.addLayout(totals, 1)
        header.addSpacing(12)
        self.zone_label = ElidedLabel(self)
        self.zone_label.hint = "Days and totals are counted in this time zone."
        set_tone(self.zone_label, "muted")
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
        self._status: SyncStatus | None = None
        """The worker's latest status (shown again when the account changes)."""
        self._needs_key = False
        """Whether the banner asks for a key (its button opens Settings)."""
        follow_palette(self.sync_banner, self._paint_banner)
        outer.addWidget(self.sync_banner)

    def set_sync_status(self, status: SyncStatus) -> None:
        """Show (or hide) the sync banner for the worker's latest status."""
        self._status = status
        self._sync_phase = status.state
        self._needs_key = status.state == SyncPhase.AUTH
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
        elif self._key_missing(status):
            # An account with no key here: nothing is sent, and only Settings can say why.
            message = f"{KEY_MISSING} Changes made now are kept here and sent once it is."
            if count:
                message = f"{waiting} wait to be sent. {message}"
            button = "Settings…"
            self._needs_key = True
        else:
            self.sync_banner.hide()
            return
        self._paint_banner()
        self.sync_label.setText(message)
        self.sync_button.setText(button)
        self.sync_button.setVisible(bool(button))
        self.sync_banner.show()

    def _key_missing(self, status: SyncStatus) -> bool:
        """Whether an account is recorded but its key is not found (the worker is local)."""
        view = account_view(self.controller.account(), None, status)
        return view.state == AccountState.NO_KEY

    def _paint_banner(self) -> None:
        """The banner's background for the phase in this theme, its text readable on it."""
        phase = SyncPhase.AUTH if self._needs_key else self._sync_phase
        if phase not in _BANNER_TONES:
            return
        light, dark = _BANNER_TONES[phase]
        theme = QGuiApplication.palette()  # this window hears of a new theme only later
        dark_theme = theme.color(QPalette.ColorRole.Window).lightness() < 128
        back = QColor(dark if dark_theme else light)
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Window, back)
        palette.setColor(QPalette.ColorRole.WindowText, tone_colour(palette, "text", back))
        self.sync_banner.setPalette(palette)
        self.sync_banner.setAutoFillBackground(True)

    def _banner_action(self) -> None:
        if self._needs_key:
            self.open_settings.emit()
        else:
            self.controller.sync_now()

    def _build_body(self, outer: QVBoxLayout) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        outer.addWidget(self.toolbar)

        self.table.doubleClicked.connect(self._double_clicked)

        self.empty_label = _plain(QLabel(EMPTY_TEXT, self))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_tone(self.empty_label, "muted")
        bigger = self.empty_label.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.15)
        self.empty_label.setFont(bigger)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        outer.addWidget(self.stack, 1)
        # Below the table: showing or hiding them shortens the table from below, and never
        # moves a row under the pointer.
        self.warning_label = _plain(QLabel(self))
        self.warning_label.setWordWrap(True)
        set_tone(self.warning_label, "warning")
        self.warning_label.hide()
        outer.addWidget(self.warning_label)
        self._build_banner(outer)
        self._build_footer(outer)

    def _build_footer(self, outer: QVBoxLayout) -> None:

        prompt_row = QHBoxLayout()
        self.prompt_label = _plain(QLabel(self))
        self.prompt = QLineEdit(self)
        self.prompt.setMaximumWidth(160)
        self.prompt.setPlaceholderText("13:30, -15m")
        self.prompt.returnPressed.connect(self._prompt_done)
        self.prompt_hint = _plain(QLabel("Enter splits, Esc cancels", self))
        set_tone(self.prompt_hint, "muted")
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
        self.undo_link.linkActivated.connect(lambda _link: self.commands.undo_last())
        self.undo_link.hide()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.undo_link)
        outer.addLayout(status)

    def _place_actions(self) -> None:
        commands = self.commands
        self.prev_button.setDefaultAction(commands.previous)
        self.next_button.setDefaultAction(commands.next)
        self.today_button.setDefaultAction(commands.today)
        for item in (commands.add, commands.continue_, commands.split, commands.fill):
            self.toolbar.addAction(item)
        self.toolbar.addAction(commands.editor)
        self.toolbar.addSeparator()
        self.toolbar.addAction(commands.delete)

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

    def refresh(self, only: frozenset[str] | None = None) -> None:
        """Re-read the day from the store, keeping the current cell; with ``only`` (the
        entries a change wrote), re-read just those rows and the running one."""
        self._refresh_soon.stop()
        self._stale = False
        controller = self.controller
        keep = self._focus_after or self.table.current_cell()
        self._focus_after = None
        shown = self._view
        with controller.reading():  # the day, its zone and the warning agree
            if only is not None and shown is not None and shown.day == self._day:
                view = controller.day_again(shown, only)
            else:
                view = controller.day(self._day)
            zone, now, today = controller.zone(), controller.now(), controller.today()
            warning = controller.zone_warning()
        self._view = view
        self.model.load(view, zone, now)
        was_empty = self.stack.currentWidget() is not self.table
        self.stack.setCurrentWidget(self.table if view.entries else self.empty_label)
        if view.entries and was_empty and not self.prompt.hasFocus():
            # The keys went to a header button while the table was hidden (an empty day).
            self.table.setFocus()
        self._show_header(view, today)
        self.warning_label.setText(f"⚠ {warning}" if warning else "")
        self.warning_label.setVisible(bool(warning))
        self.table.restore_cell(keep)
        for item in self.commands.on_entries():
            item.setEnabled(self.model.rowCount() > 0)
        self._hide_fixed_banner()
        running_here = view.running is not None
        if running_here and self.isVisible():
            self._ticker.start()
        elif not running_here:
            self._ticker.stop()

    def _hide_fixed_banner(self) -> None:
        if self._sync_phase == SyncPhase.ATTENTION and not self.controller.status().parked:
            self.sync_banner.hide()  # the refused changes were edited or deleted meanwhile

    def selected_entry(self) -> EntryView | None:
        """The entry of the current row, if any."""
        return self.table.selected_entry()

    def after_action(self, message: str, *, undo: bool = False, focus: Cell | None = None) -> None:
        """An action here went through (the window already shows it): say so, and put the
        cursor on ``focus`` (editing it when asked)."""
        self._say(message, undo=undo)
        if focus is None:
            return
        if self._refresh_soon.isActive():
            self._focus_after = focus  # the re-read still to come puts it there
        else:
            self.table.restore_cell(focus)

    def ask(self, label: str, value: str) -> None:
        """Ask for a time in the prompt line (Enter splits there, Esc cancels)."""
        self.prompt_label.setText(label)
        self.prompt.setText(value)
        self.prompt.selectAll()
        self.prompt_box.show()
        self.prompt.setFocus()

    def confirm(self, question: str, action: str) -> bool:
        """Ask ``question``; ``action`` names the button that goes on (Cancel is the
        default, so Enter or Esc keeps things as they are)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Today", question, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.exec()
        return box.clickedButton() is go

    def show_failure(self, message: str) -> None:
        """A refusal, in red in the status line (only while the window is visible)."""
        if not self.isVisible():
            return
        self._failing = True
        set_tone(self.status_label, "error")
        self.status_label.setText(message)
        self.undo_link.hide()

    def open_editor(self) -> None:
        """Open the full editor for the selected entry."""
        chosen = self.selected_entry()
        if chosen is None:
            return
        locked = self.model.lock_of(self.table.currentIndex().row())
        if locked:
            self.show_failure(locked)  # said now, instead of a refusal after typing
            return
        from tracker.ui.editor import EntryEditor  # noqa: PLC0415 - only when asked for

        editor = EntryEditor(self.controller, chosen.entry.id, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._editors.append(editor)
        editor.destroyed.connect(lambda: self._editors.remove(editor))
        fit_to_screen(editor)
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

    def _on_changed(self, changes: Changes) -> None:
        """Re-read when the change touches the day shown or its week's total (or the names
        shown), and only while visible (a hidden window re-reads when shown). At once, so the
        table is painted with the rest of the click; after the delegate's commit when the
        change is an edit typed in a cell (the rows must not change under the delegate)."""
        if changes.account:
            self._plan = None  # another account, workspace or profile: other days off
            if self._status is not None:
                self.set_sync_status(self._status)  # an account forgotten or connected
        if not (changes.touches(self._day, around=WEEK) or changes.catalog):
            return
        if not self.isVisible():
            self._stale = True
        elif self.model.committing:
            self._refresh_soon.start()
        elif not changes.catalog and not changes.touches(self._day):
            self._refresh_week()
        elif not changes.catalog and not changes.account and not self._stale:
            self.refresh(changes.ids)  # the rows the change wrote (all when it does not say)
        else:
            self.refresh()

    def _refresh_week(self) -> None:
        """Another day of the week changed: its rows are not read again, only the week's
        total (with a timer running on the day shown, counted at the instant its row was:
        the ticker adds what it ran since)."""
        view = self._view
        if view is None or self.model.loaded_at is None or self._refresh_soon.isActive():
            self.refresh()
            return
        counted_at = self.model.loaded_at if view.running else self.controller.now()
        shown, exact = self.controller.week_totals(view.day, counted_at)
        self._view = replace(view, week_total=shown, exact_week_total=exact)
        self._tick()
        self._hide_fixed_banner()

    def plans_changed(self) -> None:
        """What is kept of holidays and time off changed: read again now, or when shown."""
        self._plan = None
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

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
        plan = self._plan_of(day)
        note = plan_note(plan)
        self.date_label.setText(name)
        self.day_note.setText(note)
        self.day_note.setVisible(bool(note))
        self._capacity = view.capacity
        if view.capacity is not None or note:  # the plan knows the day: its capacity
            self._capacity = timedelta(seconds=plan.capacity)
        self.zone_label.setText(view.zone)
        self._show_totals(view, timedelta(0))

    def _plan_of(self, day: date) -> DayPlan:
        """The day's plan as kept (holiday, time off, capacity): read once per day shown, and
        again only when what is kept of them or the account changed, not on every entry."""
        if self._plan is None or self._plan.day != day:
            self._plan = kept_plans(self.controller.tracker.context)([day])[day]
        return self._plan

    def _show_totals(self, view: DayView, grown: timedelta) -> None:
        total = view.total + grown
        week = view.week_total + grown
        capacity = self._capacity
        if capacity is None:
            day_text = text.duration(total)
        elif not capacity:
            day_text = f"{text.duration(total)} (day off)"
        else:
            day_text = text.against_capacity(total, capacity)
        self.total_label.setText(f"Day {day_text}   ·   Week {text.duration(week)}")
        self.progress.setVisible(bool(capacity))
        if capacity:
            maximum = int(capacity.total_seconds() // 60)
            self.progress.setRange(0, maximum)
            self.progress.setValue(min(maximum, int(total.total_seconds() // 60)))

    def _double_clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        locked = self.model.lock_of(index.row()) if index.isValid() else ""
        if locked:
            self.table.setCurrentIndex(index)
            self.show_failure(locked)
        elif index.isValid() and index.column() == Column.STATE:
            self.table.setCurrentIndex(index)
            self.open_editor()

    def _prompt_done(self) -> None:
        typed = self.prompt.text()
        self.prompt_box.hide()
        self.table.setFocus()
        self.commands.split_selected(typed)

    def _clear_failure(self) -> None:
        """A change went through: a refusal still shown is about what was just fixed."""
        if self._failing:
            self._clear_status()

    def _say(self, message: str, *, undo: bool = False) -> None:
        self._failing = False
        set_tone(self.status_label, "text")
        self.status_label.setText(message)
        self.undo_link.setVisible(undo)

    def _clear_status(self) -> None:
        self._failing = False
        self.status_label.clear()
        self.undo_link.hide()


def plan_note(plan: DayPlan) -> str:
    """What the header says of a day's plan: its holiday, or its time off ("Vacation — half
    day", "Appointments — 2:00", "(asked for)" while pending); empty for an ordinary day."""
    if plan.holiday:
        return plan.holiday
    notes = []
    for mark in plan.time_off:
        shape = " — half day" if mark.half_day else ""
        if not mark.half_day and mark.seconds < plan.base_capacity:
            shape = f" — {text.duration(timedelta(seconds=mark.seconds))}"
        asked = " (asked for)" if mark.status != "APPROVED" else ""
        notes.append(f"{mark.policy}{shape}{asked}")
    return ", ".join(notes)
