"""The Invoices page of the Workspace window: invoices from tracked time (owners and admins,
a Standard plan or higher).

The table lists the invoices (a status to show above it, the filter box for the rest); beside
it, the chosen invoice's lines, totals and payments. It opens on what is kept (offline too,
"as of") and refreshes on the worker. Ctrl+N makes an invoice for a client; Import time adds a
period's billable time of the client as lines (never the same entries twice); Mark sent,
Record payment, Export PDF (saved where the person says, then opened) and Delete (after
asking) act on the chosen invoice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.services.admin_base import Kept
from tracker.services.catalog import Catalog
from tracker.services.context import Context
from tracker.services.invoices import Detail, Imported, Invoices, Listing, money
from tracker.services.reports import named_period
from tracker.store import Store
from tracker.ui.admin_page import AdminPage, PageContext
from tracker.ui.admin_team import confirm_with, text_from
from tracker.ui.rows_model import Row

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.api.models.invoices import Invoice, InvoiceSummary

__all__ = ["InvoicesPage"]

STATUS_CHOICES = (
    ("All statuses", ""),
    ("Unsent", "UNSENT"),
    ("Sent", "SENT"),
    ("Partially paid", "PARTIALLY_PAID"),
    ("Paid", "PAID"),
    ("Void", "VOID"),
    ("Overdue", "OVERDUE"),
)
PERIOD_CHOICES = (
    ("Last month", "last-month"),
    ("This month", "this-month"),
    ("Last week", "last-week"),
    ("This week", "this-week"),
)


def _line(text: str) -> str:
    return " ".join(text.split())


def _status(status: str) -> str:
    return status.lower().replace("_", " ")


class InvoicesPage(AdminPage):
    """Invoices (see the module's docstring)."""

    title = "Invoices"
    headers = ("Number", "Client", "Due", "Status", "Amount", "Balance")
    object_name = "invoicesPage"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        self.listing: Listing | None = None
        self.detail: Detail | None = None
        self.invoice_id: str | None = None
        super().__init__(context, parent)
        self.as_of.setText("not read yet")
        if self.side is not None:
            self.side.setMaximumWidth(340)  # the table keeps the width
        action = QAction(self)
        action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(self.new_invoice)
        self.addAction(action)

    def build_side(self) -> QWidget:
        side = QWidget()
        side.setObjectName("invoicesSide")
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.status_box = QComboBox()
        self.status_box.setObjectName("invoiceStatusFilter")
        for label, value in STATUS_CHOICES:
            self.status_box.addItem(label, value)
        self.status_box.currentIndexChanged.connect(lambda _n: self._show_listing())
        self.new_button = QPushButton("New invoice…")
        self.new_button.setToolTip("Ctrl+N: an empty invoice for a client")
        self.new_button.clicked.connect(self.new_invoice)
        top.addWidget(self.status_box, 1)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        self.caption = _plain(QLabel("Choose an invoice in the table."))
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.lines = QListWidget()
        self.lines.setObjectName("invoiceLines")
        self.lines.setWordWrap(True)  # long descriptions wrap instead of scrolling sideways
        self.lines.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.lines, 2)
        self.totals = _plain(QLabel(""))
        self.totals.setObjectName("invoiceTotals")
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        self.payments = QListWidget()
        self.payments.setObjectName("invoicePayments")
        self.payments.setWordWrap(True)
        self.payments.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.payments, 1)
        layout.addLayout(self._actions())
        self._enable()
        return side

    def _actions(self) -> QVBoxLayout:
        """Import time with its period, and what is done to the chosen invoice."""
        column = QVBoxLayout()
        importing = QHBoxLayout()
        self.period_box = QComboBox()
        self.period_box.setObjectName("importPeriod")
        for label, value in PERIOD_CHOICES:
            self.period_box.addItem(label, value)
        self.import_button = QPushButton("Import time")
        self.import_button.setToolTip("Add the period's billable time of the client as lines")
        self.import_button.clicked.connect(self.import_time)
        importing.addWidget(self.period_box, 1)
        importing.addWidget(self.import_button)
        column.addLayout(importing)
        buttons = QGridLayout()
        self.sent_button = QPushButton("Mark sent")
        self.sent_button.clicked.connect(lambda: self.set_status("SENT"))
        self.pay_button = QPushButton("Record payment…")
        self.pay_button.clicked.connect(self.record_payment)
        self.export_button = QPushButton("Export PDF…")
        self.export_button.clicked.connect(self.export_pdf)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Asks first; its time is no longer invoiced")
        self.delete_button.clicked.connect(self.delete)
        buttons.addWidget(self.sent_button, 0, 0)
        buttons.addWidget(self.pay_button, 0, 1)
        buttons.addWidget(self.export_button, 1, 0)
        buttons.addWidget(self.delete_button, 1, 1)
        column.addLayout(buttons)
        return column

    # --- showing ----------------------------------------------------------------------------

    def service(self) -> Invoices:
        """The service over the GUI thread's store (kept copies only)."""
        return Invoices(self.context.service_context())

    def load_kept(self) -> bool:
        listing = self.service().kept_list()
        if listing is None:
            return False
        self.show_listing(listing)
        return True

    def show_listing(self, listing: Listing) -> None:
        self.listing = listing
        self._show_listing()
        self.show_as_of(Kept(None, listing.as_of, listing.stale))

    def _show_listing(self) -> None:
        listing = self.listing
        if listing is None:
            return
        wanted = str(self.status_box.currentData() or "")
        zone = self.context.service_context().zone()
        rows = [
            Row(
                (
                    _line(i.number),
                    _line(i.client_name),
                    i.due_date.astimezone(zone).date().isoformat() if i.due_date else "",
                    _status(i.status),
                    money(i.amount, i.currency),
                    money(i.balance, i.currency),
                ),
                i.id,
                i,
            )
            for i in listing.invoices
            if not wanted or i.status == wanted
        ]
        self.show_rows(rows)
        self.table.resizeColumnsToContents()

    def chosen(self, row: Row | None) -> None:
        summary: InvoiceSummary | None = row.item if row is not None else None
        self.invoice_id = summary.id if summary is not None else None
        if summary is None:
            self.show_detail(None)
            return
        service = self.service()
        kept = service.kept_detail(summary.id)
        self.show_detail(kept)
        if service.detail_due(kept) and not self.busy:
            self.read_detail(summary.id)

    def show_detail(self, detail: Detail | None) -> None:
        self.detail = detail
        self.lines.clear()
        self.payments.clear()
        self._enable()
        if detail is None:
            self.caption.setText(
                "Choose an invoice in the table." if self.invoice_id is None else "Reading…"
            )
            self.totals.setText("")
            return
        invoice = detail.invoice
        cur = invoice.currency
        zone = self.context.service_context().zone()
        issued = invoice.issued_date.astimezone(zone).date() if invoice.issued_date else "?"
        due = invoice.due_date.astimezone(zone).date() if invoice.due_date else "?"
        self.caption.setText(
            f"{_line(invoice.number)} to {_line(invoice.client_name)}: "
            f"{_status(invoice.status)}\nissued {issued}, due {due}"
        )
        for item in invoice.items:
            self.lines.addItem(
                f"{item.order}. {_line(item.description)} — {item.quantity / 100:.2f} at "
                f"{money(round(item.unit_price / 100))} = {money(item.amount, cur)}"
            )
        if not invoice.items:
            self.lines.addItem("No lines yet: Import time adds the client's billable time.")
        self.totals.setText(
            f"Total {money(invoice.amount, cur)} · paid {money(invoice.paid, cur)} · "
            f"due {money(invoice.balance, cur)}"
        )
        if not detail.payments:
            self.payments.addItem("No payments yet.")
        for payment in detail.payments:
            when = payment.date.astimezone(zone).date().isoformat() if payment.date else ""
            note = f" — {_line(payment.note)}" if payment.note else ""
            self.payments.addItem(f"Paid {money(payment.amount, cur)} on {when}{note}")

    def _enable(self) -> None:
        detail = self.detail
        invoice = detail.invoice if detail is not None else None
        live = invoice is not None and invoice.status != "VOID"
        self.import_button.setEnabled(live)
        self.sent_button.setEnabled(live and invoice is not None and invoice.status == "UNSENT")
        self.pay_button.setEnabled(live and invoice is not None and invoice.balance > 0)
        self.export_button.setEnabled(invoice is not None)
        self.delete_button.setEnabled(invoice is not None)

    # --- asking Clockify --------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        if self.busy:
            return
        service = self.service()
        listing = service.kept_list()
        if not force and not service.due(listing):
            return
        clock = self.context.clock

        async def work(store: Store, api: ClockifyClient) -> Listing:
            return await Invoices(Context(store, clock), api).list(refresh=force)

        self.ask(work, self.show_listing, cancellable=True)

    def read_detail(self, invoice_id: str) -> None:
        clock = self.context.clock

        async def work(store: Store, api: ClockifyClient) -> Detail:
            return await Invoices(Context(store, clock), api).show(invoice_id, refresh=True)

        def done(detail: Detail) -> None:
            if detail.invoice.id == self.invoice_id:
                self.show_detail(detail)

        self.ask(work, done, cancellable=True)  # a read: a change may cancel it

    def change(
        self, what: Callable[[Invoices], Awaitable[Any]], said: Callable[[Any], str]
    ) -> None:
        """Run ``what`` on the service on the worker; then show the list and the invoice read
        again."""
        if self.busy:
            return
        clock = self.context.clock
        chosen = self.invoice_id
        self.say("Sending…", "muted")

        async def work(store: Store, api: ClockifyClient) -> tuple[Any, Listing, Detail | None]:
            service = Invoices(Context(store, clock), api)
            result = await what(service)
            listing = await service.list(refresh=True)
            detail = None
            if chosen is not None and any(i.id == chosen for i in listing.invoices):
                detail = await service.show(chosen)
            return result, listing, detail

        def done(outcome: tuple[Any, Listing, Detail | None]) -> None:
            result, listing, detail = outcome
            self.show_listing(listing)
            made = getattr(result, "id", None)
            if isinstance(made, str) and self.model.find(made) >= 0:
                self.table.selectRow(self.model.find(made))
            elif detail is not None:
                self.show_detail(detail)
            self.say(said(result), "muted")

        self.ask(work, done)

    def new_invoice(self) -> None:
        """Ctrl+N: an empty invoice for a client chosen in a dialog."""
        catalog = Catalog(self.context.service_context())
        clients = {c.name: c for c in catalog.clients()}
        if not clients:
            self.say("There are no clients yet; add one in Clockify or with `tracker clients`.")
            return
        name = self.choose("New invoice", "Client:", sorted(clients))
        client = clients.get(name)
        if client is None:
            return
        client_id = self.context.store.catalog.server_id("client", client.id)
        if not client_id:
            self.say(f"The client {_line(client.name)} is not on Clockify yet; sync first.")
            return
        today = self.context.service_context().today()

        async def what(service: Invoices) -> Invoice:
            await service.list()
            number = service.next_number(today.year)
            return await service.create(client_id, number, today, today + timedelta(days=30))

        self.change(what, lambda made: f"Created invoice {_line(made.number)}.")

    def import_time(self) -> None:
        invoice_id = self.invoice_id
        if invoice_id is None:
            return
        period = str(self.period_box.currentData())
        context = self.context.service_context()
        first, last = named_period(period, context.today(), context.store.meta.profile().week_start)

        async def what(service: Invoices) -> Imported:
            return await service.import_time(invoice_id, first, last)

        def said(done: Imported) -> str:
            span = f"{first.isoformat()} to {last.isoformat()}"
            if not done.entries:
                return f"No billable time from {span} is left to invoice; nothing was added."
            return f"Imported {done.entries} time entries from {span} as {done.lines} line(s)."

        self.change(what, said)

    def set_status(self, status: str) -> None:
        invoice_id = self.invoice_id
        if invoice_id is None:
            return

        async def what(service: Invoices) -> Invoice:
            return await service.set_status(invoice_id, status)

        self.change(what, lambda done: f"Invoice {_line(done.number)} is {_status(done.status)}.")

    def record_payment(self) -> None:
        detail, invoice_id = self.detail, self.invoice_id
        if detail is None or invoice_id is None:
            return
        balance = detail.invoice.balance
        text = self.ask_text("Record payment", "Amount paid:", f"{balance / 100:.2f}")
        if not text:
            return
        try:
            cents = round(float(text.replace(",", "").strip()) * 100)
        except ValueError:
            self.say("Give the amount as a number, e.g. 120.50.")
            return

        async def what(service: Invoices) -> Invoice:
            return await service.pay(invoice_id, cents)

        self.change(
            what,
            lambda done: f"Recorded the payment; {money(done.balance, done.currency)} left to pay.",
        )

    def export_pdf(self) -> None:
        detail, invoice_id = self.detail, self.invoice_id
        if detail is None or invoice_id is None:
            return
        name = "".join(c if c.isalnum() or c in "-_" else "-" for c in detail.invoice.number)
        chosen = self.save_path(f"invoice-{name or 'export'}.pdf")
        if not chosen:
            return
        destination = Path(chosen)
        clock = self.context.clock

        async def work(store: Store, api: ClockifyClient) -> int:
            return await Invoices(Context(store, clock), api).export(invoice_id, destination)

        def done(size: int) -> None:
            self.say(f"Wrote {destination.name} ({size:,} bytes).", "muted")
            self.open_file(destination)

        self.say("Exporting…", "muted")
        self.ask(work, done)

    def delete(self) -> None:
        detail, invoice_id = self.detail, self.invoice_id
        if detail is None or invoice_id is None:
            return
        number = _line(detail.invoice.number)
        if not self.confirm(f"Delete invoice {number}? Its time is no longer invoiced.", "Delete"):
            return

        async def what(service: Invoices) -> None:
            await service.delete(invoice_id)

        self.change(what, lambda _done: f"Deleted invoice {number}.")

    # --- dialogs (tests replace these) ------------------------------------------------------

    def confirm(self, question: str, action: str) -> bool:
        """Ask ``question``; Cancel is the default."""
        return confirm_with(self, "Invoices", question, action)

    def ask_text(self, title: str, label: str, text: str = "") -> str:
        """One line of text from the person ("" when cancelled)."""
        return text_from(self, title, label, text)

    def choose(self, title: str, label: str, names: list[str]) -> str:
        """One of ``names`` ("" when cancelled)."""
        from PySide6.QtWidgets import QInputDialog  # noqa: PLC0415 - only when asked

        chosen, ok = QInputDialog.getItem(self, title, label, names, 0, False)
        return chosen if ok else ""

    def save_path(self, suggested: str) -> str:
        """Where to save the PDF ("" when cancelled)."""
        start = str(Path.home() / suggested)
        path, _filter = QFileDialog.getSaveFileName(self, "Export invoice", start, "PDF (*.pdf)")
        return path

    def open_file(self, path: Path) -> None:
        """Open the written file in the desktop's PDF viewer."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
