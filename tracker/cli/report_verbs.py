"""Verbs for reports: ``tracker report`` (grouped totals) and ``tracker export FILE``.

With a Clockify account both read Clockify's Reports host (``"source": "clockify"`` and the
``"as_of"`` time under ``--json``), through the request budget every process shares; a report
fetched minutes ago is shown again without a request. Without an account, with
``--offline``, or when Clockify cannot be reached, they read the local store and say so
("your entries on this computer"). ``--user all|NAME`` asks for others' time, only where the
person's role allows it. On a Free workspace a report costing more than a few requests says
its cost and asks first (``--yes`` where no one can answer).

A report is a read: it changes nothing, so it does not take the sync lease (the lease keeps
one sender of changes per store); its requests are counted in the same budget as sync's.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.domain.durations import format_clock
from tracker.services.catalog import Catalog
from tracker.services.exports import (
    ExportError,
    ExportResult,
    TableWriter,
    export,
    format_for,
    hours_text,
)
from tracker.services.exports import _safe_cell as safe_cell
from tracker.services.reports import (
    PERIODS,
    Group,
    LocalReportSource,
    Report,
    ReportError,
    ReportQuery,
    ReportSource,
    ReportUnavailableError,
    amounts_note,
    named_period,
)

if TYPE_CHECKING:
    from tracker.services.reports_online import OnlineReportSource

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
    report, requests = _report(rt, query)
    if rt.as_json:
        rt.emit({**report.to_json(), "requests": requests})
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
    if cents is None:
        return "unknown"
    sign, whole = ("-" if cents < 0 else ""), abs(cents)  # a loss is a negative profit
    return f"{sign}{whole // 100}.{whole % 100:02d}"


def _lines(report: Report) -> list[str]:
    query = report.query
    period = str(query.start) if query.start == query.end else f"{query.start} to {query.end}"
    lines = [f"{report.label}: {period} ({report.zone}), as of {report.as_of:%Y-%m-%d %H:%M} UTC"]
    if not report.entries:
        return [*lines, "No entries in this period."]
    money = report.source == "local" and report.amount_cents is not None
    rows = [
        [
            "  " * depth + group.label,
            format_clock_seconds(group.seconds),
            "?" if group.billable_seconds is None else format_clock_seconds(group.billable_seconds),
            *([_money_or_dash(group.amount_cents)] if money else []),
        ]
        for depth, group in _flat(report.groups)
    ]
    title = " / ".join(level.capitalize() for level in query.group_by)
    lines += ["", *table([title, "Time", "Billable", *(["Amount"] if money else [])], rows), ""]
    lines.append(
        f"Total {format_clock_seconds(report.total_seconds)}, billable "
        f"{format_clock_seconds(report.billable_seconds)}, amount "
        + (
            _totals_money(report)
            if report.amount_cents is not None
            else "unknown"
            if report.source == "local"
            else "hidden"
        )
        + (" (a timer is running)" if report.running else "")
    )
    note = amounts_note(report, _FETCH_RATES)
    return [*lines, note] if note else lines


_FETCH_RATES = "`tracker admin team` and `tracker admin projects` fetch them"


def _money_or_dash(cents: int | None) -> str:
    return "—" if cents is None else _money(cents)


def _totals_money(report: Report) -> str:
    """Earned, and cost and profit when known, in the report's currency."""
    currency = f" {report.currency}" if report.currency else ""
    text = f"{_money(report.amount_cents or 0)}{currency}"
    if report.source == "local" and report.cost_cents is not None:
        text += f", cost {_money(report.cost_cents)}, profit {_money(report.profit_cents or 0)}"
    return text


def format_clock_seconds(seconds: int) -> str:
    """Seconds as ``H:MM:SS``."""
    return format_clock(timedelta(seconds=seconds))


