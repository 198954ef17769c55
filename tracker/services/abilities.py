"""What this person may do in this workspace: the plan's features and their role, known
without a request.

Windows and menus ask here before offering approvals, time off and the features that follow,
so a Free workspace or a member is never shown what Clockify would refuse (a 403 still gets a
clear sentence where it happens). The plan comes from the workspace as last read (once a day
by sync); the role from what the reports learnt (``POST /users/info``, kept a day). Both are
read from the store only: asking this costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.store import Store

__all__ = [
    "ACCESS_KEY",
    "APPROVAL",
    "ELEVATED",
    "ROLE_ADMIN",
    "ROLE_MANAGER",
    "ROLE_MEMBER",
    "TIME_OFF",
    "Abilities",
    "abilities",
    "plan_lacks",
]

ACCESS_KEY = "report_access:"
"""Prefix of the meta key where what the person may see is kept per workspace (``role``,
``sees_team``, ``at``), written by the online reports' access check."""

ELEVATED = "admin or manager"
"""The role kept for owners, admins and managers (who may decide on others' requests)."""

ROLE_ADMIN = "admin"
ROLE_MANAGER = "manager"
ROLE_MEMBER = "member"
"""What :attr:`Abilities.role` says: the owner or a workspace admin; a team or project
manager; anyone else."""

APPROVAL = "APPROVAL"
TIME_OFF = "TIME_OFF"
"""Clockify's ``Feature`` names of timesheet approvals and of time off with holidays."""


@dataclass(frozen=True)
class Abilities:
    """What to offer. ``decides`` and ``role`` are ``None`` while the role is not known
    yet."""

    connected: bool
    approvals: bool
    time_off: bool
    decides: bool | None
    role: str | None = None

    @property
    def administers(self) -> bool:
        """Whether the Workspace window offers something: to owners, admins and managers
        (a manager runs their projects and people; Clockify refuses the rest)."""
        return self.role in (ROLE_ADMIN, ROLE_MANAGER)

    @property
    def anything(self) -> bool:
        """Whether any of the working-week features is offered."""
        return self.approvals or self.time_off


def abilities(store: Store) -> Abilities:
    """What the connected workspace's plan and the person's role allow, from the store."""
    meta = store.meta
    workspace_id = meta.workspace_id()
    if not meta.account() or not workspace_id:
        return Abilities(connected=False, approvals=False, time_off=False, decides=False)
    info = meta.workspace(workspace_id)
    if info is None or info.features is None:
        # Not read with its features yet: offer what a paid plan has; Clockify says no
        # (a clear sentence) if it does not.
        paid = info is not None and not info.free_plan
        approvals = time_off = paid
    else:
        approvals, time_off = APPROVAL in info.features, TIME_OFF in info.features
    return Abilities(
        connected=True,
        approvals=approvals,
        time_off=time_off,
        decides=_decides(known := meta.get(ACCESS_KEY + workspace_id)),
        role=_role(known),
    )


def _decides(known: Any) -> bool | None:
    if not isinstance(known, dict) or not isinstance(known.get("role"), str):
        return None
    return bool(known["role"] == ELEVATED)


def _role(known: Any) -> str | None:
    """The role as kept by the access check; ``None`` when it was kept before admins and
    managers were told apart."""
    if not isinstance(known, dict) or not isinstance(known.get("role"), str):
        return None
    if known["role"] != ELEVATED:
        return ROLE_MEMBER
    admin = known.get("admin")
    if not isinstance(admin, bool):
        return None
    return ROLE_ADMIN if admin else ROLE_MANAGER


def plan_lacks(store: Store, feature: str) -> bool:
    """Whether the connected workspace's plan is known to lack ``feature``: a verb that
    needs it can say so without spending a request on Clockify's 403 (an unknown plan is
    left to Clockify to answer)."""
    workspace_id = store.meta.workspace_id()
    info = store.meta.workspace(workspace_id) if workspace_id else None
    return info is not None and info.features is not None and feature not in info.features
