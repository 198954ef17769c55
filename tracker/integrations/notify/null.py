"""The backend for where no notification with buttons can show: it says why."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.integrations.notify import OnAction

__all__ = ["NullNotify"]


class NullNotify:
    """Shows nothing (the app uses the tray balloon); :attr:`unavailable` says why."""

    name = "none"

    def __init__(self, reason: str) -> None:
        self.unavailable: str | None = reason

    def notify(
        self, title: str, body: str, actions: Sequence[tuple[str, str]], on_action: OnAction
    ) -> bool:
        """Never shown here."""
        del title, body, actions, on_action
        return False
