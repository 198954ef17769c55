"""Painting a picker's row: the colour dot (or "+" on an offer to create), the label, the
client and estimate, a favourite's star; client headings small and bold."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from tracker.services.search_candidates import NO_PROJECT, Candidate
from tracker.ui import text
from tracker.ui.picker_model import PickerModel
from tracker.ui.picker_rows import STAR, STAR_COLOR, CreateRow, GroupRow, Row

__all__ = ["PickerDelegate"]


class PickerDelegate(QStyledItemDelegate):
    """Paints a row: the project's colour dot, the label, the client and the task estimate.

    Laying out text costs more than drawing it, and most rows stay on screen from one
    keystroke to the next, so each elided text is laid out once (a ``QStaticText``, kept for
    the last :data:`TEXTS_KEPT` texts and the font and width they were laid out for).
    """

    TEXTS_KEPT = 512

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts: OrderedDict[tuple[str, int, bool], QStaticText] = OrderedDict()
        self._font = QFont()
        self._colors: dict[str, QColor] = {}

    def sizeHint(
        self,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,  # noqa: ARG002 - every row is alike
    ) -> QSize:
        """One line of text with some air."""
        height = option.fontMetrics.height() + 8
        return QSize(200, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Dot, label (elided), then client and estimate right-aligned in a dimmer colour.

        Reads the row's candidate from the model at once: asking ``data()`` role by role
        (and ``initStyleOption``'s eight roles) cost more than the painting itself.
        """
        model = index.model()
        item = model.candidate(index.row()) if isinstance(model, PickerModel) else NO_PROJECT
        create = isinstance(item, CreateRow)
        if isinstance(item, GroupRow):
            self._paint_heading(painter, option, item.label)
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        rect: QRect = option.rect
        palette: QPalette = option.palette
        metrics = option.fontMetrics
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fore = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        dim = QColor(fore)
        dim.setAlphaF(0.65)
        painter.save()
        dot = metrics.height() // 2
        x = rect.left() + 8
        self._paint_mark(painter, item, QRect(x, rect.top(), dot, rect.height()), fore)
        x += dot + 8

        right = rect.right() - 8
        if isinstance(item, Candidate) and item.pinned:
            right = self._paint_star(painter, rect, right, fore if selected else None)
        extras = []
        if item.estimate:
            share = model.progress_of(item.task_id) if isinstance(model, PickerModel) else None
            used = f" ({share:.0%} used)" if share is not None else ""
            extras.append(f"est. {text.duration(item.estimate)}{used}")
        if item.client:
            extras.append(item.client)
        available = right - x
        extra = "  ·  ".join(extras)
        font = option.font
        top = rect.top() + (rect.height() - metrics.height()) // 2
        extra_width = 0
        if extra:
            laid = self._laid_out(extra, available // 2, font, metrics, left=False)
            extra_width = int(laid.size().width())
        label_width = available - extra_width - (12 if extra else 0)
        painter.setPen(fore if item.project_id is not None or create else dim)
        painter.drawStaticText(x, top, self._laid_out(item.label, label_width, font, metrics))
        if extra:
            painter.setPen(dim)
            painter.drawStaticText(right - extra_width, top, laid)
        painter.restore()

    def _paint_mark(self, painter: QPainter, item: Row, box: QRect, fore: QColor) -> None:
        """The row's mark in ``box``: "+" on an offer to create, else the project's dot."""
        if isinstance(item, CreateRow):
            painter.setPen(fore)
            painter.drawText(box.adjusted(-2, 0, 2, 0), Qt.AlignmentFlag.AlignCenter, "+")
        elif item.color or item.project_id is not None:
            dot = box.width()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(self._color(item.color or "#9ca3af")))
            painter.drawEllipse(box.left(), box.center().y() - dot // 2, dot, dot)

    def _paint_star(self, painter: QPainter, rect: QRect, right: int, pen: QColor | None) -> int:
        """A favourite's star ending at ``right`` (amber unless ``pen``); where text may end."""
        width = painter.fontMetrics().horizontalAdvance(STAR)
        painter.setPen(pen if pen is not None else self._color(STAR_COLOR))
        painter.drawText(
            QRect(right - width, rect.top(), width, rect.height()),
            Qt.AlignmentFlag.AlignCenter,
            STAR,
        )
        return right - width - 8

    def _paint_heading(self, painter: QPainter, option: QStyleOptionViewItem, label: str) -> None:
        """A client's name over its projects: small, bold, dimmed."""
        rect: QRect = option.rect
        color = QColor(option.palette.color(QPalette.ColorRole.Text))
        color.setAlphaF(0.75)
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
        painter.save()
        painter.setFont(font)
        painter.setPen(color)
        text_rect = rect.adjusted(8, 0, -8, 0)
        elided = QFontMetrics(font).elidedText(
            label.upper(), Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided
        )
        painter.restore()

    def _laid_out(
        self, line: str, width: int, font: QFont, metrics: QFontMetrics, *, left: bool = True
    ) -> QStaticText:
        """``line`` elided to ``width`` at its end, laid out (``left``: where it is drawn)."""
        if font != self._font:  # laid out for another font: start again
            self._texts.clear()
            self._font = QFont(font)
        key = (line, width, left)
        laid = self._texts.get(key)
        if laid is not None:
            self._texts.move_to_end(key)
            return laid
        # Names are cut at their end, wherever they stand: "Acme Corpor…", not "…e Corporation".
        laid = QStaticText(metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(width, 0)))
        laid.setTextFormat(Qt.TextFormat.PlainText)
        laid.prepare(QTransform(), font)
        self._texts[key] = laid
        if len(self._texts) > self.TEXTS_KEPT:
            self._texts.popitem(last=False)
        return laid

    def _color(self, name: str) -> QColor:
        color = self._colors.get(name)
        if color is None:
            color = self._colors[name] = QColor(name)
        return color
