"""The settings dialog: one tab per page, and OK, Apply and Cancel.

Each page is its own module and owns its widgets; the dialog loads them from the saved
preferences, gathers their choices into one :class:`Preferences` on Apply, and says on which
page something is wrong. Connecting an account is the Account page's own action (it does not
wait for Apply). The appearance previews at once and reverts on Cancel.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.integrations.autostart import AutostartBackend
from tracker.integrations.secrets import SecretStore
from tracker.services.changes import Changes
from tracker.services.preferences import Preferences
from tracker.ui.settings.account import AccountChecker, AccountPage
from tracker.ui.settings.general import GeneralPage
from tracker.ui.settings.hooks_page import HooksPage
from tracker.ui.settings.logs import LogsPage
from tracker.ui.settings.reminders import RemindersPage
from tracker.ui.settings.server import ServerPage
from tracker.ui.settings.workspace import WorkspacePage

__all__ = ["PageTabs", "SettingsDialog"]


class _Scroller(QScrollArea):
    """A page in a scroll area that asks for the page's whole size (Qt's would cap it) but
    can shrink to a few lines, so the dialog fits a small screen and its buttons stay."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setWidget(page)
        self.page = page

    def sizeHint(self) -> QSize:
        page = self.page
        scroll = self.verticalScrollBar().sizeHint().width()
        return page.sizeHint().expandedTo(page.minimumSizeHint()) + QSize(scroll, 0)

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(12 * line, 6 * line)


class PageTabs(QTabWidget):
    """Tabs whose pages scroll when the screen is small; a page is still named by itself
    (``setCurrentWidget(page)``, ``currentWidget() is page``), not by its scroll area."""

    def add_page(self, page: QWidget, title: str) -> None:
        """A tab showing ``page``, scrolled when it does not fit."""
        self.addTab(_Scroller(page), title)

    def indexOf(self, page: QWidget) -> int:
        for index in range(self.count()):
            tab = self.widget(index)
            if tab is page or (isinstance(tab, _Scroller) and tab.page is page):
                return index
        return -1

    def setCurrentWidget(self, page: QWidget) -> None:
        self.setCurrentIndex(self.indexOf(page))

    def currentWidget(self) -> QWidget:
        tab = super().currentWidget()
        return tab.page if isinstance(tab, _Scroller) else tab


class SettingsDialog(QDialog):
    """Account, workspace, server, general choices, reminders, logs and diagnostics.

    Args:
        controller: reads and saves preferences and account facts.
        worker: runs the key check off the GUI thread and hears about account changes.
        secrets: where the API key goes; ``None`` when this machine has no safe place.
        autostart: the OS's start-at-login entry, which the "Start at login" box shows and
            switches; ``None``: the box only records the preference.

    Signals:
        hooks_saved: the Hooks page wrote the hooks file (the app starts running them).
    """

    hooks_saved = Signal()

    def __init__(
        self,
        controller: Controller,
        worker: AccountChecker,
        secrets: SecretStore | None,
        parent: QWidget | None = None,
        *,
        autostart: AutostartBackend | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.worker = worker
        self.setWindowTitle("Settings")

        self.server_page = ServerPage(controller)
        self.account_page = AccountPage(controller, worker, secrets, self.server_page.preferences)
        self.workspace_page = WorkspacePage(controller)
        self.general_page = GeneralPage(controller, autostart)
        self.reminders_page = RemindersPage()
        self.logs_page = LogsPage(controller, secrets, getattr(worker, "status", None))
        self.hooks_page = HooksPage()
        self.tabs = PageTabs()
        for page, title in (
            (self.account_page, "Account"),
            (self.workspace_page, "Workspace"),
            (self.server_page, "Server"),
            (self.general_page, "General"),
            (self.reminders_page, "Reminders"),
            (self.hooks_page, "Hooks"),
            (self.logs_page, "Logs"),
        ):
            self.tabs.add_page(page, title)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply_button.clicked.connect(self.apply)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)

        status_changed = getattr(worker, "status_changed", None)
        if status_changed is not None:
            status_changed.connect(self.logs_page.set_sync_status)
            status_changed.connect(self.account_page.set_sync_status)
        controller.changed.connect(self._on_changed)
        self.load()

    def _on_changed(self, changes: Changes) -> None:
        """Only the account and workspace pages show the store; nothing else here does."""
        if changes.account:
            self.account_page.refresh()
            self.workspace_page.refresh()

    def load(self) -> None:
        """Show the saved preferences and the account as they are now."""
        prefs = self.controller.preferences()
        self._saved_appearance = prefs.appearance
        self.server_page.load(prefs)
        self.general_page.load(prefs)
        self.reminders_page.load(prefs)
        self.logs_page.load()
        self.hooks_page.load()
        self.account_page.refresh()
        self.workspace_page.refresh()

    def set_hotkey_status(self, results: Mapping[str, str], unavailable: str | None) -> None:
        """Show what became of each hotkey (see :meth:`HotkeysBox.set_status`)."""
        self.general_page.hotkeys.set_status(results, unavailable)

    def _collect(self) -> Preferences:
        """Every page's choices in one (``ValueError`` when the server choice is not valid)."""
        return self.server_page.preferences().with_changes(
            **self.general_page.values(), **self.reminders_page.values()
        )

    def apply(self) -> bool:
        """Save the choices; ``False`` (with the reason shown) when one is not valid."""
        if self.reminders_page.problem() is not None:
            self.tabs.setCurrentWidget(self.reminders_page)
            return False
        hooks_changed = self.hooks_page.changed()
        if not self.hooks_page.apply():
            self.tabs.setCurrentWidget(self.hooks_page)
            return False
        if hooks_changed:
            self.hooks_saved.emit()
        try:
            prefs = self._collect()
        except ValueError as exc:
            self.server_page.show_error(str(exc))
            self.tabs.setCurrentWidget(self.server_page)
            return False
        self.server_page.show_error("")
        if not self.general_page.apply_autostart(prefs.autostart):
            self.tabs.setCurrentWidget(self.general_page)
            return False
        old = self.controller.preferences()
        if prefs != old and not self.controller.save_preferences(prefs):
            return False
        self._saved_appearance = prefs.appearance
        account_changed = (prefs.server, prefs.api_url, prefs.reports_url) != (
            old.server,
            old.api_url,
            old.reports_url,
        )
        chosen = self.workspace_page.chosen()
        if chosen and chosen != self.controller.workspace_id():
            account_changed = self.controller.use_workspace(chosen) is not None or (account_changed)
        if account_changed:
            self.worker.account_changed()
        return True

    def accept(self) -> None:
        """OK: apply, and close only when everything was valid."""
        if self.apply():
            super().accept()

    def reject(self) -> None:
        """Cancel or Esc: drop the appearance preview and close."""
        self.general_page.show_appearance(self._saved_appearance)
        super().reject()
