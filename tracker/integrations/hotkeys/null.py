"""The backend for where no global hotkey can work: every registration says why."""

from __future__ import annotations

from tracker.integrations.hotkeys import Activated

__all__ = ["NullBackend"]


class NullBackend:
    """Takes no keys; :attr:`unavailable` is the reason Settings and the probe show."""

    name = "none"

    def __init__(self, reason: str, on_activated: Activated | None = None) -> None:
        self.unavailable: str | None = reason
        self._on_activated = on_activated

    def register(self, action: str, sequence: str) -> str | None:
        """Refuse, with the reason."""
        del action, sequence
        return self.unavailable

    def unregister_all(self) -> None:
        """Nothing was taken."""
