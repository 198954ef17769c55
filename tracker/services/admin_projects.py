"""Projects as an owner, admin or project manager runs them: client, colour, billable,
public, note, archive, template; members with their own rates; time and budget estimates
(manual or from the tasks, with a reset); tasks with assignees, estimates, rates and done;
and each project's **progress**: tracked time and billable amount against its estimates.

Progress comes from ONE summary report per refresh (Reports host, grouped by project then
task, earned amounts), kept with the projects under ``admin:projects:<ws>``, so the list,
``show`` and the window cost one paged read, one people read and one report, and nothing
while the kept copy is fresh. A Free workspace's reports cover at most 31 days, so there
progress counts the last 31 days and says so (``progress_since``).

Every change goes to Clockify at once and is never sent twice: a create whose answer was
lost is looked for by name before it is asked again (and, while not found, not asked again
until the unclear horizon has passed). After a change that the timer's picker shows (a
project, task, client or tag created, renamed, archived or deleted) the store's catalog is
marked due, so the next sync round fetches it: one refresh of what sync already reads,
rather than a second writer of the catalog.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any, TypeVar

from tracker.api.models.account import User
from tracker.api.models.admin_projects import (
    BudgetEstimateWrite,
    EstimateChange,
    FromTemplate,
    MembersChange,
    ProjectRecord,
    ResetOff,
    TaskRecord,
    TaskWrite,
    TimeEstimateWrite,
)
from tracker.api.models.catalog import ProjectCreate, ProjectUpdate
from tracker.api.models.reports import ReportFilter
from tracker.api.pagination import DEFAULT_PAGE_SIZE
from tracker.api.resources.reports import FREE_REPORT_DAYS
from tracker.domain.durations import format_iso
from tracker.services.abilities import plan_lacks
from tracker.services.admin_base import AdminError, AdminOffline, Kept, building, speaking
from tracker.services.admin_projects_once import CreatesOnce
from tracker.services.admin_projects_views import (
    MemberView,
    ProjectView,
    TaskView,
    cents,
    keep_task_progress,
    pick,
    pick_task,
    project_view,
    task_view,
    thaw_project,
    valid,
    with_progress,
)
from tracker.services.context import Context
from tracker.services.people import only_match

__all__ = [
    "PROGRESS_SINCE",
    "AdminProjects",
    "CreatesOnce",
    "MemberView",
    "ProjectView",
    "SpentBudget",
    "TaskView",
    "cents",
    "pick",
    "pick_task",
    "spent_budget",
    "task_progress",
    "valid",
]

T = TypeVar("T")

PROJECT_BUDGET = "PROJECT_BUDGET"
"""The plan feature a project's budget estimate needs (Pro and up)."""

TIMER_RESERVE = 10
"""Requests of the hour a refresh nobody asked for leaves to the timer's sync (a Free
workspace has 30 an hour for everything)."""

_DIGEST = "digest"
"""The kept digest's kind (``admin:projects:digest:<ws>``) the popup reads."""

PROGRESS_SINCE = date(2000, 1, 1)
"""Where "all time" starts for progress on a paid workspace (Clockify has no open range)."""


