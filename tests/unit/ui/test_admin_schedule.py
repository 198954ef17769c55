"""The Schedule page against the test server: the week grid with capacity, booking from the
keyboard, over-booking in the warning tone, ◀ ▶ weeks, folding, deleting and publishing after
asking. The worker is the real client on a second store connection, run in line."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.integration.api.conftest import FAST_RETRY
from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
from tracker.domain.model import Profile
from tracker.store import Store
from tracker.sync.runner import fetch_references
from tracker.ui.admin_page import PageContext, Work
from tracker.ui.admin_schedule import SchedulePage
from tracker.ui.appearance import tone_colour


def _key(server: FakeClockify, name: str) -> str:
    return next(u.api_key for u in server.users if u.name == name)


@pytest.fixture
def page(qtbot: QtBot, clockify: FakeClockify, tmp_path: Path) -> Iterator[SchedulePage]:
    """Jordan's (an admin) Schedule page, connected to the demo workspace."""
    key = _key(clockify, "Jordan Lee")
    servers = Servers.custom(clockify.base_url, clockify.reports_url)
    path = tmp_path / "tracker.sqlite3"
    now = datetime.fromtimestamp(clockify.state.now(), UTC)
    with Store(path) as store, Store(path) as worker_store:
        store.meta.save_profile(Profile(time_zone="UTC"))
        report = asyncio.run(fetch_references(store, key, servers, clock=lambda: now))
        assert report.error is None, report
        assert report.offline is None, report

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

        made = SchedulePage(PageContext(store, lambda: now, run))
        qtbot.addWidget(made)
        made.resize(1100, 600)
        yield made


def cells(page: SchedulePage, key: str) -> list[str]:
    number = page.model.find(key)
    assert number >= 0, key
    return [str(page.model.index(number, c).data()) for c in range(page.model.columnCount())]


def person_key(server: FakeClockify, name: str) -> str:
    return "p:" + next(u.user_id for u in server.users if u.name == name)


def monday(page: SchedulePage) -> date:
    return page.day


def test_the_week_opens_with_capacity_and_books_from_the_keyboard(
    page: SchedulePage, clockify: FakeClockify, qtbot: QtBot
) -> None:
    assert page.as_of.text() == "not read yet"
    page.shown()
    assert "as of" in page.as_of.text()
    chen = cells(page, person_key(clockify, "Chen Wei"))
    assert chen[1:7] == ["6/8", "6/8", "6/8", "6/8", "6/8", "0/0"]
    assert chen[-1] == "30/40"
    assert page.model.headers[1].startswith("Mon ")

    priya = person_key(clockify, "Priya Shah")
    page.table.selectRow(page.model.find(priya))
    assert page.person_box.currentText() == "Priya Shah"
    page.project_box.setCurrentIndex(
        page.project_box.findText("Website Redesign", Qt.MatchFlag.MatchStartsWith)
    )
    page.hours_box.setValue(4)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert "Booked 1" in page.message.text()
    assert cells(page, priya)[1:6] == ["4/8"] * 5

    assert page.current_key() == priya
    first = monday(page)
    page.first_edit.setDate(QDate(first.year, first.month, first.day))
    page.last_edit.setDate(QDate(first.year, first.month, first.day))
    page.hours_box.setValue(5)
    page.add_button.click()
    assert "Booked 1" in page.message.text(), page.message.text()
    row = page.model.find(priya)
    assert page.model.index(row, 1).data() == "9/8!"
    warned = page.model.index(row, 1).data(Qt.ItemDataRole.ForegroundRole)
    assert warned == tone_colour(page.palette(), "warning")
    assert page.model.index(row, 2).data(Qt.ItemDataRole.ForegroundRole) is None

    page.table.selectRow(row)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.find(priya) == row
    assert page.model.row(row + 1) is None or page.model.row(row + 1).key.startswith("p:")  # type: ignore[union-attr]
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.row(row + 1).key.startswith("r:")  # type: ignore[union-attr]


