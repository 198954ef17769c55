"""Invoices from tracked time: list, read, create, import a period's billable time, lines,
status, payments, the PDF.

Invoices are server-first (a paid Clockify feature for the workspace's owner and admins): the
list and each invoice read are kept in the store (``admin:invoices:...:<ws>``) with when they
were read, so a window or verb opens at once and offline ("as of ..."), and a read minutes old
costs no request.

Changes go to Clockify at once and are never sent twice. Before a create, an import, a typed
line, a payment or a duplicate goes out, a marker records it; if its answer is lost the
service reads back at once (an invoice with that number; the invoice's imported entries, lines
or payments grown) and takes what it finds as done. While nothing is found it is not sent again
before the unclear horizon (:data:`tracker.sync.unclear.UNCLEAR_HORIZON`), since Clockify may
still commit it. Importing a period twice adds nothing twice: Clockify skips entries already
invoiced, and the service says how many lines an import added.
"""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from tracker.api.models.invoices import (
    STATUSES,
    Invoice,
    InvoiceCreate,
    InvoiceSummary,
    ItemCreate,
    Payment,
    PaymentCreate,
    TimeImport,
)
from tracker.services.admin_base import (
    FRESH_SECONDS,
    AdminError,
    AdminOffline,
    Kept,
    ServerFirst,
    speaking,
)
from tracker.services.invoice_locks import forget_invoice, remember_invoice

__all__ = [
    "GROUPINGS",
    "INVOICING",
    "STATUSES",
    "Detail",
    "Imported",
    "Invoices",
    "Listing",
    "money",
    "short_id",
]

T = TypeVar("T")
B = TypeVar("B", int, list[str])

INVOICING = "INVOICING"
"""Clockify's ``Feature`` name of invoicing (Standard and up)."""

GROUPINGS: dict[str, dict[str, Any]] = {
    "project": {"time_entry_group_type": "GROUPED", "time_entry_primary_group_by": "PROJECT"},
    "task": {
        "time_entry_group_type": "GROUPED",
        "time_entry_primary_group_by": "PROJECT",
        "time_entry_secondary_group_by": "TASK",
    },
    "person": {"time_entry_group_type": "GROUPED", "time_entry_primary_group_by": "USER"},
    "date": {"time_entry_group_type": "GROUPED", "time_entry_primary_group_by": "DATE"},
    "entry": {
        "time_entry_group_type": "DETAILED",
        "time_entry_fields_for_detailed_group": ["PROJECT", "DESCRIPTION", "DATE"],
        "time_entry_primary_group_by": None,
    },
    "single": {"time_entry_group_type": "SINGLE_ITEM", "time_entry_primary_group_by": None},
}
"""How imported time becomes lines, as people say it (Clockify's grouping options)."""

_LIST = "list"


def short_id(invoice_id: str) -> str:
    """The last six characters of an id, as lists show it."""
    return invoice_id[-6:]


