"""The Account page: whose key this is and where it is kept; connect and disconnect.

Connecting runs on the sync worker (a click never waits on the network): it checks the key
with Clockify, keeps it in the OS keyring and records the account. The account's name and
Clockify's messages are shown as plain text, and a message that quotes the key shows it
masked.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from tracker.api import Servers
from tracker.bridge.account import Connected, servers_for
from tracker.bridge.controller import Controller
from tracker.bridge.status import AccountState, AccountView, SyncStatus, account_view, ago
from tracker.integrations.secrets import (
    ENV_VAR,
    EnvSecretStore,
    SecretStore,
    SecretStoreError,
    api_key_problem,
    key_account_of,
)
from tracker.integrations.secrets_helper import choose_app_secret_store
from tracker.services.preferences import Preferences
from tracker.ui.appearance import follow_palette
from tracker.ui.settings.common import error_label, note, plain, show_text
from tracker.ui.text import local_time

__all__ = ["KEY_HELP_URL", "AccountChecker", "AccountPage"]

_HERE = {
    AccountState.REFUSED: "Clockify refused the API key: paste a new one above and press Connect.",
    AccountState.NO_KEY: (
        "The API key of this account is not on this computer: paste it above and press Connect."
    ),
}
"""What the tray says (``KEY_REFUSED``, ``KEY_MISSING``), said on the page where it is done."""

KEY_HELP_URL = "https://app.clockify.me/user/settings"


class AccountChecker(Protocol):
    """What the dialog needs of the sync worker (:class:`tracker.bridge.worker.SyncWorker`)."""

    def connect_account(self, key: str, servers: Servers, done: Callable[[Any], None]) -> None:
        """Check the key, keep it, record the account off the GUI thread; ``done(Connected or
        exception)`` on the GUI thread."""
        ...

    def call(self, make: Callable[[], Awaitable[Any]], done: Callable[[Any], None]) -> object:
        """Run ``make()`` off the GUI thread; ``done(result or exception)`` on the GUI thread."""
        ...

    def account_changed(self) -> None:
        """The key, server or workspace changed."""
        ...


class AccountPage(QWidget):
    """The account's state, the key field, Connect and Disconnect.

    Args:
        controller: reads the account and saves the server choice a good key was checked on.
        worker: runs the key check and the keyring calls off the GUI thread.
        secrets: where the key goes; ``None`` when this machine has no safe place.
        server_prefs: the preferences with the Server page's choice, checked (``ValueError``
            when that choice is not valid), so the key is checked on the server chosen.
    """

    _no_store_reason: str | None = None
    """Why no keyring is safe here, asked once (asking runs the keyring helper)."""

    def __init__(
        self,
        controller: Controller,
        worker: AccountChecker,
        secrets: SecretStore | None,
        server_prefs: Callable[[], Preferences],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.worker = worker
        self.secrets = secrets
        self._server_prefs = server_prefs
        self._busy = False
        status = getattr(worker, "status", None)  # the real worker's latest word
        self._status: SyncStatus | None = status if isinstance(status, SyncStatus) else None
        self._shown_state: AccountState | None = None

        self.account_state = plain()
        self.account_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.last_sync = plain()
        self.last_sync.setObjectName("lastSync")
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Paste your Clockify API key")
        self.key_edit.installEventFilter(self)
        self.key_help = QLabel()
        self.key_help.setTextFormat(Qt.TextFormat.RichText)  # our own fixed text only
        follow_palette(self.key_help, self._set_key_help)  # its link takes the theme's colour
        self.key_help.setOpenExternalLinks(True)
        self.connect_button = QPushButton("Connect")
        self.connect_button.setAutoDefault(False)
        self.connect_button.clicked.connect(self.connect_account)
        self.disconnect_button = QPushButton("Disconnect")
        self.disconnect_button.setAutoDefault(False)
        self.disconnect_button.clicked.connect(self.disconnect_account)
        self.checking = note("Checking the key with Clockify…")
        self.checking.setWordWrap(False)
        self.checking.hide()
        self.account_error = error_label()
        self.account_note = note()
        self.key_store_note = note()

        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.checking)
        buttons.addStretch(1)
        buttons.addWidget(self.disconnect_button)
        form = QFormLayout()
        form.addRow("Status:", self.account_state)
        form.addRow("Last sync:", self.last_sync)
        form.addRow("API key:", self.key_edit)
        form.addRow("", self.key_help)
        form.addRow("", buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.account_error)
        layout.addWidget(self.account_note)
        layout.addWidget(self.key_store_note)
        layout.addStretch(1)

    def set_sync_status(self, status: SyncStatus) -> None:
        """The worker's latest status (a refused key shows here as in the tray)."""
        self._status = status
        self.refresh()

    def _last_sync_text(self) -> str:
        """ "Synced 2 min ago (14:05)", from the worker, else from the store's record."""
        last = self._status.last_sync if self._status is not None else None
        if last is None:
            record = self.controller.tracker.store.meta.last_sync() or {}
            at = record.get("at")
            if record.get("complete") and isinstance(at, (int, float)):
                last = datetime.fromtimestamp(float(at), UTC)
        if last is None:
            return "Not synced yet"
        now = self.controller.now()
        zone = self.controller.zone()
        today = last.astimezone(zone).date() == self.controller.today()
        return f"Synced {ago(last, now)} ({local_time(last, zone, with_date=not today)})"

    def showEvent(self, event: QShowEvent) -> None:
        """Re-read "2 min ago" whenever the page comes into view."""
        self.refresh()
        super().showEvent(event)

    def account_view(self) -> AccountView:
        """The account's one state, as the tray and the today window show it."""
        refused = self.controller.tracker.store.meta.auth_required()
        return account_view(self.controller.account(), refused, self._status)

    def refresh(self) -> None:
        """Show the account as the store and the worker have it, and what can be done."""
        account = self.controller.account()
        from_env = isinstance(self.secrets, EnvSecretStore)
        view = self.account_view()
        self.account_state.setText(view.headline)
        self.last_sync.setText(self._last_sync_text() if account else "—")
        if view.state in (AccountState.REFUSED, AccountState.NO_KEY):
            show_text(self.account_error, _HERE[view.state])
        elif self._shown_state in (AccountState.REFUSED, AccountState.NO_KEY):
            show_text(self.account_error, "")  # a new key was accepted
        self._shown_state = view.state
        if account:
            self.account_note.setText(
                "Disconnecting removes the key from this computer; your entries stay here."
            )
        else:
            self.account_state.setText("Local-only mode")
            self.account_note.setText(
                "Without an account everything works offline and stays on this computer. "
                "When you connect later, what you tracked here is uploaded once."
            )
        if self.secrets is None:
            if self._no_store_reason is None:
                self._no_store_reason = choose_app_secret_store().reason
            self.key_store_note.setText(
                f"The key cannot be kept safely here: {self._no_store_reason}."
            )
        elif from_env:
            self.key_store_note.setText(
                f"The key comes from the {ENV_VAR} environment variable; change or unset it there."
            )
        else:
            self.key_store_note.setText(f"The key is kept in {self.secrets.backend_name()}.")
        can_store = self.secrets is not None and not from_env
        self.key_edit.setEnabled(can_store and not self._busy)
        self.connect_button.setEnabled(can_store and not self._busy)
        self.disconnect_button.setEnabled(can_store and not self._busy and account is not None)
        if account is None and self.key_edit.isEnabled():
            self.key_edit.setFocus()  # what a person without an account came here to do

    def connect_account(self) -> None:
        """Check the typed key with Clockify on the worker, then keep it and say whose it is."""
        if self._busy or self.secrets is None or isinstance(self.secrets, EnvSecretStore):
            return
        key = self.key_edit.text().strip()
        if not key:
            show_text(self.account_error, "Paste your API key first.")
            return
        if (problem := api_key_problem(key)) is not None:
            show_text(self.account_error, f"{problem}: check what was pasted.")
            return
        try:
            prefs = self._server_prefs()
            servers = servers_for(prefs)
        except ValueError as exc:
            show_text(self.account_error, f"Check the server first: {exc}")
            return
        self.set_busy(True)
        show_text(self.account_error, "")
        self.worker.connect_account(key, servers, lambda got: self._connected(got, key, prefs))

    def _connected(self, result: Connected | BaseException, key: str, prefs: Preferences) -> None:
        if not isValid(self):
            return
        self.set_busy(False)
        if isinstance(result, BaseException):
            show_text(self.account_error, _failure_text(result, key))
            return
        if prefs != self.controller.preferences():
            self.controller.save_preferences(prefs)  # the key is good on these servers
        self.key_edit.clear()
        self.controller.refresh()  # the worker recorded the account and its workspaces
        self.refresh()
        self.worker.account_changed()

    def disconnect_account(self) -> None:
        """Remove the key from the keyring; entries stay here for a later connect."""
        secrets = self.secrets
        if self._busy or secrets is None or isinstance(secrets, EnvSecretStore):
            return

        names = self._key_names()

        async def forget() -> None:
            for name in names:
                await asyncio.to_thread(secrets.delete, name)  # a keyring may be slow

        self.set_busy(True)
        show_text(self.account_error, "")
        self.worker.call(forget, self._disconnected)

    def _disconnected(self, result: object) -> None:
        if not isValid(self):
            return
        self.set_busy(False)
        if isinstance(result, BaseException):
            show_text(self.account_error, _failure_text(result, None))
            return
        unsent = self.controller.forget_account()
        self.worker.account_changed()
        self.refresh()
        text = "Disconnected: the key was removed. Your entries stay on this computer."
        if unsent:
            text += f" {unsent} changes not yet sent wait for the next connect."
        self.account_note.setText(text)

    def _key_names(self) -> set[str]:
        """Where this account's key may be kept: on the server chosen now, and on the one it
        was connected on (the keys of other accounts and servers are left alone)."""
        account = self.controller.account()
        urls = {str(account.get("api_url") or "")} if account else set()
        with contextlib.suppress(ValueError):  # not usable: the recorded one names the key
            urls.add(servers_for(self.controller.preferences()).api)
        names = {key_account_of(account, url) for url in urls if url}
        return {name for name in names if name}

    def set_busy(self, busy: bool) -> None:
        """While the worker checks or forgets the key: say so, and take no second request."""
        self._busy = busy
        self.checking.setVisible(busy)
        self.refresh()

    def _set_key_help(self) -> None:
        # Set again on a palette change: a rich-text link keeps the colour it was laid out in.
        link = self.palette().color(QPalette.ColorRole.Link).name()
        self.key_help.setText(
            f'<a href="{KEY_HELP_URL}" style="color: {link}">Where is my key?</a> '
            "Clockify → Profile settings → API → Generate"
        )

    def changeEvent(self, event: QEvent) -> None:
        """Follow an appearance switch in the link colour."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            follow_palette(self.key_help, self._set_key_help)  # its link takes the theme's colour
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the key field connects instead of pressing the dialog's OK."""
        if (
            watched is self.key_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.connect_account()
            return True
        return super().eventFilter(watched, event)


def _failure_text(error: BaseException, key: str | None) -> str:
    """A sentence for the person; the key is masked even if some message quoted it."""
    if isinstance(error, SecretStoreError):
        text = f"The key is valid but could not be stored: {error}"
    else:
        message = str(getattr(error, "message", "") or error) or type(error).__name__
        text = f"Could not connect: {message}"
    return text.replace(key, "***") if key else text
