"""The time-off window on a real store, talking HTTP to the Clockify test server through a
runner that stands where the sync worker's ``call_with_client`` does (a real client, the
answer delivered on the GUI thread's next turn): kept copies shown at once with "as of",
requests counted, a request that cannot be sent kept and offered again, never sent twice,
a manager's approval, and the timesheet's own refresh within the budget."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta

import httpx
import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.timeoff import book
from tests.fakeclockify.timeoff_seed import HOLIDAY_NAME, HOURS_POLICY, VACATION_POLICY
from tests.helpers.clock import FakeClock
from tests.helpers.served import person_of
from tracker.api import ClockifyClient, RateLimits, RequestBudget, RetryPolicy, Servers
from tracker.bridge.controller import Controller
from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.domain.model import WorkspaceInfo
from tracker.services import Tracker
from tracker.services.context import Context
from tracker.store import Store
from tracker.ui.timeoff import TimeOffWindow
from tracker.ui.timeoff_source import FULL_COST, PLANS_COST, ClockifyTimeOff, Done, Work
from tracker.ui.week import WeekWindow

FAST = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, max_retry_after=1)
DEAD = "http://127.0.0.1:9"


class Worker:
    """Runs work with a real client for one person (the server may be swapped for a dead
    one), answering on the GUI thread's next turn as the sync worker does."""

    def __init__(self, store: Store, server: FakeClockify, key: str) -> None:
        self.store = store
        self.key = key
        self.url = server.base_url
        self.reports = server.reports_url
        self.calls = 0

    def __call__(self, work: Work, done: Done) -> None:
        self.calls += 1

        async def go() -> object:
            client = ClockifyClient(
                self.key,
                servers=Servers.custom(self.url, self.reports),
                retry=FAST,
                timeout=httpx.Timeout(2.0),
                budget=RequestBudget(RateLimits()),
            )
            async with client as api:
                return await work(self.store, api)

        try:
            result: object = asyncio.run(go())
        except Exception as exc:
            result = exc
        QTimer.singleShot(0, lambda: done(result))


def connect(store: Store, server: FakeClockify, name: str, *, free: bool = False) -> str:
    user_id, key = person_of(server, name)
    store.meta.set_account({"user_id": user_id, "name": name, "email": "x@example.com"})
    store.meta.set_workspace_id(server.workspace_id)
    store.meta.save_workspace(WorkspaceInfo(server.workspace_id, "Demo", free_plan=free))
    store.meta.save_profile(replace(store.meta.profile(), user_id=user_id))
    return key


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock.starting_now()


def sent(server: FakeClockify, since: int = 0) -> list[str]:
    return [f"{e.method} {e.path}" for e in server.exchanges[since:]]


def open_window(source: ClockifyTimeOff, qtbot: QtBot) -> TimeOffWindow:
    window = TimeOffWindow(source)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def rows(tree: object) -> list[list[str]]:
    from PySide6.QtWidgets import QTreeWidget

    assert isinstance(tree, QTreeWidget)
    found = []
    for n in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(n)
        assert item is not None
        found.append([item.text(c) for c in range(tree.columnCount())])
    return found


def next_monday(today: date, weeks: int = 1) -> date:
    return today - timedelta(days=today.weekday()) + timedelta(days=7 * weeks)


def fill(window: TimeOffWindow, policy: str, first: date, last: date, note: str) -> None:
    form = window.form
    form.policy.setCurrentIndex(form.policy.findText(policy))
    form.first.setDate(QDate(first.year, first.month, first.day))
    form.last.setDate(QDate(last.year, last.month, last.day))
    form.note.setText(note)


def answer(button: str) -> list[str]:
    """Click ``button`` in the next question box once it shows; returns its text."""
    asked: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        asked.append(box.text())
        for candidate in box.buttons():
            if candidate.text() == button:
                candidate.click()
                return

    QTimer.singleShot(10, click)
    return asked


