"""The Team and Groups pages on a real store, talking HTTP to the Clockify test server through
a runner that stands where the sync worker's ``call_with_client`` does: the kept team shown
at once, filters, a person's rate and capacity saved from the form, deactivation only after
asking, groups made, filled and deleted, and Clockify's refusal said in one line."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.fakeclockify.seeds import TEAM_GROUP
from tests.helpers.clock import FakeClock
from tracker.api import ClockifyClient, RateLimits, RequestBudget, RetryPolicy, Servers
from tracker.domain.model import WorkspaceInfo
from tracker.store import Store
from tracker.ui.admin_groups import GroupsPage
from tracker.ui.admin_page import PageContext, Work
from tracker.ui.admin_team import TeamPage

FAST = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, max_retry_after=1)


class Worker:
    """Runs work with a real client, answering on the GUI thread's next turn."""

    def __init__(self, store: Store, server: FakeClockify, key: str) -> None:
        self.store = store
        self.server = server
        self.key = key
        self.calls = 0

    def __call__(self, work: Work, done: Callable[[object], None]) -> None:
        self.calls += 1

        async def go() -> object:
            client = ClockifyClient(
                self.key,
                servers=Servers.custom(self.server.base_url, self.server.reports_url),
                retry=FAST,
                timeout=httpx.Timeout(2.0),
                budget=RequestBudget(RateLimits()),
            )
            async with client as api:
                return await work(self.store, api)

        try:
            result: object = asyncio.run(go())
        except Exception as exc:
            result = exc
        QTimer.singleShot(0, lambda: done(result))


def page_context(store: Store, server: FakeClockify, name: str) -> tuple[PageContext, Worker]:
    found = next(u for u in server.users if u.name == name)
    store.meta.set_account({"user_id": found.user_id, "name": name, "email": "x@example.com"})
    store.meta.set_workspace_id(server.workspace_id)
    store.meta.save_workspace(WorkspaceInfo(server.workspace_id, "Demo", free_plan=False))
    worker = Worker(store, server, found.api_key)
    clock = FakeClock.starting_now()

    def now() -> datetime:
        return clock.now

    return PageContext(store, now, worker), worker


def answering(yes: bool, asked: list[str] | None = None) -> Callable[[str, str], bool]:
    """A stand-in for the confirmation dialog: notes the question, answers ``yes``."""

    def confirm(question: str, _action: str) -> bool:
        if asked is not None:
            asked.append(question)
        return yes

    return confirm


def shown(page: TeamPage | GroupsPage) -> list[str]:
    model = page.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def choose(page: TeamPage | GroupsPage, name: str) -> None:
    page.table.selectRow(shown(page).index(name))


@pytest.fixture
def team_page(
    qtbot: QtBot, store: Store, clockify: FakeClockify
) -> Callable[[str], tuple[TeamPage, Worker]]:
    def make(name: str) -> tuple[TeamPage, Worker]:
        context, worker = page_context(store, clockify, name)
        page = TeamPage(context)
        qtbot.addWidget(page)
        page.show()
        page.shown()
        qtbot.waitUntil(lambda: not page.busy and page.model.rowCount() > 0)
        return page, worker

    return make


def test_the_team_is_shown_filtered_and_a_person_changed_from_the_form(
    qtbot: QtBot, clockify: FakeClockify, team_page: Callable[[str], tuple[TeamPage, Worker]]
) -> None:
    page, worker = team_page("Jordan Lee")
    assert shown(page) == ["Alex Morgan", "Chen Wei", "Jordan Lee", "Priya Shah", "Sam Rivera"]
    assert page.as_of.text().startswith("as of ")
    page.role_filter.setCurrentText("member")
    assert shown(page) == ["Chen Wei", "Priya Shah"]
    page.role_filter.setCurrentText("Any")
    page.group_filter.setCurrentText(TEAM_GROUP)
    assert shown(page) == ["Priya Shah"]
    choose(page, "Priya Shah")
    assert page.hourly.text() == "70.00"
    assert page.capacity.text() == "8"
    page.hourly.setText("95")
    page.capacity.setText("6.5")
    page.day_boxes[4].setChecked(False)  # no Fridays
    qtbot.keyClick(page.hourly, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not page.busy)
    assert page.message.text() == (
        "Saved Priya Shah. Ctrl+Z: put back the hourly rate 70.00, the capacity 8 h and the "
        "working days."
    )
    cells = [page.model.index(0, c).data() for c in range(len(page.headers))]
    assert cells[5] == "95.00"
    assert cells[7] == "6.5h"
    assert cells[8] == "Mo Tu We Th"
    with clockify.state.lock:
        priya = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
        member = clockify.state.workspaces[clockify.workspace_id].workspace.members[priya]
        assert member.hourly_rate == {"amount": 9500, "currency": "EUR"}
        assert member.work_capacity == "PT6H30M"
    page.hourly.setText("ninety")
    calls = worker.calls
    page.save()
    assert "not an amount" in page.message.text()
    assert worker.calls == calls  # nothing asked


