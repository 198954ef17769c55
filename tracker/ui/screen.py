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
"""Room left for the title bar and borders of a window not shown yet when no other window
is on screen to learn them from: a common title bar and 4-pixel borders."""


def _frame_of(window: QWidget) -> QSize:
    frame, inner = window.frameGeometry(), window.geometry()
    return QSize(frame.width() - inner.width(), frame.height() - inner.height())


_learned: list[QSize] = []
"""The frame the window manager gave the app's windows, once one was measured on screen."""


def _frame_size(window: QWidget) -> QSize:
    """The title bar and borders: measured on the window once framed (and remembered), else
    as measured on an earlier window of the app, else guessed.

    Other windows are not looked up through ``QApplication.topLevelWidgets()``: a wrapper
    that list hands back can outlive its widget and crash the process when called.
    """
    if window.isVisible() or window.windowFlags() & Qt.WindowType.FramelessWindowHint:
        measured = _frame_of(window)
        if window.isVisible() and window.windowType() in (
            Qt.WindowType.Window,
            Qt.WindowType.Dialog,
        ):
            _learned[:] = [measured]
        return measured
    return _learned[0] if _learned else FRAME_GUESS


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
    placed = window.isVisible() or window.testAttribute(Qt.WidgetAttribute.WA_Moved)
    extra = _frame_size(window)
    if not window.isVisible():
        window.ensurePolished()
        layout = window.layout()
        if layout is not None:
            layout.activate()  # a hidden window's size is only settled when it shows
        if not window.testAttribute(Qt.WidgetAttribute.WA_Resized):
            window.adjustSize()
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
