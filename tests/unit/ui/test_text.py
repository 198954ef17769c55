"""User text among the app's own: right-to-left names keep to their place (the elapsed time
stays after a Hebrew description), window titles name the app once, and names are cut at
their end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.helpers.workers import OfflineWorker
from tests.unit.ui.conftest import Seeded
from tracker.bridge.controller import Controller
from tracker.integrations.secrets import MemorySecretStore
from tracker.services.requests import Start
from tracker.ui.editor import EntryEditor
from tracker.ui.idle_prompt import IdlePrompt
from tracker.ui.picker_delegate import PickerDelegate
from tracker.ui.settings import SettingsDialog
from tracker.ui.timer_window import TimerWindow
from tracker.ui.today import TodayWindow
from tracker.ui.tray import Tray

HEBREW = "תיקון באג בדף הבית"
"""'Fix a bug on the home page'."""


def visual_x(line: str, index: int) -> float:
    """Where the character at logical ``index`` of ``line`` is drawn in a left-to-right
    menu (the app's language runs left to right)."""
    layout = QTextLayout(line, QFont())
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.LeftToRight)
    layout.setTextOption(option)
    layout.beginLayout()
    text_line = layout.createLine()
    layout.endLayout()
    x, _ = cast(tuple[float, int], text_line.cursorToX(index))
    return x


@pytest.fixture
def tray(controller: Controller, qtbot: QtBot) -> Iterator[Tray]:
    made = Tray(controller)
    window = made.timer_window()
    if window is not None:
        qtbot.addWidget(window)
    yield made
    made.hide()


@pytest.mark.parametrize("project", [None, "Website"])
def test_the_elapsed_time_stays_after_a_hebrew_description(
    project: str | None, tray: Tray, controller: Controller, clock: FakeClock
) -> None:
    if project:
        controller.tracker.catalog.create_project(project)
    controller.act(Start(HEBREW, project=project))
    clock.advance(minutes=83)
    tray.menu().aboutToShow.emit()
    shown = tray.menu().actions()[0].text()
    assert shown.endswith("1:23")
    time_at = visual_x(shown, len(shown) - len("1:23"))
    hebrew_at = max(visual_x(shown, shown.index(HEBREW) + i) for i in range(len(HEBREW)))
    assert time_at > hebrew_at, shown
    stop_at = visual_x(shown, 0)
    assert stop_at < hebrew_at  # "Stop" stays first


def test_the_continue_list_keeps_each_name_in_its_place(
    tray: Tray, controller: Controller, clock: FakeClock
) -> None:
    website = controller.tracker.catalog.create_project("אתר")  # 'Website'
    controller.tracker.catalog.create_task(website, "2026 Q1")
    controller.act(Start("Review", project="אתר", task="2026 Q1"))
    clock.advance(minutes=5)
    controller.act(Start("Planning"))
    tray.menu().aboutToShow.emit()
    continue_menu = tray.menu().findChild(QMenu, "continueMenu")
    assert continue_menu is not None
    label = continue_menu.actions()[0].text()
    # The task comes after its project, as written, not pulled left into the Hebrew name.
    assert visual_x(label, label.index("2026")) > visual_x(label, label.index("אתר")), label


def test_a_cut_name_does_not_leave_its_isolate_open() -> None:
    from tracker.ui.text import FSI, PDI, cut, isolate

    fenced = isolate(HEBREW * 4)
    assert fenced.startswith(FSI)
    assert fenced.endswith(PDI)
    assert isolate("Write report") == "Write report"
    short = cut(f"Stop — {fenced}", 20)
    assert short.endswith("…" + PDI)
    assert short.count(FSI) == short.count(PDI)


def platform_title(window: QWidget) -> str:
    """The title the desktop shows: Qt appends " — <display name>" to a window's own title
    unless it already ends with it (QPlatformWindow::formatWindowTitle)."""
    own = window.windowTitle()
    name = QGuiApplication.applicationDisplayName()
    if own.endswith(name):
        return own
    return f"{own} — {name}" if own else name


@pytest.fixture
def display_name(qapp: QApplication) -> Iterator[str]:
    before = qapp.applicationDisplayName()
    qapp.setApplicationDisplayName("Tracker")
    yield "Tracker"
    qapp.setApplicationDisplayName(before)


def test_every_window_names_the_app_once(
    display_name: str, controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    running = TimerWindow(QMenu())
    stopped = TimerWindow(QMenu())
    windows: list[QWidget] = [
        TodayWindow(controller),
        SettingsDialog(controller, OfflineWorker(), MemorySecretStore()),
        IdlePrompt(),
        EntryEditor(controller, seeded.entries[0].id),
        running,
        stopped,
    ]
    running.set_state(running.windowIcon(), "Write report (Website)", "", running=True)
    stopped.set_state(stopped.windowIcon(), "No timer running", "", running=False)
    for window in windows:
        qtbot.addWidget(window)
        title = platform_title(window)
        assert title.lower().count(display_name.lower()) == 1, title
        parts = title.split(" — ")
        assert len(parts) == len(set(parts)), title
    assert platform_title(running) == "Write report (Website) — Tracker"
    assert platform_title(stopped) == "Tracker"


def test_a_client_name_is_cut_at_its_end(qapp: QApplication) -> None:
    delegate = PickerDelegate()
    font = QFont()
    metrics = QFontMetrics(font)
    extra = "est. 2:00  ·  Acme Corporation International Holdings"
    laid = delegate._laid_out(  # noqa: SLF001 - painted text is otherwise only pixels
        extra, metrics.horizontalAdvance(extra) // 2, font, metrics, left=False
    )
    shown = laid.text()
    assert shown.startswith("est. 2:00  ·  Acme"), shown
    assert shown.endswith("…"), shown