def test_weeks_change_with_the_arrows_and_delete_and_publish_ask_first(
    page: SchedulePage, clockify: FakeClockify, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.shown()
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    this_week = page.day
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert page.day == this_week + timedelta(days=7)
    assert cells(page, person_key(clockify, "Chen Wei"))[-1] == "0/40"
    qtbot.keyClick(page.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert page.day == this_week

    sam = person_key(clockify, "Sam Rivera")
    project_row = page.model.find(sam) + 1
    page.table.selectRow(project_row)
    assert page.booking() is not None
    asked: list[str] = []
    answer = [False]

    def confirm(text: str) -> bool:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(page, "confirm", confirm)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert "Delete Sam Rivera's Mobile App" in asked[-1]
    assert cells(page, sam)[-1] == "10/40"  # refused: nothing sent

    answer[0] = True
    assert page.week is not None
    assert page.week.drafts == 10
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "10 h not published yet" in asked[-1]
    assert page.week is not None
    assert page.week.drafts == 0
    page.table.selectRow(page.model.find(sam) + 1)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert cells(page, sam)[-1] == "0/40"
    assert "Deleted" in page.message.text()


def test_what_was_typed_for_an_assignment_survives_a_refresh_and_the_filter(
    page: SchedulePage, clockify: FakeClockify, qtbot: QtBot
) -> None:
    page.shown()
    chen = person_key(clockify, "Chen Wei")
    row = page.model.find(chen) + 1
    booked = page.model.row(row)
    assert booked is not None
    assert booked.key.startswith("r:")
    page.table.selectRow(row)
    assert page.booking() is not None
    page.hours_box.setValue(2.5)
    page.note_edit.setText("half days")
    page.refresh(force=True)  # F5
    assert page.current_key() == booked.key
    assert page.hours_box.value() == 2.5
    assert page.note_edit.text() == "half days"
    qtbot.keyClicks(page.search, "chen")
    assert page.current_key() == booked.key
    assert page.note_edit.text() == "half days"
    page.table.selectRow(page.model.find(chen))  # another row: the form follows it
    page.table.selectRow(page.model.find(booked.key))
    assert page.note_edit.text() == ""


@pytest.mark.parametrize("field", ["hours", "note", "first", "project", "person"])
def test_the_row_worked_on_after_filtering_is_the_one_kept(
    page: SchedulePage, clockify: FakeClockify, qtbot: QtBot, field: str
) -> None:
    """A row hidden by the filter is chosen again when the filter shows it, unless the
    person has worked on another row's form since: then that row (and what was typed) stays,
    whichever field they edited, through a filter keystroke and a refresh landing."""
    page.shown()
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    chen = person_key(clockify, "Chen Wei")
    hidden = page.model.row(page.model.find(chen) + 1)
    assert hidden is not None
    page.table.selectRow(page.model.find(hidden.key))
    qtbot.keyClicks(page.search, "priya")  # hides Chen's row: Priya is chosen
    priya = person_key(clockify, "Priya Shah")
    assert page.current_key() == priya
    if field == "hours":
        page.hours_box.setFocus()
        page.hours_box.selectAll()
        qtbot.keyClicks(page.hours_box, "7")
        typed: object = page.hours_box.value()
        assert typed == 7
    elif field == "note":
        qtbot.keyClicks(page.note_edit, "mornings")
        typed = page.note_edit.text()
    elif field == "first":
        page.first_edit.setFocus()
        qtbot.keyClick(page.first_edit, Qt.Key.Key_Up)  # a day (the section the cursor is on)
        typed = page.first_edit.date()
    else:
        box = page.project_box if field == "project" else page.person_box
        box.setFocus()
        before = box.currentIndex()
        last = before == box.count() - 1
        qtbot.keyClick(box, Qt.Key.Key_Up if last else Qt.Key.Key_Down)  # as a person picks
        assert box.currentIndex() != before, field
        typed = box.currentData()
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace)  # "priy" still hides Chen's row
    assert page.current_key() == priya
    page.search.clear()  # shows it again
    assert page.model.find(hidden.key) >= 0
    assert page.current_key() == priya  # not Chen's, hidden before Priya's was worked on
    page.refresh(force=True)
    assert page.current_key() == priya
    now = {
        "hours": page.hours_box.value(),
        "note": page.note_edit.text(),
        "first": page.first_edit.date(),
        "project": page.project_box.currentData(),
        "person": page.person_box.currentData(),
    }[field]
    assert now == typed


def test_a_plan_without_scheduling_is_said_without_a_request(
    page: SchedulePage, clockify: FakeClockify, qtbot: QtBot
) -> None:
    from dataclasses import replace

    store = page.context.store
    ws = store.meta.workspace_id()
    assert ws is not None
    info = store.meta.workspace(ws)
    assert info is not None
    store.meta.save_workspace(replace(info, free_plan=True, features=frozenset({"APPROVAL"})))
    before = len(clockify.exchanges)
    page.shown()
    page.refresh(force=True)
    assert "plan has no Scheduling" in page.message.text()
    page.add()
    assert len(clockify.exchanges) == before  # nothing asked: Clockify would say 403


def test_the_form_fits_a_narrow_window_by_taking_more_rows(
    page: SchedulePage, qtbot: QtBot
) -> None:
    """At scale 2 on a 1280-pixel screen a page has about 640 pixels: a form of four fields
    a row made the window wider than that, and its last fields were past the screen's edge."""
    wide_hint = page.minimumSizeHint().width()
    assert wide_hint <= 640, f"the page cannot be narrower than {wide_hint} px"
    page.resize(600, 700)
    page.show()
    qtbot.waitExposed(page)
    right = page.mapToGlobal(page.rect().topRight()).x()
    for field in (page.person_box, page.note_edit, page.series_box, page.last_edit):
        edge = field.mapToGlobal(field.rect().topRight()).x()
        assert edge <= right, f"{field.objectName() or type(field).__name__} is past the edge"
    assert page.fields.per_row < 4
    page.resize(1900, 700)
    qtbot.waitUntil(lambda: page.fields.per_row == 4)
