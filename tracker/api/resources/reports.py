"""Reports on the Reports host: summary, detailed, weekly, attendance, exports, shared reports.

Every call is one or more requests through the session, so each counts in the one request
budget. On a Free workspace a report covers at most 31 days (FACTS §4); pass
``max_days=FREE_REPORT_DAYS`` (see :func:`days_limit`) and a longer range is asked in 31-day
pieces whose totals are added up exactly (whole seconds, cents). The detailed report and the
attendance report are read page by page through the one guarded pager
(:mod:`tracker.api.pagination`). Exports are streamed to a temporary file beside the
destination and renamed only when complete, so a cancelled or failed download leaves nothing
half-written under the destination's name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from tracker.api.errors import ClockifyError, ResponseFormatError
from tracker.api.models.account import Workspace
from tracker.api.models.base import decode, decode_list
from tracker.api.models.reports import (
    AttendanceLine,
    DetailedEntry,
    DetailedPage,
    ExportType,
    ReportAmount,
    ReportFilter,
    ReportGroup,
    ReportTotals,
    SharedReport,
    SharedReportCreate,
    SharedReportList,
    SharedReportSummary,
    SharedReportUpdate,
    SummaryReport,
    WeeklyReport,
)
from tracker.api.pagination import MAX_PAGES, Page, guarded_pages
from tracker.api.paths import api_path
from tracker.api.session import ApiSession, QueryValue

__all__ = [
    "FREE_REPORT_DAYS",
    "ExportCancelledError",
    "ReportKind",
    "ReportsResource",
    "days_limit",
    "merge_groups",
    "merge_totals",
]

FREE_REPORT_DAYS = 31
"""The longest range one report may cover on a Free workspace (FACTS §4)."""

ReportKind = Literal["summary", "detailed", "weekly", "attendance"]

_REPORTS = "/v1/workspaces/{workspace_id}/reports/"
_SHARED = "/v1/workspaces/{workspace_id}/shared-reports"
_DEFAULT_PAGE_SIZE = 200

Progress = Callable[[int, int | None], None]
"""``progress(bytes_written, bytes_expected_or_None)``."""


class ExportCancelledError(ClockifyError):
    """The person cancelled an export; nothing was left at the destination."""


def days_limit(workspace: Workspace) -> int | None:
    """The longest report range the workspace's plan allows (None: no limit)."""
    return FREE_REPORT_DAYS if workspace.is_free_plan else None


def merge_totals(parts: Sequence[ReportTotals]) -> ReportTotals:
    """The totals of consecutive ranges added up (exact: whole seconds and cents)."""
    amounts: dict[str | None, int] = {}
    for part in parts:
        for amount in part.amounts:
            amounts[amount.type] = amounts.get(amount.type, 0) + amount.value
    return ReportTotals(
        total_time=sum(p.total_time for p in parts),
        total_billable_time=sum(p.total_billable_time for p in parts),
        entries_count=sum(p.entries_count for p in parts),
        total_amount=sum(p.total_amount for p in parts),
        amounts=[ReportAmount(type=kind, value=value) for kind, value in amounts.items()],
    )


def merge_groups(parts: Sequence[Sequence[ReportGroup]]) -> list[ReportGroup]:
    """Groups of consecutive ranges merged by id and name, at every level, in first-seen
    order."""
    merged: dict[tuple[str, str], list[ReportGroup]] = {}
    for groups in parts:
        for group in groups:
            merged.setdefault((group.id, group.name), []).append(group)
    return [
        same[0].model_copy(
            update={
                "duration": sum(g.duration for g in same),
                "amount": sum(g.amount for g in same),
                "children": merge_groups([g.children for g in same]),
                "days": [day for g in same for day in g.days],
            }
        )
        for same in merged.values()
    ]


