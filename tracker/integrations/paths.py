"""Where tracker keeps its files: the store and the logs.

One place for the tray app, the CLI and the crash reporter, so they always agree on the
folder (``TRACKER_HOME`` when set, else the platform's user folders). Qt-free and cheap:
``platformdirs`` is imported only when ``TRACKER_HOME`` is not set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["APP_NAME", "HOME_VAR", "STORE_FILE", "log_dir", "store_path"]

APP_NAME = "tracker"
"""The folder name under the platform's user data and log folders."""
HOME_VAR = "TRACKER_HOME"
"""One folder for the store (and its ``logs`` folder), instead of the platform's."""
STORE_FILE = "tracker.sqlite3"


def _home(environ: Mapping[str, str] | None) -> Path | None:
    env = os.environ if environ is None else environ
    home = env.get(HOME_VAR, "").strip()
    return Path(home).expanduser() if home else None


def store_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$TRACKER_HOME/tracker.sqlite3``, else the platform's user data folder."""
    home = _home(environ)
    if home is not None:
        return home / STORE_FILE
    import platformdirs  # noqa: PLC0415 - TRACKER_HOME users never pay for it

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / STORE_FILE


def log_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$TRACKER_HOME/logs``, else the platform's user log folder."""
    home = _home(environ)
    if home is not None:
        return home / "logs"
    import platformdirs  # noqa: PLC0415 - only needed without TRACKER_HOME

    return platformdirs.user_log_path(APP_NAME, appauthor=False)
