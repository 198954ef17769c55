"""Fusion with check boxes and radio buttons one can see: their box outlined at 3:1 against
the window (Fusion draws it a shade off the background, nearly invisible on a dark one), and
sort arrows that point the way people read them: up for A to Z (oldest first), down for Z to
A (newest first), as Windows, macOS and KDE's Breeze draw them; Fusion draws them the other
way round, so a list read newest first said "When ▲".

Its own module because Qt's style types cost several milliseconds to make: the app loads it
once the tray icon is on screen (see :func:`tracker.ui.appearance.apply_appearance`).
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionHeader,
    QWidget,
)

from tracker.ui.appearance import UI_CONTRAST, Role, mix, readable

__all__ = ["VisibleIndicators", "outlined_fusion", "plain_fusion"]


_FLIPPED = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class VisibleIndicators(QProxyStyle):
    """A style that draws as its base does, then outlines check and radio indicators; a
    header's sort arrow points up for ascending order (Qt asks Fusion for a down arrow)."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(
            option, QStyleOptionHeader
        ):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = _FLIPPED.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)
        box = element == QStyle.PrimitiveElement.PE_IndicatorCheckBox
        round_ = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
        if not (box or round_):
            return
        palette = option.palette
        window = palette.color(Role.Window)
        edge = readable(mix(palette.color(Role.WindowText), window, 0.5), window, UI_CONTRAST)
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(QColor(0, 0, 0, 0))
        painter.setPen(QPen(edge, 1))
        inner = rect.adjusted(1, 1, -2, -2)
        if box:
            painter.drawRoundedRect(inner.toRectF().translated(0.5, 0.5), 1.5, 1.5)
        else:
            painter.drawEllipse(inner.toRectF().translated(0.5, 0.5))
        painter.restore()


def outlined_fusion() -> QStyle:
    """Fusion with visible indicators."""
    return VisibleIndicators(QStyleFactory.create("Fusion"))


def plain_fusion(owner: QWidget) -> QStyle:
    """Fusion without the outlines, for an item view: it draws no check boxes, and the
    outlining override is a call into Python for every primitive of every cell (about a
    millisecond of each timer click that redraws the today window). Owned by ``owner``, so
    it goes with it."""
    style = QStyleFactory.create("Fusion")
    style.setParent(owner)
    return style
