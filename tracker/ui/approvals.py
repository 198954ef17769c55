"""The Approvals window: my periods and where they stand, with the one action each allows
(Submit, Withdraw, Submit again), and, for those who decide, the team's pending periods to
approve or reject with a note.

Server-first like the Reports window: it opens at once from the kept copy with "as of HH:MM"
and refreshes on the sync worker (:mod:`tracker.ui.approvals_online`) when the copy is older
than a few minutes; on a Free workspace it says what a refresh costs and waits for Refresh.
Opening a request (Enter, double-click) shows that person's period as a read-only grid of
days and projects from Clockify's summary report (the approval list itself only carries
totals). A write is sent once: its buttons stay disabled until the answer; when Clockify
cannot be reached nothing was sent, the note stays in its field, and "Try again" is offered
as soon as the sync worker reaches Clockify again. Server text is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.channel import SyncChannel
from tracker.bridge.controller import Controller
from tracker.bridge.status import SyncPhase, SyncStatus
from tracker.domain.approval_periods import Period
from tracker.services.approval_locks import KeptApprovals, KeptRequest
from tracker.services.approvals import ApprovalOffline, Decision
from tracker.services.changes import Changes, Origin
from tracker.services.reports import Report
from tracker.store.report_cache import FRESH_SECONDS
from tracker.ui import text
from tracker.ui.appearance import set_tone
from tracker.ui.approvals_grid import (
    CLOCKIFY_TOTAL,
    LOCAL_TOTAL,
    STATES,
    detail_title,
    fill_grid,
    list_table,
    plain_cell,
)
from tracker.ui.approvals_online import ClockifyApprovals, Fetched, approved_days
from tracker.ui.week_model import hours

__all__ = ["ApprovalsWindow", "approvals_window"]

REFRESH_COST = 2
"""Requests a refresh sends: my periods and the team's pending ones (a page each)."""
OFFLINE_PHASES = (SyncPhase.OFFLINE, SyncPhase.LOCAL, SyncPhase.AUTH)


