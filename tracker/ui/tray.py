"""The tray icon: its menu, tooltip and icon, or the timer window where no tray exists.

The menu is built whether or not a tray is available, so the timer window and offscreen
tests use the same actions. The icon and tooltip are re-read when a change touches what they
show (the timer, today's entries, the account, the backlog), when the worker's sync status
changes, and once a minute (on the running entry's minute boundary, and only while a timer
runs: idle wake-ups cost battery). The menu's texts and its Continue list are re-read right
before the menu shows, and only when a change may have made them stale.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from tracker.bridge.controller import Controller
from tracker.bridge.status import (
    AccountState,
    AccountView,
    SyncPhase,
    SyncStatus,
    account_view,
    ago,
    sent_line,
)
from tracker.domain.durations import shown_length
from tracker.services.changes import Changes
from tracker.services.recent import RecentEntry, work_of
from tracker.services.views import StatusView
from tracker.ui import text
from tracker.ui.icons import TrayKind, tray_icon

if TYPE_CHECKING:
    from tracker.ui.timer_window import TimerWindow

__all__ = ["Tray", "entry_title", "sync_line"]

RECENT = 5
"""How many distinct entries the Continue submenu offers."""

MENU_TEXT_WIDTH = 48
"""Characters of a description shown in a menu item before it is cut with an ellipsis."""

TICK_MARGIN_MS = 50
"""How long after the minute boundary the tick fires, so the new minute is already shown."""

PLAIN_TOOLTIPS = sys.platform in ("win32", "darwin")

_CONNECT_TEXT = {
    AccountState.LOCAL: "Connect Clockify…",
    AccountState.REFUSED: "Enter a new API key…",
    AccountState.NO_KEY: "Enter the API key…",
    AccountState.CONNECTED: "Connect Clockify…",
}
"""The menu item that opens Settings' account page, by what the account needs."""
"""Windows and macOS show tray tooltips as plain text; elsewhere Qt may render rich text."""


