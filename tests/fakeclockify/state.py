"""The test server's whole in-memory world, guarded by one lock.

Handler threads and tests share one :class:`State`. Every route runs with ``lock`` held, and
every write bumps ``version`` so the server can tell whether a request changed anything (the
``committed`` flag of an exchange). The read helpers at the bottom are for test assertions and
return bodies exactly as the API would.
"""

from __future__ import annotations

import secrets
import string
import threading
from collections.abc import Callable
from typing import Any

from tests.fakeclockify.access import BUNDLE_PLAN, features_for, subscription_for
from tests.fakeclockify.records import (
    Client,
    CustomField,
    Entry,
    Member,
    Project,
    Tag,
    Task,
    User,
    Workspace,
    WorkspaceData,
)
from tests.fakeclockify.views import (
    client_dto,
    custom_field_dto,
    default_workspace_settings,
    entry_dto,
    project_dto,
    tag_dto,
    task_dto,
    user_dto,
    workspace_dto,
)
from tests.fakeclockify.wire import new_object_id

__all__ = ["State"]

_KEY_ALPHABET = string.ascii_letters + string.digits


class State:
    """Users, keys and workspaces, plus the server's clock.

    ``now()`` is the injected clock plus ``offset`` (moved by ``advance``), in whole seconds as
    Clockify stores them.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self.lock = threading.RLock()
        self.version = 0
        self.offset = 0.0
        self._clock = clock
        self.users: dict[str, User] = {}
        self.keys: dict[str, str] = {}
        self.workspaces: dict[str, WorkspaceData] = {}

    # --- time and ids -------------------------------------------------------------------

    def now_float(self) -> float:
        """The server's current time in epoch seconds (clock plus advance offset)."""
        return self._clock() + self.offset

    def now(self) -> int:
        """The server's current time in whole epoch seconds."""
        return int(self.now_float())

    def new_id(self) -> str:
        """A fresh ObjectId-shaped id stamped with the server's time."""
        return new_object_id(self.now_float())

    def touch(self) -> None:
        """Record that state changed (used to report ``committed``)."""
        self.version += 1

    # --- building the world (seeds and tests) --------------------------------------------

    def add_user(
        self,
        name: str | None,
        email: str,
        *,
        time_zone: str = "Europe/Berlin",
        week_start: str = "MONDAY",
    ) -> User:
        """Create an account (without a workspace yet)."""
        with self.lock:
            user = User(
                id=self.new_id(),
                name=name,
                email=email,
                time_zone=time_zone,
                week_start=week_start,
            )
            self.users[user.id] = user
            self.touch()
            return user

    def issue_key(self, user_id: str) -> str:
        """A new random 48-character API key for the user."""
        key = "".join(secrets.choice(_KEY_ALPHABET) for _ in range(48))
        with self.lock:
            self.keys[key] = user_id
        return key

    def revoke_key(self, key: str) -> None:
        """Make the key unknown, so it gets ``Api key does not exist``."""
        with self.lock:
            self.keys.pop(key, None)

    def add_workspace(
        self,
        owner_id: str,
        name: str,
        *,
        plan: str = BUNDLE_PLAN,
        currency: str = "EUR",
        hourly_rate: int | None = 0,
        cost_rate: int | None = None,
    ) -> WorkspaceData:
        """Create a workspace owned by the user; the first one becomes the default."""
        with self.lock:
            workspace = Workspace(
                id=self.new_id(),
                name=name,
                owner_id=owner_id,
                currency=currency,
                plan=subscription_for(plan),
                features=features_for(plan),
                hourly_rate=None
                if hourly_rate is None
                else {"amount": hourly_rate, "currency": currency},
                cost_rate=None
                if cost_rate is None
                else {"amount": cost_rate, "currency": currency},
                settings=default_workspace_settings(),
                currency_id=self.new_id(),
                organization_id=self.new_id(),
            )
            workspace.members[owner_id] = Member(owner_id, ["OWNER", "WORKSPACE_ADMIN"])
            data = WorkspaceData(workspace)
            self.workspaces[workspace.id] = data
            owner = self.users[owner_id]
            if not owner.default_workspace:
                owner.default_workspace = workspace.id
                owner.active_workspace = workspace.id
            self.touch()
            return data

    def add_member(
        self, workspace_id: str, user_id: str, roles: list[str] | None = None, **fields: Any
    ) -> Member:
        """Make a user a member of a workspace (``fields``: rates, whom they manage)."""
        with self.lock:
            data = self.workspaces[workspace_id]
            member = Member(user_id, list(roles or []), **fields)
            data.workspace.members[user_id] = member
            user = self.users[user_id]
            if not user.default_workspace:
                user.default_workspace = workspace_id
                user.active_workspace = workspace_id
            self.touch()
            return member

    def add_client(self, workspace_id: str, name: str, **fields: Any) -> Client:
        """Create a client."""
        with self.lock:
            data = self.workspaces[workspace_id]
            client = Client(id=self.new_id(), workspace_id=workspace_id, name=name, **fields)
            data.clients[client.id] = client
            self.touch()
            return client

    def add_project(self, workspace_id: str, name: str, **fields: Any) -> Project:
        """Create a project; the workspace owner becomes a member."""
        with self.lock:
            data = self.workspaces[workspace_id]
            fields.setdefault("member_ids", [data.workspace.owner_id])
            project = Project(id=self.new_id(), workspace_id=workspace_id, name=name, **fields)
            data.projects[project.id] = project
            self.touch()
            return project

    def add_task(self, workspace_id: str, project_id: str, name: str, **fields: Any) -> Task:
        """Create a task on a project."""
        with self.lock:
            data = self.workspaces[workspace_id]
            task = Task(
                id=self.new_id(),
                workspace_id=workspace_id,
                project_id=project_id,
                name=name,
                **fields,
            )
            data.tasks[task.id] = task
            self.touch()
            return task

    def add_tag(self, workspace_id: str, name: str, *, archived: bool = False) -> Tag:
        """Create a tag."""
        with self.lock:
            data = self.workspaces[workspace_id]
            tag = Tag(id=self.new_id(), workspace_id=workspace_id, name=name, archived=archived)
            data.tags[tag.id] = tag
            self.touch()
            return tag

    def add_custom_field(self, workspace_id: str, name: str, **fields: Any) -> CustomField:
        """Create a custom field definition."""
        with self.lock:
            data = self.workspaces[workspace_id]
            field = CustomField(id=self.new_id(), workspace_id=workspace_id, name=name, **fields)
            data.custom_fields[field.id] = field
            self.touch()
            return field

    def add_entry(
        self, workspace_id: str, user_id: str, start: int, end: int | None, **fields: Any
    ) -> Entry:
        """Store a time entry directly, bypassing the API's validation (for test setup)."""
        with self.lock:
            data = self.workspaces[workspace_id]
            entry = Entry(
                id=self.new_id(),
                workspace_id=workspace_id,
                user_id=user_id,
                start=int(start),
                end=None if end is None else int(end),
                **fields,
            )
            data.add_entry(entry)
            self.touch()
            return entry

    def set_force(
        self,
        workspace_id: str,
        *,
        projects: bool = False,
        tasks: bool = False,
        tags: bool = False,
        description: bool = False,
    ) -> None:
        """Set the workspace's required-field settings (``forceProjects`` and friends)."""
        with self.lock:
            settings = self.workspaces[workspace_id].workspace.settings
            settings["forceProjects"] = projects
            settings["forceTasks"] = tasks
            settings["forceTags"] = tags
            settings["forceDescription"] = description
            self.touch()

    # --- reading for assertions ---------------------------------------------------------

    def time_entries(self, workspace_id: str, user_id: str | None = None) -> list[dict[str, Any]]:
        """Entries as the API returns them, newest start first (optionally one user's)."""
        with self.lock:
            data = self.workspaces[workspace_id]
            if user_id is None:
                entries = data.all_entries_newest_first()
            else:
                entries = list(data.iter_user_entries(user_id))
            return [entry_dto(data, e) for e in entries]

    def time_entry(self, workspace_id: str, entry_id: str) -> dict[str, Any] | None:
        """One entry as the API returns it, or None if it does not exist."""
        with self.lock:
            data = self.workspaces[workspace_id]
            entry = data.entries.get(entry_id)
            return entry_dto(data, entry) if entry else None

    def running_entry(self, workspace_id: str, user_id: str) -> dict[str, Any] | None:
        """The user's running entry as the API returns it, or None."""
        with self.lock:
            data = self.workspaces[workspace_id]
            entry = data.running_entry(user_id)
            return entry_dto(data, entry) if entry else None

    def projects(self, workspace_id: str) -> list[dict[str, Any]]:
        """All projects (archived included), by name."""
        with self.lock:
            data = self.workspaces[workspace_id]
            ordered = sorted(data.projects.values(), key=lambda p: (p.name.lower(), p.id))
            return [project_dto(data, p) for p in ordered]

    def tasks(self, workspace_id: str, project_id: str | None = None) -> list[dict[str, Any]]:
        """All tasks (of one project if given), by name."""
        with self.lock:
            data = self.workspaces[workspace_id]
            found = [t for t in data.tasks.values() if project_id in (None, t.project_id)]
            found.sort(key=lambda t: (t.name.lower(), t.id))
            return [task_dto(data, t) for t in found]

    def tags(self, workspace_id: str) -> list[dict[str, Any]]:
        """All tags (archived included), by name."""
        with self.lock:
            data = self.workspaces[workspace_id]
            ordered = sorted(data.tags.values(), key=lambda t: (t.name.lower(), t.id))
            return [tag_dto(t) for t in ordered]

    def clients(self, workspace_id: str) -> list[dict[str, Any]]:
        """All clients (archived included), by name."""
        with self.lock:
            data = self.workspaces[workspace_id]
            ordered = sorted(data.clients.values(), key=lambda c: (c.name.lower(), c.id))
            return [client_dto(c) for c in ordered]

    def custom_fields(self, workspace_id: str) -> list[dict[str, Any]]:
        """All custom field definitions."""
        with self.lock:
            data = self.workspaces[workspace_id]
            return [custom_field_dto(f, data) for f in data.custom_fields.values()]

    def workspace(self, workspace_id: str) -> dict[str, Any]:
        """The workspace as ``GET /workspaces/{id}`` returns it."""
        with self.lock:
            return workspace_dto(self.workspaces[workspace_id].workspace)

    def user(self, user_id: str) -> dict[str, Any]:
        """The user as ``GET /user`` returns it."""
        with self.lock:
            return user_dto(self.users[user_id])

    def dump(self) -> dict[str, Any]:
        """Everything a test in another process may want to assert on, as plain JSON."""
        with self.lock:
            return {
                "users": [user_dto(u) for u in self.users.values()],
                "workspaces": {
                    workspace_id: {
                        "workspace": self.workspace(workspace_id),
                        "time_entries": self.time_entries(workspace_id),
                        "projects": self.projects(workspace_id),
                        "tasks": self.tasks(workspace_id),
                        "tags": self.tags(workspace_id),
                        "clients": self.clients(workspace_id),
                        "custom_fields": self.custom_fields(workspace_id),
                    }
                    for workspace_id in self.workspaces
                },
            }
