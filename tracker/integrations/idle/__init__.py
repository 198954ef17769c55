"""Idle detection: how long since the person last touched the keyboard or mouse.

One backend per platform or desktop behind :class:`IdleBackend` (X11's XScreenSaver
extension, GNOME Mutter's IdleMonitor and org.freedesktop.ScreenSaver over D-Bus, the logind
idle hint, Windows GetLastInputInfo, macOS HIDIdleTime), and a Null backend that says why
none works here. Sleep and screen lock come separately, as signals (:mod:`.power`).

This module is Qt-free so ``tracker doctor`` can call :func:`probe`; the backends are built
by ``choose.choose_backend``, which tries :func:`candidates` in order.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

__all__ = ["BackendInfo", "IdleBackend", "candidates", "probe"]


class IdleBackend(Protocol):
    """Tells the seconds since the last input, or ``None`` when it cannot (now)."""

    name: str
    """Short name for diagnostics: ``x11``, ``mutter``, ``screensaver``, ``logind``,
    ``windows``, ``macos``, ``none``."""

    def idle_seconds(self) -> float | None:
        """Seconds since the last keyboard or pointer input; ``None``: unknown."""
        ...


@dataclass(frozen=True)
class BackendInfo:
    """Which backend the app would use here, and why (for ``tracker doctor``)."""

    name: str
    reason: str | None = None

    def line(self) -> str:
        """``x11 (ok)`` or ``none (why)``."""
        return f"{self.name} ({self.reason or 'ok'})"


def _wayland(env: Mapping[str, str]) -> bool:
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"


def _desktop(env: Mapping[str, str]) -> str:
    return env.get("XDG_CURRENT_DESKTOP", "").upper()


def candidates(env: Mapping[str, str] | None = None, platform: str | None = None) -> list[str]:
    """Backend names to try, best first, for this session.

    On Wayland no client may see others' input, so the compositor must tell: Mutter's
    IdleMonitor on GNOME, org.freedesktop.ScreenSaver elsewhere (KDE). On X11 the server's
    own XScreenSaver counter is exact and needs no desktop service. logind's idle hint is
    the last resort: coarse (the desktop sets it after its own delay) but everywhere.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return ["windows"]
    if platform == "darwin":
        return ["macos"]
    if _wayland(env):
        if "GNOME" in _desktop(env):
            return ["mutter", "screensaver", "logind"]
        return ["screensaver", "mutter", "logind"]
    if env.get("DISPLAY"):
        return ["x11", "mutter", "screensaver", "logind"]
    return ["logind"]


def probe(env: Mapping[str, str] | None = None, platform: str | None = None) -> BackendInfo:
    """The backend :func:`~tracker.integrations.idle.choose.choose_backend` would try first,
    judged without Qt and without asking the desktop (D-Bus services are asked only by the
    app, which falls back down :func:`candidates` when one does not answer)."""
    env = os.environ if env is None else env
    order = candidates(env, platform)
    first = order[0]
    if first == "x11" and importlib.util.find_spec("Xlib") is None:
        return BackendInfo(order[1], "python-xlib is not installed; D-Bus services instead")
    reasons = {
        "mutter": "GNOME on Wayland: Mutter's IdleMonitor over D-Bus",
        "screensaver": "Wayland: org.freedesktop.ScreenSaver over D-Bus",
        "logind": "no graphical session: only the logind idle hint, which is coarse",
    }
    return BackendInfo(first, reasons.get(first))
