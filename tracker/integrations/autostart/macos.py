"""Start at login on macOS: a LaunchAgent, ``~/Library/LaunchAgents/<app id>.plist``.

launchd loads every agent in that folder when the person logs in; ``RunAtLoad`` starts the
program then. ``LimitLoadToSessionType: Aqua`` keeps it to graphical logins (not ssh).
"""

from __future__ import annotations

import plistlib
from pathlib import Path

from tracker.integrations.autostart import APP_ID

__all__ = ["MacAutostart", "agent"]


def agent(command: list[str]) -> dict[str, object]:
    """The LaunchAgent's keys."""
    return {
        "Label": APP_ID,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }


class MacAutostart:
    """Writes and removes the LaunchAgent.

    Args:
        home: the home folder (tests pass a temporary one).
    """

    name = "macOS LaunchAgent"
    unavailable: str | None = None

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or Path.home()) / "Library" / "LaunchAgents" / f"{APP_ID}.plist"

    @property
    def location(self) -> str:
        """The agent's path."""
        return str(self.path)

    def is_enabled(self) -> bool:
        """The agent exists, is readable, and runs at load."""
        try:
            with self.path.open("rb") as file:
                data = plistlib.load(file)
        except FileNotFoundError:
            return False
        except (plistlib.InvalidFileException, ValueError):
            return False
        return isinstance(data, dict) and bool(data.get("RunAtLoad")) and not data.get("Disabled")

    def enable(self, command: list[str]) -> None:
        """Write the agent (atomically)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".tmp")
        with partial.open("wb") as file:
            plistlib.dump(agent(command), file)
        partial.replace(self.path)

    def disable(self) -> None:
        """Remove the agent."""
        self.path.unlink(missing_ok=True)
