"""The test server's stored records and the per-workspace store with its time-entry index.

Records hold only what the server needs to answer like Clockify; response shapes are built in
``views``. Time entries are indexed per user by ``(start, id)`` so that a page of a 50,000-entry
list is a slice, not a sort, and ``start``/``end`` filters are two binary searches.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ApprovalBook",
    "ApprovalRecord",
    "Client",
    "CustomField",
    "Entry",
    "Member",
    "Project",
    "SharedReport",
    "Tag",
    "Task",
    "User",
    "Workspace",
    "WorkspaceData",
    "approvals_of",
]

Rate = dict[str, Any]


@dataclass(slots=True)
class User:
    """An account: who a key belongs to, and the profile settings Clockify reports."""

    id: str
    name: str | None
    email: str
    time_zone: str = "Europe/Berlin"
    week_start: str = "MONDAY"
    time_format: str = "HOUR24"
    date_format: str = "DD/MM/YYYY"
    status: str = "ACTIVE"
    default_workspace: str = ""
    active_workspace: str = ""
    profile_picture: str = ""
    onboarded: bool = True
    """False for someone invited by email who has not signed up: no name, no settings."""


@dataclass(slots=True)
class Member:
    """A user's membership of a workspace, with roles for the ``roles`` filters."""

    user_id: str
    roles: list[str]
    status: str = "ACTIVE"
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None
    work_capacity: str = "PT8H"
    working_days: tuple[str, ...] = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
    manages_users: list[str] = field(default_factory=list)
    """The people a team manager was given one by one; whom they manage in all (these and
    their groups' members) is ``groups.managed_users``."""
    custom_values: dict[str, Any] = field(default_factory=dict)
    """The person's values of the workspace's USER custom fields, by field id."""
    manages_projects: list[str] = field(default_factory=list)
    """A project manager's projects."""


@dataclass(slots=True)
class Workspace:
    """A workspace's own fields; its contents live in :class:`WorkspaceData`."""

    id: str
    name: str
    owner_id: str
    currency: str
    plan: str
    features: list[str]
    hourly_rate: Rate | None
    cost_rate: Rate | None
    settings: dict[str, Any]
    members: dict[str, Member] = field(default_factory=dict)
    currency_id: str = ""
    organization_id: str = ""
    image_url: str = ""


@dataclass(slots=True)
class Client:
    """A client; projects point at it by id."""

    id: str
    workspace_id: str
    name: str
    archived: bool = False
    email: str | None = None
    address: str | None = None
    note: str | None = None
    cc_emails: list[str] | None = None
    currency_id: str | None = None
    currency_code: str | None = None


@dataclass(slots=True)
class Project:
    """A project; ``client_id`` is ``""`` when there is no client, as on the wire."""

    id: str
    workspace_id: str
    name: str
    client_id: str = ""
    color: str = "#03A9F4"
    billable: bool = True
    public: bool = True
    archived: bool = False
    note: str = ""
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None
    estimate: str = "PT0S"
    template: bool = False
    member_ids: list[str] = field(default_factory=list)
    estimate_type: str = "AUTO"
    """``AUTO`` (the sum of the tasks' estimates) or ``MANUAL`` (``estimate`` itself)."""
    estimate_active: bool = False
    estimate_reset: str | None = None
    include_non_billable: bool = True
    budget: dict[str, Any] | None = None
    """The ``budgetEstimate`` as last patched (``estimate`` in cents), None when never set."""
    member_rates: dict[str, dict[str, Rate | None]] = field(default_factory=dict)
    """user id → ``{"hourly": rate, "cost": rate}`` set on the project's membership."""
    group_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Task:
    """A task of a project; only ``DONE`` tasks may be deleted."""

    id: str
    workspace_id: str
    project_id: str
    name: str
    status: str = "ACTIVE"
    assignee_ids: list[str] = field(default_factory=list)
    user_group_ids: list[str] = field(default_factory=list)
    estimate: str = "PT0S"
    billable: bool = True
    budget_estimate: int = 0
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None


@dataclass(slots=True)
class Tag:
    """A tag."""

    id: str
    workspace_id: str
    name: str
    archived: bool = False


