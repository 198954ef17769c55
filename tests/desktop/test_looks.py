"""The app's looks on a real X server: at a scale of 1.5 and 2 every window opens inside the
1280x800 screen (geometry read from the X server), every label reads at 4.5:1 on screenshots
in the dark, light and system looks, and a hotkey clash is said as the key is pressed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLineEdit,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.desktop.harness import SHOTS, AppProcess, click, key, screenshot, wait_for
from tests.helpers.contrast import text_contrast, unreadable
from tests.helpers.workers import OfflineWorker
from tracker.bridge.controller import Controller
from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.integrations.secrets import MemorySecretStore
from tracker.services import Tracker
from tracker.store import Store
from tracker.ui.appearance import apply_appearance
from tracker.ui.settings import SettingsDialog
from tracker.ui.today import TodayWindow

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:xprop", "cmd:import")


# --- every window inside the screen at scale 1.5 and 2 ------------------------------------


def cli(app: AppProcess, *args: str) -> object:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args, "--json"],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)


def screen_size() -> tuple[int, int]:
    width, height = subprocess.run(
        ["xdotool", "getdisplaygeometry"], check=True, capture_output=True, text=True
    ).stdout.split()
    return int(width), int(height)


def app_windows(app: AppProcess) -> dict[str, QRect]:
    """The app's visible top-level windows by title, in screen pixels, as X has them."""
    assert app.proc is not None
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(app.proc.pid)],
        check=False,
        capture_output=True,
        text=True,
    ).stdout.split()
    windows: dict[str, QRect] = {}
    for window in found:
        shell = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", window],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        values = dict(line.split("=", 1) for line in shell.split())
        name = subprocess.run(
            ["xprop", "-id", window, "_NET_WM_NAME"], check=True, capture_output=True, text=True
        ).stdout
        title = name.partition("=")[2].strip().strip('"') or f"window {window}"
        rect = QRect(
            int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])
        )
        windows[title] = rect
    return windows


