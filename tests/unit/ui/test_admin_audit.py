"""The Audit log page against the test server's audit host: nothing read until asked, then
the events with their authors, narrowed by the form (author, action, period) and the filter
box; exports written whole with a progress bar, and a cancel that writes nothing. The worker
is the real client on a second store connection, run in line."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.integration.api.conftest import FAST_RETRY
from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
from tracker.domain.model import Profile
from tracker.store import Store
from tracker.sync.runner import fetch_references
from tracker.ui.admin_audit import AuditPage
from tracker.ui.admin_page import PageContext, Work
from tracker.ui.indicators import outlined_fusion


@pytest.fixture
def enterprise(clockify_factory: Callable[..., FakeClockify]) -> FakeClockify:
    server = clockify_factory(seed="demo", plan="ENTERPRISE")
    tags = f"{server.base_url}/v1/workspaces/{server.workspace_id}/tags"
    with httpx.Client(headers={"X-Api-Key": server.key_for("ADMIN")}) as web:
        for n in range(60):
            assert web.post(tags, json={"name": f"label-{n:03d}"}).status_code == 201
    return server


@pytest.fixture
def page(qtbot: QtBot, enterprise: FakeClockify, tmp_path: Path) -> Iterator[AuditPage]:
    """Alex's (the owner) Audit log page."""
    key = enterprise.api_key
    servers = Servers.custom(enterprise.base_url, enterprise.reports_url)
    path = tmp_path / "tracker.sqlite3"
    now = datetime.fromtimestamp(enterprise.state.now(), UTC)
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

        made = AuditPage(PageContext(store, lambda: now, run))
        qtbot.addWidget(made)
        made.resize(1100, 600)
        yield made


def audit_requests(server: FakeClockify) -> int:
    return sum(1 for e in server.exchanges if e.path.endswith("/audit-log"))


def column(page: AuditPage, number: int) -> list[str]:
    return [str(page.model.index(r, number).data()) for r in range(page.model.rowCount())]


def test_nothing_is_read_until_asked_then_the_events_show(
    page: AuditPage, enterprise: FakeClockify
) -> None:
    page.shown()
    assert audit_requests(enterprise) == 0
    assert page.as_of.text() == "not read yet"
    page.refresh(force=True)
    assert audit_requests(enterprise) == 2  # 50 + the rest
    assert page.model.total > 60
    assert "Jordan Lee" in column(page, 2)
    assert "Clockify (system)" in column(page, 2)
    assert "events, read at" in page.as_of.text()
    assert not page.progress.isVisible()
    page.search.setText("label-059")  # one word: no time of day can match it
    assert "label-059" in column(page, 3)
    assert page.model.rowCount() < 10


def test_the_form_asks_clockify_for_an_author_and_an_action(
    page: AuditPage, enterprise: FakeClockify
) -> None:
    page.author_edit.setText("system")
    page.refresh(force=True)
    assert set(column(page, 2)) == {"Clockify (system)"}
    page.author_edit.setText("Jordan")
    page.action_box.setCurrentIndex(page.action_box.findData("CREATE_TAG"))
    page.refresh(force=True)
    assert page.model.total == 60
    assert set(column(page, 1)) == {"Create tag"}
    page.author_edit.setText("Nobody At All")
    page.refresh(force=True)
    assert "No one in this workspace is called 'Nobody At All'" in page.message.text()
    assert not page.progress.isVisible()


def test_a_period_that_ends_before_it_starts_is_said_without_a_request(
    page: AuditPage, enterprise: FakeClockify
) -> None:
    page.to_edit.setDate(page.from_edit.date().addDays(-1))
    page.refresh(force=True)
    assert page.message.text() == "The period ends before it starts."
    assert audit_requests(enterprise) == 0
    page.from_edit.setDate(QDate(2020, 1, 1))
    page.refresh(force=True)
    assert audit_requests(enterprise) > 0


def test_an_export_is_written_whole_withprogress_events(
    page: AuditPage, enterprise: FakeClockify, tmp_path: Path
) -> None:
    seen: list[str] = []
    page.progress_events.moved.connect(lambda r, e: seen.append(page.progress.format()))
    target = tmp_path / "audit.json"
    page.export_to(target, "json")
    assert seen == ["50 events (1 request)", f"{page.model.total} events (2 requests)"]
    saved = json.loads(target.read_text())
    assert len(saved["rows"]) == page.model.total
    assert saved["subtitle" if "subtitle" in saved else "period"] == "complete"
    assert page.message.text() == f"Wrote {page.model.total} events to audit.json."
    csv_file = tmp_path / "audit.csv"
    page.export_to(csv_file, "csv")
    assert csv_file.read_text(encoding="utf-8-sig").startswith("time,action,author")


def test_a_cancelled_export_writes_nothing_and_keeps_what_was_read(
    page: AuditPage, enterprise: FakeClockify, tmp_path: Path
) -> None:
    page.progress_events.moved.connect(lambda r, e: page.cancel_button.click())
    target = tmp_path / "audit.csv"
    page.export_to(target, "csv")
    assert not target.exists()
    assert not list(tmp_path.glob(".audit.csv.*"))
    assert page.message.text() == "Export cancelled; nothing was written."
    assert page.model.total == 50
    assert audit_requests(enterprise) == 1
    assert page.csv_button.isEnabled()


def _arrow_points_down(header: QHeaderView, section: int) -> bool:
    """Whether the sort arrow drawn at the right end of ``section`` is wider at its top
    than at its bottom (a ▼)."""
    image = header.grab().toImage()
    right = header.sectionViewportPosition(section) + header.sectionSize(section)
    background = image.pixelColor(right - 3, 2).lightness()
    widths = [
        sum(
            1
            for x in range(right - 16, right - 1)
            if image.pixelColor(x, y).lightness() < background // 2  # not the grey borders
        )
        for y in range(image.height())
    ]
    drawn = [w for w in widths if w]
    assert len(drawn) >= 2, widths  # an arrow is there
    return drawn[0] > drawn[-1]


def test_the_when_arrow_points_down_while_the_newest_are_first(page: AuditPage) -> None:
    """Read newest first, the header's arrow says so in the app's look (outlined Fusion):
    ▼, as it is ▲ when a click sorts the oldest first."""
    header = page.table.horizontalHeader()
    header.setStyle(outlined_fusion())
    page.shown()
    page.refresh(force=True)
    page.show()
    when = column(page, 0)
    assert when == sorted(when, reverse=True)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _arrow_points_down(header, 0)
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert column(page, 0) == sorted(when)
    assert not _arrow_points_down(header, 0)
