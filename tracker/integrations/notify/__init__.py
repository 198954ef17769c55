"""Desktop notifications with action buttons, where the desktop offers them.

On Linux the freedesktop notification service (``org.freedesktop.Notifications``) shows
buttons and says which was pressed (:mod:`.freedesktop`). Elsewhere, or with no such
service, the Null backend says why, and the app falls back to the tray icon's balloon
(``QSystemTrayIcon.showMessage``), which has no buttons: a click on it does the first action.

This module is Qt-free so ``tracker doctor`` can call :func:`probe`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["TRAY_REASONS", "BackendInfo", "NotifyBackend", "OnAction", "probe"]

OnAction = Callable[[str], None]
"""Called on the GUI thread with the key of the button pressed (``default``: the body)."""

TRAY_REASONS = {
    "win32": "Windows: the tray balloon, which has no buttons; a click does the first action",
    "darwin": "macOS: the tray balloon, which has no buttons; a click does the first action",
}


class NotifyBackend(Protocol):
    """Shows a notification with buttons and reports the one pressed."""

    name: str
    """``freedesktop`` or ``none``."""

    unavailable: str | None
    """Why no notification with buttons can show here (the Null backend), else ``None``."""

    def notify(
        self, title: str, body: str, actions: Sequence[tuple[str, str]], on_action: OnAction
    ) -> bool:
        """Show ``title`` and ``body`` (plain text) with ``actions`` as (key, label) buttons;
        ``False`` when it could not (the caller then uses the tray balloon)."""
        ...


@dataclass(frozen=True)
class BackendInfo:
    """Which backend the app would use here, and why (for ``tracker doctor``)."""

    name: str
    reason: str | None = None

    def line(self) -> str:
        """``freedesktop (dunst 1.9, buttons)`` or ``tray (why)``."""
        return f"{self.name} ({self.reason or 'ok'})"


def probe(
    env: Mapping[str, str] | None = None, platform: str | None = None, timeout: float = 1.0
) -> BackendInfo:
    """Ask the session bus (without Qt) whether a notification service answers, and whether
    it shows buttons."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform in TRAY_REASONS:
        return BackendInfo("tray", TRAY_REASONS[platform])
    if not env.get("DBUS_SESSION_BUS_ADDRESS"):
        return BackendInfo("tray", "no D-Bus session bus: the tray balloon, without buttons")
    try:
        from tracker.integrations.notify.service import server_info  # noqa: PLC0415
    except ImportError as problem:
        return BackendInfo("tray", f"no D-Bus client ({problem})")
    try:
        name, version, actions = server_info(env.get("DBUS_SESSION_BUS_ADDRESS"), timeout)
    except (OSError, TimeoutError, KeyError, ValueError, RuntimeError) as problem:
        return BackendInfo("tray", f"no notification service on the session bus: {problem}")
    buttons = "buttons" if actions else "no buttons: a click does the first action"
    return BackendInfo("freedesktop", f"{name} {version}, {buttons}".strip())
