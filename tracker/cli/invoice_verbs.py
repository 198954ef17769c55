"""``tracker invoice``: invoices from tracked time, on Clockify (owners and admins; a
Standard plan or higher).

``list`` and ``show`` read (kept copies offline, with their time); ``create CLIENT`` makes an
empty invoice; ``import-time INVOICE [PERIOD]`` adds a period's billable time of the invoice's
client as lines (``--group-by``), never the same entries twice; ``add-item``, ``remove-item``,
``status``, ``pay``, ``export``, ``duplicate`` and ``delete`` do what they say. An invoice is
named by its number or the end of its id. Removing a line and deleting an invoice ask first
(``--yes``, ``--dry-run``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.cli.admin_verbs import confirm, require_admin_account, run_online
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.api.models.invoices import Invoice, InvoiceSummary
    from tracker.services.invoices import Detail, Invoices, Listing

__all__ = ["arguments", "cmd_invoice"]

_ACTIONS = (
    "list",
    "show",
    "create",
    "import-time",
    "add-item",
    "remove-item",
    "status",
    "pay",
    "export",
    "duplicate",
    "delete",
)
_NOT_ADMIN = "Only the workspace's owner and admins invoice on Clockify."


def arguments(parser: argparse.ArgumentParser, parser_class: type[argparse.ArgumentParser]) -> None:
    """The actions of ``tracker invoice``, each with its words and options."""
    json_flag = parser_class(add_help=False)
    json_flag.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=parser_class)

    def action(name: str, text: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=text, parents=[json_flag])

    listed = action("list", "the workspace's invoices, newest first")
    listed.add_argument("--status", action="append", metavar="S", help="only this status")
    listed.add_argument("--refresh", action="store_true", help="ask Clockify even if just read")
    show = action("show", "one invoice: its lines, totals and payments")
    show.add_argument("invoice", metavar="INVOICE", help="its number or the end of its id")
    show.add_argument("--refresh", action="store_true", help="ask Clockify even if just read")
    create = action("create", "a new, empty invoice for a client")
    create.add_argument("client", metavar="CLIENT", help="the client's name or id")
    create.add_argument("--number", metavar="N", help="its number (default: the next one)")
    create.add_argument("--issued", metavar="DAY", help="issue day (today)")
    create.add_argument("--due", metavar="DAY", help="due day (30 days after issue)")
    create.add_argument("--currency", metavar="CODE", help="EUR, USD... (the workspace's)")
    imported = action("import-time", "add a period's billable time of the client as lines")
    imported.add_argument("invoice", metavar="INVOICE")
    imported.add_argument("period", nargs="?", metavar="PERIOD", help="last-month (default)...")
    imported.add_argument("--from", dest="since", metavar="DAY", help="first day")
    imported.add_argument("--to", metavar="DAY", help="last day")
    imported.add_argument(
        "--group-by",
        choices=("project", "task", "person", "date", "entry", "single"),
        default="project",
        help="a line per project (default), task, person, date, entry, or one line",
    )
    item = action("add-item", "add a typed line")
    item.add_argument("invoice", metavar="INVOICE")
    item.add_argument("description", metavar="DESCRIPTION")
    item.add_argument("--quantity", default="1", metavar="Q", help="units or hours (1)")
    item.add_argument("--price", required=True, metavar="P", help="unit price, e.g. 120.50")
    item.add_argument("--type", dest="item_type", default="Service", metavar="T")
    remove = action("remove-item", "remove a line (asks first)")
    remove.add_argument("invoice", metavar="INVOICE")
    remove.add_argument("order", type=int, metavar="N", help="the line's number in `show`")
    status = action("status", "mark the invoice unsent, sent, paid, partially-paid or void")
    status.add_argument("invoice", metavar="INVOICE")
    status.add_argument("status", metavar="STATUS")
    pay = action("pay", "record a payment")
    pay.add_argument("invoice", metavar="INVOICE")
    pay.add_argument("amount", nargs="?", metavar="AMOUNT", help="e.g. 250.00 (the balance)")
    pay.add_argument("--note", metavar="TEXT")
    pay.add_argument("--date", metavar="DAY", help="when it was paid (today)")
    export = action("export", "write the invoice as a PDF")
    export.add_argument("invoice", metavar="INVOICE")
    export.add_argument("file", metavar="FILE", help="where to write it (.pdf)")
    duplicate = action("duplicate", "a copy with the next number, unsent")
    duplicate.add_argument("invoice", metavar="INVOICE")
    delete = action("delete", "delete an invoice (asks first)")
    delete.add_argument("invoice", metavar="INVOICE")
    for destructive in (remove, delete, status):
        destructive.add_argument("--yes", action="store_true", help="do not ask")
        destructive.add_argument("--dry-run", action="store_true", help="say what would be done")


def cmd_invoice(rt: Runtime) -> int:
    """Run the action asked for."""
    name = getattr(rt.args, "action", None)
    if not name:
        raise UserError(f"Say what to do: tracker invoice ACTION ({', '.join(_ACTIONS)}).")
    _require(rt)
    return {
        "list": _list,
        "show": _show,
        "create": _create,
        "import-time": _import,
        "add-item": _add_item,
        "remove-item": _remove_item,
        "status": _status,
        "pay": _pay,
        "export": _export,
        "duplicate": _duplicate,
        "delete": _delete,
    }[name](rt)


# --- talking to Clockify -------------------------------------------------------------------------


def _require(rt: Runtime) -> None:
    """An account, a plan with invoicing and (when known) an owner's or admin's role, checked
    without a request."""
    from tracker.services.abilities import ROLE_ADMIN, abilities, plan_lacks  # noqa: PLC0415
    from tracker.services.invoices import INVOICING  # noqa: PLC0415

    require_admin_account(rt)
    if plan_lacks(rt.store, INVOICING):
        raise UserError(
            "This workspace's Clockify plan has no invoicing (it comes with the Standard plan "
            "and above)."
        )
    role = abilities(rt.store).role
    if role is not None and role != ROLE_ADMIN:
        raise UserError(_NOT_ADMIN)


def _service(rt: Runtime, api: ClockifyClient | None) -> Invoices:
    from tracker.services.invoices import Invoices  # noqa: PLC0415

    return Invoices(rt.context, api)


def _online(rt: Runtime, work: Any) -> Any:
    """Run ``work(service)`` with a client; Clockify's refusal as one sentence."""

    async def go(api: ClockifyClient | None) -> Any:
        return await work(_service(rt, api))

    return run_online(rt, go)


