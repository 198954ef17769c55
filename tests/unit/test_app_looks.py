"""The tray app's sync triggers: opening the timer popup is a look at server data, so a timer
started elsewhere shows then, without waiting for a quiet poll or a backoff."""

from __future__ import annotations

import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.helpers.keyrings import keep_key
from tracker.app import App
from tracker.domain.model import Profile
from tracker.integrations.secrets import MemorySecretStore
from tracker.services.preferences import Preferences, save
from tracker.store import Store
from tracker.sync.engine import SyncReport


def test_opening_the_popup_pulls_a_timer_started_elsewhere(
    tmp_path: Path, clockify: FakeClockify, qtbot: QtBot
) -> None:
    store_file = tmp_path / "tracker.sqlite3"
    with Store(store_file) as store:
        store.meta.save_profile(Profile(time_zone="UTC"))
        save(
            store,
            Preferences(
                server="custom", api_url=clockify.base_url, reports_url=clockify.reports_url
            ),
        )
    secrets = MemorySecretStore()
    with Store(store_file) as store:
        keep_key(secrets, store, clockify.base_url, clockify.user_id, clockify.api_key)
    clockify.stop()  # offline at start-up: nothing is known, and the retry waits 5 s or more
    app = App(store_file, choose_secrets=lambda: secrets)
    try:
        rounds: list[SyncReport] = []
        app.worker.round_finished.connect(rounds.append)
        app.worker.start()
        qtbot.waitUntil(lambda: bool(rounds), timeout=10_000)
        assert rounds[0].offline is not None
        clockify.start()
        clockify.state.add_entry(
            clockify.workspace_id,
            clockify.user_id,
            int(time.time()) - 600,
            None,
            description="from the web",
        )
        app.windows.show_popup()

        def shown() -> bool:
            running = app.controller.running()
            return running is not None and running.description == "from the web"

        qtbot.waitUntil(shown, timeout=4000)  # well before the backoff's retry
    finally:
        app.close()


def test_start_up_leaves_the_look_and_window_helpers_for_the_first_window(
    tmp_path: Path, qtbot: QtBot
) -> None:
    # The tray comes first: the look (palette repair, the style outlining check boxes) and
    # fitting windows to the screen cost Qt types (~40 and ~15 ms) the icon does not need;
    # the first window brings them.
    import subprocess
    import sys

    code = (
        "import sys, tracker.app\n"
        "loaded = [m for m in ('tracker.ui.screen', 'tracker.ui.indicators') "
        "if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)

    from PySide6.QtWidgets import QApplication

    from tracker.ui.indicators import VisibleIndicators

    store_file = tmp_path / "tracker.sqlite3"
    with Store(store_file) as store:
        save(store, Preferences(appearance="dark"))
    app = App(store_file)
    try:
        qapp = QApplication.instance()
        assert isinstance(qapp, QApplication)
        qapp.setStyle("Windows")  # what a platform would start with
        assert not isinstance(qapp.style(), VisibleIndicators)  # nothing applied yet
        app.windows.show_today()
        today = app.windows.today_window
        assert today is not None
        qtbot.addWidget(today)
        assert isinstance(qapp.style(), VisibleIndicators)
        assert qapp.palette().window().color().lightness() < 128  # dark, as saved
    finally:
        app.close()
