"""Report exports as real files: CSV, XLSX (openpyxl) and a small PDF a viewer renders.

The Reports host answers a report body with ``exportType`` CSV, XLSX or PDF with the file
itself instead of JSON (FACTS §6 "Reports": non-JSON exports come back as binary). Each report
first becomes a :class:`Table` (the columns Clockify's own exports have), then one writer per
format turns it into bytes, so every report kind gets every format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook

from tests.fakeclockify.model import ApiError

__all__ = ["CONTENT_TYPES", "EXPORT_TYPES", "Table", "export_file"]

CONTENT_TYPES = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "PDF": "application/pdf",
}
EXPORT_TYPES = frozenset(CONTENT_TYPES)

Cell = str | int | float


@dataclass(frozen=True)
class Table:
    """A report flattened to a title, a header row and data rows."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def export_file(table: Table, export_type: str) -> tuple[bytes, str]:
    """The file for ``export_type`` and its content type.

    Raises:
        ApiError: an export type the test server does not write (``ZIP``).
    """
    if export_type == "CSV":
        return _csv(table), CONTENT_TYPES["CSV"]
    if export_type == "XLSX":
        return _xlsx(table), CONTENT_TYPES["XLSX"]
    if export_type == "PDF":
        return _pdf(table), CONTENT_TYPES["PDF"]
    raise ApiError(400, f"Export type {export_type} is not supported for this report", 501)


def _csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: spreadsheets read it as UTF-8


def _xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31]
    sheet.append(list(table.headers))
    for row in table.rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_PAGE_LINES = 60


def _pdf_text(text: str) -> str:
    """A PDF string literal; WinAnsi covers Latin-1, anything else becomes ``?``."""
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return "(" + safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _pdf(table: Table) -> bytes:
    """A plain multi-page PDF 1.4: one Helvetica line per row, 60 lines a page."""
    lines = [table.title, " | ".join(table.headers)]
    lines += [" | ".join(str(cell) for cell in row) for row in table.rows]
    pages = [lines[i : i + _PAGE_LINES] for i in range(0, len(lines), _PAGE_LINES)] or [[]]
    objects: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for index, page in enumerate(pages):
        content_number = 5 + 2 * index
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_number} 0 R >>".encode()
        )
        text = ["BT", "/F1 8 Tf", "10 TL", "30 570 Td"]
        text += [f"{_pdf_text(line)} Tj T*" for line in page]
        text.append("ET")
        stream = "\n".join(text).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
