"""The Reports host's report routes: summary, detailed, weekly and attendance.

Each answers JSON by default, or the file for ``exportType`` CSV, XLSX or PDF. The detailed
report pages by ``detailedFilter.page``/``pageSize`` in the body (FACTS §2) and the attendance
report by ``attendanceFilter.page``/``pageSize``. A weekly report must cover exactly seven days
(FACTS §4: otherwise 400 code 501). What the numbers mean is in :mod:`.reports`.
"""

from __future__ import annotations

from typing import Any

from tests.fakeclockify.exports import EXPORT_TYPES, Table, export_file
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.reports import (
    GROUPS,
    ReportQuery,
    Row,
    daily_totals,
    entry_dto,
    group_tree,
    parse_query,
    report_rows,
    totals_dto,
)
from tests.fakeclockify.routing import Reply, Request, body_int, body_object, route

__all__ = ["detailed_report", "summary_report", "weekly_report"]

_BASE = "/v1/workspaces/{workspaceId}/reports"
_DEFAULT_PAGE_SIZE = 50


def _export_type(query: ReportQuery) -> str | None:
    """The file format asked for, or None for JSON (``JSON``, ``JSON_V1`` or nothing)."""
    kind = query.body.get("exportType")
    if kind in (None, "JSON", "JSON_V1"):
        return None
    if kind not in EXPORT_TYPES and kind != "ZIP":
        raise _not_one_of("ExportType", kind)
    return str(kind)


def _not_one_of(java_type: str, value: object) -> ApiError:
    """Jackson's answer to a value outside an enum: a JSON parse error, code 3002."""
    return ApiError(
        400,
        f"JSON parse error: Cannot deserialize value of type `{java_type}` from String "
        f'"{value}": not one of the values accepted for Enum class',
        3002,
    )


def _file(table: Table, export_type: str) -> Reply:
    content, content_type = export_file(table, export_type)
    return Reply(200, content, {"Content-Type": content_type})