class ApprovalsWindow(QWidget):
    """My approval periods and the team's pending ones."""

    def __init__(
        self, controller: Controller, online: ClockifyApprovals, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.online = online
        self.setWindowTitle("Approvals")
        self.setMinimumSize(QSize(520, 340))
        self.resize(820, 600)
        self._mine: KeptApprovals | None = None
        self._team: tuple[KeptRequest, ...] = ()
        self.periods: list[Period] = []
        """The periods "My time" lists, newest first."""
        self.busy = False
        """A write or a refresh is on the worker: the buttons wait for its answer."""
        self._retry: Callable[[], None] | None = None
        """The write Clockify could not be reached for, offered again once it can."""
        self._shown: KeptRequest | None = None
        self._build()
        self._keys()

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 8)
        outer.setSpacing(6)
        header = QHBoxLayout()
        title = QLabel("Timesheet approvals", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        header.addWidget(title, 1)
        self.as_of = QLabel(self)
        self.as_of.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.as_of, "muted")
        header.addWidget(self.as_of)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(lambda: self.refresh(ask=True))
        header.addWidget(self.refresh_button)
        outer.addLayout(header)

        self.tabs = QTabWidget(self)
        self._build_mine()
        self._build_team()
        self.tabs.currentChanged.connect(lambda _index: self._show_selected_detail())
        outer.addWidget(self.tabs, 3)
        self._build_bottom(outer)

    def _build_mine(self) -> None:
        self.mine_table = list_table(["Period", "State", "Tracked", "Note"], self)
        self.mine_table.itemSelectionChanged.connect(self._mine_selected)
        self.mine_table.itemActivated.connect(lambda _item: self.open_selected())
        self.action_button = QPushButton("Submit", self)
        self.action_button.clicked.connect(self.act_on_mine)
        mine = QWidget(self)
        box = QVBoxLayout(mine)
        box.addWidget(self.mine_table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.action_button)
        box.addLayout(row)
        self.tabs.addTab(mine, "&My time")

    def _build_team(self) -> None:

        self.team_table = list_table(["Person", "Period", "Tracked"], self)
        self.team_table.itemSelectionChanged.connect(self._team_selected)
        self.team_table.itemActivated.connect(lambda _item: self.open_selected())
        self.team_note = QLabel(self)
        self.team_note.setTextFormat(Qt.TextFormat.PlainText)
        self.team_note.setWordWrap(True)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Note for them (needed to reject)")
        self.note.setMaxLength(3000)
        self.note_label = QLabel("&Note:", self)
        self.note_label.setBuddy(self.note)
        self.approve_button = QPushButton("&Approve", self)
        self.approve_button.clicked.connect(lambda: self.decide("APPROVED"))
        self.reject_button = QPushButton("&Reject", self)
        self.reject_button.clicked.connect(lambda: self.decide("REJECTED"))
        team = QWidget(self)
        box = QVBoxLayout(team)
        box.addWidget(self.team_note)
        box.addWidget(self.team_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.note_label)
        row.addWidget(self.note, 1)
        row.addWidget(self.approve_button)
        row.addWidget(self.reject_button)
        box.addLayout(row)
        self.tabs.addTab(team, "&To approve")

    def _build_bottom(self, outer: QVBoxLayout) -> None:

        self.detail_title = QLabel(self)
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        self.detail = QTableWidget(0, 0, self)
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.setTabKeyNavigation(False)
        self.detail.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        outer.addWidget(self.detail_title)
        outer.addWidget(self.detail, 2)

        bottom = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        bottom.addWidget(self.status_label, 1)
        self.retry_button = QPushButton("Try again", self)
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(self.try_again)
        bottom.addWidget(self.retry_button)
        outer.addLayout(bottom)
        self.setTabOrder(self.mine_table, self.action_button)
        self.setTabOrder(self.team_table, self.note)
        self.setTabOrder(self.note, self.approve_button)
        self.setTabOrder(self.approve_button, self.reject_button)

    def _keys(self) -> None:
        for keys, slot in (
            ("F5", lambda: self.refresh(ask=True)),
            ("Ctrl+Return", self._on_current_tab),
            ("Escape", self.close),
        ):
            made = QAction(self)
            made.setShortcut(QKeySequence(keys))
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
        self.refresh_button.setText("Refresh (F5)")
        self.approve_button.setToolTip(text.tooltip("Approve (Alt+A, or Ctrl+Enter)"))
        self.reject_button.setToolTip(text.tooltip("Reject with the note (Alt+R)"))
        self.action_button.setToolTip(text.tooltip("The action this period allows (Ctrl+Enter)"))

    # --- reading ------------------------------------------------------------------------------

    def refresh(self, *, ask: bool = False) -> None:
        """Show the kept copy, and fetch from Clockify when it is old (``ask``: now)."""
        if not self.online.connected():
            self._say("Approvals live on Clockify: connect your account in Settings first.")
            self.refresh_button.setEnabled(False)
            self._show_mine(None)
            return
        local = self.online.local
        kept = local.kept()
        team = local.kept_team()
        self._show_mine(kept)
        self._show_team(team.requests if team is not None else (), refused=None)
        if kept is not None:
            self.as_of.setText(f"as of {self._clock(kept)}")
        moment = self.controller.tracker.context.clock().timestamp()
        fresh = kept is not None and 0 <= moment - kept.as_of.timestamp() < FRESH_SECONDS
        if self.busy or (fresh and not ask):
            return
        if not ask and self.online.free_plan():
            self.refresh_button.setText(f"Refresh (F5, costs {REFRESH_COST} requests)")
            self._say(
                f"Refreshing costs {REFRESH_COST} requests of the 30 an hour your Free "
                "workspace allows; press Refresh to fetch."
            )
            return
        self._start("Fetching from Clockify…")
        self.online.fetch(self._fetched)

    def _fetched(self, result: object) -> None:
        self._start()
        if isinstance(result, Fetched):
            self._show_mine(result.mine)
            self.as_of.setText(f"as of {self._clock(result.mine)}")
            self._show_team(result.team or (), refused=result.refused)
            return
        self._failed(result, "Showing what was fetched before.")

    def _clock(self, kept: KeptApprovals) -> str:
        return text.local_time(kept.as_of, self.controller.zone())

    def _show_mine(self, kept: KeptApprovals | None) -> None:
        before, self._mine = self._mine, kept
        moved = frozenset(approved_days(before) ^ approved_days(kept) if before else ())
        if moved:  # the today window and the timesheet show those days (un)locked now
            self.controller.refresh(Changes(entries=True, days=moved, origin=Origin.SYNC))
        self.periods = self.online.periods() if self.online.connected() else []
        chosen = self._chosen_period()
        table = self.mine_table
        table.setRowCount(len(self.periods))
        for row, period in enumerate(self.periods):
            request = kept.for_period(period) if kept is not None else None
            state = STATES.get(request.state if request else None, "closed")
            if request is not None and request.decided_by and request.state != "PENDING":
                state = f"{state} by {request.decided_by}"
            seconds = request.tracked_seconds if request else self.online.local_total(period)
            note = request.note if request else ""
            counted = LOCAL_TOTAL if request is None else CLOCKIFY_TOTAL
            table.setItem(row, 0, plain_cell(period.label()))
            table.setItem(row, 1, plain_cell(state))
            table.setItem(row, 2, plain_cell(hours(seconds) or "0:00", counted))
            table.setItem(row, 3, plain_cell(note, note or None))
            if period.first == chosen:
                table.selectRow(row)
        if table.currentRow() < 0 and self.periods:
            table.selectRow(min(1, len(self.periods) - 1))  # last period: the one to submit
        self._mine_selected()

    def _show_team(self, requests: tuple[KeptRequest, ...], *, refused: str | None) -> None:
        decides = self.online.decides()
        self.tabs.setTabVisible(1, decides is not False or bool(requests))
        requests = tuple(sorted(requests, key=lambda r: r.period.first, reverse=True))
        self._team = requests
        table = self.team_table
        chosen = self.team_request()
        table.setRowCount(len(requests))
        for row, request in enumerate(requests):
            table.setItem(row, 0, plain_cell(request.owner_name or "someone"))
            table.setItem(row, 1, plain_cell(request.period.label()))
            table.setItem(row, 2, plain_cell(hours(request.tracked_seconds) or "0:00"))
            if chosen is not None and request.id == chosen.id:
                table.selectRow(row)
        if table.currentRow() < 0 and requests:
            table.selectRow(0)
        if refused:
            self.team_note.setText(f"You cannot approve time here: {refused}")
        elif not requests:
            self.team_note.setText("Nothing waits for your decision.")
        else:
            self.team_note.setText(f"{len(requests)} waiting for your decision.")
        table.setVisible(bool(requests))
        self._team_selected()

    # --- selection and detail -----------------------------------------------------------------

    def _chosen_period(self) -> date | None:
        row = self.mine_table.currentRow()
        return self.periods[row].first if 0 <= row < len(self.periods) else None

    def _my_request(self) -> KeptRequest | None:
        row = self.mine_table.currentRow()
        if not 0 <= row < len(self.periods) or self._mine is None:
            return None
        return self._mine.for_period(self.periods[row])

    def team_request(self) -> KeptRequest | None:
        """The selected request of "To approve"."""
        row = self.team_table.currentRow()
        return self._team[row] if 0 <= row < len(self._team) else None

    def _mine_selected(self) -> None:
        request = self._my_request()
        state = request.state if request is not None else None
        label = {
            None: "Submit",
            "WITHDRAWN_SUBMISSION": "Submit",
            "PENDING": "Withdraw",
            "REJECTED": "Submit again",
            "WITHDRAWN_APPROVAL": "Submit again",
        }.get(state, "Approved")
        self.action_button.setText(label)
        self._enable()
        self._show_selected_detail()

    def _team_selected(self) -> None:
        request = self.team_request()
        if request is not None:
            self.note.setText(self.online.local.kept_note(request.id) or self.note.text())
        self._enable()
        self._show_selected_detail()

    def _enable(self) -> None:
        free = not self.busy
        self.action_button.setEnabled(
            free and self._chosen_period() is not None and self.action_button.text() != "Approved"
        )
        chosen = free and self.team_request() is not None
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)
        self.refresh_button.setEnabled(not self.busy and self.online.connected())

    def _selected(self) -> KeptRequest | None:
        if self.tabs.currentIndex() == 1:
            return self.team_request()
        request = self._my_request()
        first = self._chosen_period()
        if request is None and first is not None:
            period = next(p for p in self.periods if p.first == first)
            me = self.online.me() or ""
            return KeptRequest("", me, "", period, "")
        return request

    def _show_selected_detail(self) -> None:
        """The selected period's grid as kept (no request)."""
        request = self._selected()
        self._shown = request
        if request is None:
            self.detail_title.setText("")
            self._grid(None, None)
            return
        kept = self.online.kept_detail(request)
        self._grid(request, kept)

    def open_selected(self) -> None:
        """Fetch the selected period's time by day and project (one request)."""
        request = self._selected()
        if request is None or not self.online.connected():
            return
        self._show_selected_detail()
        self.detail_title.setText(f"{self.detail_title.text()}  Fetching…".strip())

        def done(result: object) -> None:
            if self._shown != request:
                return
            if isinstance(result, Report):
                self._grid(request, result)
            else:
                self._failed(result, "")
                self._grid(request, self.online.kept_detail(request))

        self.online.detail(request, done)

    def _grid(self, request: KeptRequest | None, report: Report | None) -> None:
        self.detail_title.setText(
            detail_title(request, report, self.controller.zone()) if request else ""
        )
        fill_grid(self.detail, request, report)

    # --- writing ------------------------------------------------------------------------------

    def act_on_mine(self) -> None:
        """The action the selected period's state allows: Submit, Withdraw, Submit again."""
        first = self._chosen_period()
        if first is None or self.busy or not self.action_button.isEnabled():
            return
        period = next(p for p in self.periods if p.first == first)
        withdraw = self.action_button.text() == "Withdraw"

        def send() -> None:
            verb = "Withdrawing" if withdraw else "Submitting"
            self._start(f"{verb} {period.label()}…")
            call = self.online.withdraw if withdraw else self.online.submit
            call(period, lambda result: self._written(result, send))

        send()

    def decide(self, state: str) -> None:
        """Approve or reject the selected request; a rejection needs a note."""
        request = self.team_request()
        if request is None or self.busy:
            return
        note = self.note.text().strip()
        if state == "REJECTED" and not note:
            set_tone(self.status_label, "error")
            self.status_label.setText("Say what to fix in the note: it goes to them.")
            self.note.setFocus()
            return

        def send() -> None:
            verb = "Approving" if state == "APPROVED" else "Rejecting"
            self._start(f"{verb} {request.owner_name or 'their'} {request.period.label()}…")
            decision: Decision = "APPROVED" if state == "APPROVED" else "REJECTED"
            self.online.decide(
                request.id, decision, note or None, lambda r: self._written(r, send, note=True)
            )

        send()

    def _written(self, result: object, again: Callable[[], None], *, note: bool = False) -> None:
        self._start()
        if isinstance(result, KeptRequest):
            who = f"{result.owner_name}'s " if note and result.owner_name else ""
            self._say(f"{who}{result.period.label()}: {STATES.get(result.state, 'done')}.")
            if note:
                self.note.clear()
                self._team = tuple(r for r in self._team if r.id != result.id)
                self._show_team(self._team, refused=None)
            self._show_mine(self.online.local.kept())
            return
        if isinstance(result, ApprovalOffline):
            self._retry = again
            self.retry_button.setVisible(True)
            kept = " Your note stays here." if note and self.note.text() else ""
            self._failed(result, f"Try again when Clockify can be reached.{kept}")
            return
        self._failed(result, "")

    def try_again(self) -> None:
        """Send again the write Clockify could not be reached for."""
        again, self._retry = self._retry, None
        self.retry_button.setVisible(False)
        if again is not None and not self.busy:
            again()

    def set_sync_status(self, status: SyncStatus) -> None:
        """The worker's word: once Clockify answers again, a write that could not go is
        offered again."""
        if self._retry is None or status.state in OFFLINE_PHASES:
            return
        self._say("Clockify can be reached again: press Try again to send it.")

    # --- helpers ------------------------------------------------------------------------------

    def _on_current_tab(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.decide("APPROVED")
        else:
            self.act_on_mine()

    def _start(self, message: str | None = None) -> None:
        """A request left (``message`` says which), or its answer came (``None``)."""
        self.busy = message is not None
        self._say(message or "")
        self._enable()

    def _failed(self, result: object, after: str) -> None:
        problem = getattr(result, "message", None) or str(result)
        set_tone(self.status_label, "error")
        self.status_label.setText(f"{problem} {after}".strip())

    def _say(self, message: str) -> None:
        set_tone(self.status_label, "text")
        self.status_label.setText(message)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.refresh)


def approvals_window(controller: Controller, channel: Callable[[], SyncChannel]) -> ApprovalsWindow:
    """The window over the controller's store, with requests on the worker's ``channel``."""
    online = ClockifyApprovals(controller.tracker.context, channel)
    return ApprovalsWindow(controller, online)
