"""Cancelling a slow read on a Workspace window page, with the real sync worker and the Clockify
test server trickling its answer: the progress (on the message line) and Cancel appear,
Cancel (or Esc) stops the read at once, the copy shown stays, Refresh works after; a change
offers no Cancel and Esc then closes the window as always."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify, Fault
from tests.helpers.keyrings import keep_key
from tests.integration.api.conftest import FAST_RETRY
from tracker.bridge.worker import SyncWorker
from tracker.domain.model import Profile
from tracker.integrations.secrets import MemorySecretStore
from tracker.services.admin_base import FRESH_SECONDS, admin_key
from tracker.services.admin_projects import AdminProjects
from tracker.services.context import Context
from tracker.services.preferences import Preferences, save
from tracker.store import Store
from tracker.store.report_cache import ReportCache
from tracker.sync.schedule import SyncPolicy
from tracker.ui.admin_audit import AuditPage
from tracker.ui.admin_page import Work
from tracker.ui.admin_projects import ProjectsPage
from tracker.ui.workspace import WorkspaceWindow

PROJECTS = 2
AUDIT = 6
WAIT = 10_000
QUIET = SyncPolicy(push_delay=0.05, min_poll=3600.0, max_backoff=0.3)
TRICKLE = Fault(kind="trickle", delay=0.2, method="GET", path=r"/projects$", times=None)
"""The projects list one byte every 0.2 s: a refresh would take until the 30 s deadline."""


class Rig:
    """A person's store, their running sync worker, and the Workspace window over both."""

    def __init__(self, folder: Path, server: FakeClockify, qtbot: QtBot) -> None:
        self.store = Store(folder / "tracker.sqlite3")
        self.store.meta.save_profile(Profile(time_zone="UTC"))
        secrets = MemorySecretStore()
        keep_key(secrets, self.store, server.base_url, server.user_id, server.api_key)
        save(
            self.store,
            Preferences(server="custom", api_url=server.base_url, reports_url=server.reports_url),
        )
        self.worker = SyncWorker(
            self.store.path,
            secrets,
            policy=QUIET,
            clock=lambda: datetime.now(UTC),
            api_options={"retry": FAST_RETRY, "timeout": httpx.Timeout(2.0), "budget_wait": 0.0},
        )
        with qtbot.waitSignal(self.worker.round_finished, timeout=WAIT):
            self.worker.start()
        worker = self.worker

        def run(work: Work, done: Any) -> Any:
            return worker.channel.call_with_client(work, done)

        self.window = WorkspaceWindow(self.store, lambda: datetime.now(UTC), run)
        qtbot.addWidget(self.window)
        self.qtbot = qtbot

    def projects(self) -> ProjectsPage:
        """The window shown on the Projects page, its first read done."""
        self.window.show()
        self.window.activateWindow()
        self.qtbot.waitActive(self.window)
        self.window.show_page(PROJECTS)
        page = self.window.page(PROJECTS)
        assert isinstance(page, ProjectsPage)
        self.qtbot.waitUntil(lambda: not page.busy and page.model.total > 0, timeout=WAIT)
        page.table.setFocus()  # the page's keys (F5) work where its focus is
        self.qtbot.waitUntil(page.table.hasFocus)
        return page

    def close(self) -> None:
        self.window.close()
        assert self.worker.shutdown()
        QCoreApplication.processEvents()
        self.store.close()


@pytest.fixture
def rig(tmp_path: Path, clockify: FakeClockify, qtbot: QtBot) -> Iterator[Rig]:
    made = Rig(tmp_path, clockify, qtbot)
    yield made
    made.close()


def _kept(store: Store) -> tuple[object, object]:
    kept = AdminProjects(Context(store, lambda: datetime.now(UTC))).kept()
    assert kept is not None
    return kept.as_of, kept.value


def _reading(page: ProjectsPage, qtbot: QtBot) -> None:
    """F5 on a trickling server: wait until the progress line counts the first request."""
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "1 request" in page.message.text(), timeout=WAIT)


