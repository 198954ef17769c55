"""Starting worlds for the test server: ``demo`` (a realistic account) and ``empty``.

The demo data is deterministic for a given day: a RNG seeded with the server clock's local date
picks the same entries every time, so screenshots and assertions are stable within a day while
the data always ends "yesterday". The ``large_*`` knobs add bulk data for paging and
performance tests, built directly into the stores so 50,000 entries take well under a second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.fakeclockify.access import ADMIN, BUNDLE_PLAN, MANAGER, MEMBER, OWNER
from tests.fakeclockify.audit import record_system
from tests.fakeclockify.groups import Group, groups_of
from tests.fakeclockify.records import CustomField, Entry, Project, Tag, Task
from tests.fakeclockify.schedule import seed_schedule
from tests.fakeclockify.state import State
from tests.fakeclockify.timeoff_seed import seed_time_off

__all__ = ["SEEDS", "TEAM_GROUP", "Seeded", "SeededUser", "seed"]

SEEDS = ("demo", "empty")

TEAM_GROUP = "Mobile team"
"""The demo's user group: Priya Shah, managed by Sam Rivera as a whole group."""

HOUR = 3600
MINUTE = 60


@dataclass(frozen=True)
class SeededUser:
    """One seeded person of the main workspace, with their own API key."""

    role: str
    name: str
    user_id: str
    api_key: str


@dataclass(frozen=True)
class Seeded:
    """Ids a test needs right away: the seeded user, their key and workspaces, and everyone
    seeded in the main workspace (the owner first)."""

    user_id: str
    api_key: str
    workspace_id: str
    second_workspace_id: str | None
    users: tuple[SeededUser, ...] = ()


@dataclass(frozen=True)
class _ProjectPlan:
    name: str
    client: str | None
    color: str
    billable: bool
    tasks: tuple[str, ...]
    descriptions: tuple[str, ...]
    ticket_prefix: str | None = None
    archived: bool = False
    hourly_rate: int | None = None


_CLIENTS = ("Northwind Traders", "Globex Corporation", "Initech Inc.")

_PROJECTS = (
    _ProjectPlan(
        "Website Redesign",
        "Northwind Traders",
        "#2196F3",
        True,
        ("Design", "Frontend", "Content"),
        (
            "Homepage hero section",
            "Navigation redesign",
            "Client feedback round",
            "Responsive layout fixes",
            "Style guide update",
        ),
        "WEB",
        hourly_rate=12000,
    ),
    _ProjectPlan(
        "Online Shop",
        "Northwind Traders",
        "#4CAF50",
        True,
        (),
        ("Checkout flow", "Product page tweaks", "Payment provider setup", "Cart bug"),
        "SHOP",
    ),
    _ProjectPlan(
        "Mobile App",
        "Globex Corporation",
        "#9C27B0",
        True,
        ("iOS", "Android", "QA"),
        ("Push notifications", "Login screen", "Offline sync", "Release build 2.3", "Crash triage"),
        "APP",
        hourly_rate=11000,
    ),
    _ProjectPlan(
        "API Integration",
        "Globex Corporation",
        "#FF9800",
        True,
        ("Auth", "Webhooks"),
        ("OAuth token refresh", "Webhook retries", "Rate limit handling", "API docs review"),
        "API",
    ),
    _ProjectPlan(
        "Data Migration",
        "Initech Inc.",
        "#795548",
        True,
        ("Schema mapping", "Import scripts"),
        ("Customer table mapping", "Import dry run", "Data validation report"),
        "MIG",
    ),
    _ProjectPlan(
        "Support Retainer",
        "Initech Inc.",
        "#607D8B",
        True,
        (),
        ("Ticket triage", "Password reset issue", "Monthly maintenance"),
        "SUP",
    ),
    _ProjectPlan(
        "Internal",
        None,
        "#9E9E9E",
        False,
        ("Admin", "Training"),
        (
            "Planning",
            "Expense reports",
            "1:1 with Sam",
            "Inbox zero",
            "Büro-Umzug: Café-Ecke planen",
        ),
    ),
    _ProjectPlan(
        "Legacy CRM",
        "Initech Inc.",
        "#F44336",
        True,
        (),
        ("Export old contacts", "Decommission checklist"),
        archived=True,
    ),
)

