"""Approved days as the today window and the timesheet show them: the reason a day is locked
(the entry services' own check, :func:`tracker.services.approval_locks.locked_reason`, read
from the kept copy with no request) and a small padlock drawn in the palette's text colour.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap

from tracker.bridge.controller import Controller
from tracker.services.approval_locks import locked_reason

__all__ = ["day_locks", "lock_icon"]


def day_locks(controller: Controller, days: Iterable[date]) -> dict[date, str]:
    """The locked days among ``days``, each with why (empty without an account)."""
    context = controller.tracker.context
    user_id = context.store.meta.account_user_id()
    if user_id is None:
        return {}
    found = {}
    for day in set(days):
        reason = locked_reason(context.store.conn, context.workspace_id, user_id, day)
        if reason is not None:
            found[day] = reason
    return found


def lock_icon() -> QIcon:
    """A padlock in the current palette's text colour (drawn once per colour)."""
    colour = QGuiApplication.palette().color(QPalette.ColorRole.Text)
    return _drawn(colour.name())


@functools.cache
def _drawn(colour: str) -> QIcon:
    icon = QIcon()
    for ratio in (1.0, 2.0):
        pixmap = QPixmap(int(16 * ratio), int(16 * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(colour), 1.6)
        painter.setPen(pen)
        painter.drawArc(QRectF(4.5, 1.5, 7, 8), 0, 180 * 16)  # the shackle
        painter.drawLine(QLineF(4.5, 5.5, 4.5, 7.5))
        painter.drawLine(QLineF(11.5, 5.5, 11.5, 7.5))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(QRectF(2.5, 7, 11, 8), 1.5, 1.5)  # the body
        painter.end()
        icon.addPixmap(pixmap)
    return icon
