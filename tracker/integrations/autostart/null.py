"""The backend for where nothing starts programs at login that the app knows how to reach."""

from __future__ import annotations

__all__ = ["NullAutostart"]


class NullAutostart:
    """Always off; enabling fails with :attr:`unavailable` as the reason."""

    name = "none"
    location = ""

    def __init__(self, reason: str) -> None:
        self.unavailable: str | None = reason

    def is_enabled(self) -> bool:
        """Never on."""
        return False

    def enable(self, command: list[str]) -> None:
        """Cannot: raises ``OSError`` with the reason."""
        del command
        raise OSError(self.unavailable)

    def disable(self) -> None:
        """Nothing to remove."""
