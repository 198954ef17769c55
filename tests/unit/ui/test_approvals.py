"""The Approvals window as two people on the test server, each with their own store file and
sync worker: Priya submits her weeks, Sam (her manager) rejects one with a note and approves
the other, Priya reads the note; refusals and a lost connection are one sentence, and a note
that could not be sent stays and goes out with "Try again"."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.helpers.clock import FakeClock
from tests.helpers.keyrings import keep_key
from tests.integration.api.conftest import FAST_RETRY
from tracker.bridge.controller import Controller
from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.bridge.worker import SyncWorker
from tracker.domain.model import Profile
from tracker.integrations.secrets import MemorySecretStore
from tracker.services import Tracker
from tracker.services.changes import Changes
from tracker.services.preferences import Preferences, save
from tracker.store import Store
from tracker.sync.schedule import SyncPolicy
from tracker.ui.approvals import ApprovalsWindow, approvals_window

QUIET = SyncPolicy(push_delay=0.05, min_poll=3600.0, max_backoff=0.3)
WAIT = 10_000


class Person:
    """One person's tracker: their store file, their worker, their Approvals window."""

    def __init__(self, folder: Path, server: FakeClockify, name: str, qtbot: QtBot) -> None:
        seeded = next(u for u in server.users if u.name.startswith(name))
        folder.mkdir()
        self.user_id = seeded.user_id
        self.store = Store(folder / "tracker.sqlite3")
        self.store.meta.save_profile(Profile(time_zone="UTC"))
        secrets = MemorySecretStore()
        keep_key(secrets, self.store, server.base_url, seeded.user_id, seeded.api_key)
        save(
            self.store,
            Preferences(server="custom", api_url=server.base_url, reports_url=server.reports_url),
        )
        self.worker = SyncWorker(
            self.store.path,
            secrets,
            policy=QUIET,
            clock=lambda: datetime.now(UTC),
            api_options={"retry": FAST_RETRY, "timeout": httpx.Timeout(2.0), "budget_wait": 0.0},
        )
        with qtbot.waitSignal(self.worker.round_finished, timeout=WAIT):
            self.worker.start()
        clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
        self.controller = Controller(Tracker(self.store, clock))
        worker = self.worker
        self.window: ApprovalsWindow = approvals_window(self.controller, lambda: worker.channel)
        qtbot.addWidget(self.window)
        self.qtbot = qtbot

    def open(self) -> ApprovalsWindow:
        """Show the window and wait for its first fetch."""
        self.window.show()
        self.qtbot.waitUntil(lambda: self.window.as_of.text().startswith("as of"), timeout=WAIT)
        self.qtbot.waitUntil(lambda: not self.window.busy, timeout=WAIT)
        return self.window

    def close(self) -> None:
        self.window.close()
        assert self.worker.shutdown()
        QCoreApplication.processEvents()
        self.store.close()


@pytest.fixture
def people(
    tmp_path: Path, clockify: FakeClockify, qtbot: QtBot
) -> Iterator[Callable[[str], Person]]:
    made: list[Person] = []

    def person(name: str) -> Person:
        made.append(Person(tmp_path / name, clockify, name, qtbot))
        return made[-1]

    yield person
    for one in made:
        one.close()


