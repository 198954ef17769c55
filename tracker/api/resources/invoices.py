"""Invoices (``/v1/workspaces/{ws}/invoices/...``) and marking time invoiced.

The list answers the ``{invoices, total}`` envelope (FACTS §2), read page by page through the
same guards as every list, against its declared total. Creates, imports, typed lines,
payments and duplicates are not resent after an unclear outcome: a second create is a second
invoice (or a refusal of its number), a second import or payment counts twice; the service
above reads back before it asks again. Reads, status changes, replacements and deletes are
resent freely. The export is a PDF streamed to a file that appears only once complete.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from tracker.api.explain import read_json
from tracker.api.models.base import decode, decode_list
from tracker.api.models.invoices import (
    CreatedInvoice,
    Invoice,
    InvoiceCreate,
    InvoicedMark,
    InvoiceFilter,
    InvoiceList,
    InvoiceSettings,
    InvoiceSummary,
    InvoiceUpdate,
    ItemCreate,
    Payment,
    PaymentCreate,
    SettingsUpdate,
    StatusChange,
    TimeImport,
)
from tracker.api.pagination import Page, guarded_pages
from tracker.api.paths import api_path
from tracker.api.session import ApiSession

__all__ = ["InvoicesResource"]

_BASE = "/v1/workspaces/{workspace_id}/invoices"
_INFO = _BASE + "/info"
_SETTINGS = _BASE + "/settings"
_ONE = _BASE + "/{invoice_id}"
_DUPLICATE = _ONE + "/duplicate"
_STATUS = _ONE + "/status"
_EXPORT = _ONE + "/export"
_ITEMS = _ONE + "/items"
_IMPORT = _ITEMS + "/import"
_ITEM = _ITEMS + "/{order}"
_PAYMENTS = _ONE + "/payments"
_PAYMENT = _PAYMENTS + "/{payment_id}"
_INVOICED = "/v1/workspaces/{workspace_id}/time-entries/invoiced"
_PAGE_SIZE = 50


class InvoicesResource:
    """One workspace's invoices, their lines and payments, and the invoice settings."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session

    # --- lists ---------------------------------------------------------------------------

    async def list(
        self,
        workspace_id: str,
        *,
        statuses: builtins.list[str] | None = None,
        sort_column: str = "ISSUE_DATE",
        sort_order: str = "DESCENDING",
        page_size: int = _PAGE_SIZE,
    ) -> builtins.list[InvoiceSummary]:
        """Every invoice with one of ``statuses`` (all when ``None``), sorted."""
        path = api_path(_BASE, workspace_id=workspace_id)

        async def fetch(page: int, size: int) -> Page:
            params = {
                "page": page,
                "page-size": size,
                "statuses": ",".join(statuses) if statuses else None,
                "sort-column": sort_column,
                "sort-order": sort_order,
            }
            data, response = await self.session.get_json(path, params=params)
            found = decode(InvoiceList, data, what="invoice list")
            last = response.headers.get("last-page", "").strip().lower()
            return Page(found.invoices, last=True if last == "true" else None, total=found.total)

        items: builtins.list[InvoiceSummary] = []
        async for page in guarded_pages(fetch, what="invoices", page_size=page_size):
            items.extend(page.items)
        return items

    async def search(
        self, workspace_id: str, query: InvoiceFilter
    ) -> builtins.list[InvoiceSummary]:
        """Every invoice the filter keeps (``POST /invoices/info``, paged in the body)."""
        path = api_path(_INFO, workspace_id=workspace_id)

        async def fetch(page: int, size: int) -> Page:
            asked = query.model_copy(update={"page": page, "page_size": size})
            response = await self.session.request(
                "POST", path, json_body=asked.body(), idempotent=True
            )
            data = read_json(response, method="POST", path=path)
            found = decode(InvoiceList, data, what="invoice list")
            return Page(found.invoices, total=found.total)

        items: builtins.list[InvoiceSummary] = []
        async for page in guarded_pages(fetch, what="invoices", page_size=query.page_size):
            items.extend(page.items)
        return items

    # --- one invoice ---------------------------------------------------------------------

    async def create(self, workspace_id: str, body: InvoiceCreate) -> CreatedInvoice:
        """A new, empty invoice (not resent after an unclear outcome)."""
        path = api_path(_BASE, workspace_id=workspace_id)
        data = await self.session.send_json("POST", path, json_body=body.body())
        return decode(CreatedInvoice, data, what="invoice")

    async def get(self, workspace_id: str, invoice_id: str) -> Invoice:
        """One invoice with its lines."""
        path = api_path(_ONE, workspace_id=workspace_id, invoice_id=invoice_id)
        data, _ = await self.session.get_json(path)
        return decode(Invoice, data, what="invoice")

    async def update(self, workspace_id: str, invoice_id: str, body: InvoiceUpdate) -> Invoice:
        """Replace the invoice's own fields (its lines stay)."""
        path = api_path(_ONE, workspace_id=workspace_id, invoice_id=invoice_id)
        return await self._invoice("PUT", path, body.body(), idempotent=True)

    async def delete(self, workspace_id: str, invoice_id: str) -> None:
        """Delete the invoice; its time is no longer invoiced."""
        path = api_path(_ONE, workspace_id=workspace_id, invoice_id=invoice_id)
        await self.session.send_json("DELETE", path)

    async def duplicate(self, workspace_id: str, invoice_id: str) -> Invoice:
        """A copy with the next number, unsent (not resent after an unclear outcome)."""
        path = api_path(_DUPLICATE, workspace_id=workspace_id, invoice_id=invoice_id)
        return await self._invoice("POST", path, None)

    async def set_status(self, workspace_id: str, invoice_id: str, status: str) -> None:
        """Set the invoice's status (setting the same twice does the same)."""
        path = api_path(_STATUS, workspace_id=workspace_id, invoice_id=invoice_id)
        body = StatusChange(invoice_status=status).body()
        await self.session.send_json("PATCH", path, json_body=body, idempotent=True)

    # --- lines ---------------------------------------------------------------------------

    async def add_item(self, workspace_id: str, invoice_id: str, body: ItemCreate) -> Invoice:
        """Add a typed line; answers the invoice."""
        path = api_path(_ITEMS, workspace_id=workspace_id, invoice_id=invoice_id)
        return await self._invoice("POST", path, body.body())

    async def import_time(self, workspace_id: str, invoice_id: str, body: TimeImport) -> Invoice:
        """Import a period's billable time as lines; answers the invoice."""
        path = api_path(_IMPORT, workspace_id=workspace_id, invoice_id=invoice_id)
        return await self._invoice("POST", path, body.body())

    async def remove_item(self, workspace_id: str, invoice_id: str, order: int) -> Invoice:
        """Remove the line at ``order`` (1-based; those after move up). Not resent: a second
        removal would take the next line."""
        if order < 1:
            raise ValueError("a line's order starts at 1")
        path = api_path(_ITEM, workspace_id=workspace_id, invoice_id=invoice_id, order=str(order))
        return await self._invoice("DELETE", path, None, idempotent=False)

    # --- payments ------------------------------------------------------------------------

    async def payments(
        self, workspace_id: str, invoice_id: str, *, page_size: int = _PAGE_SIZE
    ) -> builtins.list[Payment]:
        """The invoice's payments."""
        path = api_path(_PAYMENTS, workspace_id=workspace_id, invoice_id=invoice_id)

        async def fetch(page: int, size: int) -> Page:
            data, response = await self.session.get_json(
                path, params={"page": page, "page-size": size}
            )
            last = response.headers.get("last-page", "").strip().lower()
            return Page(decode_list(Payment, data, what="payments"), last=last == "true" or None)

        items: builtins.list[Payment] = []
        async for page in guarded_pages(fetch, what="payments", page_size=page_size):
            items.extend(page.items)
        return items

    async def add_payment(self, workspace_id: str, invoice_id: str, body: PaymentCreate) -> Invoice:
        """Record a payment; answers the invoice with its new balance and status."""
        path = api_path(_PAYMENTS, workspace_id=workspace_id, invoice_id=invoice_id)
        return await self._invoice("POST", path, body.body())

    async def delete_payment(self, workspace_id: str, invoice_id: str, payment_id: str) -> Invoice:
        """Take a payment back."""
        path = api_path(
            _PAYMENT, workspace_id=workspace_id, invoice_id=invoice_id, payment_id=payment_id
        )
        return await self._invoice("DELETE", path, None, idempotent=True)

    # --- settings, export, invoiced time -------------------------------------------------

    async def settings(self, workspace_id: str) -> InvoiceSettings:
        """The workspace's invoice settings."""
        data, _ = await self.session.get_json(api_path(_SETTINGS, workspace_id=workspace_id))
        return decode(InvoiceSettings, data, what="invoice settings")

    async def update_settings(self, workspace_id: str, body: SettingsUpdate) -> None:
        """Replace the invoice settings."""
        path = api_path(_SETTINGS, workspace_id=workspace_id)
        await self.session.send_json("PUT", path, json_body=body.body())

    async def mark_invoiced(
        self, workspace_id: str, entry_ids: builtins.list[str], *, invoiced: bool = True
    ) -> None:
        """Mark time entries invoiced (or not) by hand."""
        path = api_path(_INVOICED, workspace_id=workspace_id)
        body = InvoicedMark(time_entry_ids=entry_ids, invoiced=invoiced).body()
        await self.session.send_json("PATCH", path, json_body=body, idempotent=True)

    async def export(
        self, workspace_id: str, invoice_id: str, destination: Path, *, locale: str = "en"
    ) -> int:
        """Download the invoice as a PDF to ``destination`` (complete or not at all); returns
        its size.

        Raises:
            ClockifyError: the request failed; OSError: the file could not be written.
        """
        path = api_path(_EXPORT, workspace_id=workspace_id, invoice_id=invoice_id)
        handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
        try:
            with os.fdopen(handle, "wb") as file:

                def write(piece: bytes, _expected: int | None) -> None:
                    file.write(piece)

                written = await self.session.download(
                    "GET", path, write, params={"userLocale": locale}
                )
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, destination)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return written

    async def _invoice(
        self, method: str, path: str, body: Any, *, idempotent: bool | None = None
    ) -> Invoice:
        data = await self.session.send_json(method, path, json_body=body, idempotent=idempotent)
        return decode(Invoice, data, what="invoice")
