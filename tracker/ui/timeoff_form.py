"""The time-off request form (policy, first and last day, a half day or hours where the
policy allows them, a note, and what it will cost before it is sent), and the texts and lists
the time-off window shows.

The cost is counted from what is kept of Clockify (the member profile's working days and
capacity, the holidays), the way Clockify counts it, so nothing is asked to show it; Clockify
has the last word when the request is made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QWidget,
)

from tracker.domain.workdays import DayPlan
from tracker.services.timeoff import RequestDraft
from tracker.services.timeoff_kept import BalanceView, PolicyView, RequestView

__all__ = [
    "STATES",
    "RequestForm",
    "amount_text",
    "dates_text",
    "list_tree",
    "request_amount",
    "request_cost",
]

STATES = {"PENDING": "Pending", "APPROVED": "Approved", "REJECTED": "Rejected"}
"""A request's state, for people."""

Plans = Callable[[Sequence[date]], dict[date, DayPlan]]

LONGEST = 366
"""Days a request may span here (the cost is counted day by day)."""


def amount_text(value: float, unit: str) -> str:
    """``2 days``, ``1 day``, ``0.5 days``, ``3 h``."""
    shown = f"{value:g}"
    if unit == "HOURS":
        return f"{shown} h"
    return f"{shown} day" if value == 1 else f"{shown} days"


def dates_text(first: date, last: date) -> str:
    """``Mon 21 Dec 2026``, or a span of days."""
    if first == last:
        return f"{first:%a} {first.day} {first:%b %Y}"
    if first.year == last.year:
        return f"{first:%a} {first.day} {first:%b} \u2013 {last:%a} {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} \u2013 {last.day} {last:%b %Y}"


def request_amount(item: RequestView) -> str:
    """What a request takes, as its list shows it."""
    shown = amount_text(item.amount, item.unit)
    return f"{shown} (half day)" if item.half_day else shown


def list_tree(name: str, headers: list[str]) -> QTreeWidget:
    """A flat, single-selection list with columns (the window's lists)."""
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setAlternatingRowColors(True)
    return tree


def request_cost(draft: RequestDraft, unit: str, plans: Plans) -> float:
    """What ``draft`` takes from the balance, counted as Clockify counts it: the working days
    of its period less holidays, half of one for a half day; on an hourly policy its hours,
    or the daily capacity of each of those days."""
    if draft.hours is not None:
        return draft.hours
    span = (draft.last - draft.first).days + 1
    days = [draft.first + timedelta(days=n) for n in range(max(0, min(span, LONGEST)))]
    worked = [p for p in plans(days).values() if p.working and p.holiday is None]
    if unit == "HOURS":
        return round(sum(p.base_capacity for p in worked) / 3600, 2)
    if draft.half_day:
        return 0.5 if worked else 0.0
    return float(len(worked))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> date:
    found = edit.date().toPython()
    assert isinstance(found, date)
    return found