@dataclass(slots=True)
class CustomField:
    """A custom field definition (only TIMEENTRY fields matter to time entries)."""

    id: str
    workspace_id: str
    name: str
    type: str = "TXT"
    entity_type: str = "TIMEENTRY"
    status: str = "VISIBLE"
    required: bool = False
    allowed_values: list[str] = field(default_factory=list)
    placeholder: str = ""
    description: str | None = None
    only_admin_can_edit: bool = False
    default_value: Any = None
    project_defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    """project id → ``{"defaultValue", "status"}``: a project's own default and visibility."""


@dataclass(slots=True)
class Entry:
    """A time entry; ``end is None`` means the timer is running.

    ``tag_ids`` is None when the entry never had tags, like the live API's ``tagIds: null``.
    """

    id: str
    workspace_id: str
    user_id: str
    start: int
    end: int | None
    description: str = ""
    project_id: str | None = None
    task_id: str | None = None
    tag_ids: list[str] | None = None
    billable: bool = False
    type: str = "REGULAR"
    custom_values: dict[str, Any] = field(default_factory=dict)
    is_locked: bool = False


@dataclass(slots=True)
class SharedReport:
    """A saved report others can open by link: its type and the report filter it renders."""

    id: str
    workspace_id: str
    user_id: str
    name: str
    type: str
    filter: dict[str, Any]
    is_public: bool = False
    fixed_date: bool = False
    visible_to_users: list[str] = field(default_factory=list)
    visible_to_user_groups: list[str] = field(default_factory=list)


IndexKey = tuple[int, str]