def test_deactivating_asks_first_and_a_member_is_told_why_not(
    qtbot: QtBot,
    clockify: FakeClockify,
    team_page: Callable[[str], tuple[TeamPage, Worker]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page, worker = team_page("Alex Morgan")
    choose(page, "Chen Wei")
    asked: list[str] = []
    monkeypatch.setattr(page, "confirm", answering(False, asked))
    calls = worker.calls
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked == ["Deactivate Chen Wei? They can no longer track time in this workspace."]
    assert worker.calls == calls  # declined: nothing sent
    monkeypatch.setattr(page, "confirm", answering(True))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not page.busy)
    assert page.message.text() == "Chen Wei is inactive. Ctrl+Z: reactivate them."
    assert page.status_button.text() == "Reactivate"
    member_page, _ = team_page("Priya Shah")
    choose(member_page, "Chen Wei")
    member_page.status_button.click()
    qtbot.waitUntil(lambda: not member_page.busy)
    assert "does not let you reactivate Chen Wei" in member_page.message.text()


def test_groups_are_made_filled_and_deleted_after_asking(
    qtbot: QtBot, store: Store, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, _worker = page_context(store, clockify, "Alex Morgan")
    page = GroupsPage(context)
    qtbot.addWidget(page)
    page.show()
    page.shown()
    qtbot.waitUntil(lambda: not page.busy and page.model.rowCount() > 0)
    assert shown(page) == [TEAM_GROUP, "Product team"]
    assert page.model.index(0, 2).data() == "Sam Rivera"
    monkeypatch.setattr(page, "ask_text", lambda _title, _label, _text="": "  Night   shift ")
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not page.busy)
    assert shown(page) == [TEAM_GROUP, "Night shift", "Product team"]
    choose(page, "Night shift")
    page.person_choice.setCurrentIndex(
        page.person_choice.findText("Chen Wei", Qt.MatchFlag.MatchStartsWith)
    )
    page.add_button.click()
    qtbot.waitUntil(lambda: not page.busy)
    assert page.message.text() == "Chen Wei is now in Night shift."
    choose(page, "Night shift")
    assert [page.members.item(n).text() for n in range(page.members.count())] == ["Chen Wei"]
    monkeypatch.setattr(page, "confirm", answering(False))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert "Night shift" in shown(page)
    monkeypatch.setattr(page, "confirm", answering(True))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not page.busy)
    assert shown(page) == [TEAM_GROUP, "Product team"]


