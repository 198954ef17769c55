"""X11 idle time: the XScreenSaver extension's counter, kept by the X server itself.

``XScreenSaverQueryInfo`` answers the milliseconds since the last input from any client, so
no desktop service is needed. The app asks on its own connection, only while a timer runs.
"""

from __future__ import annotations

from tracker.integrations.x11 import open_display

__all__ = ["X11Idle"]

EXTENSION = "MIT-SCREEN-SAVER"


class X11Idle:
    """Reads the idle counter on ``display_name`` (``None``: ``$DISPLAY``).

    Raises:
        Xlib.error.DisplayError: the X server cannot be reached.
        RuntimeError: the server lacks the extension.
    """

    name = "x11"

    def __init__(self, display_name: str | None = None) -> None:
        self._display = open_display(display_name)
        if not self._display.has_extension(EXTENSION):
            self._display.close()
            raise RuntimeError(f"the X server has no {EXTENSION} extension")
        self._root = self._display.screen().root

    def idle_seconds(self) -> float | None:
        """Seconds since the last input anywhere on this X server."""
        info = self._root.screensaver_query_info()
        return float(info.idle) / 1000.0

    def close(self) -> None:
        """Drop the connection to the X server."""
        self._display.close()
