"""Invoices as Clockify sends and takes them (FACTS §6 "Invoices", §4 "Money").

Money is in cents (minor units) except where FACTS records otherwise: an invoice's ``tax``,
``tax2`` and ``discount`` are percent x 100 (10 % reads back as 1000), an item's ``unitPrice``
is cents x 100, and an item's ``quantity`` is hundredths of a unit (1.5 h is 150). The writes
take plain percent (``taxPercent``). Read tolerantly like every response: most fields may be
missing or ``null``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from tracker.api.models.base import Instant, NullableList, RequestModel, WireId, WireModel

__all__ = [
    "GROUP_TYPES",
    "STATUSES",
    "CreatedInvoice",
    "Invoice",
    "InvoiceCreate",
    "InvoiceFilter",
    "InvoiceItem",
    "InvoiceList",
    "InvoiceSettings",
    "InvoiceSummary",
    "InvoiceUpdate",
    "InvoicedMark",
    "ItemCreate",
    "Payment",
    "PaymentCreate",
    "ProjectFilter",
    "SettingsUpdate",
    "StatusChange",
    "TimeImport",
]

STATUSES = ("UNSENT", "SENT", "PAID", "PARTIALLY_PAID", "VOID", "OVERDUE")
"""The spec's invoice statuses."""

GROUP_TYPES = ("SINGLE_ITEM", "GROUPED", "DETAILED")
"""How imported time becomes lines: one line, a line per group, a line per entry."""


def _zero(value: Any) -> Any:
    return 0 if value is None else value


def _text(value: Any) -> Any:
    return "" if value is None else value


def _whole(value: Any) -> Any:
    """``tax`` and ``discount`` are typed as doubles but carry percent x 100."""
    if value is None:
        return 0
    if isinstance(value, float):
        return round(value)
    return value


Cents = Annotated[int, BeforeValidator(_zero)]
Text = Annotated[str, BeforeValidator(_text)]
Hundredths = Annotated[int, BeforeValidator(_whole)]


class InvoiceSummary(WireModel):
    """One invoice of a list (``InvoiceDtoV1``, or ``InvoiceInfoV1`` from the filter)."""

    id: WireId
    number: Text = ""
    client_id: str | None = None
    client_name: Text = ""
    currency: Text = ""
    issued_date: Instant | None = None
    due_date: Instant | None = None
    status: Text = ""
    amount: Cents = 0
    paid: Cents = 0
    balance: Cents = 0
    days_overdue: int | None = None


class InvoiceList(WireModel):
    """The ``{invoices, total}`` envelope of the list and the filter."""

    invoices: Annotated[list[InvoiceSummary], BeforeValidator(lambda v: v or [])] = Field(
        default_factory=list
    )
    total: Cents = 0


class CreatedInvoice(WireModel):
    """What a create answers (``CreateInvoiceDtoV1``): no items, no amounts."""

    id: WireId
    number: Text = ""
    client_id: str | None = None
    currency: Text = ""
    issued_date: Instant | None = None
    due_date: Instant | None = None


class InvoiceItem(WireModel):
    """One line (``InvoiceItemDto``)."""

    order: int
    description: Text = ""
    item_type: Text = ""
    quantity: Cents = 0
    unit_price: Cents = 0
    amount: Cents = 0
    apply_taxes: str | None = None
    import_type: str | None = None
    time_entry_ids: NullableList = Field(default_factory=list)


class Invoice(WireModel):
    """One invoice with its lines (``InvoiceOverviewDtoV1``)."""

    id: WireId
    number: Text = ""
    client_id: str | None = None
    client_name: Text = ""
    client_address: Text = ""
    bill_from: Text = ""
    currency: Text = ""
    issued_date: Instant | None = None
    due_date: Instant | None = None
    status: Text = ""
    subject: Text = ""
    note: Text = ""
    items: Annotated[list[InvoiceItem], BeforeValidator(lambda v: v or [])] = Field(
        default_factory=list
    )
    subtotal: Cents = 0
    discount: Hundredths = 0
    discount_amount: Cents = 0
    tax: Hundredths = 0
    tax_amount: Cents = 0
    tax2: Hundredths = 0
    tax2_amount: Cents = 0
    tax_type: str | None = None
    amount: Cents = 0
    paid: Cents = 0
    balance: Cents = 0
    contains_imported_times: bool | None = None

    @property
    def imported_entry_ids(self) -> set[str]:
        """Every time entry the invoice's lines were imported from."""
        return {i for item in self.items for i in item.time_entry_ids}