def _write_csv(report: Report, out: TextIO) -> None:
    levels = report.query.group_by
    writer = csv.writer(out)
    writer.writerow([*(lvl.capitalize() for lvl in levels), "Seconds", "Duration (h)", "Amount"])
    for depth, group in _flat(report.groups):
        labels = [""] * len(levels)
        labels[depth] = str(safe_cell(group.label))  # a name may start with = (a formula)
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
    profile = rt.store.meta.profile()
    show = sys.stderr.isatty() and not rt.as_json

    def progress(done: int, total: int | None) -> None:
        if show:
            of = f"/{total}" if total else ""
            print(f"\rExporting… {done}{of} rows", end="", file=sys.stderr, flush=True)

    def write(source: ReportSource) -> ExportResult:
        try:
            return export(
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

    spent = _spent(rt)
    source, result = _export_from(rt, _online_source(rt, query, kind=args.kind), write)
    data: dict[str, Any] = {
        "source": source.name,
        "label": source.label,
        "file": str(result.path),
        "kind": args.kind,
        "format": fmt,
        "rows": result.rows,
        "from": query.start.isoformat(),
        "to": query.end.isoformat(),
        "requests": _spent(rt) - spent,
    }
    rt.emit(
        data,
        [
            f"Wrote {result.rows} rows ({args.kind}, {fmt}) to {result.path}: "
            f"{source.label[0].lower() + source.label[1:]}."
        ],
    )
    return 0


def _export_from(
    rt: Runtime,
    online: OnlineReportSource | None,
    write: Callable[[ReportSource], ExportResult],
) -> tuple[ReportSource, ExportResult]:
    """Export from Clockify, else (or when it cannot be reached) from the local store."""
    if online is None:
        local = LocalReportSource(rt.context)
        return local, write(local)
    try:
        return online, write(online)
    except ReportUnavailableError as exc:
        if online.person.team:
            raise UserError(_unreachable(exc) + ".") from exc
        _note(f"{_unreachable(exc)}; exporting your entries on this computer instead.")
    except ReportError as exc:
        raise UserError(exc.message) from exc
    local = LocalReportSource(rt.context)
    return local, write(local)


# --- Clockify -------------------------------------------------------------------------------


def _note(message: str) -> None:
    print(f"tracker: {message}", file=sys.stderr)


def _unreachable(exc: ReportUnavailableError) -> str:
    return exc.message.rstrip(".")


def _spent(rt: Runtime) -> int:
    """Requests sent in the last hour by every process on this store."""
    if not rt.store.meta.account():
        return 0
    from tracker.sync.runner import budget_for  # noqa: PLC0415 - loads the API

    return budget_for(rt.store, rt.store.meta.workspace_id()).spent()


def _wants_online(rt: Runtime) -> bool:
    """Whether Clockify is asked: an account (or a key) and no ``--offline``."""
    who = (rt.args.user or "me").strip().casefold()
    if rt.args.offline:
        if who != "me":
            raise UserError("--user needs Clockify; leave out --offline.")
        return False
    if not rt.key_configured():
        if who != "me":
            raise UserError("--user needs a Clockify account: run `tracker login` first.")
        return False
    if rt.store.meta.account() is None:
        rt.fetch_references_once()  # connects the key from the environment
    return rt.store.meta.account() is not None and bool(rt.store.meta.workspace_id())


def _online_source(rt: Runtime, query: ReportQuery, *, kind: str) -> OnlineReportSource | None:
    """The Clockify source for this call, with whose time it shows settled and its cost
    agreed to; ``None`` for the local store."""
    if not _wants_online(rt):
        return None
    from tracker.api import ClockifyClient  # noqa: PLC0415 - network verbs only
    from tracker.services.reports_online import (  # noqa: PLC0415
        OnlineReportSource,
        Person,
        online_label,
    )
    from tracker.sync.runner import budget_for  # noqa: PLC0415

    store = rt.store
    key = rt.api_key()
    servers = rt.servers()
    workspace_id = store.meta.workspace_id()

    def connect() -> ClockifyClient:
        return ClockifyClient(key, servers=servers, budget=budget_for(store, workspace_id))

    source = OnlineReportSource(rt.context, connect, Person(), refresh=rt.args.refresh)
    who = (rt.args.user or "me").strip()
    if who.casefold() != "me":
        try:
            access = source.run(lambda online: online.access())
            if not access.sees_team:
                raise UserError(
                    "Clockify shows you only your own time in this workspace (only the owner, "
                    "admins and managers see others'); leave out --user."
                )
            if who.casefold() == "all":
                source.person = Person("all")
            else:
                source.person = source.run(lambda online: online.find_person(who))
        except ReportUnavailableError as exc:
            raise UserError(_unreachable(exc) + ".") from exc
        except ReportError as exc:
            raise UserError(exc.message) from exc
        source.label = online_label(source.person)
    _agree(rt, source, query, kind)
    return source


def _agree(rt: Runtime, source: OnlineReportSource, query: ReportQuery, kind: str) -> None:
    """On a Free workspace, a report costing more than a few requests runs only once the
    person agreed (a question on a terminal, else ``--yes``)."""
    from tracker.services.reports_online import ASK_ABOVE  # noqa: PLC0415
    from tracker.sync.runner import budget_for  # noqa: PLC0415

    reports = source.offline()
    if not reports.free_plan() or rt.args.yes:
        return
    if kind == "detailed":
        cost, at_least = reports.pieces(query), "at least "
    else:
        cost, at_least = reports.cost(query, refresh=source.refresh), ""
    if cost <= ASK_ABOVE:
        return
    left = budget_for(rt.store, reports.workspace_id).remaining()
    said = (
        f"This report costs {at_least}{cost} requests of the 30 an hour your Free workspace "
        f"allows for everything, sync included ({left if left is not None else 'no limit'} "
        "left now)"
    )
    if sys.stdin.isatty() and sys.stderr.isatty() and not rt.as_json:
        print(f"{said}. Go on? [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().casefold() in ("y", "yes"):
            return
        raise UserError("Not run: nothing was asked of Clockify.")
    raise UserError(
        f"{said}; run again with --yes to spend them, or with --offline for your entries on "
        "this computer."
    )


def _report(rt: Runtime, query: ReportQuery) -> tuple[Report, int]:
    """The report from Clockify (or its kept copy when Clockify cannot be reached), else
    from the local store; and how many requests it cost."""
    online = _online_source(rt, query, kind="summary")
    if online is None:
        return LocalReportSource(rt.context).report(query), 0
    spent = _spent(rt)
    try:
        return online.report(query), _spent(rt) - spent
    except ReportUnavailableError as exc:
        problem = _unreachable(exc)
    except ReportError as exc:
        raise UserError(exc.message) from exc
    kept = online.offline().kept(query)
    if kept is not None:
        _note(f"{problem}; showing the copy fetched at {kept.as_of:%Y-%m-%d %H:%M} UTC.")
        return kept, _spent(rt) - spent
    if online.person.team:
        raise UserError(problem + ".")
    _note(f"{problem}; showing your entries on this computer.")
    return LocalReportSource(rt.context).report(query), _spent(rt) - spent
