"""Creating from the pickers: a project (with a new client, colour, billable) or a task from
the popup's picker with no account, then a timer on it; Clockify's billable default."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import Seeded
from tracker.bridge.controller import Controller
from tracker.services.requests import CreateProject
from tracker.ui.create import ProjectForm
from tracker.ui.picker_rows import CreateRow
from tracker.ui.popup import TimerPopup


@pytest.fixture
def popup(controller: Controller, qtbot: QtBot) -> TimerPopup:
    made = TimerPopup(controller)
    qtbot.addWidget(made)
    made.show_near(QRect(1200, 0, 24, 24))
    qtbot.waitExposed(made)
    return made


def _when_form_opens(popup: TimerPopup, fill: Callable[[ProjectForm], None]) -> None:
    """Run ``fill`` on the project form once it shows (it runs its own event loop)."""

    def attempt() -> None:
        creator = popup.picker.creator
        form = creator.form if creator is not None else None
        if form is None or not form.isVisible():
            QTimer.singleShot(10, attempt)
            return
        fill(form)

    QTimer.singleShot(0, attempt)


def test_a_new_project_with_a_new_client_is_created_and_timed_without_an_account(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    assert controller.projects() == []
    qtbot.keyClicks(popup.picker.edit, "web fr")
    last = popup.picker.model.rowCount() - 1
    offer = popup.picker.model.candidate(last)
    assert isinstance(offer, CreateRow)
    assert offer.label == "Create project \u201cweb fr\u201d\u2026"

    def fill(form: ProjectForm) -> None:
        assert form.name.text() == "web fr"
        form.name.setText("Website Redesign")
        form.client.setEditText("Acme")
        assert form.is_new_client()
        form.color.setCurrentIndex(2)
        form.billable.setChecked(True)
        qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)

    _when_form_opens(popup, fill)
    popup.picker.view.setCurrentIndex(popup.picker.model.index(last))
    qtbot.keyClick(popup.picker.edit, Qt.Key.Key_Return)

    [project] = controller.projects()
    assert (project.name, controller.client_names()[project.client_id or ""]) == (
        "Website Redesign",
        "Acme",
    )
    assert project.billable
    assert popup.picker.selection() == (project.id, None)
    assert popup.picker.edit.text() == "Website Redesign"
    assert popup.billable.isChecked()  # the project's default, as Clockify applies it
    qtbot.keyClicks(popup.description, "Hero section")
    qtbot.keyClick(popup.description, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert (running.project_id, running.billable) == (project.id, True)


def test_a_cancelled_form_creates_nothing(
    popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    qtbot.keyClicks(popup.picker.edit, "Nope")
    _when_form_opens(popup, lambda form: qtbot.keyClick(form, Qt.Key.Key_Escape))
    qtbot.keyClick(popup.picker.edit, Qt.Key.Key_Return)  # the only row: create
    assert controller.projects() == []
    assert popup.picker.selection() == (None, None)
    assert popup.isVisible()


def test_project_colon_task_offers_the_task(
    seeded: Seeded, popup: TimerPopup, controller: Controller, qtbot: QtBot
) -> None:
    qtbot.keyClicks(popup.picker.edit, "website: copy")
    rows = [popup.picker.model.candidate(r) for r in range(popup.picker.model.rowCount())]
    offers = [row for row in rows if isinstance(row, CreateRow)]
    assert [o.label for o in offers] == ["Create task \u201ccopy\u201d in Website"]
    popup.picker.view.setCurrentIndex(popup.picker.model.index(rows.index(offers[0])))
    qtbot.keyClick(popup.picker.edit, Qt.Key.Key_Return)
    [task] = [t for t in controller.tasks() if t.name == "copy"]
    assert popup.picker.selection() == (seeded.website.id, task.id)
    assert popup.picker.edit.text() == "Website: copy"


def test_an_existing_name_is_not_offered_again(
    seeded: Seeded, popup: TimerPopup, qtbot: QtBot
) -> None:
    qtbot.keyClicks(popup.picker.edit, "internal")
    rows = [popup.picker.model.candidate(r) for r in range(popup.picker.model.rowCount())]
    assert not any(isinstance(row, CreateRow) for row in rows)


def test_picking_a_billable_project_ticks_billable_and_unticking_sticks(
    popup: TimerPopup, controller: Controller, tracker_project: None, qtbot: QtBot
) -> None:
    popup.load()
    qtbot.keyClicks(popup.picker.edit, "Consulting")
    qtbot.keyClick(popup.picker.edit, Qt.Key.Key_Return)
    assert popup.billable.isChecked()
    popup.billable.setChecked(False)  # the person says otherwise: that wins
    qtbot.keyClicks(popup.description, "Call")
    qtbot.keyClick(popup.description, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert not running.billable


@pytest.fixture
def tracker_project(controller: Controller) -> None:
    controller.act(CreateProject("Consulting", billable=True))
