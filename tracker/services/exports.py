"""Report exports: detailed, summary and weekly tables as CSV, JSON, XLSX (or PDF).

A table's rows are written as they are read from the source, so an export of a year takes
little memory; a progress callback hears how far it got and a cancel check can stop it. The
file is written beside its final name under a hidden temporary name and renamed only when
complete, so the final name never holds half a file; a full disk or any write error leaves
nothing behind and says what happened in one sentence.

The detailed columns are Clockify's detailed CSV export's, less those the local store
cannot know (User, Group and Email name the profile; rates only when known).

PDF needs Qt, which this layer never imports: callers that can render it pass a writer for
``"pdf"`` (:mod:`tracker.integrations.pdf`).
"""

from __future__ import annotations

import csv
import errno
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import Any, Protocol

from tracker.services.errors import ServiceError
from tracker.services.reports import Group, ReportQuery, ReportSource

__all__ = [
    "DETAILED_COLUMNS",
    "FORMATS",
    "KINDS",
    "ExportCancelled",
    "ExportError",
    "ExportResult",
    "Table",
    "TableWriter",
    "decimal_hours",
    "export",
    "format_for",
    "hours_text",
]

KINDS = ("detailed", "summary", "weekly")
FORMATS = ("csv", "json", "xlsx", "pdf")

DETAILED_COLUMNS = (
    "Project",
    "Client",
    "Description",
    "Task",
    "User",
    "Email",
    "Tags",
    "Billable",
    "Start Date",
    "Start Time",
    "End Date",
    "End Time",
    "Duration (h)",
    "Duration (decimal)",
    "Billable Rate",
    "Billable Amount",
)
"""Clockify's detailed CSV columns that the local store can fill (no Group: groups are
Clockify's team groups, unknown here)."""

WEEKLY_MAX_DAYS = 31
"""A weekly table has one column per day; longer periods would be unreadable."""

_CHECK_EVERY = 200
"""Rows between two progress calls and cancel checks."""

Cell = str | int | float | bool | None
Progress = Callable[[int, int | None], None]


class ExportError(ServiceError):
    """The export could not be written; nothing was left under the final name."""


class ExportCancelled(ServiceError):
    """The person cancelled the export; nothing was written."""


@dataclass
class Table:
    """What a writer writes: a title, columns and rows (read lazily), and their count."""

    title: str
    subtitle: str
    columns: tuple[str, ...]
    rows: Iterable[tuple[Cell, ...]]
    expected: int | None
    """How many rows will come (for progress), when known."""
    footer: str = ""
    json_rows: Iterable[dict[str, Any]] | None = None
    """For JSON: structured items instead of ``rows`` (a summary's nested groups)."""


class TableWriter(Protocol):
    """Writes ``table`` to an open binary file, calling ``tick`` after each row."""

    def __call__(self, table: Table, out: Any, tick: Callable[[], None]) -> None: ...


@dataclass(frozen=True)
class ExportResult:
    """What was written."""

    path: Path
    rows: int


