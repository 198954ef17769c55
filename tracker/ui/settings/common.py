"""Labels and choices the settings pages share: plain text, quiet notes, inline errors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from tracker.ui.appearance import set_tone

__all__ = ["error_label", "note", "plain", "select", "show_text"]


def plain(text: str = "", *, wrap: bool = True) -> QLabel:
    """A label that never reads its text as markup (server text goes in such labels)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def note(text: str = "") -> QLabel:
    """An explanation, in a quieter colour that is still readable (4.5:1) in every theme."""
    label = plain(text)
    set_tone(label, "muted")
    return label


def error_label() -> QLabel:
    """A red, selectable line for what went wrong; hidden while empty."""
    label = plain()
    label.setObjectName("error")
    set_tone(label, "error")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_text(label: QLabel, text: str) -> None:
    """Show ``text`` as a sentence (capitalised), or hide the label when it is empty."""
    label.setText(text[:1].upper() + text[1:])
    label.setVisible(bool(text))


def select(combo: QComboBox, value: object) -> None:
    """Choose the item whose data is ``value`` (nothing changes when there is none)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
