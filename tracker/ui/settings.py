"""The settings dialog: account, workspace, server, general choices, logs and diagnostics.

Connecting checks the key with Clockify on the sync worker (a click never waits on the
network) and only then keeps it in the OS keyring. Everything else is a preference applied
with OK or Apply, except the appearance, which previews at once and reverts on Cancel.
Server-provided text (the account's name, workspace names, error messages) is shown as plain
text.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from tracker.bridge.account import AccountInfo, check_key, servers_for
from tracker.bridge.controller import Controller
from tracker.bridge.diagnostics import collect
from tracker.bridge.logs import log_dir, log_file
from tracker.bridge.status import SyncStatus
from tracker.integrations.autostart import AutostartBackend, launch_command
from tracker.integrations.secrets import (
    API_KEY_ACCOUNT,
    ENV_VAR,
    EnvSecretStore,
    SecretStore,
    SecretStoreError,
    api_key_problem,
    choose_secret_store,
)
from tracker.services.changes import Changes
from tracker.services.preferences import MAX_IDLE_MINUTES, Preferences
from tracker.ui.appearance import apply_appearance, dark_palette
from tracker.ui.settings_reminders import RemindersPage

__all__ = [
    "APPEARANCE_NAMES",
    "HOTKEY_ACTIONS",
    "SERVER_NAMES",
    "AccountChecker",
    "SettingsDialog",
    "apply_appearance",
    "dark_palette",
]

SERVER_NAMES: dict[str, str] = {
    "global": "Global (clockify.me)",
    "euc1": "EU (Germany)",
    "use2": "USA (East)",
    "euw2": "UK",
    "apse2": "Australia",
    "custom": "Custom URL",
}
"""Readable names of :data:`tracker.services.preferences.SERVER_KINDS`."""

LEFT_CLICK_NAMES = {"popup": "Open the timer popup", "toggle": "Start or stop the timer"}
APPEARANCE_NAMES = {"system": "Like the system", "light": "Light", "dark": "Dark"}

HOTKEY_ACTIONS: tuple[tuple[str, str], ...] = (
    ("toggle", "Toggle timer"),
    ("popup", "Open timer popup"),
    ("today", "Open today"),
)
"""Action name (the key in ``Preferences.hotkeys``) and its label."""

KEY_HELP_URL = "https://app.clockify.me/user/settings"


class AccountChecker(Protocol):
    """What the dialog needs of the sync worker (:class:`tracker.bridge.worker.SyncWorker`)."""

    def call(self, make: Callable[[], Awaitable[Any]], done: Callable[[Any], None]) -> None:
        """Run ``make()`` off the GUI thread; ``done(result or exception)`` on the GUI thread."""
        ...

    def account_changed(self) -> None:
        """The key, server or workspace changed."""
        ...


# --- the dialog ---------------------------------------------------------------------------------


def _plain(text: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def _note(text: str = "") -> QLabel:
    label = _plain(text)
    label.setEnabled(False)  # the palette's quieter colour, for explanations
    return label


def _error_label() -> QLabel:
    label = _plain()
    label.setObjectName("error")
    label.setStyleSheet("QLabel#error { color: #c62828; }")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text[:1].upper() + text[1:])
    label.setVisible(bool(text))


class SettingsDialog(QDialog):
    """Account, workspace, server, general choices, logs and diagnostics.

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
        self.autostart = autostart
        self.controller = controller
        self.worker = worker
        self.secrets = secrets
        self._status: SyncStatus | None = getattr(worker, "status", None)
        self._busy = False
        self.setWindowTitle("Tracker settings")
        self.setMinimumWidth(560)

        self.tabs = QTabWidget()
        self.account_page = self._build_account()
        self.workspace_page = self._build_workspace()
        self.server_page = self._build_server()
        self.general_page = self._build_general()
        self.logs_page = self._build_logs()
        self.reminders_page = RemindersPage()
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
            status_changed.connect(self.set_sync_status)
        controller.changed.connect(self._on_changed)
        self.load()

    def _on_changed(self, changes: Changes) -> None:
        """Only the account and workspace lines show the store; nothing else here does."""
        if changes.account:
            self._refresh_account()
            self._refresh_workspaces()

    # --- pages ----------------------------------------------------------------------------------

    def _build_account(self) -> QWidget:
        page = QWidget()
        self.account_state = _plain()
        self.account_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Paste your Clockify API key")
        self.key_edit.installEventFilter(self)
        self.key_help = QLabel()
        self.key_help.setTextFormat(Qt.TextFormat.RichText)  # our own fixed text only
        self._set_key_help()
        self.key_help.setOpenExternalLinks(True)
        self.connect_button = QPushButton("Connect")
        self.connect_button.setAutoDefault(False)
        self.connect_button.clicked.connect(self.connect_account)
        self.disconnect_button = QPushButton("Disconnect")
        self.disconnect_button.setAutoDefault(False)
        self.disconnect_button.clicked.connect(self.disconnect_account)
        self.checking = _note("Checking the key with Clockify…")
        self.checking.setWordWrap(False)
        self.checking.hide()
        self.account_error = _error_label()
        self.account_note = _note()
        self.key_store_note = _note()

        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.checking)
        buttons.addStretch(1)
        buttons.addWidget(self.disconnect_button)
        form = QFormLayout()
        form.addRow("Status:", self.account_state)
        form.addRow("API key:", self.key_edit)
        form.addRow("", self.key_help)
        form.addRow("", buttons)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.account_error)
        layout.addWidget(self.account_note)
        layout.addWidget(self.key_store_note)
        layout.addStretch(1)
        return page

    def _build_workspace(self) -> QWidget:
        page = QWidget()
        self.workspace_combo = QComboBox()
        self.workspace_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.workspace_combo.setMinimumContentsLength(24)
        self.workspace_note = _note()
        form = QFormLayout()
        form.addRow("Workspace:", self.workspace_combo)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.workspace_note)
        layout.addStretch(1)
        return page

    def _build_server(self) -> QWidget:
        page = QWidget()
        self.server_combo = QComboBox()
        for kind, name in SERVER_NAMES.items():
            self.server_combo.addItem(name, kind)
        self.server_combo.currentIndexChanged.connect(self._server_kind_changed)
        self.api_url_edit = QLineEdit()
        self.api_url_edit.setPlaceholderText("https://clockify.example.com/api")
        self.reports_url_edit = QLineEdit()
        self.reports_url_edit.setPlaceholderText("optional: derived from the API URL")
        self.api_url_edit.textChanged.connect(self._check_server_inline)
        self.reports_url_edit.textChanged.connect(self._check_server_inline)
        self.server_error = _error_label()
        self.server_note = _note(
            "Use the region your Clockify workspace was created in. A change applies to the "
            "next sync."
        )
        self.server_env_note = _note()
        form = QFormLayout()
        form.addRow("Server:", self.server_combo)
        form.addRow("API URL:", self.api_url_edit)
        form.addRow("Reports URL:", self.reports_url_edit)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.server_error)
        layout.addWidget(self.server_note)
        layout.addWidget(self.server_env_note)
        layout.addStretch(1)
        return page

    def _build_general(self) -> QWidget:
        page = QWidget()
        self.left_click_combo = QComboBox()
        for kind, name in LEFT_CLICK_NAMES.items():
            self.left_click_combo.addItem(name, kind)
        self.notify_check = QCheckBox("When the key is refused, a change is refused, or a conflict")
        self.appearance_combo = QComboBox()
        for kind, name in APPEARANCE_NAMES.items():
            self.appearance_combo.addItem(name, kind)
        self.appearance_combo.currentIndexChanged.connect(self._preview_appearance)
        self.autostart_check = QCheckBox("Start Tracker when I log in")
        form = QFormLayout()
        form.addRow("Left click on the tray icon:", self.left_click_combo)
        form.addRow("Notifications:", self.notify_check)
        form.addRow("Appearance:", self.appearance_combo)
        self.autostart_error = _error_label()
        autostart = QWidget()
        autostart_column = QVBoxLayout(autostart)
        autostart_column.setContentsMargins(0, 0, 0, 0)
        autostart_column.setSpacing(2)
        autostart_column.addWidget(self.autostart_check)
        autostart_column.addWidget(self.autostart_error)
        form.addRow("Start at login:", autostart)
        form.addRow("Idle:", self._build_idle_row())

        self.hotkeys = QGroupBox("Global hotkeys")
        self.hotkeys.setObjectName("hotkeys")
        self.hotkey_edits: dict[str, QKeySequenceEdit] = {}
        self.hotkey_status: dict[str, QLabel] = {}
        keys = QFormLayout(self.hotkeys)
        for action, label in HOTKEY_ACTIONS:
            edit = QKeySequenceEdit()
            edit.setObjectName(f"hotkey-{action}")
            edit.setClearButtonEnabled(True)
            edit.setMaximumSequenceLength(1)
            self.hotkey_edits[action] = edit
            keys.addRow(f"{label}:", self._hotkey_field(action, edit))
        self.hotkey_unavailable = _plain()
        self.hotkey_unavailable.setObjectName("hotkey-unavailable")
        self.hotkey_unavailable.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.hotkey_unavailable.hide()
        keys.addRow(self.hotkey_unavailable)
        keys.addRow(
            _note(
                "Click a field and press the keys (with Ctrl, Alt or Super); clear it to "
                "free the key. Each key works in every program while the app runs."
            )
        )
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.hotkeys)
        layout.addStretch(1)
        return page

    # --- idle ------------------------------------------------------------------------------------

    def _build_idle_row(self) -> QWidget:
        """Minutes away (with a timer running) before the app asks about the time; 0 = off."""
        self.idle_spin = QSpinBox()
        self.idle_spin.setObjectName("idle-threshold")
        self.idle_spin.setRange(0, MAX_IDLE_MINUTES)
        self.idle_spin.setSuffix(" min")
        self.idle_spin.setSpecialValueText("Off")
        self.idle_spin.setToolTip("Set to 0 to turn idle detection off")
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(QLabel("Ask what to do with the time after"))
        line.addWidget(self.idle_spin)
        line.addWidget(QLabel("away"))
        line.addStretch(1)
        return row

    def _idle_minutes(self) -> float:
        """The spin box's minutes; a saved fraction (set outside Settings) stays as it is."""
        saved = self.controller.preferences().idle_threshold_minutes
        return saved if round(saved) == self.idle_spin.value() else float(self.idle_spin.value())

    # --- start at login -------------------------------------------------------------------------

    def _autostart_enabled(self, saved: bool) -> bool:
        """The OS entry's real state (removed by hand or by an uninstaller shows as off)."""
        if self.autostart is None:
            return saved
        try:
            return self.autostart.is_enabled()
        except OSError:
            return saved

    def _apply_autostart(self, wanted: bool) -> bool:
        """Write or remove the OS entry; ``False`` with the reason shown when that failed."""
        _show(self.autostart_error, "")
        backend = self.autostart
        if backend is None or wanted == self._autostart_enabled(not wanted):
            return True
        try:
            if wanted:
                backend.enable(launch_command())
            else:
                backend.disable()
        except OSError as problem:
            verb = "turn on" if wanted else "turn off"
            _show(self.autostart_error, f"Could not {verb} start at login: {problem}")
            return False
        return True

    # --- hotkey status ----------------------------------------------------------------------------

    def _hotkey_field(self, action: str, edit: QKeySequenceEdit) -> QWidget:
        """The key editor with, under it, what became of the key last time it was set."""
        status = _plain()
        status.setObjectName(f"hotkey-status-{action}")
        status.hide()
        self.hotkey_status[action] = status
        field = QWidget()
        column = QVBoxLayout(field)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(edit)
        column.addWidget(status)
        return field

    def set_hotkey_status(self, results: Mapping[str, str], unavailable: str | None) -> None:
        """Show per action ``"ok"`` or why its key was not taken; ``unavailable`` says why no
        hotkey can work here (and which commands to bind in the desktop's settings instead)."""
        for action, label in self.hotkey_status.items():
            result = results.get(action)
            if result is None or unavailable:
                _show(label, "")
            elif result == "ok":
                label.setStyleSheet("")
                _show(label, "Active.")
            else:
                label.setStyleSheet("color: #c62828;")
                _show(label, result)
        _show(
            self.hotkey_unavailable,
            f"Global hotkeys are not available here: {unavailable}." if unavailable else "",
        )

    def _build_logs(self) -> QWidget:
        page = QWidget()
        self.log_path_label = _plain()
        self.log_path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_folder = QPushButton("Open log folder")
        open_folder.setAutoDefault(False)
        open_folder.clicked.connect(self.open_log_folder)
        self.copy_button = QPushButton("Copy diagnostics")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_diagnostics)
        self.copied = _note()
        buttons = QHBoxLayout()
        buttons.addWidget(open_folder)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.copied)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Log folder:", self.log_path_label)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(
            _note(
                "Diagnostics describe your setup, the sync state and the end of the log, for a "
                "bug report. They never contain your API key."
            )
        )
        layout.addStretch(1)
        return page

    # --- loading --------------------------------------------------------------------------------

    def load(self) -> None:
        """Show the saved preferences and the account as they are now."""
        prefs = self.controller.preferences()
        self._saved_appearance = prefs.appearance
        self._select(self.server_combo, prefs.server)
        self.api_url_edit.setText(prefs.api_url)
        self.reports_url_edit.setText(prefs.reports_url)
        self._server_kind_changed()
        _show(self.server_error, "")
        self._select(self.left_click_combo, prefs.left_click)
        self.notify_check.setChecked(prefs.notify)
        self._select(self.appearance_combo, prefs.appearance)
        self.autostart_check.setChecked(self._autostart_enabled(prefs.autostart))
        _show(self.autostart_error, "")
        self.reminders_page.load(prefs)
        self.idle_spin.setValue(round(prefs.idle_threshold_minutes))
        hotkeys = dict(prefs.hotkeys)
        for action, edit in self.hotkey_edits.items():
            edit.setKeySequence(
                QKeySequence.fromString(
                    hotkeys.get(action, ""), QKeySequence.SequenceFormat.PortableText
                )
            )
        self.server_env_note.setText(
            "TRACKER_API_URL is set in the environment; it overrides this choice."
            if _env_server()
            else ""
        )
        self.server_env_note.setVisible(_env_server())
        current = log_file()
        self.log_path_label.setText(str(current.parent if current else log_dir()))
        self._refresh_account()
        self._refresh_workspaces()

    def _refresh_account(self) -> None:
        account = self.controller.account()
        from_env = isinstance(self.secrets, EnvSecretStore)
        if account:
            name = account.get("name") or "(no name)"
            self.account_state.setText(f"Connected as {name} <{account.get('email') or ''}>")
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
            self.key_store_note.setText(
                f"The key cannot be kept safely here: {choose_secret_store().reason}."
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

    def _refresh_workspaces(self) -> None:
        combo = self.workspace_combo
        chosen = combo.currentData() if combo.count() else None
        current = chosen or self.controller.workspace_id()
        combo.blockSignals(True)
        combo.clear()
        for workspace in self.controller.workspaces():
            combo.addItem(workspace.name, workspace.id)  # item text is plain
        combo.blockSignals(False)
        self._select(combo, current)
        known = combo.count() > 0
        combo.setEnabled(known)
        self.workspace_note.setText(
            "New entries go to this workspace; its projects and entries are fetched at the "
            "next sync."
            if known
            else "Connect an account to choose one of its workspaces. Until then entries are "
            "kept on this computer."
        )

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    # --- account --------------------------------------------------------------------------------

    def connect_account(self) -> None:
        """Check the typed key with Clockify on the worker, then keep it and say whose it is."""
        if self._busy or self.secrets is None or isinstance(self.secrets, EnvSecretStore):
            return
        key = self.key_edit.text().strip()
        if not key:
            _show(self.account_error, "Paste your API key first.")
            return
        if (problem := api_key_problem(key)) is not None:
            _show(self.account_error, f"{problem}: check what was pasted.")
            return
        try:
            prefs = self._server_prefs()
            servers = servers_for(prefs)
        except ValueError as exc:
            _show(self.account_error, f"Check the server first: {exc}")
            return
        secrets = self.secrets

        async def check_and_keep() -> AccountInfo:
            info = await check_key(key, servers)
            secrets.set(API_KEY_ACCOUNT, key)  # on the worker: a keyring may be slow
            return info

        self._set_busy(True)
        _show(self.account_error, "")
        self.worker.call(check_and_keep, lambda result: self._connected(result, key, prefs))

    def _connected(self, result: AccountInfo | BaseException, key: str, prefs: Preferences) -> None:
        if not isValid(self):
            return
        self._set_busy(False)
        if isinstance(result, BaseException):
            _show(self.account_error, _failure_text(result, key))
            return
        if prefs != self.controller.preferences():
            self.controller.save_preferences(prefs)  # the key is good on these servers
        self.key_edit.clear()
        self._refresh_account()
        if self.controller.account() is None:  # the worker's round records it shortly
            name = result.name or "(no name)"
            self.account_state.setText(f"Connected as {name} <{result.email}>")
        self.worker.account_changed()

    def disconnect_account(self) -> None:
        """Remove the key from the keyring; entries stay here for a later connect."""
        secrets = self.secrets
        if self._busy or secrets is None or isinstance(secrets, EnvSecretStore):
            return

        async def forget() -> None:
            secrets.delete(API_KEY_ACCOUNT)

        self._set_busy(True)
        _show(self.account_error, "")
        self.worker.call(forget, self._disconnected)

    def _disconnected(self, result: object) -> None:
        if not isValid(self):
            return
        self._set_busy(False)
        if isinstance(result, BaseException):
            _show(self.account_error, _failure_text(result, None))
            return
        unsent = self.controller.forget_account()
        self.worker.account_changed()
        self._refresh_account()
        note = "Disconnected: the key was removed. Your entries stay on this computer."
        if unsent:
            note += f" {unsent} changes not yet sent wait for the next connect."
        self.account_note.setText(note)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.checking.setVisible(busy)
        self._refresh_account()

    # --- preferences ----------------------------------------------------------------------------

    def _server_kind_changed(self) -> None:
        custom = self.server_combo.currentData() == "custom"
        self.api_url_edit.setEnabled(custom)
        self.reports_url_edit.setEnabled(custom)
        _show(self.server_error, "")

    def _server_prefs(self) -> Preferences:
        """The saved preferences with the server page's choice, checked (``ValueError``)."""
        kind = str(self.server_combo.currentData())
        api = self.api_url_edit.text().strip() if kind == "custom" else ""
        reports = self.reports_url_edit.text().strip() if kind == "custom" else ""
        for name, url in (("API URL", api), ("Reports URL", reports)):
            if url and not _valid_url(url):
                raise ValueError(f"the {name} must be a full http(s) address such as {_EXAMPLE}")
        prefs = self.controller.preferences().with_changes(
            server=kind, api_url=api, reports_url=reports
        )
        servers_for(prefs, override=False)  # the same check the worker makes
        return prefs

    def _check_server_inline(self) -> None:
        """Judge a custom URL as it is typed, once it is a whole address.

        Plain http to another machine would carry the API key unencrypted: the person hears
        it while typing, not after pressing Save. Half-typed text is judged on Save.
        """
        texts = [self.api_url_edit.text().strip(), self.reports_url_edit.text().strip()]
        whole = bool(texts[0]) and all(_valid_url(text) for text in texts if text)
        if self.server_combo.currentData() != "custom" or not whole:
            _show(self.server_error, "")
            return
        try:
            self._server_prefs()
        except ValueError as exc:
            _show(self.server_error, str(exc))
        else:
            _show(self.server_error, "")

    def _collect(self) -> Preferences:
        hotkeys = tuple(
            sorted(
                (action, text)
                for action, edit in self.hotkey_edits.items()
                if (text := edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText))
            )
        )
        return self._server_prefs().with_changes(
            left_click=str(self.left_click_combo.currentData()),
            notify=self.notify_check.isChecked(),
            appearance=str(self.appearance_combo.currentData()),
            autostart=self.autostart_check.isChecked(),
            hotkeys=hotkeys,
            idle_threshold_minutes=self._idle_minutes(),
            **self.reminders_page.values(),
        )

    def apply(self) -> bool:
        """Save the choices; ``False`` (with the reason shown) when one is not valid."""
        try:
            prefs = self._collect()
        except ValueError as exc:
            _show(self.server_error, str(exc))
            self.tabs.setCurrentWidget(self.server_page)
            return False
        _show(self.server_error, "")
        if not self._apply_autostart(prefs.autostart):
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
        chosen = self.workspace_combo.currentData()
        if chosen and chosen != self.controller.workspace_id():
            account_changed = self.controller.use_workspace(str(chosen)) is not None or (
                account_changed
            )
        if account_changed:
            self.worker.account_changed()
        return True

    def accept(self) -> None:
        """OK: apply, and close only when everything was valid."""
        if self.apply():
            super().accept()

    def reject(self) -> None:
        """Cancel or Esc: drop the appearance preview and close."""
        if self.appearance_combo.currentData() != self._saved_appearance:
            self._select(self.appearance_combo, self._saved_appearance)
        super().reject()

    def _preview_appearance(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_appearance(app, str(self.appearance_combo.currentData()))

    # --- logs -----------------------------------------------------------------------------------

    def set_sync_status(self, status: object) -> None:
        """Remember the worker's latest status for the diagnostics."""
        if isinstance(status, SyncStatus):
            self._status = status

    def diagnostics(self) -> str:
        """The diagnostics text (redacted)."""
        backend = self.secrets.backend_name() if self.secrets is not None else None
        return collect(self.controller.tracker.store, secrets_backend=backend, status=self._status)

    def copy_diagnostics(self) -> None:
        """Put the diagnostics on the clipboard."""
        QGuiApplication.clipboard().setText(self.diagnostics())
        self.copied.setText("Copied to the clipboard.")

    def open_log_folder(self) -> None:
        """Show the log folder in the file manager."""
        current = log_file()
        folder = current.parent if current else log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

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
            self._set_key_help()
        super().changeEvent(event)

    # --- keyboard -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the key field connects instead of pressing OK."""
        if (
            watched is self.key_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.connect_account()
            return True
        return super().eventFilter(watched, event)


_EXAMPLE = "https://clockify.example.com/api"


def _valid_url(text: str) -> bool:
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    return url.isValid() and url.scheme() in ("http", "https") and bool(url.host())


def _env_server() -> bool:
    return bool(os.environ.get("TRACKER_API_URL", "").strip())


def _failure_text(error: BaseException, key: str | None) -> str:
    """A sentence for the person; the key is masked even if some message quoted it."""
    if isinstance(error, SecretStoreError):
        text = f"The key is valid but could not be stored: {error}"
    else:
        message = str(getattr(error, "message", "") or error) or type(error).__name__
        text = f"Could not connect: {message}"
    return text.replace(key, "***") if key else text
