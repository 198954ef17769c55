"""The Server page refuses, as it is typed, a plain http URL that would send the API key
unencrypted to another machine; this machine, https and the explicit opt-in are accepted."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.helpers.workers import OfflineWorker
from tracker.bridge.controller import Controller
from tracker.integrations.secrets import MemorySecretStore
from tracker.ui.settings import SettingsDialog


def dialog(controller: Controller, qtbot: QtBot) -> SettingsDialog:
    settings = SettingsDialog(controller, OfflineWorker(), MemorySecretStore())
    qtbot.addWidget(settings)
    settings.show()
    settings.tabs.setCurrentWidget(settings.server_page)
    settings.server_page.server_combo.setCurrentIndex(
        settings.server_page.server_combo.findData("custom")
    )
    return settings


def test_plain_http_elsewhere_is_refused_while_typing(controller: Controller, qtbot: QtBot) -> None:
    settings = dialog(controller, qtbot)
    QTest.keyClicks(settings.server_page.api_url_edit, "http://clockify.example.com/api")
    assert settings.server_page.server_error.isVisible()
    text = settings.server_page.server_error.text()
    assert "plain http" in text
    assert "API key unencrypted to clockify.example.com" in text
    assert "TRACKER_ALLOW_INSECURE_HTTP=1" in text
    assert not settings.apply()
    assert controller.preferences().server == "global"


def test_the_refusal_goes_once_the_url_is_fixed(controller: Controller, qtbot: QtBot) -> None:
    settings = dialog(controller, qtbot)
    settings.server_page.api_url_edit.setText("http://clockify.example.com/api")
    assert settings.server_page.server_error.isVisible()
    settings.server_page.api_url_edit.setText("https://clockify.example.com/api")
    assert not settings.server_page.server_error.isVisible()
    assert settings.apply()
    assert controller.preferences().api_url == "https://clockify.example.com/api"


def test_an_insecure_reports_url_is_refused_too(controller: Controller, qtbot: QtBot) -> None:
    settings = dialog(controller, qtbot)
    settings.server_page.api_url_edit.setText("https://clockify.example.com/api")
    settings.server_page.reports_url_edit.setText("http://reports.example.com")
    assert "unencrypted to reports.example.com" in settings.server_page.server_error.text()


def test_half_typed_text_is_not_judged_yet(controller: Controller, qtbot: QtBot) -> None:
    settings = dialog(controller, qtbot)
    for text in ("h", "http", "http:/", "https://"):
        settings.server_page.api_url_edit.setText(text)
        assert not settings.server_page.server_error.isVisible(), text


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/api", "http://localhost/api", "http://[::1]:9000/api"]
)
def test_plain_http_to_this_computer_is_fine(
    controller: Controller, qtbot: QtBot, url: str
) -> None:
    settings = dialog(controller, qtbot)
    settings.server_page.api_url_edit.setText(url)
    assert not settings.server_page.server_error.isVisible()
    assert settings.apply()
    assert controller.preferences().api_url == url


def test_the_opt_in_is_honoured(
    controller: Controller, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_ALLOW_INSECURE_HTTP", "1")
    settings = dialog(controller, qtbot)
    settings.server_page.api_url_edit.setText("http://192.168.1.20/api")
    assert not settings.server_page.server_error.isVisible()
    assert settings.apply()
    assert controller.preferences().api_url == "http://192.168.1.20/api"
