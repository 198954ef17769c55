"""``tracker invoice``: invoices from tracked time, on Clockify (owners and admins; a
Standard plan or higher).

``list`` and ``show`` read (kept copies offline, with their time); ``create CLIENT`` makes an
empty invoice; ``import-time INVOICE [PERIOD]`` adds a period's billable time of the invoice's
client as lines (``--group-by``), never the same entries twice; ``add-item``, ``remove-item``,
``status``, ``pay``, ``export``, ``duplicate`` and ``delete`` do what they say. An invoice is
named by its number or the end of its id. Removing a line and deleting an invoice ask first
(``--yes``, ``--dry-run``).

Here: the grammar, the dispatch and the two reading actions; the changing actions are in
:mod:`tracker.cli.invoice_changes`, and what both need to reach Clockify in
:mod:`tracker.cli.invoice_online`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from tracker.cli import invoice_changes as changes
from tracker.cli.invoice_online import detail_json, money, named, online, require, service
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api.models.invoices import Invoice, InvoiceSummary
    from tracker.services.invoices import Detail, Listing

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
    require(rt)
    return {
        "list": _list,
        "show": _show,
        "create": changes.create,
        "import-time": changes.import_time,
        "add-item": changes.add_item,
        "remove-item": changes.remove_item,
        "status": changes.set_status,
        "pay": changes.pay,
        "export": changes.export,
        "duplicate": changes.duplicate,
        "delete": changes.delete,
    }[name](rt)


# --- reading -------------------------------------------------------------------------------------


def _summary_json(item: InvoiceSummary) -> dict[str, Any]:
    return item.model_dump(mode="json")


def _list(rt: Runtime) -> int:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    refresh = bool(rt.args.refresh)
    try:
        listing: Listing = online(rt, lambda s: s.list(refresh=refresh))
    except UserError as problem:
        try:
            listing = asyncio.run(service(rt, None).list())
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
            money(i.amount, i.currency),
            money(i.balance, i.currency),
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
            money(round(item.unit_price / 100), cur),
            money(item.amount, cur),
        ]
        for item in invoice.items
    ]
    if rows:
        lines += table(["#", "DESCRIPTION", "QTY", "UNIT PRICE", "AMOUNT"], rows, indent="  ")
    else:
        lines.append("  No lines yet: `tracker invoice import-time` adds tracked time.")
    lines.append(f"Subtotal {money(invoice.subtotal, cur)}")
    if invoice.discount_amount:
        lines.append(f"Discount -{money(invoice.discount_amount, cur)}")
    if invoice.tax_amount or invoice.tax2_amount:
        lines.append(f"Tax {money(invoice.tax_amount + invoice.tax2_amount, cur)}")
    lines.append(
        f"Total {money(invoice.amount, cur)}, paid {money(invoice.paid, cur)}, "
        f"due {money(invoice.balance, cur)}"
    )
    for payment in payments:
        when = payment.date.astimezone(rt.zone()).date() if payment.date else ""
        note = f" ({one_line(payment.note)[:40]})" if payment.note else ""
        lines.append(f"  Paid {money(payment.amount, cur)} on {when}{note}")
    return lines


def _show(rt: Runtime) -> int:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    found = named(rt, rt.args.invoice)
    refresh = bool(rt.args.refresh)
    try:
        detail: Detail = online(rt, lambda s: s.show(found.id, refresh=refresh))
    except UserError as problem:
        try:
            detail = asyncio.run(service(rt, None).show(found.id))
        except AdminError:
            raise problem from None
        print(f"tracker: {problem}; showing what was read at {_at(rt, detail)}.", file=sys.stderr)
    rt.emit(
        {"as_of": detail.as_of.isoformat(), **detail_json(detail.invoice, detail.payments)},
        _detail_lines(rt, detail.invoice, detail.payments),
    )
    return 0
