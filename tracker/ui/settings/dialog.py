"""The settings dialog: one tab per page, and OK, Apply and Cancel.

Each page is its own module and owns its widgets; the dialog loads them from the saved
preferences, gathers their choices into one :class:`Preferences` on Apply, and says on which
page something is wrong. Connecting an account is the Account page's own action (it does not
wait for Apply). The appearance previews at once and reverts on Cancel.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from tracker.bridge.controller import Controller
from tracker.integrations.autostart import AutostartBackend
from tracker.integrations.secrets import SecretStore
from tracker.services.changes import Changes
from tracker.services.preferences import Preferences
from tracker.ui.settings.account import AccountChecker, AccountPage
from tracker.ui.settings.general import GeneralPage
from tracker.ui.settings.logs import LogsPage
from tracker.ui.settings.reminders import RemindersPage
from tracker.ui.settings.server import ServerPage
from tracker.ui.settings.workspace import WorkspacePage

__all__ = ["SettingsDialog"]


class SettingsDialog(QDialog):
    """Account, workspace, server, general choices, reminders, logs and diagnostics.

    Args:
        controller: reads and saves preferences and account facts.
        worker: runs the key check off the GUI thread and hears about account changes.
        secrets: where the API key goes; ``None`` when this machine has no safe place.
        autostart: the OS's start-at-login entry, which the "Start at login" box shows and
            switches; ``None``: the box only records the preference.
    """

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
        self.setWindowTitle("Tracker settings")
        self.setMinimumWidth(560)

        self.server_page = ServerPage(controller)
        self.account_page = AccountPage(controller, worker, secrets, self.server_page.preferences)
        self.workspace_page = WorkspacePage(controller)
        self.general_page = GeneralPage(controller, autostart)
        self.reminders_page = RemindersPage()
        self.logs_page = LogsPage(controller, secrets, getattr(worker, "status", None))
        self.tabs = QTabWidget()
        for page, title in (
            (self.account_page, "Account"),
            (self.workspace_page, "Workspace"),
            (self.server_page, "Server"),
            (self.general_page, "General"),
            (self.reminders_page, "Reminders"),
            (self.logs_page, "Logs"),
        ):
            self.tabs.addTab(page, title)

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
