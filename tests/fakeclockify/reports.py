"""The Reports host's arithmetic: which entries a report covers and what they add up to.

Computed from the stored entries of every user, the way the Reports host answers (FACTS §4,
§6 "Reports", §8): durations in whole seconds, money in cents from the entry's hourly rate
(task, then project, then the member's, then the workspace's), ``_id`` as the id key (totals
carry ``_id: ""``), timestamps in the report's time zone with its offset. The range is read
as wall-clock time in the body's ``timeZone`` (else the caller's profile zone), and the
caller sees only the entries their role allows (:mod:`tests.fakeclockify.access`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tests.fakeclockify.access import check_report_range, visible_entries
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import Entry, Rate, User, WorkspaceData
from tests.fakeclockify.routing import Request, body_object, body_str
from tests.fakeclockify.wire import parse_wall_clock

__all__ = [
    "GROUPS",
    "ReportQuery",
    "Row",
    "billable_row",
    "daily_totals",
    "entry_dto",
    "group_tree",
    "parse_query",
    "report_rows",
    "totals_dto",
]

GROUPS = frozenset(
    {
        "PROJECT",
        "CLIENT",
        "TASK",
        "TAG",
        "USER",
        "DATE",
        "MONTH",
        "YEAR",
        "TIMEENTRY",
        "BILLABILITY",
    }
)
"""Summary grouping levels the test server knows (Clockify's report group names)."""

_WITHOUT = {
    "PROJECT": "Without project",
    "CLIENT": "Without client",
    "TASK": "Without task",
    "TAG": "Without tag",
}


@dataclass(frozen=True)
class ReportQuery:
    """A report body read once: the range (epoch seconds and calendar days), the zone, which
    amount to show, and the filter body itself."""

    kind: str
    zone: ZoneInfo
    low: int
    high: int
    first_day: date
    last_day: date
    amount_shown: str
    amount_types: tuple[str, ...]
    body: dict[str, Any]
    people: Mapping[str, User]

    def name_of(self, user_id: str) -> str:
        """A user's name as reports show it (the email when they never set one)."""
        user = self.people.get(user_id)
        return (user.name or user.email) if user else ""

    def email_of(self, user_id: str) -> str:
        """A user's email."""
        user = self.people.get(user_id)
        return user.email if user else ""

    def local(self, epoch: int) -> datetime:
        """An instant in the report's zone."""
        return datetime.fromtimestamp(epoch, self.zone)

    def stamp(self, epoch: int) -> str:
        """An instant as the Reports host writes it: local time with the zone's offset."""
        return self.local(epoch).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Row:
    """One entry with what reports add up: seconds and money in cents."""

    entry: Entry
    seconds: int
    rate: int
    earned: int
    cost: int

    def amount(self, shown: str) -> int:
        """The money a report shows for this entry (``amountShown``)."""
        if shown == "COST":
            return self.cost
        if shown == "PROFIT":
            return self.earned - self.cost
        if shown == "HIDE_AMOUNT":
            return 0
        return self.earned


def _missing(name: str) -> ApiError:
    # Not on record live; the status and code are Clockify's for a business rule (FACTS §3).
    return ApiError(400, f"{name} is required", 501)


def _zone(req: Request, body: dict[str, Any]) -> ZoneInfo:
    name = body_str(body, "timeZone") or req.user.time_zone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError(400, f"Unknown time zone {name}", 501) from None


def _bound(body: dict[str, Any], name: str, zone: ZoneInfo) -> int:
    raw = body_str(body, name)
    if raw is None:
        raise _missing(name)
    try:
        return parse_wall_clock(raw, zone)
    except ValueError:
        raise ApiError(
            400,
            "JSON parse error: Cannot deserialize value of type `java.time.LocalDateTime` "
            f'from String "{raw}"',
            3002,
        ) from None


def parse_query(req: Request, kind: str, filter_key: str | None) -> ReportQuery:
    """Read a report body; refuses a missing range or filter, a reversed range and, on a Free
    workspace, a range longer than 31 days."""
    body = req.json_object()
    if filter_key is not None and body_object(body, filter_key) is None:
        raise _missing(filter_key)
    zone = _zone(req, body)
    low = _bound(body, "dateRangeStart", zone)
    high = _bound(body, "dateRangeEnd", zone)
    if high < low:
        raise ApiError(400, "dateRangeEnd must not be before dateRangeStart", 501)
    first_day = datetime.fromtimestamp(low, zone).date()
    end = datetime.fromtimestamp(high, zone)
    last_day = end.date()
    if high > low and end.time() == datetime.min.time():
        last_day -= timedelta(days=1)  # an end at midnight closes the day before
    check_report_range(req.ws, kind, first_day, last_day)
    shown = body_str(body, "amountShown") or "EARNED"
    types = body.get("amounts")
    amount_types = tuple(types) if isinstance(types, list) and types else (shown,)
    return ReportQuery(
        kind, zone, low, high, first_day, last_day, shown, amount_types, body, req.state.users
    )


# --- which entries -----------------------------------------------------------------------


def _ids_filter(spec: Any, values: Callable[[Entry], set[str]]) -> Callable[[Entry], bool] | None:
    """``{ids, contains}``: CONTAINS (any), CONTAINS_ONLY (no others), DOES_NOT_CONTAIN.

    An empty string among the ids means "without": an entry with no such value at all.
    """
    if not isinstance(spec, dict):
        return None
    ids = {str(i) for i in spec.get("ids") or []}
    if not ids:
        return None
    contains = str(spec.get("contains") or "CONTAINS")

    def keep(entry: Entry) -> bool:
        found = values(entry) or {""}
        if contains == "DOES_NOT_CONTAIN":
            return not found & ids
        if contains == "CONTAINS_ONLY":
            return found <= ids
        return bool(found & ids)

    return keep


def _status_filter(data: WorkspaceData, spec: Any) -> Callable[[Entry], bool] | None:
    """``projects.status``: ACTIVE leaves out entries on archived projects, ARCHIVED keeps
    only those, ALL (or nothing) keeps both."""
    status: object = spec.get("status") if isinstance(spec, dict) else None
    if status not in ("ACTIVE", "ARCHIVED"):
        return None
    want_archived: bool = status == "ARCHIVED"

    def keep(entry: Entry) -> bool:
        project = data.projects.get(entry.project_id or "")
        archived: bool = project is not None and project.archived
        return archived == want_archived

    return keep


def _client_ids(data: WorkspaceData, entry: Entry) -> set[str]:
    project = data.projects.get(entry.project_id or "")
    return {project.client_id} if project and project.client_id else set()


def _filters(data: WorkspaceData, body: dict[str, Any]) -> list[Callable[[Entry], bool]]:
    found = [
        _ids_filter(body.get("users"), lambda e: {e.user_id}),
        _ids_filter(body.get("projects"), lambda e: {e.project_id} if e.project_id else set()),
        _ids_filter(body.get("clients"), lambda e: _client_ids(data, e)),
        _ids_filter(body.get("tasks"), lambda e: {e.task_id} if e.task_id else set()),
        _ids_filter(body.get("tags"), lambda e: set(e.tag_ids or ())),
        _status_filter(data, body.get("projects")),
    ]
    billable = body.get("billable")
    if isinstance(billable, bool):
        found.append(lambda e: e.billable == billable)
    text = body_str(body, "description")
    if text:
        needle = text.casefold()
        found.append(lambda e: needle in e.description.casefold())
    if body.get("withoutDescription") is True:
        found.append(lambda e: not e.description.strip())
    return [f for f in found if f is not None]


def _rate(*candidates: Rate | None) -> int:
    for rate in candidates:
        if rate is not None and rate.get("amount") is not None:
            return int(rate["amount"])
    return 0


def _row(data: WorkspaceData, entry: Entry) -> Row:
    seconds = (entry.end or entry.start) - entry.start
    task = data.tasks.get(entry.task_id or "")
    project = data.projects.get(entry.project_id or "")
    member = data.workspace.members.get(entry.user_id)
    # Most specific first, as Clockify's help page "The rate change won't apply to time
    # entries" orders them: project member, task, team member, project, workspace.
    own = project.member_rates.get(entry.user_id, {}) if project else {}
    rate = _rate(
        own.get("hourly"),
        task.hourly_rate if task else None,
        member.hourly_rate if member else None,
        project.hourly_rate if project else None,
        data.workspace.hourly_rate,
    )
    cost_rate = _rate(
        own.get("cost"),
        task.cost_rate if task else None,
        member.cost_rate if member else None,
        project.cost_rate if project else None,
        data.workspace.cost_rate,
    )
    earned = round(seconds * rate / 3600) if entry.billable else 0
    return Row(entry, seconds, rate, earned, round(seconds * cost_rate / 3600))


def report_rows(req: Request, query: ReportQuery) -> list[Row]:
    """The finished entries in range that the caller may see and the filters keep, oldest
    first."""
    data = req.ws
    visible = visible_entries(data, req.user.id)
    keep = _filters(data, query.body)
    rows = [
        _row(data, entry)
        for entry in data.entries.values()
        if entry.end is not None
        and query.low <= entry.start <= query.high
        and visible(entry)
        and all(f(entry) for f in keep)
    ]
    rows.sort(key=lambda r: (r.entry.start, r.entry.id))
    return rows


# --- what they add up to -----------------------------------------------------------------


def totals_dto(rows: Iterable[Row], query: ReportQuery) -> dict[str, Any]:
    """A ``TimeEntryReportTotals`` over the rows (``_id`` is ``""`` on totals, FACTS §4)."""
    listed = list(rows)
    amounts = [
        {"type": kind, "value": sum(r.amount(kind) for r in listed)}
        for kind in query.amount_types
        if kind != "HIDE_AMOUNT"
    ]
    return {
        "_id": "",
        "totalTime": sum(r.seconds for r in listed),
        "totalBillableTime": sum(r.seconds for r in listed if r.entry.billable),
        "entriesCount": len(listed),
        "totalAmount": sum(r.amount(query.amount_shown) for r in listed),
        "amounts": amounts,
    }


def _keys(data: WorkspaceData, row: Row, group: str, query: ReportQuery) -> list[tuple[str, str]]:
    """The (id, name) groups one entry falls in at one level (several for tags)."""
    entry = row.entry
    if group == "PROJECT":
        project = data.projects.get(entry.project_id or "")
        return [(project.id, project.name)] if project else [("", _WITHOUT[group])]
    if group == "CLIENT":
        client = data.clients.get(next(iter(_client_ids(data, entry)), ""))
        return [(client.id, client.name)] if client else [("", _WITHOUT[group])]
    if group == "TASK":
        task = data.tasks.get(entry.task_id or "")
        return [(task.id, task.name)] if task else [("", _WITHOUT[group])]
    if group == "TAG":
        tags = [data.tags[t] for t in entry.tag_ids or () if t in data.tags]
        return [(t.id, t.name) for t in tags] or [("", _WITHOUT[group])]
    if group == "USER":
        return [(entry.user_id, query.name_of(entry.user_id))]
    if group == "TIMEENTRY":
        return [(entry.description, entry.description or "(no description)")]
    if group == "BILLABILITY":
        return [("BILLABLE", "Billable")] if entry.billable else [("NON_BILLABLE", "Non-billable")]
    day = query.local(entry.start).date()
    label = {"DATE": day.isoformat(), "MONTH": day.isoformat()[:7], "YEAR": str(day.year)}[group]
    return [(label, label)]


def group_tree(
    data: WorkspaceData,
    rows: list[Row],
    groups: list[str],
    query: ReportQuery,
    *,
    sort_column: str = "GROUP",
    with_days: bool = False,
) -> list[dict[str, Any]]:
    """``GroupOneDto`` items for the first level, with ``children`` for the next ones."""
    if not groups:
        return []
    level, rest = groups[0], groups[1:]
    buckets: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        for key in _keys(data, row, level, query):
            buckets.setdefault(key, []).append(row)
    nodes: list[dict[str, Any]] = []
    for (group_id, name), members in buckets.items():
        node: dict[str, Any] = {
            "_id": group_id,
            "name": name,
            "nameLowerCase": name.lower(),
            "duration": sum(r.seconds for r in members),
            "amount": sum(r.amount(query.amount_shown) for r in members),
        }
        if level == "PROJECT" and group_id:
            project = data.projects[group_id]
            client = data.clients.get(project.client_id)
            node["clientName"] = client.name if client else ""
            node["color"] = project.color
        if with_days:
            node["days"] = daily_totals(members, query)
        if rest:
            node["children"] = group_tree(
                data, members, rest, query, sort_column=sort_column, with_days=with_days
            )
        nodes.append(node)
    if sort_column in ("DURATION", "AMOUNT", "EARNED", "COST", "PROFIT"):
        field = "duration" if sort_column == "DURATION" else "amount"
        nodes.sort(key=lambda n: (-n[field], n["nameLowerCase"], n["_id"]))
    else:
        nodes.sort(key=lambda n: (n["nameLowerCase"], n["_id"]))
    if query.body.get("sortOrder") == "DESCENDING" and sort_column == "GROUP":
        nodes.reverse()
    return nodes


def daily_totals(rows: Iterable[Row], query: ReportQuery) -> list[dict[str, Any]]:
    """One ``DailyTotalDto`` per day of the range: ``date``, ``duration``, ``amount``."""
    days: dict[date, list[int]] = {}
    span = (query.last_day - query.first_day).days + 1
    for offset in range(span):
        days[query.first_day + timedelta(days=offset)] = [0, 0]
    for row in rows:
        day = query.local(row.entry.start).date()
        if day in days:
            days[day][0] += row.seconds
            days[day][1] += row.amount(query.amount_shown)
    return [
        {"date": day.isoformat(), "duration": seconds, "amount": amount}
        for day, (seconds, amount) in days.items()
    ]


def entry_dto(data: WorkspaceData, row: Row, query: ReportQuery) -> dict[str, Any]:
    """One item of a detailed report: ``_id``, names beside ids, integer seconds, cents."""
    entry = row.entry
    project = data.projects.get(entry.project_id or "")
    client = data.clients.get(project.client_id) if project else None
    task = data.tasks.get(entry.task_id or "")
    tags = [data.tags[t] for t in entry.tag_ids or () if t in data.tags]
    return {
        "_id": entry.id,
        "description": entry.description,
        "userId": entry.user_id,
        "userName": query.name_of(entry.user_id),
        "userEmail": query.email_of(entry.user_id),
        "billable": entry.billable,
        "projectId": project.id if project else "",
        "projectName": project.name if project else "",
        "projectColor": project.color if project else "",
        "clientId": client.id if client else "",
        "clientName": client.name if client else "",
        "taskId": task.id if task else "",
        "taskName": task.name if task else "",
        "tagIds": [t.id for t in tags],
        "tags": [{"id": t.id, "name": t.name} for t in tags],
        "timeInterval": {
            "start": query.stamp(entry.start),
            "end": query.stamp(entry.end or entry.start),
            "duration": row.seconds,
        },
        "rate": row.rate,
        "amount": row.amount(query.amount_shown),
        "approvalRequestId": None,
        "locked": entry.is_locked,
        "type": entry.type,
    }


def billable_row(data: WorkspaceData, entry: Entry) -> Row:
    """One finished entry's seconds, rate and money as reports count them (invoices import
    time by the same count, so an invoice equals the report of the same time)."""
    return _row(data, entry)