class ReportsResource:
    """The Reports host for one session (regional and subdomain hosts come from its
    :class:`~tracker.api.servers.Servers`)."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def _pieces(self, report: ReportFilter, max_days: int | None) -> list[ReportFilter]:
        return report.pieces(max_days) if max_days and report.days > max_days else [report]

    async def _post(self, workspace_id: str, kind: ReportKind, body: dict[str, Any]) -> Any:
        path = api_path(_REPORTS, workspace_id=workspace_id) + kind
        # A report is a read: asking again cannot change anything.
        return await self._session.send_json(
            "POST", path, host="reports", json_body=body, idempotent=True
        )

    # --- summary and weekly --------------------------------------------------------------

    async def summary(
        self,
        workspace_id: str,
        report: ReportFilter,
        *,
        groups: Sequence[str] = ("PROJECT",),
        sort_column: str | None = None,
        max_days: int | None = None,
    ) -> SummaryReport:
        """The summary report, grouped by one to three levels (``PROJECT``, ``USER``...).

        With ``max_days``, a longer range is asked piece by piece and merged.
        """
        if not 1 <= len(groups) <= 3:
            raise ValueError("a summary report groups by one to three levels")
        settings: dict[str, Any] = {"groups": list(groups)}
        if sort_column:
            settings["sortColumn"] = sort_column
        answers = []
        for piece in self._pieces(report, max_days):
            data = await self._post(
                workspace_id, "summary", {**piece.body(), "summaryFilter": settings}
            )
            answers.append(decode(SummaryReport, data, what="summary report"))
        if len(answers) == 1:
            return answers[0]
        return SummaryReport(
            group_one=merge_groups([a.group_one for a in answers]),
            totals=[merge_totals([a.total for a in answers])],
        )

    async def weekly(
        self,
        workspace_id: str,
        report: ReportFilter,
        *,
        group: str = "PROJECT",
        subgroup: str | None = None,
    ) -> WeeklyReport:
        """The weekly report: exactly seven days (FACTS §4), grouped, with daily totals."""
        if report.days != 7:
            raise ValueError("a weekly report covers exactly seven days")
        settings = {"group": group, **({"subgroup": subgroup} if subgroup else {})}
        data = await self._post(workspace_id, "weekly", {**report.body(), "weeklyFilter": settings})
        return decode(WeeklyReport, data, what="weekly report")

    # --- paged reports -------------------------------------------------------------------

    async def detailed_pages(
        self,
        workspace_id: str,
        report: ReportFilter,
        *,
        page_size: int = _DEFAULT_PAGE_SIZE,
        max_days: int | None = None,
        max_pages: int = MAX_PAGES,
    ) -> AsyncIterator[tuple[list[DetailedEntry], ReportTotals]]:
        """The detailed report page by page, each with the totals of its range piece.

        Pages are asked through ``detailedFilter.page``/``pageSize`` and checked by the
        guarded pager against the declared total (``totals[0].entriesCount``).
        """
        for piece in self._pieces(report, max_days):
            totals = ReportTotals()

            async def fetch(page: int, size: int, piece: ReportFilter = piece) -> Page:
                nonlocal totals
                settings = {
                    "page": page,
                    "pageSize": size,
                    "options": {"totals": "CALCULATE"},
                }
                data = await self._post(
                    workspace_id, "detailed", {**piece.body(), "detailedFilter": settings}
                )
                answer = decode(DetailedPage, data, what="detailed report")
                totals = answer.total if answer.totals else totals
                declared = answer.total.entries_count if answer.totals else None
                return Page(answer.time_entries, total=declared)

            async for page in guarded_pages(
                fetch, what="report entries", page_size=page_size, max_pages=max_pages
            ):
                yield decode_list(DetailedEntry, page.items, what="report entries"), totals

    async def detailed(
        self,
        workspace_id: str,
        report: ReportFilter,
        *,
        page_size: int = _DEFAULT_PAGE_SIZE,
        max_days: int | None = None,
    ) -> AsyncIterator[DetailedEntry]:
        """Every line of the detailed report, one at a time."""
        async for entries, _totals in self.detailed_pages(
            workspace_id, report, page_size=page_size, max_days=max_days
        ):
            for entry in entries:
                yield entry

    async def attendance(
        self,
        workspace_id: str,
        report: ReportFilter,
        *,
        page_size: int = _DEFAULT_PAGE_SIZE,
        max_days: int | None = None,
    ) -> AsyncIterator[AttendanceLine]:
        """Every line of the attendance report (one per person and day)."""
        for piece in self._pieces(report, max_days):

            async def fetch(page: int, size: int, piece: ReportFilter = piece) -> Page:
                settings = {"page": page, "pageSize": size}
                data = await self._post(
                    workspace_id, "attendance", {**piece.body(), "attendanceFilter": settings}
                )
                entities = data.get("entities") if isinstance(data, dict) else None
                if not isinstance(entities, list):
                    raise ResponseFormatError("Clockify's attendance report had no entities.")
                return Page(entities)

            async for page in guarded_pages(fetch, what="attendance lines", page_size=page_size):
                for line in decode_list(AttendanceLine, page.items, what="attendance lines"):
                    yield line

    # --- exports ---------------------------------------------------------------------------

    async def export(
        self,
        workspace_id: str,
        kind: ReportKind,
        report: ReportFilter,
        export_type: ExportType,
        destination: Path,
        *,
        extra: dict[str, Any] | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Download a report as a file (CSV, XLSX or PDF) to ``destination``; returns its size.

        ``extra`` is the report kind's own part (``{"summaryFilter": {...}}``); a sensible
        default is sent without it. The file is streamed to a temporary file in the same
        folder and renamed at the end, so memory stays bounded and ``destination`` only ever
        holds a complete file. ``progress`` hears of every piece; ``cancelled`` is asked
        before each piece is written.

        Raises:
            ExportCancelledError: ``cancelled()`` said so; nothing is left behind.
            ClockifyError: the request failed; nothing is left behind.
            OSError: the file could not be written; nothing is left behind.
        """
        defaults: dict[str, dict[str, Any]] = {
            "summary": {"summaryFilter": {"groups": ["PROJECT"]}},
            "detailed": {"detailedFilter": {"page": 1, "pageSize": _DEFAULT_PAGE_SIZE}},
            "weekly": {"weeklyFilter": {"group": "PROJECT"}},
            "attendance": {"attendanceFilter": {"page": 1, "pageSize": _DEFAULT_PAGE_SIZE}},
        }
        body = {**report.body(), **(extra or defaults[kind]), "exportType": export_type}
        path = api_path(_REPORTS, workspace_id=workspace_id) + kind
        folder = destination.parent
        handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=folder)
        written = 0
        try:
            with os.fdopen(handle, "wb") as file:

                def write(piece: bytes, expected: int | None) -> None:
                    nonlocal written
                    if cancelled is not None and cancelled():
                        raise ExportCancelledError("The export was cancelled; no file was kept.")
                    file.write(piece)
                    written += len(piece)
                    if progress is not None:
                        progress(written, expected)

                await self._session.download("POST", path, write, host="reports", json_body=body)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, destination)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return written

    # --- shared reports --------------------------------------------------------------------

    async def shared_reports(
        self, workspace_id: str, *, origin: str = "ALL", page_size: int = 50
    ) -> AsyncIterator[SharedReportSummary]:
        """The shared reports the person can see (``ALL``, ``CREATED_BY_ME``,
        ``SHARED_WITH_ME``, ``ALL_ADMIN``), read page by page against the declared count."""
        path = api_path(_SHARED, workspace_id=workspace_id)

        async def fetch(page: int, size: int) -> Page:
            query: dict[str, QueryValue] = {
                "page": page,
                "pageSize": size,
                "sharedReportsFilter": origin,
            }
            data, _ = await self._session.get_json(path, host="reports", params=query)
            answer = decode(SharedReportList, data, what="shared reports")
            return Page(answer.reports, total=answer.count)

        async for page in guarded_pages(fetch, what="shared reports", page_size=page_size):
            for item in decode_list(SharedReportSummary, page.items, what="shared reports"):
                yield item

    async def create_shared(self, workspace_id: str, request: SharedReportCreate) -> SharedReport:
        """Share a report: a new link others can open."""
        data = await self._session.send_json(
            "POST",
            api_path(_SHARED, workspace_id=workspace_id),
            host="reports",
            json_body=request.body(),
        )
        return decode(SharedReport, data, what="shared report")

    async def update_shared(
        self, workspace_id: str, report_id: str, request: SharedReportUpdate
    ) -> SharedReport:
        """Rename a shared report or change who sees it."""
        path = api_path(_SHARED + "/{report_id}", workspace_id=workspace_id, report_id=report_id)
        data = await self._session.send_json("PUT", path, host="reports", json_body=request.body())
        return decode(SharedReport, data, what="shared report")

    async def delete_shared(self, workspace_id: str, report_id: str) -> None:
        """Stop sharing a report (its link stops working)."""
        path = api_path(_SHARED + "/{report_id}", workspace_id=workspace_id, report_id=report_id)
        await self._session.send_json("DELETE", path, host="reports")

    async def open_shared(self, report_id: str) -> dict[str, Any]:
        """A shared report rendered as its author shares it (the shape depends on its type:
        decode it with :class:`SummaryReport`, :class:`DetailedPage` or :class:`WeeklyReport`).
        """
        path = api_path("/v1/shared-reports/{report_id}", report_id=report_id)
        data, _ = await self._session.get_json(path, host="reports")
        if not isinstance(data, dict):
            raise ResponseFormatError("Clockify's shared report was not a report.")
        return data
