"""What a person types in the Projects page survives: a refresh or the filter landing while
they edit, and a change that cannot reach Clockify."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify, Fault
from tracker.api import ClockifyClient, RateLimits, RequestBudget, RetryPolicy, Servers
from tracker.domain.model import WorkspaceInfo
from tracker.store import Store
from tracker.ui.admin_page import WAIT_FOR_CHANGE, PageContext, Work
from tracker.ui.admin_projects import ProjectsPage

_FAST = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, max_retry_after=1)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class Line:
    """Whether the worker's client reaches the test server or a closed port."""

    def __init__(self) -> None:
        self.up = True


@pytest.fixture
def line() -> Line:
    return Line()


@pytest.fixture
def context(clockify: FakeClockify, tmp_path: Path, line: Line) -> Iterator[PageContext]:
    """Alex's store and a worker that runs each piece of work at once with a real client."""
    now = datetime.now(UTC)
    dead = f"http://127.0.0.1:{_closed_port()}"
    with Store(tmp_path / "s.sqlite3") as store:
        store.meta.set_account({"user_id": clockify.user_id, "name": "Alex", "email": "a@x.io"})
        store.meta.set_workspace_id(clockify.workspace_id)
        store.meta.save_workspace(WorkspaceInfo(clockify.workspace_id, "Demo", free_plan=False))

        def run(work: Work, done: Any) -> None:
            base, reports = (clockify.base_url, clockify.reports_url) if line.up else (dead, dead)

            async def go() -> Any:
                async with ClockifyClient(
                    clockify.api_key,
                    servers=Servers.custom(base, reports),
                    budget=RequestBudget(RateLimits()),
                    retry=_FAST,
                ) as api:
                    return await work(store, api)

            try:
                result = asyncio.run(go())
            except Exception as exc:  # the page says what went wrong
                done(exc)
                return
            done(result)

        yield PageContext(store, lambda: now, run)


def _opened(qtbot: QtBot, context: PageContext, name: str) -> ProjectsPage:
    page = ProjectsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.table.selectRow(page.model.find(_project_id(page, name)))
    return page


def _project_id(page: ProjectsPage, name: str) -> str:
    return next(
        row.key
        for n in range(page.model.rowCount())
        if (row := page.model.row(n)) is not None and row.cells[0] == name
    )


def _chosen(page: ProjectsPage) -> str | None:
    return page.current.name if page.current is not None else None


def test_a_member_typed_offline_is_kept(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify, line: Line
) -> None:
    page = _opened(qtbot, context, "Mobile App")
    line.up = False
    page.member_name.setText("Priya Shah")
    page.member_rate.setText("85")
    page.add_member()
    assert "cannot be reached" in page.message.text()
    assert page.member_name.text() == "Priya Shah"
    assert page.member_rate.text() == "85"
    line.up = True
    page.add_member()
    assert "Added Priya Shah" in page.message.text(), page.message.text()
    assert page.member_name.text() == ""


def test_an_undo_that_cannot_reach_clockify_says_so_and_is_offered_again(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify, line: Line
) -> None:
    """Offline, Ctrl+Z says nothing was sent and the member stays off; the undo did not
    run, so it is still offered (Add could not put back the cost rate): once Clockify is
    reached, Ctrl+Z puts the member back with both rates, once."""
    ws = clockify.workspace_id
    project = next(
        p for p in clockify.state.workspaces[ws].projects.values() if p.name == "Mobile App"
    )
    priya = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
    with clockify.state.lock:
        if priya not in project.member_ids:
            project.member_ids.append(priya)
        project.member_rates[priya] = {
            "hourly": {"amount": 8500, "currency": "EUR"},
            "cost": {"amount": 3000, "currency": "EUR"},
        }
    page = _opened(qtbot, context, "Mobile App")
    assert page.current is not None
    names = [m.name for m in page.current.members]
    page.members.setCurrentRow(names.index("Priya Shah"))
    page.remove_member()
    offered = "Ctrl+Z: put them back at 85.00/h and cost 30.00/h"
    assert f"Took Priya Shah off Mobile App. {offered}" in page.message.text()
    line.up = False
    page.undo()
    assert "cannot be reached" in page.message.text(), page.message.text()
    assert "nothing was sent" in page.message.text()
    assert offered in page.message.text()
    assert priya not in project.member_ids
    line.up = True
    page.undo()
    assert page.message.text() == "Undone: took Priya Shah off Mobile App."
    assert priya in project.member_ids
    assert project.member_rates[priya] == {
        "hourly": {"amount": 8500, "currency": "EUR"},
        "cost": {"amount": 3000, "currency": "EUR"},
    }
    page.undo()
    assert page.message.text() == "Nothing to undo here."


