"""The today window on a real X server, driven by the keyboard: entries that share time are
marked, an entry without description says so, a refused edit stays open to be corrected, and
the offline banner does not move the rows (light and dark, and once at scale 2).

Rows are checked from outside: the store through the CLI, the pixels through screenshots.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.harness import AppProcess, key, screenshot, type_text, wait_for, xdotool
from tests.desktop.test_tray_app import cli
from tests.fakeclockify import FakeClockify, Fault
from tracker.integrations.paths import STORE_FILE
from tracker.services.preferences import load, save
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")

TITLE = "^Today"
"""The today window's title as xdotool searches it (a regular expression; X may hold the
title with the application's name in another encoding, so only its start is matched)."""


def start(home: Path, server: FakeClockify, appearance: str, scale: str = "1") -> AppProcess:
    """The app on ``server`` with ``appearance`` chosen in its preferences."""
    with Store(home / STORE_FILE) as store:
        save(store, load(store).with_changes(appearance=appearance))
    env = {
        "CLOCKIFY_API_KEY": server.api_key,
        "TRACKER_API_URL": server.base_url,
        "QT_SCALE_FACTOR": scale,
    }
    app = AppProcess(home, env)
    app.start()
    return app


def yesterday(app: AppProcess) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = cli(app, "today", "yesterday")["entries"]
    return entries


def seed_yesterday(app: AppProcess) -> None:
    """Yesterday (all past, whatever the hour the test runs): two entries that share time,
    one without description, one to edit."""
    cli(app, "add", "yesterday 9:00", "yesterday 10:00", "Write report")
    cli(app, "add", "yesterday 9:30", "yesterday 10:30", "Call that ran over")
    cli(app, "add", "yesterday 11:00", "yesterday 11:30")
    cli(app, "add", "yesterday 13:00", "yesterday 14:15", "Review")


def all_sent(app: AppProcess) -> None:
    wait_for(
        lambda: all(e["state"] == "synced" for e in yesterday(app)),
        timeout=30,
        what="yesterday's entries on Clockify",
    )


def _visible(title: str) -> str:
    """The ids of visible windows titled ``title`` (none yet: empty; xdotool exits 1)."""
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", title],
        check=False,
        capture_output=True,
        text=True,
        timeout=10,
    )
    return found.stdout.strip()


def open_yesterday(app: AppProcess) -> str:
    """Open the today window on yesterday; returns its X window id."""
    app.ask("today")
    wait_for(lambda: app.probe()["today"], what="the today window")
    window = wait_for(lambda: _visible(TITLE), what=TITLE)
    window = window.splitlines()[0]
    key("alt+Left")
    return window


def window_shot(window: str, path: Path) -> Path:
    subprocess.run(["import", "-window", window, str(path)], check=True, timeout=20)
    return path


def differing_pixels(first: Path, second: Path, crop: str) -> int:
    """How many pixels differ between the ``crop`` (ImageMagick geometry) of two images."""
    done = subprocess.run(
        ["compare", "-metric", "AE", f"{first}[{crop}]", f"{second}[{crop}]", "null:"],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    return int(float(done.stderr.split()[0]))


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_today_marks_overlaps_keeps_a_refused_edit_and_holds_rows_still(
    appearance: str,
    tray: None,
    clockify_factory: Callable[..., FakeClockify],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    server = clockify_factory(seed="empty")
    app = start(tmp_path, server, appearance)
    try:
        seed_yesterday(app)
        all_sent(app)  # no re-read under the keys below
        window = open_yesterday(app)
        shown = yesterday(app)
        overlaps = {e["description"]: len(e["overlaps"]) for e in shown}
        assert overlaps == {"Write report": 1, "Call that ran over": 1, "": 0, "Review": 0}
        screenshot(f"today-overlap-{appearance}")

        # Ctrl+N puts a half hour in yesterday's first gap (10:30, after the call) and opens
        # its description; End, Left is its end cell.
        key("ctrl+n")
        type_text("Planning")
        key("Return")
        planning = wait_for(
            lambda: next((e for e in yesterday(app) if e["description"] == "Planning"), None),
            what="the added entry",
        )
        assert planning["duration_seconds"] == 30 * 60
        key("End", "Left", "F2", "ctrl+a")
        type_text("10:00")  # before its 10:30 start: refused
        key("Return")
        screenshot(f"today-refused-edit-open-{appearance}")
        key("ctrl+a")  # still in the editor: only there does typing change the cell
        type_text("10:50")
        key("Return")
        wait_for(
            lambda: any(
                e["description"] == "Planning" and e["duration_seconds"] == 20 * 60
                for e in yesterday(app)
            ),
            what="the corrected end in the store",
        )
        all_sent(app)

        before = window_shot(window, tmp_path / "before.png")
        server.add_fault(Fault(kind="status", status=503, times=None))
        app.ask("sync")
        wait_for(lambda: app.probe()["sync"] == "offline", timeout=30, what="offline")
        after = window_shot(window, tmp_path / "after.png")
        screenshot(f"today-offline-banner-{appearance}")
        # The header, toolbar and the rows at the top of the table: not moved by a pixel.
        width, height = (
            int(v) for v in xdotool("getwindowgeometry", window).split()[-1].split("x")
        )
        assert differing_pixels(before, after, f"{width}x{height // 2}+0+0") == 0
        assert differing_pixels(before, after, f"{width}x{height}+0+0") > 0  # the banner
    finally:
        assert app.stop() == 0, app.output()


def test_today_at_scale_two(
    tray: None,
    clockify_factory: Callable[..., FakeClockify],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    server = clockify_factory(seed="empty")
    app = start(tmp_path, server, "light", scale="2")
    try:
        seed_yesterday(app)
        open_yesterday(app)
        wait_for(lambda: len(yesterday(app)) == 4, what="the entries")
        screenshot("today-scale2")
    finally:
        assert app.stop() == 0, app.output()
