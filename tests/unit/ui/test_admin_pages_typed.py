"""What a person types on the Team page is never lost: not to a keystroke in the filter, not
to a refresh, not to a change that could not be sent; and what an invitation did is said."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify, Fault
from tracker.domain.model import WorkspaceInfo
from tracker.services.abilities import ACCESS_KEY, ELEVATED
from tracker.store import Store
from tracker.ui.admin_groups import GroupsPage
from tracker.ui.admin_team import TeamPage

from .test_admin_team_pages import Worker, choose, shown, team_page

__all__ = ["team_page"]

Make = Callable[[str], tuple[TeamPage, Worker]]


def test_typed_rates_survive_the_filter_and_a_refresh(qtbot: QtBot, team_page: Make) -> None:
    page, _ = team_page("Alex Morgan")
    choose(page, "Priya Shah")
    page.hourly.setText("99")
    page.capacity.setText("5")
    qtbot.keyClicks(page.search, "priya")
    assert shown(page) == ["Priya Shah"]
    assert page.person is not None
    assert page.person.name == "Priya Shah"
    assert page.hourly.text() == "99"
    assert page.capacity.text() == "5"
    qtbot.keyClick(page.search, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not page.busy)
    assert page.hourly.text() == "99"
    assert page.capacity.text() == "5"
    page.search.clear()
    assert page.person is not None
    assert page.person.name == "Priya Shah"
    assert page.hourly.text() == "99"


def test_the_filter_gives_back_the_chosen_row_with_what_was_typed(
    qtbot: QtBot, team_page: Make
) -> None:
    page, _ = team_page("Alex Morgan")
    choose(page, "Priya Shah")
    page.cost.setText("41")
    qtbot.keyClicks(page.search, "chen")
    assert shown(page) == ["Chen Wei"]
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
    assert len(shown(page)) == 5
    assert page.person is not None
    assert page.person.name == "Priya Shah"
    assert page.cost.text() == "41"


def test_a_save_that_could_not_be_sent_keeps_the_form(
    qtbot: QtBot, clockify: FakeClockify, team_page: Make
) -> None:
    page, _ = team_page("Alex Morgan")
    choose(page, "Chen Wei")
    page.hourly.setText("77")
    clockify.add_fault(Fault(kind="drop_before_commit", path="/hourly-rate$", times=None))
    page.save()
    qtbot.waitUntil(lambda: not page.busy)
    assert "may or may not" in page.message.text()
    assert page.hourly.text() == "77"
    clockify.clear_faults()
    page.save()
    qtbot.waitUntil(lambda: not page.busy)
    assert page.message.text().startswith("Saved Chen Wei. ")
    assert page.hourly.text() == "77.00"


def test_invited_emails_are_kept_when_they_could_not_be_sent_and_the_outcome_is_said(
    qtbot: QtBot,
    clockify: FakeClockify,
    team_page: Make,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page, _ = team_page("Alex Morgan")
    offered: list[str] = []
    typed = "new.one@example.com, priya.shah@example.com"

    def ask_text(_title: str, _label: str, text: str = "") -> str:
        offered.append(text)
        return typed

    monkeypatch.setattr(page, "ask_text", ask_text)
    clockify.add_fault(Fault(kind="drop_before_commit", method="GET", path="/users$", times=None))
    page.invite()
    qtbot.waitUntil(lambda: not page.busy)
    assert "cannot be reached" in page.message.text()
    clockify.clear_faults()
    page.invite()
    qtbot.waitUntil(lambda: not page.busy)
    assert offered == ["", typed]  # offered again as typed
    said = page.message.text()
    assert said.startswith("Invited 1 ")
    assert "already in the workspace" in said
    page.invite()
    assert offered[-1] == ""  # sent: not offered again


def test_a_known_manager_sees_the_team_and_groups_but_is_offered_no_change(
    qtbot: QtBot, store: Store, clockify: FakeClockify, team_page: Make
) -> None:
    page, worker = team_page("Sam Rivera")
    known = {"role": ELEVATED, "sees_team": True, "admin": False, "at": time.time()}
    store.meta.set(ACCESS_KEY + clockify.workspace_id, known)
    page.shown()
    qtbot.waitUntil(lambda: not page.busy)
    assert "Only the workspace's owner and admins change people" in page.message.text()
    choose(page, "Priya Shah")
    assert not page.save_button.isEnabled()
    assert not page.invite_button.isEnabled()
    calls = worker.calls
    page.hourly.setText("12")
    page.save()
    page.invite()
    page.toggle_status()
    assert worker.calls == calls  # nothing asked of Clockify
    groups = GroupsPage(page.context)
    qtbot.addWidget(groups)
    groups.shown()
    qtbot.waitUntil(lambda: not groups.busy)
    assert not groups.new_button.isEnabled()
    calls = worker.calls
    groups.ask_text = lambda *_args: "Platform"  # type: ignore[method-assign]
    groups.new_group()
    assert worker.calls == calls
    assert "Only the workspace's owner and admins change user groups" in groups.message.text()


def test_a_ten_kilobyte_name_is_one_line_in_a_column_that_leaves_room_for_the_others(
    qtbot: QtBot, clockify: FakeClockify, team_page: Make
) -> None:
    chen_id = next(u.user_id for u in clockify.users if u.name == "Chen Wei")
    with clockify.state.lock:
        clockify.state.users[chen_id].name = "Chen\nWei\u202e " + "x" * 10_000
    page, _ = team_page("Alex Morgan")
    page.resize(1000, 600)
    row = next(n for n, name in enumerate(shown(page)) if name.startswith("Chen"))
    cell = page.model.index(row, 0).data()
    assert "\n" not in cell
    assert cell.endswith("x" * 10_000)  # whole, in the tooltip
    assert page.table.columnWidth(0) <= 40 * page.table.fontMetrics().horizontalAdvance("M")
    assert page.table.columnWidth(1) < 400  # the email column is not pushed away


def test_a_group_name_that_could_not_be_sent_is_offered_again(
    qtbot: QtBot, clockify: FakeClockify, team_page: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, _worker = team_page("Alex Morgan")
    groups = GroupsPage(page.context)
    qtbot.addWidget(groups)
    groups.shown()
    qtbot.waitUntil(lambda: not groups.busy)
    offered: list[str] = []

    def ask_text(_title: str, _label: str, text: str = "") -> str:
        offered.append(text)
        return "Platform crew"

    monkeypatch.setattr(groups, "ask_text", ask_text)
    clockify.add_fault(Fault(kind="status", status=503, method="POST", times=None))
    groups.new_group()
    qtbot.waitUntil(lambda: not groups.busy)
    assert groups.message.text().startswith("Clockify")
    clockify.clear_faults()
    groups.new_group()
    qtbot.waitUntil(lambda: not groups.busy)
    assert offered == ["", "Platform crew"]
    assert groups.message.text() == "Created the group Platform crew."
    groups.new_group()
    assert offered[-1] == ""


def test_enter_in_the_form_saves_it(qtbot: QtBot, clockify: FakeClockify, team_page: Make) -> None:
    page, worker = team_page("Alex Morgan")
    choose(page, "Chen Wei")
    calls = worker.calls
    page.cost.setText("33")
    qtbot.keyClick(page.cost, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.busy)
    assert worker.calls == calls + 1
    assert page.message.text().startswith("Saved Chen Wei. ")
    with clockify.state.lock:
        chen = next(u.user_id for u in clockify.users if u.name == "Chen Wei")
        member = clockify.state.workspaces[clockify.workspace_id].workspace.members[chen]
        assert member.cost_rate == {"amount": 3300, "currency": "EUR"}


def test_the_row_worked_on_after_filtering_is_the_one_kept(qtbot: QtBot, team_page: Make) -> None:
    page, _ = team_page("Alex Morgan")
    assert page.person is not None
    assert page.person.name == "Alex Morgan"  # the first row, chosen on opening
    qtbot.keyClicks(page.search, "priya")  # hides Alex: Priya is chosen
    page.hourly.selectAll()
    qtbot.keyClicks(page.hourly, "77")  # worked on: Priya is the row to keep
    page.search.selectAll()
    qtbot.keyClicks(page.search, "chen")
    page.search.clear()
    assert page.person is not None
    assert page.person.name == "Priya Shah"  # not Alex, hidden before Priya was worked on
    assert page.hourly.text() == "77"


def test_a_right_to_left_override_in_a_name_cannot_reverse_the_lines_after_it(
    clockify: FakeClockify, team_page: Make
) -> None:
    chen_id = next(u.user_id for u in clockify.users if u.name == "Chen Wei")
    with clockify.state.lock:
        clockify.state.users[chen_id].name = "Chen\nWei\u202e " + "x" * 10_000
    page, _ = team_page("Alex Morgan")
    choose(page, next(n for n in shown(page) if n.startswith("Chen")))
    name, email, role = page.who.text().split("\n")
    assert name.startswith("\u2068Chen Wei\u202e xxx")
    assert name.endswith("…\u2069")  # isolated, and short enough for the form
    assert len(name) <= 122
    assert email == "\u2068chen.wei@example.com\u2069"
    assert role == "member, active"


def test_on_a_free_workspace_invite_is_off_and_says_why_before_any_typing(
    qtbot: QtBot,
    store: Store,
    clockify: FakeClockify,
    team_page: Make,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page, worker = team_page("Alex Morgan")
    store.meta.save_workspace(WorkspaceInfo(clockify.workspace_id, "Demo", free_plan=True))
    page.load_kept()
    assert not page.invite_button.isEnabled()
    asked: list[str] = []

    def ask_text(*_args: str) -> str:
        asked.append("asked")
        return ""

    monkeypatch.setattr(page, "ask_text", ask_text)
    calls = worker.calls
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page.invite()
    assert asked == []
    assert worker.calls == calls
    assert "paid plans only" in page.message.text()
