"""Start at login: one switch, kept where the operating system looks for it at login.

A backend per platform behind :class:`AutostartBackend` (an XDG autostart desktop entry,
the Windows ``HKCU\\...\\Run`` value the installer also writes and removes, a macOS
LaunchAgent), and a Null backend that says why there is none. The OS entry itself is the
truth: Settings shows :meth:`AutostartBackend.is_enabled`, not a remembered preference, so
an entry removed by hand or by the uninstaller shows as off.

Everything here is Qt-free (files, ``winreg``, ``plistlib``), so ``tracker doctor`` can
call :func:`probe` and the app can use :func:`choose_backend` alike.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

__all__ = [
    "APP_ID",
    "AutostartBackend",
    "AutostartInfo",
    "choose_backend",
    "launch_command",
    "probe",
]

APP_ID = "io.github.tracker.Tracker"
"""The app id (packaging/tracker.spec's ``APP_ID``): the macOS LaunchAgent's label."""


class AutostartBackend(Protocol):
    """Turns starting the app at login on and off."""

    name: str
    """A readable name for diagnostics: ``XDG autostart``, ``Windows Run key``..."""

    @property
    def location(self) -> str:
        """Where the entry lives (a path or a registry value), for diagnostics."""
        ...

    unavailable: str | None
    """Why start at login cannot work here (the Null backend), else ``None``."""

    def is_enabled(self) -> bool:
        """Whether the entry exists and is switched on."""
        ...

    def enable(self, command: list[str]) -> None:
        """Start ``command`` at login; raises ``OSError`` when the entry cannot be written."""
        ...

    def disable(self) -> None:
        """Start nothing at login (no error when already off); raises ``OSError``."""
        ...


@dataclass(frozen=True)
class AutostartInfo:
    """Which backend is used here, where its entry lives and whether it is on (doctor)."""

    name: str
    location: str
    enabled: bool
    reason: str | None = None

    def line(self) -> str:
        """``XDG autostart (~/.config/autostart/tracker.desktop, on)`` or ``none (why)``."""
        if self.reason:
            return f"{self.name} ({self.reason})"
        return f"{self.name} ({self.location}, {'on' if self.enabled else 'off'})"


def launch_command() -> list[str]:
    """How this very app is started again: the bundle's executable when frozen (it starts
    the tray app without arguments), else this interpreter running ``tracker gui``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "tracker", "gui"]


def choose_backend(
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> AutostartBackend:
    """The backend for this platform (the XDG one on Linux and the BSDs)."""
    platform = sys.platform if platform is None else platform
    env = os.environ if env is None else env
    if platform == "win32":
        from tracker.integrations.autostart.windows import WindowsAutostart  # noqa: PLC0415

        return WindowsAutostart()
    if platform == "darwin":
        from tracker.integrations.autostart.macos import MacAutostart  # noqa: PLC0415

        return MacAutostart(home=home)
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        from tracker.integrations.autostart.xdg import XdgAutostart  # noqa: PLC0415

        return XdgAutostart(env=env, home=home)
    from tracker.integrations.autostart.null import NullAutostart  # noqa: PLC0415

    return NullAutostart(f"no start-at-login support on {platform}")


def probe(
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> AutostartInfo:
    """The backend :func:`choose_backend` gives here, its entry and its state."""
    backend = choose_backend(platform, env, home)
    if backend.unavailable:
        return AutostartInfo(backend.name, backend.location, False, backend.unavailable)
    try:
        enabled = backend.is_enabled()
    except OSError as problem:
        return AutostartInfo(backend.name, backend.location, False, f"cannot read: {problem}")
    return AutostartInfo(backend.name, _short(backend.location, home), enabled)


def _short(location: str, home: Path | None) -> str:
    """``~/...`` for paths under the home folder (doctor output is often pasted)."""
    base = str(home if home is not None else Path.home())
    if base and location.startswith(base + os.sep):
        return "~" + location[len(base) :]
    return location