def test_a_deactivation_is_undone_with_ctrl_z(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deactivating asks first; Clockify can take it back, so Ctrl+Z reactivates the person
    (once)."""
    with FakeClockify("demo") as server, Store(tmp_path / "s.sqlite3") as store:
        context, _worker = page_context(store, server, "Alex Morgan")
        page = TeamPage(context)
        qtbot.addWidget(page)
        monkeypatch.setattr(page, "confirm", answering(True))
        page.shown()
        qtbot.waitUntil(lambda: page.model.total > 0, timeout=5000)
        chen = next(u for u in server.users if u.name == "Chen Wei")
        page.table.selectRow(page.model.find(chen.user_id))
        page.toggle_status()
        members = server.state.workspaces[server.workspace_id].workspace.members
        qtbot.waitUntil(lambda: members[chen.user_id].status == "INACTIVE", timeout=5000)
        qtbot.waitUntil(lambda: "Ctrl+Z: reactivate them." in page.message.text(), timeout=5000)
        page.undo()
        qtbot.waitUntil(lambda: members[chen.user_id].status == "ACTIVE", timeout=5000)
        qtbot.waitUntil(lambda: page.message.text().startswith("Undone:"), timeout=5000)


def test_taking_someone_out_of_a_group_is_undone(
    qtbot: QtBot, store: Store, clockify: FakeClockify
) -> None:
    from tests.fakeclockify.groups import groups_of

    context, _worker = page_context(store, clockify, "Alex Morgan")
    page = GroupsPage(context)
    qtbot.addWidget(page)
    page.show()
    page.shown()
    qtbot.waitUntil(lambda: not page.busy and page.model.rowCount() > 0)
    choose(page, TEAM_GROUP)
    priya = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
    group = next(
        g for g in groups_of(clockify.state.workspaces[clockify.workspace_id]).values()
        if g.name == TEAM_GROUP
    )  # fmt: skip
    page.members.setCurrentRow(0)
    page.remove_member()
    qtbot.waitUntil(lambda: not page.busy)
    assert priya not in group.user_ids
    assert "Ctrl+Z: put them back." in page.message.text()
    page.undo()
    qtbot.waitUntil(lambda: not page.busy and priya in group.user_ids)
    assert page.message.text() == f"Undone: Priya Shah is in {TEAM_GROUP} again."


def test_rates_saved_are_set_back_with_ctrl_z_and_a_rate_from_none_is_said_not_to(
    qtbot: QtBot, clockify: FakeClockify, team_page: Callable[[str], tuple[TeamPage, Worker]]
) -> None:
    """Clockify's rate routes take an amount and an optional ``since``; the form sends none,
    so Ctrl+Z sends the previous amounts the same way. A rate that was not set cannot be set
    back to none: the page says so instead of offering an undo."""
    page, _worker = team_page("Alex Morgan")
    members = clockify.state.workspaces[clockify.workspace_id].workspace.members
    priya = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
    choose(page, "Priya Shah")
    page.hourly.setText("75")
    page.cost.setText("45")
    page.save()
    qtbot.waitUntil(lambda: not page.busy)
    assert members[priya].hourly_rate == {"amount": 7500, "currency": "EUR"}
    assert page.message.text() == (
        "Saved Priya Shah. Ctrl+Z: put back the hourly rate 70.00 and the cost rate 40.00 "
        "for the same entries."
    )
    page.refresh(force=True)  # the undo holds the person's id, not the row shown
    qtbot.waitUntil(lambda: not page.busy)
    page.undo()
    qtbot.waitUntil(lambda: not page.busy and page.message.text().startswith("Undone"))
    assert members[priya].hourly_rate == {"amount": 7000, "currency": "EUR"}
    assert members[priya].cost_rate == {"amount": 4000, "currency": "EUR"}
    assert page.message.text() == "Undone: saved Priya Shah."
    assert page.hourly.text() == "70.00"

    choose(page, "Chen Wei")
    page.hourly.setText("50")
    page.save()
    qtbot.waitUntil(lambda: not page.busy)
    assert page.message.text() == (
        "Saved Chen Wei. The hourly rate had none, which Clockify cannot set again: "
        "Ctrl+Z cannot take this back."
    )
    page.undo()
    assert page.message.text() == "Nothing to undo here."


def test_a_save_that_cannot_be_taken_back_ends_the_deactivation_offered_before(
    qtbot: QtBot,
    clockify: FakeClockify,
    team_page: Callable[[str], tuple[TeamPage, Worker]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl+Z after "Ctrl+Z cannot take this back" does nothing: it does not reactivate
    someone deactivated before that save, whose offer the person no longer sees."""
    page, _worker = team_page("Alex Morgan")
    monkeypatch.setattr(page, "confirm", answering(True))
    members = clockify.state.workspaces[clockify.workspace_id].workspace.members
    priya = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
    choose(page, "Priya Shah")
    page.toggle_status()
    qtbot.waitUntil(lambda: "Ctrl+Z: reactivate them." in page.message.text())
    assert members[priya].status == "INACTIVE"
    choose(page, "Chen Wei")
    page.hourly.setText("50")
    page.save()
    qtbot.waitUntil(lambda: not page.busy and page.message.text().startswith("Saved"))
    assert page.message.text().endswith("Ctrl+Z cannot take this back.")
    page.undo()
    qtbot.wait(50)
    assert not page.busy
    assert members[priya].status == "INACTIVE"
    assert page.message.text() == "Nothing to undo here."


def test_a_save_is_taken_back_to_what_clockify_had_not_to_the_kept_copy(
    qtbot: QtBot, clockify: FakeClockify, team_page: Callable[[str], tuple[TeamPage, Worker]]
) -> None:
    """Another admin set Priya's rate to 80.00 after the page read 70.00: Ctrl+Z after a
    save of 95.00 puts back 80.00 (what the save replaced), not 70.00 over their change."""
    page, _worker = team_page("Alex Morgan")
    members = clockify.state.workspaces[clockify.workspace_id].workspace.members
    priya = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
    choose(page, "Priya Shah")
    assert page.hourly.text() == "70.00"
    with clockify.state.lock:  # another admin, unseen here
        members[priya].hourly_rate = {"amount": 8000, "currency": "EUR"}
    page.hourly.setText("95")
    page.save()
    qtbot.waitUntil(lambda: not page.busy and page.message.text().startswith("Saved"))
    assert members[priya].hourly_rate == {"amount": 9500, "currency": "EUR"}
    assert page.message.text() == (
        "Saved Priya Shah. Ctrl+Z: put back the hourly rate 80.00 for the same entries."
    )
    page.undo()
    qtbot.waitUntil(lambda: not page.busy and page.message.text().startswith("Undone"))
    assert members[priya].hourly_rate == {"amount": 8000, "currency": "EUR"}