def _named(rt: Runtime, text: str) -> InvoiceSummary:
    """The invoice ``text`` names among those read last; the list is read again once when
    none fits (a new invoice, or never read here)."""
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    service = _service(rt, None)
    try:
        return service.find(text)
    except AdminError:
        pass
    _online(rt, lambda s: s.list(refresh=True))
    try:
        return service.find(text)
    except AdminError as exc:
        raise UserError(exc.message) from exc


# --- reading -------------------------------------------------------------------------------------


def _money(cents: int, currency: str = "") -> str:
    from tracker.services.invoices import money  # noqa: PLC0415

    return money(cents, currency)


def _summary_json(item: InvoiceSummary) -> dict[str, Any]:
    return item.model_dump(mode="json")


def _list(rt: Runtime) -> int:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    refresh = bool(rt.args.refresh)
    try:
        listing: Listing = _online(rt, lambda s: s.list(refresh=refresh))
    except UserError as problem:
        try:
            listing = asyncio.run(_service(rt, None).list())
        except AdminError:
            raise problem from None
        print(f"tracker: {problem}; showing what was read at {_at(rt, listing)}.", file=sys.stderr)
    wanted = {s.upper().replace("-", "_") for s in rt.args.status or ()}
    shown = [i for i in listing.invoices if not wanted or i.status in wanted]
    rows = [
        [
            i.number,
            one_line(i.client_name)[:30],
            i.issued_date.astimezone(rt.zone()).date().isoformat() if i.issued_date else "",
            i.due_date.astimezone(rt.zone()).date().isoformat() if i.due_date else "",
            i.status.lower().replace("_", " "),
            _money(i.amount, i.currency),
            _money(i.balance, i.currency),
        ]
        for i in shown
    ]
    lines = (
        table(["NUMBER", "CLIENT", "ISSUED", "DUE", "STATUS", "AMOUNT", "BALANCE"], rows)
        if rows
        else ["No invoices."]
    )
    data = {"as_of": listing.as_of.isoformat(), "invoices": [_summary_json(i) for i in shown]}
    rt.emit(data, lines)
    return 0


