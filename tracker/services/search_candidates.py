"""What a project picker lists: every project and its open tasks, favourites first, then by
client, as :class:`Candidate` rows that :mod:`tracker.services.search_index` indexes."""

from __future__ import annotations

from collections.abc import Collection, Generator, Iterable, Mapping
from datetime import timedelta
from typing import NamedTuple

from tracker.domain.model import Project, Task
from tracker.services.search_steps import STEP, batched, finish, sorted_in_steps

__all__ = ["NO_PROJECT", "Candidate", "candidate_steps", "candidates"]


class Candidate(NamedTuple):
    """A project, or a project's task, as a picker lists it."""

    project_id: str | None
    task_id: str | None
    label: str
    client: str | None
    color: str | None
    estimate: timedelta | None
    pinned: bool = False

    @property
    def group(self) -> str | None:
        """The client's name: searched on its own, and what the list is grouped by."""
        return self.client


NO_PROJECT = Candidate(None, None, "No project", None, None, None)
"""The row that clears the project and task."""


def candidates(
    projects: Iterable[Project],
    tasks: Iterable[Task],
    client_names: Mapping[str, str],
    pinned: Collection[str] = (),
) -> list[Candidate]:
    """Every project and its open tasks, in the order a picker lists them with no query.

    Favourites (project or task ids in ``pinned``) come first; then projects by client
    (those without one first) and name, each followed by its open tasks by name. A pinned
    project keeps its tasks under it; a pinned task alone moves up.
    """
    return finish(candidate_steps(projects, tasks, client_names, pinned))


def candidate_steps(
    projects: Iterable[Project],
    tasks: Iterable[Task],
    client_names: Mapping[str, str],
    pinned: Collection[str] = (),
) -> Generator[None, None, list[Candidate]]:
    """:func:`candidates` a step at a time (see :mod:`tracker.services.search_steps`)."""
    open_tasks: dict[str, list[Task]] = {}
    for some_tasks in batched(tasks, STEP):
        for task in some_tasks:
            if not task.done:
                open_tasks.setdefault(task.project_id, []).append(task)
        yield
    listed: list[tuple[str, str, int, Project, str | None]] = []
    for some_projects in batched(projects, STEP):
        for project in some_projects:
            client = client_names.get(project.client_id or "")
            key = ((client or "").lower(), project.name.lower(), len(listed))
            listed.append((*key, project, client))
        yield
    listed = yield from sorted_in_steps(listed, len(listed))
    favourites: list[Candidate] = []
    rest: list[Candidate] = []
    for some_listed in batched(listed, STEP // 4):
        for _, _, _, project, client in some_listed:
            pinned_project = project.id in pinned
            (favourites if pinned_project else rest).append(
                Candidate(
                    project.id, None, project.name, client, project.color, None, pinned_project
                )
            )
            for task in sorted(open_tasks.get(project.id, ()), key=_task_name):
                pin = pinned_project or task.id in pinned
                label = f"{project.name}: {task.name}"
                item = Candidate(
                    project.id, task.id, label, client, project.color, task.estimate, pin
                )
                (favourites if pin else rest).append(item)
        yield
    return favourites + rest


def _task_name(task: Task) -> str:
    return task.name.lower()
