"""Whether the tray app can show anything here, asked before Qt is.

Without a display, or without a library its X11 plugin needs (``libxcb-cursor0`` is the usual
one missing on a fresh desktop), Qt prints "could not load the Qt platform plugin" and aborts
the process with a core dump. This module finds those cases first and says in one sentence
what is missing: a display (the CLI works without one) or a library, by the Debian package
that has it. It never imports Qt; the caller passes the folder of Qt's platform plugins.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["debian_package", "display_problem", "library_problem", "missing_library"]

CLI_HINT = 'the command line works without one: `tracker start "Write report"`, `tracker status`'

PLUGIN_FILES = {
    "xcb": ("libqxcb.so",),
    "wayland": ("libqwayland.so", "libqwayland-generic.so"),
}
"""Qt's platform plugins that need a display server, by platform name."""

_SONAME = re.compile(r"(lib[A-Za-z0-9_.+-]+?\.so(?:\.\d+)*)")


def display_problem(environ: Mapping[str, str], plugins: Path | None) -> str | None:
    """Why the tray app cannot show a window here, or ``None`` when it can (or when Qt
    decides: Windows, macOS, an offscreen or framebuffer platform)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    problems = [_platform_problem(name, environ, plugins) for name in _platforms(environ)]
    if not problems or any(problem is None for problem in problems):
        return None  # Qt falls back along the list to one that works
    return problems[0]


def _platforms(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order (``QT_QPA_PLATFORM``, else its default)."""
    asked = environ.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        return [part.split(":")[0].strip() for part in asked.split(";") if part.strip()]
    wayland = environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY")
    return ["wayland", "xcb"] if wayland else ["xcb"]


def _platform_problem(name: str, environ: Mapping[str, str], plugins: Path | None) -> str | None:
    if name not in PLUGIN_FILES:
        return None
    if name == "xcb" and not environ.get("DISPLAY", "").strip():
        return _no_display("DISPLAY is not set")
    if name == "wayland" and not environ.get("WAYLAND_DISPLAY", "").strip():
        return _no_display("WAYLAND_DISPLAY is not set")
    folder = environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").strip()
    where = Path(folder) if folder else plugins
    if where is None:
        return None
    plugin = next((where / file for file in PLUGIN_FILES[name] if (where / file).is_file()), None)
    return library_problem(plugin, name) if plugin is not None else None


def _no_display(why: str) -> str:
    return f"no graphical display here ({why}), so the tray app cannot start; {CLI_HINT}."


def library_problem(plugin: Path, platform: str) -> str | None:
    """Load ``plugin`` as the dynamic loader will for Qt: ``None`` when it loads, else the
    sentence naming what is missing. Loading it twice is harmless: Qt gets the same handle."""
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY | os.RTLD_LOCAL)
    except OSError as exc:
        return missing_library(str(exc), f"Qt's {platform} support")
    return None


def missing_library(error: str, needed_by: str) -> str:
    """One sentence from a loader error (``libxcb-cursor.so.0: cannot open shared object
    file``): the library, and the Debian package to install."""
    found = _SONAME.search(error.rsplit("/", 1)[-1]) or _SONAME.search(error)
    if found is None:
        return f"the tray app cannot start: {needed_by} cannot be loaded ({error.strip()})."
    library = found.group(1)
    package = debian_package(library)
    install = (
        f": install the Debian/Ubuntu package {package} (`sudo apt install {package}`)"
        if package
        else ""
    )
    return (
        f"the tray app cannot start: {needed_by} needs the library {library}, which is "
        f"missing or broken here{install}."
    )


def debian_package(soname: str) -> str | None:
    """The Debian package that ships ``soname``, by Debian's naming policy:
    ``libxcb-cursor.so.0`` → ``libxcb-cursor0``, ``libxkbcommon-x11.so.0`` →
    ``libxkbcommon-x11-0``, ``libEGL.so.1`` → ``libegl1``."""
    found = re.fullmatch(r"(lib[A-Za-z0-9_.+-]+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if found is None:
        return None
    name, major = found.groups()
    separator = "-" if name[-1].isdigit() else ""
    return f"{name}{separator}{major}".lower().replace("_", "-")
