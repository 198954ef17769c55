"""The global hotkeys box (on the General page): a key per action, and what became of it.

None is bound until the person chooses one. Each key's status says whether the desktop gave
it to the app ("Active.") or why not; where no hotkey can work, the box says so and names the
commands to bind in the desktop's own keyboard settings instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFormLayout, QGroupBox, QKeySequenceEdit, QLabel, QVBoxLayout, QWidget

from tracker.ui.appearance import set_tone
from tracker.ui.settings.common import note, plain, show_text

__all__ = ["HOTKEY_ACTIONS", "HotkeysBox"]

HOTKEY_ACTIONS: tuple[tuple[str, str], ...] = (
    ("toggle", "Toggle timer"),
    ("popup", "Open timer popup"),
    ("today", "Open today"),
)
"""Action name (the key in ``Preferences.hotkeys``) and its label."""

_FORMAT = QKeySequence.SequenceFormat.PortableText


class HotkeysBox(QGroupBox):
    """One key editor per action, each with its status under it.

    Attributes:
        edits: the key editor of each action.
        status: the status line of each action.
        unavailable: why no global hotkey works here (hidden while they do).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Global hotkeys", parent)
        self.setObjectName("hotkeys")
        self.edits: dict[str, QKeySequenceEdit] = {}
        self.status: dict[str, QLabel] = {}
        keys = QFormLayout(self)
        for action, label in HOTKEY_ACTIONS:
            edit = QKeySequenceEdit()
            edit.setObjectName(f"hotkey-{action}")
            edit.setClearButtonEnabled(True)
            edit.setMaximumSequenceLength(1)
            self.edits[action] = edit
            keys.addRow(f"{label}:", self._field(action, edit))
        self.unavailable = plain()
        self.unavailable.setObjectName("hotkey-unavailable")
        self.unavailable.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unavailable.hide()
        keys.addRow(self.unavailable)
        keys.addRow(
            note(
                "Click a field and press the keys (with Ctrl, Alt or Super); clear it to "
                "free the key. Each key works in every program while the app runs."
            )
        )

    def _field(self, action: str, edit: QKeySequenceEdit) -> QWidget:
        """The key editor with, under it, what became of the key last time it was set."""
        status = plain()
        status.setObjectName(f"hotkey-status-{action}")
        status.hide()
        self.status[action] = status
        field = QWidget()
        column = QVBoxLayout(field)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(edit)
        column.addWidget(status)
        return field

    def load(self, hotkeys: Mapping[str, str]) -> None:
        """Show the saved keys (action → portable key text)."""
        for action, edit in self.edits.items():
            edit.setKeySequence(QKeySequence.fromString(hotkeys.get(action, ""), _FORMAT))

    def values(self) -> tuple[tuple[str, str], ...]:
        """The chosen keys as (action, portable key text), sorted; free actions left out."""
        return tuple(
            sorted(
                (action, text)
                for action, edit in self.edits.items()
                if (text := edit.keySequence().toString(_FORMAT))
            )
        )

    def set_status(self, results: Mapping[str, str], unavailable: str | None) -> None:
        """Show per action ``"ok"`` or why its key was not taken; ``unavailable`` says why no
        hotkey can work here (and which commands to bind in the desktop's settings instead)."""
        for action, label in self.status.items():
            result = results.get(action)
            if result is None or unavailable:
                show_text(label, "")
            elif result == "ok":
                set_tone(label, "text")
                show_text(label, "Active.")
            else:
                set_tone(label, "error")
                show_text(label, result)
        show_text(
            self.unavailable,
            f"Global hotkeys are not available here: {unavailable}." if unavailable else "",
        )