class AdminProjects(CreatesOnce):
    """Projects, their members, estimates, templates, tasks and progress."""

    area = "projects"

    # --- reading -------------------------------------------------------------------------

    async def projects(self, *, refresh: bool = False) -> Kept[builtins.list[ProjectView]]:
        """Every project (active and archived) with tasks, members and progress.

        Raises:
            AdminOffline: nothing kept and Clockify cannot be reached.
        """
        kept = self.reuse(refresh=refresh)
        if kept is not None:
            return self._thaw(kept)
        api = self.api
        ws = self.workspace_id
        self._affordable(asked=refresh)
        with speaking("list the projects"):
            records = [p async for p in api.admin_projects.projects(ws)]
            names = {u.id: u.name or u.email or u.id async for u in api.users.list(ws)}
            since = self._progress_since()
            report = await api.reports.summary(
                ws,
                ReportFilter(first_day=since, last_day=self.now().date(), amount_shown="EARNED"),
                groups=("PROJECT", "TASK"),
            )
        groups = {g.id: g for g in report.group_one}
        views = [with_progress(project_view(r, names), groups) for r in records]
        data = {
            "projects": [asdict(v) for v in views],
            "progress_since": since.isoformat(),
            "people": names,
        }
        return self._thaw(self.keep(data))

    def _affordable(self, *, asked: bool) -> None:
        """A refresh the hour's request budget cannot pay for is not started: on a Free
        workspace (30 an hour, the timer's sync included) its first pages would be spent and
        thrown away. The cost is told from the kept copy's size (pages of projects and of
        people, and one report). A refresh nobody asked for (an old copy read again) also
        leaves :data:`TIMER_RESERVE` requests to the timer; one asked for (F5,
        ``--refresh``) may spend them.

        Raises:
            AdminOffline: not enough requests are left this hour; nothing was asked.
        """
        remaining = self.api.budget.remaining()
        if remaining is None:
            return
        kept = self.kept()
        projects = len(kept.value.get("projects", [])) if kept else 0
        people = len(kept.value.get("people", {})) if kept else 0
        cost = projects // DEFAULT_PAGE_SIZE + people // DEFAULT_PAGE_SIZE + 3
        if cost > remaining:
            raise AdminOffline(
                f"Refreshing the projects takes about {cost} requests and Clockify allows "
                f"{remaining} more this hour; nothing was asked."
            )
        if not asked and kept is not None and cost > remaining - TIMER_RESERVE:
            raise AdminOffline(
                f"Refreshing the projects takes about {cost} of the {remaining} requests "
                "Clockify allows this hour, which the timer needs; refresh to spend them."
            )

    # --- what the timer popup reads (a digest, not the whole copy) -------------------------

    def keep(self, data: dict[str, Any], kind: str = "") -> Kept[dict[str, Any]]:
        kept = super().keep(data, kind)
        if not kind:
            self._digest(data, kept.as_of.timestamp())
        return kept

    def amend(self, change: Callable[[dict[str, Any]], None], kind: str = "") -> None:
        super().amend(change, kind)
        kept = self.kept() if not kind else None
        if kept is not None:
            self._digest(kept.value, kept.as_of.timestamp())

    def _digest(self, data: dict[str, Any], fetched_at: float) -> None:
        """Keep what the popup asks as it opens and starts (each task's share of its
        estimate; the projects whose budget is spent), so it never decodes a copy of
        thousands of projects on the GUI thread."""
        shares: dict[str, float] = {}
        spent: dict[str, list[Any]] = {}
        for raw in data.get("projects", []):
            for task in raw.get("tasks", []):
                if task.get("estimate_seconds"):
                    shares[task["id"]] = task.get("tracked_seconds", 0) / task["estimate_seconds"]
            budget, amount = raw.get("budget"), raw.get("amount", 0)
            # A budget that resets each period is never called spent from the amount of
            # the whole range read (since 2000 on a paid plan), not the current period.
            if budget and not raw.get("budget_reset") and amount >= budget:
                spent[raw["id"]] = [raw["id"], raw.get("name", ""), amount / budget]
        digest = {"tasks": shares, "spent": spent}
        self.cache.put(self.key(_DIGEST), self.workspace_id, digest, fetched_at)

    def _progress_since(self) -> date:
        info = self.context.store.meta.workspace(self.workspace_id)
        today = self.now().date()
        if info is None or info.free_plan:
            return today - timedelta(days=FREE_REPORT_DAYS - 1)
        return PROGRESS_SINCE

    def _thaw(self, kept: Kept[dict[str, Any]]) -> Kept[builtins.list[ProjectView]]:
        views = [thaw_project(p) for p in kept.value.get("projects", [])]
        views.sort(key=lambda p: (p.archived, p.name.casefold()))  # a change appends
        return Kept(views, kept.as_of, kept.stale)

    def kept_projects(self) -> Kept[builtins.list[ProjectView]] | None:
        """What is kept, however old, without a request (a window opens on it)."""
        with building():
            kept = self.kept()
            return None if kept is None else self._thaw(kept)

    def progress_since(self) -> date | None:
        """From which day the kept progress counts (None: nothing kept)."""
        kept = self.kept()
        raw = kept.value.get("progress_since") if kept else None
        return date.fromisoformat(raw) if isinstance(raw, str) else None

    async def project(self, wanted: str) -> ProjectView:
        """One project named by id, start of an id, or name."""
        return pick((await self.projects()).value, wanted)

    def _people(self) -> dict[str, str]:
        kept = self.kept()
        people = kept.value.get("people") if kept else None
        return dict(people) if isinstance(people, dict) else {}

    # --- keeping the copy in step --------------------------------------------------------

    def _changed(self, record: ProjectRecord, *, catalog: bool = True) -> ProjectView:
        """Put Clockify's answer in the kept copy (keeping the progress) and say it."""
        kept = self.kept()
        old = {p["id"]: p for p in kept.value.get("projects", [])} if kept else {}
        view = project_view(record, self._people())
        if record.tasks is None and record.id in old:
            view = replace(view, tasks=thaw_project(old[record.id]).tasks)
        if record.id in old:
            before = thaw_project(old[record.id])
            view = replace(view, tracked_seconds=before.tracked_seconds, amount=before.amount)
            if record.tasks is not None:
                view = replace(view, tasks=keep_task_progress(view.tasks, before.tasks))

        def put(data: dict[str, Any]) -> None:
            rows = [p for p in data.get("projects", []) if p["id"] != view.id]
            data["projects"] = [*rows, asdict(view)]

        self.amend(put)
        if catalog:
            self.catalog_due()
        return view

    def _removed(self, project_id: str) -> None:
        def drop(data: dict[str, Any]) -> None:
            data["projects"] = [p for p in data.get("projects", []) if p["id"] != project_id]

        self.amend(drop)
        self.catalog_due()

    # --- projects ------------------------------------------------------------------------

    async def _find_project(self, name: str, client_id: str | None) -> ProjectRecord | None:
        """The project called ``name`` of that client (names are unique per client only)."""
        async for record in self.api.admin_projects.projects(self.workspace_id, name=name):
            same_client = (record.client_id or "") == (client_id or "")
            if record.name.casefold() == name.casefold() and same_client:
                return record
        return None

    async def add(
        self,
        name: str,
        *,
        client_id: str | None = None,
        color: str | None = None,
        billable: bool | None = None,
        public: bool | None = None,
        note: str | None = None,
    ) -> ProjectView:
        """Create a project (looked for by name first when an earlier try was lost)."""
        name = name.strip()  # as Clockify keeps it, so a lost create is found
        body = valid(
            lambda: ProjectCreate(
                name=name,
                client_id=client_id,
                color=color,
                billable=billable,
                is_public=public,
                note=note,
            )
        )
        record, _ = await self.create_once(
            f"project:{client_id or ''}:{name.casefold()}",
            f"create the project {name}",
            lambda: self._find_project(name, client_id),
            lambda: self.api.admin_projects.create(self.workspace_id, body),
        )
        return self._changed(record)

    async def from_template(
        self, template: ProjectView, name: str, *, client_id: str | None = None
    ) -> ProjectView:
        """A new project from a template: its tasks, estimates and members come along."""
        name = name.strip()
        if not template.template:
            raise AdminError(f"{template.name} is not a template (make it one with `template`).")
        body = valid(
            lambda: FromTemplate(name=name, template_project_id=template.id, client_id=client_id)
        )
        client = template.client_id if client_id is None else client_id
        record, _ = await self.create_once(
            f"project:{client or ''}:{name.casefold()}",
            f"create the project {name} from {template.name}",
            lambda: self._find_project(name, client),
            lambda: self.api.admin_projects.from_template(self.workspace_id, body),
        )
        with speaking(f"read the project {name}"):
            whole = await self.api.admin_projects.project(self.workspace_id, record.id)
        return self._changed(whole)

    async def edit(self, project: ProjectView, **changes: Any) -> ProjectView:
        """Change name, client, colour, billable, public or note (only what is given)."""
        body = valid(lambda: ProjectUpdate(**changes))
        with self.changing(f"change the project {project.name}"):
            record = await self.api.admin_projects.update(self.workspace_id, project.id, body)
        return self._changed(record)

    async def archive(self, project: ProjectView, *, archived: bool = True) -> ProjectView:
        """Archive (or restore) a project: its ``PUT`` is the only archive (FACTS §6)."""
        if project.archived == archived:
            return project
        return await self.edit(project, archived=archived)

    async def delete(self, project: ProjectView) -> None:
        """Delete a project, archiving it first (Clockify deletes only archived ones)."""
        if not project.archived:
            project = await self.archive(project)
        async with self.deleting(f"delete the project {project.name}"):
            await self.api.admin_projects.delete(self.workspace_id, project.id)
        self._removed(project.id)

    async def template(self, project: ProjectView, *, on: bool = True) -> ProjectView:
        """Make the project a template (or an ordinary project again)."""
        with self.changing(f"change whether {project.name} is a template"):
            record = await self.api.admin_projects.template(self.workspace_id, project.id, on=on)
        return self._changed(record, catalog=False)

    # --- members -------------------------------------------------------------------------

    async def person(self, wanted: str) -> User:
        """The one workspace member called ``wanted`` (one request)."""
        with speaking("look for the person"):
            found = [u async for u in self.api.users.list(self.workspace_id, name=wanted)]
        try:
            return only_match(found, wanted)
        except LookupError as exc:
            raise AdminError(str(exc)) from exc

    async def read(self, project: ProjectView) -> ProjectView:
        """The project as Clockify has it now (one request): a member change reads its
        members here, not in a kept copy another admin may have changed since."""
        with speaking(f"read the project {project.name}"):
            record = await self.api.admin_projects.project(self.workspace_id, project.id)
        return self._changed(record, catalog=False)

    async def add_member(
        self,
        project: ProjectView,
        user: User,
        *,
        rate: float | None = None,
        cost: float | None = None,
    ) -> ProjectView:
        """Add a person to the project, with their own rates on it when given."""
        api = self.api.admin_projects
        ws = self.workspace_id
        who = user.name or user.email or user.id
        amounts = _rates(rate, cost)
        if all(m.user_id != user.id for m in project.members):
            with self.changing(f"add {who} to {project.name}"):
                await api.change_members(ws, project.id, MembersChange(user_ids=[user.id]))
        record: ProjectRecord | None = None
        for kind, amount in amounts:  # checked before anything was sent
            with self.changing(f"set {who}'s rate on {project.name}"):
                record = await api.member_rate(ws, project.id, user.id, kind, amount)
        if record is None:
            with speaking(f"read the project {project.name}"):
                record = await api.project(ws, project.id)
        self._people_learn({user.id: who})
        return self._changed(record, catalog=False)

    async def remove_member(self, project: ProjectView, member: MemberView) -> ProjectView:
        """Take a person off the project."""
        api = self.api.admin_projects
        ws = self.workspace_id
        body = MembersChange(user_ids=[member.user_id], remove=True)
        with self.changing(f"take {member.name} off {project.name}"):
            await api.change_members(ws, project.id, body)
        with speaking(f"read the project {project.name}"):
            record = await api.project(ws, project.id)
        return self._changed(record, catalog=False)

    async def put_back_member(
        self, project: ProjectView, member: MemberView, *, rejoin: bool = True
    ) -> ProjectView:
        """Undo a member's removal or rate change: ``member`` as they were before it.

        ``rejoin``: add them to the project again (taken off; adding someone who is a member
        changes nothing). Then each rate they had on it (``hourly_rate``, ``cost_rate``) is
        set again, without a ``since`` as the page's change was sent, so Clockify prices the
        same entries with the old amount. A rate that was not set cannot be set back (the
        rate routes take an amount, never "none"), and Clockify has no rate history to read,
        so an older rate from before a date is not brought back."""
        api = self.api.admin_projects
        ws = self.workspace_id
        record: ProjectRecord | None = None
        if rejoin:
            with self.changing(f"put {member.name} back on {project.name}"):
                await api.change_members(ws, project.id, MembersChange(user_ids=[member.user_id]))
        for kind, amount in (("hourly-rate", member.hourly_rate), ("cost-rate", member.cost_rate)):
            if amount is not None:
                with self.changing(f"set {member.name}'s rate on {project.name} back"):
                    record = await api.member_rate(ws, project.id, member.user_id, kind, amount)
        if record is None:
            with speaking(f"read the project {project.name}"):
                record = await api.project(ws, project.id)
        self._people_learn({member.user_id: member.name})
        return self._changed(record, catalog=False)

    def _people_learn(self, names: dict[str, str]) -> None:
        def learn(data: dict[str, Any]) -> None:
            data["people"] = {**data.get("people", {}), **names}

        self.amend(learn)

    # --- estimates -----------------------------------------------------------------------

    async def estimate(
        self,
        project: ProjectView,
        *,
        hours: float | None = None,
        budget: float | None = None,
        from_tasks: bool = False,
        reset: str | None = None,
    ) -> ProjectView:
        """Set the time estimate (``hours``, or the tasks' sum with ``from_tasks``), the
        budget (currency units), and a reset (``weekly``, ``monthly``, ``yearly``, or
        ``none`` to stop resetting); what is not given stays."""
        if budget is not None and plan_lacks(self.context.store, PROJECT_BUDGET):
            raise AdminError(
                "This workspace's Clockify plan has no project budgets (Pro and up); "
                "nothing was sent."
            )
        change = _estimate_change(project, hours, budget, from_tasks, reset)
        with self.changing(f"change the estimates of {project.name}"):
            record = await self.api.admin_projects.estimate(self.workspace_id, project.id, change)
        return self._changed(record, catalog=False)

    # --- tasks ---------------------------------------------------------------------------

    async def _find_task(self, project: ProjectView, name: str) -> TaskRecord | None:
        async for task in self.api.admin_projects.tasks(self.workspace_id, project.id):
            if task.name.casefold() == name.casefold():
                return task
        return None

    async def add_task(
        self,
        project: ProjectView,
        name: str,
        *,
        hours: float | None = None,
        budget: float | None = None,
        assignees: Sequence[str] = (),
    ) -> TaskView:
        """Create a task (looked for by name first when an earlier try was lost)."""
        name = name.strip()
        body = valid(
            lambda: TaskWrite(
                name=name,
                estimate=_iso_hours(hours),
                budget_estimate=cents(budget, budget=True) if budget is not None else None,
                assignee_ids=list(assignees) or None,
            )
        )
        record, _ = await self.create_once(
            f"task:{project.id}:{name.casefold()}",
            f"create the task {name} on {project.name}",
            lambda: self._find_task(project, name),
            lambda: self.api.admin_projects.create_task(self.workspace_id, project.id, body),
        )
        return self._task_changed(project, record)

    async def edit_task(
        self,
        project: ProjectView,
        task: TaskView,
        *,
        name: str | None = None,
        hours: float | None = None,
        budget: float | None = None,
        assignees: Sequence[str] | None = None,
        done: bool | None = None,
        rate: float | None = None,
        cost: float | None = None,
    ) -> TaskView:
        """Change a task; only what is given changes.

        Clockify's PUT needs the name: without a new one, the name Clockify has now is read
        and sent, so marking a task done (or taking that back) never renames it to what a
        kept copy says after another admin renamed it."""
        api = self.api.admin_projects
        ws = self.workspace_id
        record: TaskRecord | None = None
        amounts = _rates(rate, cost)
        fields = (name, hours, budget, assignees, done)
        if any(value is not None for value in fields):
            if not name:
                with speaking(f"read the task {task.name}"):
                    name = (await self.api.tasks.get(ws, project.id, task.id)).name
            body = valid(
                lambda: TaskWrite(
                    name=name or task.name,
                    estimate=_iso_hours(hours),
                    budget_estimate=cents(budget, budget=True) if budget is not None else None,
                    assignee_ids=list(assignees) if assignees is not None else None,
                    status=None if done is None else ("DONE" if done else "ACTIVE"),
                )
            )
            with self.changing(f"change the task {task.name}"):
                record = await api.update_task(ws, project.id, task.id, body)
        for kind, amount in amounts:  # checked before anything was sent
            with self.changing(f"set the rate of the task {task.name}"):
                record = await api.task_rate(ws, project.id, task.id, kind, amount)
        if record is None:
            return task
        return self._task_changed(project, record)

    async def delete_task(self, project: ProjectView, task: TaskView) -> None:
        """Delete a task, marking it done first (Clockify deletes only done tasks)."""
        if not task.done:
            task = await self.edit_task(project, task, done=True)
        async with self.deleting(f"delete the task {task.name}"):
            await self.api.admin_projects.delete_task(self.workspace_id, project.id, task.id)

        def drop(data: dict[str, Any]) -> None:
            for row in data.get("projects", []):
                if row["id"] == project.id:
                    row["tasks"] = [t for t in row.get("tasks", []) if t["id"] != task.id]

        self.amend(drop)
        self.catalog_due()

    def _task_changed(self, project: ProjectView, record: TaskRecord) -> TaskView:
        view = task_view(record, project.id)
        old = {t.id: t for t in project.tasks}
        if view.id in old:
            view = replace(
                view, tracked_seconds=old[view.id].tracked_seconds, amount=old[view.id].amount
            )

        def put(data: dict[str, Any]) -> None:
            for row in data.get("projects", []):
                if row["id"] == project.id:
                    rows = [t for t in row.get("tasks", []) if t["id"] != view.id]
                    row["tasks"] = [*rows, asdict(view)]

        self.amend(put)
        self.catalog_due()
        return view


