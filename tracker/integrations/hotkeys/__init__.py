"""Global hotkeys: one key combination per action, wherever the desktop lets us take it.

A backend per platform (X11 key grabs, the Wayland desktop portal, Windows RegisterHotKey,
macOS Carbon hot keys) behind :class:`HotkeyBackend`, and a Null backend that says why none
can work here. Registration answers with a reason a person can act on ("Ctrl+Alt+T is already
taken by another program") instead of failing quietly.

This module is Qt-free so ``tracker doctor`` can call :func:`probe`; the backends themselves
(which need Qt's event loop) are built by ``choose.choose_backend``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "ACTIONS",
    "COMMANDS",
    "Activated",
    "BackendInfo",
    "HotkeyBackend",
    "clash",
    "fallback_text",
    "is_wayland",
    "probe",
]

ACTIONS = ("toggle", "popup", "today")
"""The actions a hotkey can trigger (the keys of ``Preferences.hotkeys``)."""

COMMANDS = {"toggle": "tracker toggle", "popup": "tracker popup", "today": "tracker open-today"}
"""The command doing each action, for desktops where the app cannot take keys itself."""

Activated = Callable[[str], None]
"""Called on the GUI thread with the action name when its hotkey is pressed."""


class HotkeyBackend(Protocol):
    """Takes key combinations for the whole desktop and reports which were pressed.

    Backends are built with an :data:`Activated` callback and call it with the action name.
    """

    name: str
    """Short name for diagnostics: ``x11``, ``portal``, ``windows``, ``macos``, ``none``."""

    unavailable: str | None
    """Why no hotkey can work here (the Null backend), else ``None``."""

    def register(self, action: str, sequence: str) -> str | None:
        """Take ``sequence`` (Qt portable text) for ``action``; ``None``, or why it failed."""
        ...

    def unregister_all(self) -> None:
        """Give back every key this backend took."""
        ...


@dataclass(frozen=True)
class BackendInfo:
    """Which backend the app would use here, and why (for ``tracker doctor``)."""

    name: str
    reason: str | None = None

    def line(self) -> str:
        """``x11 (ok)`` or ``none (why)``."""
        return f"{self.name} ({self.reason or 'ok'})"


def clash(sequence: str) -> str:
    """The reason given when another program holds the key."""
    return f"{sequence} is already taken by another program"


def fallback_text() -> str:
    """What to bind in the desktop's own keyboard settings when the app cannot."""
    return "bind these commands in your desktop's keyboard settings: " + ", ".join(
        f"`{command}`" for command in COMMANDS.values()
    )


def is_wayland() -> bool:
    """Whether this session is Wayland (X grabs there only see X windows, so they are useless)."""
    env = os.environ
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"


def probe() -> BackendInfo:
    """The backend :func:`~tracker.integrations.hotkeys.choose.choose_backend` would pick,
    judged without Qt and without touching the desktop (the portal is asked only by the app).
    """
    if sys.platform == "win32":
        return BackendInfo("windows")
    if sys.platform == "darwin":
        return BackendInfo("macos")
    if is_wayland():
        return BackendInfo(
            "portal",
            "Wayland: the desktop portal's GlobalShortcuts where offered; otherwise "
            + fallback_text(),
        )
    if not os.environ.get("DISPLAY"):
        return BackendInfo("none", "no graphical session: DISPLAY is not set")
    if importlib.util.find_spec("Xlib") is None:
        return BackendInfo("none", "python-xlib is not installed")
    return BackendInfo("x11")
