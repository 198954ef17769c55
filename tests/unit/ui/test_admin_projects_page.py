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
from PySide6.QtCore import Qt
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


def _member_of(clockify: FakeClockify, name: str) -> str:
    return next(u.user_id for u in clockify.users if u.name == name)


def test_a_member_taken_off_is_put_back_with_their_rates_after_a_refresh(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Removing a member says how to take it back; Ctrl+Z, even after the page refreshed,
    puts them back with the hourly and cost rates they had on the project, once."""
    ws = clockify.workspace_id
    chen = _member_of(clockify, "Chen Wei")
    with clockify.state.lock:
        project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
        if chen not in project.member_ids:
            project.member_ids.append(chen)
        project.member_rates[chen] = {
            "hourly": {"amount": 4500, "currency": "EUR"},
            "cost": {"amount": 2000, "currency": "EUR"},
        }
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(project.id))
    assert page.current is not None
    page.members.setCurrentRow(next(
        n for n, m in enumerate(page.current.members) if m.user_id == chen
    ))  # fmt: skip
    page.remove_member()
    assert chen not in project.member_ids
    assert page.message.text() == (
        f"Took Chen Wei off {project.name}. Ctrl+Z: put them back at 45.00/h and cost "
        "20.00/h (not an older rate history or a manager role)."
    )
    page.refresh(force=True)  # the undo holds ids, not the rows shown before
    page.undo()
    assert chen in project.member_ids
    assert project.member_rates[chen] == {
        "hourly": {"amount": 4500, "currency": "EUR"},
        "cost": {"amount": 2000, "currency": "EUR"},
    }
    assert page.message.text() == f"Undone: took Chen Wei off {project.name}."
    assert page.current is not None
    shown = [page.members.item(n).text() for n in range(page.members.count())]
    assert "Chen Wei — 45.00/h" in shown
    page.undo()
    assert page.message.text() == "Nothing to undo here."


def test_a_task_marked_done_is_set_back_and_so_is_one_marked_active(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    ws = clockify.workspace_id
    tasks = clockify.state.workspaces[ws].tasks
    task = next(t for t in tasks.values() if t.status == "ACTIVE")
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(task.project_id))

    def choose_task() -> None:
        names = [page.tasks.item(n).text() for n in range(page.tasks.count())]
        page.tasks.setCurrentRow(next(n for n, t in enumerate(names) if t.startswith(task.name)))

    choose_task()
    assert page.task_done_button.text() == "Mark done"
    page.task_done_button.click()
    assert tasks[task.id].status == "DONE"
    assert page.message.text() == f"Marked {task.name} done. Ctrl+Z: mark it active again."
    page.undo()
    assert tasks[task.id].status == "ACTIVE"
    assert page.message.text() == f"Undone: marked {task.name} done."

    with clockify.state.lock:
        tasks[task.id].status = "DONE"
    page.refresh(force=True)
    choose_task()
    assert page.task_done_button.text() == "Mark active"
    page.toggle_task()
    assert tasks[task.id].status == "ACTIVE"
    assert page.message.text() == f"Marked {task.name} active. Ctrl+Z: mark it done again."
    page.undo()
    assert tasks[task.id].status == "DONE"


def test_a_member_rate_set_is_set_back_and_a_member_added_is_taken_off(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Clockify's member rate routes take an amount and ``since``; the page sends none, so
    the undo sends the previous amount the same way (the same entries priced as before)."""
    ws = clockify.workspace_id
    chen = _member_of(clockify, "Chen Wei")
    with clockify.state.lock:
        project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
        if chen in project.member_ids:
            project.member_ids.remove(chen)
        project.member_rates.pop(chen, None)
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(project.id))
    page.member_name.setText("Chen Wei")
    page.add_member()
    assert chen in project.member_ids
    assert page.message.text() == f"Added Chen Wei to {project.name}. Ctrl+Z: take them off again."
    page.undo()
    assert chen not in project.member_ids

    page.member_name.setText("Chen Wei")
    page.member_rate.setText("50")
    page.add_member()
    assert project.member_rates[chen]["hourly"] == {"amount": 5000, "currency": "EUR"}
    page.member_name.setText("Chen Wei")
    page.member_rate.setText("62.5")
    page.add_member()
    assert project.member_rates[chen]["hourly"] == {"amount": 6250, "currency": "EUR"}
    assert page.message.text() == (
        f"Set Chen Wei's rate on {project.name} to 62.50/h. Ctrl+Z: set it back to 50.00/h "
        "for the same entries."
    )
    page.undo()
    assert project.member_rates[chen]["hourly"] == {"amount": 5000, "currency": "EUR"}
    assert chen in project.member_ids
    assert page.message.text() == f"Undone: set Chen Wei's rate on {project.name} to 62.50/h."