_TAGS = ("meeting", "review", "bugfix", "research", "support")
_ARCHIVED_TAG = "legacy"
_DONE_TASK = ("Data Migration", "Import scripts")


def seed(
    state: State,
    name: str,
    *,
    plan: str | None = None,
    large_projects: int = 0,
    large_tasks_per_project: int = 0,
    large_entries: int = 0,
) -> Seeded:
    """Fill ``state`` with the named seed plus any bulk data; returns the ids tests need.

    ``plan`` (a tier such as ``FREE``) sets the main workspace's plan; without it the demo's
    workspace is on a paid bundle and the empty seed's on that bundle too.
    """
    if name not in SEEDS:
        raise ValueError(f"unknown seed {name!r}; known: {', '.join(SEEDS)}")
    plan = plan or BUNDLE_PLAN
    seeded = _demo(state, plan) if name == "demo" else _empty(state, plan)
    seed_time_off(state, seeded.workspace_id, seeded.user_id)
    seed_schedule(state, seeded.workspace_id)
    _imported(state, seeded.workspace_id)
    if large_projects or large_entries:
        _large(
            state,
            seeded,
            projects=large_projects,
            tasks_per_project=large_tasks_per_project,
            entries=large_entries,
        )
    return seeded


def _imported(state: State, workspace_id: str) -> None:
    """The seeded clients and projects in the audit log as ``SYSTEM``'s imports, a day ago
    (the rest of the seed, like other people's history, is not in it)."""
    data = state.workspaces[workspace_id]
    at = state.now() - 86_400
    for item in state.clients(workspace_id):
        record_system(data, at, "CREATE_CLIENT_IMPORT", item)
    for item in state.projects(workspace_id):
        record_system(data, at, "CREATE_PROJECT_IMPORT", item)


def _empty(state: State, plan: str) -> Seeded:
    user = state.add_user("Test User", "test.user@example.com")
    key = state.issue_key(user.id)
    data = state.add_workspace(user.id, "Test Workspace", plan=plan)
    owner = SeededUser(OWNER, "Test User", user.id, key)
    return Seeded(user.id, key, data.id, None, (owner,))


def _local(day: date, minutes: int, zone: ZoneInfo) -> int:
    # Aware-datetime arithmetic is wall-clock arithmetic, so DST days keep the local time.
    moment = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=minutes)
    return int(moment.timestamp())