def _hours(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def _decimal(seconds: int) -> str:
    return f"{seconds / 3600:.2f}"


def _money(cents: int) -> str:
    return f"{cents / 100:.2f}"


def _page(filter_body: dict[str, Any], name: str) -> tuple[int, int]:
    page = body_int(filter_body, "page") or 1
    size = body_int(filter_body, "pageSize") or _DEFAULT_PAGE_SIZE
    if page < 1 or size < 1:
        raise ApiError(400, f"{name} page and pageSize must be greater than 0", 501)
    return page, size


# --- summary -----------------------------------------------------------------------------


def summary_report(req: Request, query: ReportQuery) -> dict[str, Any]:
    """The summary report's JSON body (also what a shared SUMMARY report renders)."""
    settings = body_object(query.body, "summaryFilter") or {}
    groups = settings.get("groups") or ["PROJECT"]
    if not isinstance(groups, list) or not 1 <= len(groups) <= 3:
        raise ApiError(400, "Summary report needs one to three groups", 501)
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise _not_one_of("SummaryGroup", unknown[0])
    rows = report_rows(req, query)
    sort_column = str(settings.get("sortColumn") or "GROUP")
    return {
        "groupOne": group_tree(req.ws, rows, groups, query, sort_column=sort_column),
        "totals": [totals_dto(rows, query)],
    }


def _summary_table(body: dict[str, Any], query: ReportQuery, currency: str) -> Table:
    groups = (body_object(query.body, "summaryFilter") or {}).get("groups") or ["PROJECT"]
    headers = [g.title() for g in groups] + [
        "Time (h)",
        "Time (decimal)",
        f"Amount ({currency})",
    ]
    rows: list[list[str | int | float]] = []

    def walk(nodes: list[dict[str, Any]], path: list[str]) -> None:
        for node in nodes:
            here = [*path, node["name"]]
            if node.get("children"):
                walk(node["children"], here)
            else:
                padded = here + [""] * (len(groups) - len(here))
                duration = int(node["duration"])
                rows.append([*padded, _hours(duration), _decimal(duration), _money(node["amount"])])

    walk(body["groupOne"], [])
    total = body["totals"][0]
    rows.append(
        [
            "Total",
            *[""] * (len(groups) - 1),
            _hours(total["totalTime"]),
            _decimal(total["totalTime"]),
            _money(total["totalAmount"]),
        ]
    )
    return Table("Summary report", headers, rows)


@route("POST", f"{_BASE}/summary", host="reports")
def post_summary(req: Request) -> Reply:
    """``POST /reports/summary``: one to three grouping levels, totals, or an export file."""
    query = parse_query(req, "Summary", "summaryFilter")
    body = summary_report(req, query)
    export_type = _export_type(query)
    if export_type:
        return _file(_summary_table(body, query, req.ws.workspace.currency), export_type)
    return Reply(200, body)


# --- detailed ----------------------------------------------------------------------------


def _sorted_rows(rows: list[Row], settings: dict[str, Any], query: ReportQuery) -> list[Row]:
    column = settings.get("sortColumn") or "DATE"
    keys = {
        "DESCRIPTION": lambda r: (r.entry.description.casefold(), r.entry.start, r.entry.id),
        "USER": lambda r: (query.name_of(r.entry.user_id).casefold(), r.entry.start, r.entry.id),
        "DURATION": lambda r: (r.seconds, r.entry.start, r.entry.id),
        "ID": lambda r: (r.entry.id,),
    }
    key = keys.get(str(column), lambda r: (r.entry.start, r.entry.id))
    descending = query.body.get("sortOrder", "DESCENDING") != "ASCENDING"
    return sorted(rows, key=key, reverse=descending)


def detailed_report(
    req: Request, query: ReportQuery, *, paged: bool = True
) -> tuple[dict[str, Any], list[Row]]:
    """The detailed report's JSON body (one page of it) and all the rows it covers."""
    settings = body_object(query.body, "detailedFilter") or {}
    page, size = _page(settings, "detailedFilter")
    rows = _sorted_rows(report_rows(req, query), settings, query)
    chosen = rows[(page - 1) * size : page * size] if paged else rows
    options = body_object(settings, "options") or {}
    body = {
        "timeEntries": [entry_dto(req.ws, row, query) for row in chosen],
        "totals": [] if options.get("totals") == "EXCLUDE" else [totals_dto(rows, query)],
    }
    return body, rows


def _detailed_table(req: Request, rows: list[Row], query: ReportQuery) -> Table:
    """Clockify's detailed export columns, one row per entry."""
    currency = req.ws.workspace.currency
    headers = [
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
        f"Billable Rate ({currency})",
        f"Billable Amount ({currency})",
    ]
    lines: list[list[str | int | float]] = []
    for row in rows:
        item = entry_dto(req.ws, row, query)
        start = query.local(row.entry.start)
        end = query.local(row.entry.end or row.entry.start)
        lines.append(
            [
                item["projectName"],
                item["clientName"],
                item["description"],
                item["taskName"],
                item["userName"],
                item["userEmail"],
                ", ".join(tag["name"] for tag in item["tags"]),
                "Yes" if row.entry.billable else "No",
                start.date().isoformat(),
                start.strftime("%H:%M:%S"),
                end.date().isoformat(),
                end.strftime("%H:%M:%S"),
                _hours(row.seconds),
                _decimal(row.seconds),
                _money(row.rate),
                _money(row.amount(query.amount_shown)),
            ]
        )
    return Table("Detailed report", headers, lines)


@route("POST", f"{_BASE}/detailed", host="reports")
def post_detailed(req: Request) -> Reply:
    """``POST /reports/detailed``: one page of entries and the totals of all, or the file of
    every entry in range."""
    query = parse_query(req, "Detailed", "detailedFilter")
    export_type = _export_type(query)
    body, rows = detailed_report(req, query, paged=export_type is None)
    if export_type:
        return _file(_detailed_table(req, rows, query), export_type)
    return Reply(200, body)


# --- weekly ------------------------------------------------------------------------------


def weekly_report(req: Request, query: ReportQuery) -> dict[str, Any]:
    """The weekly report's JSON body: groups with seven ``days`` each, totals by day."""
    span = (query.last_day - query.first_day).days + 1
    if span != 7:
        raise ApiError(400, "Weekly report date range must be exactly 7 days", 501)
    settings = body_object(query.body, "weeklyFilter") or {}
    group = str(settings.get("group") or "PROJECT")
    subgroup = settings.get("subgroup")
    levels = [group] + ([str(subgroup)] if subgroup in GROUPS and subgroup != group else [])
    if group not in GROUPS:
        raise _not_one_of("WeeklyGroup", group)
    rows = report_rows(req, query)
    settings_ws = req.ws.workspace.settings
    return {
        "groupOne": group_tree(req.ws, rows, levels, query, with_days=True),
        "totals": [totals_dto(rows, query)],
        "totalsByDay": daily_totals(rows, query),
        "decimalFormat": False,
        "trackTimeDownToSeconds": bool(settings_ws.get("trackTimeDownToSecond", True)),
        "includeUsersWithoutTime": False,
        "usersWithoutTime": [],
    }


def _weekly_table(body: dict[str, Any]) -> Table:
    days = [d["date"] for d in body["totalsByDay"]]
    rows: list[list[str | int | float]] = [
        [node["name"], *(_decimal(d["duration"]) for d in node["days"]), _decimal(node["duration"])]
        for node in body["groupOne"]
    ]
    rows.append(
        [
            "Total",
            *(_decimal(d["duration"]) for d in body["totalsByDay"]),
            _decimal(body["totals"][0]["totalTime"]),
        ]
    )
    return Table("Weekly report", ["Group", *days, "Total"], rows)


@route("POST", f"{_BASE}/weekly", host="reports")
def post_weekly(req: Request) -> Reply:
    """``POST /reports/weekly``: exactly seven days, else Clockify's 400 (code 501)."""
    query = parse_query(req, "Weekly", "weeklyFilter")
    body = weekly_report(req, query)
    export_type = _export_type(query)
    if export_type:
        return _file(_weekly_table(body), export_type)
    return Reply(200, body)


# --- attendance --------------------------------------------------------------------------


def _capacity(req: Request, user_id: str, weekday: int) -> int:
    member = req.ws.workspace.members.get(user_id)
    if member is None:
        return 0
    names = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
    if names[weekday] not in member.working_days:
        return 0
    hours = member.work_capacity.removeprefix("PT").removesuffix("H")
    return int(hours) * 3600 if hours.isdigit() else 8 * 3600


def attendance_entities(req: Request, query: ReportQuery) -> list[dict[str, Any]]:
    """One ``AttendanceDto`` per person and day with time: first start, last end, the work,
    the breaks between, capacity and overtime."""
    days: dict[tuple[str, str], list[Row]] = {}
    for row in report_rows(req, query):
        day = query.local(row.entry.start).date().isoformat()
        days.setdefault((day, row.entry.user_id), []).append(row)
    entities = []
    for (day, user_id), rows in sorted(days.items()):
        first = min(r.entry.start for r in rows)
        last = max(r.entry.end or r.entry.start for r in rows)
        work = sum(r.seconds for r in rows)
        capacity = _capacity(req, user_id, query.local(first).weekday())
        entities.append(
            {
                "userId": user_id,
                "userName": query.name_of(user_id),
                "date": day,
                "startTime": query.stamp(first),
                "endTime": query.stamp(last),
                "totalDuration": work,
                "break": max(0, last - first - work),
                "capacity": capacity,
                "overtime": max(0, work - capacity),
                "remainingCapacity": max(0, capacity - work),
                "timeOff": 0,
                "hasRunningEntry": req.ws.running_entry(user_id) is not None,
                "imageUrl": "",
            }
        )
    return entities


@route("POST", f"{_BASE}/attendance", host="reports")
def post_attendance(req: Request) -> Reply:
    """``POST /reports/attendance``: paged by ``attendanceFilter.page``/``pageSize``."""
    query = parse_query(req, "Attendance", "attendanceFilter")
    settings = body_object(query.body, "attendanceFilter") or {}
    entities = attendance_entities(req, query)
    export_type = _export_type(query)
    if export_type:
        headers = ["User", "Date", "Start", "End", "Break (h)", "Work (h)", "Capacity (h)"]
        rows: list[list[str | int | float]] = [
            [
                e["userName"],
                e["date"],
                e["startTime"][11:19],
                e["endTime"][11:19],
                _hours(e["break"]),
                _hours(e["totalDuration"]),
                _hours(e["capacity"]),
            ]
            for e in entities
        ]
        return _file(Table("Attendance report", headers, rows), export_type)
    page, size = _page(settings, "attendanceFilter")
    return Reply(200, {"entities": entities[(page - 1) * size : page * size]})