def money(cents: int, currency: str = "") -> str:
    """Cents as a person reads them (``1,234.50 EUR``)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d} {currency}".rstrip()


@dataclass(frozen=True)
class Listing:
    """The invoices as read at ``as_of``; ``offline`` says why an older copy is shown."""

    invoices: tuple[InvoiceSummary, ...]
    as_of: datetime
    offline: str | None = None
    stale: bool = False


@dataclass(frozen=True)
class Detail:
    """One invoice with its payments, as read at ``as_of``."""

    invoice: Invoice
    payments: tuple[Payment, ...]
    as_of: datetime
    offline: str | None = None


@dataclass(frozen=True)
class Imported:
    """What an import did: the invoice after it, and how many lines and entries it added."""

    invoice: Invoice
    lines: int
    entries: int


def _dump(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True)
    return data


class Invoices(ServerFirst):
    """Read and change the workspace's invoices."""

    area = "invoices"

    # --- reading ---------------------------------------------------------------------------

    async def list(self, *, refresh: bool = False) -> Listing:
        """Every invoice, newest first: the kept copy while fresh (or with no client), else
        read; when Clockify cannot be reached, what was kept (with why), else
        :class:`AdminOffline`."""
        kept = self.reuse(_LIST, refresh=refresh)
        if kept is not None:
            return _listing(kept, None)
        try:
            with speaking("read the invoices"):
                found = await self.api.invoices.list(self.workspace_id)
        except AdminOffline as exc:
            old = self.kept(_LIST)
            if old is None:
                raise
            return _listing(old, exc.message)
        return _listing(self.keep({"invoices": [_dump(i) for i in found]}, _LIST), None)

    def kept_list(self) -> Listing | None:
        """The invoices as kept here, without a request (``None`` when never read)."""
        kept = self.kept(_LIST)
        return None if kept is None else _listing(kept, None)

    async def show(self, invoice_id: str, *, refresh: bool = False) -> Detail:
        """One invoice and its payments (kept like the list)."""
        kind = f"one:{invoice_id}"
        kept = self.reuse(kind, refresh=refresh)
        if kept is not None:
            return _detail(kept, None)
        try:
            return _detail(await self._read_one(invoice_id), None)
        except AdminOffline as exc:
            old = self.kept(kind)
            if old is None:
                raise
            return _detail(old, exc.message)

    def kept_detail(self, invoice_id: str) -> Detail | None:
        """One invoice as kept here, without a request (``None`` when never read)."""
        kept = self.kept(f"one:{invoice_id}")
        return None if kept is None else _detail(kept, None)

    def detail_due(self, detail: Detail | None) -> bool:
        """Whether a window showing ``detail`` should ask Clockify again."""
        return detail is None or self._old(detail.as_of)

    def due(self, listing: Listing | None) -> bool:
        """Whether a window showing ``listing`` should ask Clockify again (never read, old,
        or changed here since)."""
        return listing is None or listing.stale or self._old(listing.as_of)

    def _old(self, as_of: datetime) -> bool:
        age = (self.now() - as_of).total_seconds()
        return not 0 <= age < FRESH_SECONDS

    async def _read_one(self, invoice_id: str) -> Kept[dict[str, Any]]:
        with speaking("read the invoice"):
            invoice = await self.api.invoices.get(self.workspace_id, invoice_id)
            payments = await self.api.invoices.payments(self.workspace_id, invoice_id)
        return self._keep_one(invoice, payments)

    def _keep_one(self, invoice: Invoice, payments: builtins.list[Payment]) -> Kept[dict[str, Any]]:
        data = {"invoice": _dump(invoice), "payments": [_dump(p) for p in payments]}
        self._note_invoiced(invoice)
        return self.keep(data, f"one:{invoice.id}")

    def _note_invoiced(self, invoice: Invoice) -> None:
        """Remember which entries the invoice holds: they are locked here too."""
        remember_invoice(
            self.context.store.conn,
            self.workspace_id,
            (invoice.id, invoice.number),
            invoice.imported_entry_ids,
            self.now().timestamp(),
        )

    def find(self, text: str) -> InvoiceSummary:
        """The invoice ``text`` names (its number, its id, or the end of its id) among those
        read last.

        Raises:
            AdminError: none or several fit.
        """
        listing = self.kept_list()
        wanted = text.strip()
        if listing is None:
            raise AdminError("The invoices have not been read yet: run `tracker invoice list`.")
        by_number = [i for i in listing.invoices if i.number == wanted]
        if len(by_number) == 1:
            return by_number[0]
        by_id = [i for i in listing.invoices if wanted and i.id.endswith(wanted.casefold())]
        if len(by_id) == 1:
            return by_id[0]
        if len(by_id) > 1:
            raise AdminError(f"{wanted[:30]!r} fits several invoices' ids; give more of it.")
        raise AdminError(f"No invoice numbered or with an id ending {wanted[:30]!r}.")

    def next_number(self, year: int, client_id: str | None = None) -> str:
        """A number after the highest one read that ends in digits, else ``YEAR-001``.

        For a client whose last create may have landed unseen (its process was killed, its
        answer lost), that create's number: asked again, it is found or held back instead
        of made a second time under the next number.
        """
        if client_id is not None:
            meta = self.context.store.meta
            held = meta.get(self._numbering(client_id))
            if isinstance(held, str) and self.pending(f"create:{held}"):
                return held
        listing = self.kept_list()
        numbers = [i.number for i in listing.invoices] if listing else []
        best: tuple[int, str, int] | None = None
        for number in numbers:
            head = number.rstrip("0123456789")
            tail = number[len(head) :]
            if tail and (best is None or int(tail) > best[0]):
                best = (int(tail), head, len(tail))
        if best is None:
            return f"{year}-001"
        value, head, width = best
        return f"{head}{value + 1:0{width}d}"

    # --- changing ----------------------------------------------------------------------------

    async def create(
        self, client_id: str, number: str, issued: date, due: date, currency: str | None = None
    ) -> Invoice:
        """A new, empty invoice for the client (read back in full), in ``currency`` or the
        workspace's.

        Raises:
            AdminError: refused (one sentence); AdminUnclear while a lost create may land.
        """
        number = number.strip()
        if not number:
            raise AdminError("Give the invoice a number.")
        if due < issued:
            raise AdminError("The due date is before the issue date.")
        if not currency:
            currency = await self._currency()
        body = InvoiceCreate(
            client_id=client_id,
            currency=currency.strip().upper(),
            number=number,
            issued_date=self._midnight(issued),
            due_date=self._midnight(due),
        )

        async def look() -> str | None:
            with speaking("read the invoices back"):
                found = await self.api.invoices.list(self.workspace_id)
            same = [i for i in found if i.number == number and i.client_id == client_id]
            return same[0].id if same else None

        async def send() -> str:
            return (await self.api.invoices.create(self.workspace_id, body)).id

        meta = self.context.store.meta
        key = f"create:{number}"
        meta.set(self._numbering(client_id), number)
        try:
            made = await self._once(key, f"create invoice {number}", look, send)
        except BaseException:
            if meta.get(self._inflight(key)) is None:
                meta.set(self._numbering(client_id), None)  # nothing in flight
            raise
        if meta.get(self._inflight(key)) is None:  # else kept while the person is not told
            meta.set(self._numbering(client_id), None)
        return await self._fresh(made)

    def _numbering(self, client_id: str) -> str:
        """The meta key of the number of the client's create in flight."""
        return f"admin_numbering:{self.area}:{self.workspace_id}:{client_id}"

    def _inflight(self, key: str) -> str:
        """The meta key :meth:`ServerFirst.send_once` marks a change in flight with."""
        return f"admin_inflight:{self.area}:{self.workspace_id}:{key}"

    async def import_time(
        self, invoice_id: str, first: date, last: date, *, grouping: str = "project"
    ) -> Imported:
        """Import the client's billable time from ``first`` to ``last`` (days in the
        person's zone) as lines; entries already invoiced are skipped by Clockify.

        Raises:
            AdminError: refused; AdminUnclear while a lost import may land.
        """
        if last < first:
            raise AdminError("The last day is before the first.")
        if grouping not in GROUPINGS:
            raise AdminError(f"Group imported time by one of: {', '.join(GROUPINGS)}.")
        before = await self._fresh(invoice_id)
        body = TimeImport.model_validate(
            {
                "from": self._midnight(first),
                "to": self._midnight(last + timedelta(days=1)),
                **GROUPINGS[grouping],
            }
        )

        known = before.imported_entry_ids

        async def look(held: builtins.list[str]) -> Invoice | None:
            nonlocal known
            known = set(held)  # what the first try saw: a late import is counted
            now = await self._fresh(invoice_id)
            return now if now.imported_entry_ids - known else None

        async def send() -> Invoice:
            return await self.api.invoices.import_time(self.workspace_id, invoice_id, body)

        key = f"import:{invoice_id}:{first}:{last}"
        ids = sorted(before.imported_entry_ids)
        after = await self._once_from(key, "import the time", ids, look, send)
        self._stale_one(after)
        added = after.imported_entry_ids - known
        lines = (
            len(after.items) - len(before.items)
            if known == before.imported_entry_ids
            else sum(1 for item in after.items if added & set(item.time_entry_ids))
        )
        return Imported(after, lines, len(added))

    async def add_item(
        self,
        invoice_id: str,
        description: str,
        quantity: float,
        unit_price_cents: int,
        *,
        item_type: str = "Service",
    ) -> Invoice:
        """Add a typed line: ``quantity`` units (hours, pieces) at ``unit_price_cents``.

        Raises:
            AdminError: refused; AdminUnclear while a lost line may land.
        """
        description = description.strip()
        if not description:
            raise AdminError("Say what the line is for.")
        if round(quantity * 100) <= 0 or unit_price_cents < 0:  # Clockify keeps hundredths
            raise AdminError("A line needs a quantity above 0 and a price of 0 or more.")
        before = await self._fresh(invoice_id)
        body = ItemCreate(
            description=description,
            item_type=item_type,
            quantity=round(quantity * 100),
            unit_price=unit_price_cents * 100,
        )

        def same(invoice: Invoice) -> int:
            return sum(
                1
                for i in invoice.items
                if (i.description, i.quantity, i.unit_price)
                == (description, body.quantity, body.unit_price)
            )

        async def look(first: int) -> Invoice | None:
            now = await self._fresh(invoice_id)
            return now if same(now) > first else None

        async def send() -> Invoice:
            return await self.api.invoices.add_item(self.workspace_id, invoice_id, body)

        key = f"item:{invoice_id}:{description}:{body.quantity}:{body.unit_price}"
        after = await self._once_from(key, "add the line", same(before), look, send)
        self._stale_one(after)
        return after

    async def remove_item(self, invoice_id: str, order: int) -> Invoice:
        """Remove line ``order`` (1-based); time it held is no longer invoiced.

        Never sent twice: a second removal would take the next line. While one whose answer
        was lost is unclear, the next try on the invoice first looks whether it landed.

        Raises:
            AdminError: refused; AdminUnclear while a lost removal may land.
        """
        before = await self._fresh(invoice_id)
        if not 1 <= order <= len(before.items):
            raise AdminError(f"The invoice has no line {order}; it has {len(before.items)}.")

        async def look(first: int) -> Invoice | None:
            now = await self._fresh(invoice_id)
            return now if len(now.items) < first else None

        async def send() -> Invoice:
            return await self.api.invoices.remove_item(self.workspace_id, invoice_id, order)

        key = f"remove:{invoice_id}"
        after = await self._once_from(key, "remove the line", len(before.items), look, send)
        self._stale_one(after)
        return after

    async def set_status(self, invoice_id: str, status: str) -> Invoice:
        """Set the status (``SENT``, ``VOID``...); answers the invoice read back."""
        status = status.strip().upper().replace("-", "_")
        if status not in STATUSES:
            raise AdminError(f"An invoice's status is one of: {', '.join(STATUSES)}.")
        with speaking(f"mark the invoice {status.lower().replace('_', ' ')}", change=True):
            await self.api.invoices.set_status(self.workspace_id, invoice_id, status)
        return await self._fresh(invoice_id)

    async def pay(
        self, invoice_id: str, amount_cents: int, *, note: str = "", day: date | None = None
    ) -> Invoice:
        """Record a payment of ``amount_cents``; the status follows (partly paid, paid).

        Raises:
            AdminError: refused; AdminUnclear while a lost payment may land.
        """
        if amount_cents <= 0:
            raise AdminError("A payment is more than 0.")
        with speaking("read the payments"):
            before = await self.api.invoices.payments(self.workspace_id, invoice_id)
        body = PaymentCreate(
            amount=amount_cents,
            note=note or None,
            payment_date=self._midnight(day) if day else None,
        )

        def same(payments: builtins.list[Payment]) -> int:
            return sum(1 for p in payments if p.amount == amount_cents)

        async def look(first: int) -> Invoice | None:
            with speaking("read the payments back"):
                now = await self.api.invoices.payments(self.workspace_id, invoice_id)
            return await self._fresh(invoice_id) if same(now) > first else None

        async def send() -> Invoice:
            return await self.api.invoices.add_payment(self.workspace_id, invoice_id, body)

        key = f"pay:{invoice_id}:{amount_cents}"
        await self._once_from(key, "record the payment", same(before), look, send)
        self.amend(_unchanged, _LIST)
        return await self._fresh(invoice_id)  # kept with its payments

    async def duplicate(self, invoice_id: str) -> Invoice:
        """A copy with the next number, unsent."""
        with speaking("read the invoices"):
            known = sorted(i.id for i in await self.api.invoices.list(self.workspace_id))

        async def look(held: builtins.list[str]) -> Invoice | None:
            with speaking("read the invoices back"):
                found = await self.api.invoices.list(self.workspace_id)
            new = [i for i in found if i.id not in held]
            return await self._fresh(new[0].id) if len(new) == 1 else None

        async def send() -> Invoice:
            return await self.api.invoices.duplicate(self.workspace_id, invoice_id)

        key = f"duplicate:{invoice_id}"
        copy = await self._once_from(key, "duplicate the invoice", known, look, send)
        self._stale_one(copy)
        return copy

    async def delete(self, invoice_id: str) -> None:
        """Delete the invoice; its time is no longer invoiced. A delete whose answer was lost
        (or retried onto "it does not belong to the workspace") is done when the invoice is no
        longer listed."""
        try:
            with speaking("delete the invoice", change=True):
                await self.api.invoices.delete(self.workspace_id, invoice_id)
        except AdminError:  # AdminUnclear too
            if not await self._gone(invoice_id):
                raise
        forget_invoice(
            self.context.store.conn, self.workspace_id, invoice_id, self.now().timestamp()
        )
        self.amend(lambda data: _drop(data, invoice_id), _LIST)

    async def export(self, invoice_id: str, destination: Path, *, locale: str = "en") -> int:
        """Write the invoice's PDF to ``destination`` (complete or not at all); its size.

        Raises:
            AdminError: refused or unreachable, or the file could not be written.
        """
        try:
            with speaking("export the invoice"):
                return await self.api.invoices.export(
                    self.workspace_id, invoice_id, destination, locale=locale
                )
        except OSError as exc:
            raise AdminError(
                f"The PDF could not be written to {destination}: {exc.strerror}."
            ) from exc

    # --- helpers -----------------------------------------------------------------------------

    async def _currency(self) -> str:
        """The workspace's currency: that of its hourly rate."""
        with speaking("read the workspace's currency"):
            workspace = await self.api.workspaces.get(self.workspace_id)
        rate = workspace.hourly_rate
        if rate is None or not rate.currency:
            raise AdminError("The workspace has no currency on Clockify; give one (--currency).")
        return rate.currency

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(), self.context.zone())

    async def _fresh(self, invoice_id: str) -> Invoice:
        """The invoice read now (kept, with its payments)."""
        return Invoice.model_validate((await self._read_one(invoice_id)).value["invoice"])

    def _stale_one(self, invoice: Invoice) -> None:
        """Keep what a change answered and mark the list to be read again."""
        kept = self.kept(f"one:{invoice.id}")
        payments = kept.value.get("payments", []) if kept else []
        self._note_invoiced(invoice)
        self.keep({"invoice": _dump(invoice), "payments": payments}, f"one:{invoice.id}")
        self.amend(_unchanged, _LIST)

    async def _gone(self, invoice_id: str) -> bool:
        """Whether Clockify lists the workspace's invoices without this one (``False`` when
        they cannot be read)."""
        try:
            with speaking("read the invoices back"):
                found = await self.api.invoices.list(self.workspace_id)
        except AdminError:
            return False
        return all(i.id != invoice_id for i in found)

    async def _once_from(
        self,
        key: str,
        what: str,
        before: B,
        look: Callable[[B], Awaitable[T | None]],
        send: Callable[[], Awaitable[T]],
    ) -> T:
        """:meth:`_once` for a change seen only against what was there before it (a count of
        lines or payments, the ids of invoices or invoiced entries). What was there before
        the first try is kept with the change until it is done: a try after one that landed
        late compares with that, not with what was read after the change was made (which
        would send it again)."""
        meta = self.context.store.meta
        name = f"admin_before:{self.area}:{self.workspace_id}:{key}"
        held = meta.get(name)
        first = held if isinstance(held, type(before)) else before
        meta.set(name, first)
        try:
            answer = await self._once(key, what, lambda: look(first), send)
        except BaseException:
            if meta.get(f"admin_inflight:{self.area}:{self.workspace_id}:{key}") is None:
                meta.set(name, None)  # nothing in flight: the next try starts afresh
            raise
        meta.set(name, None)
        return answer

    async def _once(
        self,
        key: str,
        what: str,
        look: Callable[[], Awaitable[T | None]],
        send: Callable[[], Awaitable[T]],
    ) -> T:
        """Send a change never twice (:meth:`ServerFirst.send_once`); a change sent marks
        the kept list stale."""
        answer = await self.send_once(key, what, look, send)
        self.amend(_unchanged, _LIST)
        return answer


def _unchanged(_data: dict[str, Any]) -> None:
    """Nothing to change in place: the kept list is only marked to be read again."""


def _drop(data: dict[str, Any], invoice_id: str) -> None:
    data["invoices"] = [i for i in data.get("invoices", []) if i.get("id") != invoice_id]


def _listing(kept: Kept[dict[str, Any]], offline: str | None) -> Listing:
    found = [InvoiceSummary.model_validate(i) for i in kept.value.get("invoices", [])]
    found.sort(key=lambda i: (i.issued_date or kept.as_of, i.number), reverse=True)
    return Listing(tuple(found), kept.as_of, offline, kept.stale)


def _detail(kept: Kept[dict[str, Any]], offline: str | None) -> Detail:
    invoice = Invoice.model_validate(kept.value["invoice"])
    payments = tuple(Payment.model_validate(p) for p in kept.value.get("payments", []))
    return Detail(invoice, payments, kept.as_of, offline)
