"""The Server page: Clockify's global server, a region, or a custom URL.

A custom URL is judged as it is typed, once it is a whole address: plain http to another
machine would carry the API key unencrypted, and the person hears it while typing, not after
pressing OK.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from tracker.bridge.account import servers_for
from tracker.bridge.controller import Controller
from tracker.services.preferences import Preferences
from tracker.ui.settings.common import error_label, note, select, show_text

__all__ = ["SERVER_NAMES", "ServerPage"]

SERVER_NAMES: dict[str, str] = {
    "global": "Global (clockify.me)",
    "euc1": "EU (Germany)",
    "use2": "USA (East)",
    "euw2": "UK",
    "apse2": "Australia",
    "custom": "Custom URL",
}
"""Readable names of :data:`tracker.services.preferences.SERVER_KINDS`."""

_EXAMPLE = "https://clockify.example.com/api"


class ServerPage(QWidget):
    """The server choice and, for a custom server, its API and reports URLs.

    Args:
        controller: the saved preferences the choice is checked against.
    """

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.server_combo = QComboBox()
        for kind, name in SERVER_NAMES.items():
            self.server_combo.addItem(name, kind)
        self.server_combo.currentIndexChanged.connect(self._kind_changed)
        self.api_url_edit = QLineEdit()
        self.api_url_edit.setPlaceholderText(_EXAMPLE)
        self.reports_url_edit = QLineEdit()
        self.reports_url_edit.setPlaceholderText("optional: derived from the API URL")
        self.api_url_edit.textChanged.connect(self._check_inline)
        self.reports_url_edit.textChanged.connect(self._check_inline)
        self.server_error = error_label()
        self.server_note = note(
            "Use the region your Clockify workspace was created in. A change applies to the "
            "next sync."
        )
        self.server_env_note = note()
        form = QFormLayout()
        form.addRow("Server:", self.server_combo)
        form.addRow("API URL:", self.api_url_edit)
        form.addRow("Reports URL:", self.reports_url_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.server_error)
        layout.addWidget(self.server_note)
        layout.addWidget(self.server_env_note)
        layout.addStretch(1)

    def load(self, prefs: Preferences) -> None:
        """Show the saved choice, and whether the environment overrides it."""
        select(self.server_combo, prefs.server)
        self.api_url_edit.setText(prefs.api_url)
        self.reports_url_edit.setText(prefs.reports_url)
        self._kind_changed()
        show_text(self.server_error, "")
        from_env = _env_server()
        self.server_env_note.setText(
            "TRACKER_API_URL is set in the environment; it overrides this choice."
            if from_env
            else ""
        )
        self.server_env_note.setVisible(from_env)

    def preferences(self) -> Preferences:
        """The saved preferences with this page's choice, checked (``ValueError``)."""
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

    def show_error(self, text: str) -> None:
        """Say what is wrong with the choice (empty: nothing)."""
        show_text(self.server_error, text)

    def _kind_changed(self) -> None:
        custom = self.server_combo.currentData() == "custom"
        self.api_url_edit.setEnabled(custom)
        self.reports_url_edit.setEnabled(custom)
        show_text(self.server_error, "")

    def _check_inline(self) -> None:
        """Judge a custom URL once it is a whole address; half-typed text is judged on OK."""
        texts = [self.api_url_edit.text().strip(), self.reports_url_edit.text().strip()]
        whole = bool(texts[0]) and all(_valid_url(text) for text in texts if text)
        if self.server_combo.currentData() != "custom" or not whole:
            show_text(self.server_error, "")
            return
        try:
            self.preferences()
        except ValueError as exc:
            show_text(self.server_error, str(exc))
        else:
            show_text(self.server_error, "")


def _valid_url(text: str) -> bool:
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    return url.isValid() and url.scheme() in ("http", "https") and bool(url.host())


def _env_server() -> bool:
    return bool(os.environ.get("TRACKER_API_URL", "").strip())
