"""The bundle's entry point: the same ``main`` as the ``tracker`` console script.

PyInstaller runs this file as a script; it lives outside ``tracker/`` so the package keeps
its ``python -m tracker`` entry unchanged.
"""

import os
import sys

from tracker.__main__ import main


def _streams() -> None:
    """A windowed Windows build starts with no stdout or stderr; the CLI writes to them."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def _platform() -> None:
    """The Linux bundle carries Qt's X11 platform only (Wayland sessions run it through
    XWayland); saying so up front spares Qt a failed look for its Wayland plugin and the
    warning that goes with it. QT_QPA_PLATFORM set by the person still wins."""
    if sys.platform.startswith("linux") and getattr(sys, "frozen", False):
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")


if __name__ == "__main__":
    _streams()
    _platform()
    sys.exit(main())
