"""Reference data on Clockify: clients, projects, tasks, tags and custom fields.

A refresh replaces the workspace's cached copy with Clockify's: one list per kind, and
projects come hydrated with their tasks (one request per 200 projects). A push sends what was
created here, parents before children (a project's client, a task's project: sync rule 2),
and treats each create as Clockify's lack of an idempotency key demands (rule 3, see
:mod:`tracker.sync.unclear`): the item is looked for by name first and adopted when Clockify
has it; a create that went out without a clear answer is looked for at most every
:data:`~tracker.sync.unclear.LOOK_AGAIN` and never sent again before
:data:`~tracker.sync.unclear.UNCLEAR_HORIZON`.

What differs between kinds (how to list, find and create one, what its parent is) is one row
of :data:`KINDS`; the rules above are written once, for every kind.

Failures: a 400 or 403 parks the item with Clockify's message and the push goes on; any other
:class:`~tracker.api.ClockifyError` is raised after the item's state is recorded, and the
engine ends the round on it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from tracker.api import BadRequestError, ClockifyClient, ClockifyError, ForbiddenError
from tracker.api.models import ClientCreate, ProjectCreate, Rejected, TaskCreate
from tracker.domain.model import Client, CustomFieldDef, Project, Tag, Task
from tracker.store import Store
from tracker.store.catalog import Kind, Ref
from tracker.sync.unclear import BootClock, Flight, boot_stamp

__all__ = ["KINDS", "REFS_MAX_AGE", "Notes", "RefKind", "ReferenceSync"]

REFS_MAX_AGE = timedelta(hours=12)
"""How old the cached reference data may get before a round refreshes it."""

T = TypeVar("T")


class Named(Protocol):
    """What sync reads of a reference item Clockify sent."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


class Notes(Protocol):
    """Where a push records what the round's report shows (a :class:`SyncReport`)."""

    parked: list[tuple[str, str]]
    recheck_in: float | None


Fetch = Callable[[ClockifyClient, str, list[Rejected]], Awaitable[list[Any]]]
"""Every item of a kind in the workspace (unreadable ones go to the list of rejects)."""
Find = Callable[[ClockifyClient, str, str, str | None], AsyncIterator[Named]]
"""Items Clockify finds by a name (workspace, name, the parent's server id)."""
Create = Callable[[ClockifyClient, str, Any, str | None], Awaitable[Named]]
"""Create the item on Clockify (workspace, item, the parent's server id)."""


def _no_parent(item: Any) -> str | None:
    del item  # the signature of the others
    return None


@dataclass(frozen=True)
class RefKind:
    """How sync handles one kind of reference data.

    Attributes:
        kind: the kind, as the store names it.
        to_local: one item Clockify sent (of the list named by ``source``) as this kind's
            (server id, value) pairs; a hydrated project holds several tasks.
        source: the kind whose list holds these items (tasks come inside their projects).
        fetch: lists the workspace's items; ``None`` when they come with ``source``.
        parent: the kind of the item's parent on Clockify, if any.
        parent_of: the local id of an item's parent.
        needs_parent: the item can be neither looked for nor created before its parent is
            on Clockify (a task needs its project; a project can do without its client).
        find: looks items up by name; ``None``: never created here (custom fields).
        create: creates one on Clockify.
    """

    kind: Kind
    to_local: Callable[[Any, str], Iterable[tuple[str, Ref]]]
    source: Kind
    fetch: Fetch | None = None
    parent: Kind | None = None
    parent_of: Callable[[Any], str | None] = _no_parent
    needs_parent: bool = False
    find: Find | None = None
    create: Create | None = None


async def _all(items: AsyncIterator[T]) -> list[T]:
    return [item async for item in items]


# --- clients --------------------------------------------------------------------------------


def _fetch_clients(api: ClockifyClient, ws: str, rejects: list[Rejected]) -> Awaitable[list[Any]]:
    return _all(api.clients.list(ws, rejects=rejects))


def _client(wire: Any, ws: str) -> Iterable[tuple[str, Ref]]:
    return [(wire.id, Client(wire.id, ws, wire.name, archived=wire.archived))]


def _find_clients(api: ClockifyClient, ws: str, name: str, _: str | None) -> AsyncIterator[Named]:
    return api.clients.list(ws, name=name)


def _create_client(api: ClockifyClient, ws: str, item: Client, _: str | None) -> Awaitable[Named]:
    return api.clients.create(ws, ClientCreate(name=item.name))


# --- projects and their tasks ---------------------------------------------------------------


