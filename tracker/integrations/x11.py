"""Connections to the X server that load only the X extensions the app talks to.

As a display opens, python-xlib imports and queries every extension the server offers (23
modules and as many round trips on a common X server, about 2 MiB kept for the life of the
app); the idle watch uses one (``MIT-SCREEN-SAVER``) and the hotkeys none. Both open their
connection here, so the others are never loaded.
"""

from __future__ import annotations

from Xlib import display, ext

__all__ = ["USED_EXTENSIONS", "open_display"]

USED_EXTENSIONS = frozenset({"MIT-SCREEN-SAVER"})
"""The X extensions whose requests the app sends. ``has_extension`` still sees them all."""


def open_display(name: str | None = None) -> display.Display:
    """A connection to ``name`` (``None``: ``$DISPLAY``) with only the used extensions set up.

    Raises:
        Xlib.error.DisplayError: the X server cannot be reached.
    """
    ext.__extensions__ = [pair for pair in ext.__extensions__ if pair[0] in USED_EXTENSIONS]
    return display.Display(name)
