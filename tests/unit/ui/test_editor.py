"""The full entry editor saves only what was changed and keeps refusals inside the dialog."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import Seeded, at
from tracker.bridge.controller import Controller
from tracker.domain.model import CustomFieldDef
from tracker.services import Tracker
from tracker.services.requests import CreateProject, Edit, Request, Start
from tracker.store import Store
from tracker.ui.editor import EntryEditor


@pytest.fixture
def fields(store: Store, tracker: Tracker) -> list[CustomFieldDef]:
    workspace = tracker.context.workspace_id
    defined = [
        CustomFieldDef("f1", workspace, "Ticket", "TXT"),
        CustomFieldDef("f2", workspace, "Hours billed", "NUMBER"),
        CustomFieldDef(
            "f3", workspace, "Phase", "DROPDOWN_SINGLE", allowed_values=("plan", "build")
        ),
        CustomFieldDef("f4", workspace, "Reviewed", "CHECKBOX"),
    ]
    store.catalog.replace_from_server("field", workspace, [(f.id, f) for f in defined])
    return defined


def editor_for(controller: Controller, entry_id: str, qtbot: QtBot) -> EntryEditor:
    dialog = EntryEditor(controller, entry_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def edits_of(controller: Controller, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record what the dialog asks the controller to change (and still apply it)."""
    seen: list[dict[str, Any]] = []
    real = controller.act

    def recording(request: Request[Any]) -> Any:
        if isinstance(request, Edit):
            given = {f.name: getattr(request, f.name) for f in dataclasses.fields(request)}
            seen.append({k: v for k, v in given.items() if v is not None and k != "ref"})
        return real(request)

    monkeypatch.setattr(controller, "act", recording)
    return seen


def test_shows_every_field(controller: Controller, seeded: Seeded, qtbot: QtBot) -> None:
    dialog = editor_for(controller, seeded.entries[0].id, qtbot)
    assert dialog.description.text() == "Write report"
    assert dialog.project.edit.text() == "Website: Design"
    assert dialog.project.selection() == (seeded.website.id, seeded.design.id)
    assert dialog.tags.selected() == [seeded.deep_work.id]
    assert dialog.tags.text() == "deep work"
    assert (dialog.start_time.text(), dialog.end_time.text()) == ("09:00", "10:30")
    assert dialog.start_date.date() == QDate(2026, 3, 2)
    assert dialog.duration.text() == "1:30"
    assert dialog.state_label.text() == "Kept on this computer (no account connected)"
    assert not dialog.parked_label.isVisible()


