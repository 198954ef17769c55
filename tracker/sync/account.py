"""Connecting a Clockify account: who the key belongs to, which workspace, what it requires.

The CLI's ``login`` and every sync round that finds no account use this one path. The first
time an account is connected, data made in local-only mode moves into the chosen workspace;
its rows stay pending, so the next round matches names and sends them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from tracker.api import ClockifyClient, ClockifyError
from tracker.api.models import Workspace
from tracker.domain.model import LOCAL_WORKSPACE, Profile, WorkspaceInfo, WorkspaceRules
from tracker.store import Store

__all__ = ["WorkspaceChoiceError", "choose_workspace", "connect_account", "workspace_info"]

log = logging.getLogger("tracker.sync")


class WorkspaceChoiceError(ValueError):
    """The asked-for workspace is not one of the account's; the message lists them."""


def workspace_info(workspace: Workspace) -> WorkspaceInfo:
    """What the store keeps of a Clockify workspace: its name, rules, lock and plan."""
    settings = workspace.workspace_settings
    locked = None
    if settings.lock_time_entries:
        try:
            locked = datetime.fromisoformat(settings.lock_time_entries).astimezone(UTC)
        except ValueError:
            log.warning("unreadable lock date %r; treating the workspace as unlocked", locked)
    return WorkspaceInfo(
        workspace.id,
        workspace.name,
        WorkspaceRules(
            require_project=settings.force_projects,
            require_task=settings.force_tasks,
            require_tags=settings.force_tags,
            require_description=settings.force_description,
            locked_before=locked,
        ),
        free_plan=workspace.is_free_plan,
    )


def choose_workspace(
    available: Sequence[tuple[str, str]], wanted: str | None, *, fallback: Sequence[object]
) -> str:
    """Pick a workspace by id or name (exact, then part of a name), else the first fallback.

    Raises:
        WorkspaceChoiceError: ``wanted`` matches none or several.
    """
    if wanted:
        folded = wanted.casefold()
        matches = [i for i, name in available if wanted == i or name.casefold() == folded]
        if not matches:
            matches = [i for i, name in available if folded in name.casefold()]
        if len(matches) == 1:
            return matches[0]
        names = ", ".join(name for _, name in available)
        if not matches:
            raise WorkspaceChoiceError(f"No workspace matches {wanted!r}; there are: {names}.")
        raise WorkspaceChoiceError(f"{wanted!r} matches several workspaces; there are: {names}.")
    ids = [i for i, _ in available]
    for candidate in fallback:
        if candidate in ids:
            return str(candidate)
    if not ids:
        raise WorkspaceChoiceError("This Clockify account has no workspace.")
    return ids[0]


async def connect_account(
    store: Store, api: ClockifyClient, *, wanted: str | None = None, force: bool = False
) -> tuple[str, int]:
    """Make sure the store knows the account and its workspace; return (workspace id, moved).

    Costs three requests (user, workspaces, member profile) when something is unknown or
    ``force`` is set, none otherwise. ``moved`` counts local-only entries moved into the
    workspace.
    """
    account = store.meta.account()
    current = store.meta.workspace_id()
    if not force and not wanted and account and current and store.meta.workspace(current):
        return str(current), 0
    user = await api.user.current()
    workspaces = await api.workspaces.list()
    for workspace in workspaces:
        store.meta.save_workspace(workspace_info(workspace))
    chosen = choose_workspace(
        [(w.id, w.name) for w in workspaces],
        wanted,
        fallback=[current, user.active_workspace, user.default_workspace],
    )
    capacity = None
    working_days: Sequence[str] = ()
    try:
        member = await api.users.profile(chosen, user.id)
        capacity, working_days = member.work_capacity, member.working_days
    except ClockifyError as exc:  # a workspace without capacities answers 403 or 404
        log.info("no member profile: %s", exc.message)
    settings = user.settings
    store.meta.save_profile(
        Profile(
            user_id=user.id,
            name=user.name,
            email=user.email,
            time_zone=settings.time_zone if settings else None,
            week_start=(settings.week_start if settings else None) or "MONDAY",
            daily_capacity=capacity,
            working_days=tuple(str(day).upper() for day in working_days),
        )
    )
    store.meta.set_account(
        {
            "user_id": user.id,
            "name": user.name,
            "email": user.email,
            "api_url": api.session.servers.api,
        },
    )
    store.meta.set_workspace_id(chosen)
    store.meta.set_auth_required(None)
    moved = store.move_workspace(LOCAL_WORKSPACE, chosen)
    if moved:
        log.info("moved %d local-only entries into workspace %s", moved, chosen)
    return chosen, moved
