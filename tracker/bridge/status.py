"""What the sync worker tells the GUI: immutable values, safe to pass between threads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Notice", "NoticeKind", "SyncPhase", "SyncStatus"]


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
