"""The Clients, tags and fields page keeps what Clockify holds and what a person typed: an
allowed value with a comma survives a rename, and a refresh or the filter landing while
they edit keeps the edit."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify
from tests.unit.ui.test_admin_projects_typed import Line, context, line  # noqa: F401 - fixtures
from tracker.services.abilities import ACCESS_KEY, ELEVATED
from tracker.ui.admin_fields import FieldsPage
from tracker.ui.admin_page import PageContext, Work


def _fields_page(qtbot: QtBot, shown_with: PageContext) -> FieldsPage:
    page = FieldsPage(shown_with)
    qtbot.addWidget(page)
    page.shown()
    page.kinds.setCurrentIndex(2)  # custom fields
    return page


def test_an_allowed_value_with_a_comma_survives_a_rename(
    qtbot: QtBot,
    context: PageContext,  # noqa: F811 - the fixture
    clockify: FakeClockify,
) -> None:
    field = clockify.state.add_custom_field(
        clockify.workspace_id,
        "Site",
        type="DROPDOWN_SINGLE",
        allowed_values=["Berlin, Mitte", "Lisbon"],
    )
    page = _fields_page(qtbot, context)
    page.table.selectRow(page.model.find(field.id))
    assert page.name.text() == "Site"
    page.name.setText("Office site")
    page.save()
    assert "Saved the custom field Office site." in page.message.text(), page.message.text()
    assert field.name == "Office site"
    assert field.allowed_values == ["Berlin, Mitte", "Lisbon"]


def test_a_refresh_or_the_filter_keeps_what_is_typed(
    qtbot: QtBot,
    context: PageContext,  # noqa: F811 - the fixture
    clockify: FakeClockify,
) -> None:
    page = FieldsPage(context)
    qtbot.addWidget(page)
    page.shown()  # clients
    page.table.selectRow(0)
    chosen = page.current
    assert chosen is not None
    page.detail.setText("ap@typed.example")
    page.refresh(force=True)
    page.search.setText(chosen.name.split()[0])
    assert page.detail.text() == "ap@typed.example"
    page.search.setText("")
    page.new()
    page.name.setText("Typed Client Ltd")
    page.refresh(force=True)
    assert page.name.text() == "Typed Client Ltd"
    assert page.current is None
    page.save()
    assert "Created the client Typed Client Ltd." in page.message.text(), page.message.text()
    clients = clockify.state.workspaces[clockify.workspace_id].clients.values()
    assert [c.name for c in clients].count("Typed Client Ltd") == 1


def test_a_manager_is_told_that_only_admins_change_tags_without_a_request(
    qtbot: QtBot,
    context: PageContext,  # noqa: F811 - the fixture
    clockify: FakeClockify,
) -> None:
    ws = clockify.workspace_id
    context.store.meta.set(ACCESS_KEY + ws, {"role": ELEVATED, "admin": False, "at": 1.0})
    page = FieldsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.kinds.setCurrentIndex(1)  # tags
    tag = next(t for t in clockify.state.workspaces[ws].tags.values() if not t.archived)
    page.table.selectRow(page.model.find(tag.id))
    clockify.clear_exchanges()
    page.archive()
    assert page.message.text() == "Only workspace admins change tags on Clockify."
    page.name.setText("renamed by a manager")
    page.save()
    assert page.message.text() == "Only workspace admins change tags on Clockify."
    assert clockify.exchanges == []
    assert not tag.archived
    page.new()
    page.name.setText("made-by-a-manager")
    page.save()  # creating one is open to everyone (the timer creates them on the fly)
    assert "Created the tag made-by-a-manager." in page.message.text(), page.message.text()


def test_a_delete_that_could_not_be_sent_keeps_the_tag_chosen(
    qtbot: QtBot,
    context: PageContext,  # noqa: F811 - the fixture
    clockify: FakeClockify,
    line: Line,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = FieldsPage(context)
    qtbot.addWidget(page)
    page.shown()
    page.kinds.setCurrentIndex(1)  # tags
    tag = next(t for t in clockify.state.workspaces[clockify.workspace_id].tags.values())
    page.table.selectRow(page.model.find(tag.id))
    monkeypatch.setattr(page, "confirm", lambda _question, _action: True)
    line.up = False
    page.delete()
    assert "cannot be reached" in page.message.text()
    assert page.current is not None
    assert page.current.id == tag.id


def test_what_is_typed_while_a_save_is_on_its_way_stays(
    qtbot: QtBot,
    context: PageContext,  # noqa: F811 - the fixture
    clockify: FakeClockify,
) -> None:
    page = FieldsPage(context)
    qtbot.addWidget(page)
    page.shown()  # clients
    page.table.selectRow(0)
    waiting: list[tuple[Work, Any]] = []
    page.context = PageContext(context.store, context.clock, lambda w, d: waiting.append((w, d)))
    page.detail.setText("ap@first.example")
    page.save()
    page.detail.setText("ap@second.example")  # typed while the Save is on its way
    ((work, done),) = waiting
    context.run(work, done)
    assert page.message.text().startswith("Saved the client"), page.message.text()
    assert page.detail.text() == "ap@second.example"
