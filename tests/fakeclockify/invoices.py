"""Invoices kept by the test server, how they add up, and the shapes it sends.

Each workspace has one :class:`InvoiceBook` (found with :func:`invoice_book`), kept beside its
:class:`~tests.fakeclockify.records.WorkspaceData` like the schedule. How the numbers are
written (FACTS §4 "Money", and the spec's ``InvoiceOverviewDtoV1`` / ``InvoiceItemDto``):

- ``amount``, ``subtotal``, ``balance``, ``paid``, a payment's ``amount`` and the tax and
  discount amounts are **cents** (minor units), like every rate.
- ``tax``, ``tax2`` and ``discount`` are percent x 100 (10 % reads back as 1000; observed); the
  writes (``taxPercent``, ``discountPercent``) take plain percent.
- An item's ``unitPrice`` is cents x 100 (observed) and its ``quantity`` hundredths of a unit
  (1.5 h is 150; the spec's own examples disagree with each other, so the server picks the
  reading under which ``amount = quantity x unitPrice / 10000`` cents holds for a typed item).
- An item imported from time carries the ids of its entries, its hours as quantity and the
  rate as unit price; its ``amount`` is what those entries earned, counted entry by entry as
  the reports count it (:func:`tests.fakeclockify.reports.billable_row`), so an invoice of a
  period equals the report of the same time. Imported entries are marked invoiced (their
  ``isLocked`` reads true) and are never imported twice; removing the item or the invoice
  marks them not invoiced again.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from tests.fakeclockify.records import WorkspaceData
from tests.fakeclockify.wire import format_instant

__all__ = [
    "INVOICING",
    "STATUSES",
    "Invoice",
    "InvoiceBook",
    "Item",
    "Payment",
    "default_settings",
    "invoice_book",
    "invoice_dto",
    "invoice_info_dto",
    "overview_dto",
    "payment_dto",
    "totals",
]

INVOICING = "INVOICING"
"""The spec's ``Feature`` for invoices (Standard and up)."""

STATUSES = ("UNSENT", "SENT", "PAID", "PARTIALLY_PAID", "VOID", "OVERDUE")
"""The spec's ``status`` enum."""


@dataclass(slots=True)
class Item:
    """One line of an invoice."""

    order: int
    description: str
    item_type: str
    quantity: int
    """Hundredths of a unit (hours for time)."""
    unit_price: int
    """Cents x 100."""
    apply_taxes: str = "NONE"
    import_type: str = "NOT_IMPORTED"
    time_entry_ids: list[str] = field(default_factory=list)
    imported_amount: int | None = None
    """For time: what the entries earned, in cents (the reports' count)."""

    @property
    def amount(self) -> int:
        """The line's amount in cents."""
        if self.imported_amount is not None:
            return self.imported_amount
        return round(self.quantity * self.unit_price / 10000)


@dataclass(slots=True)
class Payment:
    """A payment received for an invoice, in cents."""

    id: str
    amount: int
    date: int
    note: str
    author: str


@dataclass(slots=True)
class Invoice:
    """An invoice to one client."""

    id: str
    user_id: str
    client_id: str
    currency: str
    number: str
    issued: int
    due: int
    status: str = "UNSENT"
    items: list[Item] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    note: str = ""
    subject: str = ""
    tax: int = 0
    """Percent x 100."""
    tax2: int = 0
    discount: int = 0
    tax_type: str = "SIMPLE"
    company_id: str = ""
    visible_zero_fields: list[str] = field(default_factory=list)


@dataclass
class InvoiceBook:
    """A workspace's invoices, which entries are invoiced (by which invoice; ``""`` when marked
    by hand), and the invoice settings."""

    invoices: dict[str, Invoice]
    invoiced: dict[str, str]
    settings: dict[str, Any]


_BOOKS: weakref.WeakKeyDictionary[WorkspaceData, InvoiceBook] = weakref.WeakKeyDictionary()


def invoice_book(data: WorkspaceData) -> InvoiceBook:
    """The workspace's invoices (none at first)."""
    found = _BOOKS.get(data)
    if found is None:
        found = _BOOKS[data] = InvoiceBook({}, {}, default_settings())
    return found


def default_settings() -> dict[str, Any]:
    """``InvoiceSettingsDtoV1`` of a workspace that never changed them (Clockify's labels)."""
    labels = {
        "amount": "Amount",
        "billFrom": "Bill from",
        "billTo": "Bill to",
        "description": "Description",
        "discount": "Discount",
        "dueDate": "Due date",
        "issueDate": "Issue date",
        "itemType": "Item type",
        "notes": "Notes",
        "paid": "Paid",
        "quantity": "Quantity",
        "subtotal": "Subtotal",
        "tax": "Tax",
        "tax2": "Tax 2",
        "total": "Total",
        "totalAmount": "Total amount due",
        "unitPrice": "Unit price",
    }
    return {
        "defaults": {
            "dueDays": 30,
            "notes": "",
            "subject": "",
            "taxPercent": 0.0,
            "tax2Percent": 0.0,
            "taxType": "SIMPLE",
        },
        "exportFields": {
            "itemType": True,
            "quantity": True,
            "unitPrice": True,
            "tax": True,
            "tax2": True,
            "rtl": False,
        },
        "labels": labels,
    }


