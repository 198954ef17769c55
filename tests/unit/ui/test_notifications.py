"""Notifications: the preference, duplicates, plain text, and where a click leads."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tracker.bridge.controller import Controller
from tracker.bridge.status import Notice, NoticeKind
from tracker.ui.notifications import REPEAT_AFTER, Notifier
from tracker.ui.tray import Tray


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def tray(controller: Controller, qtbot: QtBot) -> Tray:
    made = Tray(controller)
    window = made.timer_window()
    assert window is not None  # offscreen: no tray, the window shows notices
    qtbot.addWidget(window)
    return made


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def notifier(tray: Tray, controller: Controller, ticks: Ticks) -> Notifier:
    return Notifier(tray, controller, clock=ticks)


AUTH = Notice(NoticeKind.AUTH, "Clockify refused the key", "Enter a new API key in Settings.")


def _message(tray: Tray) -> str:
    window = tray.timer_window()
    assert window is not None
    return window.message_label.text()


def test_notice_shows_as_plain_text_in_the_window(tray: Tray, notifier: Notifier) -> None:
    parked = Notice(NoticeKind.PARKED, "A change was refused", "<b>Project</b>\nis archived")
    assert notifier.show(parked)
    window = tray.timer_window()
    assert window is not None
    assert not window.message_label.isHidden()
    assert _message(tray) == "A change was refused: <b>Project</b> is archived"
    assert window.message_label.textFormat().name == "PlainText"


def test_duplicates_wait(notifier: Notifier, ticks: Ticks) -> None:
    assert notifier.show(AUTH)
    assert not notifier.show(AUTH)
    other = Notice(NoticeKind.CONFLICT, "Overwritten", "Entry X changed on the server")
    assert notifier.show(other)
    ticks.now += REPEAT_AFTER + 1
    assert notifier.show(AUTH)


def test_preference_turns_them_off(tray: Tray, notifier: Notifier, controller: Controller) -> None:
    assert controller.save_preferences(controller.preferences().with_changes(notify=False))
    assert not notifier.show(AUTH)
    assert _message(tray) == ""
    assert controller.save_preferences(controller.preferences().with_changes(notify=True))
    assert notifier.show(AUTH)


def test_off_from_the_start(tray: Tray, controller: Controller, ticks: Ticks) -> None:
    assert controller.save_preferences(controller.preferences().with_changes(notify=False))
    assert not Notifier(tray, controller, clock=ticks).show(AUTH)


def test_long_text_is_cut(notifier: Notifier, tray: Tray) -> None:
    notifier.show(Notice(NoticeKind.ERROR, "Sync failed", "x" * 2000))
    assert len(_message(tray)) < 400
    assert _message(tray).endswith("…")


@pytest.mark.parametrize(
    ("kind", "opens"),
    [
        (NoticeKind.AUTH, "open_settings"),
        (NoticeKind.PARKED, "open_today"),
        (NoticeKind.CONFLICT, "open_today"),
    ],
)
def test_click_opens_where_it_is_fixed(
    notifier: Notifier, qtbot: QtBot, kind: NoticeKind, opens: str
) -> None:
    notifier.show(Notice(kind, "t", "x"))
    with qtbot.waitSignal(getattr(notifier, opens), timeout=1000):
        notifier.clicked()


# --- messages with buttons (reminders) -----------------------------------------------------


class FakeDesktop:
    name = "fake"
    unavailable: str | None = None

    def __init__(self, works: bool = True) -> None:
        self.works = works
        self.sent: list[tuple[str, str, list[tuple[str, str]]]] = []
        self.on_action: list[object] = []

    def notify(self, title: str, body: str, actions: object, on_action: object) -> bool:
        self.sent.append((title, body, list(actions)))  # type: ignore[call-overload]
        self.on_action.append(on_action)
        return self.works


def test_buttons_go_to_the_desktop_when_it_shows_them(tray: Tray, notifier: Notifier) -> None:
    desktop = FakeDesktop()
    notifier.desktop = desktop
    pressed: list[str] = []
    actions = [("continue", "Continue Report"), ("start", "Start timer")]
    assert notifier.show_actions("Not tracking", "No timer\nruns.", actions, pressed.append)
    assert desktop.sent == [("Not tracking", "No timer runs.", actions)]
    assert _message(tray) == ""  # not also in the window


def test_without_buttons_the_balloon_click_does_the_first_action(
    tray: Tray, notifier: Notifier
) -> None:
    notifier.desktop = FakeDesktop(works=False)
    pressed: list[str] = []
    assert notifier.show_actions("Timer still running", "8 h", [("stop", "Stop")], pressed.append)
    assert _message(tray) == "Timer still running: 8 h"
    notifier.clicked()
    assert pressed == ["stop"]
    notifier.clicked()  # once only
    assert pressed == ["stop"]


def test_a_notice_after_a_reminder_clicks_to_the_notice(notifier: Notifier, qtbot: QtBot) -> None:
    pressed: list[str] = []
    notifier.show_actions("Not tracking", "x", [("start", "Start")], pressed.append)
    assert notifier.show(AUTH)
    with qtbot.waitSignal(notifier.open_settings, timeout=1000):
        notifier.clicked()
    assert pressed == []
