"""The Reports window: where a period's time went, as charts, totals and a table that opens
group by group; and "Export…" to a file, written off the GUI thread.

It shows what its :class:`~tracker.services.reports.ReportSource` knows ("Your entries on
this computer") and says so; with a Clockify account it shows Clockify's report instead: the
kept copy at once with "as of HH:MM", a fetch by the sync worker when the copy is older than
a few minutes (on a Free workspace only when it costs at most a few requests; otherwise
"Refresh (costs N requests)" asks for it), and the local store, labelled, when nothing was
fetched yet or Clockify cannot be reached. "Team" appears only to those allowed to see others'
time. It re-reads when a change touches its period's days
(or the catalog, or the account), and only while visible: a hidden window catches up when
shown. Built on first use, so nothing here loads at start-up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QThread, Signal
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.channel import SyncChannel
from tracker.bridge.controller import Controller
from tracker.services.changes import Changes
from tracker.services.context import Context
from tracker.services.exports import ExportCancelled, ExportError, export, hours_text
from tracker.services.reports import (
    Group,
    LocalReportSource,
    Report,
    ReportError,
    ReportQuery,
    ReportSource,
    amounts_note,
)
from tracker.services.reports import named_period as _named_period
from tracker.services.reports_online import ASK_ABOVE, Access, Person
from tracker.store import Store, StoreError
from tracker.ui.charts import DayBars, ShareBar, hours_label
from tracker.ui.reports_online import ClockifyReports

__all__ = ["PERIOD_CHOICES", "ExportJob", "ExportOrder", "ReportsWindow", "local_reports_window"]

PERIOD_CHOICES = (
    ("This week", "this-week"),
    ("Last week", "last-week"),
    ("This month", "this-month"),
    ("Last month", "last-month"),
    ("Custom…", "custom"),
)
GROUP_CHOICES = (
    ("Project", ("project",)),
    ("Project / Task", ("project", "task")),
    ("Client / Project", ("client", "project")),
    ("Tag", ("tag",)),
    ("Date / Project", ("date", "project")),
    ("Description", ("description",)),
)
BILLABLE_CHOICES = (("Billable and not", None), ("Billable only", True), ("Not billable", False))
EXPORT_FILTERS = "CSV (*.csv);;Excel workbook (*.xlsx);;PDF (*.pdf);;JSON (*.json)"

log = logging.getLogger(__name__)

OpenSource = Callable[[], AbstractContextManager[ReportSource]]
"""Opens a source for another thread (its own store connection) and closes it after."""


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _money(cents: int | None, currency: str | None) -> str:
    if cents is None:
        return "unknown"
    sign, whole = ("-" if cents < 0 else ""), abs(cents)  # a loss is a negative profit
    return f"{sign}{whole // 100}.{whole % 100:02d} {currency or ''}".rstrip()


@dataclass(frozen=True)
class ExportOrder:
    """What to export where: the query, the file, the kind, and the rows' zone and user."""

    query: ReportQuery
    path: Path
    kind: str
    zone: tzinfo
    user: str = ""
    email: str = ""