def _rates(rate: float | None, cost: float | None) -> list[tuple[str, int]]:
    """The rate paths to set and their cents, checked before anything is sent."""
    given = (("hourly-rate", rate), ("cost-rate", cost))
    return [(kind, cents(amount)) for kind, amount in given if amount is not None]


_HOURS_MOST = 1_000_000
"""An estimate past a million hours (114 years) is a typing mistake, not a plan."""


def _iso_hours(hours: float | None) -> str | None:
    if hours is None:
        return None
    if not math.isfinite(hours) or hours > _HOURS_MOST:
        raise AdminError(f"An estimate is a number of hours up to {_HOURS_MOST:,}, not {hours}.")
    if hours < 0:
        raise AdminError("An estimate cannot be negative.")
    return format_iso(timedelta(hours=hours))


_RESETS = ("weekly", "monthly", "yearly", "none")


def _estimate_parts(
    hours: float | None, budget: float | None, from_tasks: bool
) -> tuple[TimeEstimateWrite | None, BudgetEstimateWrite | None]:
    """The time and budget parts for what was asked (None: not changed)."""
    if hours is not None and from_tasks:
        raise AdminError("Give either hours or --from-tasks, not both.")
    time: TimeEstimateWrite | None = None
    if hours is not None:
        time = TimeEstimateWrite(estimate=_iso_hours(hours), type="MANUAL", active=True)
    elif from_tasks:
        time = TimeEstimateWrite(type="AUTO", active=True)
    money: BudgetEstimateWrite | None = None
    if budget is not None:
        money = BudgetEstimateWrite(estimate=cents(budget, budget=True), type="MANUAL", active=True)
    return time, money


