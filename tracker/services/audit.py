"""The workspace's audit log: who created, changed or deleted time, projects, tasks, clients,
tags and expenses, and when.

Read from Clockify's audit-log host (an Enterprise feature, ``AUDIT_LOG``), for the owner and
admins only; both are known without a request once the plan and role were read, and then a
refusal is said at once. The log has no total: it is read 50 events a request until a page
comes back short, so what it costs is known only as it goes. On a Free budget (30 requests
an hour for the whole workspace) :meth:`AuditLog.estimate` says that first, and a read never
takes more than ``max_requests``. A read reports its progress after each page, can be
cancelled between pages, and keeps what it read when it stops early (cancelled, the budget
spent, Clockify gone or misbehaving): :class:`AuditRead` says why, so nothing read is lost.
Nothing is kept in the store: an audit log is read to be exported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tracker.api import CEILING, BudgetExhaustedError, ClockifyError, PaginationError
from tracker.api.models.audit import ACTIONS, SYSTEM, AuditAuthors, AuditEvent, AuditLogFilter
from tracker.api.models.base import Rejected, format_instant
from tracker.api.pagination import MAX_PAGES
from tracker.api.paths import is_id
from tracker.services.abilities import ROLE_ADMIN, abilities, plan_lacks
from tracker.services.admin_base import AdminError, ServerFirst, speaking
from tracker.services.exports import ExportError, Table, write_csv, write_json
from tracker.services.exports import _safe_cell as safe_cell
from tracker.services.exports import _write_atomically as write_atomically
from tracker.services.people import only_match

__all__ = [
    "ACTIONS",
    "AUDIT_LOG",
    "COLUMNS",
    "PAGE_SIZE",
    "SYSTEM",
    "AuditLog",
    "AuditQuery",
    "AuditRead",
    "Estimate",
    "Progress",
    "action_named",
    "author",
    "csv_row",
    "row",
    "subject",
    "write_file",
]

AUDIT_LOG = "AUDIT_LOG"
"""Clockify's ``Feature`` name of the audit log (Enterprise)."""

PAGE_SIZE = 50
"""Events a request: the largest page the audit log gives (FACTS §2)."""

Progress = Callable[[int, int], None]
"""Told ``(requests, events)`` after each page."""


def action_named(text: str) -> str:
    """The action a person typed (any case, ``-`` or ``_``), e.g. ``delete-project``.

    Raises:
        AdminError: no such action; the message lists the close ones.
    """
    wanted = text.strip().upper().replace("-", "_").replace(" ", "_")
    if wanted in ACTIONS:
        return wanted
    close = [a for a in ACTIONS if wanted and wanted in a]
    hint = f" Did you mean {', '.join(close[:6])}?" if close else " See `tracker audit --help`."
    raise AdminError(f"The audit log has no action {text!r}.{hint}")


@dataclass(frozen=True)
class AuditQuery:
    """What to read: a period (aware), the authors' ids (``SYSTEM`` for Clockify's own
    changes; none means everyone) and the actions (none means all)."""

    start: datetime
    end: datetime
    authors: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()

    def wire(self) -> AuditLogFilter:
        return AuditLogFilter(
            start=self.start,
            end=self.end,
            actions=list(self.actions or ACTIONS),
            authors=AuditAuthors(author_ids=list(dict.fromkeys(self.authors))),
            page_size=PAGE_SIZE,
        )


@dataclass(frozen=True)
class Estimate:
    """What a read costs before it starts: one request per :data:`PAGE_SIZE` events (at
    least one), and how many requests the hourly budget has left (``None``: no limit)."""

    free_plan: bool
    left: int | None

    def sentence(self) -> str:
        """One sentence for a person deciding whether to read now."""
        cost = f"one request per {PAGE_SIZE} events (at least one)"
        if self.left is None:
            return f"Reading the audit log costs {cost}."
        return (
            f"Reading the audit log costs {cost}, from the workspace's Free-plan budget "
            f"with {self.left} left this hour; it stops when they are spent."
        )


@dataclass
class AuditRead:
    """What a read found, newest first; ``stopped`` says why it ended early (``None``:
    the whole log for the query was read)."""

    events: list[AuditEvent] = field(default_factory=list)
    requests: int = 0
    stopped: str | None = None
    skipped: int = 0
    """Events Clockify sent that could not be read (left out)."""

    @property
    def complete(self) -> bool:
        return self.stopped is None


