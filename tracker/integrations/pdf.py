"""Tables as PDF, drawn page by page with Qt (QPdfWriter and QPainter).

Rows are drawn as they arrive, one page at a time, so a long export does not hold a document
in memory. Every cell is drawn as plain text (``QPainter.drawText`` with a string, elided to
its column), never as rich text: a description holding ``<img src=...>`` prints as those
characters. Without a running Qt application (the CLI) one is made on the ``offscreen``
platform, which needs no display.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["write_pdf"]

_APP: Any = None
"""The offscreen application made for a CLI call, kept alive for the process."""

_MARGIN_MM = 12.0
_POINT_SIZE = 7.5


def _application() -> None:
    global _APP  # one application per process, made on first use
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415 - Qt only when a PDF is written

    if QGuiApplication.instance() is None:
        _APP = QGuiApplication(["tracker", "-platform", "offscreen"])


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "Yes" if cell else "No"
    return " ".join(str(cell).split())  # one line: no newline or tab moves the layout


def write_pdf(table: Any, out: Any, tick: Callable[[], None]) -> None:
    """Draw ``table`` (``title``, ``subtitle``, ``columns``, ``rows``, ``footer``) as an A4
    landscape PDF into the open binary file ``out``, calling ``tick`` after each row.

    Raises:
        OSError: the file could not be written.
    """
    _application()
    from PySide6.QtCore import QFile, QIODevice, QMarginsF  # noqa: PLC0415
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter  # noqa: PLC0415

    device = QFile()
    if not device.open(
        out.fileno(), QIODevice.OpenModeFlag.WriteOnly, QFile.FileHandleFlag.DontCloseHandle
    ):
        raise OSError(f"cannot write the PDF: {device.errorString()}")
    writer = QPdfWriter(device)
    writer.setTitle(str(table.title))
    writer.setCreator("tracker")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM, _MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        device.close()
        raise OSError("cannot start drawing the PDF")
    try:
        _draw(painter, writer, table, tick)
    finally:
        painter.end()
        device.close()
    if device.error() != QFile.FileError.NoError:
        raise OSError(f"cannot write the PDF: {device.errorString()}")


def _draw(painter: Any, writer: Any, table: Any, tick: Callable[[], None]) -> None:
    pages = _Pages(painter, writer, [_text(c) for c in table.columns])
    pages.top(_text(table.title), _text(table.subtitle))
    for raw in table.rows:
        pages.row([_text(cell) for cell in raw])
        tick()
    footer = _text(getattr(table, "footer", ""))
    if footer:
        pages.row([footer], bold=True)
    pages.bottom()


class _Pages:
    """Where the next line goes; a new page (with the column headings) when one is full."""

    def __init__(self, painter: Any, writer: Any, columns: list[str]) -> None:
        from PySide6.QtGui import QFont, QFontMetricsF  # noqa: PLC0415

        self.painter, self.writer, self.columns = painter, writer, columns
        page = writer.pageLayout().paintRectPixels(writer.resolution())
        self.width, self.height = float(page.width()), float(page.height())
        self.body = QFont()
        self.body.setPointSizeF(_POINT_SIZE)
        self.bold = QFont(self.body)
        self.bold.setBold(True)
        self.heading = QFont(self.bold)
        self.heading.setPointSizeF(_POINT_SIZE * 2)
        self.metrics = {id(f): QFontMetricsF(f, writer) for f in (self.body, self.bold)}
        self.line = self.metrics[id(self.body)].height() * 1.35
        weights = [_weight(c) for c in columns]
        self.widths = [w * self.width / sum(weights) for w in weights]
        self.number = 1
        self.y = 0.0

    def _draw(
        self, x: float, width: float, height: float, text: str, *, right: bool = False
    ) -> None:
        from PySide6.QtCore import QRectF, Qt  # noqa: PLC0415

        side = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
        self.painter.drawText(
            QRectF(x, self.y, width, height), int(side | Qt.AlignmentFlag.AlignVCenter), text
        )

    def _cells(self, cells: list[str], *, bold: bool) -> None:
        from PySide6.QtCore import Qt  # noqa: PLC0415

        font = self.bold if bold else self.body
        self.painter.setFont(font)
        measure = self.metrics[id(font)]
        x = 0.0
        widths = self.widths if len(cells) > 1 else [self.width]
        for cell, width in zip(cells, widths, strict=False):
            shown = measure.elidedText(cell, Qt.TextElideMode.ElideRight, width - self.line / 4)
            self._draw(x, width, self.line, shown)
            x += width
        self.y += self.line

    def top(self, title: str = "", subtitle: str = "") -> None:
        """The title (first page only) and the column headings."""
        from PySide6.QtCore import QPointF  # noqa: PLC0415

        self.y = 0.0
        if title:
            self.painter.setFont(self.heading)
            self._draw(0, self.width, self.line * 2, title)
            self.y += self.line * 2
            self.painter.setFont(self.body)
            self._draw(0, self.width, self.line, subtitle)
            self.y += self.line * 1.5
        self._cells(self.columns, bold=True)
        self.painter.drawLine(QPointF(0, self.y), QPointF(self.width, self.y))

    def row(self, cells: list[str], *, bold: bool = False) -> None:
        """One line of cells, on a new page when this one is full."""
        if self.y + self.line > self.height - self.line * 1.5:
            self.bottom()
            self.writer.newPage()
            self.number += 1
            self.top()
        self._cells(cells, bold=bold)

    def bottom(self) -> None:
        """The page number."""
        self.painter.setFont(self.body)
        self.y = self.height - self.line
        self._draw(0, self.width, self.line, f"Page {self.number}", right=True)


def _weight(column: str) -> float:
    """How wide a column is drawn, relative to the others (descriptions get the most room)."""
    name = column.lower()
    if name == "description":
        return 2.6
    if name in ("project", "client", "task", "tags", "user", "email", "start date", "end date"):
        return 1.5
    return 1.2
