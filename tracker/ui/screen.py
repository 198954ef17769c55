"""Windows stay inside the screen: one rule for every window the app shows.

At a scale factor of 1.5 or 2 a laptop screen is 850 or 640 logical pixels wide, and a window
laid out for a large screen would open with its buttons below the bottom edge. Each window
calls :func:`fit_to_screen` right before it shows: it shrinks to the screen's work area (the
screen minus panels) and moves so all of it, frame included, is inside.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

__all__ = ["available_area", "fit_to_screen"]


def _screen_of(widget: QWidget) -> QScreen:
    """The screen the window is on, or opens on: its parent's, else the pointer's."""
    if widget.isVisible() or widget.testAttribute(Qt.WidgetAttribute.WA_Moved):
        return widget.screen()
    parent = widget.parentWidget()
    if parent is not None and parent.isVisible():
        return parent.window().screen()
    return QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()


FRAME_GUESS = QSize(8, 36)
"""Room left for the title bar and borders of a window not shown yet (the window manager
frames it only then): a common title bar and 4-pixel borders."""

_frame_seen: QSize | None = None
"""The frame of the last framed window: the window manager frames the next one alike."""


def _frame_size(window: QWidget, frame: QRect, inner: QRect) -> QSize:
    """The title bar and borders: measured on a framed window, else as seen or guessed."""
    global _frame_seen
    measured = QSize(frame.width() - inner.width(), frame.height() - inner.height())
    if window.isVisible() and not measured.isNull():
        _frame_seen = measured
        return measured
    if window.isVisible() or window.windowFlags() & Qt.WindowType.FramelessWindowHint:
        return measured
    return _frame_seen if _frame_seen is not None else FRAME_GUESS


def available_area(widget: QWidget) -> QRect:
    """The work area of the screen ``widget`` is on (or opens on), in logical pixels."""
    return _screen_of(widget).availableGeometry()


def fit_to_screen(widget: QWidget, area: QRect | None = None) -> None:
    """Shrink ``widget``'s window to ``area`` (the screen's work area by default) and move
    it so the whole window, frame included, is inside; a window that fits is not touched
    unless part of it is off screen. A window that has not been placed yet is centred over
    its parent (or the work area), as Qt would, then kept inside."""
    window = widget.window()
    area = area if area is not None else available_area(window)
    frame = window.frameGeometry()
    inner = window.geometry()
    placed = window.isVisible() or window.testAttribute(Qt.WidgetAttribute.WA_Moved)
    extra = _frame_size(window, frame, inner)
    if not window.isVisible():
        window.ensurePolished()
        layout = window.layout()
        if layout is not None:
            layout.activate()  # a hidden window's size is only settled when it shows
        if not window.testAttribute(Qt.WidgetAttribute.WA_Resized):
            window.adjustSize()
        inner = QRect(inner.topLeft(), window.size())
    most = QSize(area.width() - extra.width(), area.height() - extra.height())
    if window.minimumWidth() > most.width() or window.minimumHeight() > most.height():
        window.setMinimumSize(window.minimumSize().boundedTo(most))
    size = window.size().boundedTo(most)
    if size != window.size():
        window.resize(size)
    whole = QSize(size.width() + extra.width(), size.height() + extra.height())
    if placed:
        corner = frame.topLeft()
    else:
        parent = window.parentWidget()
        shown = parent is not None and parent.isVisible()
        around = parent.window().frameGeometry() if parent is not None and shown else area
        corner = around.center() - QPoint(whole.width() // 2, whole.height() // 2)
    x = max(area.left(), min(corner.x(), area.left() + area.width() - whole.width()))
    y = max(area.top(), min(corner.y(), area.top() + area.height() - whole.height()))
    if QPoint(x, y) != frame.topLeft() or not placed:
        window.move(x, y)
