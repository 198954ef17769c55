"""The global hotkeys box (on the General page): a key per action, and what became of it.

None is bound until the person chooses one. Each key's status says whether the desktop gave
it to the app ("Active.") or why not; where no hotkey can work, the box says so and names the
commands to bind in the desktop's own keyboard settings instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from tracker.integrations.hotkeys.keys import Chord, KeyProblem, parse
from tracker.ui.appearance import set_tone
from tracker.ui.settings.common import note, plain, show_text
from tracker.ui.text import MODIFIER_HINT, key_names, key_text

__all__ = ["HOTKEY_ACTIONS", "HotkeysBox", "KeyField"]

HOTKEY_ACTIONS: tuple[tuple[str, str], ...] = (
    ("toggle", "Toggle timer"),
    ("popup", "Open timer popup"),
    ("today", "Open today"),
    ("reports", "Open reports"),
)
"""Action name (the key in ``Preferences.hotkeys``) and its label."""

ACTION_LABELS = dict(HOTKEY_ACTIONS)


class KeyField(QKeySequenceEdit):
    """A key recorder that writes the key as the platform names it (``Super+T`` on Linux,
    where Qt would write ``Meta+T``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.setMaximumSequenceLength(1)
        self._line = self.findChild(QLineEdit)
        self.keySequenceChanged.connect(self._rename)
        self.editingFinished.connect(self._rename)

    def _rename(self) -> None:
        # Qt writes the text after telling of the change: rename on the next turn as well.
        self.rename()
        QTimer.singleShot(0, self.rename)

    def rename(self) -> None:
        """Write the shown key with the platform's key names."""
        line = self._line
        if line is None or not isValid(line):
            return  # the field went away before the next turn came
        if (renamed := key_names(line.text())) != line.text():
            line.setText(renamed)


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
        self.edits: dict[str, KeyField] = {}
        self.status: dict[str, QLabel] = {}
        keys = QFormLayout(self)
        for action, label in HOTKEY_ACTIONS:
            edit = KeyField()
            edit.setObjectName(f"hotkey-{action}")
            edit.editingFinished.connect(lambda action=action: self.check(action))
            edit.keySequenceChanged.connect(lambda _key, action=action: self._cleared(action))
            self.edits[action] = edit
            keys.addRow(f"{label}:", self._field(action, edit))
        self.unavailable = plain()
        self.unavailable.setObjectName("hotkey-unavailable")
        self.unavailable.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unavailable.hide()
        keys.addRow(self.unavailable)
        keys.addRow(
            note(
                f"Click a field and press the keys (with {MODIFIER_HINT}); clear it to "
                "free the key. Each key works in every program while the app runs."
            )
        )

    def check(self, action: str) -> str | None:
        """Judge the key just recorded for ``action``, as it is recorded: one that another
        action has, or that cannot be a global hotkey, is refused with the reason (naming
        the other action as this box does) and the field is cleared."""
        edit = self.edits[action]
        sequence = edit.keySequence()
        if sequence.isEmpty():
            return None
        shown = key_text(sequence)
        problem: str | None = None
        try:
            chord = parse(sequence.toString(_FORMAT))
        except KeyProblem as refused:
            problem = f"{key_names(str(refused))}."
        else:
            other = self._holder(chord, action)
            if other is not None:
                problem = (
                    f"{shown} is already the key for “{ACTION_LABELS[other]}”; choose another."
                )
        label = self.status[action]
        if problem is None:
            show_text(label, "")
            return None
        set_tone(label, "error")
        show_text(label, problem)
        edit.blockSignals(True)
        edit.clear()
        edit.blockSignals(False)
        return problem

    def _holder(self, chord: Chord, action: str) -> str | None:
        """The other action whose key is ``chord``."""
        for other, edit in self.edits.items():
            text = edit.keySequence().toString(_FORMAT)
            if other == action or not text:
                continue
            try:
                theirs = parse(text)
            except KeyProblem:
                continue
            if (theirs.modifiers, theirs.key) == (chord.modifiers, chord.key):
                return other
        return None

    def _cleared(self, action: str) -> None:
        """A new key (or none) for ``action``: what was said about the old one is stale."""
        if self.edits[action].keySequence().isEmpty():
            show_text(self.status[action], "")

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
            edit.rename()
            show_text(self.status[action], "")

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
                show_text(label, _readable(result))
        show_text(
            self.unavailable,
            f"Global hotkeys are not available here: {unavailable}." if unavailable else "",
        )


def _readable(reason: str) -> str:
    """A backend's reason with actions named as this box names them and keys as the
    platform names them ("already used for 'toggle'" reads "… for “Toggle timer”")."""
    for action, label in HOTKEY_ACTIONS:
        reason = reason.replace(f"'{action}'", f"“{label}”")
    return key_names(reason)
