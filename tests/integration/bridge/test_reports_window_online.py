"""The Reports window with an account: Clockify's report fetched by the sync worker, the
kept copy at once on reopening (no request), Team for an owner, offline the kept copy."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.fakeclockify.access import MEMBER
from tests.helpers.keyrings import keep_key
from tests.integration.bridge.conftest import Rig
from tracker.bridge.controller import Controller
from tracker.bridge.worker import SyncWorker
from tracker.integrations.secrets import MemorySecretStore
from tracker.services import Tracker
from tracker.services.reports import LOCAL_LABEL
from tracker.sync.runner import budget_for
from tracker.ui.appearance import dark_palette
from tracker.ui.reports import ReportsWindow, local_reports_window

SHOTS = Path(
    os.environ.get("TRACKER_SCREENSHOTS") or Path(__file__).parents[3] / "artifacts/screenshots"
)


def _shot(widget: ReportsWindow, name: str) -> None:
    for _ in range(3):
        QApplication.processEvents()
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"reports-online-{name}.png"))


def test_the_window_shows_clockify_and_reopens_from_the_kept_copy(rig: Rig, qtbot: QtBot) -> None:
    worker, _ = rig.started()
    controller = Controller(Tracker(rig.store, lambda: datetime.now(UTC)))
    window = local_reports_window(controller, rig.path, lambda: worker.channel)
    qtbot.addWidget(window)
    window.period.setCurrentIndex(1)  # last week: whole days, no running timer
    window.show()
    qtbot.waitUntil(lambda: window.source_label.text() == "Your time on Clockify", timeout=10_000)
    report = window.report()
    assert report is not None
    assert report.source == "clockify"
    assert report.total_seconds > 0
    assert window.as_of.text().startswith("as of ")
    assert window.refresh_button.text() == "Refresh (costs 2 requests)"
    qtbot.waitUntil(lambda: not window.who.isHidden(), timeout=10_000)  # the owner sees Team
    _shot(window, "week-light")

    # A second window opens at once from the kept copy: no request.
    spent = budget_for(rig.store, rig.store.meta.workspace_id()).spent()
    again = local_reports_window(controller, rig.path, lambda: worker.channel)
    qtbot.addWidget(again)
    again.period.setCurrentIndex(1)
    again.show()
    shown = again.report()
    assert shown is not None
    assert shown.source == "clockify"
    assert shown.total_seconds == report.total_seconds
    assert budget_for(rig.store, rig.store.meta.workspace_id()).spent() == spent

    # Team: everyone's time, fetched by the worker.
    window.who.setCurrentIndex(1)
    qtbot.waitUntil(
        lambda: window.source_label.text() == "Everyone's time you may see on Clockify",
        timeout=10_000,
    )
    team = window.report()
    assert team is not None
    assert team.total_seconds > report.total_seconds

    # Offline: Refresh fails and says the copy is shown.
    window.who.setCurrentIndex(0)
    rig.server.stop()
    window.refresh_button.click()
    qtbot.waitUntil(lambda: "Showing the copy from" in window.message.text(), timeout=15_000)
    assert window.source_label.text() == "Your time on Clockify"
    _shot(window, "offline-light")


def test_without_an_account_the_window_stays_local(rig: Rig, qtbot: QtBot) -> None:
    rig.store.meta.set_account(None)
    controller = Controller(Tracker(rig.store, lambda: datetime.now(UTC)))
    window = local_reports_window(controller, rig.path, lambda: rig.worker().channel)
    qtbot.addWidget(window)
    window.show()
    assert window.source_label.text() == LOCAL_LABEL
    assert window.refresh_button.isHidden()
    assert window.who.isHidden()


def _rig_for(
    tmp_path: Path, server: FakeClockify, qtbot: QtBot, role: str
) -> tuple[Rig, SyncWorker]:
    rig = Rig(tmp_path / f"{role}.sqlite3", server, qtbot)
    person = next(u for u in server.users if u.role == role)
    rig.secrets = MemorySecretStore()
    keep_key(rig.secrets, rig.store, server.base_url, person.user_id, person.api_key)
    worker, _ = rig.started(budget_wait=5.0)  # a Free plan paces requests a second apart
    return rig, worker


def test_a_member_gets_no_team_choice_and_a_free_plan_asks_first(
    tmp_path: Path, clockify_factory: Callable[..., FakeClockify], qtbot: QtBot
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")
    rig, worker = _rig_for(tmp_path, server, qtbot, MEMBER)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.palette()
    app.setPalette(dark_palette())
    try:
        controller = Controller(Tracker(rig.store, lambda: datetime.now(UTC)))
        window = local_reports_window(controller, rig.path, lambda: worker.channel)
        qtbot.addWidget(window)
        window.period.setCurrentIndex(1)
        window.show()
        qtbot.waitUntil(
            lambda: window.source_label.text() == "Your time on Clockify", timeout=10_000
        )
        qtbot.wait(300)  # what the person may see is learnt meanwhile
        assert window.who.isHidden()  # a member: their own time only
        _shot(window, "member-free-dark")

        # Three months on a Free plan: 3 pieces x 2 requests; asked for, not spent.
        spent = budget_for(rig.store, rig.store.meta.workspace_id()).spent()
        window.period.setCurrentIndex(window.period.findData("custom"))
        today = datetime.now(UTC).date()
        window.start_edit.setDate(QDate(today.year, today.month, 1).addMonths(-3))
        assert "press Refresh to fetch it" in window.message.text()
        assert window.refresh_button.text() == "Refresh (costs 6 requests)"
        assert budget_for(rig.store, rig.store.meta.workspace_id()).spent() == spent
        _shot(window, "free-plan-asks-dark")
        window.refresh_button.click()

        def fetched() -> bool:
            shown = window.report()
            return shown is not None and shown.source == "clockify" and shown.query.days > 31

        qtbot.waitUntil(fetched, timeout=10_000)
        assert budget_for(rig.store, rig.store.meta.workspace_id()).spent() == spent + 6
    finally:
        app.setPalette(old)
        rig.close()
