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


if __name__ == "__main__":
    _streams()
    sys.exit(main())
