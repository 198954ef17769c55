"""An entry on an invoice in the today window and the timesheet: shown locked with the
reason, no editor opens on it, a delete or a typed duration says why, and the entry services
refuse a change to it; the day's other entries stay editable, and an invoice deleted here frees
its time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import NOW, Seeded
from tests.unit.ui.test_approval_locks_ui import shown
from tracker.bridge.controller import Controller
from tracker.domain.model import LOCAL_WORKSPACE, WorkspaceInfo, WorkspaceRules
from tracker.services.errors import ServiceError
from tracker.services.invoice_locks import forget_invoice, remember_invoice
from tracker.services.tracker import Tracker
from tracker.store import Store
from tracker.ui.entries_model import Column
from tracker.ui.today import TodayWindow
from tracker.ui.week import WeekWindow

REASON = "is invoiced (invoice 2026-041), so its time is locked"
SERVER_ID = "6b14ca536a5d7f1f16a2fbfe"
INVOICE = "7c14ca536a5d7f1f16a2fbfe"


def invoice_first_entry(store: Store, seeded: Seeded) -> None:
    """Connect the store to a workspace where the first entry is on Clockify and invoiced."""
    store.move_workspace(LOCAL_WORKSPACE, "ws1")
    store.meta.save_workspace(WorkspaceInfo("ws1", "Acme", WorkspaceRules()))
    store.meta.set("workspace_id", "ws1")
    store.meta.set("account", {"user_id": "u1", "name": "Ann", "email": "ann@example.com"})
    first = seeded.entries[0]
    row = store.entries.get(first.id)
    assert row is not None
    store.entries.record_synced(
        first.id, server_id=SERVER_ID, sent_version=row.version, server_fields={}
    )
    remember_invoice(store.conn, "ws1", (INVOICE, "2026-041"), [SERVER_ID], NOW.timestamp())


@pytest.fixture
def today(controller: Controller, qtbot: QtBot, seeded: Seeded, store: Store) -> TodayWindow:
    invoice_first_entry(store, seeded)
    window = TodayWindow(controller)
    qtbot.addWidget(window)
    window.show_day(NOW.date())
    shown(window, qtbot)
    return window


def test_an_invoiced_entry_is_shown_locked_and_not_edited(today: TodayWindow, qtbot: QtBot) -> None:
    model = today.model
    assert model.rowCount() == 3
    assert REASON in model.lock_of(0)
    description = model.index(0, Column.DESCRIPTION)
    assert not description.flags() & Qt.ItemFlag.ItemIsEditable
    icon = description.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon)
    assert not icon.isNull()
    assert "Locked: This entry is invoiced" in str(description.data(Qt.ItemDataRole.ToolTipRole))
    for other in (1, 2):
        assert model.lock_of(other) == ""
        assert model.index(other, Column.DESCRIPTION).flags() & Qt.ItemFlag.ItemIsEditable

    today.table.setFocus()
    today.table.setCurrentIndex(model.index(0, Column.DESCRIPTION))
    QTest.keyClick(today.table, Qt.Key.Key_Return)
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
    assert REASON in today.status_label.text()
    today.status_label.clear()
    today.commands.delete.trigger()
    assert REASON in today.status_label.text()
    assert model.rowCount() == 3


def test_the_services_refuse_to_change_invoiced_time_until_the_invoice_goes(
    tracker: Tracker, seeded: Seeded, store: Store
) -> None:
    invoice_first_entry(store, seeded)
    first = seeded.entries[0]
    with pytest.raises(ServiceError, match="invoiced"):
        tracker.entries.edit(first.id, description="Rewritten")
    tracker.entries.edit(seeded.entries[1].id, description="Daily standup")  # not invoiced
    forget_invoice(store.conn, "ws1", INVOICE, NOW.timestamp())
    tracker.entries.edit(first.id, description="Rewritten")


def test_the_timesheet_locks_the_cell_of_an_invoiced_entry_and_says_why(
    controller: Controller, qtbot: QtBot, seeded: Seeded, store: Store
) -> None:
    invoice_first_entry(store, seeded)
    week = WeekWindow(controller)
    qtbot.addWidget(week)
    week.show_week(NOW.date())
    shown(week, qtbot)
    model = week.model
    column = next(n for n in range(1, 8) if model.day_at(n) == NOW.date())
    rows = [model.row_at(n) for n in range(model.rowCount() - 1)]
    invoiced_row = next(
        n for n, r in enumerate(rows) if r and seeded.entries[0].id in r.entry_ids[column - 1]
    )
    cell = model.index(invoiced_row, column)
    assert not cell.flags() & Qt.ItemFlag.ItemIsEditable
    assert isinstance(cell.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert REASON in str(cell.data(Qt.ItemDataRole.ToolTipRole))
    other = next(
        n for n, r in enumerate(rows) if r and n != invoiced_row and r.entry_ids[column - 1]
    )
    assert model.index(other, column).flags() & Qt.ItemFlag.ItemIsEditable

    week.table.setFocus()
    week.table.setCurrentIndex(cell)
    QTest.keyClicks(week.table, "2")
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
    assert REASON in week.status_label.text()
    assert model.setData(cell, "3:00") is False