def _at(rt: Runtime, listing: Listing | Detail) -> str:
    return listing.as_of.astimezone(rt.zone()).strftime("%Y-%m-%d %H:%M")


def _detail_json(invoice: Invoice, payments: Any = ()) -> dict[str, Any]:
    data = invoice.model_dump(mode="json")
    data["payments"] = [p.model_dump(mode="json") for p in payments]
    return data


def _detail_lines(rt: Runtime, invoice: Invoice, payments: Any = ()) -> list[str]:
    cur = invoice.currency
    issued = invoice.issued_date.astimezone(rt.zone()).date() if invoice.issued_date else None
    due = invoice.due_date.astimezone(rt.zone()).date() if invoice.due_date else None
    lines = [
        f"Invoice {one_line(invoice.number)} to {one_line(invoice.client_name)} "
        f"({invoice.status.lower().replace('_', ' ')}), issued {issued}, due {due}",
    ]
    if invoice.subject:
        lines.append(f"Subject: {one_line(invoice.subject)}")
    rows = [
        [
            str(item.order),
            one_line(item.description)[:50],
            f"{item.quantity / 100:.2f}",
            _money(round(item.unit_price / 100), cur),
            _money(item.amount, cur),
        ]
        for item in invoice.items
    ]
    if rows:
        lines += table(["#", "DESCRIPTION", "QTY", "UNIT PRICE", "AMOUNT"], rows, indent="  ")
    else:
        lines.append("  No lines yet: `tracker invoice import-time` adds tracked time.")
    lines.append(f"Subtotal {_money(invoice.subtotal, cur)}")
    if invoice.discount_amount:
        lines.append(f"Discount -{_money(invoice.discount_amount, cur)}")
    if invoice.tax_amount or invoice.tax2_amount:
        lines.append(f"Tax {_money(invoice.tax_amount + invoice.tax2_amount, cur)}")
    lines.append(
        f"Total {_money(invoice.amount, cur)}, paid {_money(invoice.paid, cur)}, "
        f"due {_money(invoice.balance, cur)}"
    )
    for payment in payments:
        when = payment.date.astimezone(rt.zone()).date() if payment.date else ""
        note = f" ({one_line(payment.note)[:40]})" if payment.note else ""
        lines.append(f"  Paid {_money(payment.amount, cur)} on {when}{note}")
    return lines


def _show(rt: Runtime) -> int:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    found = _named(rt, rt.args.invoice)
    refresh = bool(rt.args.refresh)
    try:
        detail: Detail = _online(rt, lambda s: s.show(found.id, refresh=refresh))
    except UserError as problem:
        try:
            detail = asyncio.run(_service(rt, None).show(found.id))
        except AdminError:
            raise problem from None
        print(f"tracker: {problem}; showing what was read at {_at(rt, detail)}.", file=sys.stderr)
    rt.emit(
        {"as_of": detail.as_of.isoformat(), **_detail_json(detail.invoice, detail.payments)},
        _detail_lines(rt, detail.invoice, detail.payments),
    )
    return 0


# --- changing ------------------------------------------------------------------------------------


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