def test_alt_m_goes_to_the_members_and_del_takes_the_chosen_one_off(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    ws = clockify.workspace_id
    chen = _member_of(clockify, "Chen Wei")
    with clockify.state.lock:
        project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
        project.member_ids = [chen]
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.table.selectRow(page.model.find(project.id))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert page.members.hasFocus()
    qtbot.keyClick(page.members, Qt.Key.Key_Down)
    qtbot.keyClick(page.members, Qt.Key.Key_Delete)
    assert project.member_ids == []
    assert "Ctrl+Z: put them back" in page.message.text()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.member_ids == [chen]


def test_a_change_that_cannot_be_taken_back_ends_the_older_offer(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """After a project was archived, a member's first own rate (which Clockify cannot set
    back to none) says Ctrl+Z cannot take it back: Ctrl+Z then must not restore the
    project archived before, which the person no longer sees offered."""
    ws = clockify.workspace_id
    chen = _member_of(clockify, "Chen Wei")
    with clockify.state.lock:
        active = [p for p in clockify.state.workspaces[ws].projects.values() if not p.archived]
        archived, project = active[0], active[1]
        if chen not in project.member_ids:
            project.member_ids.append(chen)
        project.member_rates.pop(chen, None)
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(archived.id))
    page.archive()
    assert archived.archived
    assert page.message.text().endswith("Ctrl+Z: restore it.")
    page.table.selectRow(page.model.find(project.id))
    page.member_name.setText("Chen Wei")
    page.member_rate.setText("50")
    page.add_member()
    assert page.message.text().endswith("Ctrl+Z cannot take this back.")
    page.undo()
    assert archived.archived  # not restored behind the person's back
    assert project.member_rates[chen]["hourly"] == {"amount": 5000, "currency": "EUR"}
    assert page.message.text() == "Nothing to undo here."


def test_a_rename_after_a_client_archive_ends_its_offer(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Ctrl+Z takes back the last change or nothing: after a rename (which it cannot take
    back) it does not restore the client archived before."""
    clients = clockify.state.workspaces[clockify.workspace_id].clients
    archived, renamed = [c for c in clients.values() if not c.archived][:2]
    page = FieldsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(archived.id))
    page.archive()
    assert "Ctrl+Z: restore it." in page.message.text()
    page.table.selectRow(page.model.find(renamed.id))
    page.name.setText("Renamed client")
    page.save()
    assert clients[renamed.id].name == "Renamed client"
    page.undo()
    assert clients[archived.id].archived
    assert page.message.text() == "Nothing to undo here."


def test_a_task_undo_keeps_a_name_another_admin_gave_it_meanwhile(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Clockify's task PUT needs the name: marking a task done, and Ctrl+Z setting it
    back, send the name Clockify has now, not the one the page read before another admin
    renamed the task."""
    ws = clockify.workspace_id
    tasks = clockify.state.workspaces[ws].tasks
    task = next(t for t in tasks.values() if t.status == "ACTIVE")
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(task.project_id))
    names = [page.tasks.item(n).text() for n in range(page.tasks.count())]
    page.tasks.setCurrentRow(next(n for n, t in enumerate(names) if t.startswith(task.name)))
    with clockify.state.lock:
        tasks[task.id].name = "Renamed by Sam"  # another admin, unseen here
    page.toggle_task()
    assert tasks[task.id].status == "DONE"
    assert tasks[task.id].name == "Renamed by Sam"
    with clockify.state.lock:
        tasks[task.id].name = "Renamed again"
    page.undo()
    assert tasks[task.id].status == "ACTIVE"
    assert tasks[task.id].name == "Renamed again"


def test_adding_someone_another_admin_added_meanwhile_offers_no_undo_that_takes_them_off(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """The page's copy lacks Chen, whom another admin has since put on the project at
    45.00/h: Add changes nothing, so Ctrl+Z must not take off a member who was there."""
    ws = clockify.workspace_id
    chen = _member_of(clockify, "Chen Wei")
    with clockify.state.lock:
        project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
        if chen in project.member_ids:
            project.member_ids.remove(chen)
        project.member_rates.pop(chen, None)
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(project.id))
    with clockify.state.lock:  # another admin, unseen here
        project.member_ids.append(chen)
        project.member_rates[chen] = {"hourly": {"amount": 4500, "currency": "EUR"}}
    page.member_name.setText("Chen Wei")
    page.add_member()
    assert page.message.text() == f"Chen Wei is on {project.name} already; nothing changed."
    page.undo()
    assert chen in project.member_ids
    assert project.member_rates[chen] == {"hourly": {"amount": 4500, "currency": "EUR"}}
    assert page.message.text() == "Nothing to undo here."


def test_a_member_taken_off_comes_back_at_the_rate_clockify_had_not_the_kept_one(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Another admin raised Chen's rate after the page read the project: taking Chen off
    and back puts back the rate Clockify had when Chen was taken off."""
    ws = clockify.workspace_id
    chen = _member_of(clockify, "Chen Wei")
    with clockify.state.lock:
        project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
        if chen not in project.member_ids:
            project.member_ids.append(chen)
        project.member_rates[chen] = {"hourly": {"amount": 4500, "currency": "EUR"}}
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(project.id))
    with clockify.state.lock:  # another admin, unseen here
        project.member_rates[chen] = {"hourly": {"amount": 6000, "currency": "EUR"}}
    assert page.current is not None
    page.members.setCurrentRow(
        next(n for n, m in enumerate(page.current.members) if m.user_id == chen)
    )
    page.remove_member()
    assert chen not in project.member_ids
    assert "Ctrl+Z: put them back at 60.00/h " in page.message.text(), page.message.text()
    page.undo()
    assert chen in project.member_ids
    assert project.member_rates[chen]["hourly"] == {"amount": 6000, "currency": "EUR"}


def test_taking_off_a_member_another_admin_took_off_offers_nothing_to_put_back(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    ws = clockify.workspace_id
    chen = _member_of(clockify, "Chen Wei")
    with clockify.state.lock:
        project = next(p for p in clockify.state.workspaces[ws].projects.values() if not p.archived)
        if chen not in project.member_ids:
            project.member_ids.append(chen)
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(project.id))
    with clockify.state.lock:  # another admin, unseen here
        project.member_ids.remove(chen)
    assert page.current is not None
    page.members.setCurrentRow(
        next(n for n, m in enumerate(page.current.members) if m.user_id == chen)
    )
    page.remove_member()
    assert page.message.text() == f"Chen Wei is not on {project.name} now; nothing changed."
    page.undo()
    assert chen not in project.member_ids
    assert page.message.text() == "Nothing to undo here."


def test_a_refresh_keeps_the_undo_offered_in_sight(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Ctrl+Z still works after F5 (or the window opened again), so the line saying what
    it does stays: a refresh never leaves an undo live that the person cannot see."""
    projects = clockify.state.workspaces[clockify.workspace_id].projects
    project = next(p for p in projects.values() if not p.archived)
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(project.id))
    page.archive()
    line = page.message.text()
    assert line.endswith("Ctrl+Z: restore it.")
    page.refresh(force=True)
    assert page.message.text() == line
    assert not page.message.isHidden()
    page.undo()
    assert not projects[project.id].archived
    page.refresh(force=True)
    assert page.message.isHidden()


def test_ctrl_z_while_a_refresh_is_on_its_way_says_so_and_runs_after_it_once(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Ctrl+Z waits for Clockify's answer to a refresh: it says so instead of nothing, sends
    nothing meanwhile, and the undo is still there (and shown) when the answer lands."""
    projects = clockify.state.workspaces[clockify.workspace_id].projects
    project = next(p for p in projects.values() if not p.archived)
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(project.id))
    page.archive()
    offered = page.message.text()
    waiting: list[tuple[Work, Any]] = []
    page.context = PageContext(context.store, context.clock, lambda w, d: waiting.append((w, d)))
    page.refresh(force=True)
    page.undo()
    page.undo()
    assert page.message.text() == (  # and what it will do then: the offer stays in sight
        "Clockify has not answered yet; press Ctrl+Z again once it has. Ctrl+Z: restore it."
    )
    assert len(waiting) == 1
    assert projects[project.id].archived
    ((work, done),) = waiting
    context.run(work, done)
    assert page.message.text() == offered
    page.context = context
    page.undo()
    assert not projects[project.id].archived
    page.undo()
    assert page.message.text() == "Nothing to undo here."


def test_the_undo_offered_for_a_10_kb_name_stays_in_the_line(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """The line is cut at a few hundred characters; the name is cut, never what Ctrl+Z
    does. A right-to-left override in the name does not turn the line around."""
    ws = clockify.workspace_id
    evil = "Evil\u202eABC\n" + "A" * 10_000
    project = clockify.state.add_project(ws, evil)
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(project.id))
    page.archive()
    text = page.message.text()
    assert text.startswith("Archived Evil ABC AAA")
    assert text.endswith("… Ctrl+Z: restore it.")
    assert "\u202e" not in text
    assert len(text) <= 300