def format_for(path: Path, chosen: str | None = None) -> str:
    """The format to write: ``chosen``, else the file's extension.

    Raises:
        ExportError: for an unknown format or extension.
    """
    fmt = (chosen or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(
            f"Cannot tell the format from {path.name!r}; end the name in "
            f"{', '.join('.' + f for f in FORMATS)} or give --format."
        )
    return fmt


def hours_text(seconds: int) -> str:
    """``H:MM:SS``, Clockify's "Duration (h)"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def decimal_hours(seconds: int) -> float:
    """Hours with two decimals, Clockify's "Duration (decimal)"."""
    return round(seconds / 3600, 2)


def _money(cents: int | None) -> str | None:
    return None if cents is None else f"{cents // 100}.{cents % 100:02d}"


# --- tables ---------------------------------------------------------------------------------


def detailed_table(
    source: ReportSource, query: ReportQuery, zone: tzinfo, user: str, email: str
) -> Table:
    """One row per entry (its part inside the period), oldest first."""

    def rows() -> Iterator[tuple[Cell, ...]]:
        for item in source.entries(query):
            start, end = item.start.astimezone(zone), item.end.astimezone(zone)
            yield (
                item.project or "",
                item.client or "",
                item.description,
                item.task or "",
                item.user or user,
                "" if item.user else email,
                ", ".join(item.tags),
                "Yes" if item.billable else "No",
                start.date().isoformat(),
                start.strftime("%H:%M:%S"),
                end.date().isoformat(),
                end.strftime("%H:%M:%S"),
                hours_text(item.seconds),
                decimal_hours(item.seconds),
                _money(item.rate_cents),
                _money(item.amount_cents),
            )

    return Table(
        title="Detailed report",
        subtitle=_period(query),
        columns=DETAILED_COLUMNS,
        rows=rows(),
        expected=source.count(query),
    )


def summary_table(source: ReportSource, query: ReportQuery) -> Table:
    """One row per group at each level (a level's column names it), then the total."""
    report = source.report(query)
    names = tuple(level.capitalize() for level in query.group_by)

    def flat(groups: Iterable[Group], depth: int) -> Iterator[tuple[Cell, ...]]:
        for group in groups:
            labels = [""] * len(names)
            labels[depth] = group.label
            yield (
                *labels,
                hours_text(group.seconds),
                decimal_hours(group.seconds),
                _money(group.amount_cents),
            )
            yield from flat(group.children, depth + 1)

    def items() -> Iterator[dict[str, Any]]:
        for group in report.groups:
            yield group.to_json()

    count = _count(report.groups)
    return Table(
        title="Summary report",
        subtitle=f"{_period(query)} · {report.label}",
        columns=(*names, "Duration (h)", "Duration (decimal)", "Amount"),
        rows=flat(report.groups, 0),
        expected=count,
        footer=f"Total {hours_text(report.total_seconds)}",
        json_rows=items(),
    )


def weekly_table(source: ReportSource, query: ReportQuery) -> Table:
    """One row per group of the first level, one column per day, and a total column.

    Raises:
        ExportError: for a period over :data:`WEEKLY_MAX_DAYS` days.
    """
    if query.days > WEEKLY_MAX_DAYS:
        raise ExportError(
            f"A weekly export covers at most {WEEKLY_MAX_DAYS} days (one column each); "
            f"this period has {query.days}. Choose a shorter period or a summary export."
        )
    first = query.group_by[0] if query.group_by[0] != "date" else "project"
    report = source.report(ReportQuery(**{**_fields(query), "group_by": (first, "date")}))
    days = [query.start + timedelta(days=n) for n in range(query.days)]

    def rows() -> Iterator[tuple[Cell, ...]]:
        for group in report.groups:
            by_day = {child.key: child.seconds for child in group.children}
            yield (
                group.label,
                *(hours_text(by_day.get(d.isoformat(), 0)) for d in days),
                hours_text(group.seconds),
            )
        yield ("Total", *(hours_text(s) for _, s in report.days), hours_text(report.total_seconds))

    return Table(
        title="Weekly report",
        subtitle=_period(query),
        columns=(first.capitalize(), *(f"{d:%a} {d.isoformat()}" for d in days), "Total"),
        rows=rows(),
        expected=len(report.groups) + 1,
    )


def _fields(query: ReportQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in query.__dataclass_fields__}


def _count(groups: Iterable[Group]) -> int:
    return sum(1 + _count(g.children) for g in groups)


def _period(query: ReportQuery) -> str:
    if query.start == query.end:
        return query.start.isoformat()
    return f"{query.start.isoformat()} to {query.end.isoformat()}"


# --- writers ----------------------------------------------------------------------------------


def write_csv(table: Table, out: Any, tick: Callable[[], None]) -> None:
    """CSV with a header row, UTF-8 with a byte-order mark (so spreadsheets read accents)."""
    import io  # noqa: PLC0415 - only the CSV writer needs a text wrapper

    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if cell is None else _safe_cell(cell) for cell in row])
        tick()
    text.flush()
    text.detach()


