"""Small charts painted with QPainter (QtCharts is not part of PySide6-Essentials).

Text and axes use the palette's roles, so they read on light and dark looks alike; the only
fixed colours are the series', picked mid-tone so each stands at least 3:1 against both a
white and a near-black background (WCAG's contrast for graphics).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["SERIES", "DayBars", "ShareBar", "hours_label"]

SERIES = (
    "#3b82c4",
    "#d9822b",
    "#3f9f5f",
    "#c2508a",
    "#8a6fd1",
    "#b5a030",
    "#2a9d9d",
    "#c95a4a",
)
"""Series colours: mid-tones readable as marks on light and on dark backgrounds."""

OTHER = "#8c8c8c"
"""The colour of "everything else" in a share bar."""


def hours_label(seconds: int) -> str:
    """``7:30`` (hours and minutes), the chart's way of saying a duration."""
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}"


class DayBars(QWidget):
    """One bar per day (hours), with the daily capacity drawn as a dashed line.

    ``set_days(days, capacity)``: the days with their seconds, and the capacity in seconds
    (``None``: no line).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayBars")
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._days: list[tuple[date, int]] = []
        self._capacity: int | None = None
        self.setAccessibleName("Hours per day")

    def set_days(self, days: Sequence[tuple[date, int]], capacity: int | None) -> None:
        """Show ``days`` and the capacity line."""
        self._days = list(days)
        self._capacity = capacity if capacity else None
        total = sum(s for _, s in days)
        self.setAccessibleDescription(
            f"{len(days)} days, {hours_label(total)} hours in all"
            + (f"; capacity {hours_label(capacity)} a day" if capacity else "")
        )
        self.update()

    def days(self) -> list[tuple[date, int]]:
        """What is shown (for tests and the accessible description)."""
        return list(self._days)

    def sizeHint(self) -> QSize:
        return QSize(560, 180)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = painter.fontMetrics()
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(
            metrics.horizontalAdvance("00:00") + 8, 6, -6, -line - 6
        )
        if not self._days or area.width() <= 0 or area.height() <= 0:
            painter.end()
            return
        most = max([s for _, s in self._days] + [self._capacity or 0, 3600])
        top = ((most + 3599) // 3600) * 3600
        painter.setPen(QPen(text, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawText(
            QRectF(0, area.top() - line / 2, area.left() - 4, line),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            hours_label(top),
        )
        slot = area.width() / len(self._days)
        bar = QColor(SERIES[0])
        label_every = max(1, int((metrics.horizontalAdvance("Mon 30") + 6) // max(slot, 1)) + 1)
        for index, (day, seconds) in enumerate(self._days):
            x = area.left() + index * slot
            height = area.height() * seconds / top
            if seconds:
                painter.fillRect(
                    QRectF(x + slot * 0.15, area.bottom() - height, slot * 0.7, height), bar
                )
            if index % label_every == 0:
                painter.setPen(text)
                label = day.strftime("%a %d") if len(self._days) <= 14 else day.strftime("%d")
                painter.drawText(
                    QRectF(x - slot, area.bottom() + 3, slot * 3, line),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    label,
                )
        if self._capacity:
            y = area.bottom() - area.height() * self._capacity / top
            pen = QPen(text, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.end()


class ShareBar(QWidget):
    """How the total divides between groups: one stacked bar and a legend with times.

    ``set_shares([(label, seconds), ...])``: the largest groups get a colour each, the rest
    one grey "Other" part.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareBar")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._parts: list[tuple[str, int, str]] = []
        self.setAccessibleName("Share of the total")

    def set_shares(self, shares: Sequence[tuple[str, int]]) -> None:
        """Show the groups' shares (largest first)."""
        ordered = sorted(shares, key=lambda s: -s[1])
        parts = [(label, seconds, SERIES[i]) for i, (label, seconds) in enumerate(ordered[:7])]
        rest = sum(s for _, s in ordered[7:])
        if rest:
            parts.append(("Other", rest, OTHER))
        self._parts = [p for p in parts if p[1] > 0]
        self.setAccessibleDescription(
            "; ".join(f"{label}: {hours_label(seconds)}" for label, seconds, _ in self._parts)
        )
        self.updateGeometry()
        self.update()

    def parts(self) -> list[tuple[str, int, str]]:
        """(label, seconds, colour) as drawn."""
        return list(self._parts)

    def _rows(self) -> int:
        return (len(self._parts) + 1) // 2

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(560, 24 + 8 + self._rows() * (line + 4))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        total = sum(s for _, s, _ in self._parts)
        if not total:
            painter.end()
            return
        width = float(self.width())
        x = 0.0
        for _, seconds, colour in self._parts:
            part = width * seconds / total
            painter.fillRect(QRectF(x, 0, part, 20), QColor(colour))
            x += part
        text = self.palette().color(QPalette.ColorRole.WindowText)
        metrics = painter.fontMetrics()
        line = metrics.height()
        half = width / 2
        for index, (label, seconds, colour) in enumerate(self._parts):
            column, row = index % 2, index // 2
            left = column * half
            y = 28 + row * (line + 4)
            painter.fillRect(QRectF(left, y + 2, line - 4, line - 4), QColor(colour))
            painter.setPen(text)
            share = round(100 * seconds / total)
            shown = f"{label}  {hours_label(seconds)}  ({share}%)"
            painter.drawText(
                QRectF(left + line, y, half - line - 8, line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(shown, Qt.TextElideMode.ElideMiddle, int(half - line - 8)),
            )
        painter.end()