class RequestForm(QWidget):
    """Asks for time off; ``send_asked(draft)`` when Send (or Enter) is pressed.

    Args:
        plans: the kept day plans, to count the cost before sending.
    """

    send_asked = Signal(object)

    def __init__(self, plans: Plans, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plans = plans
        self._balances: dict[str, BalanceView] = {}
        self.policy = QComboBox(self)
        self.policy.setAccessibleName("Policy")
        self.first = QDateEdit(self)
        self.last = QDateEdit(self)
        for edit, name in ((self.first, "First day"), (self.last, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd yyyy-MM-dd")
            edit.setAccessibleName(name)
        self.half_day = QCheckBox("Half day", self)
        self.hours = QDoubleSpinBox(self)
        self.hours.setAccessibleName("Hours")
        self.hours.setRange(0, 24)
        self.hours.setSingleStep(0.5)
        self.hours.setDecimals(1)
        self.hours.setSpecialValueText("whole days")
        self.hours.setSuffix(" h")
        self.note = QLineEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("A note for whoever approves it (optional)")
        self.cost = QLabel(self)
        self.cost.setTextFormat(Qt.TextFormat.PlainText)
        self.cost.setObjectName("timeOffCost")
        self.send_button = QPushButton("Send request", self)
        self.send_button.setObjectName("timeOffSend")
        self.send_button.setDefault(True)
        self.send_button.setToolTip("Send the request to Clockify (Enter)")
        layout = QFormLayout(self)
        layout.addRow("&Policy", self.policy)
        layout.addRow("&From", self.first)
        layout.addRow("&To", self.last)
        layout.addRow("", self.half_day)
        layout.addRow("&Hours", self.hours)
        layout.addRow("N&ote", self.note)
        row = QHBoxLayout()
        row.addWidget(self.cost, 1)
        row.addWidget(self.send_button)
        layout.addRow(row)
        self._hours_label = layout.labelForField(self.hours)
        self.policy.currentIndexChanged.connect(self._update)
        self.first.dateChanged.connect(self._first_changed)
        self.last.dateChanged.connect(self._update)
        self.half_day.toggled.connect(self._update)
        self.hours.valueChanged.connect(self._update)
        self.note.returnPressed.connect(self.ask_send)
        self.send_button.clicked.connect(self.ask_send)

    def set_choices(self, policies: list[PolicyView], balances: list[BalanceView]) -> None:
        """The policies one may ask on (archived ones are left out), keeping the choice."""
        self._balances = {b.policy_id: b for b in balances}
        chosen = self.policy.currentData()
        chosen_id = chosen.id if isinstance(chosen, PolicyView) else None
        self.policy.blockSignals(True)
        self.policy.clear()
        for item in policies:
            if not item.archived:
                self.policy.addItem(item.name, item)
        found = [i for i in range(self.policy.count()) if self.policy.itemData(i).id == chosen_id]
        self.policy.setCurrentIndex(found[0] if found else 0)
        self.policy.blockSignals(False)
        self._update()

    def start_on(self, day: date) -> None:
        """Offer ``day`` as the first and last day (the next working day, say)."""
        self.first.setDate(_qdate(day))
        self.last.setDate(_qdate(day))

    def chosen(self) -> PolicyView | None:
        found = self.policy.currentData()
        return found if isinstance(found, PolicyView) else None

    def draft(self) -> RequestDraft | None:
        """What the fields ask for (``None`` without a policy)."""
        policy = self.chosen()
        if policy is None:
            return None
        hourly = policy.unit == "HOURS" and self.hours.value() > 0
        return RequestDraft(
            policy.id,
            _day(self.first),
            _day(self.last),
            half_day=self.half_day.isEnabled() and self.half_day.isChecked(),
            hours=round(self.hours.value(), 2) if hourly else None,
            note=self.note.text().strip(),
        )

    def show_draft(self, draft: RequestDraft) -> None:
        """Put a kept request back in the fields (to be sent again)."""
        for i in range(self.policy.count()):
            if self.policy.itemData(i).id == draft.policy_id:
                self.policy.setCurrentIndex(i)
        self.first.setDate(_qdate(draft.first))
        self.last.setDate(_qdate(draft.last))
        self.half_day.setChecked(draft.half_day)
        self.hours.setValue(draft.hours or 0)
        self.note.setText(draft.note)

    def problem(self) -> str | None:
        """Why the fields cannot be sent as they are, or ``None``."""
        draft = self.draft()
        if draft is None:
            return "There is no time-off policy to ask on (Refresh to fetch them)."
        if draft.last < draft.first:
            return "The last day is before the first."
        if (draft.last - draft.first).days >= LONGEST:
            return "Ask for at most a year at a time."
        if draft.hours is not None and draft.first != draft.last:
            return "Hours are asked for on one day: make the last day the first."
        return None

    def ask_send(self) -> None:
        draft = self.draft()
        if draft is not None and self.send_button.isEnabled():
            self.send_asked.emit(draft)

    def clear_after_send(self) -> None:
        self.note.clear()
        self.half_day.setChecked(False)
        self.hours.setValue(0)

    def _first_changed(self) -> None:
        if _day(self.last) < _day(self.first):
            self.last.setDate(self.first.date())
        self._update()

    def _update(self) -> None:
        policy = self.chosen()
        hourly = policy is not None and policy.unit == "HOURS"
        one_day = _day(self.first) == _day(self.last)
        self.half_day.setVisible(policy is not None and policy.half_day and not hourly)
        self.half_day.setEnabled(one_day)
        self.half_day.setToolTip("" if one_day else "A half day is one day only.")
        self.hours.setVisible(hourly)
        if self._hours_label is not None:
            self._hours_label.setVisible(hourly)
        problem = self.problem()
        draft = self.draft()
        if problem is not None or draft is None or policy is None:
            self.cost.setText(problem or "")
            return
        cost = request_cost(draft, policy.unit, self.plans)
        balance = self._balances.get(policy.id)
        text = f"Costs {amount_text(cost, policy.unit)} of {policy.name}"
        if balance is not None:
            left = balance.balance - balance.pending - cost
            text += f"; {amount_text(left, policy.unit)} left after"
        self.cost.setText(text + ".")
