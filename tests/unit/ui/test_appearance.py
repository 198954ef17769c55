"""Every text readable (WCAG AA, 4.5:1) in the light, dark and system looks, also after the
look is switched while windows are open: measured on the palette roles, on each widget's own
palette, and on the pixels of grabbed windows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QStyle, QStyleOptionButton, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers.contrast import contrast, text_contrast, unreadable
from tests.helpers.workers import OfflineWorker
from tracker.bridge.controller import Controller
from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.integrations.secrets import MemorySecretStore
from tracker.ui.appearance import apply_appearance, readable
from tracker.ui.indicators import VisibleIndicators
from tracker.ui.settings import SettingsDialog
from tracker.ui.today import TodayWindow

LOOKS = ("system", "dark", "light", "system", "dark", "light", "system")
"""Each look, reached from each other one, as a person switching in Settings would."""

SHOTS = Path("/tmp/shots-appearance")
R = QPalette.ColorRole
TEXT_PAIRS = (
    (R.WindowText, R.Window),
    (R.WindowText, R.Button),
    (R.Text, R.Base),
    (R.Text, R.AlternateBase),
    (R.ButtonText, R.Button),
    (R.HighlightedText, R.Highlight),
    (R.ToolTipText, R.ToolTipBase),
    (R.PlaceholderText, R.Base),
    (R.Link, R.Base),
    (R.Link, R.Window),
)
"""The (text, background) role pairs Qt's widgets draw text with."""

GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)


def app() -> QApplication:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    return instance


@pytest.fixture(autouse=True)
def system_look(qapp: QApplication) -> Iterator[None]:
    yield
    apply_appearance(qapp, "system")


def switch(look: str, qtbot: QtBot) -> None:
    apply_appearance(app(), look)
    qtbot.wait(20)  # windows pass the new palette on to their widgets through posted events


def test_readable_moves_a_colour_just_far_enough() -> None:
    window = QColor(45, 45, 48)
    red = readable(QColor("#c62828"), window)
    assert contrast(red, window) >= 4.5
    assert red.red() > red.green()  # still red
    black = QColor(0, 0, 0)
    assert readable(black, QColor(255, 255, 255)) == black


def test_every_text_role_is_readable_in_each_look_after_switching(qtbot: QtBot) -> None:
    for look in LOOKS:
        switch(look, qtbot)
        palette = QGuiApplication.palette()
        for group in GROUPS:
            for text_role, back_role in TEXT_PAIRS:
                ratio = contrast(palette.color(group, text_role), palette.color(group, back_role))
                assert ratio >= 4.5, (look, group, text_role, back_role, round(ratio, 2))


def widget_palette_problems(window: QWidget) -> list[str]:
    """Labels whose own palette (colours set in code) reads under 4.5:1 on the window."""
    window_colour = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    bad = []
    for label in window.findChildren(QLabel):
        if not label.text() or label.autoFillBackground():
            continue
        parent = label.parentWidget()
        background = window_colour
        if parent is not None and parent.autoFillBackground():
            background = parent.palette().color(QPalette.ColorRole.Window)
        group = QPalette.ColorGroup.Active if label.isEnabled() else QPalette.ColorGroup.Disabled
        colour = label.palette().color(group, label.foregroundRole())
        ratio = contrast(colour, background)
        if ratio < 4.5:
            bad.append(f"{label.text()[:40]!r}: {ratio:.2f}")
    return bad


def test_settings_texts_are_readable_on_screen_after_each_switch(
    controller: Controller, qtbot: QtBot
) -> None:
    dialog = SettingsDialog(controller, OfflineWorker(), MemorySecretStore())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.general_page.hotkeys.set_status({"toggle": "Ctrl+Alt+T is taken"}, None)
    dialog.server_page.show_error("the API URL must be a full http(s) address")
    SHOTS.mkdir(exist_ok=True)
    for step, look in enumerate(LOOKS):
        switch(look, qtbot)
        for index in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(index)
            qtbot.wait(5)
            name = dialog.tabs.tabText(index).lower()
            image = dialog.grab().toImage()
            image.save(str(SHOTS / f"settings-{step}-{look}-{name}.png"))
            where = (look, name)
            assert unreadable(dialog, image) == [], where
            assert widget_palette_problems(dialog) == [], where


def test_today_texts_follow_a_switch(controller: Controller, qtbot: QtBot) -> None:
    window = TodayWindow(controller)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_sync_status(SyncStatus(SyncPhase.OFFLINE, pending=2))
    window.show_failure("Clockify refused the change: the project is archived.")
    for step, look in enumerate(LOOKS):
        switch(look, qtbot)
        image = window.grab().toImage()
        image.save(str(SHOTS / f"today-{step}-{look}.png"))
        assert unreadable(window, image) == [], look
        assert widget_palette_problems(window) == [], look


def test_an_unticked_box_is_outlined_in_the_dark(controller: Controller, qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    box = QCheckBox("Start Tracker when I log in", host)
    host.resize(300, 40)
    host.show()
    qtbot.waitExposed(host)
    for look in ("dark", "light", "system"):
        switch(look, qtbot)
        option = QStyleOptionButton()
        box.initStyleOption(option)
        indicator: QRect = box.style().subElementRect(
            QStyle.SubElement.SE_CheckBoxIndicator, option, box
        )
        image = host.grab().toImage()
        ratio = text_contrast(image, indicator.translated(box.mapTo(host, QPoint(0, 0))))
        assert ratio >= 3.0, (look, round(ratio, 2))


def test_the_today_table_draws_with_plain_fusion_and_follows_a_switch(
    controller: Controller, qtbot: QtBot
) -> None:
    """The tables have no check boxes to outline, so they skip the outlining style (a
    Python call per primitive of every cell); where the app uses another style, so do they."""
    window = TodayWindow(controller)
    qtbot.addWidget(window)
    window.show()
    table = window.table
    for look in LOOKS:
        switch(look, qtbot)
        if isinstance(app().style(), VisibleIndicators):
            assert table.style().name() == "fusion", look
            assert not isinstance(table.style(), VisibleIndicators)
            assert table.style().parent() is table
        else:
            assert table.style() is app().style(), look
        image = window.grab().toImage()
        assert unreadable(window, image) == [], look