class Tray(QObject):
    """The tray icon and its menu (or the timer window standing in for them).

    Signals:
        open_popup: the person wants the timer popup.
        open_today: "Open today…".
        open_reports: "Reports…".
        open_week: "Timesheet…".
        open_approvals: "Approvals…" (shown where the plan has approvals).
        menu_opened: the menu is about to show (the app asks for a fresh count then).
        open_time_off: "Time off…" (shown where the plan has time off).
        open_workspace: "Workspace…" (shown to owners, admins and managers).
        open_settings: "Settings…".
        open_connect: "Connect Clockify…" (shown while local-only): Settings' account page.
        open_welcome: "Getting started…": the welcome window.
        quit_requested: "Quit".
    """

    open_popup = Signal()
    open_today = Signal()
    open_reports = Signal()
    open_week = Signal()
    open_approvals = Signal()
    menu_opened = Signal()
    open_time_off = Signal()
    open_workspace = Signal()
    open_settings = Signal()
    open_connect = Signal()
    open_welcome = Signal()
    quit_requested = Signal()

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._left_click = controller.preferences().left_click
        self._sync: SyncStatus | None = None
        self._view: StatusView | None = None
        self._recent: list[RecentEntry] = []
        self._menu_stale = True
        """Whether a change may have made the Continue list and the Start text stale."""
        self._kind: TrayKind = "stopped"
        self._tooltip = ""
        self._waiting_offline = 0
        """Changes that waited while Clockify could not be reached (confirmed once sent)."""
        self._confirmation: str | None = None

        self._menu = self._build_menu()

        self._tick = QTimer(self)
        self._tick.setSingleShot(True)
        self._tick.timeout.connect(self.refresh)

        self.has_tray = QSystemTrayIcon.isSystemTrayAvailable()
        self._icon: QSystemTrayIcon | None = None
        self._window: TimerWindow | None = None
        if self.has_tray:
            self._icon = QSystemTrayIcon(self)
            self._icon.setContextMenu(self._menu)
            self._icon.activated.connect(self.on_activated)
        else:
            from tracker.ui.timer_window import TimerWindow  # noqa: PLC0415 - without a tray

            self._window = TimerWindow(self._menu)
            self._window.toggle_clicked.connect(self._toggle)

        controller.changed.connect(self._on_changed)
        self._rebuild_menu()
        self.refresh()

    # --- what others use ----------------------------------------------------------------------

    def show(self) -> None:
        """Put the icon in the tray (or show the timer window)."""
        if self._icon is not None:
            self._icon.show()
        elif self._window is not None:
            self._window.show()

    def hide(self) -> None:
        """Take the icon away (or hide the timer window)."""
        self._tick.stop()
        if self._icon is not None:
            self._icon.hide()
        elif self._window is not None:
            self._window.hide()

    def is_shown(self) -> bool:
        """Whether the icon (or the timer window) is on screen."""
        if self._icon is not None:
            return self._icon.isVisible()
        return self._window is not None and self._window.isVisible()

    def geometry(self) -> QRect:
        """Where the icon is on screen (the timer window's frame without a tray)."""
        if self._icon is not None:
            return self._icon.geometry()
        if self._window is not None and self._window.isVisible():
            return self._window.frameGeometry()
        return QRect()

    def menu(self) -> QMenu:
        """The tray menu (also behind the timer window's menu button)."""
        return self._menu

    def continue_menu(self) -> QMenu:
        """The Continue submenu."""
        return self._continue

    def icon_kind(self) -> TrayKind:
        """Which icon is shown."""
        return self._kind

    def tooltip(self) -> str:
        """The tooltip as set on the icon."""
        return self._tooltip

    def tray_icon(self) -> QSystemTrayIcon | None:
        """The system tray icon, ``None`` where there is no tray."""
        return self._icon

    def timer_window(self) -> TimerWindow | None:
        """The stand-in window, ``None`` where there is a tray."""
        return self._window

    def show_message(self, title: str, message: str, kind: TrayKind = "attention") -> bool:
        """A desktop notification from the icon (plain text); ``False`` where none can show."""
        if self._icon is not None and QSystemTrayIcon.supportsMessages():
            icon = (
                QSystemTrayIcon.MessageIcon.Warning
                if kind == "attention"
                else QSystemTrayIcon.MessageIcon.Information
            )
            self._icon.showMessage(title, message, icon)
            return True
        if self._window is not None:
            self._window.show_message(title, message)
            return True
        return False

    def set_sync_status(self, status: SyncStatus) -> None:
        """The worker's latest status (slot for ``SyncWorker.status_changed``)."""
        self._sync = status
        self._confirm_sent(status)
        self.refresh()

    def confirmation(self) -> str | None:
        """The latest "N changes sent to Clockify" said after a time offline."""
        return self._confirmation

    def _confirm_sent(self, status: SyncStatus) -> None:
        """Once the connection is back, say quietly (one message, no sound of its own) how
        many of the changes that waited went out; nothing when nothing waited."""
        if status.state == SyncPhase.OFFLINE:
            self._waiting_offline = max(self._waiting_offline, status.pending)
            return
        if status.state == SyncPhase.SYNCING or not self._waiting_offline:
            return
        sent = self._waiting_offline - status.pending
        self._waiting_offline = 0
        if sent > 0 and status.state in (SyncPhase.SYNCED, SyncPhase.PENDING):
            self._confirmation = sent_line(sent)
            self.show_message("Back online", self._confirmation, "stopped")

    def refresh(self) -> None:
        """Re-read the state and update the icon, tooltip and menu texts (the Continue list
        waits for the menu to show: :meth:`_on_menu_shows`)."""
        view = self.controller.status()
        self._view = view
        running = view.running
        elapsed = _shown_elapsed(view)
        total = text.against_capacity(view.today_total, view.capacity)
        sync = self._effective_sync(view)

        if running is not None:
            title = entry_title(running.entry.description, running.project, running.task)
            self._start_stop.setText(f"{_menu_text(f'Stop — {title}')}  {text.duration(elapsed)}")
        else:
            recent = self._recent
            self._start_stop.setText(
                _menu_text(f"Start — {_recent_label(recent[0])}") if recent else "Start timer"
            )
        self._total.setText(f"Today: {total}")
        account = self.account_view()
        self._connect.setVisible(account.needs_key)
        self._connect.setText(_CONNECT_TEXT[account.state])
        if sync.state == SyncPhase.LOCAL:
            self._sync_now.setText("Sync now — Local only")
            self._sync_now.setEnabled(False)
        else:
            pending = sync.pending
            synced = self._synced_ago(sync)
            label = f"Sync now — synced {synced}" if synced else "Sync now"
            self._sync_now.setText(f"Sync now ({pending} pending)" if pending else label)
            self._sync_now.setEnabled(sync.state != SyncPhase.SYNCING)

        self._kind = "attention" if account.state == AccountState.NO_KEY else _kind(view, sync)
        icon = tray_icon(self._kind)
        lines = _status_lines(view, sync, account)
        if sync.last_sync is not None and sync.state in (SyncPhase.SYNCED, SyncPhase.PENDING):
            zone = self.controller.zone()
            today = sync.last_sync.astimezone(zone).date() == self.controller.today()
            at = text.local_time(sync.last_sync, zone, with_date=not today)
            lines.append(f"Synced at {at}")  # a tooltip is not re-read on hover: no "ago"
        self._tooltip = _tooltip_markup(lines)
        if self._icon is not None:
            self._icon.setIcon(icon)
            self._icon.setToolTip(self._tooltip)
        if self._window is not None:
            timing = [line for line in lines[1:] if line.startswith(("Running ", "Today "))]
            detail = "  ·  ".join(timing)
            rest = [line for line in lines[1:] if line not in timing]
            if rest:
                detail += "\n" + rest[0]
            self._window.set_state(icon, _cut(lines[0]), detail, running=running is not None)
        # The shown minute changes with the wall clock's (times and lengths are cut alike).
        into = timedelta(seconds=view.now.second, microseconds=view.now.microsecond)
        self._schedule(into if running is not None else None)

    def _build_menu(self) -> QMenu:
        """The menu: the timer, today's total, the windows, sync and the app."""
        self._menu = QMenu()
        self._menu.setObjectName("trayMenu")
        self._start_stop = self._add("Start", "startStop", self._on_start_stop)
        self._continue = QMenu("Continue", self._menu)
        self._continue.setObjectName("continueMenu")
        self._continue.triggered.connect(self._on_continue)
        self._menu.addMenu(self._continue)
        self._menu.addSeparator()
        self._total = self._add("Today", "todayTotal", None)
        self._total.setEnabled(False)
        self._menu.addSeparator()
        for label, name, signal in (
            ("Open today…", "openToday", self.open_today),
            ("Reports…", "openReports", self.open_reports),
            ("Timesheet…", "openWeek", self.open_week),
        ):
            self._add(label, name, signal.emit)
        self._approvals = self._add("Approvals…", "openApprovals", self.open_approvals.emit)
        self._time_off = self._add("Time off…", "openTimeOff", self.open_time_off.emit)
        self._workspace = self._add("Workspace…", "openWorkspace", self.open_workspace.emit)
        self._to_approve: int | None = None
        self._sync_now = self._add("Sync now", "syncNow", self._on_sync_now)
        self._connect = self._add("Connect Clockify…", "connectClockify", self.open_connect.emit)
        self._settings = self._add("Settings…", "settings", self.open_settings.emit)
        self._welcome = self._add("Getting started…", "welcome", self.open_welcome.emit)
        self._menu.addSeparator()
        self._quit = self._add("Quit", "quit", self.quit_requested.emit)
        self._menu.aboutToShow.connect(self._on_menu_shows)
        return self._menu

    # --- clicks -------------------------------------------------------------------------------

    def on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        """A click on the icon: left opens the popup (or toggles), middle toggles."""
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            if self._left_click == "toggle":
                self._toggle()
            else:
                self.open_popup.emit()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self._toggle()

    def _add(self, label: str, name: str, slot: Callable[[], object] | None) -> QAction:
        action = self._menu.addAction(label)
        action.setObjectName(name)
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _on_sync_now(self) -> None:
        self.controller.sync_now(pull=True)

    def _toggle(self) -> None:
        from tracker.services.requests import Toggle  # noqa: PLC0415 - see _preload

        self.controller.act(Toggle())

    def _on_start_stop(self) -> None:
        self._toggle()

    def _on_continue(self, action: QAction) -> None:
        entry_id = action.data()
        if isinstance(entry_id, str):
            from tracker.services.requests import Continue  # noqa: PLC0415 - see _preload

            self.controller.act(Continue(entry_id))

    # --- updates ------------------------------------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        if changes.preferences:
            self._left_click = self.controller.preferences().left_click
        if changes.entries or changes.catalog or changes.account:
            self._menu_stale = True  # what Continue offers, and the names in it
            if self._menu.isVisible():
                self._rebuild_menu()
        shown = changes.running or changes.entries or changes.account or changes.sync
        if shown or changes.catalog:  # the running entry's names are in the tooltip
            self.refresh()

    def _on_menu_shows(self) -> None:
        if self._menu_stale:
            self._rebuild_menu()
        self._offer()
        self.refresh()
        self.menu_opened.emit()

    def offer_again(self) -> None:
        """What the plan and role allow may have changed (the role was just learnt)."""
        self._offer()

    def set_to_approve(self, count: int | None) -> None:
        """How many periods wait for the person's decision (``None``: not counted)."""
        self._to_approve = count
        self._offer()

    def _offer(self) -> None:
        """Show the working-week items the plan and the role allow ("3 to approve")."""
        offered = self.controller.abilities()
        self._approvals.setVisible(offered.approvals)
        self._time_off.setVisible(offered.time_off)
        self._workspace.setVisible(offered.administers)
        count = self._to_approve if offered.decides else None
        self._approvals.setText(f"Approvals… ({count} to approve)" if count else "Approvals…")

    def _rebuild_menu(self) -> None:
        """Re-read the recent entries (one read for the Start text and the Continue list)."""
        self._menu_stale = False
        running = self.controller.running()
        self._recent = self.controller.recent(RECENT + 1)
        menu = self._continue
        menu.clear()
        recent = [
            item
            for item in self._recent
            if running is None or work_of(item.entry) != work_of(running)
        ][:RECENT]
        for item in recent:
            action = menu.addAction(_menu_text(_recent_label(item)))
            action.setData(item.entry.id)  # read by _on_continue
        if not recent:
            empty = menu.addAction("Nothing to continue yet")
            empty.setEnabled(False)
        menu.menuAction().setEnabled(bool(recent))

    def _synced_ago(self, sync: SyncStatus) -> str | None:
        """ "2 min ago" for the menu, re-read right before it shows."""
        if sync.last_sync is None or sync.state not in (SyncPhase.SYNCED, SyncPhase.PENDING):
            return None
        return ago(sync.last_sync, self.controller.now())

    def account_view(self) -> AccountView:
        """The account's one state, as the settings and the today window show it."""
        refused = self.controller.tracker.store.meta.auth_required()
        return account_view(self.controller.account(), refused, self._sync)

    def _effective_sync(self, view: StatusView) -> SyncStatus:
        """The worker's status, or what the store says before the worker's first word."""
        if self._sync is not None:
            return self._sync
        if not view.connected:
            return SyncStatus(SyncPhase.LOCAL)
        state = SyncPhase.ATTENTION if view.parked else SyncPhase.PENDING
        if not view.pending:
            state = SyncPhase.SYNCED
        return SyncStatus(state, pending=view.pending, parked=view.parked)

    def _schedule(self, elapsed: timedelta | None) -> None:
        """Wake up when the running entry's minute changes, and not otherwise."""
        if elapsed is None:
            self._tick.stop()
            return
        # A coarse timer may fire early and show the old minute. Set here, not at start-up:
        # the first use of Qt's enums builds all of them (~25 ms before the icon shows).
        from PySide6.QtCore import Qt  # noqa: PLC0415

        self._tick.setTimerType(Qt.TimerType.PreciseTimer)
        into_minute = int(elapsed.total_seconds() * 1000) % 60_000
        self._tick.start(60_000 - into_minute + TICK_MARGIN_MS)

    def next_tick_ms(self) -> int | None:
        """Milliseconds until the next minute refresh (``None``: none planned)."""
        return self._tick.remainingTime() if self._tick.isActive() else None


