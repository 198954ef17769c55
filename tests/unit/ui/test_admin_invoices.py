"""The Invoices page against the test server: an invoice made for a client, last month's
billable time imported as lines, the status filter, sent and paid, the PDF exported and
opened, deleted after asking. The worker is the real client on a second store connection,
run in line."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
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
from tracker.ui.admin_invoices import InvoicesPage
from tracker.ui.admin_page import PageContext, Work

RATE = 12000


def _client_with_time(server: FakeClockify, now: datetime) -> int:
    """A client whose project has 2 h of billable time on the 10th of last month; its
    amount in cents."""
    state, ws = server.state, server.workspace_id
    client = state.add_client(ws, "Acme Test", currency_code="EUR")
    project = state.add_project(
        ws, "Acme Site", client_id=client.id, hourly_rate={"amount": RATE, "currency": "EUR"}
    )
    day = (now.replace(day=1) - timedelta(days=1)).replace(day=10, hour=9, minute=0, second=0)
    start = int(day.timestamp())
    owner = server.users[0].user_id
    state.add_entry(ws, owner, start, start + 7200, project_id=project.id, billable=True)
    return 2 * RATE


@pytest.fixture
def page(qtbot: QtBot, clockify: FakeClockify, tmp_path: Path) -> Iterator[InvoicesPage]:
    """Jordan's (an admin) Invoices page, connected to the demo workspace."""
    key = clockify.key_for("ADMIN")
    servers = Servers.custom(clockify.base_url, clockify.reports_url)
    path = tmp_path / "tracker.sqlite3"
    now = datetime.fromtimestamp(clockify.state.now(), UTC)
    _client_with_time(clockify, now)
    with Store(path) as store, Store(path) as worker_store:
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

        made = InvoicesPage(PageContext(store, lambda: now, run))
        qtbot.addWidget(made)
        made.resize(1100, 600)
        yield made


def test_an_invoice_of_last_months_time_is_sent_paid_exported_and_deleted(
    page: InvoicesPage, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert page.as_of.text() == "not read yet"
    page.shown()
    assert "as of" in page.as_of.text()
    assert page.model.rowCount() == 0
    assert not page.import_button.isEnabled()

    monkeypatch.setattr(
        page, "choose", lambda _title, _label, names: "Acme Test" if "Acme Test" in names else ""
    )
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert "Created invoice" in page.message.text()
    assert page.model.rowCount() == 1
    assert page.detail is not None
    assert "No lines yet" in page.lines.item(0).text()

    page.period_box.setCurrentIndex(page.period_box.findData("last-month"))
    page.import_button.click()
    assert "Imported 1 time entries" in page.message.text()
    assert page.lines.count() == 1
    assert "Acme Site" in page.lines.item(0).text()
    assert "240.00 EUR" in page.totals.text()
    page.import_button.click()
    assert "nothing was added" in page.message.text()
    assert page.lines.count() == 1

    page.sent_button.click()
    assert "is sent" in page.message.text()
    page.status_box.setCurrentIndex(page.status_box.findData("PAID"))
    assert page.model.rowCount() == 0
    page.status_box.setCurrentIndex(page.status_box.findData("SENT"))
    assert page.model.rowCount() == 1

    monkeypatch.setattr(page, "ask_text", lambda _title, _label, text="": text)
    page.status_box.setCurrentIndex(0)
    page.pay_button.click()
    assert "0.00 EUR left to pay" in page.message.text()
    assert page.detail is not None
    assert page.detail.invoice.status == "PAID"
    assert page.payments.count() == 1
    assert not page.pay_button.isEnabled()

    opened: list[Path] = []
    target = tmp_path / "out.pdf"
    monkeypatch.setattr(page, "save_path", lambda _suggested: str(target))
    monkeypatch.setattr(page, "open_file", opened.append)
    page.export_button.click()
    assert opened == [target]
    assert target.read_bytes().startswith(b"%PDF")

    monkeypatch.setattr(page, "confirm", lambda _question, _action: False)
    page.delete_button.click()
    assert page.model.rowCount() == 1
    monkeypatch.setattr(page, "confirm", lambda _question, _action: True)
    page.delete_button.click()
    assert "Deleted invoice" in page.message.text()
    assert page.model.rowCount() == 0


def test_a_member_is_told_why_in_one_line(
    qtbot: QtBot, clockify: FakeClockify, tmp_path: Path
) -> None:
    key = clockify.key_for("MEMBER")
    servers = Servers.custom(clockify.base_url, clockify.reports_url)
    now = datetime.fromtimestamp(clockify.state.now(), UTC)
    with Store(tmp_path / "t.sqlite3") as store:
        store.meta.save_profile(Profile(time_zone="UTC"))
        asyncio.run(fetch_references(store, key, servers, clock=lambda: now))

        def run(work: Work, done: Any) -> None:
            async def go() -> Any:
                async with ClockifyClient(
                    key, servers=servers, retry=FAST_RETRY, budget=RequestBudget(RateLimits())
                ) as api:
                    return await work(store, api)

            try:
                done(asyncio.run(go()))
            except Exception as exc:
                done(exc)

        made = InvoicesPage(PageContext(store, lambda: now, run))
        qtbot.addWidget(made)
        made.shown()
        assert "does not let you read the invoices" in made.message.text()