def test_opens_from_the_kept_copy_and_refresh_costs_what_it_says(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    key = connect(store, clockify, "Priya Shah", free=True)
    context = Context(store, clock)
    worker = Worker(store, clockify, key)
    window = open_window(ClockifyTimeOff(context, worker), qtbot)
    qtbot.waitUntil(lambda: window.snapshot is not None and window.snapshot.team is not None)
    assert len(sent(clockify)) == FULL_COST  # nothing kept: fetched once, by itself
    assert window.refresh_button.text() == f"Refresh (costs {FULL_COST} requests)"
    assert window.as_of.text() == f"as of {window.when(clock.now)}"
    balances = {r[0]: r for r in rows(window.balances)}
    assert balances[VACATION_POLICY][1:] == ["25 days", "0 days", "—"]
    assert HOLIDAY_NAME in [r[0] for r in rows(window.holidays)]  # next year's, being annual
    fetched = clock.now
    window.close()

    clock.advance(minutes=30)  # older than fresh, but a Free workspace waits an hour
    again = open_window(ClockifyTimeOff(context, worker), qtbot)
    assert rows(again.balances) == rows(window.balances)  # at once, from the kept copy
    assert again.as_of.text() == f"as of {again.when(fetched)}"
    qtbot.waitUntil(lambda: again.snapshot is not None and again.snapshot.team is not None)
    # only who waits for one's decision, which is never kept: the rest waits for the hour
    assert sent(clockify)[FULL_COST:] == [
        f"POST /v1/workspaces/{clockify.workspace_id}/time-off/requests"
    ]
    again.refresh_button.click()  # the person asks: whatever the hour
    qtbot.waitUntil(lambda: len(sent(clockify)) == 2 * FULL_COST + 1)
    qtbot.waitUntil(again.refresh_button.isEnabled)
    assert again.as_of.text() == f"as of {again.when(clock.now)}"


def test_a_member_asks_for_days_off_and_sees_them_pending(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    key = connect(store, clockify, "Priya Shah")
    context = Context(store, clock)
    window = open_window(ClockifyTimeOff(context, Worker(store, clockify, key)), qtbot)
    qtbot.waitUntil(lambda: window.form.policy.count() > 0)
    monday = next_monday(context.today(), 2)
    fill(window, VACATION_POLICY, monday, monday + timedelta(days=1), "Lisbon")
    assert window.form.cost.text() == f"Costs 2 days of {VACATION_POLICY}; 23 days left after."
    before = len(sent(clockify))
    window.form.send_button.click()
    qtbot.waitUntil(lambda: "Asked for" in window.message.text())
    creates = [s for s in sent(clockify, before) if s.startswith("POST") and "policies" in s]
    assert len(creates) == 1
    qtbot.waitUntil(window.refresh_button.isEnabled)
    mine = rows(window.mine)
    assert mine[0][0] == VACATION_POLICY
    assert mine[0][2:] == ["2 days", "Pending", "Lisbon"]
    vacation = {r[0]: r for r in rows(window.balances)}[VACATION_POLICY]
    assert vacation[1:] == ["25 days", "0 days", "2 days"]
    assert window.form.note.text() == ""  # sent: the form is ready for the next one


def test_offline_keeps_the_request_and_offers_it_again_sending_it_once(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    key = connect(store, clockify, "Priya Shah")
    context = Context(store, clock)
    worker = Worker(store, clockify, key)
    window = open_window(ClockifyTimeOff(context, worker), qtbot)
    qtbot.waitUntil(lambda: window.form.policy.count() > 0)
    monday = next_monday(context.today(), 3)
    fill(window, VACATION_POLICY, monday, monday, "dentist")
    worker.url = DEAD
    window.form.send_button.click()
    qtbot.waitUntil(lambda: "nothing was sent" in window.message.text())
    assert window.form.note.text() == "dentist"  # what was typed stays
    assert window.waiting is not None
    window.set_sync_status(SyncStatus(SyncPhase.OFFLINE))
    assert not window.resend_button.isVisible()

    worker.url = clockify.base_url
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/requests$"))
    window.set_sync_status(SyncStatus(SyncPhase.SYNCED))
    assert "online again" in window.message.text()
    assert window.resend_button.isVisible()
    window.resend_button.click()  # made, but the answer is lost
    qtbot.waitUntil(window.form.send_button.isEnabled)
    assert window.waiting is not None
    assert "looked for before being asked again" in window.message.text()
    assert window.resend_button.isVisible()
    window.resend_button.click()  # looked for first, and adopted: never asked twice
    qtbot.waitUntil(lambda: "Asked for" in window.message.text())
    made = [e for e in clockify.exchanges if e.method == "POST" and e.path.endswith("/requests")]
    assert [e.committed for e in made if "policies" in e.path] == [True]
    assert window.waiting is None


def test_a_manager_approves_and_a_rejection_needs_a_note(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    _priya, priya_key = person_of(clockify, "Priya Shah")
    sam_key = connect(store, clockify, "Sam Rivera")
    context = Context(store, clock)
    asking = ClockifyTimeOff(context, Worker(store, clockify, priya_key))
    monday = next_monday(context.today(), 4)
    from tracker.services.timeoff import RequestDraft

    # Priya's two requests, made as her app would (a store of her own is not needed here).
    sam_account = store.meta.account()
    store.meta.set_account({"user_id": _priya, "name": "Priya Shah", "email": "p@example.com"})
    policies: list[object] = []
    asking.fetch(policies.append)
    qtbot.waitUntil(lambda: bool(policies))
    vacation = next(p for p in asking.kept().policies if p.name == VACATION_POLICY)
    for first in (monday, monday + timedelta(days=2)):
        made: list[object] = []
        asking.send(RequestDraft(vacation.id, first, first, note=f"day {first}"), made.append)
        qtbot.waitUntil(lambda made=made: bool(made))  # type: ignore[misc]
    store.meta.set_account(sam_account)

    window = open_window(ClockifyTimeOff(context, Worker(store, clockify, sam_key)), qtbot)
    qtbot.waitUntil(lambda: window.tabs.isTabVisible(2))
    assert window.tabs.tabText(2) == "To &approve (2)"
    team = rows(window.team)
    assert [r[0] for r in team] == ["Priya Shah", "Priya Shah"]
    before = len(sent(clockify))
    window.decide(approve=False)  # no note
    assert window.message.text() == "Write a note saying why before rejecting."
    assert len(sent(clockify)) == before  # nothing sent
    window.decide(approve=True)
    qtbot.waitUntil(lambda: "Approved: Priya Shah's" in window.message.text())
    window.decision_note.setText("That week is the release")
    window.decide(approve=False)
    qtbot.waitUntil(lambda: "Rejected: Priya Shah's" in window.message.text())
    assert window.tabs.tabText(2) == "To &approve"
    held = book(clockify.state.workspaces[clockify.workspace_id]).requests.values()
    states = sorted(r.status for r in held if r.user_id == _priya)
    assert states == ["APPROVED", "REJECTED"]


def test_withdraw_asks_first(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    key = connect(store, clockify, "Priya Shah")
    context = Context(store, clock)
    window = open_window(ClockifyTimeOff(context, Worker(store, clockify, key)), qtbot)
    qtbot.waitUntil(lambda: window.form.policy.count() > 0)
    monday = next_monday(context.today(), 5)
    fill(window, VACATION_POLICY, monday, monday, "")
    window.form.send_button.click()
    qtbot.waitUntil(lambda: bool(rows(window.mine)) and window.refresh_button.isEnabled())
    window.tabs.setCurrentIndex(0)
    first = window.mine.topLevelItem(0)
    assert first is not None
    window.mine.setCurrentItem(first)
    assert window.withdraw_button.isEnabled()
    before = len(sent(clockify))
    asked = answer("Cancel")
    window.withdraw_chosen()
    assert len(asked) == 1
    assert asked[0].startswith(f"Withdraw your {VACATION_POLICY} request")
    assert len(sent(clockify)) == before
    answer("Withdraw")
    window.withdraw_chosen()
    qtbot.waitUntil(lambda: window.message.text().startswith("Withdrawn"))
    qtbot.waitUntil(window.refresh_button.isEnabled)
    assert rows(window.mine) == []


def test_a_plan_without_time_off_is_one_sentence(
    store: Store, clockify_factory: Callable[..., FakeClockify], clock: FakeClock, qtbot: QtBot
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")
    key = connect(store, server, "Priya Shah", free=True)
    window = open_window(ClockifyTimeOff(Context(store, clock), Worker(store, server, key)), qtbot)
    qtbot.waitUntil(lambda: window.refresh_button.isEnabled() and window.message.isVisible())
    assert window.message.text() == (
        "Clockify does not let you list time-off policies in this workspace (its plan has no "
        "time off, or your role does not allow it)."
    )


@pytest.mark.parametrize(("free", "wait_minutes"), [(True, 60), (False, 5)])
def test_the_timesheet_refreshes_kept_time_off_within_the_budget(  # noqa: PLR0917
    store: Store,
    clockify: FakeClockify,
    clock: FakeClock,
    qtbot: QtBot,
    free: bool,
    wait_minutes: int,
) -> None:
    key = connect(store, clockify, "Priya Shah", free=free)
    source = ClockifyTimeOff(Context(store, clock), Worker(store, clockify, key))
    week = WeekWindow(Controller(Tracker(store, clock)), refresh_kept=source.refresh_plans_if_due)
    qtbot.addWidget(week)

    def show_and_count() -> int:
        before = len(sent(clockify))
        week.show()
        qtbot.waitExposed(week)
        qtbot.wait(30)
        week.hide()
        return len(sent(clockify)) - before

    assert show_and_count() == PLANS_COST + 1  # nothing kept: the policies too, to name them
    clock.advance(minutes=wait_minutes - 1)
    assert show_and_count() == 0
    clock.advance(minutes=2)
    assert show_and_count() == PLANS_COST
    week.previous_week()  # the seeded holiday is last week's Wednesday: read from what is kept
    headers = [str(week.model.headerData(n, Qt.Orientation.Horizontal)) for n in range(1, 8)]
    assert sum("Holiday" in h for h in headers) == 1, headers


def test_a_part_never_fetched_is_fetched_even_when_the_rest_is_fresh(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    """As after `tracker timeoff request`: the policies are kept, balances and requests not."""
    key = connect(store, clockify, "Priya Shah", free=True)
    context = Context(store, clock)
    worker = Worker(store, clockify, key)
    kept: list[object] = []

    async def policies_only(store_: Store, api: ClockifyClient) -> object:
        from tracker.services.timeoff import TimeOff

        return await TimeOff(Context(store_, clock), api).policies()

    worker(policies_only, kept.append)
    qtbot.waitUntil(lambda: bool(kept))
    window = open_window(ClockifyTimeOff(context, worker), qtbot)
    qtbot.waitUntil(lambda: bool(rows(window.balances)))
    assert "left after" in window.form.cost.text()


def test_the_cost_counts_working_days_less_holidays_half_days_and_hours() -> None:
    from tracker.domain.workdays import DayPlan, default_plan
    from tracker.services.timeoff import RequestDraft
    from tracker.ui.timeoff_form import request_cost

    monday = date(2026, 3, 2)
    holiday = monday + timedelta(days=2)

    def plans(days: Sequence[date]) -> dict[date, DayPlan]:
        found = default_plan(days, capacity=6 * 3600)
        if holiday in found:
            found[holiday] = replace(found[holiday], holiday="Founders' Day")
        return found

    week = RequestDraft("p", monday, monday + timedelta(days=6))
    assert request_cost(week, "DAYS", plans) == 4  # Mon-Fri less Wednesday's holiday
    assert request_cost(week, "HOURS", plans) == 24  # four days of 6 h
    half = RequestDraft("p", monday, monday, half_day=True)
    assert request_cost(half, "DAYS", plans) == 0.5
    on_holiday = RequestDraft("p", holiday, holiday, half_day=True)
    assert request_cost(on_holiday, "DAYS", plans) == 0
    hours = RequestDraft("p", monday, monday, hours=2.5)
    assert request_cost(hours, "HOURS", plans) == 2.5


def test_hours_on_an_hourly_policy_half_days_only_where_allowed(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    key = connect(store, clockify, "Priya Shah")
    context = Context(store, clock)
    window = open_window(ClockifyTimeOff(context, Worker(store, clockify, key)), qtbot)
    qtbot.waitUntil(lambda: window.form.policy.count() > 0)
    window.tabs.setCurrentWidget(window.form)
    monday = next_monday(context.today(), 6)
    fill(window, VACATION_POLICY, monday, monday, "")
    assert window.form.half_day.isVisible()
    assert not window.form.hours.isVisible()
    fill(window, HOURS_POLICY, monday, monday, "physio")
    assert not window.form.half_day.isVisible()
    assert window.form.hours.isVisible()
    window.form.hours.setValue(2.5)
    assert window.form.cost.text() == f"Costs 2.5 h of {HOURS_POLICY}; 13.5 h left after."
    tuesday = monday + timedelta(days=1)
    window.form.last.setDate(QDate(tuesday.year, tuesday.month, tuesday.day))
    assert window.form.cost.text() == "Hours are asked for on one day: make the last day the first."
    window.form.send_button.click()
    assert window.message.text() == "Hours are asked for on one day: make the last day the first."
    window.form.last.setDate(window.form.first.date())
    window.form.send_button.click()
    qtbot.waitUntil(lambda: "Asked for" in window.message.text())
    qtbot.waitUntil(window.refresh_button.isEnabled)
    assert rows(window.mine)[0][2:4] == ["2.5 h", "Pending"]


def test_another_workspace_drops_what_was_shown_and_kept_for_the_first(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    key = connect(store, clockify, "Priya Shah")
    context = Context(store, clock)
    worker = Worker(store, clockify, key)
    window = open_window(ClockifyTimeOff(context, worker), qtbot)
    qtbot.waitUntil(lambda: window.form.policy.count() > 0)
    worker.url = DEAD
    window.form.send_button.click()
    qtbot.waitUntil(lambda: window.waiting is not None)
    store.meta.set_workspace_id("another-workspace")
    window.refresh()
    assert window.waiting is None  # never sent to a workspace it was not asked in
    assert rows(window.balances) == []


def test_what_the_worker_fetched_shows_at_once_in_the_today_header(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    from tracker.services.timeoff import RequestDraft
    from tracker.ui.today import TodayWindow

    key = connect(store, clockify, "Priya Shah")
    today = TodayWindow(Controller(Tracker(store, clock)))
    qtbot.addWidget(today)
    context = Context(store, clock)
    source = ClockifyTimeOff(context, Worker(store, clockify, key), today.plans_changed)
    monday = next_monday(context.today(), 7)
    today.show_day(monday)
    today.show()
    qtbot.waitExposed(today)
    assert not today.day_note.isVisible()
    answers: list[object] = []
    source.fetch(answers.append)
    qtbot.waitUntil(lambda: len(answers) == 1)
    vacation = next(p for p in source.kept().policies if p.name == VACATION_POLICY)
    source.send(RequestDraft(vacation.id, monday, monday, half_day=True), answers.append)
    qtbot.waitUntil(lambda: len(answers) == 2)
    source.fetch(answers.append, refresh=False)  # what the change made stale, read again
    qtbot.waitUntil(lambda: len(answers) == 3)
    assert today.day_note.full_text() == f"{VACATION_POLICY} — half day (asked for)"


def test_a_plan_without_time_off_never_fetches_it_by_itself(
    store: Store, clockify: FakeClockify, clock: FakeClock, qtbot: QtBot
) -> None:
    """A Free workspace (its features read at connect) would spend its 30 requests an hour
    on Clockify's refusals: the timesheet asks nothing."""
    key = connect(store, clockify, "Priya Shah", free=True)
    info = store.meta.workspace(clockify.workspace_id)
    assert info is not None
    store.meta.save_workspace(replace(info, features=frozenset({"TIME_TRACKING"})))
    source = ClockifyTimeOff(Context(store, clock), Worker(store, clockify, key))
    week = WeekWindow(Controller(Tracker(store, clock)), refresh_kept=source.refresh_plans_if_due)
    qtbot.addWidget(week)
    before = len(sent(clockify))
    week.show()
    qtbot.waitExposed(week)
    qtbot.wait(30)
    assert len(sent(clockify)) == before