@dataclass(frozen=True)
class Totals:
    """What an invoice adds up to, in cents."""

    subtotal: int
    discount: int
    tax: int
    tax2: int
    amount: int
    paid: int

    @property
    def balance(self) -> int:
        return self.amount - self.paid


def _taxed(invoice: Invoice, which: str) -> int:
    return sum(i.amount for i in invoice.items if i.apply_taxes in (which, "TAX1TAX2"))


def totals(invoice: Invoice) -> Totals:
    """Subtotal, discount, taxes (simple: each on its items; compound: the second on the
    first's result too), amount and paid."""
    subtotal = sum(i.amount for i in invoice.items)
    discount = round(subtotal * invoice.discount / 10000)
    tax = round(_taxed(invoice, "TAX1") * invoice.tax / 10000)
    base2 = _taxed(invoice, "TAX2")
    if invoice.tax_type == "COMPOUND":
        base2 += tax
    tax2 = round(base2 * invoice.tax2 / 10000)
    if invoice.tax_type == "NONE":
        tax = tax2 = 0
    paid = sum(p.amount for p in invoice.payments)
    return Totals(subtotal, discount, tax, tax2, subtotal - discount + tax + tax2, paid)


def _client_name(data: WorkspaceData, invoice: Invoice) -> str:
    client = data.clients.get(invoice.client_id)
    return client.name if client else ""


def invoice_dto(data: WorkspaceData, invoice: Invoice) -> dict[str, Any]:
    """``InvoiceDtoV1``: one invoice of the list."""
    sums = totals(invoice)
    return {
        "id": invoice.id,
        "number": invoice.number,
        "clientId": invoice.client_id,
        "clientName": _client_name(data, invoice),
        "currency": invoice.currency,
        "issuedDate": format_instant(invoice.issued),
        "dueDate": format_instant(invoice.due),
        "status": invoice.status,
        "amount": sums.amount,
        "paid": sums.paid,
        "balance": sums.balance,
    }


def invoice_info_dto(data: WorkspaceData, invoice: Invoice, now: int) -> dict[str, Any]:
    """``InvoiceInfoV1``: one invoice of the filtered list, with days overdue."""
    open_ = invoice.status in ("SENT", "PARTIALLY_PAID", "OVERDUE")
    overdue = max(0, (now - invoice.due) // 86400) if open_ else 0
    return {
        **invoice_dto(data, invoice),
        "billFrom": "",
        "daysOverdue": overdue,
        "visibleZeroFields": list(invoice.visible_zero_fields),
    }


def _item_dto(item: Item) -> dict[str, Any]:
    return {
        "order": item.order,
        "description": item.description,
        "itemType": item.item_type,
        "quantity": item.quantity,
        "unitPrice": item.unit_price,
        "amount": item.amount,
        "applyTaxes": item.apply_taxes,
        "importType": item.import_type,
        "timeEntryIds": list(item.time_entry_ids),
        "expenseIds": [],
    }


def overview_dto(data: WorkspaceData, invoice: Invoice) -> dict[str, Any]:
    """``InvoiceOverviewDtoV1``: one invoice with its items and what it adds up to."""
    sums = totals(invoice)
    client = data.clients.get(invoice.client_id)
    return {
        **invoice_dto(data, invoice),
        "userId": invoice.user_id,
        "billFrom": data.workspace.name,
        "clientAddress": (client.address or "") if client else "",
        "companyId": invoice.company_id,
        "subject": invoice.subject,
        "note": invoice.note,
        "subtotal": sums.subtotal,
        "discount": invoice.discount,
        "discountAmount": sums.discount,
        "tax": invoice.tax,
        "taxAmount": sums.tax,
        "tax2": invoice.tax2,
        "tax2Amount": sums.tax2,
        "taxType": invoice.tax_type,
        "calculationType": "INVOICE_BASED",
        "containsImportedTimes": any(i.import_type == "TIME_ENTRY_IMPORT" for i in invoice.items),
        "containsImportedExpenses": False,
        "visibleZeroFields": list(invoice.visible_zero_fields),
        "items": [_item_dto(i) for i in invoice.items],
    }


def payment_dto(payment: Payment) -> dict[str, Any]:
    """``InvoicePaymentDtoV1``."""
    return {
        "id": payment.id,
        "amount": payment.amount,
        "date": format_instant(payment.date),
        "note": payment.note,
        "author": payment.author,
    }
