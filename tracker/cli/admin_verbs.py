"""``tracker admin AREA ...``: workspace administration from the command line.

Each area (users, groups, projects, schedule, ...) lives in its own module named in
:data:`AREAS`, with ``arguments(parser)`` adding its sub-commands and ``run(rt)`` acting;
modules are imported only for the area asked for. What every area shares is here: the
account check, running a service with a client counted in the one request budget, and
asking before a destructive or bulk change (``--yes`` to skip, ``--dry-run`` to only say).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from tracker.cli.runtime import Runtime, UserError

if TYPE_CHECKING:
    from tracker.api import ClockifyClient

__all__ = ["AREAS", "arguments", "cmd_admin", "confirm", "require_admin_account", "run_online"]

T = TypeVar("T")

AREAS: dict[str, tuple[str, str]] = {
    "users": ("tracker.cli.admin_team_verbs", "the workspace's people: list, add, set"),
    "groups": ("tracker.cli.admin_groups_verbs", "user groups and who is in them"),
    "projects": ("tracker.cli.admin_projects_verbs", "projects, members, estimates, progress"),
    "tasks": ("tracker.cli.admin_projects_tasks_verbs", "a project's tasks"),
    "clients": ("tracker.cli.admin_fields_verbs", "clients"),
    "tags": ("tracker.cli.admin_fields_verbs", "tags"),
    "fields": ("tracker.cli.admin_fields_verbs", "custom fields and a project's own defaults"),
    "schedule": ("tracker.cli.admin_schedule_verbs", "who is booked on what, week by week"),
}
"""area → (module, help): each module has ``arguments(parser)`` and ``run(rt) -> int``."""


class _Area(Protocol):
    def arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, rt: Runtime) -> int: ...


def _area(name: str) -> _Area:
    module: Any = importlib.import_module(AREAS[name][0])
    return module  # type: ignore[no-any-return]


def arguments(admin: argparse.ArgumentParser, parser_class: type[argparse.ArgumentParser]) -> None:
    """The areas as sub-commands of ``tracker admin`` (each area adds its own)."""
    areas = admin.add_subparsers(dest="area", metavar="AREA", parser_class=parser_class)
    for name, (_module, text) in AREAS.items():
        json_flag = parser_class(add_help=False)
        json_flag.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
        )
        _area(name).arguments(areas.add_parser(name, help=text, parents=[json_flag]))


def cmd_admin(rt: Runtime) -> int:
    """Run the area's command."""
    name = getattr(rt.args, "area", None)
    if not name:
        listed = ", ".join(AREAS) or "none yet"
        raise UserError(f"Say what to administer: tracker admin AREA (areas: {listed}).")
    return _area(name).run(rt)


def require_admin_account(rt: Runtime, feature: str | None = None) -> None:
    """An account must be connected (and, with ``feature``, the plan must have it) before
    anything is asked of Clockify; said in one sentence, without a request when known."""
    from tracker.services.abilities import plan_lacks  # noqa: PLC0415

    if not rt.key_configured():
        raise UserError("Workspace administration is done on Clockify: run `tracker login`.")
    if rt.store.meta.account() is None:
        rt.fetch_references_once()  # connects a key from the environment
    if rt.store.meta.account() is None or not rt.store.meta.workspace_id():
        raise UserError("Clockify cannot be reached to connect the account; try again later.")
    if feature is not None and plan_lacks(rt.store, feature):
        raise UserError("This workspace's Clockify plan does not include this.")


def run_online(rt: Runtime, work: Callable[[ClockifyClient | None], Awaitable[T]]) -> T:
    """Run ``work(api)`` with a client in the shared budget, on a fresh event loop.

    ``work`` builds its service with the client it is given. When Clockify cannot be reached
    for a read, the caller may run ``work(None)`` itself to show the kept copy.

    Raises:
        UserError: Clockify refused or could not be reached (one sentence).
    """
    from tracker.api import ClockifyClient  # noqa: PLC0415 - network verbs only
    from tracker.services.admin_base import AdminError, AdminOffline  # noqa: PLC0415
    from tracker.services.fresh_client import run_with_client  # noqa: PLC0415
    from tracker.sync.runner import budget_for  # noqa: PLC0415

    require_admin_account(rt)
    store = rt.store
    key = rt.api_key()
    servers = rt.servers()
    workspace_id = store.meta.workspace_id()

    def connect() -> ClockifyClient:
        return ClockifyClient(key, servers=servers, budget=budget_for(store, workspace_id))

    try:
        return run_with_client(connect, work, AdminOffline)
    except AdminError as exc:
        raise UserError(exc.message) from exc


def confirm(rt: Runtime, said: str) -> bool:
    """Whether to go on with a destructive or bulk change described by ``said``.

    ``--dry-run`` prints it and goes no further (``False``); ``--yes`` goes on; otherwise a
    person at a terminal is asked, and a script without ``--yes`` is refused.

    Raises:
        UserError: not confirmed (nothing was sent).
    """
    if getattr(rt.args, "dry_run", False):
        print(f"Would {said} (dry run: nothing was sent).")
        return False
    if getattr(rt.args, "yes", False):
        return True
    if sys.stdin.isatty() and sys.stderr.isatty():
        print(f"This will {said}. Go on? [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().casefold() in ("y", "yes"):
            return True
        raise UserError("Not done: nothing was sent to Clockify.")
    raise UserError(f"This would {said}; run again with --yes to do it (or --dry-run to see).")