def entry_title(description: str, project: str | None, task: str | None) -> str:
    """``Write report (Website: Design)`` — plain text."""
    title = text.isolate(description) if description else "(no description)"
    if project:
        work = f"{text.isolate(project)}: {text.isolate(task)}" if task else text.isolate(project)
        title += f" ({work})"
    return title


def sync_line(status: SyncStatus) -> str | None:
    """One sentence about sync for the tooltip; ``None`` when there is nothing to say."""
    count = status.pending
    waiting = f"{count} change{'s' if count != 1 else ''} waiting to be sent"
    if status.state == SyncPhase.LOCAL:
        return "Local only"
    if status.state == SyncPhase.OFFLINE:
        return f"Offline — {waiting}" if count else "Offline"
    if status.state == SyncPhase.PENDING:
        return waiting if count else status.message
    if status.state == SyncPhase.SYNCING:
        return "Syncing…"
    if status.needs_attention:
        return status.message or "Needs attention"
    return None


def _kind(view: StatusView, sync: SyncStatus) -> TrayKind:
    """Attention beats everything; being offline beats a running timer (the clock still shows
    on the amber icon); a short wait before a push does not hide the running timer."""
    if sync.needs_attention or view.parked:
        return "attention"
    if sync.state == SyncPhase.OFFLINE:
        return "pending"
    if view.running is not None:
        return "running"
    if sync.state == SyncPhase.PENDING and sync.pending:
        return "pending"
    return "stopped"