def _estimate_change(
    project: ProjectView,
    hours: float | None,
    budget: float | None,
    from_tasks: bool,
    reset: str | None,
) -> EstimateChange:
    """The ``PATCH .../estimate`` body for what was asked."""
    if reset is not None and reset.casefold() not in _RESETS:
        raise AdminError(f"A reset is one of {', '.join(_RESETS)}, not {reset!r}.")
    time, money = _estimate_parts(hours, budget, from_tasks)
    period = reset.upper() if reset and reset.casefold() != "none" else None
    if period is not None:
        if time is None and project.estimate_seconds is not None:
            time = TimeEstimateWrite()
        if money is None and project.budget is not None:
            money = BudgetEstimateWrite()
        if time is None and money is None:
            raise AdminError(f"{project.name} has no estimate to reset; set one first.")
        time = time.model_copy(update={"reset_option": period}) if time else None
        money = money.model_copy(update={"reset_option": period}) if money else None
    if time is None and money is None and reset is None:
        raise AdminError("Say what to estimate: --time HOURS, --budget AMOUNT or --from-tasks.")
    return EstimateChange(
        time_estimate=time,
        budget_estimate=money,
        estimate_reset=ResetOff() if period is None and reset is not None else None,
    )


def task_progress(context: Context) -> dict[str, float]:
    """Local task id → tracked time as a share of its estimate, from the kept projects
    (none kept, as for a member: empty). No request, and only the small digest is read:
    the pickers read it as they open."""
    digest = AdminProjects(context).kept(_DIGEST)
    shares = digest.value.get("tasks", {}) if digest else {}
    if not shares:
        return {}
    local = context.store.catalog.local_ids("task", context.workspace_id)
    return {local.get(task_id, task_id): float(share) for task_id, share in shares.items()}


@dataclass(frozen=True)
class SpentBudget:
    """A project whose budget the kept copy says is spent (the popup asks first)."""

    id: str
    name: str
    budget_progress: float


def spent_budget(context: Context, project_id: str) -> SpentBudget | None:
    """The project (a local catalog id) when the kept copy says its budget is spent; the
    popup asks before starting on it. No request, and only the small digest is read.

    A budget that resets each period is never called spent here: the kept amount counts
    the whole range read (since 2000 on a paid plan), not the current period.
    """
    server = context.store.catalog.server_id("project", project_id) or project_id
    digest = AdminProjects(context).kept(_DIGEST)
    found = digest.value.get("spent", {}).get(server) if digest else None
    if not isinstance(found, list) or len(found) != 3:
        return None
    return SpentBudget(str(found[0]), str(found[1]), float(found[2]))
