"""Verbs for reports: ``tracker report`` (grouped totals) and ``tracker export FILE``.

Both read the local store until an online source exists, and say so ("your entries on this
computer"; ``"source": "local"`` under ``--json``). ``--offline`` asks for the local source
explicitly, which is what they use today either way.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.domain.durations import format_clock
from tracker.services.catalog import Catalog
from tracker.services.exports import (
    ExportError,
    TableWriter,
    export,
    format_for,
    hours_text,
)
from tracker.services.reports import (
    PERIODS,
    Group,
    LocalReportSource,
    Report,
    ReportError,
    ReportQuery,
    named_period,
)

__all__ = ["PDF_WRITER", "cmd_export", "cmd_report"]

PDF_WRITER: dict[str, TableWriter] = {}
"""The PDF writer, set by ``tracker.__main__`` (Qt renders PDF, and this layer never imports
it); empty when the CLI runs in-process without it."""

EXIT_USAGE = 2


class UsageError(Exception):
    """An argument in the wrong form: exit code 2."""


def _period(rt: Runtime) -> tuple[date, date]:
    args = rt.args
    profile = rt.store.meta.profile()
    if args.period and (args.since or args.to):
        raise UsageError("give a PERIOD or --from/--to, not both")
    if args.since or args.to:
        end = rt.day(args.to) if args.to else rt.context.today()
        start = rt.day(args.since) if args.since else end
        if end < start:
            raise UsageError(f"--to {end} is before --from {start}; give the first day first")
        return start, end
    name = args.period or "this-week"
    if name.strip().lower().replace("_", "-") not in PERIODS:
        raise UsageError(f"unknown period {name!r}; use one of {', '.join(PERIODS)}")
    return named_period(name, rt.context.today(), profile.week_start)


def _query(rt: Runtime, group_by: Iterable[str]) -> ReportQuery:
    args = rt.args
    start, end = _period(rt)
    catalog = Catalog(rt.context)
    projects = tuple(catalog.resolve_project(p).id for p in args.project or ())
    clients = tuple(catalog.resolve_client(c).id for c in args.client or ())
    tasks = tuple(catalog.resolve_task(t).id for t in args.task or ())
    tags = tuple(catalog.resolve_tag(t).id for t in args.tag or ())
    try:
        return ReportQuery(
            start=start,
            end=end,
            group_by=tuple(group_by),
            projects=projects,
            clients=clients,
            tasks=tasks,
            tags=tags,
            billable=args.billable,
            description=args.description,
            without_project=args.without_project,
        )
    except ReportError as exc:
        raise UsageError(exc.message) from exc


def _groups(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "project").split(",") if part.strip()]


def _usage(rt: Runtime, message: str) -> int:
    print(f"tracker: {message}\n(see `tracker {rt.args.command} --help`)", file=sys.stderr)
    return EXIT_USAGE


def cmd_report(rt: Runtime) -> int:
    """Grouped totals of a period (this week by default)."""
    try:
        query = _query(rt, _groups(rt.args.group_by))
    except UsageError as exc:
        return _usage(rt, str(exc))
    report = LocalReportSource(rt.context).report(query)
    if rt.as_json:
        rt.emit(report.to_json())
    elif rt.args.csv:
        _write_csv(report, rt.out)
    else:
        rt.emit(None, _lines(report))
    return 0


def _flat(groups: Iterable[Group], depth: int = 0) -> Iterable[tuple[int, Group]]:
    for group in groups:
        yield depth, group
        yield from _flat(group.children, depth + 1)


def _money(cents: int | None) -> str:
    return "unknown" if cents is None else f"{cents // 100}.{cents % 100:02d}"


def _lines(report: Report) -> list[str]:
    query = report.query
    period = str(query.start) if query.start == query.end else f"{query.start} to {query.end}"
    lines = [f"{report.label}: {period} ({report.zone}), as of {report.as_of:%Y-%m-%d %H:%M} UTC"]
    if not report.entries:
        return [*lines, "No entries in this period."]
    rows = [
        [
            "  " * depth + group.label,
            format_clock_seconds(group.seconds),
            format_clock_seconds(group.billable_seconds),
        ]
        for depth, group in _flat(report.groups)
    ]
    title = " / ".join(level.capitalize() for level in query.group_by)
    lines += ["", *table([title, "Time", "Billable"], rows), ""]
    lines.append(
        f"Total {format_clock_seconds(report.total_seconds)}, billable "
        f"{format_clock_seconds(report.billable_seconds)}, amount "
        + (
            f"{_money(report.amount_cents)} {report.currency or ''}".rstrip()
            if report.amount_cents is not None
            else "unknown (no rates on this computer)"
        )
        + (" (a timer is running)" if report.running else "")
    )
    return lines


def format_clock_seconds(seconds: int) -> str:
    """Seconds as ``H:MM:SS``."""
    return format_clock(timedelta(seconds=seconds))


def _write_csv(report: Report, out: TextIO) -> None:
    levels = report.query.group_by
    writer = csv.writer(out)
    writer.writerow([*(lvl.capitalize() for lvl in levels), "Seconds", "Duration (h)", "Amount"])
    for depth, group in _flat(report.groups):
        labels = [""] * len(levels)
        labels[depth] = group.label
        writer.writerow(
            [
                *labels,
                group.seconds,
                hours_text(group.seconds),
                "" if group.amount_cents is None else _money(group.amount_cents),
            ]
        )
    writer.writerow(
        [
            "Total",
            *[""] * (len(levels) - 1),
            report.total_seconds,
            hours_text(report.total_seconds),
            "",
        ]
    )


def cmd_export(rt: Runtime) -> int:
    """Write a detailed, summary or weekly table of a period to FILE."""
    args = rt.args
    path = Path(args.file)
    try:
        fmt = format_for(path, args.format)
        query = _query(rt, _groups(args.group_by))
    except UsageError as exc:
        return _usage(rt, str(exc))
    except ExportError as exc:
        return _usage(rt, exc.message)
    writers: Mapping[str, TableWriter] = PDF_WRITER
    if fmt == "pdf" and "pdf" not in writers:
        raise UserError("PDF export needs the full program (`tracker export`), not this call.")
    source = LocalReportSource(rt.context)
    profile = rt.store.meta.profile()
    show = sys.stderr.isatty() and not rt.as_json

    def progress(done: int, total: int | None) -> None:
        if show:
            of = f"/{total}" if total else ""
            print(f"\rExporting… {done}{of} rows", end="", file=sys.stderr, flush=True)

    try:
        result = export(
            source,
            query,
            path,
            kind=args.kind,
            fmt=fmt,
            zone=rt.zone(),
            user=profile.name or "",
            email=profile.email or "",
            progress=progress,
            writers=writers,
        )
    finally:
        if show:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
    data: dict[str, Any] = {
        "source": source.name,
        "label": source.label,
        "file": str(result.path),
        "kind": args.kind,
        "format": fmt,
        "rows": result.rows,
        "from": query.start.isoformat(),
        "to": query.end.isoformat(),
    }
    rt.emit(
        data,
        [
            f"Wrote {result.rows} rows ({args.kind}, {fmt}) to {result.path}: "
            f"{source.label.lower()}."
        ],
    )
    return 0