def test_cancel_stops_a_slow_refresh_at_once_and_the_copy_stays(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    page = rig.projects()
    shown, kept = page.model.total, _kept(rig.store)
    as_of = page.as_of.text()
    clockify.add_fault(TRICKLE)
    _reading(page, qtbot)
    assert page.busy
    assert page.cancel_read_button.isVisible()
    assert page.cancel_read_button.isEnabled()
    assert not page.refresh_button.isEnabled()
    assert not page.as_of.isVisible()  # Cancel in its place
    assert page.message.text() == "Reading from Clockify… 1 request"
    assert page.message.property("trackerTone") == "muted"
    began = time.monotonic()
    qtbot.mouseClick(page.cancel_read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert time.monotonic() - began < 0.5
    when = as_of.removeprefix("as of ")
    assert page.message.text() == f"Refresh cancelled; showing the copy as of {when}."
    assert page.message.property("trackerTone") == "muted"
    assert page.refresh_button.isEnabled()
    assert not page.cancel_read_button.isVisible()
    assert page.as_of.isVisible()
    assert page.as_of.text() == as_of
    assert page.model.total == shown
    assert _kept(rig.store) == kept

    clockify.clear_faults()
    asked = len(clockify.exchanges)
    qtbot.keyClick(page.table, Qt.Key.Key_F5)  # F5 works after a cancel
    assert page.busy
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert page.message.text() == ""
    assert len(clockify.exchanges) > asked
    assert page.model.total == shown
    assert not page.cancel_read_button.isVisible()


def test_esc_while_reading_cancels_the_read_and_keeps_the_window(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    page = rig.projects()
    clockify.add_fault(TRICKLE)
    _reading(page, qtbot)
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not page.busy, timeout=2_000)
    assert rig.window.isVisible()
    assert page.message.text().startswith("Refresh cancelled; showing the copy as of ")
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)  # nothing to cancel: Esc closes as always
    assert not rig.window.isVisible()


def test_a_change_offers_no_cancel_and_esc_closes_the_window(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """A write cut mid-request may or may not have been done: it runs to its end."""
    page = rig.projects()
    ws = clockify.workspace_id
    project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
    page.table.selectRow(page.model.find(project.id))
    slow = Fault(kind="delay", delay=1.0, method="PUT", path=r"/projects/[^/]+$", times=None)
    clockify.add_fault(slow)
    page.note.setText("written slowly")
    page.save()
    assert page.busy
    qtbot.wait(300)
    assert not page.cancel_read_button.isVisible()
    assert "Reading" not in page.message.text()
    assert not page.cancel_reading()
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    assert not rig.window.isVisible()  # closed as always; the change goes on
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert "Saved" in page.message.text(), page.message.text()
    assert clockify.state.workspaces[ws].projects[project.id].note == "written slowly"


def test_a_change_during_a_read_cancels_it_and_the_page_stays_busy_until_it_is_sent(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """A Save while the list is read: the read is cancelled at once and says nothing (the
    Save speaks), and the page stays busy until the Save is answered (Refresh off, so F5
    starts no read under the change)."""
    page = rig.projects()
    ws = clockify.workspace_id
    project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
    page.table.selectRow(page.model.find(project.id))
    clockify.add_fault(TRICKLE)
    slow = Fault(kind="delay", delay=1.0, method="PUT", path=r"/projects/[^/]+$", times=1)
    clockify.add_fault(slow)
    _reading(page, qtbot)
    page.note.setText("saved while reading")
    page.save()
    qtbot.waitUntil(lambda: page.reading is None, timeout=500)  # the read is cancelled
    assert not page.cancel_read_button.isVisible()
    assert "cancelled" not in page.message.text()
    assert page.busy  # the Save is on its way
    assert not page.refresh_button.isEnabled()
    lists = sum(1 for x in clockify.exchanges if x.path.endswith("/projects"))
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    assert sum(1 for x in clockify.exchanges if x.path.endswith("/projects")) == lists
    assert page.reading is None
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert page.message.text().startswith("Saved")
    assert page.refresh_button.isEnabled()
    assert clockify.state.workspaces[ws].projects[project.id].note == "saved while reading"


def test_a_read_overlapping_a_change_does_not_bring_back_the_copy_from_before_it(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """The list is read (its answer trickling in, read before the change) while a Save
    goes: the page and the kept copy show the saved note, not the list from before it."""
    page = rig.projects()
    ws = clockify.workspace_id
    project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
    page.table.selectRow(page.model.find(project.id))
    quick = Fault(kind="trickle", delay=0.0003, method="GET", path=r"/projects$", times=1)
    clockify.add_fault(quick)
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: page.reading is not None and page.reading.requests >= 1)
    page.note.setText("saved while reading")
    page.save()
    # both answered (the read too, were it left to trickle on: a few seconds)
    qtbot.waitUntil(lambda: not page.busy and page.reading is None, timeout=30_000)
    qtbot.wait(200)
    _as_of, value = _kept(rig.store)
    assert isinstance(value, dict)
    notes = {p["id"]: p.get("note") for p in value["projects"]}
    assert notes[project.id] == "saved while reading"
    assert page.note.text() == "saved while reading"


def test_closing_the_window_cancels_a_read_on_any_page(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """Nobody looks at a closed window: its reads stop spending requests at once, the one on
    a page left behind too, and the page says so when the window is opened again."""
    page = rig.projects()
    clockify.add_fault(TRICKLE)
    _reading(page, qtbot)
    handle = page.reading
    assert handle is not None
    rig.window.show_page(0)  # the Team page shown; the Projects page still reads
    qtbot.waitUntil(lambda: not rig.window.page(0).busy, timeout=WAIT)
    assert page.busy
    rig.window.close()
    qtbot.waitUntil(lambda: not page.busy, timeout=2_000)
    assert handle.cancelled
    assert page.message.text().startswith("Refresh cancelled; showing the copy as of ")
    assert page.refresh_button.isEnabled()


@pytest.fixture
def enterprise_rig(
    tmp_path: Path, clockify_factory: Callable[..., FakeClockify], qtbot: QtBot
) -> Iterator[tuple[Rig, FakeClockify]]:
    server = clockify_factory(seed="demo", plan="ENTERPRISE")
    made = Rig(tmp_path, server, qtbot)
    yield made, server
    made.close()


def test_esc_while_the_audit_log_is_read_cancels_it_and_keeps_the_window(
    enterprise_rig: tuple[Rig, FakeClockify], qtbot: QtBot
) -> None:
    """The Audit log page reads with its own Cancel: Esc stops that read as on every other
    page, and the window stays; Esc once nothing is read closes it."""
    rig, server = enterprise_rig
    rig.window.show()
    rig.window.activateWindow()
    qtbot.waitActive(rig.window)
    rig.window.show_page(AUDIT)
    page = rig.window.page(AUDIT)
    assert isinstance(page, AuditPage)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    server.add_fault(Fault(kind="delay", delay=1.5, method="POST", path=r"/audit-log$", times=None))
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    assert page.busy
    qtbot.wait(200)
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    assert rig.window.isVisible()
    assert not page.cancel_button.isEnabled()  # asked to stop, as Cancel does
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert rig.window.isVisible()
    assert page.found is not None
    assert (page.found.stopped or "").startswith("Cancelled")
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    assert not rig.window.isVisible()


def test_quitting_while_a_page_reads_does_not_wait_for_the_read(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """The app stops the worker with the window still open on a slow refresh: the read is
    cancelled at once (a change would get the shutdown's margin to be sent)."""
    page = rig.projects()
    clockify.add_fault(TRICKLE)
    _reading(page, qtbot)
    began = time.monotonic()
    assert rig.worker.shutdown(timeout=2.0)
    took = time.monotonic() - began
    assert took < 0.3, f"quitting waited {took:.2f} s for a read"
    qtbot.waitUntil(lambda: not page.busy, timeout=2_000)


def test_quitting_while_the_audit_log_is_read_does_not_wait_for_it(
    enterprise_rig: tuple[Rig, FakeClockify], qtbot: QtBot
) -> None:
    rig, server = enterprise_rig
    rig.window.show()
    rig.window.show_page(AUDIT)
    page = rig.window.page(AUDIT)
    assert isinstance(page, AuditPage)
    server.add_fault(Fault(kind="delay", delay=1.5, method="POST", path=r"/audit-log$", times=None))
    page.refresh(force=True)
    assert page.busy
    qtbot.wait(300)
    began = time.monotonic()
    assert rig.worker.shutdown(timeout=2.0)
    took = time.monotonic() - began
    assert took < 0.3, f"quitting waited {took:.2f} s for the audit log"


def test_esc_as_a_read_ends_keeps_the_window_and_shows_what_was_read(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """Esc pressed to stop a read that ends at that very moment (its answer on its way to
    the page): the person wanted the read gone, not the window; what was read is shown."""
    page = rig.projects()
    asked = len(clockify.exchanges)
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    assert page.reading is not None
    deadline = time.monotonic() + 5
    while len(clockify.exchanges) < asked + 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # the GUI thread is busy: the answer waits in its queue
    time.sleep(0.3)
    rig.window.escape()
    assert rig.window.isVisible()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert page.message.text() == ""  # the fresh copy, not "cancelled"
    assert not page.cancel_read_button.isVisible()


def test_what_the_page_says_during_a_read_stays_on_the_message_line(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """A Save refused by the form while the list is read ("A project needs a name."): the
    read's request count does not write over that line within 200 ms."""
    page = rig.projects()
    clockify.add_fault(TRICKLE)
    _reading(page, qtbot)
    page.name.setText("")
    page.save()
    said = page.message.text()
    assert said == "A project needs a name."
    qtbot.wait(600)  # three ticks of the progress line
    assert page.busy  # the read goes on
    assert page.message.text() == said


def test_the_window_opened_again_refreshes_its_page_when_the_copy_is_old(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """Closing cancels a page's read; opened again later, the page shows its kept copy and
    asks Clockify again when that copy is old, as when the page is first shown."""
    page = rig.projects()
    rig.window.close()
    cache = ReportCache(rig.store.conn)
    key = admin_key("projects", clockify.workspace_id)
    found = cache.get(key)
    assert found is not None
    aged = found.fetched_at - 2 * FRESH_SECONDS  # the window stayed closed a while
    cache.put(key, clockify.workspace_id, found.data, aged)
    asked = sum(1 for x in clockify.exchanges if x.path.endswith("/projects"))
    rig.window.show()
    qtbot.waitUntil(
        lambda: sum(1 for x in clockify.exchanges if x.path.endswith("/projects")) > asked,
        timeout=WAIT,
    )
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    fresh = cache.get(key)
    assert fresh is not None
    assert fresh.fetched_at > aged
