"""The time-off window: balances, one's requests, a request form, what waits for one's
approval, and the coming holidays.

Time off is Clockify's (server-first): the window opens at once on what was fetched last,
labelled "as of", and refreshes through the sync worker when that copy is older than a few
minutes (on a Free workspace at most once an hour by itself; Refresh says what it costs).
Every change is sent at once, from the worker, never twice: a request that cannot be sent is
kept in the form and offered again once Clockify can be reached; one whose answer was lost
is looked for before it is asked again (:class:`~tracker.services.timeoff.TimeOff`).
Keys: F5 refreshes, Ctrl+N goes to the form, Del withdraws the chosen request (asked
first), Ctrl+Enter approves and Ctrl+Shift+Enter rejects (a note is required), Esc closes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.services.timeoff import RequestDraft, TimeOffUnclear
from tracker.services.timeoff_kept import RequestView
from tracker.ui import text
from tracker.ui.appearance import Tone, set_tone
from tracker.ui.timeoff_form import (
    STATES,
    RequestForm,
    amount_text,
    dates_text,
    list_tree,
    request_amount,
)
from tracker.ui.timeoff_source import (
    FULL_COST,
    ClockifyTimeOff,
    Snapshot,
    keep_team,
    offline,
    problem_of,
    upcoming,
    with_team,
)

__all__ = ["TimeOffWindow"]


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class TimeOffWindow(QWidget):
    """Time off for the connected person (and for whom they approve)."""

    def __init__(self, source: ClockifyTimeOff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.snapshot: Snapshot | None = None
        self.waiting: RequestDraft | None = None
        """A request that could not be sent: kept, offered again once online."""
        self._busy = False
        self._online = True
        self._workspace = source.context.workspace_id
        self.setWindowTitle("Time off")
        self.setObjectName("timeOffWindow")
        self.resize(760, 520)
        self._build()
        self._actions()
        self.form.start_on(self._next_working_day())

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 8)
        outer.setSpacing(6)
        top = QHBoxLayout()
        self.title = _plain(QLabel("Time off"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.as_of = _plain(QLabel(""))
        self.as_of.setObjectName("timeOffAsOf")
        set_tone(self.as_of, "muted")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("timeOffRefresh")
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.as_of)
        top.addWidget(self.refresh_button)
        outer.addLayout(top)
        message_row = QHBoxLayout()
        self.message = _plain(QLabel(""))
        self.message.setObjectName("timeOffMessage")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.resend_button = QPushButton("Send kept request")
        self.resend_button.setObjectName("timeOffResend")
        self.resend_button.setVisible(False)
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.resend_button)
        outer.addLayout(message_row)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._mine_tab(), "&My time off")
        self.form = RequestForm(self.source.plans, self)
        self.tabs.addTab(self.form, "&Request")
        self.tabs.addTab(self._approve_tab(), "To &approve")
        self.holidays = list_tree("timeOffHolidays", ["Holiday", "Dates"])
        self.tabs.addTab(self.holidays, "&Holidays")
        self.tabs.setTabVisible(2, False)
        outer.addWidget(self.tabs, 1)
        self.refresh_button.clicked.connect(lambda: self.refresh(ask=True))
        self.resend_button.clicked.connect(self.send_waiting)
        self.form.send_asked.connect(self.send)
        self.mine.itemSelectionChanged.connect(self._mine_chosen)

    def _mine_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.balances = list_tree("timeOffBalances", ["Policy", "Left", "Used", "Pending"])
        self.balances.setMaximumHeight(130)
        self.mine = list_tree("timeOffMine", ["Policy", "Dates", "Amount", "State", "Note"])
        row = QHBoxLayout()
        row.addWidget(_plain(QLabel("Your requests")))
        row.addStretch(1)
        self.withdraw_button = QPushButton("Withdraw…")
        self.withdraw_button.setObjectName("timeOffWithdraw")
        self.withdraw_button.setToolTip("Withdraw the chosen request (Del)")
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.clicked.connect(self.withdraw_chosen)
        row.addWidget(self.withdraw_button)
        layout.addWidget(_plain(QLabel("Balances")))
        layout.addWidget(self.balances)
        layout.addLayout(row)
        layout.addWidget(self.mine, 1)
        return page

    def _approve_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.team = list_tree("timeOffTeam", ["Person", "Policy", "Dates", "Amount", "Note"])
        self.decision_note = QLineEdit()
        self.decision_note.setObjectName("timeOffDecisionNote")
        self.decision_note.setAccessibleName("Note to the requester")
        self.decision_note.setPlaceholderText("Note to the requester (required to reject)")
        self.approve_button = QPushButton("Approve")
        self.approve_button.setObjectName("timeOffApprove")
        self.reject_button = QPushButton("Reject")
        self.reject_button.setObjectName("timeOffReject")
        self.approve_button.clicked.connect(lambda: self.decide(approve=True))
        self.reject_button.clicked.connect(lambda: self.decide(approve=False))
        row = QHBoxLayout()
        row.addWidget(self.decision_note, 1)
        row.addWidget(self.approve_button)
        row.addWidget(self.reject_button)
        layout.addWidget(self.team, 1)
        layout.addLayout(row)
        return page

    def _actions(self) -> None:
        def action(keys: list[str], slot: object, tip: str, button: QPushButton | None) -> None:
            made = QAction(self)
            made.setShortcuts([QKeySequence(k) for k in keys])
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
            if button is not None:
                button.setToolTip(f"{tip} ({text.key_text(QKeySequence(keys[0]))})")

        action(["F5", "Ctrl+R"], lambda: self.refresh(ask=True), "Fetch from Clockify",
               self.refresh_button)  # fmt: skip
        action(["Ctrl+N"], self.new_request, "New request", None)
        action(["Delete"], self.withdraw_chosen, "Withdraw the chosen request",
               self.withdraw_button)  # fmt: skip
        action(["Ctrl+Return", "Ctrl+Enter"], lambda: self.decide(approve=True),
               "Approve the chosen request", self.approve_button)  # fmt: skip
        action(["Ctrl+Shift+Return", "Ctrl+Shift+Enter"], lambda: self.decide(approve=False),
               "Reject the chosen request", self.reject_button)  # fmt: skip
        action(["Escape"], self.close, "Close", None)

    # --- what is shown ------------------------------------------------------------------------

    def refresh(self, *, ask: bool = False) -> None:
        """Show what is kept; fetch from Clockify when due, or whatever its age with ``ask``
        (the person pressed Refresh)."""
        source = self.source
        if not source.connected():
            self._say("Time off lives on Clockify: connect an account in Settings first.")
            self.refresh_button.setEnabled(False)
            return
        if source.context.workspace_id != self._workspace:  # another account or workspace
            self._workspace = source.context.workspace_id
            self.snapshot, self.waiting = None, None  # a kept request was for the other one
            self.resend_button.setVisible(False)
            self._say("")
        kept = source.kept()
        if self.snapshot is None or self.snapshot.as_of != kept.as_of:
            self._show(kept if self.snapshot is None else keep_team(kept, self.snapshot))
        cost = f" (costs {FULL_COST} requests)" if source.free_plan() else ""
        self.refresh_button.setText(f"Refresh{cost}")
        self.refresh_button.setEnabled(not self._busy)
        if self._busy:
            return
        if not (ask or source.due("full", kept.as_of)):
            if self.snapshot is not None and self.snapshot.team is None:
                self._busy = True  # the rest is fresh; who waits for a decision is never kept
                source.fetch_team(self._team_fetched)
            return
        self._busy = True
        self.refresh_button.setEnabled(False)
        if kept.as_of is None:
            self._say("Fetching your time off from Clockify…", tone="muted")
        source.fetch(self._fetched, auto=not ask)

    def _team_fetched(self, result: object) -> None:
        self._busy = False
        if isinstance(result, list) and self.snapshot is not None:
            self.snapshot = with_team(self.snapshot, result)
            self._show_team(result)
        elif not isinstance(result, list):
            self._say(problem_of(result), tone="error")

    def _fetched(self, result: object) -> None:
        self._busy = False
        self.refresh_button.setEnabled(True)
        if isinstance(result, Snapshot):
            self._show(result)
            if self.waiting is None:
                self._say("")
            return
        shown = self.snapshot
        problem = problem_of(result)
        if shown is not None and shown.as_of is not None:
            problem += f" Showing what was fetched {self.when(shown.as_of)}."
        self._say(problem, tone="error")

    def _show(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.as_of.setText(f"as of {self.when(snapshot.as_of)}" if snapshot.as_of else "")
        self.balances.clear()
        for item in snapshot.balances:
            self.balances.addTopLevelItem(
                QTreeWidgetItem([
                    item.policy,
                    amount_text(item.balance, item.unit),
                    amount_text(item.used, item.unit),
                    amount_text(item.pending, item.unit) if item.pending else "—",
                ])
            )  # fmt: skip
        chosen = self._chosen(self.mine)
        self.mine.clear()
        for request in snapshot.requests:
            note = request.note + (f" — {request.status_note}" if request.status_note else "")
            row = QTreeWidgetItem([
                request.policy, dates_text(request.first, request.last), request_amount(request),
                STATES.get(request.status, request.status.title()), note,
            ])  # fmt: skip
            row.setData(0, Qt.ItemDataRole.UserRole, request)
            row.setToolTip(4, note)
            self.mine.addTopLevelItem(row)
            if chosen is not None and chosen.id == request.id:
                self.mine.setCurrentItem(row)
        self._show_team(snapshot.team)
        today = self.source.context.today()
        self.holidays.clear()
        for holiday in upcoming(snapshot, today):
            self.holidays.addTopLevelItem(QTreeWidgetItem([holiday[0], dates_text(*holiday[1:])]))
        self.form.set_choices(snapshot.policies, snapshot.balances)
        for tree in (self.balances, self.mine, self.holidays):
            for column in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(column)
        self._mine_chosen()

    def _show_team(self, team: list[RequestView] | None) -> None:
        if team is None:
            return
        chosen = self._chosen(self.team)
        self.team.clear()
        for request in team:
            row = QTreeWidgetItem([
                request.user or "Someone", request.policy, dates_text(request.first, request.last),
                request_amount(request), request.note,
            ])  # fmt: skip
            row.setData(0, Qt.ItemDataRole.UserRole, request)
            row.setToolTip(4, request.note)
            self.team.addTopLevelItem(row)
            if chosen is not None and chosen.id == request.id:
                self.team.setCurrentItem(row)
        first = self.team.topLevelItem(0)
        if first is not None and self.team.currentItem() is None:
            self.team.setCurrentItem(first)
        for column in range(self.team.columnCount() - 1):
            self.team.resizeColumnToContents(column)
        shown = bool(team) or self.tabs.isTabVisible(2)
        self.tabs.setTabVisible(2, shown)
        self.tabs.setTabText(2, f"To &approve ({len(team)})" if team else "To &approve")
        self.approve_button.setEnabled(bool(team))
        self.reject_button.setEnabled(bool(team))

    def when(self, moment: datetime) -> str:
        local = moment.astimezone(self.source.context.zone())
        if local.date() == self.source.context.today():
            return f"{local:%H:%M}"
        return f"{local:%d %b %H:%M}"

    def _say(self, message: str, *, tone: Tone = "text") -> None:
        set_tone(self.message, tone)
        self.message.setText(message)
        self.message.setVisible(bool(message))

    @staticmethod
    def _chosen(tree: QTreeWidget) -> RequestView | None:
        item = tree.currentItem()
        found = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return found if isinstance(found, RequestView) else None

    def _withdrawable(self, item: RequestView | None) -> bool:
        today = self.source.context.today()
        return item is not None and item.status in ("PENDING", "APPROVED") and item.first >= today

    def _next_working_day(self) -> date:
        """The form's first offer: the next day that expects work (tomorrow at the latest
        a fortnight on)."""
        start = self.source.context.today() + timedelta(days=1)
        days = [start + timedelta(days=n) for n in range(14)]
        plans = self.source.plans(days)
        return next((d for d in days if plans[d].capacity), start)

    def _mine_chosen(self) -> None:
        self.withdraw_button.setEnabled(self._withdrawable(self._chosen(self.mine)))

    # --- changes ------------------------------------------------------------------------------

    def new_request(self) -> None:
        self.tabs.setCurrentWidget(self.form)
        self.form.policy.setFocus()

    def send(self, draft: RequestDraft) -> None:
        """Send the form's request from the worker (Send is off until it answers)."""
        problem = self.form.problem()
        if problem is not None:
            self._say(problem, tone="error")
            return
        self.form.send_button.setEnabled(False)
        self.resend_button.setVisible(False)
        self._say("Sending your request to Clockify…", tone="muted")
        self.source.send(draft, lambda result: self._sent(draft, result))

    def send_waiting(self) -> None:
        if self.waiting is not None:
            self.form.show_draft(self.waiting)
            self.send(self.waiting)

    def _sent(self, draft: RequestDraft, result: object) -> None:
        self.form.send_button.setEnabled(True)
        if isinstance(result, RequestView):
            self.waiting = None
            self.form.clear_after_send()
            state = STATES.get(result.status, result.status).lower()
            asked = dates_text(result.first, result.last)
            self._say(f"Asked for {result.policy}, {asked}: {state}.")
            self.tabs.setCurrentIndex(0)
            self._after_change()
            return
        if offline(result):
            self.waiting = draft
            self._say(
                "Clockify cannot be reached, so nothing was sent; your request stays here and "
                "is offered again when you are online.",
                tone="error",
            )
            self.resend_button.setVisible(self._online)
            return
        self.waiting = draft  # unclear or refused: the form still holds it, to fix or resend
        self._say(problem_of(result), tone="error")
        self.resend_button.setVisible(isinstance(result, TimeOffUnclear))  # looked for first

    def set_sync_status(self, status: SyncStatus) -> None:
        """The worker reached Clockify again: offer the kept request."""
        self._online = status.state not in (SyncPhase.OFFLINE, SyncPhase.LOCAL)
        if self.waiting is None:
            return
        self.resend_button.setVisible(self._online)
        if self._online:
            draft = self.waiting
            self._say(
                "You are online again: send your kept request for "
                f"{dates_text(draft.first, draft.last)}?"
            )

    def withdraw_chosen(self) -> None:
        item = self._chosen(self.mine)
        if not self._withdrawable(item) or self.tabs.currentIndex() != 0:
            return
        assert item is not None
        question = f"Withdraw your {item.policy} request for {dates_text(item.first, item.last)}?"
        if not self.confirm(question, "Withdraw"):
            return
        self.withdraw_button.setEnabled(False)
        self._say("Withdrawing…", tone="muted")
        self.source.withdraw(item.id, lambda result: self._changed(result, "Withdrawn"))

    def confirm(self, question: str, action: str) -> bool:
        """Ask ``question``; Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, "Time off", question, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.exec()
        return box.clickedButton() is go

    def decide(self, *, approve: bool) -> None:
        """Approve or reject the chosen request waiting for one's approval."""
        item = self._chosen(self.team)
        if item is None or not self.tabs.isTabVisible(2):
            return
        self.tabs.setCurrentIndex(2)
        note = self.decision_note.text().strip()
        if not approve and not note:
            self._say("Write a note saying why before rejecting.", tone="error")
            self.decision_note.setFocus()
            return
        self.approve_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        verb = "Approved" if approve else "Rejected"
        self._say("Sending your decision to Clockify…", tone="muted")
        self.source.decide(
            item.id,
            approve=approve,
            note=note,
            done=lambda result: self._decided(item, result, verb),
        )

    def _decided(self, item: RequestView, result: object, verb: str) -> None:
        if isinstance(result, RequestView) and self.snapshot is not None:
            self.decision_note.clear()
            team = [r for r in self.snapshot.team or [] if r.id != item.id]
            self.snapshot = with_team(self.snapshot, team)
            self._show_team(team)
        self._changed(result, verb, who=item.user)

    def _changed(self, result: object, verb: str, *, who: str = "") -> None:
        self._mine_chosen()
        if not isinstance(result, RequestView):
            self._say(problem_of(result), tone="error")
            self._show_team(self.snapshot.team if self.snapshot else None)
            return
        whose = f"{who}'s " if who else ""
        self._say(f"{verb}: {whose}{result.policy}, {dates_text(result.first, result.last)}.")
        self._after_change()

    def _after_change(self) -> None:
        """Read again what the change made stale (the service dropped it: a request or two)."""
        self._busy = True
        self.refresh_button.setEnabled(False)

        def fetched(result: object) -> None:
            self._busy = False
            self.refresh_button.setEnabled(True)
            if isinstance(result, Snapshot) and self.snapshot is not None:
                self._show(keep_team(result, self.snapshot))
            else:
                self._show(keep_team(self.source.kept(), self.snapshot))

        self.source.fetch(fetched, refresh=False)

    def state(self) -> dict[str, object]:
        """What the window shows, in counts only (for diagnostics and desktop tests)."""
        snapshot = self.snapshot
        return {
            "requests": len(snapshot.requests) if snapshot else 0,
            "pending": sum(r.status == "PENDING" for r in snapshot.requests) if snapshot else 0,
            "approved": sum(r.status == "APPROVED" for r in snapshot.requests) if snapshot else 0,
            "to_approve": self.team.topLevelItemCount() if self.tabs.isTabVisible(2) else 0,
            "tab": self.tabs.currentIndex(),
            "busy": self._busy or not self.form.send_button.isEnabled(),
            "waiting": self.waiting is not None,
        }

    # --- events -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
