"""Start at login on Linux desktops: a desktop entry in ``$XDG_CONFIG_HOME/autostart``.

The XDG Autostart specification is honoured by GNOME, KDE, Xfce, Cinnamon, MATE, LXQt and
most window-manager sessions (through ``dex`` or the session manager). The entry starts the
launcher in use now, so a bundle starts the bundle and a source checkout its interpreter.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from tracker.integrations.autostart import APP_ID

__all__ = ["FILE_NAME", "XdgAutostart", "desktop_entry", "exec_line"]

FILE_NAME = "tracker.desktop"

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
"""Characters that make an Exec argument need quotes (Desktop Entry spec, "The Exec key")."""


def exec_line(command: list[str]) -> str:
    """``command`` as a desktop entry Exec value: each argument quoted where needed, with
    ``"``, `````, ``$`` and ``\\`` escaped inside quotes, then the string-level escape of
    backslashes, and ``%`` doubled so no field code is read into a path."""
    parts: list[str] = []
    for arg in command:
        if arg and not _RESERVED.intersection(arg):
            parts.append(arg)
            continue
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        parts.append(f'"{inner}"')
    return " ".join(parts).replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(command: list[str]) -> str:
    """The autostart file's text."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Tracker\n"
        "Comment=Clockify time tracker in the tray\n"
        f"Exec={exec_line(command)}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


class XdgAutostart:
    """Writes and removes ``$XDG_CONFIG_HOME/autostart/tracker.desktop`` (default
    ``~/.config``). An entry switched off by the desktop's own settings (``Hidden=true`` or
    ``X-GNOME-Autostart-enabled=false``) counts as off.

    Args:
        env: where ``XDG_CONFIG_HOME`` is read (default: this process's environment).
        home: the home folder for the default (tests pass a temporary one).
    """

    name = "XDG autostart"
    unavailable: str | None = None

    def __init__(self, env: Mapping[str, str] | None = None, home: Path | None = None) -> None:
        env = os.environ if env is None else env
        config = env.get("XDG_CONFIG_HOME", "").strip()
        # The spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
        base = (
            Path(config) if config and os.path.isabs(config) else (home or Path.home()) / ".config"
        )
        self.path = base / "autostart" / FILE_NAME

    @property
    def location(self) -> str:
        """The entry's path."""
        return str(self.path)

    def is_enabled(self) -> bool:
        """The file exists and is not switched off."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return False
        keys = {}
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                keys[key.strip()] = value.strip().lower()
        return keys.get("Hidden") != "true" and keys.get("X-GNOME-Autostart-enabled") != "false"

    def enable(self, command: list[str]) -> None:
        """Write the entry (atomically: a half-written file would start nothing)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".tmp")
        partial.write_text(desktop_entry(command), encoding="utf-8")
        partial.replace(self.path)

    def disable(self) -> None:
        """Remove the entry."""
        self.path.unlink(missing_ok=True)
