"""A Clockify account in the store: who the key belongs to, which workspace, what it requires.

:func:`fetch_account` asks (three requests) and writes nothing; :func:`record_account` keeps
the answer. Connecting a key (:mod:`tracker.sync.connect`, for the settings and ``tracker
login``) runs both; a sync round that finds no account does too (:func:`connect_account`),
and otherwise only reads the workspace again once a day for its plan and rules. The first
time an account is connected, data made in local-only mode moves into the chosen workspace;
its rows stay pending, so the next round matches names and sends them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tracker.api import ClockifyClient, ClockifyError
from tracker.api.models import MemberProfile, User, Workspace
from tracker.domain.model import LOCAL_WORKSPACE, Profile, WorkspaceInfo, WorkspaceRules
from tracker.store import Store

__all__ = [
    "WORKSPACE_MAX_AGE",
    "AccountFacts",
    "WorkspaceChoiceError",
    "choose_workspace",
    "connect_account",
    "fetch_account",
    "keep_workspace_rates",
    "record_account",
    "refresh_workspace",
    "workspace_info",
    "workspace_rates_key",
]

log = logging.getLogger("tracker.sync")

WORKSPACE_MAX_AGE = 24 * 3600.0
"""Seconds a workspace's plan, rules and lock date are trusted before they are read again
(one request a day; the plan chooses the request budget)."""


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
        features=workspace.feature_names,
    )


def workspace_rates_key(workspace_id: str) -> str:
    """Where the workspace's own hourly and cost rate are kept (the local reports' last
    fallback when an entry has no more specific rate)."""
    return f"workspace_rates:{workspace_id}"


def keep_workspace_rates(store: Store, workspace: Workspace) -> None:
    """Keep the workspace's hourly and cost rate (cents; ``None``: not set) as read, beside
    its rules: the local reports price entries from them without a request."""
    hourly, cost = workspace.hourly_rate, workspace.cost_rate
    store.meta.set(
        workspace_rates_key(workspace.id),
        {
            "hourly": None if hourly is None else hourly.amount,
            "cost": None if cost is None else cost.amount,
            "currency": (hourly.currency if hourly else None) or (cost.currency if cost else None),
        },
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


@dataclass(frozen=True)
class AccountFacts:
    """What Clockify says about a key: whose it is, its workspaces, the chosen one, and the
    person's profile there (``None`` where the workspace has no member profiles)."""

    user: User
    workspaces: tuple[Workspace, ...]
    chosen: str
    member: MemberProfile | None


async def fetch_account(
    api: ClockifyClient, *, wanted: str | None = None, current: str | None = None
) -> AccountFacts:
    """Ask Clockify about the key ``api`` sends: three requests (user, workspaces, member
    profile). Writes nothing.

    Raises:
        WorkspaceChoiceError: ``wanted`` matches no workspace, or several.
        tracker.api.ClockifyError: the request failed (``UnauthorizedError``: a wrong key).
    """
    user = await api.user.current()
    workspaces = tuple(await api.workspaces.list())
    chosen = choose_workspace(
        [(w.id, w.name) for w in workspaces],
        wanted,
        fallback=[current, user.active_workspace, user.default_workspace],
    )
    member = None
    try:
        member = await api.users.profile(chosen, user.id)
    except ClockifyError as exc:  # a workspace without capacities answers 403 or 404
        log.info("no member profile: %s", exc.message)
    return AccountFacts(user, workspaces, chosen, member)


def record_account(store: Store, facts: AccountFacts, *, api_url: str) -> int:
    """Keep what :func:`fetch_account` found: workspaces (with plan and rules), profile,
    account, the chosen workspace. Local-only data moves into it; returns how many entries
    moved."""
    user = facts.user
    for workspace in facts.workspaces:
        store.meta.save_workspace(workspace_info(workspace))
        keep_workspace_rates(store, workspace)
        store.meta.set(_checked_key(workspace.id), time.time())
    settings = user.settings
    capacity, working_days = (
        (facts.member.work_capacity, facts.member.working_days) if facts.member else (None, ())
    )
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
        {"user_id": user.id, "name": user.name, "email": user.email, "api_url": api_url},
    )
    store.meta.set_workspace_id(facts.chosen)
    store.meta.set_auth_required(None)
    moved = store.move_workspace(LOCAL_WORKSPACE, facts.chosen)
    if moved:
        log.info("moved %d local-only entries into workspace %s", moved, facts.chosen)
    return moved


async def connect_account(
    store: Store, api: ClockifyClient, *, wanted: str | None = None, force: bool = False
) -> tuple[str, int]:
    """Make sure the store knows the account and its workspace; return (workspace id, moved).

    Costs three requests (user, workspaces, member profile) when something is unknown or
    ``force`` is set; else one when the workspace was last read more than
    :data:`WORKSPACE_MAX_AGE` ago (its plan, rules and lock date may have changed), none
    otherwise. ``moved`` counts local-only entries moved into the workspace.
    """
    account = store.meta.account()
    current = store.meta.workspace_id()
    if not force and not wanted and account and current and store.meta.workspace(current):
        await refresh_workspace(store, api, str(current))
        return str(current), 0
    facts = await fetch_account(api, wanted=wanted, current=current)
    return facts.chosen, record_account(store, facts, api_url=api.session.servers.api)


async def refresh_workspace(
    store: Store, api: ClockifyClient, workspace_id: str, *, now: float | None = None
) -> bool:
    """Read the workspace again (``GET /workspaces/{id}``: plan, rules, lock date) when the
    copy kept is older than :data:`WORKSPACE_MAX_AGE`; returns whether it asked."""
    at = time.time() if now is None else now
    checked = store.meta.get(_checked_key(workspace_id))
    if isinstance(checked, (int, float)) and 0 <= at - checked < WORKSPACE_MAX_AGE:
        return False
    workspace = await api.workspaces.get(workspace_id)
    store.meta.save_workspace(workspace_info(workspace))
    keep_workspace_rates(store, workspace)
    store.meta.set(_checked_key(workspace_id), at)
    return True


def _checked_key(workspace_id: str) -> str:
    return f"workspace_at:{workspace_id}"