class AuditLog(ServerFirst):
    """The audit log of the connected workspace."""

    area = "audit"

    def refusal(self) -> str | None:
        """Why this person cannot read the audit log, when known without a request."""
        if plan_lacks(self.context.store, AUDIT_LOG):
            return "This workspace's Clockify plan has no audit log (it is an Enterprise feature)."
        role = abilities(self.context.store).role
        if role is not None and role != ROLE_ADMIN:
            return "Only the workspace's owner and admins can read its audit log."
        return None

    def estimate(self) -> Estimate:
        """What a read will cost, without a request: an hourly budget (the Free plan's, also
        while the plan is not known) is said with what is left of it."""
        if self.online:
            left = self.api.budget.remaining()
            return Estimate(free_plan=left is not None, left=left)
        info = self.context.store.meta.workspace(self.workspace_id)
        return Estimate(free_plan=info is None or info.free_plan, left=None)

    async def author_ids(self, named: Sequence[str]) -> tuple[str, ...]:
        """Ids for authors as typed: ``system``, ``me``, an id, or a person's name (one
        request each name).

        Raises:
            AdminError: nobody or several people have that name, or Clockify failed.
        """
        ids: list[str] = []
        for text in named:
            word = text.strip()
            if not word:
                continue
            if word.casefold() == "system":
                ids.append(SYSTEM)
            elif word.casefold() == "me":
                ids.append(self.user_id)
            elif len(word) == 24 and is_id(word):
                ids.append(word)
            else:
                with speaking("look up people"):
                    found = [u async for u in self.api.users.list(self.workspace_id, name=word)]
                try:
                    ids.append(only_match(found, word).id)
                except LookupError as exc:
                    raise AdminError(str(exc)) from exc
        return tuple(dict.fromkeys(ids))

    async def read(
        self,
        query: AuditQuery,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        max_requests: int | None = None,
    ) -> AuditRead:
        """Every event of ``query``, page by page.

        Raises:
            AdminError: refused before a request, or the first page failed (nothing read).
        """
        said = self.refusal()
        if said is not None:
            raise AdminError(said)
        if query.end < query.start:
            raise AdminError("The period ends before it starts.")
        found = AuditRead()
        rejects: list[Rejected] = []
        pages = self.api.audit_log.pages(
            self.workspace_id, query.wire(), max_pages=max_requests or MAX_PAGES, rejects=rejects
        )
        try:
            with speaking("read the audit log"):
                try:
                    async for page in pages:
                        found.requests += 1
                        found.events.extend(page)
                        if progress is not None:
                            progress(found.requests, len(found.events))
                        if cancelled is not None and cancelled():
                            found.stopped = "Cancelled; the events read so far are kept."
                            break
                except ClockifyError as exc:
                    if not found.requests:
                        raise
                    found.stopped = _stopped(exc, found.requests, max_requests)
        finally:
            await pages.aclose()
        found.skipped = len(rejects)
        return found


def _stopped(exc: ClockifyError, requests: int, max_requests: int | None) -> str:
    """Why a read that had read something ended early, in one sentence."""
    if isinstance(exc, PaginationError) and exc.guard == CEILING and max_requests is not None:
        return (
            f"Stopped after {requests} requests, the most this read may spend; older events, "
            "if any, were not read (narrow the period, or read again later)."
        )
    if isinstance(exc, BudgetExhaustedError):
        return f"Stopped: the workspace's request budget is spent ({_why(exc)})."
    if isinstance(exc, PaginationError):
        return f"Stopped: {_why(exc)}"
    return f"Stopped: Clockify stopped answering ({_why(exc)})."


def _why(exc: ClockifyError) -> str:
    return " ".join(exc.message.split())[:300]


# --- rows and files ------------------------------------------------------------------------------

COLUMNS = ("time", "action", "author", "author email", "author id", "content", "previous content")
"""The columns of an export, in order; JSON uses the same names."""


def subject(event: AuditEvent) -> str:
    """What the event is about, in a few words: the entity's name or description."""
    for text in (event.content, event.previous_content):
        try:
            value = json.loads(text) if text else None
        except ValueError:
            continue
        if isinstance(value, dict):
            for key in ("name", "projectName", "description"):
                found = value.get(key)
                if isinstance(found, str) and found.strip():
                    return " ".join(found.split())[:80]
    return ""


def author(event: AuditEvent) -> str:
    """Who made the change, as a person reads it."""
    if event.user_id == SYSTEM:
        return "Clockify (system)"
    return event.user_name or event.user_email or event.user_id


def row(event: AuditEvent) -> tuple[str, ...]:
    """One event as export cells (UTC time, texts as Clockify sent them)."""
    at = format_instant(event.timestamp) if event.timestamp else ""
    return (
        at,
        event.action,
        author(event),
        event.user_email or "",
        event.user_id,
        event.content or "",
        event.previous_content or "",
    )


def csv_row(event: AuditEvent) -> tuple[str, ...]:
    """:func:`row` safe for a spreadsheet: a cell starting with ``=`` is not a formula."""
    return tuple(str(safe_cell(cell)) for cell in row(event))


def write_file(path: Path, found: AuditRead, fmt: str) -> int:
    """Write ``found`` to ``path`` as ``csv`` or ``json``, whole or not at all; the rows
    written.

    Raises:
        ExportError: an unknown format, a full disk, a folder that cannot be written.
    """
    if fmt not in ("csv", "json"):
        raise ExportError(f"Cannot write the audit log as {fmt!r}; choose csv or json.")
    table = Table(
        title="Audit log",
        subtitle="complete" if found.complete else (found.stopped or ""),
        columns=COLUMNS,
        rows=[row(event) for event in found.events],
        expected=len(found.events),
    )
    writer = write_csv if fmt == "csv" else write_json
    write_atomically(path, lambda out: writer(table, out, lambda: None))
    return len(found.events)
