"""The app as a person of the Clockify test server starts it, with the CLI beside it.

Each desktop test of a Workspace page starts the app in its own folder, in a look and at a
scale, connected with someone's key; prepares data with the CLI run in the app's
environment; and opens a page by its Ctrl+number. Written once here, so a change to how the
app is started reaches every such test.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.desktop.harness import AppProcess
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.preferences import load, save
from tracker.store import Store
from tracker.ui.workspace import PAGES


def app_for(
    home: Path,
    server: FakeClockify,
    *,
    key: str | None = None,
    look: str = "light",
    scale: str = "1",
    env: Mapping[str, str] | None = None,
) -> AppProcess:
    """The app (not started) in a new folder ``home``, in ``look`` at ``scale``, connected to
    ``server`` with ``key`` (the owner's unless given); ``env`` adds to its environment."""
    home.mkdir(parents=True)
    with Store(home / STORE_FILE) as store:
        save(store, load(store).with_changes(appearance=look))
    return AppProcess(
        home,
        {
            "CLOCKIFY_API_KEY": key or server.api_key,
            "TRACKER_API_URL": server.base_url,
            "QT_SCALE_FACTOR": scale,
            **(env or {}),
        },
    )


def key_of(server: FakeClockify, name: str) -> str:
    """The API key of the seeded person called ``name``."""
    return next(u.api_key for u in server.users if u.name == name)


def cli(app: AppProcess, *args: str) -> str:
    """``tracker ARGS`` in the app's environment (its folder, key and server); what it
    printed. A failure fails the test with what it said."""
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def page_key(title: str) -> str:
    """The keys that open the Workspace window's page called ``title``."""
    return f"ctrl+{[shown for shown, _module, _name in PAGES].index(title) + 1}"