def _fetch_projects(api: ClockifyClient, ws: str, rejects: list[Rejected]) -> Awaitable[list[Any]]:
    return _all(api.projects.list(ws, hydrated=True, rejects=rejects))


def _project(wire: Any, ws: str) -> Iterable[tuple[str, Ref]]:
    value = Project(
        wire.id,
        ws,
        wire.name,
        client_id=wire.client_id,
        color=wire.color,
        billable=wire.billable,
        archived=wire.archived,
    )
    return [(wire.id, value)]


def _project_client(item: Project) -> str | None:
    return item.client_id


def _find_projects(api: ClockifyClient, ws: str, name: str, _: str | None) -> AsyncIterator[Named]:
    return api.projects.list(ws, name=name, strict_name_search=True)


def _create_project(
    api: ClockifyClient, ws: str, item: Project, client: str | None
) -> Awaitable[Named]:
    body = ProjectCreate(name=item.name, client_id=client, color=item.color, billable=item.billable)
    return api.projects.create(ws, body)


def _tasks(project: Any, ws: str) -> Iterable[tuple[str, Ref]]:
    return [
        (t.id, Task(t.id, ws, project.id, t.name, done=not t.active, estimate=t.estimate))
        for t in project.tasks or ()
    ]


def _task_project(item: Task) -> str | None:
    return item.project_id


def _find_tasks(
    api: ClockifyClient, ws: str, name: str, project: str | None
) -> AsyncIterator[Named]:
    assert project is not None  # needs_parent: never looked for without its project
    return api.tasks.list(ws, project, name=name)


def _create_task(api: ClockifyClient, ws: str, item: Task, project: str | None) -> Awaitable[Named]:
    assert project is not None  # needs_parent: never created without its project
    return api.tasks.create(ws, project, TaskCreate(name=item.name))


# --- tags -----------------------------------------------------------------------------------


def _fetch_tags(api: ClockifyClient, ws: str, rejects: list[Rejected]) -> Awaitable[list[Any]]:
    return _all(api.tags.list(ws, rejects=rejects))


def _tag(wire: Any, ws: str) -> Iterable[tuple[str, Ref]]:
    return [(wire.id, Tag(wire.id, ws, wire.name, archived=wire.archived))]


def _find_tags(api: ClockifyClient, ws: str, name: str, _: str | None) -> AsyncIterator[Named]:
    return api.tags.list(ws, name=name)


def _create_tag(api: ClockifyClient, ws: str, item: Tag, _: str | None) -> Awaitable[Named]:
    return api.tags.create(ws, item.name)


# --- custom fields --------------------------------------------------------------------------


async def _fetch_fields(api: ClockifyClient, ws: str, rejects: list[Rejected]) -> list[Any]:
    try:
        return await api.custom_fields.list(ws, entity_type="TIMEENTRY", rejects=rejects)
    except ForbiddenError:
        return []  # custom fields are a paid feature


def _field(wire: Any, ws: str) -> Iterable[tuple[str, Ref]]:
    value = CustomFieldDef(
        wire.id,
        ws,
        wire.name,
        kind=wire.type or "TXT",
        required=wire.required,
        allowed_values=tuple(wire.allowed_values),
        active=(wire.status or "ACTIVE").upper() in ("ACTIVE", "VISIBLE"),
    )
    return [(wire.id, value)]


KINDS: tuple[RefKind, ...] = (
    RefKind(
        "client",
        _client,
        source="client",
        fetch=_fetch_clients,
        find=_find_clients,
        create=_create_client,
    ),
    RefKind(
        "project",
        _project,
        source="project",
        fetch=_fetch_projects,
        parent="client",
        parent_of=_project_client,
        find=_find_projects,
        create=_create_project,
    ),
    RefKind(
        "task",
        _tasks,
        source="project",
        parent="project",
        parent_of=_task_project,
        needs_parent=True,
        find=_find_tasks,
        create=_create_task,
    ),
    RefKind("tag", _tag, source="tag", fetch=_fetch_tags, find=_find_tags, create=_create_tag),
    RefKind("field", _field, source="field", fetch=_fetch_fields),
)
"""Every kind, parents before children: the order of fetches, of writes to the store (a
parent's server id must be known locally before its children's), and of pushes."""


