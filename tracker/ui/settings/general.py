"""The General page: the tray's left click, notifications, appearance, start at login, idle
time, and the global hotkeys.

The appearance previews at once (the dialog reverts it on Cancel); start at login is written
to the OS when the dialog applies, and a failure shows here, under the box.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.integrations.autostart import AutostartBackend, launch_command
from tracker.services.preferences import MAX_IDLE_MINUTES, Preferences
from tracker.ui.appearance import apply_appearance
from tracker.ui.settings.common import error_label, select, show_text
from tracker.ui.settings.hotkeys import HotkeysBox

__all__ = ["APPEARANCE_NAMES", "LEFT_CLICK_NAMES", "GeneralPage"]

LEFT_CLICK_NAMES = {"popup": "Open the timer popup", "toggle": "Start or stop the timer"}
APPEARANCE_NAMES = {"system": "Like the system", "light": "Light", "dark": "Dark"}


class GeneralPage(QWidget):
    """General choices and the hotkeys box.

    Args:
        controller: the saved idle threshold (a fraction set elsewhere is kept).
        autostart: the OS's start-at-login entry, which the box shows and switches; ``None``:
            the box only records the preference.
    """

    def __init__(
        self,
        controller: Controller,
        autostart: AutostartBackend | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.autostart = autostart
        self.left_click_combo = QComboBox()
        for kind, name in LEFT_CLICK_NAMES.items():
            self.left_click_combo.addItem(name, kind)
        self.notify_check = QCheckBox("When the key is refused, a change is refused, or a conflict")
        self.appearance_combo = QComboBox()
        for kind, name in APPEARANCE_NAMES.items():
            self.appearance_combo.addItem(name, kind)
        self.appearance_combo.currentIndexChanged.connect(self._preview_appearance)
        self.autostart_check = QCheckBox("Start Tracker when I log in")
        form = QFormLayout()
        form.addRow("Left click on the tray icon:", self.left_click_combo)
        form.addRow("Notifications:", self.notify_check)
        form.addRow("Appearance:", self.appearance_combo)
        self.autostart_error = error_label()
        autostart_box = QWidget()
        autostart_column = QVBoxLayout(autostart_box)
        autostart_column.setContentsMargins(0, 0, 0, 0)
        autostart_column.setSpacing(2)
        autostart_column.addWidget(self.autostart_check)
        autostart_column.addWidget(self.autostart_error)
        form.addRow("Start at login:", autostart_box)
        form.addRow("Idle:", self._idle_row())
        self.hotkeys = HotkeysBox()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hotkeys)
        layout.addStretch(1)

    def _idle_row(self) -> QWidget:
        """Minutes away (with a timer running) before the app asks about the time; 0 = off."""
        self.idle_spin = QSpinBox()
        self.idle_spin.setObjectName("idle-threshold")
        self.idle_spin.setRange(0, MAX_IDLE_MINUTES)
        self.idle_spin.setSuffix(" min")
        self.idle_spin.setSpecialValueText("Off")
        self.idle_spin.setToolTip("Set to 0 to turn idle detection off")
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(QLabel("Ask what to do with the time after"))
        line.addWidget(self.idle_spin)
        line.addWidget(QLabel("away"))
        line.addStretch(1)
        return row

    def load(self, prefs: Preferences) -> None:
        """Show the saved choices (the start-at-login box shows the OS entry's real state)."""
        select(self.left_click_combo, prefs.left_click)
        self.notify_check.setChecked(prefs.notify)
        select(self.appearance_combo, prefs.appearance)
        self.autostart_check.setChecked(self._autostart_enabled(prefs.autostart))
        show_text(self.autostart_error, "")
        self.idle_spin.setValue(round(prefs.idle_threshold_minutes))
        self.hotkeys.load(dict(prefs.hotkeys))

    def values(self) -> dict[str, Any]:
        """The page's choices, as :class:`Preferences` fields."""
        return {
            "left_click": str(self.left_click_combo.currentData()),
            "notify": self.notify_check.isChecked(),
            "appearance": str(self.appearance_combo.currentData()),
            "autostart": self.autostart_check.isChecked(),
            "hotkeys": self.hotkeys.values(),
            "idle_threshold_minutes": self._idle_minutes(),
        }

    def show_appearance(self, appearance: str) -> None:
        """Choose ``appearance`` in the list (and preview it), e.g. the saved one on Cancel."""
        if self.appearance_combo.currentData() != appearance:
            select(self.appearance_combo, appearance)

    def _preview_appearance(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_appearance(app, str(self.appearance_combo.currentData()))

    def _idle_minutes(self) -> float:
        """The spin box's minutes; a saved fraction (set outside Settings) stays as it is."""
        saved = self.controller.preferences().idle_threshold_minutes
        return saved if round(saved) == self.idle_spin.value() else float(self.idle_spin.value())

    def _autostart_enabled(self, saved: bool) -> bool:
        """The OS entry's real state (removed by hand or by an uninstaller shows as off)."""
        if self.autostart is None:
            return saved
        try:
            return self.autostart.is_enabled()
        except OSError:
            return saved

    def apply_autostart(self, wanted: bool) -> bool:
        """Write or remove the OS entry; ``False`` with the reason shown when that failed."""
        show_text(self.autostart_error, "")
        backend = self.autostart
        if backend is None or wanted == self._autostart_enabled(not wanted):
            return True
        try:
            if wanted:
                backend.enable(launch_command())
            else:
                backend.disable()
        except OSError as problem:
            verb = "turn on" if wanted else "turn off"
            show_text(self.autostart_error, f"Could not {verb} start at login: {problem}")
            return False
        return True
