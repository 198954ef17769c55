"""The Audit log page of the Workspace window: who created, changed or deleted what, and when.

The form beside the table sets what Clockify is asked for (a period, authors, an action);
Read (F5) asks it through the sync worker, 50 events a request, with a progress bar and a
Cancel button; the filter box then narrows what was read without a request. Export CSV… and
Export JSON… read the same way and write the file whole (a cancel writes nothing; a read
that stopped early writes what it read and says why). Nothing is read before the person
asks: the audit log can be long, and on an hourly budget its cost is said on the button.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.services.admin_base import AdminError, AdminOffline
from tracker.services.audit import (
    ACTIONS,
    AuditLog,
    AuditQuery,
    AuditRead,
    author,
    subject,
    write_file,
)
from tracker.services.context import Context
from tracker.services.exports import ExportError
from tracker.store import Store
from tracker.ui.admin_page import AdminPage, PageContext, problem_of
from tracker.ui.rows_model import Row

if TYPE_CHECKING:
    from tracker.api import ClockifyClient

__all__ = ["AuditPage"]

DEFAULT_DAYS = 7


class _Progress(QObject):
    """Carries ``(requests, events)`` from the worker thread to the GUI thread."""

    moved = Signal(int, int)


class AuditPage(AdminPage):
    """The audit log, read on request."""

    title = "Audit log"
    headers = ("When", "Action", "Author", "About")
    object_name = "auditPage"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        self.found: AuditRead | None = None
        self._cancel = threading.Event()
        self.progress_events = _Progress()
        super().__init__(context, parent)
        self._rows()
        self.progress_events.moved.connect(self._progressed)
        self.as_of.setText("not read yet")
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first, as read
        self.refresh_button.setText("Read")
        self.refresh_button.setToolTip("Ask Clockify for the audit log (F5)")
        service = AuditLog(context.service_context())
        said = service.refusal()
        if said is not None:
            self.say(said, "muted")
        if service.estimate().free_plan:
            self.cost.setText(service.estimate().sentence())

    # --- the form --------------------------------------------------------------------------

    def build_side(self) -> None:
        """No side form: what to ask for sits in one row above the table and the exports in
        one row under it, so the table keeps the width (at scale 2 too)."""
        today = self.context.clock().astimezone(self._zone()).date()
        self.from_edit = _date_edit(today - timedelta(days=DEFAULT_DAYS - 1))
        self.to_edit = _date_edit(today)
        self.author_edit = QLineEdit()
        self.author_edit.setPlaceholderText("everyone; or names, me, system")
        self.author_edit.setToolTip("Comma-separated: a person's name or id, me, or system")
        self.action_box = QComboBox()
        self.action_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.action_box.setMinimumContentsLength(16)
        self.action_box.addItem("All actions", "")
        for action in ACTIONS:
            self.action_box.addItem(_spoken(action), action)
        self.cost = QLabel("")
        self.cost.setWordWrap(True)
        self.csv_button = QPushButton("Export CSV…")
        self.json_button = QPushButton("Export JSON…")
        self.csv_button.clicked.connect(lambda: self.choose_export("csv"))
        self.json_button.clicked.connect(lambda: self.choose_export("json"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)

    def _rows(self) -> None:
        """Place the form above the table and the exports under it."""
        outer = self.layout()
        if not isinstance(outer, QVBoxLayout):
            return
        # two short rows, not one long one: at scale 2 the page is about 460 px wide
        asks = QGridLayout()
        placed = (
            ("From:", self.from_edit, 0, 0),
            ("To:", self.to_edit, 0, 2),
            ("Action:", self.action_box, 1, 0),
            ("Author:", self.author_edit, 1, 2),
        )
        for label, field, row, column in placed:
            caption = QLabel(label)
            caption.setBuddy(field)
            asks.addWidget(caption, row, column)
            asks.addWidget(field, row, column + 1)
        asks.setColumnStretch(3, 1)
        outer.insertLayout(outer.indexOf(self.search), asks)
        under = QHBoxLayout()
        under.addWidget(self.cost, 1)
        under.addWidget(self.progress, 1)
        under.addWidget(self.cancel_button)
        under.addWidget(self.csv_button)
        under.addWidget(self.json_button)
        outer.addLayout(under)

    def _zone(self) -> tzinfo:
        """The profile's zone, in which days and times are shown (as everywhere else)."""
        return self.context.service_context().zone()

    def query(self) -> tuple[AuditQuery, tuple[str, ...]]:
        """What the form asks for, and the authors as typed (resolved on the worker)."""
        first, last = _day(self.from_edit), _day(self.to_edit)
        if last < first:
            raise AdminError("The period ends before it starts.")
        zone = self.context.service_context().zone()
        start = datetime.combine(first, time.min, zone).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
        action = self.action_box.currentData()
        authors = tuple(a.strip() for a in self.author_edit.text().split(",") if a.strip())
        query = AuditQuery(start, end - timedelta(seconds=1), actions=(action,) if action else ())
        return query, authors

    # --- reading ---------------------------------------------------------------------------

    def shown(self) -> None:
        """Nothing is read until asked (the log can be long); the keys go to the table."""
        if not self.search.hasFocus():
            self.table.setFocus()

    def refresh(self, *, force: bool = False) -> None:
        if force:
            self.read(self.show_found)

    def read(self, then: Callable[[AuditRead], None]) -> None:
        """Read the log the form asks for, with the progress bar; ``then(found)`` after."""
        if self.busy:
            return
        try:
            query, names = self.query()
        except AdminError as exc:
            self.say(exc.message)
            return
        clock = self.context.clock
        cancel, progress = self._cancel, self.progress_events
        cancel.clear()

        async def work(store: Store, api: ClockifyClient) -> AuditRead:
            service = AuditLog(Context(store, clock), api)
            authors = await service.author_ids(names)
            asked = AuditQuery(query.start, query.end, authors, query.actions)
            return await service.read(asked, progress=progress.moved.emit, cancelled=cancel.is_set)

        def done(result: Any) -> None:
            self.busy = False
            self.refresh_button.setEnabled(True)
            self._working(False)
            if isinstance(result, AuditRead):
                self.say("")
                then(result)
            elif isinstance(result, BaseException):
                offline = isinstance(result, AdminOffline | LookupError | RuntimeError)
                self.say(problem_of(result), "muted" if offline else "error")

        self.busy = True
        self.refresh_button.setEnabled(False)
        self._working(True)
        handle = self.context.run(work, done)
        if handle is not None:
            handle.only_reads()  # quitting cancels it rather than waiting for it

    def cancel(self) -> None:
        """Stop after the page being read (what was read is kept)."""
        self._cancel.set()
        self.cancel_button.setEnabled(False)

    def cancel_reading(self) -> bool:
        """Esc while the log is read stops it as Cancel does (the window stays open)."""
        if not self.busy or self._cancel.is_set():
            return False
        self.cancel()
        return True

    def _working(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.cancel_button.setVisible(on)
        self.cancel_button.setEnabled(on)
        self.csv_button.setEnabled(not on)
        self.json_button.setEnabled(not on)
        if on:
            self.progress.setRange(0, 0)
            self.progress.setFormat("Asking Clockify…")

    def _progressed(self, requests: int, events: int) -> None:
        self.progress.setRange(0, 0)
        plural = "" if requests == 1 else "s"
        self.progress.setFormat(f"{events} events ({requests} request{plural})")

    def show_found(self, found: AuditRead) -> None:
        """Show what a read found, and why it stopped early if it did."""
        self.found = found
        zone = self.context.service_context().zone()
        rows = [
            Row(
                (
                    e.timestamp.astimezone(zone).strftime("%Y-%m-%d %H:%M") if e.timestamp else "",
                    _spoken(e.action),
                    author(e),
                    subject(e),
                ),
                key=str(number),
                item=e,
                haystack=" ".join((e.action, author(e), e.content or "", e.previous_content or "")),
            )
            for number, e in enumerate(found.events)
        ]
        self.show_rows(rows)
        for number in range(len(self.headers) - 1):
            self.table.resizeColumnToContents(number)
        now = self.context.clock().astimezone(zone)
        plural = "" if len(found.events) == 1 else "s"
        self.as_of.setText(f"{len(found.events)} event{plural}, read at {now:%H:%M}")
        if found.stopped:
            self.say(found.stopped, "warning")
        elif not found.events:
            self.say("No audit events in that period.", "muted")

    # --- exporting -------------------------------------------------------------------------

    def choose_export(self, fmt: str) -> None:
        """Ask where to write, then :meth:`export_to`."""
        name, _selected = QFileDialog.getSaveFileName(
            self, "Export the audit log", f"audit-log.{fmt}", f"{fmt.upper()} (*.{fmt})"
        )
        if name:
            self.export_to(Path(name), fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Read the log the form asks for and write it to ``path`` whole; a cancel writes
        nothing."""

        def write(found: AuditRead) -> None:
            self.show_found(found)
            if found.stopped and self._cancel.is_set():
                self.say("Export cancelled; nothing was written.", "muted")
                return
            try:
                count = write_file(path, found, fmt)
            except ExportError as exc:
                self.say(str(exc))
                return
            note = f" ({found.stopped})" if found.stopped else ""
            self.say(f"Wrote {count} events to {path.name}.{note}", "muted")

        self.read(write)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def _spoken(action: str) -> str:
    """``UPDATE_TIME_PERSONAL`` as "Update time personal"."""
    return action.replace("_", " ").capitalize()
