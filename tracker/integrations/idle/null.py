"""The backend for where no idle time can be read: it always says "unknown", and why."""

from __future__ import annotations

__all__ = ["NullBackend"]


class NullBackend:
    """Never reports idle time; :attr:`unavailable` is the reason for the probe and logs."""

    name = "none"

    def __init__(self, reason: str) -> None:
        self.unavailable = reason

    def idle_seconds(self) -> float | None:
        """Unknown, always."""
        return None
