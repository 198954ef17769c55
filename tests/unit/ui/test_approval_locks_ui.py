"""Days of an approved period in the today window and the timesheet: shown with a padlock and
the reason, no editor opens on them, and every way in says why in the status line at once
(nothing is typed only to be refused later)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import NOW, Seeded
from tracker.bridge.controller import Controller
from tracker.domain.approval_periods import period_containing
from tracker.domain.model import LOCAL_WORKSPACE, WorkspaceInfo, WorkspaceRules
from tracker.services.approval_locks import KeptApprovals, KeptRequest, mine_key
from tracker.store import Store
from tracker.store.report_cache import ReportCache
from tracker.ui.entries_model import Column
from tracker.ui.today import TodayWindow
from tracker.ui.week import WeekWindow

REASON = "is approved on Clockify, so its time is locked"


def keep_week(store: Store, state: str) -> None:
    """Connect the store to a workspace and keep my request for NOW's week in ``state``."""
    store.move_workspace(LOCAL_WORKSPACE, "ws1")
    store.meta.save_workspace(WorkspaceInfo("ws1", "Acme", WorkspaceRules()))
    store.meta.set("workspace_id", "ws1")
    store.meta.set("account", {"user_id": "u1", "name": "Ann", "email": "ann@example.com"})
    week = period_containing(NOW.date(), "WEEKLY")
    request = KeptRequest("a" * 24, "u1", "Ann", week, state, decided_by="Sam")
    kept = KeptApprovals((request,), NOW)
    ReportCache(store.conn).put(mine_key("ws1", "u1"), "ws1", kept.to_json(), NOW.timestamp())


def shown(window: TodayWindow | WeekWindow, qtbot: QtBot) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


@pytest.fixture
def today(controller: Controller, qtbot: QtBot, seeded: Seeded, store: Store) -> TodayWindow:
    keep_week(store, "APPROVED")
    window = TodayWindow(controller)
    qtbot.addWidget(window)
    window.show_day(NOW.date())
    shown(window, qtbot)
    return window


def test_today_shows_an_approved_days_entries_locked_with_the_reason(
    today: TodayWindow, qtbot: QtBot
) -> None:
    model = today.model
    assert model.rowCount() == 3
    for row in range(3):
        assert REASON in model.lock_of(row)
        description = model.index(row, Column.DESCRIPTION)
        assert not description.flags() & Qt.ItemFlag.ItemIsEditable
        icon = description.data(Qt.ItemDataRole.DecorationRole)
        assert isinstance(icon, QIcon)
        assert not icon.isNull()
        painted = model.look(row, Column.DESCRIPTION).icon  # what the delegate paints
        assert painted is not None
        assert not painted.isNull()
        assert "Locked: Your timesheet for" in str(description.data(Qt.ItemDataRole.ToolTipRole))

    today.table.setFocus()
    today.table.setCurrentIndex(model.index(0, Column.DESCRIPTION))
    QTest.keyClick(today.table, Qt.Key.Key_Return)
    assert not isinstance(QApplication.focusWidget(), QLineEdit)  # no editor opened
    assert REASON in today.status_label.text()

    today.status_label.clear()
    QTest.keyClick(today.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert REASON in today.status_label.text()  # the full editor does not open either
    assert QApplication.activeModalWidget() is None

    today.status_label.clear()
    today.commands.delete.trigger()
    assert REASON in today.status_label.text()
    assert model.rowCount() == 3


def test_a_pending_week_stays_editable(
    controller: Controller, qtbot: QtBot, seeded: Seeded, store: Store
) -> None:
    keep_week(store, "PENDING")
    window = TodayWindow(controller)
    qtbot.addWidget(window)
    window.show_day(NOW.date())
    assert window.model.lock_of(0) == ""
    assert window.model.index(0, Column.DESCRIPTION).flags() & Qt.ItemFlag.ItemIsEditable
    assert window.model.index(0, Column.DESCRIPTION).data(Qt.ItemDataRole.DecorationRole) is None


@pytest.fixture
def week(controller: Controller, qtbot: QtBot, seeded: Seeded, store: Store) -> WeekWindow:
    keep_week(store, "APPROVED")
    window = WeekWindow(controller)
    qtbot.addWidget(window)
    window.show_week(NOW.date())
    shown(window, qtbot)
    return window


def test_the_timesheet_locks_an_approved_weeks_cells_and_says_why(
    week: WeekWindow, qtbot: QtBot
) -> None:
    model = week.model
    monday = model.index(0, 1)
    assert not monday.flags() & Qt.ItemFlag.ItemIsEditable
    header = model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole)
    assert isinstance(header, QIcon)
    assert not header.isNull()
    tip = str(model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole))
    assert REASON in tip
    assert REASON in str(monday.data(Qt.ItemDataRole.ToolTipRole))

    week.table.setFocus()
    week.table.setCurrentIndex(monday)
    QTest.keyClicks(week.table, "2")  # typing would start an edit on an open day
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
    assert REASON in week.status_label.text()

    week.status_label.clear()
    QTest.keyClick(week.table, Qt.Key.Key_Delete)  # no question: it could only be refused
    assert not isinstance(QApplication.activeModalWidget(), QMessageBox)
    assert REASON in week.status_label.text()
    assert model.setData(monday, "3:00") is False

    week.show_week(NOW.date() + timedelta(days=7))  # the week after is open
    assert model.lock_at(1) is None
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole) is None
