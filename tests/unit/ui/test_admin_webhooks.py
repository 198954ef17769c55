"""The Webhooks page against the test server: the note that this app cannot receive
webhooks, adding one from the keyboard (its token shown once), saving, a new token and
deleting after asking, the deliveries of a change, and the list kept without tokens so the
page opens offline. The worker is the real client on a second store connection, run in
line."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.integration.api.conftest import FAST_RETRY
from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
from tracker.domain.model import Profile
from tracker.store import Store
from tracker.sync.runner import fetch_references
from tracker.ui.admin_page import PageContext, Work
from tracker.ui.admin_webhooks import WebhooksPage

URL = "https://hooks.example.com/in"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.sqlite3"


@pytest.fixture
def page(qtbot: QtBot, clockify: FakeClockify, store_path: Path) -> Iterator[WebhooksPage]:
    """Alex's (the owner) Webhooks page."""
    key = clockify.api_key
    servers = Servers.custom(clockify.base_url, clockify.reports_url)
    now = datetime.fromtimestamp(clockify.state.now(), UTC)
    with Store(store_path) as store, Store(store_path) as worker_store:
        store.meta.save_profile(Profile(time_zone="UTC"))
        report = asyncio.run(fetch_references(store, key, servers, clock=lambda: now))
        assert report.error is None, report

        def run(work: Work, done: Any) -> None:
            async def go() -> Any:
                async with ClockifyClient(
                    key,
                    servers=servers,
                    retry=FAST_RETRY,
                    timeout=httpx.Timeout(2.0),
                    budget=RequestBudget(RateLimits()),
                ) as api:
                    return await work(worker_store, api)

            try:
                result = asyncio.run(go())
            except Exception as exc:  # handed to the page, as the worker does
                result = exc
            done(result)

        made = WebhooksPage(PageContext(store, lambda: now, run))
        qtbot.addWidget(made)
        made.resize(1100, 600)
        yield made


def test_the_page_says_this_app_cannot_receive_webhooks(page: WebhooksPage) -> None:
    assert "this desktop app cannot receive them" in page.note.text()
    assert "tracker events" in page.note.text()
    assert not page.delete_button.isEnabled()


def test_add_save_rotate_show_deliveries_and_delete(
    page: WebhooksPage, clockify: FakeClockify, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.shown()
    assert page.model.total == 0
    assert "0 webhooks, as of" in page.as_of.text()
    page.url_edit.setText(URL)
    page.event_box.setCurrentIndex(page.event_box.findData("NEW_TAG"))
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.url_edit.setFocus()
    qtbot.keyClick(page.url_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.message.text() == "Added the webhook."
    assert page.model.total == 1
    first_token = page.token_edit.text()
    assert len(first_token) > 10
    hook = page.chosen_hook()
    assert hook is not None
    assert hook.webhook_event == "NEW_TAG"

    page.name_edit.setText("Tags to the wiki")
    page.save_button.click()
    assert page.message.text() == "Saved the webhook."
    assert page.model.index(0, 1).data() == "Tags to the wiki"

    asked: list[str] = []

    def answer(text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(page, "confirm", answer)
    page.token_button.click()
    assert "new token" in asked[-1]
    assert page.token_edit.text() not in ("", first_token)

    async def tag() -> None:
        async with ClockifyClient(
            clockify.api_key, servers=Servers.custom(clockify.base_url, clockify.reports_url)
        ) as api:
            await api.tags.create(clockify.workspace_id, "delivered")

    asyncio.run(tag())
    page.deliveries_button.click()
    assert page.deliveries.count() == 1
    assert "200" in page.deliveries.item(0).text()
    assert "delivered" in page.deliveries.item(0).text()

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked[-1].startswith("Delete the webhook NEW_TAG")
    assert page.message.text() == "Deleted the webhook."
    assert page.model.total == 0


def test_a_refused_delete_sends_nothing(
    page: WebhooksPage, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.url_edit.setText(URL)
    page.add()
    monkeypatch.setattr(page, "confirm", lambda text: False)
    sent = len(clockify.exchanges)
    page.delete()
    assert len(clockify.exchanges) == sent
    assert page.model.total == 1


def test_the_list_is_kept_without_tokens_and_opens_offline(
    page: WebhooksPage, store_path: Path, clockify: FakeClockify
) -> None:
    page.url_edit.setText(URL)
    page.add()
    token = page.token_edit.text()
    assert token
    assert token.encode() not in store_path.read_bytes()
    for extra in (Path(f"{store_path}-wal"),):
        if extra.exists():
            assert token.encode() not in extra.read_bytes()
    clockify.stop()
    page.view = None
    assert page.load_kept()
    assert page.model.total == 1
    assert page.model.index(0, 3).data() == URL


def test_a_bad_url_is_refused_in_one_sentence(page: WebhooksPage) -> None:
    page.url_edit.setText("ftp://example.com/in")
    page.add()
    assert page.message.text().startswith("Clockify refused to add the webhook")
    page.url_edit.setText("")
    page.add()
    assert page.message.text() == "Give the URL of the server that receives the webhook."
