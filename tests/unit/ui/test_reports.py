"""The Reports window: it shows the local report, says what it shows, follows changes to its
period, filters, drills down, and exports off the GUI thread with a cancellable progress."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import Seeded, at
from tracker.bridge.controller import Controller
from tracker.domain.model import Entry
from tracker.services import Tracker
from tracker.services.admin_base import admin_key
from tracker.services.changes import Changes
from tracker.services.reports import LOCAL_LABEL
from tracker.services.requests import Add
from tracker.store import Store
from tracker.store.report_cache import ReportCache
from tracker.sync.account import workspace_rates_key
from tracker.ui.appearance import dark_palette
from tracker.ui.reports import ReportsWindow, local_reports_window

SHOTS = Path(
    os.environ.get("TRACKER_SCREENSHOTS") or Path(__file__).parents[3] / "artifacts/screenshots"
)


def window(controller: Controller, store: Store, qtbot: QtBot) -> ReportsWindow:
    made = local_reports_window(controller, store.path)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def shot(widget: ReportsWindow, name: str) -> None:
    for _ in range(3):  # let the layout take the labels' and legend's new sizes
        QApplication.processEvents()
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"reports-{name}.png"))


def test_it_shows_the_week_and_says_whose_entries(
    controller: Controller, store: Store, seeded: Seeded, qtbot: QtBot
) -> None:
    reports = window(controller, store, qtbot)
    report = reports.report()
    assert report is not None
    assert reports.source_label.text() == LOCAL_LABEL
    assert report.total_seconds == 5400 + 1800 + 4500
    assert reports.totals.text().startswith("Total 3:15:00")
    assert [(label, s) for label, s, _ in reports.shares.parts()] == [
        ("Website", 5400),
        ("(Without project)", 4500),
        ("Internal", 1800),
    ]
    assert reports.model.rowCount() == 3
    assert reports.days.days()[0] == (at(0).date(), report.total_seconds)
    shot(reports, "week-light")


def test_it_follows_changes_to_its_period_only_while_visible(
    controller: Controller, store: Store, seeded: Seeded, qtbot: QtBot
) -> None:
    reports = window(controller, store, qtbot)
    before = reports.report()
    assert before is not None
    controller.act(Add(start=at(15), end=at(16), description="later"))
    after = reports.report()
    assert after is not None
    assert after.total_seconds == before.total_seconds + 3600
    reports.hide()
    controller.act(Add(start=at(16), end=at(16, 30), description="hidden"))
    assert reports.report() is after  # not read while hidden
    reports.show()
    shown = reports.report()
    assert shown is not None
    assert shown.total_seconds == after.total_seconds + 1800


def test_filters_and_grouping(
    controller: Controller, store: Store, seeded: Seeded, qtbot: QtBot
) -> None:
    reports = window(controller, store, qtbot)
    reports.text_filter.setText("stand")
    report = reports.report()
    assert report is not None
    assert report.total_seconds == 1800
    reports.text_filter.setText("")
    reports.group.setCurrentIndex(1)  # Project / Task
    website = reports.model.item(0, 0)
    assert website is not None
    assert website.text() == "Website"
    assert website.child(0, 0).text() == "Design"
    reports.period.setCurrentIndex(reports.period.findData("last-week"))
    report = reports.report()
    assert report is not None
    assert report.entries == 0
    assert reports.empty.isVisible()
    assert not reports.tree.isVisible()
    shot(reports, "empty-light")


def test_project_and_tag_filters_follow_the_catalog(
    controller: Controller, store: Store, seeded: Seeded, qtbot: QtBot, tracker: Tracker
) -> None:
    reports = window(controller, store, qtbot)
    reports.project.setCurrentIndex(reports.project.findData(seeded.website.id))
    report = reports.report()
    assert report is not None
    assert report.total_seconds == 5400
    reports.project.setCurrentIndex(reports.project.findData(""))  # without a project
    report = reports.report()
    assert report is not None
    assert report.total_seconds == 4500
    reports.project.setCurrentIndex(0)
    reports.tag.setCurrentIndex(reports.tag.findData(seeded.meeting.id))
    report = reports.report()
    assert report is not None
    assert report.total_seconds == 1800
    made = tracker.catalog.create_tag("new tag")
    controller.refresh(Changes(catalog=True))
    assert reports.tag.findData(made.id) > 0
    assert reports.tag.currentData() == seeded.meeting.id  # the choice stays


def test_a_custom_period_that_ends_first_says_so(
    controller: Controller, store: Store, seeded: Seeded, qtbot: QtBot
) -> None:
    reports = window(controller, store, qtbot)
    reports.period.setCurrentIndex(reports.period.findData("custom"))
    assert reports.start_edit.isVisible()
    reports.start_edit.setDate(reports.end_edit.date().addDays(3))
    assert "before it starts" in reports.message.text()


def keep_rates(store: Store, seeded: Seeded, *, team: bool) -> None:
    """Rates as administration keeps them: mine on Website (the most specific level, so
    nothing else is needed there), and (with ``team``) the workspace's and my team rate,
    which price the entries on Internal and without a project."""
    ws = seeded.website.workspace_id
    cache = ReportCache(store.conn)
    store.meta.set_account({"user_id": "me", "name": "Me", "email": "me@example.com"})
    mine = {"user_id": "me", "name": "Me", "hourly_rate": 6000, "cost_rate": 2500}
    cache.put(
        admin_key("projects", ws),
        ws,
        {
            "projects": [
                {
                    "id": seeded.website.id,
                    "hourly_rate": 1,
                    "cost_rate": 1,
                    "members": [mine],
                    "tasks": [{"id": seeded.design.id, "hourly_rate": None}],
                },
                {"id": seeded.internal.id, "hourly_rate": None, "cost_rate": None},
            ]
        },
        0.0,
    )
    if team:
        store.meta.set(workspace_rates_key(ws), {"hourly": 4000, "cost": 2000, "currency": "EUR"})
        person = {"id": "me", "name": "Me", "hourly_rate": None, "cost_rate": None}
        cache.put(admin_key("team", ws), ws, {"people": [person], "groups": []}, 0.0)


@pytest.mark.parametrize("look", ["light", "dark"])
def test_amounts_from_the_kept_rates_per_group_and_in_total(
    controller: Controller,
    store: Store,
    seeded: Seeded,
    qtbot: QtBot,
    look: str,
) -> None:
    controller.tracker.entries.add(at(15), at(16), "Client call", project="Website", billable=True)
    keep_rates(store, seeded, team=False)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.palette()
    app.setPalette(dark_palette() if look == "dark" else app.style().standardPalette())
    try:
        reports = window(controller, store, qtbot)
        # Only Website's entries are priced: 1 h billable at 60.00, 2.5 h cost at 25.00.
        text = reports.totals.text().replace("\u00a0", " ")  # amounts do not break inside
        assert "Amount 60.00  ·  Cost 62.50  ·  Profit -2.50" in text
        assert "Amounts for 2 of 4 entries" in reports.totals.text()
        assert "open Workspace… to fetch the rates" in reports.totals.text()
        amounts = {
            reports.model.item(row, 0).text(): reports.model.item(row, 3).text()
            for row in range(reports.model.rowCount())
        }
        unknown = "unknown"
        assert amounts == {"Website": "60.00", "(Without project)": unknown, "Internal": unknown}
        shot(reports, f"amounts-some-{look}")
        other = QWidget()
        qtbot.addWidget(other)

        def come_back() -> None:
            other.show()
            other.activateWindow()
            qtbot.waitUntil(lambda: not reports.isActiveWindow())
            reports.activateWindow()  # the person comes back to the report
            qtbot.waitUntil(reports.isActiveWindow)

        before = reports.report()
        come_back()
        assert reports.report() is before  # nothing new kept: not read again
        keep_rates(store, seeded, team=True)  # fetched in the Workspace window meanwhile
        come_back()
        qtbot.waitUntil(lambda: "Amounts for" not in reports.totals.text())
        text = reports.totals.text().replace("\u00a0", " ")
        # Now all: Internal and the rest cost 20.00/h (the workspace's); none of them bills.
        assert "Amount 60.00 EUR  ·  Cost 97.50 EUR  ·  Profit -37.50 EUR" in text, text
        assert "Amounts for" not in text
        shot(reports, f"amounts-all-{look}")
    finally:
        app.setPalette(old)


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("look", ["light", "dark"])
def test_every_label_reads_at_4_5_to_1(
    controller: Controller, store: Store, seeded: Seeded, qtbot: QtBot, look: str
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.palette()
    app.setPalette(dark_palette() if look == "dark" else app.style().standardPalette())
    try:
        reports = window(controller, store, qtbot)
        for label in reports.findChildren(QLabel):
            palette = label.palette()
            text = palette.color(QPalette.ColorRole.WindowText)
            back = palette.color(QPalette.ColorRole.Window)
            assert _contrast(text, back) >= 4.5, label.text()
        shot(reports, f"week-{look}")
    finally:
        app.setPalette(old)


def test_export_runs_off_the_gui_thread_and_can_be_cancelled(
    controller: Controller, store: Store, seeded: Seeded, qtbot: QtBot, tmp_path: Path
) -> None:
    reports = window(controller, store, qtbot)
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "week.csv"
    job = reports.start_export(path)
    assert job is not None
    with qtbot.waitSignal(reports.exported, timeout=10_000):
        pass
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3
    # A long export, cancelled: nothing is left under the name.
    with store.transaction():
        for n in range(20_000):
            began = at(0) + timedelta(seconds=n * 4)
            store.entries.save_in(Entry(f"x{n}", "local", began, began + timedelta(seconds=2)), 0.0)
    reports.refresh()
    big = folder / "big.csv"
    job = reports.start_export(big)
    assert job is not None
    job.cancel()
    qtbot.waitUntil(lambda: not reports.exporting, timeout=10_000)
    assert "cancelled" in reports.message.text()
    assert not big.exists()
    assert list(folder.iterdir()) == [path]


def test_nothing_of_the_reports_loads_at_start_up() -> None:
    code = (
        "import sys, tracker.app\n"
        "loaded = [m for m in sys.modules if m.startswith(('tracker.ui.reports', "
        "'tracker.ui.charts', 'tracker.services.reports', 'tracker.services.exports', "
        "'openpyxl', 'tracker.integrations.pdf'))]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
