"""The Workspace window's Projects and Clients/tags/fields pages against the test server: the
table with progress from the kept copy, the form sending changes through the worker, and
deleting only after asking."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
from tracker.domain.model import WorkspaceInfo
from tracker.store import Store
from tracker.ui.admin_fields import FieldsPage
from tracker.ui.admin_page import PageContext, Work
from tracker.ui.admin_projects import BUDGET_COLUMN, TIME_COLUMN, ProjectsPage


@pytest.fixture
def context(clockify: FakeClockify, tmp_path: Path) -> Iterator[PageContext]:
    """Alex's store and a 'worker' that runs each piece of work at once with a real client."""
    now = datetime.now(UTC)
    with Store(tmp_path / "s.sqlite3") as store:
        store.meta.set_account({"user_id": clockify.user_id, "name": "Alex", "email": "a@x.io"})
        store.meta.set_workspace_id(clockify.workspace_id)
        store.meta.save_workspace(WorkspaceInfo(clockify.workspace_id, "Demo", free_plan=False))

        def run(work: Work, done: Any) -> None:
            async def go() -> Any:
                async with ClockifyClient(
                    clockify.api_key,
                    servers=Servers.custom(clockify.base_url, clockify.reports_url),
                    budget=RequestBudget(RateLimits()),
                ) as api:
                    return await work(store, api)

            try:
                result = asyncio.run(go())
            except Exception as exc:  # the page says what went wrong
                done(exc)
                return
            done(result)

        yield PageContext(store, lambda: now, run)


def test_the_table_shows_progress_and_the_form_changes_a_project(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = clockify.workspace_id
    state = clockify.state
    project = next(p for p in state.workspaces[ws].projects.values() if not p.archived)
    start = int((datetime.now(UTC) - timedelta(days=1)).timestamp())
    state.add_entry(ws, clockify.user_id, start, start + 5 * 3600, project_id=project.id)
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()  # nothing kept: asks the worker
    assert page.model.total == sum(1 for _ in state.workspaces[ws].projects.values())
    assert "as of" in page.as_of.text()
    page.table.selectRow(page.model.find(project.id))
    assert page.current is not None
    assert page.name.text() == project.name
    page.estimate.setText("10")
    page.budget.setText("2000")
    page.save()
    assert "Saved" in page.message.text(), page.message.text()
    row = page.model.row(page.model.find(project.id))
    assert row is not None
    assert row.cells[2].endswith(" h")
    assert row.cells[TIME_COLUMN].endswith("%")
    assert row.cells[BUDGET_COLUMN].endswith("%")
    assert page.current is not None
    assert page.current.estimate_seconds == 10 * 3600
    assert "Budget:" in page.progress.text()
    assert "of 2,000.00" in page.progress.text()
    page.show()
    page.table.viewport().repaint()  # the bars paint
    sent = len(clockify.exchanges)
    page.save()  # nothing changed: nothing is sent
    assert page.message.text() == "Nothing changed in the form."
    assert len(clockify.exchanges) == sent

    asked: list[str] = []

    def refuse(question: str, _action: str) -> bool:
        asked.append(question)
        return False

    monkeypatch.setattr(page, "confirm", refuse)
    page.delete()
    assert asked
    assert "archived first" in asked[0]
    assert project.id in state.workspaces[ws].projects  # not confirmed: nothing sent

    by_keys = {action.shortcut().toString(): action for action in page.actions()}
    by_keys["Ctrl+N"].trigger()
    assert page.name.text() == ""
    page.name.setText("Made in the window")
    page.save()
    assert "Created Made in the window." in page.message.text()
    made = page.model.find(next(iter(
        p.id for p in state.workspaces[ws].projects.values() if p.name == "Made in the window"
    )))  # fmt: skip
    assert made >= 0
    page.table.selectRow(made)
    monkeypatch.setattr(page, "confirm", lambda _question, _action: True)
    page.delete()
    assert "Deleted Made in the window." in page.message.text()
    assert "Made in the window" not in [p.name for p in state.workspaces[ws].projects.values()]


def test_a_refusal_is_one_line_and_what_is_kept_stays(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    shown = page.model.total
    page.table.selectRow(0)
    page.color.setText("orange")
    page.save()
    assert page.message.text() == "Not sent: a color is written #RRGGBB (like #4CAF50)."
    assert "\n" not in page.message.text()
    assert page.model.total == shown


def test_clients_tags_and_fields_one_list_at_a_time(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = FieldsPage(context)
    qtbot.addWidget(page)
    page.shown()
    clients = len(clockify.state.workspaces[clockify.workspace_id].clients)
    assert page.model.total == clients
    page.kinds.setCurrentIndex(1)  # tags
    tags = clockify.state.workspaces[clockify.workspace_id].tags
    assert page.model.total == len(tags)
    page.new()
    page.name.setText("window-made")
    page.save()
    assert "Created the tag window-made." in page.message.text()
    page.table.selectRow(
        page.model.find(next(t.id for t in tags.values() if t.name == "window-made"))
    )
    page.archive()
    assert next(t for t in tags.values() if t.name == "window-made").archived
    monkeypatch.setattr(page, "confirm", lambda _question, _action: True)
    page.delete()
    assert "window-made" not in [t.name for t in tags.values()]
    page.kinds.setCurrentIndex(2)  # custom fields
    page.new()
    page.name.setText("Office")
    page.type.setCurrentText("DROPDOWN_SINGLE")
    page.detail.setText("Berlin, Lisbon")
    page.save()
    fields = clockify.state.workspaces[clockify.workspace_id].custom_fields
    office = next(f for f in fields.values() if f.name == "Office")
    assert office.allowed_values == ["Berlin", "Lisbon"]


def test_an_archive_is_undone_with_ctrl_z_once(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Archiving is a change Clockify can take back: the page says how, Ctrl+Z restores the
    project, and a second Ctrl+Z has nothing left to undo."""
    ws = clockify.workspace_id
    projects = clockify.state.workspaces[ws].projects
    project = next(p for p in projects.values() if not p.archived)
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(project.id))
    page.archive()
    assert projects[project.id].archived
    assert "Ctrl+Z: restore it." in page.message.text()
    by_keys = {action.shortcut().toString(): action for action in page.actions()}
    by_keys["Ctrl+Z"].trigger()
    assert not projects[project.id].archived
    assert page.message.text().startswith("Undone: archived ")
    by_keys["Ctrl+Z"].trigger()
    assert page.message.text() == "Nothing to undo here."
    assert not projects[project.id].archived


def test_a_client_archive_is_undone(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    clients = clockify.state.workspaces[clockify.workspace_id].clients
    client = next(c for c in clients.values() if not c.archived)
    page = FieldsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(client.id))
    page.archive()
    assert clients[client.id].archived
    assert "Ctrl+Z: restore it." in page.message.text()
    page.undo()
    assert not clients[client.id].archived
    assert page.message.text().startswith("Undone: archived the client ")