def test_a_refresh_landing_while_editing_keeps_the_edit(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    page = _opened(qtbot, context, "Mobile App")
    page.note.setText("typed while the refresh ran")
    page.refresh(force=True)
    assert "as of" in page.as_of.text()
    assert page.note.text() == "typed while the refresh ran"
    page.save()
    assert "Saved Mobile App." in page.message.text(), page.message.text()
    project = next(
        p
        for p in clockify.state.workspaces[clockify.workspace_id].projects.values()
        if p.name == "Mobile App"
    )
    assert project.note == "typed while the refresh ran"
    page.table.selectRow(page.model.find(_project_id(page, "Website Redesign")))
    assert page.name.text() == "Website Redesign"  # moving on shows the next one


def test_the_filter_keeps_the_edit_and_a_new_project_being_typed(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    page = _opened(qtbot, context, "Mobile App")
    page.note.setText("half typed")
    page.search.setText("mobile")
    assert page.note.text() == "half typed"
    page.search.setText("")
    page.new()
    page.name.setText("Brand new")
    page.search.setText("web")  # the filter chooses a row: the new project stays typed
    page.refresh(force=True)
    assert page.name.text() == "Brand new"
    assert page.current is None
    page.save()
    assert "Created Brand new." in page.message.text(), page.message.text()
    names = [p.name for p in clockify.state.workspaces[clockify.workspace_id].projects.values()]
    assert names.count("Brand new") == 1
    assert _chosen(page) == "Brand new"  # chosen now: a second Save edits, not creates
    page.note.setText("second save")
    page.save()
    assert "Saved Brand new." in page.message.text(), page.message.text()
    names = [p.name for p in clockify.state.workspaces[clockify.workspace_id].projects.values()]
    assert names.count("Brand new") == 1


def test_a_number_that_is_none_is_said_and_nothing_is_sent(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    page = _opened(qtbot, context, "Mobile App")
    clockify.clear_exchanges()
    for box, typed, said in (
        (page.estimate, "nan", "The time estimate must be a number, not 'nan'."),
        (page.budget, "inf", "The budget must be a number, not 'inf'."),
        (page.budget, "1e300", "A budget can be at most 90,071,992,547,409.91."),
    ):
        page.estimate.setText("")
        page.budget.setText("")
        box.setText(typed)
        page.save()
        assert page.message.text() == said
    page.budget.setText("")
    page.member_name.setText("Priya Shah")
    page.member_rate.setText("NaN")
    page.add_member()
    assert page.message.text() == "The rate must be a number, not 'NaN'."
    assert [e for e in clockify.exchanges if e.method != "GET"] == []


def test_a_delete_that_could_not_be_sent_keeps_the_project_chosen(
    qtbot: QtBot,
    context: PageContext,
    clockify: FakeClockify,
    line: Line,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Offline, Delete fails; the form still shows the project, so Save must change it, not
    create another one of the same name."""
    page = _opened(qtbot, context, "Mobile App")
    monkeypatch.setattr(page, "confirm", lambda _question, _action: True)
    line.up = False
    page.delete()
    assert "cannot be reached" in page.message.text()
    assert _chosen(page) == "Mobile App"
    line.up = True
    page.note.setText("still here")
    page.save()
    assert "Saved Mobile App." in page.message.text(), page.message.text()


def test_what_is_typed_while_a_save_is_on_its_way_stays(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """The worker answers later than the person types: the answer to the first Save does
    not overwrite what they typed meanwhile, and the next Save sends it."""
    page = _opened(qtbot, context, "Mobile App")
    waiting: list[tuple[Work, Any]] = []
    page.context = PageContext(context.store, context.clock, lambda w, d: waiting.append((w, d)))
    page.note.setText("first")
    page.save()
    page.note.setText("first, then more")  # typed while the Save is on its way
    ((work, done),) = waiting
    context.run(work, done)
    assert "Saved Mobile App." in page.message.text(), page.message.text()
    assert page.note.text() == "first, then more"
    page.context = context
    page.save()
    project = next(
        p
        for p in clockify.state.workspaces[clockify.workspace_id].projects.values()
        if p.name == "Mobile App"
    )
    assert project.note == "first, then more"


def test_a_refresh_landing_while_editing_shows_the_members_del_takes_off(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Another admin took a member off while the person typed in the form: the refresh
    keeps what is typed but shows the members Clockify has now, so Del on a member takes
    off the one chosen, never the one below it."""
    ws = clockify.workspace_id
    project = next(
        p for p in clockify.state.workspaces[ws].projects.values() if p.name == "Mobile App"
    )
    people = [
        u.user_id for u in clockify.users if u.name in ("Priya Shah", "Chen Wei", "Sam Rivera")
    ]
    with clockify.state.lock:
        for person in people:
            if person not in project.member_ids:
                project.member_ids.append(person)
    page = _opened(qtbot, context, "Mobile App")
    assert page.current is not None
    first, second, third = page.current.members[:3]
    page.note.setText("typed while the refresh ran")
    with clockify.state.lock:
        project.member_ids.remove(first.user_id)  # another admin
    page.refresh(force=True)
    assert page.note.text() == "typed while the refresh ran"
    shown = [page.members.item(n).text() for n in range(page.members.count())]
    page.members.setCurrentRow(next(n for n, t in enumerate(shown) if t.startswith(second.name)))
    page.remove_member()
    assert third.user_id in project.member_ids, "Del took off the member below the chosen one"
    assert second.user_id not in project.member_ids
    assert page.message.text().startswith(f"Took {second.name} off Mobile App.")
    assert not any(line.startswith(first.name) for line in shown)


def test_an_undo_whose_answer_was_lost_is_offered_again_and_sent_twice_adds_no_one_twice(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """The answer to putting a member back is lost after Clockify stored it: the rates
    were not set yet. Ctrl+Z stays offered with them (putting back is safe to send again:
    a member added twice is one member), and the second Ctrl+Z finishes it."""
    ws = clockify.workspace_id
    project = next(
        p for p in clockify.state.workspaces[ws].projects.values() if p.name == "Mobile App"
    )
    priya = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
    with clockify.state.lock:
        if priya not in project.member_ids:
            project.member_ids.append(priya)
        project.member_rates[priya] = {
            "hourly": {"amount": 8500, "currency": "EUR"},
            "cost": {"amount": 3000, "currency": "EUR"},
        }
    page = _opened(qtbot, context, "Mobile App")
    assert page.current is not None
    page.members.setCurrentRow([m.name for m in page.current.members].index("Priya Shah"))
    page.remove_member()
    offered = "Ctrl+Z: put them back at 85.00/h and cost 30.00/h"
    assert offered in page.message.text()
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/memberships$"))
    page.undo()
    assert "may or may not" in page.message.text(), page.message.text()
    assert offered in page.message.text()
    assert project.member_ids.count(priya) == 1
    page.undo()
    assert page.message.text() == "Undone: took Priya Shah off Mobile App."
    assert project.member_ids.count(priya) == 1
    assert project.member_rates[priya] == {
        "hourly": {"amount": 8500, "currency": "EUR"},
        "cost": {"amount": 3000, "currency": "EUR"},
    }
    page.undo()
    assert page.message.text() == "Nothing to undo here."


def test_a_save_while_an_undo_is_on_its_way_is_refused_and_the_undo_offered_again(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify, line: Line
) -> None:
    """Ctrl+Z, then a Save before Clockify answered: the Save waits (it is not sent), so
    an undo that could not be sent is the last change still and is offered again."""
    projects = clockify.state.workspaces[clockify.workspace_id].projects
    page = _opened(qtbot, context, "Mobile App")
    archived = _project_id(page, "Mobile App")
    page.archive()
    assert projects[archived].archived
    waiting: list[tuple[Work, Any]] = []
    page.context = PageContext(context.store, context.clock, lambda w, d: waiting.append((w, d)))
    page.undo()
    page.note.setText("saved after the undo was sent")
    page.save()
    assert page.message.text() == WAIT_FOR_CHANGE
    ((undo_work, undo_done),) = waiting
    line.up = False
    context.run(undo_work, undo_done)
    assert "cannot be reached" in page.message.text()
    assert page.message.text().endswith("Ctrl+Z: restore it.")
    line.up = True
    page.context = context
    page.undo()
    assert not projects[archived].archived
    assert projects[archived].note != "saved after the undo was sent"


def test_a_member_taken_off_whose_answer_was_lost_can_still_be_put_back(
    qtbot: QtBot, context: PageContext, clockify: FakeClockify
) -> None:
    """Clockify took Priya off (and dropped her rates) but the answer was lost: the page
    says it may have landed and still offers to put her back with the rates she had."""
    ws = clockify.workspace_id
    project = next(
        p for p in clockify.state.workspaces[ws].projects.values() if p.name == "Mobile App"
    )
    priya = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
    with clockify.state.lock:
        if priya not in project.member_ids:
            project.member_ids.append(priya)
        project.member_rates[priya] = {
            "hourly": {"amount": 8500, "currency": "EUR"},
            "cost": {"amount": 3000, "currency": "EUR"},
        }
    page = _opened(qtbot, context, "Mobile App")
    assert page.current is not None
    page.members.setCurrentRow([m.name for m in page.current.members].index("Priya Shah"))
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/memberships$"))
    page.remove_member()
    assert priya not in project.member_ids
    assert "may or may not" in page.message.text(), page.message.text()
    assert "Ctrl+Z: put them back at 85.00/h and cost 30.00/h" in page.message.text()
    page.undo()
    assert page.message.text() == "Undone: took Priya Shah off Mobile App."
    assert project.member_rates[priya] == {
        "hourly": {"amount": 8500, "currency": "EUR"},
        "cost": {"amount": 3000, "currency": "EUR"},
    }