def _shown_elapsed(view: StatusView) -> timedelta:
    """The running entry's length in minutes as its start and now are shown."""
    running = view.running
    return timedelta(0) if running is None else shown_length(running.entry.start, view.now)


def _status_lines(view: StatusView, sync: SyncStatus, account: AccountView) -> list[str]:
    lines: list[str] = []
    running = view.running
    if running is not None:
        lines.append(entry_title(running.entry.description, running.project, running.task))
        lines.append(f"Running {text.duration(_shown_elapsed(view))}")
    else:
        lines.append("No timer running")
    lines.append(f"Today {text.against_capacity(view.today_total, view.capacity)}")
    line = account.detail if account.detail else sync_line(sync)
    if line:
        lines.append(line)
    return lines


def _tooltip_markup(lines: list[str]) -> str:
    """Plain text where the tray shows plain text; escaped rich text elsewhere."""
    if PLAIN_TOOLTIPS:
        return "\n".join(lines)
    return text.tooltip(["Tracker", *lines]) if lines else ""


def _cut(value: str) -> str:
    """``value`` cut to :data:`MENU_TEXT_WIDTH` characters with an ellipsis."""
    return text.cut(value, MENU_TEXT_WIDTH)


def _recent_label(item: RecentEntry) -> str:
    """``Write report — Website: Design`` (as :class:`RecentEntry` labels it), each name
    fenced against bidi reordering."""
    label = text.isolate(item.entry.description or "(no description)")
    if item.project is not None:
        label += f" — {text.isolate(item.project)}"
        label += f": {text.isolate(item.task)}" if item.task else ""
    return label


def _menu_text(value: str) -> str:
    """Menu text that shows ``value`` literally: cut to a width, ``&`` not a mnemonic."""
    return _cut(value).replace("&", "&&")