class ReferenceSync:
    """Refreshes and pushes one workspace's reference data.

    Args:
        store: the store (on the calling thread).
        api: the Clockify client.
        workspace_id: the workspace.
        clock: the current time (aware).
        boot: this boot's clock (the horizon of unclear creates).
    """

    def __init__(
        self,
        store: Store,
        api: ClockifyClient,
        *,
        workspace_id: str,
        clock: Callable[[], datetime],
        boot: BootClock,
    ) -> None:
        self.store = store
        self.api = api
        self.ws = workspace_id
        self.clock = clock
        self.boot = boot

    def stale(self) -> bool:
        """Whether the cached copy is unknown or older than :data:`REFS_MAX_AGE`."""
        fetched = self.store.meta.refs_fetched_at(self.ws)
        return fetched is None or self.clock().timestamp() - fetched > REFS_MAX_AGE.total_seconds()

    async def refresh(self, rejects: list[Rejected]) -> None:
        """Fetch every kind, then replace the cache (nothing is replaced if a fetch fails)."""
        ws = self.ws
        fetched: dict[Kind, list[Any]] = {}
        for spec in KINDS:
            if spec.fetch is not None:
                fetched[spec.kind] = await spec.fetch(self.api, ws, rejects)
        for spec in KINDS:
            self.store.catalog.replace_from_server(
                spec.kind,
                ws,
                (pair for wire in fetched[spec.source] for pair in spec.to_local(wire, ws)),
            )
        self.store.meta.set_refs_fetched_at(ws, self.clock().timestamp())

    async def push(self, notes: Notes) -> None:
        """Send every item created here, parents first."""
        for spec in KINDS:
            if spec.create is not None:
                for item in self.store.catalog.unsent(spec.kind, self.ws):
                    await self._push(spec, item, notes)

    async def _push(self, spec: RefKind, item: Any, notes: Notes) -> None:
        """Create ``item``, or adopt the one Clockify already has by that name.

        A create that went out with no clear answer is looked for by name like any other, and
        is not sent again before :data:`~tracker.sync.unclear.UNCLEAR_HORIZON`.
        """
        catalog, ws, kind = self.store.catalog, self.ws, spec.kind
        now, boot = self.clock().timestamp(), self.boot()
        flown = catalog.flight(kind, item.id)
        flight = None if flown is None else Flight(*flown)
        passed = flight is None or flight.horizon_passed(now, boot)
        if flight is not None and not passed and not flight.look_due(now):
            self._recheck(flight, notes)
            return  # looked for lately; Clockify may still commit it: never send it twice
        parent = self._parent(spec, item)
        creating = False
        try:
            existing = await self._find(spec, item, parent)
            if existing is not None:
                target = catalog.local_id(kind, ws, existing)
                if target is not None and target != item.id:
                    catalog.merge_into(kind, item.id, target)
                else:
                    catalog.mark_sent(kind, item.id, existing)
                return
            if flight is not None and not passed:
                catalog.note_looked(kind, item.id, now)
                sent_at = None if flight.sent_at is None else min(flight.sent_at, now)
                self._recheck(Flight(sent_at, flight.sent_boot, now), notes)
                return  # not there yet, and Clockify may still commit it
            if spec.create is None or (spec.needs_parent and parent is None):
                return  # its parent is parked or not sent: it waits
            catalog.mark_in_flight(kind, item.id, now, boot_stamp(self.boot))
            creating = True
            made = await spec.create(self.api, ws, item, parent)
        except (BadRequestError, ForbiddenError) as exc:
            catalog.park(kind, item.id, exc.message)
            notes.parked.append((item.id, exc.message))
            return
        except ClockifyError as exc:
            if creating and not exc.maybe_committed:
                catalog.record_not_sent(kind, item.id)
            raise
        catalog.mark_sent(kind, item.id, made.id)

    def _parent(self, spec: RefKind, item: Any) -> str | None:
        """The server id of the item's parent (``None``: no parent, or not on Clockify)."""
        local = spec.parent_of(item)
        if spec.parent is None or not local:
            return None
        return self.store.catalog.server_id(spec.parent, local)

    async def _find(self, spec: RefKind, item: Any, parent: str | None) -> str | None:
        """Clockify's id of an item of this kind with this exact name (case aside)."""
        if spec.find is None or (spec.needs_parent and parent is None):
            return None
        wanted = item.name.lower()
        found = [
            wire.id
            async for wire in spec.find(self.api, self.ws, item.name, parent)
            if wire.name.lower() == wanted
        ]
        return found[0] if found else None

    def _recheck(self, flight: Flight, notes: Notes) -> None:
        """Note when an unclear create is next due to be looked for."""
        wait = flight.next_check(self.clock().timestamp(), self.boot())
        notes.recheck_in = wait if notes.recheck_in is None else min(notes.recheck_in, wait)
