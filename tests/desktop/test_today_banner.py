"""The today window's banner when the account's API key is not in this computer's keyring
(a new keyring, another machine's data folder): it says so, as the tray does, in light and
dark, with its Settings… button (screenshots to look at)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.harness import AppProcess, screenshot, wait_for
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.preferences import Preferences, save
from tracker.store import Store

pytestmark = pytest.mark.desktop(
    "display", "secret-service", "cmd:xdotool", "cmd:trayer", "cmd:import"
)


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_the_banner_says_the_key_is_not_on_this_computer(
    tray: None,
    clockify: FakeClockify,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    appearance: str,
) -> None:
    from tracker.integrations.secrets import choose_secret_store, key_account

    keys = choose_secret_store(environ={}).store
    assert keys is not None
    name = key_account(clockify.base_url, clockify.user_id)
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    app = AppProcess(tmp_path, {"CLOCKIFY_API_KEY": "", "TRACKER_API_URL": clockify.base_url})
    app.env.pop("CLOCKIFY_API_KEY")
    login = subprocess.run(
        [sys.executable, "-m", "tracker", "login"],
        env=app.env,
        input=clockify.api_key + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert login.returncode == 0, login.stderr
    keys.delete(name)  # the keyring lost it: the account is recorded, its key is not here
    with Store(tmp_path / STORE_FILE) as store:
        save(store, Preferences(appearance=appearance))
    app.start()
    try:
        wait_for(lambda: app.probe()["account"] == "no_key", timeout=20, what="no key")
        app.ask("today")
        wait_for(lambda: app.probe()["today"], what="the today window")
        screenshot(f"today-key-missing-banner-{appearance}")
    finally:
        assert app.stop() == 0, app.output()
        keys.delete(name)
