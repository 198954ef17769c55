"""The Projects page by keyboard alone, in the Workspace window: Enter sends the form or
adds the member typed, and Esc in the filter clears it (the window stays open)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.unit.ui.test_admin_projects_typed import context, line  # noqa: F401 - fixtures
from tracker.ui.admin_page import PageContext
from tracker.ui.admin_projects import ProjectsPage
from tracker.ui.workspace import WorkspaceWindow

PROJECTS = 2


def _window(qtbot: QtBot, page_context: PageContext) -> tuple[WorkspaceWindow, ProjectsPage]:
    window = WorkspaceWindow(page_context.store, page_context.clock, page_context.run)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.show_page(PROJECTS)
    page = window.page(PROJECTS)
    assert isinstance(page, ProjectsPage)
    return window, page


def test_enter_adds_the_member_typed_and_saves_the_form(
    qtbot: QtBot,
    context: PageContext,  # noqa: F811 - the fixture
    clockify: FakeClockify,
) -> None:
    _window_shown, page = _window(qtbot, context)
    page.table.selectRow(page.model.find(_id(clockify, "Mobile App")))
    qtbot.keyClicks(page.member_name, "Priya Shah")
    qtbot.keyClick(page.member_name, Qt.Key.Key_Return)
    assert "Added Priya Shah to Mobile App." in page.message.text(), page.message.text()
    page.note.clear()
    qtbot.keyClicks(page.note, "sent with Enter")
    qtbot.keyClick(page.note, Qt.Key.Key_Return)
    assert "Saved Mobile App." in page.message.text(), page.message.text()
    project = clockify.state.workspaces[clockify.workspace_id].projects[_id(clockify, "Mobile App")]
    assert project.note == "sent with Enter"


def test_esc_in_the_filter_clears_it_and_keeps_the_window(
    qtbot: QtBot,
    context: PageContext,  # noqa: F811 - the fixture
    clockify: FakeClockify,
) -> None:
    window, page = _window(qtbot, context)
    total = page.model.rowCount()
    qtbot.keyClicks(page.search, "mobile")
    assert page.model.rowCount() < total
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    assert page.model.rowCount() == total
    assert window.isVisible()


def _id(clockify: FakeClockify, name: str) -> str:
    projects = clockify.state.workspaces[clockify.workspace_id].projects.values()
    return next(p.id for p in projects if p.name == name)


def test_a_10_kb_name_does_not_stretch_the_window(
    qtbot: QtBot,
    context: PageContext,  # noqa: F811 - the fixture
    clockify: FakeClockify,
) -> None:
    """Saving a project whose name is 10 KB with a newline, an escape and a bidi override
    says so on one line the window's width, without widening the window past the screen."""
    ws = clockify.workspace_id
    evil = "Evil\x1b]0;x\x07\nSecond line\u202eABC" + "A" * 10_000
    project = clockify.state.add_project(ws, evil)
    window, page = _window(qtbot, context)
    width = window.width()
    page.refresh(force=True)
    page.table.selectRow(page.model.find(project.id))
    page.note.setText("named by someone else")
    page.save()
    assert page.message.text().startswith("Saved Evil")
    assert "\n" not in page.message.text()
    assert len(page.message.text()) < 400
    qtbot.wait(10)
    assert window.width() == width
    assert window.minimumSizeHint().width() < 1200
