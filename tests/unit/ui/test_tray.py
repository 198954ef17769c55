"""The tray's menu, tooltip and icon over a real store (offscreen: no tray, same menu)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.unit.ui.conftest import Seeded, at
from tracker.bridge.controller import Controller
from tracker.bridge.status import KEY_MISSING, KEY_REFUSED, SyncPhase, SyncStatus
from tracker.domain.model import WorkspaceInfo
from tracker.services.abilities import ACCESS_KEY, ELEVATED
from tracker.services.recent import RecentEntry
from tracker.services.requests import Add, Start, Stop
from tracker.services.views import StatusView
from tracker.ui.tray import Tray, sync_line

SHOTS = Path("/tmp/shots-tray")


def _action(menu: QMenu, name: str) -> QAction:
    found = menu.findChild(QAction, name)
    assert found is not None, name
    return found


@pytest.fixture
def tray(controller: Controller, qtbot: QtBot) -> Iterator[Tray]:
    made = Tray(controller)
    window = made.timer_window()
    if window is not None:
        qtbot.addWidget(window)
    yield made
    made.hide()  # no minute tick left to fire on a closed store during a later test


def test_offscreen_has_no_tray_and_uses_the_timer_window(tray: Tray, qtbot: QtBot) -> None:
    assert not tray.has_tray
    window = tray.timer_window()
    assert window is not None
    tray.show()
    qtbot.waitExposed(window)
    assert tray.is_shown()
    assert tray.geometry().width() > 0


def test_start_and_stop_through_the_menu(
    seeded: Seeded, tray: Tray, controller: Controller, clock: FakeClock
) -> None:
    start_stop = _action(tray.menu(), "startStop")
    assert start_stop.text() == "Start — Review"
    start_stop.trigger()
    running = controller.running()
    assert running is not None
    assert running.description == "Review"
    clock.advance(minutes=83, seconds=10)
    tray.menu().aboutToShow.emit()
    assert start_stop.text() == "Stop — Review  1:23"
    start_stop.trigger()
    assert controller.running() is None
    assert controller.day().entries[-1].entry.end == clock.now


def test_stop_names_the_project_and_task(
    seeded: Seeded, tray: Tray, controller: Controller
) -> None:
    controller.act(Start("Fix & ship", project="Website", task="Design"))
    assert _action(tray.menu(), "startStop").text() == "Stop — Fix && ship (Website: Design)  0:00"


def test_long_descriptions_are_cut(tray: Tray, controller: Controller) -> None:
    controller.act(Start("x" * 200))
    label = _action(tray.menu(), "startStop").text()
    assert "…" in label
    assert len(label) < 70


def test_empty_store_offers_a_plain_start(tray: Tray, controller: Controller) -> None:
    start_stop = _action(tray.menu(), "startStop")
    assert start_stop.text() == "Start timer"
    assert not tray.continue_menu().menuAction().isEnabled()
    start_stop.trigger()
    assert controller.running() is not None


def test_continue_lists_distinct_recent_entries(
    seeded: Seeded, tray: Tray, controller: Controller, clock: FakeClock
) -> None:
    controller.act(Add(at(15), at(15, 30), "Standup", project="Internal", tags=["meeting"]))
    tray.menu().aboutToShow.emit()
    labels = [a.text() for a in tray.continue_menu().actions()]
    assert labels == ["Standup — Internal", "Review", "Write report — Website: Design"]
    tray.continue_menu().actions()[2].trigger()
    running = controller.running()
    assert running is not None
    assert running.description == "Write report"
    assert running.task_id == seeded.design.id
    # The running entry is not offered again.
    tray.menu().aboutToShow.emit()
    assert "Write report — Website: Design" not in [
        a.text() for a in tray.continue_menu().actions()
    ]


def test_today_total_and_capacity(seeded: Seeded, tray: Tray) -> None:
    total = _action(tray.menu(), "todayTotal")
    assert total.text() == "Today: 3:15 of 8:00"
    assert not total.isEnabled()


def test_sync_label_follows_the_worker(tray: Tray, controller: Controller, qtbot: QtBot) -> None:
    sync_now = _action(tray.menu(), "syncNow")
    # No account: local only, before the worker says anything.
    assert sync_now.text() == "Sync now — Local only"
    assert not sync_now.isEnabled()
    tray.set_sync_status(SyncStatus(SyncPhase.PENDING, pending=3))
    assert sync_now.text() == "Sync now (3 pending)"
    assert sync_now.isEnabled()
    with qtbot.waitSignal(controller.sync_requested) as asked:
        sync_now.trigger()
    assert asked.args == [True]
    tray.set_sync_status(SyncStatus(SyncPhase.SYNCED))
    assert sync_now.text() == "Sync now"


def test_other_items_emit_their_signals(tray: Tray, qtbot: QtBot) -> None:
    for name, signal in (
        ("openToday", tray.open_today),
        ("openReports", tray.open_reports),
        ("openWeek", tray.open_week),
        ("openApprovals", tray.open_approvals),
        ("openTimeOff", tray.open_time_off),
        ("settings", tray.open_settings),
        ("connectClockify", tray.open_connect),
        ("welcome", tray.open_welcome),
        ("quit", tray.quit_requested),
    ):
        with qtbot.waitSignal(signal, timeout=1000):
            _action(tray.menu(), name).trigger()


def test_connect_clockify_is_offered_while_local_only(tray: Tray, controller: Controller) -> None:
    connect = _action(tray.menu(), "connectClockify")
    assert connect.isVisible()  # no account yet
    controller.tracker.store.meta.set_account({"user_id": "u1", "name": "Ann", "email": "a@b"})
    controller.refresh()
    assert not connect.isVisible()
    tray.set_sync_status(SyncStatus(SyncPhase.LOCAL))  # disconnected again
    assert connect.isVisible()


def test_a_refused_or_missing_key_is_said_in_the_menu_and_tooltip(
    tray: Tray, controller: Controller
) -> None:
    controller.tracker.store.meta.set_account({"user_id": "u1", "name": "Ann", "email": "a@b"})
    controller.refresh()
    connect = _action(tray.menu(), "connectClockify")
    tray.set_sync_status(SyncStatus(SyncPhase.AUTH, message=KEY_REFUSED))
    assert connect.isVisible()
    assert connect.text() == "Enter a new API key…"
    assert KEY_REFUSED in tray.tooltip()
    assert tray.icon_kind() == "attention"
    tray.set_sync_status(SyncStatus(SyncPhase.LOCAL, message=KEY_MISSING))
    assert connect.text() == "Enter the API key…"
    assert KEY_MISSING in tray.tooltip()
    assert "Local only" not in tray.tooltip()
    assert tray.icon_kind() == "attention"
    tray.set_sync_status(SyncStatus(SyncPhase.SYNCED))
    assert not connect.isVisible()


def test_changes_that_waited_offline_are_confirmed_once_sent(
    tray: Tray, controller: Controller
) -> None:
    controller.tracker.store.meta.set_account({"user_id": "u1", "name": "Ann", "email": "a@b"})
    tray.set_sync_status(SyncStatus(SyncPhase.OFFLINE, pending=2))
    tray.set_sync_status(SyncStatus(SyncPhase.OFFLINE, pending=3))  # one more made offline
    tray.set_sync_status(SyncStatus(SyncPhase.SYNCING, pending=3))
    assert tray.confirmation() is None
    synced = at(16, 58)
    tray.set_sync_status(SyncStatus(SyncPhase.SYNCED, last_sync=synced))
    assert tray.confirmation() == "3 changes sent to Clockify"
    window = tray.timer_window()
    assert window is not None
    assert window.message_label.text() == "Back online: 3 changes sent to Clockify"
    assert "Synced at 16:58" in tray.tooltip()
    tray.menu().aboutToShow.emit()
    assert _action(tray.menu(), "syncNow").text() == "Sync now — synced 2 min ago"
    window.clear_message()
    tray.set_sync_status(SyncStatus(SyncPhase.SYNCED, last_sync=at(17, 0)))  # nothing waited
    assert not window.message_label.text()


def test_icon_kind_follows_the_timer_and_sync(tray: Tray, controller: Controller) -> None:
    assert tray.icon_kind() == "stopped"
    controller.act(Start("Work"))
    assert tray.icon_kind() == "running"
    tray.set_sync_status(SyncStatus(SyncPhase.PENDING, pending=1))
    assert tray.icon_kind() == "running"
    tray.set_sync_status(SyncStatus(SyncPhase.OFFLINE, pending=1))
    assert tray.icon_kind() == "pending"
    tray.set_sync_status(SyncStatus(SyncPhase.AUTH, message="key refused"))
    assert tray.icon_kind() == "attention"
    tray.set_sync_status(SyncStatus(SyncPhase.SYNCED))
    controller.act(Stop())
    assert tray.icon_kind() == "stopped"
    tray.set_sync_status(SyncStatus(SyncPhase.PENDING, pending=2))
    assert tray.icon_kind() == "pending"


def test_tooltip_shows_the_timer_and_escapes_server_text(
    seeded: Seeded, tray: Tray, controller: Controller, clock: FakeClock
) -> None:
    controller.act(Start("<b>bold</b> & co", project="Website"))
    clock.advance(minutes=5)
    tray.set_sync_status(SyncStatus(SyncPhase.OFFLINE, pending=2))
    tip = tray.tooltip()
    assert "<b>" not in tip
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co (Website)" in tip
    assert "Running 0:05" in tip
    assert "Today 3:20 of 8:00" in tip
    assert "Offline — 2 changes waiting to be sent" in tip


def test_window_shows_the_same_state(tray: Tray, controller: Controller) -> None:
    window = tray.timer_window()
    assert window is not None
    assert window.toggle_button.text() == "Start"
    window.toggle_button.click()
    assert controller.running() is not None
    assert window.toggle_button.text() == "Stop"
    assert window.title_label.text() == "(no description)"


def test_minute_tick_is_planned_only_while_running(
    tray: Tray, controller: Controller, clock: FakeClock
) -> None:
    assert tray.next_tick_ms() is None
    controller.act(Start("Work"))
    clock.advance(seconds=20)
    tray.refresh()
    remaining = tray.next_tick_ms()
    assert remaining is not None
    assert 39_000 < remaining <= 40_050
    controller.act(Stop())
    assert tray.next_tick_ms() is None


def test_left_click_opens_the_popup_or_toggles(
    tray: Tray, controller: Controller, qtbot: QtBot
) -> None:
    with qtbot.waitSignal(tray.open_popup, timeout=1000):
        tray.on_activated(QSystemTrayIcon.ActivationReason.Trigger)
    assert controller.running() is None
    prefs = controller.preferences().with_changes(left_click="toggle")
    assert controller.save_preferences(prefs)
    with qtbot.assertNotEmitted(tray.open_popup):
        tray.on_activated(QSystemTrayIcon.ActivationReason.Trigger)
    assert controller.running() is not None
    tray.on_activated(QSystemTrayIcon.ActivationReason.MiddleClick)
    assert controller.running() is None


def test_sync_line_words() -> None:
    assert sync_line(SyncStatus(SyncPhase.SYNCED)) is None
    assert sync_line(SyncStatus(SyncPhase.PENDING, pending=1)) == "1 change waiting to be sent"
    assert sync_line(SyncStatus(SyncPhase.ATTENTION, message="Fix it")) == "Fix it"


def test_screenshots(
    seeded: Seeded, tray: Tray, controller: Controller, clock: FakeClock, qtbot: QtBot
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    controller.act(Start("Write the quarterly report", project="Website", task="Design"))
    clock.advance(minutes=42)
    tray.set_sync_status(SyncStatus(SyncPhase.PENDING, pending=2))
    menu = tray.menu()
    menu.popup(menu.pos())
    qtbot.waitExposed(menu)
    menu.adjustSize()
    assert menu.grab().save(str(SHOTS / "tray-menu.png"))
    menu.hide()
    window = tray.timer_window()
    assert window is not None
    window.show()
    qtbot.waitExposed(window)
    assert window.grab().save(str(SHOTS / "timer-window.png"))


def test_a_change_reads_the_recent_entries_only_when_the_menu_shows(
    seeded: Seeded,
    tray: Tray,
    controller: Controller,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[int] = []
    real = controller.recent

    def counted(limit: int = 5) -> list[RecentEntry]:
        reads.append(limit)
        return real(limit)

    monkeypatch.setattr(controller, "recent", counted)
    start_stop = _action(tray.menu(), "startStop")
    start_stop.trigger()
    start_stop.trigger()
    clock.advance(minutes=30)
    controller.act(Add(at(17, 10), at(17, 20), "Standup"))
    assert reads == []  # three changes, the menu closed: nothing read for it
    assert tray.tooltip().count("No timer running") == 1  # the icon follows at once
    tray.menu().aboutToShow.emit()
    tray.menu().aboutToShow.emit()
    assert len(reads) == 1  # once when shown, not again while nothing changed
    assert start_stop.text() == "Start — Standup"


def test_saved_preferences_do_not_re_read_the_icon(
    seeded: Seeded, tray: Tray, controller: Controller, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[None] = []
    real = controller.status

    def counted() -> StatusView:
        reads.append(None)
        return real()

    monkeypatch.setattr(controller, "status", counted)
    controller.save_preferences(controller.preferences().with_changes(left_click="toggle"))
    assert reads == []  # nothing the icon shows
    controller.act(Add(at(9, days=-3), at(10, days=-3), "Last week"))
    assert len(reads) == 1  # an entry: the backlog shown with the icon changed


def test_the_running_length_agrees_with_the_minutes_shown(
    tray: Tray, controller: Controller, clock: FakeClock
) -> None:
    """Started 17:00:40, now 17:30:10: shown 17:00 to 17:30, so 0:30 (not 0:29), and the
    menu's line changes when the wall clock's minute does."""
    clock.advance(seconds=40)
    controller.act(Start("Work"))
    clock.advance(minutes=29, seconds=30)
    tray.menu().aboutToShow.emit()
    assert _action(tray.menu(), "startStop").text() == "Stop — Work  0:30"
    remaining = tray.next_tick_ms()
    assert remaining is not None
    assert 49_000 < remaining <= 50_050  # at 17:31:00, not at 29:30 + 30 s


def test_approvals_are_offered_where_the_plan_has_them_with_the_count_to_decide(
    tray: Tray, controller: Controller
) -> None:
    menu, store = tray.menu(), controller.tracker.store
    approvals = _action(menu, "openApprovals")
    menu.aboutToShow.emit()
    assert not approvals.isVisible()  # local-only: nothing to approve
    store.meta.set_account({"user_id": "u1", "name": "Ann", "email": "a@b"})
    store.meta.set("workspace_id", "w1")
    store.meta.save_workspace(
        WorkspaceInfo("w1", "Team", free_plan=False, features=frozenset({"TIME_TRACKING"}))
    )
    menu.aboutToShow.emit()
    assert not approvals.isVisible()  # the plan has no approvals
    store.meta.save_workspace(
        WorkspaceInfo("w1", "Team", free_plan=False, features=frozenset({"APPROVAL"}))
    )
    menu.aboutToShow.emit()
    assert approvals.isVisible()
    tray.set_to_approve(3)
    assert approvals.text() == "Approvals…"  # not known to decide: no count
    store.meta.set(ACCESS_KEY + "w1", {"role": ELEVATED, "sees_team": True, "at": 1.0})
    tray.set_to_approve(3)
    assert approvals.text() == "Approvals… (3 to approve)"
    tray.set_to_approve(0)
    assert approvals.text() == "Approvals…"


def test_the_workspace_window_is_offered_to_owners_admins_and_managers_only(
    tray: Tray, controller: Controller
) -> None:
    menu, store = tray.menu(), controller.tracker.store
    workspace = _action(menu, "openWorkspace")
    menu.aboutToShow.emit()
    assert not workspace.isVisible()  # local-only
    store.meta.set_account({"user_id": "u1", "name": "Ann", "email": "a@b"})
    store.meta.set("workspace_id", "w1")
    store.meta.save_workspace(WorkspaceInfo("w1", "Team", free_plan=True))
    menu.aboutToShow.emit()
    assert not workspace.isVisible()  # the role is not known yet
    for kept, offered in (
        ({"role": "member", "sees_team": False}, False),
        ({"role": ELEVATED, "sees_team": True}, False),  # admin or manager not told apart
        ({"role": ELEVATED, "sees_team": True, "admin": False}, True),
        ({"role": ELEVATED, "sees_team": True, "admin": True}, True),
    ):
        store.meta.set(ACCESS_KEY + "w1", {**kept, "at": 1.0})
        tray.offer_again()
        assert workspace.isVisible() is offered, kept
