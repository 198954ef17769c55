"""``tracker audit``: who created, changed or deleted what in the workspace, and when.

``tracker audit [--from D --to D] [--author A]... [--action A]... [--json|--csv] [--out FILE]``
reads Clockify's audit log (an Enterprise feature, for the owner and admins) 50 events a
request, newest first, with a progress line on a terminal. A read that stops early (the
budget or ``--max-requests`` spent, Clockify gone) still prints or writes what it read and
says why. Authors are people's names or ids, ``me``, or ``system`` for Clockify's own
changes; actions are the audit log's names (``delete-project``, ``UPDATE_TIME_PERSONAL``).
On a Free budget the cost is said first and asked for (``--yes`` where no one can answer).
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.cli.admin_verbs import confirm, require_admin_account, run_online
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.services.audit import AuditQuery, AuditRead

__all__ = ["arguments", "cmd_audit"]

DEFAULT_DAYS = 7
"""Without ``--from``, the last week is read."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """The filters and the output options."""
    parser.description = (
        "Who created, changed or deleted time, projects, tasks, clients, tags and expenses "
        "in the workspace, newest first (Clockify's audit log: the Enterprise plan, for the "
        "owner and admins). Read 50 events a request; CSV and JSON hold each change's "
        "before and after."
    )
    parser.add_argument("--from", dest="since", metavar="DAY", help="first day (default: -6)")
    parser.add_argument("--to", dest="until", metavar="DAY", help="last day (default: today)")
    parser.add_argument(
        "--author",
        action="append",
        metavar="A",
        help="a person's name or id, me, or system (repeat for more; default: everyone)",
    )
    parser.add_argument(
        "--action",
        action="append",
        metavar="A",
        help="e.g. delete-project, update-time-personal (repeat for more; default: all)",
    )
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="print or write CSV")
    parser.add_argument("--out", metavar="FILE", help="write to FILE (.csv or .json)")
    parser.add_argument(
        "--max-requests", type=int, metavar="N", help="stop after N requests (N x 50 events)"
    )
    parser.add_argument("--yes", action="store_true", help="read without asking about the cost")


def cmd_audit(rt: Runtime) -> int:
    """Read the audit log and print or write it."""
    from tracker.services.abilities import plan_lacks  # noqa: PLC0415
    from tracker.services.audit import AUDIT_LOG, AuditLog  # noqa: PLC0415

    require_admin_account(rt)
    if plan_lacks(rt.store, AUDIT_LOG):
        raise UserError(
            "This workspace's Clockify plan has no audit log (it is an Enterprise feature)."
        )
    said = AuditLog(rt.context).refusal()
    if said is not None:
        raise UserError(said)
    query = _query(rt)
    out = Path(rt.args.out) if rt.args.out else None
    fmt = _format(rt, out)
    max_requests = rt.args.max_requests
    if max_requests is not None and max_requests < 1:
        raise UserError("--max-requests must be at least 1.")
    found = _read(rt, query, max_requests)
    if out is not None:
        _write(found, out, fmt)
        print(f"Wrote {len(found.events)} events to {one_line(str(out))}.", file=sys.stderr)
    elif fmt == "csv":
        _print_csv(rt, found)
    else:
        rt.emit(_json(found), _lines(rt, found))
    if found.stopped is not None:
        print(f"tracker: {one_line(found.stopped)}", file=sys.stderr)
    return 0


def _query(rt: Runtime) -> AuditQuery:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415
    from tracker.services.audit import AuditQuery, action_named  # noqa: PLC0415

    today = rt.day("today")
    first = rt.day(rt.args.since) if rt.args.since else today - timedelta(days=DEFAULT_DAYS - 1)
    last = rt.day(rt.args.until) if rt.args.until else today
    if last < first:
        raise UserError(f"--to ({last}) is before --from ({first}).")
    zone = rt.zone()
    start = datetime.combine(first, time.min, zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
    try:
        actions = tuple(dict.fromkeys(action_named(a) for a in rt.args.action or ()))
    except AdminError as exc:
        raise UserError(exc.message) from exc
    return AuditQuery(start, end - timedelta(seconds=1), actions=actions)


def _format(rt: Runtime, out: Path | None) -> str:
    if out is None:
        return "csv" if rt.args.csv else "json" if rt.as_json else "text"
    if rt.args.csv:
        return "csv"
    suffix = out.suffix.lower().lstrip(".")
    if rt.as_json or suffix == "json":
        return "json"
    if suffix == "csv":
        return "csv"
    raise UserError(f"Cannot tell the format from {out.name!r}; end it in .csv or .json.")


def _read(rt: Runtime, query: AuditQuery, max_requests: int | None) -> AuditRead:
    """Resolve the authors, say the cost on a Free budget, and read with a progress line."""
    from tracker.services.admin_base import AdminError  # noqa: PLC0415
    from tracker.services.audit import AuditLog, AuditQuery  # noqa: PLC0415

    line = _ProgressLine()

    async def work(api: ClockifyClient | None) -> AuditRead:
        service = AuditLog(rt.context, api)
        estimate = service.estimate()
        if estimate.free_plan and not confirm(rt, _cost(estimate.sentence())):
            raise UserError("Not read.")
        authors = await service.author_ids(rt.args.author or ())
        asked = AuditQuery(query.start, query.end, authors, query.actions)
        try:
            return await service.read(asked, progress=line.show, max_requests=max_requests)
        finally:
            line.done()

    try:
        return run_online(rt, work)
    except AdminError as exc:
        raise UserError(exc.message) from exc


def _cost(sentence: str) -> str:
    """``confirm`` says "This will ..."; the estimate is its own sentence."""
    return "read the audit log. " + sentence.rstrip(".")


class _ProgressLine:
    """``Reading the audit log: 3 requests, 150 events`` rewritten in place on a terminal;
    nothing when stderr is not one.

    It is written past the filter that shows control characters as ``\\uXXXX`` (the
    carriage return and the erase-line sequence must reach the terminal); the line holds
    only tracker's own words and counts, never text from Clockify.
    """

    def __init__(self) -> None:
        self.shown = False
        self.tty = sys.stderr.isatty()

    @staticmethod
    def _put(text: str) -> None:
        stream = getattr(sys.stderr, "stream", sys.stderr)
        if stream is not None:
            stream.write(text)
            stream.flush()

    def show(self, requests: int, events: int) -> None:
        if not self.tty:
            return
        plural = "" if requests == 1 else "s"
        self._put(f"\rReading the audit log: {requests} request{plural}, {events} events\x1b[K")
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self._put("\r\x1b[K")
            self.shown = False


def _write(found: AuditRead, out: Path, fmt: str) -> None:
    from tracker.services.audit import write_file  # noqa: PLC0415
    from tracker.services.exports import ExportError  # noqa: PLC0415

    try:
        write_file(out, found, fmt)
    except ExportError as exc:
        raise UserError(str(exc)) from exc


def _json(found: AuditRead) -> dict[str, Any]:
    from tracker.services.audit import COLUMNS, row  # noqa: PLC0415

    return {
        "events": [dict(zip(COLUMNS, row(e), strict=True)) for e in found.events],
        "complete": found.complete,
        "stopped": found.stopped,
        "requests": found.requests,
        "skipped": found.skipped,
    }


def _print_csv(rt: Runtime, found: AuditRead) -> None:
    from tracker.services.audit import COLUMNS, csv_row  # noqa: PLC0415

    writer = csv.writer(rt.out)
    writer.writerow(COLUMNS)
    for event in found.events:
        writer.writerow(csv_row(event))


def _lines(rt: Runtime, found: AuditRead) -> list[str]:
    from tracker.services.audit import author, subject  # noqa: PLC0415

    if not found.events:
        return ["No audit events in that period."]
    zone = rt.zone()
    rows = [
        [
            e.timestamp.astimezone(zone).strftime("%Y-%m-%d %H:%M") if e.timestamp else "",
            e.action,
            one_line(author(e)),
            one_line(subject(e)),
        ]
        for e in found.events
    ]
    plural = "" if len(found.events) == 1 else "s"
    return [
        *table(["When", "Action", "Author", "About"], rows),
        f"{len(found.events)} event{plural}, {found.requests} requests.",
    ]