def test_saves_only_the_changed_fields(
    controller: Controller, seeded: Seeded, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = edits_of(controller, monkeypatch)
    dialog = editor_for(controller, seeded.entries[0].id, qtbot)
    dialog.description.setText("Write the report")
    dialog.end_time.setText("11:00")
    with qtbot.waitSignal(dialog.accepted, timeout=500):
        dialog.save()
    assert seen == [{"description": "Write the report", "end": at(11)}]
    entry = controller.entry_view(seeded.entries[0].id)
    assert (entry.entry.description, entry.entry.end, entry.task) == (
        "Write the report",
        at(11),
        "Design",
    )


def test_nothing_changed_closes_without_an_edit(
    controller: Controller, seeded: Seeded, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = edits_of(controller, monkeypatch)
    dialog = editor_for(controller, seeded.entries[1].id, qtbot)
    with qtbot.waitSignal(dialog.accepted, timeout=500):
        dialog.save()
    assert seen == []


def test_project_task_tags_billable_and_duration(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    dialog = editor_for(controller, seeded.entries[2].id, qtbot)
    QTest.keyClicks(dialog.project.edit, "webdes")  # the popup's fuzzy search
    QTest.keyClick(dialog.project.edit, Qt.Key.Key_Return)
    dialog.tags.toggle_tag(seeded.meeting.id)
    dialog.billable.setChecked(True)
    dialog.duration.setText("2h")
    with qtbot.waitSignal(dialog.accepted, timeout=500):
        dialog.save()
    view = controller.entry_view(seeded.entries[2].id)
    assert (view.project, view.task, view.tags, view.entry.billable) == (
        "Website",
        "Design",
        ("meeting",),
        True,
    )
    assert view.duration == timedelta(hours=2)


def test_a_refusal_stays_in_the_dialog(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    dialog = editor_for(controller, seeded.entries[0].id, qtbot)
    dialog.end_time.setText("8:00")
    with qtbot.assertNotEmitted(dialog.accepted), qtbot.assertNotEmitted(controller.changed):
        dialog.save()
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "The end is before the start."
    assert controller.entry_view(seeded.entries[0].id).entry.end == at(10, 30)
    dialog.duration.setText("an hour")
    dialog.save()
    assert "1h30" in dialog.error_label.text()


def test_custom_fields(
    controller: Controller, seeded: Seeded, fields: list[CustomFieldDef], qtbot: QtBot
) -> None:
    dialog = editor_for(controller, seeded.entries[0].id, qtbot)
    ticket, hours, phase, reviewed = (dialog.field_widget(f) for f in ("f1", "f2", "f3", "f4"))
    assert isinstance(ticket, QLineEdit)
    assert isinstance(hours, QLineEdit)
    assert isinstance(phase, QComboBox)
    assert isinstance(reviewed, QCheckBox)
    ticket.setText("T-17")
    hours.setText("1.5")
    phase.setCurrentText("build")
    reviewed.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=500):
        dialog.save()
    saved = dict(controller.entry_view(seeded.entries[0].id).entry.custom_fields)
    assert saved == {"f1": "T-17", "f2": 1.5, "f3": "build", "f4": True}
    again = editor_for(controller, seeded.entries[0].id, qtbot)
    phase_again = again.field_widget("f3")
    assert isinstance(phase_again, QComboBox)
    assert phase_again.currentText() == "build"
    hours_again = again.field_widget("f2")
    assert isinstance(hours_again, QLineEdit)
    hours_again.setText("lots")
    again.save()
    assert "takes a number" in again.error_label.text()


def test_a_parked_entry_shows_the_reason_as_plain_text(
    controller: Controller, tracker: Tracker, store: Store, qtbot: QtBot
) -> None:
    entry = tracker.entries.add(at(9), at(10), "x")
    row = store.entries.get(entry.id)
    assert row is not None
    store.entries.park(entry.id, "<b>Task</b> is required", sent_version=row.version)
    dialog = editor_for(controller, entry.id, qtbot)
    assert dialog.parked_label.isVisible()
    assert dialog.parked_label.textFormat() == Qt.TextFormat.PlainText
    assert "<b>Task</b> is required" in dialog.parked_label.text()


def test_the_running_entry_keeps_running_unless_an_end_is_typed(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    started = controller.act(Start("Focus", at=at(16)))
    assert started is not None
    dialog = editor_for(controller, started.started.id, qtbot)
    assert dialog.end_time.text() == ""
    dialog.description.setText("Deep focus")
    with qtbot.waitSignal(dialog.accepted, timeout=500):
        dialog.save()
    running = controller.running()
    assert running is not None
    assert running.description == "Deep focus"


def test_the_project_is_the_popup_picker_and_brings_its_billable_default(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    paid = controller.act(CreateProject("Consulting", billable=True))
    assert paid is not None
    dialog = editor_for(controller, seeded.entries[2].id, qtbot)
    QTest.keyClicks(dialog.project.edit, "consult")
    assert dialog.project.is_open()  # a list of its own, floating under the field
    assert dialog.project.view.isWindow()
    QTest.keyClick(dialog.project.edit, Qt.Key.Key_Return)
    assert dialog.project.selection() == (paid.id, None)
    assert dialog.billable.isChecked()
    with qtbot.waitSignal(dialog.accepted, timeout=500):
        dialog.save()
    entry = controller.entry_view(seeded.entries[2].id).entry
    assert (entry.project_id, entry.billable) == (paid.id, True)


def test_escape_closes_the_project_list_not_the_dialog(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    dialog = editor_for(controller, seeded.entries[2].id, qtbot)
    QTest.keyClicks(dialog.project.edit, "web")
    assert dialog.project.is_open()
    QTest.keyClick(dialog.project.edit, Qt.Key.Key_Escape)
    assert not dialog.project.is_open()
    assert dialog.isVisible()


@pytest.mark.parametrize("field", ["end", "duration"])
def test_an_end_in_the_future_is_asked_about_and_enter_again_keeps_it(
    controller: Controller, seeded: Seeded, qtbot: QtBot, field: str
) -> None:
    """As in the today table: an entry made to end after now (17:00) is seldom meant, so the
    first Save asks with the table's words, and the same Save again keeps it."""
    entry = seeded.entries[2]  # 13:00-14:15
    dialog = editor_for(controller, entry.id, qtbot)
    typed = dialog.end_time if field == "end" else dialog.duration
    typed.setText("18:30" if field == "end" else "5h30")
    typed.setFocus()
    qtbot.keyClick(typed, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        "That makes the entry end in the future, at 18:30. Press Enter again to keep it, "
        "or correct it."
    )
    assert controller.entry_view(entry.id).entry.end == at(14, 15)  # nothing saved yet
    qtbot.keyClick(typed, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert controller.entry_view(entry.id).entry.end == at(18, 30)


def test_a_corrected_end_after_the_question_saves_at_once(
    controller: Controller, seeded: Seeded, qtbot: QtBot
) -> None:
    entry = seeded.entries[2]
    dialog = editor_for(controller, entry.id, qtbot)
    dialog.end_time.setText("18:30")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible()
    dialog.end_time.setText("19:30")  # another future end: asked about again
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible()
    assert "at 19:30" in dialog.error_label.text()
    dialog.end_time.setText("16:30")  # corrected: saved without a question
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.isVisible()
    assert controller.entry_view(entry.id).entry.end == at(16, 30)
