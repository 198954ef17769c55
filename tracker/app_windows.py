"""The tray app's windows: each built on first use (its modules loaded then, not at start-up),
then opened or raised; one of each kind, closed with the app.

:class:`AppWindows` knows how to make and show the popup, the today window, the timesheet,
reports, approvals, time off, the Workspace window, settings and the welcome. What they need
from the app (the controller, the store, the sync worker started on demand, the look) comes
through :class:`Host`; the app (:mod:`tracker.app`) keeps the wiring: which signal, menu item
or message opens which window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from tracker.bridge.controller import Controller
from tracker.store import Store
from tracker.store.meta import WELCOME_SHOWN
from tracker.ui.tray import Tray

if TYPE_CHECKING:
    from tracker.bridge.status import SyncStatus
    from tracker.bridge.worker import SyncWorker
    from tracker.integrations.secrets import SecretStore
    from tracker.ui.approvals import ApprovalsWindow
    from tracker.ui.popup import TimerPopup
    from tracker.ui.reports import ReportsWindow
    from tracker.ui.settings import SettingsDialog
    from tracker.ui.timeoff import TimeOffWindow
    from tracker.ui.timeoff_source import ClockifyTimeOff
    from tracker.ui.today import TodayWindow
    from tracker.ui.week import WeekWindow
    from tracker.ui.welcome import WelcomeWindow
    from tracker.ui.workspace import WorkspaceWindow

__all__ = ["AppWindows", "Host"]


class Host(Protocol):
    """What the windows need from the app that owns them."""

    controller: Controller
    store: Store
    store_file: Path
    tray: Tray

    @property
    def worker(self) -> SyncWorker:
        """The sync worker, started on first use."""

    @property
    def worker_started(self) -> bool:
        """Whether the sync worker runs."""

    @property
    def secrets(self) -> SecretStore | None:
        """Where the API key lives."""

    def dress(self) -> None:
        """Apply the person's look, once."""

    def look(self) -> None:
        """The person looks: the worker pulls when what it knows is old."""

    def sync_wanted(self) -> bool:
        """Whether there is anything to sync with."""


