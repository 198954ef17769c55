"""The Approvals window's tables: plain-text cells, the lists' look, and a period's time as a
read-only grid of projects by day (from Clockify's summary report, grouped by day then
project)."""

from __future__ import annotations

from datetime import timedelta, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from tracker.services.approval_locks import KeptRequest
from tracker.services.reports import Report
from tracker.ui import text
from tracker.ui.week_model import hours

__all__ = [
    "CLOCKIFY_TOTAL",
    "LOCAL_TOTAL",
    "STATES",
    "detail_title",
    "fill_grid",
    "list_table",
    "plain_cell",
]

STATES = {
    None: "not submitted",
    "PENDING": "waiting for approval",
    "APPROVED": "approved",
    "REJECTED": "rejected",
    "WITHDRAWN_SUBMISSION": "withdrawn",
    "WITHDRAWN_APPROVAL": "approval withdrawn",
}
"""Each state as the window says it."""
LOCAL_TOTAL = (
    "Your entries on this computer (it keeps the recent weeks); Clockify counts the period "
    "once it is submitted. Enter shows Clockify's figures."
)
CLOCKIFY_TOTAL = "Tracked in the period, as Clockify counts it."


def plain_cell(value: str, tip: str | None = None) -> QTableWidgetItem:
    """A read-only cell; a tooltip shows server text literally."""
    item = QTableWidgetItem(value)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if tip:
        item.setToolTip(text.tooltip(tip))
    return item


def list_table(headers: list[str], parent: QWidget) -> QTableWidget:
    """A read-only list of rows, one selected at a time; Tab leaves it."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def detail_title(request: KeptRequest, report: Report | None, zone: tzinfo) -> str:
    """Whose period the grid shows, and from when."""
    who = request.owner_name or "Your time"
    if report is None:
        return f"{who}, {request.period.label()}: press Enter to fetch it from Clockify."
    clock = text.local_time(report.as_of, zone)
    return f"{who}, {request.period.label()} (read only, as of {clock})"


def fill_grid(grid: QTableWidget, request: KeptRequest | None, report: Report | None) -> None:
    """Projects down, the period's days across, totals last; empty without a report."""
    grid.clear()
    if request is None or report is None:
        grid.setRowCount(0)
        grid.setColumnCount(0)
        return
    period = request.period
    days = [period.first + timedelta(days=n) for n in range((period.last - period.first).days + 1)]
    rows: dict[str, dict[str, int]] = {}
    for day_group in report.groups:
        for project in day_group.children:
            cells = rows.setdefault(project.label, {})
            cells[day_group.key or ""] = cells.get(day_group.key or "", 0) + project.seconds
    grid.setColumnCount(len(days) + 1)
    grid.setRowCount(len(rows) + 1)
    grid.setHorizontalHeaderLabels([f"{d:%a %d}" for d in days] + ["Total"])
    grid.setVerticalHeaderLabels([*rows, "Total"])
    by_day = dict(report.days)
    for row, cells in enumerate(rows.values()):
        for column, day in enumerate(days):
            grid.setItem(row, column, plain_cell(hours(cells.get(day.isoformat(), 0))))
        grid.setItem(row, len(days), plain_cell(hours(sum(cells.values()))))
    for column, day in enumerate(days):
        grid.setItem(len(rows), column, plain_cell(hours(by_day.get(day, 0))))
    grid.setItem(len(rows), len(days), plain_cell(hours(report.total_seconds) or "0:00"))
    grid.resizeColumnsToContents()