class WorkspaceData:
    """Everything stored for one workspace, plus indexes kept consistent on every write."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.clients: dict[str, Client] = {}
        self.projects: dict[str, Project] = {}
        self.tasks: dict[str, Task] = {}
        self.tags: dict[str, Tag] = {}
        self.custom_fields: dict[str, CustomField] = {}
        self.shared_reports: dict[str, SharedReport] = {}
        self.entries: dict[str, Entry] = {}
        self._index: dict[str, list[IndexKey]] = {}
        self._running: dict[str, str] = {}
        self._totals: tuple[dict[str, int], dict[str, int]] | None = None

    @property
    def id(self) -> str:
        """The workspace id."""
        return self.workspace.id

    # --- time entries -------------------------------------------------------------------

    def add_entry(self, entry: Entry) -> None:
        """Store a new entry and index it."""
        self.entries[entry.id] = entry
        self._add_to_index(entry)

    def load_entries(self, entries: list[Entry]) -> None:
        """Store many entries at once, sorting each user's index once (for big seeds)."""
        touched: set[str] = set()
        for entry in entries:
            self.entries[entry.id] = entry
            self._index.setdefault(entry.user_id, []).append((entry.start, entry.id))
            if entry.end is None:
                self._running[entry.user_id] = entry.id
            touched.add(entry.user_id)
        for user_id in touched:
            self._index[user_id].sort()
        self._totals = None

    def remove_entry(self, entry: Entry) -> None:
        """Forget an entry and drop it from the indexes."""
        self._remove_from_index(entry)
        del self.entries[entry.id]

    def change_entry(self, entry: Entry, **changes: Any) -> None:
        """Apply field changes to a stored entry, keeping the indexes right."""
        self._remove_from_index(entry)
        for name, value in changes.items():
            setattr(entry, name, value)
        self._add_to_index(entry)

    def _add_to_index(self, entry: Entry) -> None:
        insort(self._index.setdefault(entry.user_id, []), (entry.start, entry.id))
        if entry.end is None:
            self._running[entry.user_id] = entry.id
        self._totals = None

    def _remove_from_index(self, entry: Entry) -> None:
        keys = self._index.get(entry.user_id, [])
        position = bisect_left(keys, (entry.start, entry.id))
        if position < len(keys) and keys[position] == (entry.start, entry.id):
            del keys[position]
        if self._running.get(entry.user_id) == entry.id:
            del self._running[entry.user_id]
        self._totals = None

    def running_entry(self, user_id: str) -> Entry | None:
        """The user's running entry in this workspace, if any."""
        entry_id = self._running.get(user_id)
        return self.entries.get(entry_id) if entry_id else None

    def running_entries(self) -> list[Entry]:
        """Every running entry in the workspace, newest start first."""
        found = [self.entries[i] for i in self._running.values() if i in self.entries]
        return sorted(found, key=lambda e: (e.start, e.id), reverse=True)

    def user_ids_with_entries(self) -> list[str]:
        """Users who have at least one entry here."""
        return [user_id for user_id, keys in self._index.items() if keys]

    def iter_user_entries(
        self, user_id: str, low: int | None = None, high: int | None = None
    ) -> Iterator[Entry]:
        """A user's entries with ``low <= start <= high``, newest start first."""
        keys = self._index.get(user_id, [])
        first = 0 if low is None else bisect_left(keys, (low, ""))
        last = len(keys) if high is None else bisect_right(keys, (high, "~"))
        for position in range(last - 1, first - 1, -1):
            yield self.entries[keys[position][1]]

    def page_user_entries(
        self,
        user_id: str,
        *,
        low: int | None,
        high: int | None,
        keep: Callable[[Entry], bool] | None,
        page: int,
        size: int,
    ) -> tuple[list[Entry], bool]:
        """One page of a user's entries (newest first) and whether it is the last page."""
        keys = self._index.get(user_id, [])
        first = 0 if low is None else bisect_left(keys, (low, ""))
        last = len(keys) if high is None else bisect_right(keys, (high, "~"))
        skip = (page - 1) * size
        if keep is None:
            stop = last - skip
            begin = max(first, stop - size)
            if stop <= first:
                return [], True
            items = [self.entries[keys[p][1]] for p in range(stop - 1, begin - 1, -1)]
            return items, begin <= first
        items = []
        seen = 0
        for position in range(last - 1, first - 1, -1):
            entry = self.entries[keys[position][1]]
            if not keep(entry):
                continue
            seen += 1
            if seen <= skip:
                continue
            if len(items) == size:
                return items, False
            items.append(entry)
        return items, True

    def all_entries_newest_first(self) -> list[Entry]:
        """Every entry of every user, newest start first."""
        return sorted(self.entries.values(), key=lambda e: (e.start, e.id), reverse=True)

    def invalidate_totals(self) -> None:
        """Forget cached per-project and per-task totals after entries changed in place."""
        self._totals = None

    def totals(self) -> tuple[dict[str, int], dict[str, int]]:
        """Tracked seconds per project and per task (finished entries), cached until a write."""
        if self._totals is None:
            by_project: dict[str, int] = {}
            by_task: dict[str, int] = {}
            for entry in self.entries.values():
                if entry.end is None:
                    continue
                seconds = entry.end - entry.start
                if entry.project_id:
                    by_project[entry.project_id] = by_project.get(entry.project_id, 0) + seconds
                if entry.task_id:
                    by_task[entry.task_id] = by_task.get(entry.task_id, 0) + seconds
            self._totals = (by_project, by_task)
        return self._totals


@dataclass
class ApprovalRecord:
    """One approval request: a person's timesheet (or expenses) for one approval period.

    ``start`` and ``end`` are epoch seconds of the period's first instant and of the first
    instant after it, both midnight in the owner's time zone.
    """

    id: str
    workspace_id: str
    owner_id: str
    creator_id: str
    start: int
    end: int
    period: str
    type: str = "TIMESHEET"
    state: str = "PENDING"
    note: str = ""
    updated_at: int = 0
    updated_by: str = ""


@dataclass
class ApprovalBook:
    """A workspace's approval setting (``WEEKLY``, ``SEMI_MONTHLY`` or ``MONTHLY``) and its
    requests by id."""

    period: str = "WEEKLY"
    records: dict[str, ApprovalRecord] = field(default_factory=dict)


def approvals_of(data: WorkspaceData) -> ApprovalBook:
    """The workspace's approvals (kept on the workspace, made on first use)."""
    book: ApprovalBook | None = getattr(data, "approval_book", None)
    if book is None:
        book = ApprovalBook()
        data.approval_book = book  # type: ignore[attr-defined]
    return book
