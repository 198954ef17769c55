"""The app's look: the platform's own style, or Fusion with a light or dark palette.

Its own module so the app can apply the saved appearance at start-up without loading the
settings dialog (and the account check behind it).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["apply_appearance", "dark_palette", "tone"]


_system_look: tuple[str, QPalette] | None = None


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style, with readable disabled text and links."""
    palette = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    disabled = QColor(130, 130, 130)
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: window,
        QPalette.ColorRole.ToolTipBase: window,
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: disabled,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: window,
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(255, 90, 90),
        QPalette.ColorRole.Link: QColor(100, 170, 255),
        QPalette.ColorRole.LinkVisited: QColor(170, 140, 255),
        QPalette.ColorRole.Highlight: QColor(42, 130, 218),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
    }
    for role, color in roles.items():
        palette.setColor(role, color)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def apply_appearance(app: QApplication, appearance: str) -> None:
    """Switch the whole app's look: the platform's own (``system``), light or dark Fusion."""
    global _system_look
    if _system_look is None:
        if appearance == "system":
            return  # nothing changed the look yet: the platform's is in place (no style made)
        _system_look = (app.style().name(), app.palette())
    if appearance == "system":
        app.setStyle(_system_look[0])
        app.setPalette(_system_look[1])
        return
    fusion = app.setStyle("Fusion")
    if appearance == "dark":
        app.setPalette(dark_palette())
    elif fusion is not None:
        app.setPalette(fusion.standardPalette())


def tone(widget: QWidget, light: str, dark: str) -> QColor:
    """``light`` on a light palette, ``dark`` on a dark one: readable on both."""
    background = widget.palette().color(QPalette.ColorRole.Window)
    return QColor(dark if background.lightness() < 128 else light)
