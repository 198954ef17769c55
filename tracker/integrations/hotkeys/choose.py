"""Build the hotkey backend for this desktop (the app's side of :func:`probe`).

Separate from the package's ``__init__`` because the backends import Qt, and the CLI (which
imports :func:`tracker.integrations.hotkeys.probe`) must never load Qt, not even indirectly.
"""

from __future__ import annotations

import logging
import sys

from tracker.integrations.hotkeys import Activated, HotkeyBackend, fallback_text, is_wayland, probe
from tracker.integrations.hotkeys.null import NullBackend

__all__ = ["choose_backend"]

log = logging.getLogger(__name__)


def choose_backend(on_activated: Activated) -> HotkeyBackend:
    """The backend for this session; the Null backend (with the reason) when none works."""
    info = probe()
    try:
        if info.name == "windows":
            from tracker.integrations.hotkeys.windows import WindowsBackend  # noqa: PLC0415

            return WindowsBackend(on_activated)
        if info.name == "macos":
            from tracker.integrations.hotkeys.macos import MacBackend  # noqa: PLC0415

            return MacBackend(on_activated)
        if info.name == "portal":
            from tracker.integrations.hotkeys import portal  # noqa: PLC0415

            return portal.create(on_activated)
        if info.name == "x11":
            from tracker.integrations.hotkeys.x11 import X11Backend  # noqa: PLC0415

            return X11Backend(on_activated)
    except Exception as problem:
        log.warning("hotkeys unavailable: %s", problem)
        reason = f"{info.name} hotkeys failed to start: {problem}"
        if is_wayland() or sys.platform.startswith("linux"):
            reason += "; " + fallback_text()
        return NullBackend(reason, on_activated)
    return NullBackend(info.reason or "no hotkey support here", on_activated)