def _safe_cell(cell: Cell) -> Cell:
    """A text starting with ``= + - @`` would run as a formula in a spreadsheet; quote it."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def write_json(table: Table, out: Any, tick: Callable[[], None]) -> None:
    """A JSON object with the title and an array of rows, written item by item."""
    head = {"title": table.title, "period": table.subtitle, "columns": list(table.columns)}
    out.write(json.dumps(head, ensure_ascii=False)[:-1].encode())
    out.write(b', "rows": [')
    items: Iterable[Any] = (
        table.json_rows
        if table.json_rows is not None
        else (dict(zip(table.columns, row, strict=True)) for row in table.rows)
    )
    separator = b"\n  "
    for item in items:
        out.write(separator + json.dumps(item, ensure_ascii=False).encode())
        separator = b",\n  "
        tick()
    out.write(b"\n]}\n")


def write_xlsx(table: Table, out: Any, tick: Callable[[], None]) -> None:
    """An XLSX workbook written row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook  # noqa: PLC0415 - heavy, and only exports need it
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31])

    def text(value: str) -> WriteOnlyCell:
        """A cell that stays text: openpyxl would store ``=...`` as a formula."""
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    sheet.append(list(table.columns))
    for row in table.rows:
        sheet.append([text(cell) if isinstance(cell, str) else cell for cell in row])
        tick()
    book.save(out)


WRITERS: dict[str, TableWriter] = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx}


# --- the export ------------------------------------------------------------------------------


def export(
    source: ReportSource,
    query: ReportQuery,
    path: Path,
    *,
    kind: str = "detailed",
    fmt: str | None = None,
    zone: tzinfo,
    user: str = "",
    email: str = "",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    writers: Mapping[str, TableWriter] | None = None,
) -> ExportResult:
    """Write the ``kind`` table of ``query`` to ``path`` in ``fmt`` (else its extension).

    Raises:
        ExportError: unknown kind or format, a full disk, a folder that cannot be written.
        ExportCancelled: ``cancelled()`` turned true; nothing was left behind.
    """
    fmt = format_for(path, fmt)
    writer = {**WRITERS, **(writers or {})}.get(fmt)
    if writer is None:
        raise ExportError(f"{fmt.upper()} export is not available here.")
    if kind == "detailed":
        table = detailed_table(source, query, zone, user, email)
    elif kind == "summary":
        table = summary_table(source, query)
    elif kind == "weekly":
        table = weekly_table(source, query)
    else:
        raise ExportError(f"Unknown export {kind!r}; choose {', '.join(KINDS)}.")
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if done % _CHECK_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled("Export cancelled; nothing was written.")
            if progress is not None:
                progress(done, table.expected)

    _write_atomically(path, lambda out: writer(table, out, tick))
    if progress is not None:
        progress(done, table.expected)
    return ExportResult(path=path, rows=done)


def _write_atomically(path: Path, write: Callable[[Any], None]) -> None:
    """Write to a hidden file beside ``path``, sync it, and rename it over ``path``."""
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise ExportError(f"There is no folder {str(folder)!r} to write {path.name!r} into.")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise _error(exc, path) from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _error(exc, path) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _error(exc: OSError, path: Path) -> ExportError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportError(
            f"The disk is full: {path.name!r} was not written (nothing was left behind). "
            "Free some space or choose another place."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(f"Cannot write into {str(path.parent)!r}: permission denied.")
    if exc.errno == errno.EISDIR:
        return ExportError(f"{str(path)!r} is a folder; give a file name.")
    return ExportError(f"Cannot write {str(path)!r}: {exc.strerror or exc}.")
