"""Projects, tasks, tags and clients: finding them by what people type, and quick creation.

Items created here get a fresh local id and wait in the store; sync creates them on Clockify
before the entries that use them (ARCHITECTURE "Sync rules" 2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from tracker.domain.model import Client, CustomFieldDef, Project, Tag, Task, new_id
from tracker.services.changes import Changes
from tracker.services.context import Context
from tracker.services.errors import ServiceError
from tracker.services.names import Candidate, pick
from tracker.store import Ref

__all__ = ["Catalog"]

T = TypeVar("T", Client, Project, Task, Tag, CustomFieldDef)

CREATED = Changes(catalog=True, sync=True)
"""What a quick creation changes: the catalog, and what waits to be sent."""

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
MAX_NAME = 250
"""A generous cap (not a documented Clockify limit): a pasted paragraph is a slip, not a name."""


def _only(kind: type[T], items: Iterable[Ref]) -> list[T]:
    return [item for item in items if isinstance(item, kind)]


class Catalog:
    """Reference data of the current workspace."""

    def __init__(self, context: Context) -> None:
        self.context = context

    # --- lists ------------------------------------------------------------------------------

    def projects(self, *, archived: bool = False) -> list[Project]:
        """The workspace's projects by name."""
        store = self.context.store
        return _only(
            Project, store.catalog.all("project", self.context.workspace_id, archived=archived)
        )

    def tasks(self, project: Project | None = None, *, done: bool = False) -> list[Task]:
        """A project's tasks, or every task of the workspace."""
        store = self.context.store
        if project is not None:
            return _only(Task, store.catalog.children("task", project.id, archived=done))
        return _only(Task, store.catalog.all("task", self.context.workspace_id, archived=done))

    def tags(self, *, archived: bool = False) -> list[Tag]:
        """The workspace's tags by name."""
        store = self.context.store
        return _only(Tag, store.catalog.all("tag", self.context.workspace_id, archived=archived))

    def clients(self, *, archived: bool = False) -> list[Client]:
        """The workspace's clients by name."""
        store = self.context.store
        return _only(
            Client, store.catalog.all("client", self.context.workspace_id, archived=archived)
        )

    def client_names(self) -> dict[str, str]:
        """Client id → name, archived ones included (old projects still name them)."""
        return {c.id: c.name for c in self.clients(archived=True)}

    def billable_default(self, project_id: str | None) -> bool:
        """Whether an entry on ``project_id`` is billable unless the person says otherwise:
        the project's default, as Clockify applies it when a project is chosen."""
        project = self.context.store.catalog.get("project", project_id or "")
        return isinstance(project, Project) and project.billable

    def project_label(self, project: Project, clients: dict[str, str] | None = None) -> str:
        """A project as listed: its name, and its client's in parentheses."""
        names = self.client_names() if clients is None else clients
        client = names.get(project.client_id or "")
        return f"{project.name} ({client})" if client else project.name

    # --- resolution -------------------------------------------------------------------------

    def resolve_project(self, text: str) -> Project:
        """The project ``text`` (an id or a name) means; see :mod:`tracker.services.names`."""
        clients = self.client_names()
        everything = self.projects(archived=True)

        def candidate(p: Project) -> Candidate[Project]:
            return Candidate(p, p.id, p.name, self.project_label(p, clients))

        return pick(
            "project",
            text,
            [candidate(p) for p in everything if not p.archived],
            retired=[candidate(p) for p in everything if p.archived],
            hint=f"Create it with `tracker projects add {_quoted(text)}`.",
        )

    def resolve_task(self, text: str, project: Project | None = None) -> Task:
        """The task ``text`` means, within ``project`` or (without one) in any project."""
        everything = self.tasks(project, done=True)
        projects = {p.id: p.name for p in self.projects(archived=True)}

        def candidate(t: Task) -> Candidate[Task]:
            owner = projects.get(t.project_id)
            label = t.name if project is not None or owner is None else f"{t.name} ({owner})"
            return Candidate(t, t.id, t.name, label)

        where = f" -p {_quoted(project.name)}" if project is not None else " -p PROJECT"
        return pick(
            "task",
            text,
            [candidate(t) for t in everything if not t.done],
            retired=[candidate(t) for t in everything if t.done],
            retired_word="done",
            hint=f"Create it with `tracker tasks add{where} {_quoted(text)}`.",
        )

    def resolve_tag(self, text: str) -> Tag:
        """The tag ``text`` means."""
        everything = self.tags(archived=True)
        return pick(
            "tag",
            text,
            [Candidate(t, t.id, t.name, t.name) for t in everything if not t.archived],
            retired=[Candidate(t, t.id, t.name, t.name) for t in everything if t.archived],
            hint=f"Create it with `tracker tags add {_quoted(text)}`.",
        )

    def resolve_client(self, text: str) -> Client:
        """The client ``text`` means."""
        everything = self.clients(archived=True)
        return pick(
            "client",
            text,
            [Candidate(c, c.id, c.name, c.name) for c in everything if not c.archived],
            retired=[Candidate(c, c.id, c.name, c.name) for c in everything if c.archived],
            hint=f"Create it with `tracker clients add {_quoted(text)}`.",
        )

    def resolve_field(self, text: str) -> CustomFieldDef:
        """The custom field ``text`` (its id or name) means."""
        everything = self.context.custom_fields()
        return pick(
            "custom field",
            text,
            [Candidate(f, f.id, f.name, f.name) for f in everything if f.active],
            retired=[Candidate(f, f.id, f.name, f.name) for f in everything if not f.active],
            retired_word="inactive",
            hint="Custom fields are defined in Clockify; `tracker sync` fetches them.",
        )

    def resolve_tags(self, texts: Sequence[str]) -> tuple[str, ...]:
        """Tag ids for ``texts``, each resolved, without repeats, in the order given."""
        ids: list[str] = []
        for text in texts:
            tag = self.resolve_tag(text)
            if tag.id not in ids:
                ids.append(tag.id)
        return tuple(ids)

    # --- quick creation ---------------------------------------------------------------------

    def create_client(self, name: str) -> Client:
        """A new client, stored at once and sent to Clockify by the next sync."""
        clean = _name("client", name)
        for existing in self.clients(archived=True):
            if existing.name.casefold() == clean.casefold():
                raise ServiceError(f"A client named {existing.name!r} already exists.")
        client = Client(new_id(), self.context.workspace_id, clean)
        self.context.store.catalog.add_local(client)
        self.context.note(CREATED)
        return client

    def create_project(
        self,
        name: str,
        client: str | None = None,
        color: str | None = None,
        *,
        billable: bool = False,
    ) -> Project:
        """A new project (of ``client``, a client id or name), stored at once."""
        clean = _name("project", name)
        owner = self.resolve_client(client) if client else None
        if color is not None and not _COLOR.fullmatch(color):
            raise ServiceError(f"{color!r} is not a colour; give it as #rrggbb, e.g. #03a9f4.")
        for existing in self.projects(archived=True):
            if existing.name.casefold() == clean.casefold() and existing.client_id == (
                owner.id if owner else None
            ):
                raise ServiceError(
                    f"A project named {self.project_label(existing)!r} already exists."
                )
        project = Project(
            new_id(),
            self.context.workspace_id,
            clean,
            client_id=owner.id if owner else None,
            color=color.lower() if color else None,
            billable=billable,
        )
        self.context.store.catalog.add_local(project)
        self.context.note(CREATED)
        return project

    def create_task(self, project: str | Project, name: str) -> Task:
        """A new task of ``project`` (a project, or its id or name), stored at once."""
        owner = project if isinstance(project, Project) else self.resolve_project(project)
        clean = _name("task", name)
        for existing in self.tasks(owner, done=True):
            if existing.name.casefold() == clean.casefold():
                raise ServiceError(
                    f"Project {owner.name!r} already has a task named {existing.name!r}."
                )
        task = Task(new_id(), self.context.workspace_id, owner.id, clean)
        self.context.store.catalog.add_local(task)
        self.context.note(CREATED)
        return task

    def create_tag(self, name: str) -> Tag:
        """A new tag, stored at once."""
        clean = _name("tag", name)
        for existing in self.tags(archived=True):
            if existing.name.casefold() == clean.casefold():
                raise ServiceError(f"A tag named {existing.name!r} already exists.")
        tag = Tag(new_id(), self.context.workspace_id, clean)
        self.context.store.catalog.add_local(tag)
        self.context.note(CREATED)
        return tag


def _name(kind: str, name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ServiceError(f"A {kind} needs a name.")
    if len(clean) > MAX_NAME:
        raise ServiceError(f"A {kind} name can have at most {MAX_NAME} characters.")
    return clean


def _quoted(text: str) -> str:
    return f'"{text}"' if any(ch.isspace() for ch in text) else text
