"""Labelled fields that take as many rows as the width needs: four pairs to a row on a wide
window, fewer on a narrow one or at a large scale, one under the other at the narrowest.

A plain grid of four pairs a row makes the window at least as wide as all of them: at scale 2
on a 1280-pixel screen the page runs past the screen's edge and its last fields cannot be
reached. This widget says it can be as narrow as one pair, and lays its pairs out again when
its width crosses what a row of them needs.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

__all__ = ["ReflowPairs"]


class ReflowPairs(QWidget):
    """``(caption, field)`` pairs in a grid of at most ``most`` pairs a row."""

    def __init__(
        self, pairs: Sequence[tuple[QLabel, QWidget]], most: int = 4, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.pairs = tuple(pairs)
        self.most = max(1, most)
        self.per_row = 0
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self._arrange(self.most)

    def row_width(self, per_row: int) -> int:
        """The width a row of ``per_row`` pairs needs: each column of captions and of
        fields as wide as its widest, with the grid's spacing between them."""
        spacing = max(0, self.grid.horizontalSpacing())
        width = spacing * (2 * per_row - 1)
        for place in range(per_row):
            column = self.pairs[place::per_row]
            width += max((c.sizeHint().width() for c, _f in column), default=0)
            width += max((f.minimumSizeHint().width() for _c, f in column), default=0)
        return width

    def fitting(self, width: int) -> int:
        """How many pairs a row of ``width`` pixels holds (at least one)."""
        return next((n for n in range(self.most, 1, -1) if self.row_width(n) <= width), 1)

    def minimumSizeHint(self) -> QSize:
        """As narrow as one pair: the window may be narrower than a row of four."""
        hint = super().minimumSizeHint()
        return QSize(self.row_width(1), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(self.fitting(event.size().width()))
        super().resizeEvent(event)

    def _arrange(self, per_row: int) -> None:
        if per_row == self.per_row:
            return
        self.per_row = per_row
        for caption, field in self.pairs:
            self.grid.removeWidget(caption)
            self.grid.removeWidget(field)
        for column in range(2 * self.most):
            self.grid.setColumnStretch(column, 0)
        for number, (caption, field) in enumerate(self.pairs):
            row, place = divmod(number, per_row)
            self.grid.addWidget(caption, row, 2 * place)
            self.grid.addWidget(field, row, 2 * place + 1)
        for place in range(per_row):
            self.grid.setColumnStretch(2 * place + 1, 1)
        self.updateGeometry()