def _demo(state: State, plan: str) -> Seeded:
    """Alex's paid workspace (clients, projects, tasks, tags, three weeks of history), a
    team with months of history, and a free side workspace. Seeded by the day, so each run of
    a day sees the same data."""
    user = state.add_user("Alex Morgan", "alex.morgan@example.com", time_zone="Europe/Berlin")
    key = state.issue_key(user.id)
    main = state.add_workspace(
        user.id, "Morgan Digital", plan=plan, hourly_rate=9500, cost_rate=4500
    )
    catalog = _demo_catalog(state, main.id)
    zone = ZoneInfo(user.time_zone)
    today = datetime.fromtimestamp(state.now(), zone).date()
    rng = random.Random(f"demo:{today.isoformat()}")
    entries: list[Entry] = []
    for back in range(21, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() < 5:
            entries.extend(
                _demo_day(state, catalog, rng, day=day, back=back, user_id=user.id, zone=zone)
            )
    with state.lock:
        main.load_entries(entries)
        state.touch()
    side = _side_projects(state, user.id, zone, today)
    team = _team(state, catalog, today)
    owner = SeededUser(OWNER, "Alex Morgan", user.id, key)
    return Seeded(user.id, key, main.id, side, (owner, *team))


@dataclass(frozen=True)
class _Catalog:
    """The demo workspace's reference data, by name, for writing its history."""

    workspace_id: str
    projects: dict[str, Project]
    tasks: dict[str, list[Task]]
    tags: dict[str, Tag]
    legacy_tag: Tag
    ticket: CustomField


_PLANS = {p.name: p for p in _PROJECTS}
_ACTIVE_NAMES = [p.name for p in _PROJECTS if not p.archived]
_WEIGHTS = [5, 3, 5, 3, 2, 2, 3]
"""How often each active project is worked on, relative to the others."""


def _demo_catalog(state: State, ws: str) -> _Catalog:
    clients = {n: state.add_client(ws, n, currency_id=None, currency_code="EUR") for n in _CLIENTS}
    projects: dict[str, Project] = {}
    tasks: dict[str, list[Task]] = {}
    for plan in _PROJECTS:
        project = state.add_project(
            ws,
            plan.name,
            client_id=clients[plan.client].id if plan.client else "",
            color=plan.color,
            billable=plan.billable,
            archived=plan.archived,
            hourly_rate=None
            if plan.hourly_rate is None
            else {"amount": plan.hourly_rate, "currency": "EUR"},
        )
        projects[plan.name] = project
        tasks[plan.name] = [
            state.add_task(
                ws,
                project.id,
                task_name,
                status="DONE" if (plan.name, task_name) == _DONE_TASK else "ACTIVE",
                billable=plan.billable,
            )
            for task_name in plan.tasks
        ]
    tags = {n: state.add_tag(ws, n) for n in _TAGS}
    legacy_tag = state.add_tag(ws, _ARCHIVED_TAG, archived=True)
    ticket = state.add_custom_field(ws, "Ticket", placeholder="e.g. WEB-123")
    return _Catalog(ws, projects, tasks, tags, legacy_tag, ticket)


def _demo_day(
    state: State,
    catalog: _Catalog,
    rng: random.Random,
    *,
    day: date,
    back: int,
    user_id: str,
    zone: ZoneInfo,
) -> list[Entry]:
    """One workday, ``back`` days ago: two to four entries from about nine, with a lunch."""
    minute = rng.choice(range(8 * 60 + 30, 9 * 60 + 35, 5))
    count = rng.randint(2, 4)
    lunch_taken = False
    entries: list[Entry] = []
    for slot in range(count):
        name, description, tag_ids, length = _demo_work(rng, catalog, back, first=slot == 0)
        plan = _PLANS[name]
        candidates = [
            t
            for t in catalog.tasks[name]
            if t.status == "ACTIVE" or (back > 10 and t.status == "DONE")
        ]
        task = rng.choice(candidates) if candidates and rng.random() < 0.7 else None
        start = _local(day, minute, zone) + (rng.randint(0, 59) if rng.random() < 0.2 else 0)
        custom = {}
        if plan.ticket_prefix and rng.random() < 0.3:
            custom[catalog.ticket.id] = f"{plan.ticket_prefix}-{rng.randint(100, 999)}"
        entries.append(
            Entry(
                id=state.new_id(),
                workspace_id=catalog.workspace_id,
                user_id=user_id,
                start=start,
                end=start + length,
                description=description,
                project_id=catalog.projects[name].id,
                task_id=task.id if task else None,
                tag_ids=tag_ids,
                billable=plan.billable,
                custom_values=custom,
            )
        )
        minute += length // MINUTE + rng.choice((0, 0, 5, 10, 15, 30))
        if not lunch_taken and minute >= 12 * 60:
            minute += rng.choice((30, 45, 60))
            lunch_taken = True
    return entries


def _demo_work(
    rng: random.Random, catalog: _Catalog, back: int, *, first: bool
) -> tuple[str, str, list[str] | None, int]:
    """What one entry is about: project name, description, tags and length in seconds.

    The day may open with the standup; the archived project shows up only in older weeks.
    """
    if first and rng.random() < 0.5:
        return "Internal", "Team standup", [catalog.tags["meeting"].id], 15 * MINUTE
    name = rng.choices(_ACTIVE_NAMES, _WEIGHTS)[0]
    if back > 14 and rng.random() < 0.25:
        name = "Legacy CRM"
    description = rng.choice((*_PLANS[name].descriptions, ""))
    tag_ids = _demo_tags(rng, catalog, name)
    length = rng.randint(5, 36) * 5 * MINUTE
    if rng.random() < 0.3:
        length += rng.randint(1, 59)
    return name, description, tag_ids, length


def _demo_tags(rng: random.Random, catalog: _Catalog, name: str) -> list[str] | None:
    """Tags as people leave them: never set (``None``), cleared (``[]``), one or two."""
    roll = rng.random()
    if name == "Legacy CRM":
        return [catalog.legacy_tag.id]
    if roll < 0.35:
        return None
    if roll < 0.5:
        return []
    return [t.id for t in rng.sample(list(catalog.tags.values()), rng.randint(1, 2))]


def _side_projects(state: State, user_id: str, zone: ZoneInfo, today: date) -> str:
    """A free workspace with a few Saturday entries of the last two weeks; its id."""
    side = state.add_workspace(user_id, "Side Projects", plan="FREE", currency="USD")
    blog = state.add_project(side.id, "Blog", billable=False, color="#00BCD4")
    oss = state.add_project(side.id, "Open Source", billable=False, color="#8BC34A")
    writing = state.add_tag(side.id, "writing")
    state.add_tag(side.id, "oss")
    days = [today - timedelta(days=back) for back in range(1, 15)]
    saturdays = [day for day in days if day.weekday() == 5]
    for index, day in enumerate(saturdays):
        start = _local(day, 10 * 60, zone)
        state.add_entry(
            side.id,
            user_id,
            start,
            start + 2 * HOUR + 15 * MINUTE,
            description="Draft: offline-first time tracking" if index == 0 else "Post edits",
            project_id=blog.id,
            tag_ids=[writing.id],
        )
        state.add_entry(
            side.id,
            user_id,
            start + 3 * HOUR,
            start + 4 * HOUR + 40 * MINUTE,
            description="Review pull requests",
            project_id=oss.id,
        )
    return side.id


@dataclass(frozen=True)
class _Teammate:
    name: str
    email: str
    role: str
    roles: tuple[str, ...]
    time_zone: str
    hourly_rate: int | None
    cost_rate: int | None


_TEAM = (
    _Teammate(
        "Jordan Lee",
        "jordan.lee@example.com",
        ADMIN,
        ("WORKSPACE_ADMIN",),
        "Europe/London",
        9000,
        5000,
    ),
    _Teammate(
        "Sam Rivera",
        "sam.rivera@example.com",
        MANAGER,
        ("TEAM_MANAGER", "PROJECT_MANAGER"),
        "Europe/Berlin",
        8500,
        4800,
    ),
    _Teammate("Priya Shah", "priya.shah@example.com", MEMBER, (), "Europe/Berlin", 7000, 4000),
    _Teammate("Chen Wei", "chen.wei@example.com", MEMBER, (), "Asia/Singapore", None, None),
)
"""The demo team beside Alex: an admin, a manager (of Priya and of "Mobile App"), two members.
Chen has no rate of their own, so the workspace's applies."""

TEAM_DAYS = 120
"""How far back the team's history goes: months, for long reports and chunked ranges."""


def _team(state: State, catalog: _Catalog, today: date) -> list[SeededUser]:
    """The team's members, keys and four months of weekday history (own RNG per person, so
    Alex's data stays what it was)."""
    data = state.workspaces[catalog.workspace_id]
    data.workspace.settings["onlyAdminsSeeAllTimeEntries"] = True
    seeded: list[SeededUser] = []
    ids: dict[str, str] = {}
    for mate in _TEAM:
        user = state.add_user(mate.name, mate.email, time_zone=mate.time_zone)
        ids[mate.name] = user.id
        key = state.issue_key(user.id)
        state.add_member(
            catalog.workspace_id,
            user.id,
            list(mate.roles),
            hourly_rate=None
            if mate.hourly_rate is None
            else {"amount": mate.hourly_rate, "currency": "EUR"},
            cost_rate=None
            if mate.cost_rate is None
            else {"amount": mate.cost_rate, "currency": "EUR"},
        )
        seeded.append(SeededUser(mate.role, mate.name, user.id, key))
    manager = data.workspace.members[ids["Sam Rivera"]]
    team = Group(
        state.new_id(), TEAM_GROUP, user_ids=[ids["Priya Shah"]], manager_ids=[manager.user_id]
    )
    groups_of(data)[team.id] = team
    manager.manages_projects = [catalog.projects["Mobile App"].id]
    entries: list[Entry] = []
    for mate in _TEAM:
        rng = random.Random(f"team:{mate.email}:{today.isoformat()}")
        zone = ZoneInfo(mate.time_zone)
        for back in range(TEAM_DAYS, 0, -1):
            day = today - timedelta(days=back)
            if day.weekday() < 5:
                entries.extend(
                    _team_day(state, catalog, rng, day=day, user_id=ids[mate.name], zone=zone)
                )
    with state.lock:
        data.load_entries(entries)
        state.touch()
    return seeded


def _team_day(
    state: State,
    catalog: _Catalog,
    rng: random.Random,
    *,
    day: date,
    user_id: str,
    zone: ZoneInfo,
) -> list[Entry]:
    """One teammate's workday: two to four entries from about nine, with short gaps."""
    minute = rng.choice(range(8 * 60, 10 * 60, 15))
    entries: list[Entry] = []
    for _ in range(rng.randint(2, 4)):
        name = rng.choices(_ACTIVE_NAMES, _WEIGHTS)[0]
        plan = _PLANS[name]
        tasks = [t for t in catalog.tasks[name] if t.status == "ACTIVE"]
        task = rng.choice(tasks) if tasks and rng.random() < 0.6 else None
        length = rng.randint(3, 15) * 10 * MINUTE
        start = _local(day, minute, zone)
        entries.append(
            Entry(
                id=state.new_id(),
                workspace_id=catalog.workspace_id,
                user_id=user_id,
                start=start,
                end=start + length,
                description=rng.choice((*plan.descriptions, "")),
                project_id=catalog.projects[name].id,
                task_id=task.id if task else None,
                tag_ids=_demo_tags(rng, catalog, name),
                billable=plan.billable,
            )
        )
        minute += length // MINUTE + rng.choice((0, 15, 30))
    return entries


def _large(
    state: State, seeded: Seeded, *, projects: int, tasks_per_project: int, entries: int
) -> None:
    rng = random.Random(f"large:{projects}:{tasks_per_project}:{entries}")
    with state.lock:
        data = state.workspaces[seeded.workspace_id]
        owner = data.workspace.owner_id
        client_ids = [c.id for c in data.clients.values() if not c.archived]
        new_projects: list[Project] = []
        for number in range(1, projects + 1):
            client_id = client_ids[number % len(client_ids)] if client_ids and number % 4 else ""
            project = Project(
                id=state.new_id(),
                workspace_id=data.id,
                name=f"Bulk Project {number:05d}",
                client_id=client_id,
                color="#3F51B5",
                billable=number % 3 != 0,
                member_ids=[owner],
            )
            data.projects[project.id] = project
            new_projects.append(project)
            for task_number in range(1, tasks_per_project + 1):
                task = Task(
                    id=state.new_id(),
                    workspace_id=data.id,
                    project_id=project.id,
                    name=f"Task {task_number}",
                )
                data.tasks[task.id] = task
        pool = new_projects or [p for p in data.projects.values() if not p.archived]
        tasks_by_project: dict[str, list[str]] = {}
        for task in data.tasks.values():
            tasks_by_project.setdefault(task.project_id, []).append(task.id)
        zone = ZoneInfo(state.users[owner].time_zone)
        today = datetime.fromtimestamp(state.now(), zone).date()
        top = _local(today - timedelta(days=1), 18 * 60, zone)
        if entries:
            owned = (e.start for e in data.entries.values() if e.user_id == owner)
            oldest_seeded = min(owned, default=top)
            top = min(top, oldest_seeded - HOUR)
        bulk: list[Entry] = []
        for number in range(entries):
            start = top - (number + 1) * 90 * MINUTE
            chosen: Project | None = rng.choice(pool) if pool else None
            task_ids = tasks_by_project.get(chosen.id, []) if chosen else []
            bulk.append(
                Entry(
                    id=state.new_id(),
                    workspace_id=data.id,
                    user_id=owner,
                    start=start,
                    end=start + HOUR,
                    description=f"Bulk entry {number + 1}",
                    project_id=chosen.id if chosen else None,
                    task_id=rng.choice(task_ids) if task_ids else None,
                    tag_ids=[],
                    billable=chosen.billable if chosen else False,
                )
            )
        data.load_entries(bulk)
        state.touch()