class AppWindows(QObject):
    """One window of each kind, built on first use; ``show_*`` opens or raises one.

    Signals:
        popup_closed: the timer popup closed (its edits are all saved).
        settings_made: the settings dialog was just built (the app connects its hooks and
            shows the hotkeys' state in it).
    """

    popup_closed = Signal()
    settings_made = Signal()

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._popup: TimerPopup | None = None
        self._today: TodayWindow | None = None
        self._reports: ReportsWindow | None = None
        self._week: WeekWindow | None = None
        self._approvals: ApprovalsWindow | None = None
        self._time_off: TimeOffWindow | None = None
        self._time_off_source: ClockifyTimeOff | None = None
        self._workspace: WorkspaceWindow | None = None
        self._settings: SettingsDialog | None = None
        self._welcome: WelcomeWindow | None = None

    # --- the windows, once made ---------------------------------------------------------------

    @property
    def today_window(self) -> TodayWindow | None:
        """The today window, once it was opened."""
        return self._today

    @property
    def welcome_window(self) -> WelcomeWindow | None:
        """The welcome window, once it was shown."""
        return self._welcome

    @property
    def settings_window(self) -> SettingsDialog | None:
        """The settings dialog, once it was opened."""
        return self._settings

    @property
    def approvals_window(self) -> ApprovalsWindow | None:
        """The approvals window, once it was opened."""
        return self._approvals

    @property
    def week_window(self) -> WeekWindow | None:
        """The week timesheet, once it was opened."""
        return self._week

    @property
    def workspace_window(self) -> WorkspaceWindow | None:
        """The Workspace window, once it was opened."""
        return self._workspace

    def popup_shown(self) -> bool:
        """Whether the timer popup is on screen (its edits wait until it closes)."""
        return self._popup is not None and self._popup.isVisible()

    # --- opening them -------------------------------------------------------------------------

    def show_popup(self) -> None:
        """Open the timer popup near the tray icon."""
        host = self.host
        if self._popup is None:
            from tracker.ui.popup import TimerPopup  # noqa: PLC0415 - built on first use

            self._popup = TimerPopup(host.controller)
            self._popup.closed.connect(self.popup_closed)
        host.dress()
        self._popup.show_near(host.tray.geometry())
        host.look()

    def show_today(self) -> None:
        """Open (or raise) the today window."""
        host = self.host
        if self._today is None:
            from tracker.ui.today import TodayWindow  # noqa: PLC0415 - built on first use

            self._today = TodayWindow(host.controller)
            self._today.open_settings.connect(self.show_connect)  # where the key goes
            self._today.open_week.connect(self.show_week)
            if host.worker_started:
                self._today.set_sync_status(host.worker.status)
        self._today.show_day(host.controller.today())
        host.dress()
        _bring_forward(self._today)
        host.look()

    def show_reports(self) -> None:
        """Open (or raise) the reports window (built, and its modules loaded, on first use)."""
        host = self.host
        if self._reports is None:
            from tracker.ui.reports import local_reports_window  # noqa: PLC0415

            self._reports = local_reports_window(
                host.controller, host.store_file, lambda: host.worker.channel
            )
        host.dress()
        _bring_forward(self._reports)

    def show_week(self) -> None:
        """Open (or raise) the week timesheet, on this week (built on first use)."""
        host = self.host
        if self._week is None:
            from tracker.ui.week import WeekWindow  # noqa: PLC0415 - built on first use

            source = self.time_off_source
            self._week = WeekWindow(host.controller, refresh_kept=source.refresh_plans_if_due)
            self._week.show_week(host.controller.today())
        host.dress()
        _bring_forward(self._week)
        host.look()

    def show_approvals(self) -> None:
        """Open (or raise) the approvals window (built on first use)."""
        host = self.host
        if self._approvals is None:
            from tracker.ui.approvals import approvals_window  # noqa: PLC0415
            from tracker.ui.screen import fit_to_screen  # noqa: PLC0415

            self._approvals = approvals_window(host.controller, lambda: host.worker.channel)
            fit_to_screen(self._approvals)  # at scale 2 its size may pass the screen's
        host.dress()
        _bring_forward(self._approvals)
        host.look()

    @property
    def time_off_source(self) -> ClockifyTimeOff:
        """Time off from Clockify through the worker, shared by the windows that show it (so
        what they refresh by themselves is counted once)."""
        if self._time_off_source is None:
            from tracker.ui.timeoff_source import ClockifyTimeOff  # noqa: PLC0415

            host = self.host
            self._time_off_source = ClockifyTimeOff(
                host.controller.tracker.context,
                # the worker starts only when a request is due, hence not its bound method
                lambda work, done: host.worker.channel.call_with_client(work, done),  # noqa: PLW0108
                self._time_off_kept,
            )
        return self._time_off_source

    def _time_off_kept(self) -> None:
        """Holidays or time off were fetched or changed: the days that show them read again."""
        for window in (self._today, self._week):
            if window is not None:
                window.plans_changed()

    def show_time_off(self) -> None:
        """Open (or raise) the time-off window (built on first use)."""
        host = self.host
        if self._time_off is None:
            from tracker.ui.timeoff import TimeOffWindow  # noqa: PLC0415 - built on first use

            self._time_off = TimeOffWindow(self.time_off_source)
            if host.worker_started:
                self._time_off.set_sync_status(host.worker.status)
        host.dress()
        _bring_forward(self._time_off)
        host.look()

    def show_workspace(self) -> None:
        """Open (or raise) the Workspace window (built on first use)."""
        host = self.host
        if self._workspace is None:
            from tracker.ui.screen import fit_to_screen  # noqa: PLC0415
            from tracker.ui.workspace import WorkspaceWindow  # noqa: PLC0415

            self._workspace = WorkspaceWindow(
                host.store,
                host.controller.now,
                # the worker starts only when a request is due, hence not its bound method
                lambda work, done: host.worker.channel.call_with_client(work, done),  # noqa: PLW0108
            )
            fit_to_screen(self._workspace)
        host.dress()
        _bring_forward(self._workspace)

    def show_settings(self) -> None:
        """Open (or raise) the settings."""
        host = self.host
        if self._settings is None:
            from tracker.integrations.autostart import choose_backend  # noqa: PLC0415
            from tracker.ui.settings import SettingsDialog  # noqa: PLC0415 - built on first use

            self._settings = SettingsDialog(
                host.controller, host.worker, host.secrets, autostart=choose_backend()
            )
            self.settings_made.emit()
        host.dress()
        _bring_forward(self._settings)

    def show_connect(self) -> None:
        """Open the settings on the Account page, where a key connects Clockify."""
        self.show_settings()
        assert self._settings is not None
        self._settings.tabs.setCurrentWidget(self._settings.account_page)
        self._settings.account_page.key_edit.setFocus()

    def show_welcome(self) -> None:
        """Open (or raise) the welcome window: what works now and how to connect."""
        host = self.host
        if self._welcome is None:
            from tracker.ui.welcome import WelcomeWindow  # noqa: PLC0415 - built on first use

            self._welcome = WelcomeWindow()
            self._welcome.connect_clicked.connect(self.show_connect)
            self._welcome.start_clicked.connect(self.show_popup)
        self._welcome.set_connected(host.sync_wanted())
        host.dress()
        _bring_forward(self._welcome)

    def welcome_if_new(self) -> bool:
        """Show the welcome on the first start (no account or key, nothing tracked yet),
        once; whether it was shown. A store from before the welcome existed is not new."""
        host = self.host
        meta = host.store.meta
        if meta.get(WELCOME_SHOWN):
            return False
        meta.set(WELCOME_SHOWN, True)
        workspace = host.controller.workspace_id()
        if host.sync_wanted() or host.store.entries.latest(workspace, 1):
            return False
        self.show_welcome()
        return True

    # --- what the app tells them --------------------------------------------------------------

    def set_sync_status(self, status: SyncStatus) -> None:
        """Sync's state, for the windows that show it."""
        if self._today is not None:
            self._today.set_sync_status(status)
        if self._approvals is not None:
            self._approvals.set_sync_status(status)
        if self._time_off is not None:
            self._time_off.set_sync_status(status)

    def probe(self) -> dict[str, object]:
        """Which windows are on screen (part of the app's probe)."""
        return {
            "popup": self.popup_shown(),
            "today": self._today is not None and self._today.isVisible(),
            "reports": self._reports is not None and self._reports.isVisible(),
            "week": self._week is not None and self._week.isVisible(),
            "approvals": self._approvals is not None and self._approvals.isVisible(),
            "timeoff": self._time_off is not None and self._time_off.isVisible(),
            "timeoff_state": self._time_off.state() if self._time_off is not None else None,
            "workspace": self._workspace is not None and self._workspace.isVisible(),
            "workspace_pages": self._workspace.titles() if self._workspace is not None else [],
            "settings": self._settings is not None and self._settings.isVisible(),
            "settings_tab": self._settings.tabs.tabText(self._settings.tabs.currentIndex())
            if self._settings is not None
            else None,
            "welcome": self._welcome is not None and self._welcome.isVisible(),
        }

    def close(self) -> None:
        """Close the windows before the store closes: none outlives the app."""
        if self._popup is not None:
            self._popup.hide()  # it saves what was typed into the running timer: not lost
            self._popup.deleteLater()  # and never runs on the closed store after
            self._popup = None
        windows = (
            self._today,
            self._reports,
            self._week,
            self._time_off,
            self._settings,
            self._welcome,
        )
        for window in windows:
            if window is not None:
                window.close()  # a running export is cancelled and waited for
                window.deleteLater()  # none outlives the app (or paints on a closed store)
        self._today = self._reports = self._week = self._settings = self._welcome = None
        self._time_off = None


def _bring_forward(window: QWidget) -> None:
    # Loaded with the first window, not at start-up: its Qt types cost ~15 ms to make.
    from tracker.ui.screen import fit_to_screen  # noqa: PLC0415

    fit_to_screen(window)
    window.show()
    window.raise_()
    window.activateWindow()
