"""The Workspace window's Team and Groups pages in the real app on a real X server, against
the Clockify test server: an admin opens the window, the team is read on the sync worker and
kept, the filter narrows it, Priya's hourly rate is changed from the side form with the
keyboard, and the Groups page shows who is in which group. Light, dark, and at scale 2.

Screenshots in ``TRACKER_SCREENSHOTS``: ``team-page-*`` (everyone), ``team-priya-*`` (the
filter and Priya's form after saving), ``groups-page-*``, ``team-hostile-*`` (a 10 KB name
elided in its column while another row is chosen) and ``team-draft-*`` (a typed rate saved
after the filter and Esc).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.desktop.apps import app_for, key_of
from tests.desktop.harness import AppProcess, key, screenshot, type_text, wait_for
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.admin_people import Team, TeamView
from tracker.services.context import Context
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _kept(home: Path) -> TeamView | None:
    with Store(home / STORE_FILE) as store:
        return Team(Context(store)).kept_team()


def _rate(server: FakeClockify, name: str) -> int | None:
    user_id = next(u.user_id for u in server.users if u.name == name)
    with server.state.lock:
        member = server.state.workspaces[server.workspace_id].workspace.members[user_id]
        return None if member.hourly_rate is None else int(member.hourly_rate["amount"])


@pytest.mark.parametrize(
    ("look", "scale"),
    [("light", "1"), ("dark", "1"), ("light", "2")],
    ids=["light", "dark", "scale2"],
)
def test_an_admin_changes_a_rate_from_the_team_page(
    tray: None, tmp_path: Path, clockify: FakeClockify, look: str, scale: str
) -> None:
    suffix = look if scale == "1" else f"{look}-scale{scale}"
    home = tmp_path / "jordan"
    app = app_for(home, clockify, key=key_of(clockify, "Jordan Lee"), look=look, scale=scale)
    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        wait_for(lambda: _kept(home) is not None, timeout=30, what="the team read and kept")
        time.sleep(1.0)  # the worker's answer reaches the page on the GUI thread's next turn
        screenshot(f"team-page-{suffix}", settle=1.0)
        key("Tab")  # from the list of pages into the page
        key("ctrl+f")
        type_text("priya")
        time.sleep(0.5)  # the only row left is chosen, and the form shows Priya
        key("alt+h")  # the form's Hourly rate
        key("ctrl+a")
        type_text("123")
        key("ctrl+s")
        wait_for(lambda: _rate(clockify, "Priya Shah") == 12300, timeout=20, what="the rate")
        screenshot(f"team-priya-{suffix}", settle=1.0)
        key("ctrl+2")
        screenshot(f"groups-page-{suffix}", settle=1.0)
    finally:
        code = app.stop()
    assert code == 0, app.output()


@pytest.mark.parametrize("scale", ["1", "2"], ids=["light", "scale2"])
def test_a_typed_rate_outlives_the_filter_and_esc_and_a_10kb_name_is_one_line(
    tray: None, tmp_path: Path, clockify: FakeClockify, scale: str
) -> None:
    suffix = "light" if scale == "1" else "light-scale2"
    chen_id = next(u.user_id for u in clockify.users if u.name == "Chen Wei")
    with clockify.state.lock:
        clockify.state.users[chen_id].name = "Chen\nWei\u202e " + "x" * 10_000
    home = tmp_path / "jordan"
    home.mkdir()
    app = AppProcess(
        home,
        {
            "CLOCKIFY_API_KEY": key_of(clockify, "Jordan Lee"),
            "TRACKER_API_URL": clockify.base_url,
            "QT_SCALE_FACTOR": scale,
        },
    )
    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        wait_for(lambda: _kept(home) is not None, timeout=30, what="the team read and kept")
        time.sleep(1.0)
        key("Tab")
        key("ctrl+f")
        type_text("priya")
        time.sleep(0.5)
        key("alt+h")
        key("ctrl+a")
        type_text("77")  # typed, not saved
        key("ctrl+f")
        type_text("chen")  # another row is chosen meanwhile
        time.sleep(0.5)
        screenshot(f"team-hostile-{suffix}", settle=1.0)
        key("Escape")  # clears the filter: Priya again, with what was typed; the window stays
        time.sleep(0.5)
        screenshot(f"team-esc-{suffix}", settle=1.0)
        key("ctrl+s")
        wait_for(lambda: _rate(clockify, "Priya Shah") == 7700, timeout=20, what="the rate")
        screenshot(f"team-draft-{suffix}", settle=1.0)
    finally:
        code = app.stop()
    assert code == 0, app.output()