def shot(window: ApprovalsWindow, name: str) -> None:
    """Keep a picture to look at when ``TRACKER_SCREENSHOTS`` names a folder."""
    folder = os.environ.get("TRACKER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(Path(folder) / f"{name}.png"))


def text_at(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def cell(window: ApprovalsWindow, row: int, column: int) -> str:
    return text_at(window.mine_table, row, column)


def writes(server: FakeClockify) -> list[str]:
    return [
        f"{e.method} {e.path}"
        for e in server.exchanges
        if e.method in ("POST", "PATCH") and "approval-requests" in e.path
    ]


def submit_row(window: ApprovalsWindow, row: int, qtbot: QtBot) -> None:
    window.mine_table.selectRow(row)
    assert window.action_button.text() in ("Submit", "Submit again")
    window.action_button.click()
    assert not window.action_button.isEnabled()  # never sent twice
    qtbot.waitUntil(lambda: "waiting for approval" in window.status_label.text(), timeout=WAIT)


def test_a_member_submits_last_week_and_sees_it_wait(
    people: Callable[[str], Person], clockify: FakeClockify, qtbot: QtBot
) -> None:
    priya = people("Priya")
    window = priya.open()
    assert [text_at(window.mine_table, r, 0) for r in range(2)] == [
        p.label() for p in window.periods[:2]
    ]
    assert window.mine_table.currentRow() == 1  # last week: the one to submit
    assert cell(window, 1, 1) == "not submitted"
    assert window.action_button.text() == "Submit"
    submit_row(window, 1, qtbot)
    assert cell(window, 1, 1) == "waiting for approval"
    assert cell(window, 1, 2) not in ("", "0:00")  # Clockify's total, read back after
    assert window.action_button.text() == "Withdraw"
    assert len(writes(clockify)) == 1
    assert not window.tabs.isTabVisible(1) or window.team_table.rowCount() == 0


def test_the_manager_rejects_with_a_note_and_approves_and_the_member_reads_it(
    people: Callable[[str], Person], clockify: FakeClockify, qtbot: QtBot
) -> None:
    priya = people("Priya")
    mine = priya.open()
    submit_row(mine, 1, qtbot)
    submit_row(mine, 0, qtbot)
    sam = people("Sam")
    team = sam.open()
    assert team.tabs.isTabVisible(1)
    team.tabs.setCurrentIndex(1)
    assert team.team_table.rowCount() == 2
    assert text_at(team.team_table, 0, 0).startswith("Priya")
    team.team_table.selectRow(0)
    before = len(writes(clockify))
    team.reject_button.click()  # no note: refused here, nothing sent
    assert "Say what to fix" in team.status_label.text()
    assert len(writes(clockify)) == before
    team.note.setText("Tuesday is missing <b>all</b>")
    rejected = team.team_request()
    assert rejected is not None
    team.reject_button.click()
    qtbot.waitUntil(lambda: "rejected" in team.status_label.text(), timeout=WAIT)
    assert team.team_table.rowCount() == 1
    assert team.note.text() == ""
    team.team_table.selectRow(0)
    team.approve_button.click()
    qtbot.waitUntil(lambda: "approved" in team.status_label.text(), timeout=WAIT)
    assert team.team_note.text() == "Nothing waits for your decision."

    told: list[Changes] = []
    priya.controller.changed.connect(told.append)
    mine.refresh(ask=True)
    qtbot.waitUntil(lambda: not mine.busy, timeout=WAIT)
    # The approved week's days are said changed, so the today window and the timesheet
    # show them locked without waiting for the next sync.
    [locked] = [c for c in told if c.days]
    approved = next(p for p in mine.periods if p.label() != rejected.period.label())
    assert locked.days == frozenset(
        approved.first + timedelta(days=n) for n in range((approved.last - approved.first).days + 1)
    )
    states = {cell(mine, r, 0): (cell(mine, r, 1), cell(mine, r, 3)) for r in range(2)}
    state, note = states[rejected.period.label()]
    assert state.startswith("rejected by Sam")
    assert note == "Tuesday is missing <b>all</b>"  # server text, shown literally
    row = [cell(mine, r, 0) for r in range(2)].index(rejected.period.label())
    mine.mine_table.selectRow(row)
    assert mine.action_button.text() == "Submit again"
    mine.mine_table.selectRow(1 - row)
    assert mine.action_button.text() == "Approved"
    assert not mine.action_button.isEnabled()
    shot(mine, "approvals-unit-member")


def test_a_request_opens_as_a_read_only_grid_of_days_and_projects(
    people: Callable[[str], Person], qtbot: QtBot
) -> None:
    priya = people("Priya")
    submit_row(priya.open(), 1, qtbot)
    sam = people("Sam")
    team = sam.open()
    team.tabs.setCurrentIndex(1)
    team.team_table.selectRow(0)
    assert "press Enter to fetch" in team.detail_title.text()
    team.open_selected()
    qtbot.waitUntil(lambda: "read only, as of" in team.detail_title.text(), timeout=WAIT)
    grid = team.detail
    assert grid.columnCount() == 8  # seven days and the total
    assert grid.verticalHeaderItem(grid.rowCount() - 1).text() == "Total"
    total = text_at(grid, grid.rowCount() - 1, 7)
    request = team.team_request()
    assert request is not None
    assert total == text_at(team.team_table, 0, 2)
    first = grid.item(0, 0)
    assert first is not None
    assert not first.flags() & Qt.ItemFlag.ItemIsEditable
    shot(team, "approvals-unit-grid")


def test_a_free_workspace_says_the_cost_first_and_a_refusal_in_one_sentence(
    clockify_factory: Callable[..., FakeClockify], tmp_path: Path, qtbot: QtBot
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")
    priya = Person(tmp_path / "priya", server, "Priya", qtbot)
    try:
        window = priya.window
        window.show()
        qtbot.waitUntil(lambda: "costs 2 requests" in window.status_label.text(), timeout=WAIT)
        assert not writes(server)
        assert cell(window, 1, 1) == "not submitted"
        window.refresh_button.click()
        qtbot.waitUntil(lambda: "Clockify refused" in window.status_label.text(), timeout=WAIT)
        assert "Standard plan" in window.status_label.text()
        assert "Traceback" not in window.status_label.text()
    finally:
        priya.close()


def test_offline_a_rejection_keeps_its_note_and_is_offered_again(
    people: Callable[[str], Person], clockify: FakeClockify, qtbot: QtBot
) -> None:
    priya = people("Priya")
    submit_row(priya.open(), 1, qtbot)
    sam = people("Sam")
    team = sam.open()
    team.tabs.setCurrentIndex(1)
    team.team_table.selectRow(0)
    team.note.setText("Split the Friday meeting")
    clockify.stop()
    try:
        team.reject_button.click()
        qtbot.waitUntil(lambda: "cannot be reached" in team.status_label.text(), timeout=WAIT)
        assert "nothing was sent" in team.status_label.text()
        assert team.note.text() == "Split the Friday meeting"
        assert team.retry_button.isVisible()
        team.set_sync_status(SyncStatus(SyncPhase.OFFLINE))
        assert "reached again" not in team.status_label.text()
    finally:
        clockify.start()
    team.set_sync_status(SyncStatus(SyncPhase.SYNCED))
    assert "reached again" in team.status_label.text()
    team.retry_button.click()
    qtbot.waitUntil(lambda: "rejected" in team.status_label.text(), timeout=WAIT)
    assert [e for e in writes(clockify) if e.startswith("PATCH")]


def test_without_an_account_it_says_so_and_asks_nothing(
    controller: Controller, qtbot: QtBot
) -> None:
    def no_worker() -> SyncWorker:
        raise AssertionError("nothing is asked of Clockify without an account")

    window = approvals_window(controller, lambda: no_worker().channel)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "connect your account" in window.status_label.text(), timeout=WAIT)
    assert not window.refresh_button.isEnabled()
    assert not window.action_button.isEnabled()
    assert window.mine_table.rowCount() == 0