class Payment(WireModel):
    """A payment received (``InvoicePaymentDtoV1``), in cents."""

    id: WireId
    amount: Cents = 0
    date: Instant | None = None
    note: Text = ""
    author: Text = ""


class InvoiceSettings(WireModel):
    """The workspace's invoice defaults, export fields and labels (kept as sent)."""

    defaults: Annotated[dict[str, Any], BeforeValidator(lambda v: v or {})] = Field(
        default_factory=dict
    )
    export_fields: Annotated[dict[str, Any], BeforeValidator(lambda v: v or {})] = Field(
        default_factory=dict
    )
    labels: Annotated[dict[str, Any], BeforeValidator(lambda v: v or {})] = Field(
        default_factory=dict
    )


# --- what we send -------------------------------------------------------------------------------


class InvoiceCreate(RequestModel):
    """A new, empty invoice for a client (``CreateInvoiceRequest``)."""

    client_id: str
    currency: str
    number: str
    issued_date: Instant
    due_date: Instant


class InvoiceUpdate(RequestModel):
    """The invoice's own fields, all replaced (``UpdateInvoiceRequestV1``); percents plain."""

    currency: str
    number: str
    issued_date: Instant
    due_date: Instant
    tax_percent: float = 0.0
    tax2_percent: float = 0.0
    discount_percent: float = 0.0
    client_id: str | None = None
    note: str | None = None
    subject: str | None = None
    tax_type: str | None = None


class ProjectFilter(RequestModel):
    """Which of the client's projects an import takes (none named: all)."""

    contains: str = "CONTAINS"
    ids: list[str] = Field(default_factory=list)
    status: str = "ALL"


class TimeImport(RequestModel):
    """Import a period's billable time (``ImportTimeEntriesAndExpensesRequestV1``)."""

    from_: Instant = Field(alias="from")
    to: Instant
    time_entry_group_type: str = "GROUPED"
    time_entry_primary_group_by: str | None = "PROJECT"
    time_entry_secondary_group_by: str | None = None
    time_entry_fields_for_detailed_group: list[str] | None = None
    round_time_entry_duration: bool | None = None
    import_expenses: bool = False
    project_filter: ProjectFilter = ProjectFilter()


class ItemCreate(RequestModel):
    """A typed line: quantity in hundredths, unit price in cents x 100."""

    description: str
    item_type: str
    quantity: int
    unit_price: int
    apply_taxes: str = "NONE"


class PaymentCreate(RequestModel):
    """A payment received, in cents."""

    amount: int
    payment_date: Instant | None = None
    note: str | None = None


class StatusChange(RequestModel):
    """``{invoiceStatus}``."""

    invoice_status: str


class InvoiceFilter(RequestModel):
    """The filter of ``POST /invoices/info``, paged in its body."""

    page: int = 1
    page_size: int = 50
    statuses: list[str] | None = None
    invoice_number: str | None = None
    strict_search: bool | None = None
    sort_column: str | None = None
    sort_order: str | None = None


class InvoicedMark(RequestModel):
    """``{timeEntryIds, invoiced}``: mark entries invoiced or not by hand."""

    time_entry_ids: list[str]
    invoiced: bool


class SettingsUpdate(RequestModel):
    """The settings, replaced: every label, and the defaults (``notes``, ``subject``)."""

    labels: dict[str, str]
    defaults: dict[str, Any] | None = None
    export_fields: dict[str, bool] | None = None