def _create(rt: Runtime) -> int:
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

    made: Invoice = _online(rt, work)
    rt.emit(
        _detail_json(made),
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


def _import(rt: Runtime) -> int:
    found = _named(rt, rt.args.invoice)
    first, last = _period(rt)
    grouping = rt.args.group_by
    done = _online(rt, lambda s: s.import_time(found.id, first, last, grouping=grouping))
    invoice: Invoice = done.invoice
    total = _money(invoice.amount, invoice.currency)
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
        "invoice": _detail_json(invoice),
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


def _add_item(rt: Runtime) -> int:
    args = rt.args
    found = _named(rt, args.invoice)
    quantity = _hundredths(args.quantity, "quantity", "hundredths of a unit") / 100
    price = _cents(args.price, "price")

    async def work(service: Invoices) -> Invoice:
        return await service.add_item(
            found.id, args.description, quantity, price, item_type=args.item_type
        )

    invoice: Invoice = _online(rt, work)
    rt.emit(
        _detail_json(invoice),
        [
            f"Added the line; invoice {one_line(invoice.number)} now totals "
            f"{_money(invoice.amount, invoice.currency)}."
        ],
    )
    return 0


def _remove_item(rt: Runtime) -> int:
    found = _named(rt, rt.args.invoice)
    order = rt.args.order
    if order < 1:
        raise UserError("Lines are numbered from 1 (see `tracker invoice show`).")
    if not confirm(rt, f"remove line {order} of invoice {one_line(found.number)}"):
        return 0
    invoice: Invoice = _online(rt, lambda s: s.remove_item(found.id, order))
    rt.emit(
        _detail_json(invoice),
        [
            f"Removed line {order}; invoice {one_line(invoice.number)} now totals "
            f"{_money(invoice.amount, invoice.currency)}."
        ],
    )
    return 0


def _status(rt: Runtime) -> int:
    found = _named(rt, rt.args.invoice)
    status = rt.args.status.strip().upper().replace("-", "_")
    if status == "VOID" and not confirm(rt, f"void invoice {one_line(found.number)}"):
        return 0
    invoice: Invoice = _online(rt, lambda s: s.set_status(found.id, status))
    rt.emit(
        _detail_json(invoice),
        [f"Invoice {one_line(invoice.number)} is {invoice.status.lower().replace('_', ' ')}."],
    )
    return 0


def _pay(rt: Runtime) -> int:
    args = rt.args
    found = _named(rt, args.invoice)
    day = rt.day(args.date) if args.date else None
    note = args.note or ""

    async def work(service: Invoices) -> Invoice:
        amount = _cents(args.amount, "amount") if args.amount else None
        if amount is None:
            amount = (await service.show(found.id, refresh=True)).invoice.balance
            if amount <= 0:
                raise UserError("Nothing is left to pay on this invoice.")
        return await service.pay(found.id, amount, note=note, day=day)

    invoice: Invoice = _online(rt, work)
    rt.emit(
        _detail_json(invoice),
        [
            f"Recorded the payment; invoice {one_line(invoice.number)} is "
            f"{invoice.status.lower().replace('_', ' ')}, "
            f"{_money(invoice.balance, invoice.currency)} left to pay."
        ],
    )
    return 0


def _export(rt: Runtime) -> int:
    found = _named(rt, rt.args.invoice)
    destination = Path(rt.args.file).expanduser()
    if destination.is_dir():
        raise UserError(f"{destination} is a folder; give a file name.")
    if not destination.parent.is_dir():
        raise UserError(f"The folder {destination.parent} does not exist.")
    size: int = _online(rt, lambda s: s.export(found.id, destination))
    rt.emit(
        {"file": str(destination), "bytes": size},
        [f"Wrote invoice {one_line(found.number)} to {destination} ({size:,} bytes)."],
    )
    return 0


def _duplicate(rt: Runtime) -> int:
    found = _named(rt, rt.args.invoice)
    copy: Invoice = _online(rt, lambda s: s.duplicate(found.id))
    rt.emit(
        _detail_json(copy),
        [f"Copied invoice {one_line(found.number)} as {one_line(copy.number)} (unsent)."],
    )
    return 0


def _delete(rt: Runtime) -> int:
    found = _named(rt, rt.args.invoice)
    if not confirm(rt, f"delete invoice {one_line(found.number)} to {one_line(found.client_name)}"):
        return 0
    _online(rt, lambda s: s.delete(found.id))
    rt.emit(
        {"done": "deleted", "id": found.id, "number": found.number},
        [f"Deleted invoice {one_line(found.number)}; its time is no longer invoiced."],
    )
    return 0