@pytest.mark.desktop("display", "cmd:xdotool", "cmd:xprop", "cmd:trayer", "cmd:import")
@pytest.mark.parametrize("scale", ["1.5", "2"])
def test_every_window_opens_inside_the_screen(
    scale: str, tray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    env = {
        "CLOCKIFY_API_KEY": "",
        "TRACKER_API_URL": "http://127.0.0.1:9/api",
        "QT_SCALE_FACTOR": scale,
    }
    app = AppProcess(tmp_path, env)
    app.start()
    try:
        cli(app, "add", "9:00", "10:30", "Write the quarterly report for the board")
        screen = QRect(0, 0, *screen_size())
        app.ask("settings")
        wait_for(lambda: app.probe()["settings"], what="the settings dialog")
        app.ask("today")
        wait_for(lambda: app.probe()["today"], what="the today window")
        wait_for(lambda: "Today — Tracker" in app_windows(app), what="the today window on X")
        key("Home", "ctrl+e")  # the editor, on the first entry
        wait_for(lambda: "Edit entry — Tracker" in app_windows(app), what="the entry editor")
        windows = app_windows(app)
        screenshot(f"scale{scale}-windows")
        for title in ("Settings — Tracker", "Today — Tracker", "Edit entry — Tracker"):
            assert title in windows, windows  # each named once, the app's name added once
        for title, rect in windows.items():
            assert screen.contains(rect), (scale, title, rect, screen)
        key("Escape")
        app.ask("popup")
        wait_for(lambda: app.probe()["popup"], what="the popup")
        screenshot(f"scale{scale}-popup")
        for title, rect in app_windows(app).items():
            assert screen.contains(rect), (scale, title, rect, screen)
    finally:
        assert app.stop() == 0, app.output()


def test_without_a_tray_the_timer_window_opens_inside_the_screen_at_scale_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    env = {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": "http://127.0.0.1:9/api"}
    app = AppProcess(tmp_path, {**env, "QT_SCALE_FACTOR": "2"})
    app.start()  # no tray host: the timer window stands in for the icon
    try:
        cli(app, "start", "A long description of what is being worked on right now, at length")
        wait_for(lambda: app.probe()["running"], what="the running timer")
        screen = QRect(0, 0, *screen_size())
        windows = wait_for(lambda: app_windows(app), what="the timer window")
        screenshot("scale2-timer-window")
        assert any(title.endswith(" — Tracker") for title in windows), windows
        for title, rect in windows.items():
            assert screen.contains(rect), (title, rect, screen)
    finally:
        assert app.stop() == 0, app.output()


# --- readable text, measured on the screen ------------------------------------------------


@pytest.fixture
def controller(tmp_path: Path, qtbot: QtBot) -> Iterator[Controller]:
    with Store(tmp_path / "t.sqlite3") as store:
        yield Controller(Tracker(store))


@pytest.fixture(autouse=True)
def system_look(qapp: QApplication) -> Iterator[None]:
    yield
    apply_appearance(qapp, "system")


def on_screen(window: QWidget) -> QImage:
    """What the X server shows of ``window`` (its inside), as a screenshot."""
    screen = window.screen()
    top_left = window.mapToGlobal(QPoint(0, 0))
    ratio = screen.devicePixelRatio()
    grab = screen.grabWindow(0, top_left.x(), top_left.y(), window.width(), window.height())
    image = grab.toImage()
    assert image.width() >= int(window.width() * ratio) - 1
    return image


def test_every_label_reads_on_screen_in_each_look(controller: Controller, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    settings = SettingsDialog(controller, OfflineWorker(), MemorySecretStore())
    today = TodayWindow(controller)
    for window in (settings, today):
        qtbot.addWidget(window)
    settings.move(0, 0)
    settings.show()
    qtbot.waitExposed(settings)
    settings.general_page.hotkeys.set_status({"toggle": "Ctrl+Alt+T is taken"}, None)
    settings.server_page.show_error("the API URL must be a full http(s) address")
    today.move(0, 0)
    today.resize(900, 500)
    today.show()
    qtbot.waitExposed(today)
    today.set_sync_status(SyncStatus(SyncPhase.OFFLINE, pending=2))
    today.show_failure("Clockify refused the change: the project is archived.")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for look in ("dark", "light", "system", "dark"):
        apply_appearance(app, look)
        today.raise_()
        qtbot.wait(150)  # the X server shows the repaint
        image = on_screen(today)
        image.save(str(SHOTS / f"looks-{look}-today.png"))
        assert unreadable(today, image, image.width() / today.width()) == [], (look, "today")
        settings.raise_()
        for index in range(settings.tabs.count()):
            settings.tabs.setCurrentIndex(index)
            qtbot.wait(100)
            image = on_screen(settings)
            name = settings.tabs.tabText(index).lower()
            image.save(str(SHOTS / f"looks-{look}-settings-{name}.png"))
            ratio = image.width() / settings.width()
            assert unreadable(settings, image, ratio) == [], (look, name)
        settings.tabs.setCurrentWidget(settings.general_page)
        qtbot.wait(100)
        box: QCheckBox = settings.general_page.autostart_check
        option = QStyleOptionButton()
        box.initStyleOption(option)
        indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        image = on_screen(settings)
        where = indicator.translated(box.mapTo(settings, QPoint(0, 0)))
        assert text_contrast(image, where) >= 3.0, (look, "the unticked box")


# --- hotkeys ------------------------------------------------------------------------------


def test_a_hotkey_clash_is_said_as_the_key_is_pressed(controller: Controller, qtbot: QtBot) -> None:
    settings = SettingsDialog(controller, OfflineWorker(), MemorySecretStore())
    qtbot.addWidget(settings)
    settings.move(0, 0)
    settings.show()
    qtbot.waitExposed(settings)
    settings.tabs.setCurrentWidget(settings.general_page)
    qtbot.wait(100)
    box = settings.general_page.hotkeys

    def press_in(action: str, keys: str) -> None:
        field = box.edits[action]
        centre = field.mapToGlobal(field.rect().center())
        click(centre.x(), centre.y())
        qtbot.waitUntil(field.hasFocus, timeout=3000)
        key(keys)

    press_in("toggle", "ctrl+alt+t")
    qtbot.waitUntil(lambda: box.edits["toggle"].keySequence().toString() == "Ctrl+Alt+T")
    press_in("today", "ctrl+alt+t")
    qtbot.waitUntil(box.status["today"].isVisible, timeout=3000)
    assert box.status["today"].text() == (
        "Ctrl+Alt+T is already the key for “Toggle timer”; choose another."
    )
    assert box.edits["today"].keySequence().isEmpty()
    screenshot("settings-hotkey-clash")
    press_in("popup", "super+p")
    qtbot.waitUntil(lambda: box.edits["popup"].keySequence().toString() == "Meta+P")
    qtbot.wait(50)
    line = box.edits["popup"].findChild(QLineEdit)
    assert line is not None
    assert line.text() == "Super+P"  # as the platform names the key, like the hint
