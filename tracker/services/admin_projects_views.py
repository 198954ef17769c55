"""What an administrator reads of projects, as plain frozen views (no pydantic: the
windows and the CLI read these), built from Clockify's records and from the kept copy, and
the ways a person names one (an id, the start of one, a name, a part of one)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import timedelta
from typing import Any, TypeVar

from tracker.api.models.account import Rate
from tracker.api.models.admin_projects import ProjectRecord, TaskRecord
from tracker.api.models.reports import ReportGroup
from tracker.services.admin_base import AdminError

__all__ = [
    "MemberView",
    "ProjectView",
    "TaskView",
    "cents",
    "keep_task_progress",
    "pick",
    "pick_task",
    "project_view",
    "task_view",
    "thaw_project",
    "valid",
    "with_progress",
]

T = TypeVar("T")


_RATE_MOST = 2**31 - 1
"""Clockify keeps a rate as 32-bit cents (``HourlyRateRequestV1.amount``, int32)."""
_BUDGET_MOST = 2**53 - 1
"""A budget is 64-bit cents; past 2**53 a float no longer holds every cent."""


def cents(amount: float, *, budget: bool = False) -> int:
    """An amount in the workspace's currency as Clockify's integer cents.

    Raises:
        AdminError: not a finite amount, negative, or more than Clockify keeps.
    """
    if not math.isfinite(amount):
        raise AdminError(f"A rate or budget is an amount of money, not {amount}.")
    if amount < 0:
        raise AdminError("A rate or budget cannot be negative.")
    value = round(amount * 100)
    most = _BUDGET_MOST if budget else _RATE_MOST
    if value > most:
        what = "A budget" if budget else "A rate"
        raise AdminError(f"{what} can be at most {most / 100:,.2f}.")
    return value


def _amount(rate: Rate | None) -> int | None:
    return None if rate is None or rate.amount is None else int(rate.amount)


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else round(value.total_seconds())


@dataclass(frozen=True)
class MemberView:
    """A member of a project and the rates set for them on it (cents; None: not set)."""

    user_id: str
    name: str
    hourly_rate: int | None = None
    cost_rate: int | None = None


@dataclass(frozen=True)
class TaskView:
    """A task with its estimates and what was tracked on it (seconds, cents)."""

    id: str
    name: str
    project_id: str
    done: bool
    estimate_seconds: int | None
    budget: int | None
    assignee_ids: tuple[str, ...]
    hourly_rate: int | None
    cost_rate: int | None
    tracked_seconds: int = 0
    amount: int = 0


@dataclass(frozen=True)
class ProjectView:
    """A project as an administrator reads it, with its progress."""

    id: str
    name: str
    client_id: str | None
    client_name: str
    color: str
    billable: bool
    public: bool
    archived: bool
    template: bool
    note: str
    hourly_rate: int | None
    cost_rate: int | None
    members: tuple[MemberView, ...]
    estimate_seconds: int | None
    """The time estimate (the tasks' sum when ``estimate_from_tasks``); None: none set."""
    estimate_from_tasks: bool
    estimate_reset: str | None
    budget: int | None
    """The budget estimate in cents; None: none set."""
    budget_reset: str | None
    tasks: tuple[TaskView, ...]
    tracked_seconds: int = 0
    amount: int = 0
    """The billable amount earned on it (cents), which the budget is measured against."""

    @property
    def time_progress(self) -> float | None:
        """Tracked time as a share of the estimate (1.0 = all of it), None without one."""
        if not self.estimate_seconds:
            return None
        return self.tracked_seconds / self.estimate_seconds

    @property
    def budget_progress(self) -> float | None:
        """The amount earned as a share of the budget, None without one."""
        if not self.budget:
            return None
        return self.amount / self.budget

    @property
    def budget_spent(self) -> bool:
        """Whether the budget is used up (the popup warns before starting on it)."""
        progress = self.budget_progress
        return progress is not None and progress >= 1.0


def task_view(record: TaskRecord, project_id: str) -> TaskView:
    return TaskView(
        id=record.id,
        name=record.name,
        project_id=record.project_id or project_id,
        done=(record.status or "ACTIVE").upper() == "DONE",
        estimate_seconds=_seconds(record.estimate) or None,
        budget=record.budget_estimate or None,
        assignee_ids=tuple(record.assignee_ids),
        hourly_rate=_amount(record.hourly_rate),
        cost_rate=_amount(record.cost_rate),
    )


def project_view(record: ProjectRecord, names: dict[str, str]) -> ProjectView:
    time = record.time_estimate
    budget = record.budget_estimate
    members = tuple(
        MemberView(
            m.user_id,
            names.get(m.user_id, m.user_id),
            _amount(m.hourly_rate),
            _amount(m.cost_rate),
        )
        for m in record.memberships
    )
    # An estimate that is not active is not shown by Clockify, and counts as none here.
    timed = time is not None and time.active is not False
    from_tasks = timed and time is not None and (time.type or "").upper() == "AUTO"
    budgeted = budget is not None and budget.active is not False
    return ProjectView(
        id=record.id,
        name=record.name,
        client_id=record.client_id,
        client_name=record.client_name or "",
        color=record.color or "",
        billable=record.billable,
        public=bool(record.public),
        archived=record.archived,
        template=bool(record.template),
        note=record.note or "",
        hourly_rate=_amount(record.hourly_rate),
        cost_rate=_amount(record.cost_rate),
        members=members,
        estimate_seconds=(_seconds(time.estimate) or None) if time and timed else None,
        estimate_from_tasks=from_tasks,
        estimate_reset=time.reset_option if time else None,
        budget=(budget.estimate or None) if budget and budgeted else None,
        budget_reset=budget.reset_option if budget else None,
        tasks=tuple(task_view(t, record.id) for t in record.tasks or ()),
    )


def with_progress(view: ProjectView, groups: dict[str, ReportGroup]) -> ProjectView:
    group = groups.get(view.id)
    if group is None:
        return view
    by_task = {child.id: child for child in group.children}
    tasks = tuple(
        replace(t, tracked_seconds=by_task[t.id].duration, amount=by_task[t.id].amount)
        if t.id in by_task
        else t
        for t in view.tasks
    )
    return replace(view, tracked_seconds=group.duration, amount=group.amount, tasks=tasks)


def thaw_project(raw: dict[str, Any]) -> ProjectView:
    """A kept project (as :func:`dataclasses.asdict` wrote it) as its view again."""
    fields = dict(raw)
    fields["members"] = tuple([_revive(MemberView, m) for m in raw.get("members", ())])
    fields["tasks"] = tuple(
        [
            _revive(TaskView, {**t, "assignee_ids": tuple(t.get("assignee_ids", ()))})
            for t in raw.get("tasks", ())
        ]
    )
    return _revive(ProjectView, fields)


_NAMES: dict[type, frozenset[str]] = {
    kind: frozenset(f.name for f in dataclass_fields(kind))
    for kind in (MemberView, TaskView, ProjectView)
}


def _revive(kind: type[T], fields: dict[str, Any]) -> T:
    """``kind(**fields)`` for a copy that holds exactly the view's fields, without running
    the frozen dataclass's ``__init__`` (a setattr through ``object`` per field): opening
    5,000 kept projects builds 20,000 views, 64 ms that way, 24 ms this way. Anything
    else (a copy of an older shape) goes through ``__init__`` and its checks."""
    if fields.keys() != _NAMES[kind]:
        return kind(**fields)
    made = object.__new__(kind)
    made.__dict__.update(fields)
    return made


def pick(projects: Sequence[ProjectView], wanted: str) -> ProjectView:
    """The one project ``wanted`` names: an id or its start (6+ characters), a name, or a
    part of one name.

    Raises:
        AdminError: none or several match (the message names them).
    """
    text = wanted.strip()
    folded = text.casefold()
    for found in (
        [p for p in projects if p.id == text],
        [p for p in projects if len(text) >= 6 and p.id.startswith(text)],
        [p for p in projects if p.name.casefold() == folded],
        [p for p in projects if folded and folded in p.name.casefold()],
    ):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(sorted(p.name for p in found)[:5])
            raise AdminError(f"{wanted!r} matches several projects ({names}); say which.")
    raise AdminError(f"No project here is called {wanted!r}.")


def pick_task(project: ProjectView, wanted: str) -> TaskView:
    """The one task of ``project`` that ``wanted`` names (id, start of one, name, part)."""
    text = wanted.strip()
    folded = text.casefold()
    for found in (
        [t for t in project.tasks if t.id == text],
        [t for t in project.tasks if len(text) >= 6 and t.id.startswith(text)],
        [t for t in project.tasks if t.name.casefold() == folded],
        [t for t in project.tasks if folded and folded in t.name.casefold()],
    ):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(sorted(t.name for t in found)[:5])
            raise AdminError(f"{wanted!r} matches several tasks of {project.name} ({names}).")
    raise AdminError(f"{project.name} has no task called {wanted!r}.")


def keep_task_progress(
    tasks: Iterable[TaskView], before: Iterable[TaskView]
) -> tuple[TaskView, ...]:
    old = {t.id: t for t in before}
    return tuple(
        replace(t, tracked_seconds=old[t.id].tracked_seconds, amount=old[t.id].amount)
        if t.id in old
        else t
        for t in tasks
    )


def valid(build: Callable[[], T]) -> T:
    """A request body, or one sentence saying what is wrong with the input."""
    from pydantic import ValidationError  # noqa: PLC0415 - only on the write path

    try:
        return build()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = " ".join(str(part) for part in first.get("loc", ())).replace("_", " ")
        if first.get("type") == "string_pattern_mismatch":
            raise AdminError(f"Not sent: a {where} is written #RRGGBB (like #4CAF50).") from exc
        said = str(first.get("msg", "is not valid"))
        raise AdminError(f"Not sent: the {where}: {said[:1].lower()}{said[1:]}.") from exc
