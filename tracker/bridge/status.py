"""What the sync worker tells the GUI: immutable values, safe to pass between threads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "KEY_MISSING",
    "KEY_REFUSED",
    "AccountState",
    "AccountView",
    "Notice",
    "NoticeKind",
    "SyncPhase",
    "SyncStatus",
    "account_view",
    "ago",
    "sent_line",
]

KEY_REFUSED = "Clockify refused the API key; enter a new one in Settings."
"""What every place says while the key is refused (tray, today banner, settings)."""

KEY_MISSING = "The API key of this account is not on this computer; enter it in Settings."
"""What every place says when an account is recorded but no key for it is found."""


class SyncPhase(StrEnum):
    """The one word the tray shows about sync."""

    LOCAL = "local"
    """No account: local-only mode, nothing to send."""
    SYNCED = "synced"
    """Everything local is on Clockify."""
    SYNCING = "syncing"
    """A round is running."""
    PENDING = "pending"
    """Changes wait for the next round (budget, push delay)."""
    OFFLINE = "offline"
    """Clockify cannot be reached; changes wait."""
    AUTH = "auth"
    """The API key was refused: the person has to act."""
    ATTENTION = "attention"
    """Changes were parked by the server: the person has to look."""


@dataclass(frozen=True)
class SyncStatus:
    """The sync worker's state after its latest step.

    Attributes:
        state: the headline.
        message: a sentence for the person (why offline, what was refused), plain text.
        pending: local changes not yet on Clockify.
        parked: of those, how many the server refused.
        last_sync: when the latest complete round ended.
        next_sync: when the next round is planned, if one is.
    """

    state: SyncPhase
    message: str | None = None
    pending: int = 0
    parked: int = 0
    last_sync: datetime | None = None
    next_sync: datetime | None = None

    @property
    def needs_attention(self) -> bool:
        """Whether the person has to act (re-enter the key, fix a parked change)."""
        return self.state in (SyncPhase.AUTH, SyncPhase.ATTENTION)


class AccountState(StrEnum):
    """The one account state every window shows."""

    LOCAL = "local"
    """No account: local-only mode."""
    CONNECTED = "connected"
    """An account, and nothing says its key is bad."""
    REFUSED = "refused"
    """Clockify refused the key: nothing is sent until a new one is entered."""
    NO_KEY = "no_key"
    """An account is recorded, but its key is not on this computer."""


@dataclass(frozen=True)
class AccountView:
    """The account as shown: its state, and one line for the person (plain text)."""

    state: AccountState
    headline: str
    detail: str | None = None

    @property
    def needs_key(self) -> bool:
        """Whether the person has to enter a key (local-only, refused or missing)."""
        return self.state != AccountState.CONNECTED


def account_view(
    account: Mapping[str, Any] | None, refused: str | None, status: SyncStatus | None
) -> AccountView:
    """The account's one state from what the store records (``account``, ``refused``: the
    message Clockify refused the key with) and the sync worker's latest ``status``.

    The store's record and the worker's word agree once the worker ran; before, the store's
    record alone decides, so a window opened first never says "Connected" about a refused key.
    """
    refused_now = status is not None and status.state == SyncPhase.AUTH
    if account is None:
        if refused_now:  # a key from the environment, refused before an account was known
            return AccountView(AccountState.REFUSED, "The API key was refused", KEY_REFUSED)
        return AccountView(AccountState.LOCAL, "Local-only mode")
    who = f"{account.get('name') or '(no name)'} <{account.get('email') or ''}>"
    if refused or refused_now:
        return AccountView(AccountState.REFUSED, f"Key refused for {who}", KEY_REFUSED)
    if status is not None and status.state == SyncPhase.LOCAL:
        return AccountView(AccountState.NO_KEY, f"No API key for {who}", KEY_MISSING)
    return AccountView(AccountState.CONNECTED, f"Connected as {who}")


def ago(last: datetime, now: datetime) -> str:
    """How long ago ``last`` was, for "Synced 2 min ago": read when shown, so it may be
    coarse (a clock set back reads as "just now")."""
    seconds = (now - last).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} h ago"
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''} ago"


def sent_line(count: int) -> str:
    """The quiet confirmation once changes that waited are on Clockify."""
    return f"{count} change{'s' if count != 1 else ''} sent to Clockify"


class NoticeKind(StrEnum):
    """Why a notification is shown."""

    AUTH = "auth"
    PARKED = "parked"
    CONFLICT = "conflict"
    ERROR = "error"
    CLOCK = "clock"
    """The computer's clock is behind a timer's start (it was stopped at its start)."""


@dataclass(frozen=True)
class Notice:
    """Something the person should hear about once, as a desktop notification.

    ``title`` and ``text`` are plain text; ``text`` may quote the server's message.
    """

    kind: NoticeKind
    title: str
    text: str
