"""What Ctrl+Z offers on a Workspace window page, with the real sync worker and the Clockify
test server: the offer stays in sight while it is live (a form's error, a failed refresh), a
second change while one is on its way is refused, and closing the window ends every offer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify, Fault
from tests.unit.ui.test_admin_cancel import WAIT, Rig
from tracker.ui.admin_page import WAIT_FOR_CHANGE
from tracker.ui.admin_projects import ProjectsPage

RESTORE = " Ctrl+Z: restore it."


@pytest.fixture
def rig(tmp_path: Path, clockify: FakeClockify, qtbot: QtBot) -> Iterator[Rig]:
    made = Rig(tmp_path, clockify, qtbot)
    yield made
    made.close()


def _archived(rig: Rig, clockify: FakeClockify, qtbot: QtBot) -> tuple[ProjectsPage, str]:
    """The Projects page after archiving a project: Ctrl+Z offered to restore it."""
    page = rig.projects()
    ws = clockify.workspace_id
    project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
    page.table.selectRow(page.model.find(project.id))
    page.archive()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert page.message.text() == f"Archived {project.name}.{RESTORE}"
    assert clockify.state.workspaces[ws].projects[project.id].archived
    return page, project.id


def _ctrl_z(page: ProjectsPage, qtbot: QtBot) -> None:
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_a_form_error_keeps_the_undo_offer_in_sight_and_ctrl_z_does_it(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """A form's error (no name to add) does not hide what Ctrl+Z does: the person did
    nothing to lose the offer, and Ctrl+Z never does what is not shown."""
    page, project_id = _archived(rig, clockify, qtbot)
    page.member_name.setText("")
    page.add_member()
    assert page.message.text() == f"Type a person's name to add.{RESTORE}"
    assert page.message.isVisible()
    _ctrl_z(page, qtbot)
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert page.message.text().startswith("Undone: archived ")
    assert not clockify.state.workspaces[clockify.workspace_id].projects[project_id].archived


def test_a_failed_refresh_keeps_the_undo_offer_in_sight(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    page, _project_id = _archived(rig, clockify, qtbot)
    clockify.add_fault(Fault(kind="status", status=400, method="GET", path=r"/projects$"))
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    said = page.message.text()
    assert said.endswith(RESTORE), said
    assert len(said) > len(RESTORE) + 5  # what went wrong is said too


def test_a_second_change_while_one_is_on_its_way_is_refused(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """A quick double Del on a member: one request to take them off, the second Del says to
    wait, and the undo the first offers is the one shown."""
    ws = clockify.workspace_id
    chen = next(u.user_id for u in clockify.users if u.name == "Chen Wei")
    with clockify.state.lock:
        project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
        if chen not in project.member_ids:
            project.member_ids.append(chen)
    page = rig.projects()
    page.refresh(force=True)
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    page.table.selectRow(page.model.find(project.id))
    assert page.current is not None
    page.members.setCurrentRow(next(
        n for n, m in enumerate(page.current.members) if m.user_id == chen
    ))  # fmt: skip
    clockify.add_fault(Fault(kind="delay", delay=0.5, method="GET", path=r"/projects/[^/]+$"))
    page.members.setFocus()
    qtbot.waitUntil(page.members.hasFocus)
    qtbot.keyClick(page.members, Qt.Key.Key_Delete)
    qtbot.keyClick(page.members, Qt.Key.Key_Delete)
    assert page.message.text() == WAIT_FOR_CHANGE
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    qtbot.wait(300)  # a second change, were it sent, is answered by now
    assert not page.busy
    writes = [x for x in clockify.exchanges if x.method != "GET" and project.id in x.path]
    assert len(writes) == 1  # sent once
    assert chen not in project.member_ids
    assert page.message.text().startswith(f"Took Chen Wei off {project.name}. Ctrl+Z: put ")
    page.undo()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert chen in project.member_ids


def test_closing_the_window_ends_the_undo_offer(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """A person who closed the window has moved on: opened again, Ctrl+Z takes back nothing
    and the line no longer offers it."""
    page, project_id = _archived(rig, clockify, qtbot)
    rig.window.close()
    assert page.message.text().startswith("Archived ")
    assert "Ctrl+Z" not in page.message.text()
    rig.window.show()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert "Ctrl+Z" not in page.message.text()
    _ctrl_z(page, qtbot)
    assert page.message.text() == "Nothing to undo here."
    assert clockify.state.workspaces[clockify.workspace_id].projects[project_id].archived


def test_a_change_answered_after_the_window_closed_offers_no_undo(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """An archive on its way when the window closes is made, and said, but Ctrl+Z does not
    take it back once the window opens again."""
    page = rig.projects()
    ws = clockify.workspace_id
    project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
    page.table.selectRow(page.model.find(project.id))
    clockify.add_fault(Fault(kind="delay", delay=0.5, method="PUT", path=r"/projects/[^/]+$"))
    page.archive()
    assert page.busy
    rig.window.close()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert clockify.state.workspaces[ws].projects[project.id].archived
    assert page.message.text() == f"Archived {project.name}."
    rig.window.show()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    _ctrl_z(page, qtbot)
    assert page.message.text() == "Nothing to undo here."
    assert clockify.state.workspaces[ws].projects[project.id].archived


def test_a_change_on_its_way_takes_the_older_offer_off_the_line(
    rig: Rig, clockify: FakeClockify, qtbot: QtBot
) -> None:
    """A Save ends the offer of the archive before it: the line stops offering it at once,
    not only when Clockify answers the Save."""
    page, project_id = _archived(rig, clockify, qtbot)
    clockify.add_fault(Fault(kind="delay", delay=0.5, method="PUT", path=r"/projects/[^/]+$"))
    page.note.setText("saved after the archive")
    page.save()
    assert page.busy
    assert page.message.text().startswith("Archived ")
    assert "Ctrl+Z" not in page.message.text()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert clockify.state.workspaces[clockify.workspace_id].projects[project_id].archived
