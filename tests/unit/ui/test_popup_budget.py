"""What the timer popup and its picker show of a project's progress, from the projects an
administrator fetched (the kept copy; no request): a task's share of its estimate beside
the estimate, and a question before starting on a project whose budget is spent."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import Seeded
from tracker.bridge.controller import Controller
from tracker.services import Tracker
from tracker.services.admin_projects import AdminProjects, ProjectView, TaskView
from tracker.ui.popup import TimerPopup


def _keep(tracker: Tracker, seeded: Seeded, *, amount: int, reset: str | None = None) -> None:
    """The Website project as an administrator's last read saw it: a 1,000.00 budget with
    ``amount`` earned, and its Design task half way through a 4-hour estimate."""
    design = TaskView(
        id=seeded.design.id,
        name="Design",
        project_id=seeded.website.id,
        done=False,
        estimate_seconds=4 * 3600,
        budget=None,
        assignee_ids=(),
        hourly_rate=None,
        cost_rate=None,
        tracked_seconds=2 * 3600,
    )
    website = ProjectView(
        id=seeded.website.id,
        name="Website",
        client_id=None,
        client_name="",
        color="#03a9f4",
        billable=True,
        public=True,
        archived=False,
        template=False,
        note="",
        hourly_rate=None,
        cost_rate=None,
        members=(),
        estimate_seconds=None,
        estimate_from_tasks=False,
        estimate_reset=None,
        budget=100000,
        budget_reset=reset,
        tasks=(design,),
        tracked_seconds=2 * 3600,
        amount=amount,
    )
    AdminProjects(tracker.context).keep({"projects": [asdict(website)]})


def _start_on_website_design(popup: TimerPopup, qtbot: QtBot) -> None:
    popup.show_near(QRect(1200, 0, 24, 24))
    qtbot.waitExposed(popup)
    qtbot.keyClicks(popup.picker.edit, "web des")
    qtbot.keyClick(popup.picker.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(popup.description, "Mockups")
    qtbot.keyClick(popup.description, Qt.Key.Key_Return)


def test_a_spent_budget_is_asked_about_before_starting(
    seeded: Seeded, tracker: Tracker, controller: Controller, qtbot: QtBot
) -> None:
    _keep(tracker, seeded, amount=120000)
    popup = TimerPopup(controller)
    qtbot.addWidget(popup)
    asked: list[str] = []
    answer = False

    def ask(question: str) -> bool:
        asked.append(question)
        return answer

    popup.confirm_spent = ask  # type: ignore[method-assign]
    _start_on_website_design(popup, qtbot)
    assert asked == ["The budget of Website is spent (120% used). Start a timer on it anyway?"]
    assert controller.running() is None  # Cancel: nothing started
    assert popup.picker.model.progress_of(seeded.design.id) == 0.5

    answer = True
    qtbot.keyClick(popup.description, Qt.Key.Key_Return)
    running = controller.running()
    assert running is not None
    assert running.project_id == seeded.website.id


def test_a_budget_not_spent_or_not_known_starts_without_asking(
    seeded: Seeded, tracker: Tracker, controller: Controller, qtbot: QtBot
) -> None:
    _keep(tracker, seeded, amount=99999)
    popup = TimerPopup(controller)
    qtbot.addWidget(popup)
    asked: list[str] = []

    def ask(question: str) -> bool:
        asked.append(question)
        return False

    popup.confirm_spent = ask  # type: ignore[method-assign]
    _start_on_website_design(popup, qtbot)
    assert asked == []
    assert controller.running() is not None


def test_a_budget_that_resets_each_month_is_not_called_spent_from_all_time(
    seeded: Seeded, tracker: Tracker, controller: Controller, qtbot: QtBot
) -> None:
    """The kept amount counts everything read (since 2000 on a paid plan), not this month:
    past the budget over all time says nothing about this month's, so nothing is asked."""
    _keep(tracker, seeded, amount=120000, reset="MONTHLY")
    popup = TimerPopup(controller)
    qtbot.addWidget(popup)
    asked: list[str] = []

    def ask(question: str) -> bool:
        asked.append(question)
        return False

    popup.confirm_spent = ask  # type: ignore[method-assign]
    _start_on_website_design(popup, qtbot)
    assert asked == []
    assert controller.running() is not None
