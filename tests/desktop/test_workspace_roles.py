"""Who is offered the Workspace window, in the real app against the test server: the tray
learns the role the first time its menu opens, then shows "Workspace…" to a manager (whose
pages show what a manager may see) and never to a member.

Screenshots in ``TRACKER_SCREENSHOTS``: ``workspace-menu-manager``, ``workspace-menu-member``
and ``workspace-manager-<page>`` for each page.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.desktop.harness import AppProcess, click, key, screenshot, wait_for
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.abilities import abilities
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _role(home: Path) -> str | None:
    with Store(home / STORE_FILE) as store:
        return abilities(store).role


def _app(home: Path, server: FakeClockify, name: str) -> AppProcess:
    home.mkdir()
    key_ = next(u.api_key for u in server.users if u.name == name)
    return AppProcess(home, {"CLOCKIFY_API_KEY": key_, "TRACKER_API_URL": server.base_url})


def _menu_after_the_role(app: AppProcess, home: Path) -> list[str]:
    """Open the menu once (the role is learnt then), close it, open it again."""
    x, y = app.tray_center()
    click(x, y, 3)
    wait_for(lambda: app.probe()["menu"], what="the tray menu")
    wait_for(lambda: _role(home) is not None, timeout=20, what="the role learnt")
    key("Escape")
    wait_for(lambda: not app.probe()["menu"], what="the menu closed")
    for _attempt in range(3):  # a click right after the menu closed may not reach the icon
        time.sleep(0.5)
        click(x, y, 3)
        try:
            wait_for(lambda: app.probe()["menu"], timeout=4, what="the tray menu again")
            break
        except AssertionError:
            continue
    assert app.probe()["menu"], "the tray menu did not open again"
    items: list[str] = app.probe()["menu_items"]
    return items


def test_a_manager_is_offered_the_workspace_and_a_member_is_not(
    tray: None, tmp_path: Path, clockify: FakeClockify
) -> None:
    sam_home, priya_home = tmp_path / "sam", tmp_path / "priya"
    sam = _app(sam_home, clockify, "Sam Rivera")
    sam.start()
    try:
        wait_for(lambda: sam.probe()["sync"] == "synced", timeout=30, what="the first sync")
        assert "openWorkspace" in _menu_after_the_role(sam, sam_home)
        assert _role(sam_home) == "manager"
        screenshot("workspace-menu-manager", settle=0.5)
        key("Escape")
        sam.ask("workspace")
        wait_for(lambda: sam.probe()["workspace"], what="the Workspace window")
        pages: list[str] = sam.probe()["workspace_pages"]
        assert pages[:2] == ["Team", "Groups"]
        for number, title in enumerate(pages, start=1):
            key(f"ctrl+{number}")
            time.sleep(2.0)  # the page reads on the worker; its answer lands on the next turn
            screenshot(f"workspace-manager-{title.lower().replace(' ', '-')}", settle=0.5)
    finally:
        assert sam.stop() == 0, sam.output()

    priya = _app(priya_home, clockify, "Priya Shah")
    priya.start()
    try:
        wait_for(lambda: priya.probe()["sync"] == "synced", timeout=30, what="the first sync")
        assert "openWorkspace" not in _menu_after_the_role(priya, priya_home)
        assert _role(priya_home) == "member"
        screenshot("workspace-menu-member", settle=0.5)
        key("Escape")
    finally:
        assert priya.stop() == 0, priya.output()