class ExportJob(QThread):
    """One export on its own thread with its own source; cancellable.

    Signals:
        progressed(int, int): rows written, rows expected (0: unknown).
        finished_with(str): ``""`` when the file was written, else the sentence why not.
    """

    progressed = Signal(int, int)
    finished_with = Signal(str)

    def __init__(
        self, open_source: OpenSource, order: ExportOrder, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._open_source = open_source
        self.order = order
        self._cancel = threading.Event()

    @property
    def path(self) -> Path:
        """The file being written."""
        return self.order.path

    def cancel(self) -> None:
        """Stop at the next row; the file is not written."""
        self._cancel.set()

    def run(self) -> None:
        """Write the file (on this thread)."""
        from tracker.integrations.pdf import write_pdf  # noqa: PLC0415 - only for a PDF

        order = self.order
        message = ""
        try:
            with self._open_source() as source:
                export(
                    source,
                    order.query,
                    order.path,
                    kind=order.kind,
                    zone=order.zone,
                    user=order.user,
                    email=order.email,
                    progress=lambda done, total: self.progressed.emit(done, total or 0),
                    cancelled=self._cancel.is_set,
                    writers={"pdf": write_pdf},
                )
        except ExportCancelled:
            message = "Export cancelled; nothing was written."
        except (ExportError, ReportError) as exc:
            message = exc.message
        except (OSError, StoreError) as exc:
            message = f"Cannot export: {exc}."
        except Exception:  # a bug: said, logged with its traceback, and the window goes on
            log.exception("export to %s failed", order.path)
            message = "The export failed (a bug in tracker; the log has the details)."
        self.finished_with.emit(message)


class ReportsWindow(QWidget):
    """Charts, totals and a drill-down table of a period; filters; "Export…".

    Args:
        controller: today's date, the profile's capacity, and the ``changed`` signal.
        source: where reports come from (read on the GUI thread).
        open_source: a source for the export thread.
    """

    exported = Signal(str)
    """A file was written (its path)."""

    def __init__(
        self,
        controller: Controller,
        source: ReportSource,
        open_source: OpenSource,
        parent: QWidget | None = None,
        *,
        online: ClockifyReports | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.source = source
        self._open_source = open_source
        self.online = online
        self._wanted: tuple[ReportQuery, Person] | None = None
        self._learning = False
        self._stale = True
        self._report: Report | None = None
        self._job: ExportJob | None = None
        self._progress: QProgressDialog | None = None
        self.setWindowTitle("Reports — Clockify tracker")
        self.setObjectName("reportsWindow")
        self.resize(900, 640)
        self._build_filters(controller.today())
        self._build_views()
        self._build_layout()
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.group.currentIndexChanged.connect(self._changed_filters)
        self.billable.currentIndexChanged.connect(self._changed_filters)
        self.project.currentIndexChanged.connect(self._changed_filters)
        self.tag.currentIndexChanged.connect(self._changed_filters)
        self.text_filter.textChanged.connect(self._changed_filters)
        self.export_button.clicked.connect(self._ask_export)
        self.who.currentIndexChanged.connect(self._changed_filters)
        self.refresh_button.clicked.connect(lambda: self.refresh(ask=True))
        controller.changed.connect(self._on_changed)

    def _build_filters(self, today: date) -> None:
        self.source_label = _plain(QLabel(self.source.label))
        self.source_label.setObjectName("reportSource")
        font = self.source_label.font()
        font.setBold(True)
        self.source_label.setFont(font)
        self.as_of = _plain(QLabel(""))
        self.as_of.setObjectName("reportAsOf")
        self.who = QComboBox()
        self.who.setObjectName("reportWho")
        self.who.setAccessibleName("Whose time")
        self.who.addItem("My time", "me")
        self.who.addItem("Team", "all")
        self.who.setVisible(False)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("reportRefresh")
        self.refresh_button.setVisible(False)

        self.period = QComboBox()
        self.period.setObjectName("reportPeriod")
        self.period.setAccessibleName("Period")
        for label, key in PERIOD_CHOICES:
            self.period.addItem(label, key)
        self.start_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.end_edit = QDateEdit(QDate(today.year, today.month, today.day))
        for edit, name in ((self.start_edit, "First day"), (self.end_edit, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setVisible(False)
            edit.dateChanged.connect(self._changed_filters)
        self.group = QComboBox()
        self.group.setAccessibleName("Group by")
        for label, levels in GROUP_CHOICES:
            self.group.addItem(label, levels)
        self.billable = QComboBox()
        self.billable.setAccessibleName("Billable")
        for label, value in BILLABLE_CHOICES:
            self.billable.addItem(label, value)
        self.project = QComboBox()
        self.project.setObjectName("reportProject")
        self.project.setAccessibleName("Project")
        self.tag = QComboBox()
        self.tag.setObjectName("reportTag")
        self.tag.setAccessibleName("Tag")
        self._fill_catalog()
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Description contains…")
        self.text_filter.setAccessibleName("Description contains")
        self.text_filter.setClearButtonEnabled(True)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Export kind")
        for label, key in (("Detailed", "detailed"), ("Summary", "summary"), ("Weekly", "weekly")):
            self.kind.addItem(label, key)
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("reportExport")

    def _build_views(self) -> None:
        self.days = DayBars()
        self.shares = ShareBar()
        self.totals = _plain(QLabel(""))
        self.totals.setObjectName("reportTotals")
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals.setWordWrap(True)  # one line on a wide screen, two at scale 2
        self.message = _plain(QLabel(""))
        self.message.setObjectName("reportMessage")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(["Group", "Time", "Billable", "Amount"])
        self.tree = QTreeView()
        self.tree.setObjectName("reportTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = _plain(QLabel("No entries in this period."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.source_label)
        top.addStretch(1)
        top.addWidget(self.who)
        top.addWidget(self.as_of)
        top.addWidget(self.refresh_button)
        filters = QHBoxLayout()
        for widget in (self.period, self.start_edit, self.end_edit, self.group):
            filters.addWidget(widget)
        filters.addStretch(1)
        narrowing = QHBoxLayout()
        for widget in (self.project, self.tag, self.billable):
            narrowing.addWidget(widget)
        narrowing.addWidget(self.text_filter, 1)
        export_row = QHBoxLayout()
        export_row.addWidget(self.totals, 1)
        export_row.addWidget(self.kind)
        export_row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(narrowing)
        layout.addWidget(self.days)
        layout.addWidget(self.shares)
        layout.addLayout(export_row)
        layout.addWidget(self.message)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.tree, 1)

    # --- what is shown ------------------------------------------------------------------------

    def _fill_catalog(self) -> None:
        """The project and tag choices (again after the catalog changed), keeping the choice."""
        for combo, everything, items in (
            (self.project, "All projects", [(p.name, p.id) for p in self.controller.projects()]),
            (self.tag, "All tags", [(t.name, t.id) for t in self.controller.tags()]),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            if combo is self.project:
                combo.addItem("(Without project)", "")
            for name, item_id in items:
                combo.addItem(name, item_id)
            index = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def query(self) -> ReportQuery:
        """The query the controls describe.

        Raises:
            ReportError: a custom period that ends before it starts.
        """
        key = self.period.currentData()
        if key == "custom":
            start, end = self.start_edit.date().toPython(), self.end_edit.date().toPython()
            assert isinstance(start, date)
            assert isinstance(end, date)
        else:
            week_start = self.controller.tracker.store.meta.profile().week_start
            start, end = _named_period(str(key), self.controller.today(), week_start)
        return ReportQuery(
            start=start,
            end=end,
            group_by=tuple(self.group.currentData()),
            projects=(self.project.currentData(),) if self.project.currentData() else (),
            without_project=self.project.currentData() == "",
            tags=(self.tag.currentData(),) if self.tag.currentData() else (),
            billable=self.billable.currentData(),
            description=self.text_filter.text().strip() or None,
        )

    def report(self) -> Report | None:
        """What is shown."""
        return self._report

    def person(self) -> Person:
        """Whose time is asked for."""
        return (
            Person("all") if self.who.isVisible() and self.who.currentData() == "all" else Person()
        )

    def refresh(self, *, ask: bool = False) -> None:
        """Read the report again and show it; ``ask``: fetch from Clockify whatever the
        kept copy's age (the person pressed Refresh)."""
        self._stale = False
        try:
            query = self.query()
        except ReportError as exc:
            self._say(exc.message)
            return
        self._say("")
        online = self.online
        if online is None or not online.connected():
            self.refresh_button.setVisible(False)
            self.who.setVisible(False)
            report = self.source.report(query)
            self._report = report
            self._show(report)
            return
        self._refresh_online(online, query, ask=ask)

    def _refresh_online(self, online: ClockifyReports, query: ReportQuery, *, ask: bool) -> None:
        person = self.person()
        kept, fresh = online.kept(query, person)
        if kept is not None:
            self._report = kept
            self._show(kept)
        elif not person.team:
            local = self.source.report(query)
            self._report = local
            self._show(local)
        reports = online.reports(person)
        cost = reports.cost(query, refresh=True)
        self.refresh_button.setText(f"Refresh (costs {cost} requests)")
        self.refresh_button.setVisible(True)
        if fresh and not ask:
            return
        if not ask and reports.free_plan() and cost > ASK_ABOVE:
            self._say(
                f"Clockify's report of this period costs {cost} requests of the 30 an hour "
                "your Free workspace allows; press Refresh to fetch it."
            )
            return
        self._wanted = (query, person)
        self.refresh_button.setEnabled(False)
        online.fetch(
            query, person, refresh=True, done=lambda result: self._fetched(query, person, result)
        )

    def _fetched(self, query: ReportQuery, person: Person, result: object) -> None:
        """The worker's answer (on the GUI thread)."""
        if self._wanted != (query, person):
            return  # the controls changed meanwhile: that answer is not what is asked now
        self._wanted = None
        self.refresh_button.setEnabled(True)
        if isinstance(result, Report):
            self._say("")
            self._report = result
            self._show(result)
            return
        problem = getattr(result, "message", None) or str(result)
        shown = self._report
        if shown is not None and shown.source != "local":
            self._say(f"{problem} Showing the copy from {self._clock(shown)}.")
        elif shown is not None:
            self._say(f"{problem} Showing your entries on this computer.")
        else:
            self._say(str(problem))

    def _clock(self, report: Report) -> str:
        return f"{report.as_of.astimezone(self.controller.zone()):%H:%M}"

    def _learn_access(self) -> None:
        """Show "Team" to those allowed; learnt once a day on the worker."""
        online = self.online
        if online is None or not online.connected() or self._learning:
            return
        known = online.known_access()
        if known is not None:
            self.who.setVisible(known.sees_team)
            return
        self._learning = True

        def learnt(result: object) -> None:
            self._learning = False
            if isinstance(result, Access):
                self.who.setVisible(result.sees_team)

        online.learn_access(learnt)

    def _show(self, report: Report) -> None:
        self.source_label.setText(report.label)
        self.as_of.setText(f"as of {self._clock(report)}")
        capacity = self.controller.tracker.store.meta.profile().daily_capacity
        self.days.set_days(report.days, int(capacity.total_seconds()) if capacity else None)
        self.shares.set_shares([(g.label, g.seconds) for g in report.groups])
        share = (
            f" ({round(100 * report.billable_seconds / report.total_seconds)}%)"
            if report.total_seconds
            else ""
        )
        amount = (
            _money(report.amount_cents, report.currency).replace(" ", "\u00a0")
            if report.amount_cents is not None
            else "unknown"
            if report.source == "local"
            else "hidden"
        )
        if report.source == "local" and report.cost_cents is not None:
            amount += "  ·  " + "  ·  ".join(  # a line breaks between amounts, never inside one
                f"{what} {_money(cents, report.currency)}".replace(" ", "\u00a0")
                for what, cents in (("Cost", report.cost_cents), ("Profit", report.profit_cents))
            )
        note = amounts_note(report, "open Workspace… to fetch the rates")
        self.totals.setText(
            f"Total {hours_text(report.total_seconds)}  ·  Billable "
            f"{hours_text(report.billable_seconds)}{share}  ·  "
            f"Not billable {hours_text(report.total_seconds - report.billable_seconds)}  ·  "
            f"Amount\u00a0{amount}" + (f"\n{note}" if note else "")
        )
        self.model.removeRows(0, self.model.rowCount())
        root = self.model.invisibleRootItem()
        for group in report.groups:
            self._add(root, group, report.currency)
        self.tree.expandToDepth(0 if len(report.query.group_by) > 2 else -1)
        self.empty.setVisible(report.entries == 0)
        self.tree.setVisible(report.entries > 0)
        self.shares.setVisible(report.entries > 0)

    def _add(self, parent: QStandardItem, group: Group, currency: str | None) -> None:
        cells = [
            QStandardItem(group.label),
            QStandardItem(hours_text(group.seconds)),
            QStandardItem(
                "—" if group.billable_seconds is None else hours_text(group.billable_seconds)
            ),
            QStandardItem(_money(group.amount_cents, currency)),
        ]
        for cell in cells[1:]:
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cells[0].setToolTip(f"{group.label}: {hours_label(group.seconds)} h")
        parent.appendRow(cells)
        for child in group.children:
            self._add(cells[0], child, currency)

    def _say(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))

    # --- changes --------------------------------------------------------------------------------

    def _period_chosen(self) -> None:
        custom = self.period.currentData() == "custom"
        if custom and self._report is not None:
            for edit, day in ((self.start_edit, self._report.query.start),
                              (self.end_edit, self._report.query.end)):  # fmt: skip
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.start_edit.setVisible(custom)
        self.end_edit.setVisible(custom)
        self._changed_filters()

    def _changed_filters(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _on_changed(self, changes: Changes) -> None:
        if not (changes.entries or changes.running or changes.catalog or changes.account):
            return
        if changes.catalog or changes.account:
            self._fill_catalog()
        report = self._report
        if changes.days is not None and report is not None and not changes.account:
            first = report.query.start - timedelta(days=1)
            last = report.query.end + timedelta(days=1)
            touched = any(first <= day <= last for day in changes.days)
            if not touched and not changes.catalog and not changes.running:
                return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._learn_access()
        if self._stale:
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        """Coming back to a local report that lacks rates reads it again when the kept rates
        changed meanwhile (fetched in the Workspace window)."""
        super().changeEvent(event)
        report = self._report
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isActiveWindow()
            and report is not None
            and amounts_note(report, "")
            and (self.online is None or not self.online.connected())
            and isinstance(self.source, LocalReportSource)
            and self.source.rates_changed()
        ):
            self.refresh()

    # --- export --------------------------------------------------------------------------------

    def _ask_export(self) -> None:
        report = self._report
        if report is None:
            return
        name = f"report-{report.query.start}-{report.query.end}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export report", str(Path.home() / name), EXPORT_FILTERS
        )
        if path:
            self.start_export(Path(path))

    @property
    def exporting(self) -> bool:
        """Whether an export is being written."""
        return self._job is not None

    def start_export(self, path: Path) -> ExportJob | None:
        """Write the shown report to ``path`` (format from its extension) on another thread,
        with a progress dialog that can cancel it."""
        if self._job is not None or self._report is None:
            return None
        if not path.suffix:
            path = path.with_suffix(".csv")
        profile = self.controller.tracker.store.meta.profile()
        order = ExportOrder(
            self._report.query,
            path,
            str(self.kind.currentData()),
            self.controller.zone(),
            profile.name or "",
            profile.email or "",
        )
        job = ExportJob(self._open_source, order, self)
        progress = QProgressDialog("Exporting…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Export")
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(job.cancel)
        job.progressed.connect(self._on_progress)
        job.finished_with.connect(self._on_export_done)
        self._job, self._progress = job, progress
        self.export_button.setEnabled(False)
        job.start()
        return job

    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setMaximum(max(total, done))
            self._progress.setValue(done)

    def _on_export_done(self, message: str) -> None:
        job = self._job
        if job is not None:
            job.wait()
        self._job = None
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        self.export_button.setEnabled(True)
        if message:
            self._say(message)
        elif job is not None:
            self._say(f"Wrote {job.path}.")
            self.exported.emit(str(job.path))

    def closeEvent(self, event: object) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job.wait()
        super().closeEvent(event)  # type: ignore[arg-type]


def local_reports_window(
    controller: Controller,
    store_file: Path,
    channel: Callable[[], SyncChannel] | None = None,
) -> ReportsWindow:
    """The window over the local store, and over Clockify through the sync worker's
    ``channel`` when an account is connected: the GUI thread reads through the controller's
    connection, an export opens its own (SQLite connections stay on their thread)."""
    context = controller.tracker.context

    @contextmanager
    def open_source() -> Iterator[ReportSource]:
        with Store(store_file) as store:
            yield LocalReportSource(Context(store, context.clock))

    online = ClockifyReports(context, channel) if channel is not None else None
    return ReportsWindow(controller, LocalReportSource(context), open_source, online=online)
