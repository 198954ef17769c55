"""The ``tracker invoice`` actions that change an invoice on Clockify: create, import-time,
add-item, remove-item, status, pay, export, duplicate and delete. Removing a line, voiding
and deleting ask first (``--yes``, ``--dry-run``); amounts are taken as typed, to the cent.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.cli.admin_verbs import confirm
from tracker.cli.invoice_online import detail_json, money, named, online
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api.models.invoices import Invoice
    from tracker.services.invoices import Invoices

__all__ = [
    "add_item",
    "create",
    "delete",
    "duplicate",
    "export",
    "import_time",
    "pay",
    "remove_item",
    "set_status",
]


def _client_id(rt: Runtime, text: str) -> tuple[str, str]:
    from tracker.services.catalog import Catalog  # noqa: PLC0415
    from tracker.services.errors import ServiceError  # noqa: PLC0415

    rt.fetch_references_once()
    try:
        client = Catalog(rt.context).resolve_client(text)
    except ServiceError as exc:
        raise UserError(str(exc)) from exc
    server_id = rt.store.catalog.server_id("client", client.id)
    if not server_id:
        raise UserError(f"The client {client.name} is not on Clockify yet; run `tracker sync`.")
    return server_id, client.name


def create(rt: Runtime) -> int:
    args = rt.args
    client_id, client_name = _client_id(rt, args.client)
    issued = rt.day(args.issued) if args.issued else rt.context.today()
    due = rt.day(args.due) if args.due else issued + timedelta(days=30)

    async def work(service: Invoices) -> Invoice:
        if args.number:
            number = args.number
        else:
            await service.list()
            number = service.next_number(issued.year, client_id)
        return await service.create(client_id, number, issued, due, args.currency)

    made: Invoice = online(rt, work)
    rt.emit(
        detail_json(made),
        [f"Created invoice {one_line(made.number)} for {client_name}, due {due.isoformat()}."],
    )
    return 0


def _period(rt: Runtime) -> tuple[date, date]:
    from tracker.services.reports import PERIODS, named_period  # noqa: PLC0415

    args = rt.args
    if args.period and (args.since or args.to):
        raise UserError("Give a PERIOD or --from/--to, not both.")
    if args.since or args.to:
        last = rt.day(args.to) if args.to else rt.context.today()
        first = rt.day(args.since) if args.since else last
        return first, last
    name = args.period or "last-month"
    if name.strip().lower().replace("_", "-") not in PERIODS:
        raise UserError(f"Unknown period {one_line(name)[:30]!r}; use one of {', '.join(PERIODS)}.")
    return named_period(name, rt.context.today(), rt.store.meta.profile().week_start)


def import_time(rt: Runtime) -> int:
    found = named(rt, rt.args.invoice)
    first, last = _period(rt)
    grouping = rt.args.group_by
    done = online(rt, lambda s: s.import_time(found.id, first, last, grouping=grouping))
    invoice: Invoice = done.invoice
    total = money(invoice.amount, invoice.currency)
    said = (
        f"Imported {done.entries} time entries from {first.isoformat()} to {last.isoformat()} "
        f"as {done.lines} line(s); the invoice now totals {total}."
        if done.entries
        else f"No billable time of {one_line(invoice.client_name)} from {first.isoformat()} to "
        f"{last.isoformat()} is left to invoice; nothing was added."
    )
    data = {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "lines_added": done.lines,
        "entries_added": done.entries,
        "invoice": detail_json(invoice),
    }
    rt.emit(data, [said])
    return 0


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        raise UserError(f"Give the {what} as a number, e.g. 120.50.") from None
    if not value.is_finite() or value < 0 or value > Decimal(10) ** 9:
        raise UserError(f"Give the {what} as a number from 0 to 1,000,000,000.")
    return value


def _hundredths(text: str, what: str, unit: str) -> int:
    """``text`` in hundredths; a finer value is refused, since Clockify keeps hundredths
    (rounding 12.345 or 0.004 away would bill what the person did not type)."""
    value = _decimal(text, what) * 100
    if value != value.to_integral_value():
        raise UserError(f"Give the {what} in {unit} (at most two decimals, e.g. 12.35).")
    return int(value)


def _cents(text: str, what: str) -> int:
    return _hundredths(text, what, "whole cents")


def add_item(rt: Runtime) -> int:
    args = rt.args
    found = named(rt, args.invoice)
    quantity = _hundredths(args.quantity, "quantity", "hundredths of a unit") / 100
    price = _cents(args.price, "price")

    async def work(service: Invoices) -> Invoice:
        return await service.add_item(
            found.id, args.description, quantity, price, item_type=args.item_type
        )

    invoice: Invoice = online(rt, work)
    rt.emit(
        detail_json(invoice),
        [
            f"Added the line; invoice {one_line(invoice.number)} now totals "
            f"{money(invoice.amount, invoice.currency)}."
        ],
    )
    return 0


def remove_item(rt: Runtime) -> int:
    found = named(rt, rt.args.invoice)
    order = rt.args.order
    if order < 1:
        raise UserError("Lines are numbered from 1 (see `tracker invoice show`).")
    if not confirm(rt, f"remove line {order} of invoice {one_line(found.number)}"):
        return 0
    invoice: Invoice = online(rt, lambda s: s.remove_item(found.id, order))
    rt.emit(
        detail_json(invoice),
        [
            f"Removed line {order}; invoice {one_line(invoice.number)} now totals "
            f"{money(invoice.amount, invoice.currency)}."
        ],
    )
    return 0


def set_status(rt: Runtime) -> int:
    found = named(rt, rt.args.invoice)
    status = rt.args.status.strip().upper().replace("-", "_")
    if status == "VOID" and not confirm(rt, f"void invoice {one_line(found.number)}"):
        return 0
    invoice: Invoice = online(rt, lambda s: s.set_status(found.id, status))
    rt.emit(
        detail_json(invoice),
        [f"Invoice {one_line(invoice.number)} is {invoice.status.lower().replace('_', ' ')}."],
    )
    return 0


def pay(rt: Runtime) -> int:
    args = rt.args
    found = named(rt, args.invoice)
    day = rt.day(args.date) if args.date else None
    note = args.note or ""

    async def work(service: Invoices) -> Invoice:
        amount = _cents(args.amount, "amount") if args.amount else None
        if amount is None:
            amount = (await service.show(found.id, refresh=True)).invoice.balance
            if amount <= 0:
                raise UserError("Nothing is left to pay on this invoice.")
        return await service.pay(found.id, amount, note=note, day=day)

    invoice: Invoice = online(rt, work)
    rt.emit(
        detail_json(invoice),
        [
            f"Recorded the payment; invoice {one_line(invoice.number)} is "
            f"{invoice.status.lower().replace('_', ' ')}, "
            f"{money(invoice.balance, invoice.currency)} left to pay."
        ],
    )
    return 0


def export(rt: Runtime) -> int:
    found = named(rt, rt.args.invoice)
    destination = Path(rt.args.file).expanduser()
    if destination.is_dir():
        raise UserError(f"{destination} is a folder; give a file name.")
    if not destination.parent.is_dir():
        raise UserError(f"The folder {destination.parent} does not exist.")
    size: int = online(rt, lambda s: s.export(found.id, destination))
    rt.emit(
        {"file": str(destination), "bytes": size},
        [f"Wrote invoice {one_line(found.number)} to {destination} ({size:,} bytes)."],
    )
    return 0


def duplicate(rt: Runtime) -> int:
    found = named(rt, rt.args.invoice)
    copy: Invoice = online(rt, lambda s: s.duplicate(found.id))
    rt.emit(
        detail_json(copy),
        [f"Copied invoice {one_line(found.number)} as {one_line(copy.number)} (unsent)."],
    )
    return 0


def delete(rt: Runtime) -> int:
    found = named(rt, rt.args.invoice)
    if not confirm(rt, f"delete invoice {one_line(found.number)} to {one_line(found.client_name)}"):
        return 0
    online(rt, lambda s: s.delete(found.id))
    rt.emit(
        {"done": "deleted", "id": found.id, "number": found.number},
        [f"Deleted invoice {one_line(found.number)}; its time is no longer invoiced."],
    )
    return 0
