"""Routes for invoices: the list and its filter, create, read, change, duplicate, delete,
status, items (typed or imported from tracked time), payments, settings, the PDF export, and
marking time entries invoiced.

Rules (FACTS §6 "Invoices", §2, §4, and the spec's descriptions): invoicing is a paid feature
(``INVOICING``, Standard and up: 403 on a plan without it) and belongs to the workspace's owner
and admins (anyone else: 403 ``Access Denied``). The list answers the ``{invoices, total}``
envelope, paged in the query with ``Last-Page``; the filter is a ``POST`` paged in its body.
An unknown invoice is Clockify's 400 ``... doesn't belong to Workspace`` (FACTS §3). Invoice
numbers are unique in a workspace. How the amounts count is in
:mod:`tests.fakeclockify.invoices`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakeclockify.access import is_admin_role, require_feature
from tests.fakeclockify.exports import CONTENT_TYPES, Table, export_file
from tests.fakeclockify.invoices import (
    INVOICING,
    STATUSES,
    Invoice,
    InvoiceBook,
    Item,
    Payment,
    invoice_book,
    invoice_dto,
    invoice_info_dto,
    overview_dto,
    payment_dto,
    totals,
)
from tests.fakeclockify.lookup import find_client, not_in_workspace
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.paging import last_page_header, page_params
from tests.fakeclockify.records import Entry, WorkspaceData
from tests.fakeclockify.reports import billable_row
from tests.fakeclockify.routing import (
    Reply,
    Request,
    body_bool,
    body_instant,
    body_int,
    body_object,
    body_str,
    body_str_list,
    route,
)

__all__: list[str] = []

_BASE = "/v1/workspaces/{workspaceId}/invoices"
_ONE = _BASE + "/{invoiceId}"
_SORT_COLUMNS = ("ID", "CLIENT", "DUE_ON", "ISSUE_DATE", "AMOUNT", "BALANCE")
_APPLY_TAXES = ("TAX1", "TAX2", "TAX1TAX2", "NONE")
_TAX_TYPES = ("COMPOUND", "SIMPLE", "NONE")
_GROUP_TYPES = ("SINGLE_ITEM", "GROUPED", "DETAILED")
_PRIMARY = ("USER", "PROJECT", "DATE")
_SECONDARY = ("PROJECT", "USER", "TASK", "DATE", "DESCRIPTION", "NONE")
_DETAILED = ("PROJECT", "TASK", "TAGS", "DESCRIPTION", "DATE", "USER")
_ZERO_FIELDS = ("TAX", "TAX_2", "DISCOUNT")
_ROUND_TO = 15 * 60
_LABELS = (
    "amount",
    "billFrom",
    "billTo",
    "description",
    "discount",
    "dueDate",
    "issueDate",
    "itemType",
    "notes",
    "paid",
    "quantity",
    "subtotal",
    "tax",
    "tax2",
    "total",
    "totalAmountDue",
    "unitPrice",
)


def _open(req: Request) -> tuple[WorkspaceData, InvoiceBook]:
    require_feature(req.ws, INVOICING)
    if not is_admin_role(req.ws, req.user.id):
        raise ApiError(403, "Access Denied", 501)
    return req.ws, invoice_book(req.ws)


def _find(req: Request, books: InvoiceBook) -> Invoice:
    invoice = books.invoices.get(req.params["invoiceId"])
    if invoice is None:
        raise not_in_workspace("Invoice")
    return invoice


def _enum(value: str | None, allowed: tuple[str, ...], java: str) -> str | None:
    if value is None or value in allowed:
        return value
    raise ApiError(
        400,
        f"JSON parse error: Cannot deserialize value of type `{java}` from String "
        f'"{value}": not one of the values accepted for Enum class: [{", ".join(allowed)}]',
        3002,
    )


def _required(value: Any, name: str) -> Any:
    if value is None or value == "":
        raise ApiError(400, f"Field '{name}' must not be null", 501)
    return value


def _percent(body: dict[str, Any], name: str, *, required: bool) -> int | None:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(400, f"Field '{name}' must not be null", 501)
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ApiError(
            400,
            f"JSON parse error: Cannot deserialize value of type `double` "
            f"from {type(value).__name__} value",
            3002,
        )
    if not 0 <= value <= 100:
        raise ApiError(400, f"Field '{name}' must be between 0 and 100", 501)
    return round(value * 100)


def _check_number(books: InvoiceBook, number: str, but: str | None = None) -> None:
    if any(i.number == number and i.id != but for i in books.invoices.values()):
        raise ApiError(400, f"Invoice with number {number} already exists", 501)


def _dates(body: dict[str, Any]) -> tuple[int, int]:
    issued = _required(body_instant(body, "issuedDate"), "issuedDate")
    due = _required(body_instant(body, "dueDate"), "dueDate")
    if due < issued:
        raise ApiError(400, "Due date can't be before issue date", 501)
    return issued, due


def _editable(invoice: Invoice) -> None:
    if invoice.status == "VOID":
        raise ApiError(400, "A void invoice can't be changed", 501)


def _overview(req: Request, invoice: Invoice, status: int = 200) -> Reply:
    req.state.touch()
    return Reply(status, overview_dto(req.ws, invoice))


# --- the lists ------------------------------------------------------------------------------------


def _sorted(data: WorkspaceData, found: list[Invoice], column: str, order: str) -> list[Invoice]:
    def client(i: Invoice) -> str:
        named = data.clients.get(i.client_id)
        return named.name.casefold() if named else ""

    keys: dict[str, Any] = {
        "ID": lambda i: i.id,
        "CLIENT": lambda i: (client(i), i.id),
        "DUE_ON": lambda i: (i.due, i.id),
        "ISSUE_DATE": lambda i: (i.issued, i.id),
        "AMOUNT": lambda i: (totals(i).amount, i.id),
        "BALANCE": lambda i: (totals(i).balance, i.id),
    }
    found.sort(key=keys[column])
    if order == "DESCENDING":
        found.reverse()
    return found


@route("GET", _BASE)
def list_invoices(req: Request) -> Reply:
    """``{invoices, total}``: the workspace's invoices with the statuses asked for, sorted
    and paged (``total`` counts every match)."""
    data, books = _open(req)
    page, size = page_params(req)
    statuses = [_enum(s, STATUSES, "InvoiceStatus") for s in req.many("statuses")]
    column = _enum(req.first("sort-column") or "ID", _SORT_COLUMNS, "InvoiceSortColumn")
    order = _enum(req.first("sort-order") or "ASCENDING", ("ASCENDING", "DESCENDING"), "Order")
    found = [i for i in books.invoices.values() if not statuses or i.status in statuses]
    found = _sorted(data, found, column or "ID", order or "ASCENDING")
    start = (page - 1) * size
    chunk = found[start : start + size]
    body = {"invoices": [invoice_dto(data, i) for i in chunk], "total": len(found)}
    return Reply(200, body, last_page_header(start + size >= len(found)))


def _day_bound(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        day = datetime.strptime(str(value), "%Y-%m-%d")
    except ValueError:
        raise ApiError(400, f"Field '{name}' must be a date in yyyy-MM-dd format", 501) from None
    return int(day.replace(tzinfo=ZoneInfo("UTC")).timestamp())


def _text_filters(body: dict[str, Any]) -> list[Any]:
    keep: list[Any] = []
    statuses = body_str_list(body, "statuses") or []
    for status in statuses:
        _enum(status, STATUSES, "InvoiceStatus")
    if statuses:
        keep.append(lambda i, t: i.status in statuses)
    number = body_str(body, "invoiceNumber")
    if number and body_bool(body, "strictSearch"):
        keep.append(lambda i, t: i.number == number)
    elif number:
        keep.append(lambda i, t: number.casefold() in i.number.casefold())
    clients = body_object(body, "clients")
    ids = body_str_list(clients, "ids") if clients else None
    if clients and ids:
        unwanted = body_str(clients, "contains") == "DOES_NOT_CONTAIN"
        keep.append(lambda i, t: (i.client_id in ids) != unwanted)
    return keep


def _number_filters(body: dict[str, Any]) -> list[Any]:
    keep: list[Any] = []
    tests = {
        "exact": lambda a, b: a == b,
        "greaterThan": lambda a, b: a > b,
        "lessThan": lambda a, b: a < b,
    }
    for name, field in (("Amount", "amount"), ("Balance", "balance")):
        for prefix, test in tests.items():
            bound = body_int(body, prefix + name)
            if bound is not None:
                keep.append(lambda i, t, b=bound, f=test, p=field: f(getattr(t, p), b))
    issue = body_object(body, "issueDate")
    if issue:
        low = _day_bound(issue.get("issue-date-start"), "issue-date-start")
        high = _day_bound(issue.get("issue-date-end"), "issue-date-end")
        if low is not None:
            keep.append(lambda i, t: i.issued >= low)
        if high is not None:
            keep.append(lambda i, t: i.issued < high + 86400)
    return keep


@route("POST", _BASE + "/info")
def filter_invoices(req: Request) -> Reply:
    """``{invoices, total}`` of ``InvoiceInfoV1``: the invoices the filter keeps, paged in the
    body (``page``, ``pageSize``)."""
    data, books = _open(req)
    body = req.json_object()
    page = max(body_int(body, "page") or 1, 1)
    size = body_int(body, "pageSize") or 50
    if size < 1:
        raise ApiError(400, "Page size must be greater than 0.", 501)
    column = _enum(body_str(body, "sortColumn") or "ID", _SORT_COLUMNS, "InvoiceSortColumn")
    order = _enum(body_str(body, "sortOrder") or "ASCENDING", ("ASCENDING", "DESCENDING"), "Order")
    keep = _text_filters(body) + _number_filters(body)
    found = [i for i in books.invoices.values() if all(k(i, totals(i)) for k in keep)]
    found = _sorted(data, found, column or "ID", order or "ASCENDING")
    chunk = found[(page - 1) * size : page * size]
    now = req.state.now()
    return Reply(
        200,
        {"invoices": [invoice_info_dto(data, i, now) for i in chunk], "total": len(found)},
    )


# --- settings (before /{invoiceId}, which would take the word as an id) ---------------------------


@route("GET", _BASE + "/settings")
def get_settings(req: Request) -> Reply:
    """The workspace's invoice settings."""
    _data, books = _open(req)
    return Reply(200, books.settings)


@route("PUT", _BASE + "/settings")
def put_settings(req: Request) -> Reply:
    """Replace the settings: ``labels`` (every label) required; ``defaults`` needs ``notes``
    and ``subject``. Answers 200 with no body."""
    _data, books = _open(req)
    body = req.json_object()
    labels = _required(body_object(body, "labels"), "labels")
    for name in _LABELS:
        if body_str(labels, name) is None:
            raise ApiError(400, f"Field 'labels.{name}' must not be null", 501)
    settings = dict(books.settings)
    settings["labels"] = {
        **{k: labels[k] for k in _LABELS if k != "totalAmountDue"},
        "totalAmount": labels["totalAmountDue"],
    }
    defaults = body_object(body, "defaults")
    if defaults is not None:
        for name in ("notes", "subject"):
            if body_str(defaults, name) is None:
                raise ApiError(400, f"Field 'defaults.{name}' must not be null", 501)
        _enum(body_str(defaults, "taxType"), _TAX_TYPES, "TaxType")
        days = body_int(defaults, "dueDays")
        if days is not None and days < 0:
            raise ApiError(400, "Field 'defaults.dueDays' must not be negative", 501)
        settings["defaults"] = {**settings["defaults"], **defaults}
    fields = body_object(body, "exportFields")
    if fields is not None:
        for name, value in fields.items():
            if not isinstance(value, bool):
                raise ApiError(400, f"Field 'exportFields.{name}' must be true or false", 501)
        settings["exportFields"] = {**settings["exportFields"], **fields}
    books.settings = settings
    req.state.touch()
    return Reply(200)


# --- one invoice ----------------------------------------------------------------------------------


@route("POST", _BASE)
def create_invoice(req: Request) -> Reply:
    """An empty invoice for a client (``CreateInvoiceDtoV1``, 201); numbers are unique."""
    data, books = _open(req)
    body = req.json_object()
    client_id = _required(body_str(body, "clientId"), "clientId")
    find_client(data, client_id)
    currency = _required(body_str(body, "currency"), "currency").strip().upper()
    number = _required(body_str(body, "number"), "number").strip()
    if not number:
        raise ApiError(400, "Field 'number' must not be blank", 501)
    _enum(body_str(body, "timeViewMode"), ("TIME_SENSITIVE_VIEW", "AGGREGATED_TIME_VIEW"), "Mode")
    issued, due = _dates(body)
    _check_number(books, number)
    defaults = books.settings.get("defaults", {})
    invoice = Invoice(
        id=req.state.new_id(),
        user_id=req.user.id,
        client_id=client_id,
        currency=currency,
        number=number,
        issued=issued,
        due=due,
        note=str(defaults.get("notes") or ""),
        subject=str(defaults.get("subject") or ""),
        tax=round(float(defaults.get("taxPercent") or 0) * 100),
        tax2=round(float(defaults.get("tax2Percent") or 0) * 100),
        tax_type=str(defaults.get("taxType") or "SIMPLE"),
    )
    books.invoices[invoice.id] = invoice
    req.state.touch()
    return Reply(
        201,
        {
            "id": invoice.id,
            "number": invoice.number,
            "clientId": invoice.client_id,
            "currency": invoice.currency,
            "issuedDate": body["issuedDate"],
            "dueDate": body["dueDate"],
            "billFrom": data.workspace.name,
        },
    )


@route("GET", _ONE)
def get_invoice(req: Request) -> Reply:
    """One invoice with its items (``InvoiceOverviewDtoV1``)."""
    _data, books = _open(req)
    return Reply(200, overview_dto(req.ws, _find(req, books)))


@route("PUT", _ONE)
def update_invoice(req: Request) -> Reply:
    """Replace the invoice's own fields (not its items); the required ones are the spec's."""
    data, books = _open(req)
    invoice = _find(req, books)
    _editable(invoice)
    body = req.json_object()
    currency = _required(body_str(body, "currency"), "currency").strip().upper()
    number = _required(body_str(body, "number"), "number").strip()
    issued, due = _dates(body)
    tax = _percent(body, "taxPercent", required=True)
    tax2 = _percent(body, "tax2Percent", required=True)
    discount = _percent(body, "discountPercent", required=True)
    tax_type = _enum(body_str(body, "taxType"), _TAX_TYPES, "TaxType")
    zero = body.get("visibleZeroFields")
    if zero is not None:
        listed = zero if isinstance(zero, list) else [zero]
        for one in listed:
            _enum(one, _ZERO_FIELDS, "VisibleZeroFields")
        invoice.visible_zero_fields = [str(v) for v in listed]
    client_id = body_str(body, "clientId")
    if client_id:
        find_client(data, client_id)
        invoice.client_id = client_id
    _check_number(books, number, but=invoice.id)
    invoice.currency, invoice.number, invoice.issued, invoice.due = currency, number, issued, due
    invoice.tax, invoice.tax2, invoice.discount = tax or 0, tax2 or 0, discount or 0
    invoice.tax_type = tax_type or invoice.tax_type
    invoice.note = body_str(body, "note") or ""
    invoice.subject = body_str(body, "subject") or ""
    invoice.company_id = body_str(body, "companyId") or ""
    return _overview(req, invoice)


@route("DELETE", _ONE)
def delete_invoice(req: Request) -> Reply:
    """Delete the invoice; the time it held is no longer invoiced. 200, no body."""
    data, books = _open(req)
    invoice = _find(req, books)
    for item in invoice.items:
        _mark(data, books, item.time_entry_ids, None)
    del books.invoices[invoice.id]
    req.state.touch()
    return Reply(200)


def _next_number(books: InvoiceBook, number: str) -> str:
    taken = {i.number for i in books.invoices.values()}
    head = number.rstrip("0123456789")
    tail = number[len(head) :]
    start = int(tail) + 1 if tail else 2
    width = len(tail)
    for n in range(start, start + 10000):
        candidate = f"{head}{n:0{width}d}" if tail else f"{number}-{n}"
        if candidate not in taken:
            return candidate
    raise ApiError(400, "No free invoice number", 501)


@route("POST", _ONE + "/duplicate")
def duplicate_invoice(req: Request) -> Reply:
    """A copy with the next free number, unsent and unpaid; imported lines become typed lines
    (the time stays on the original)."""
    _data, books = _open(req)
    original = _find(req, books)
    copy = Invoice(
        id=req.state.new_id(),
        user_id=req.user.id,
        client_id=original.client_id,
        currency=original.currency,
        number=_next_number(books, original.number),
        issued=original.issued,
        due=original.due,
        note=original.note,
        subject=original.subject,
        tax=original.tax,
        tax2=original.tax2,
        discount=original.discount,
        tax_type=original.tax_type,
        company_id=original.company_id,
        visible_zero_fields=list(original.visible_zero_fields),
        items=[
            Item(
                i.order,
                i.description,
                i.item_type,
                i.quantity,
                i.unit_price,
                i.apply_taxes,
                imported_amount=i.imported_amount,
            )
            for i in original.items
        ],
    )
    books.invoices[copy.id] = copy
    return _overview(req, copy, 201)


@route("PATCH", _ONE + "/status")
def change_status(req: Request) -> Reply:
    """Set the status (any of the spec's; PAID only when nothing is left to pay). 200, no
    body."""
    _data, books = _open(req)
    invoice = _find(req, books)
    body = req.json_object()
    status = _enum(
        _required(body_str(body, "invoiceStatus"), "invoiceStatus"), STATUSES, "InvoiceStatus"
    )
    if status == "PAID" and totals(invoice).balance > 0:
        raise ApiError(400, "Invoice can't be marked as paid before it is paid in full", 501)
    invoice.status = str(status)
    req.state.touch()
    return Reply(200)


# --- items ----------------------------------------------------------------------------------------


def _renumber(invoice: Invoice) -> None:
    for order, item in enumerate(invoice.items, start=1):
        item.order = order


@route("POST", _ONE + "/items")
def add_item(req: Request) -> Reply:
    """Add a typed line: every field required; quantity in hundredths, unit price in cents x
    100."""
    _data, books = _open(req)
    invoice = _find(req, books)
    _editable(invoice)
    body = req.json_object()
    description = _required(body_str(body, "description"), "description")
    item_type = _required(body_str(body, "itemType"), "itemType")
    quantity = _required(body_int(body, "quantity"), "quantity")
    unit_price = _required(body_int(body, "unitPrice"), "unitPrice")
    taxes = _enum(_required(body_str(body, "applyTaxes"), "applyTaxes"), _APPLY_TAXES, "ApplyTaxes")
    if quantity <= 0:
        raise ApiError(400, "Quantity must be greater than 0", 501)
    if unit_price < 0:
        raise ApiError(400, "Unit price must not be negative", 501)
    if len(description) > 3000:
        raise ApiError(400, "Description can't be longer than 3000 characters", 501)
    order = len(invoice.items) + 1
    invoice.items.append(Item(order, description, item_type, quantity, unit_price, str(taxes)))
    return _overview(req, invoice)


def _mark(data: WorkspaceData, books: InvoiceBook, entry_ids: list[str], owner: str | None) -> None:
    for entry_id in entry_ids:
        entry = data.entries.get(entry_id)
        if owner is None:
            books.invoiced.pop(entry_id, None)
        else:
            books.invoiced[entry_id] = owner
        if entry is not None:
            entry.is_locked = owner is not None


@route("DELETE", _ONE + "/items/{order}")
def remove_item(req: Request) -> Reply:
    """Remove the line at ``order`` (1-based); the lines after it move up, and time it held is
    no longer invoiced."""
    data, books = _open(req)
    invoice = _find(req, books)
    _editable(invoice)
    raw = req.params["order"]
    if not raw.isdigit():
        raise ApiError(
            400,
            "Method parameter 'order': Failed to convert value of type 'java.lang.String' to "
            f"required type 'int'; For input string: \"{raw}\"",
            3000,
        )
    order = int(raw)
    if not 1 <= order <= len(invoice.items):
        raise ApiError(400, "Invoice item doesn't exist", 501)
    gone = invoice.items.pop(order - 1)
    _mark(data, books, gone.time_entry_ids, None)
    _renumber(invoice)
    return _overview(req, invoice)


def _project_ids(data: WorkspaceData, invoice: Invoice, spec: dict[str, Any] | None) -> set[str]:
    """The invoice client's projects the filter keeps (archived ones by ``status``)."""
    ids = set(body_str_list(spec, "ids") or []) if spec else set()
    contains = (body_str(spec, "contains") if spec else None) or "CONTAINS"
    status = (body_str(spec, "status") if spec else None) or "ALL"
    _enum(contains, ("CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY"), "ContainsFilter")
    _enum(status, ("ACTIVE", "ARCHIVED", "ALL"), "Status")
    kept = set()
    for project in data.projects.values():
        if project.client_id != invoice.client_id:
            continue
        if status != "ALL" and project.archived != (status == "ARCHIVED"):
            continue
        if ids and (project.id in ids) == (contains == "DOES_NOT_CONTAIN"):
            continue
        kept.add(project.id)
    return kept


def _key(data: WorkspaceData, req: Request, entry: Entry, part: str) -> str:
    zone = ZoneInfo(req.user.time_zone)
    if part == "PROJECT":
        project = data.projects.get(entry.project_id or "")
        return project.name if project else ""
    if part == "TASK":
        task = data.tasks.get(entry.task_id or "")
        return task.name if task else ""
    if part == "USER":
        user = req.state.users.get(entry.user_id)
        return (user.name or user.email) if user else ""
    if part == "DATE":
        return datetime.fromtimestamp(entry.start, zone).date().isoformat()
    if part == "DESCRIPTION":
        return entry.description
    if part == "TAGS":
        return ", ".join(data.tags[t].name for t in entry.tag_ids or () if t in data.tags)
    return ""


def _grouping(req: Request, body: dict[str, Any]) -> tuple[str, list[str]]:
    kind = _enum(
        _required(body_str(body, "timeEntryGroupType"), "timeEntryGroupType"),
        _GROUP_TYPES,
        "TimeEntryGroupType",
    )
    if kind == "SINGLE_ITEM":
        return "SINGLE_ITEM", []
    if kind == "DETAILED":
        fields = body_str_list(body, "timeEntryFieldsForDetailedGroup") or [
            "PROJECT",
            "DESCRIPTION",
        ]
        for name in fields:
            _enum(name, _DETAILED, "TimeEntryField")
        return "DETAILED", fields
    primary = _enum(body_str(body, "timeEntryPrimaryGroupBy") or "PROJECT", _PRIMARY, "GroupBy")
    secondary = _enum(body_str(body, "timeEntrySecondaryGroupBy") or "NONE", _SECONDARY, "GroupBy")
    if primary == secondary:
        raise ApiError(400, "Secondary group can't be the same as the primary group", 501)
    return "GROUPED", [str(primary)] + ([] if secondary == "NONE" else [str(secondary)])


@route("POST", _ONE + "/items/import")
def import_time(req: Request) -> Reply:
    """Import the billable time of the invoice's client from ``from`` to ``to`` (start within,
    finished, not invoiced yet) as lines grouped as asked, one per group and rate; the entries
    become invoiced. Nothing left to import adds nothing."""
    data, books = _open(req)
    invoice = _find(req, books)
    _editable(invoice)
    body = req.json_object()
    low = _required(body_instant(body, "from"), "from")
    high = _required(body_instant(body, "to"), "to")
    if high <= low:
        raise ApiError(400, "'to' must be after 'from'", 501)
    _required(body_bool(body, "importExpenses"), "importExpenses")
    projects = _project_ids(
        data, invoice, _required(body_object(body, "projectFilter"), "projectFilter")
    )
    kind, parts = _grouping(req, body)
    rounded = bool(body_bool(body, "roundTimeEntryDuration"))
    entries = sorted(
        (
            e
            for e in data.entries.values()
            if e.end is not None
            and e.billable
            and low <= e.start < high
            and (e.project_id or "") in projects
            and e.id not in books.invoiced
        ),
        key=lambda e: (e.start, e.id),
    )
    groups: dict[tuple[str, ...], list[tuple[Entry, int, int]]] = defaultdict(list)
    for entry in entries:
        row = billable_row(data, entry)
        seconds, earned = row.seconds, row.earned
        if rounded:
            seconds = round(seconds / _ROUND_TO) * _ROUND_TO
            earned = round(seconds * row.rate / 3600)
        label: tuple[str, ...] = (entry.id,)
        if kind != "DETAILED":
            label = tuple(_key(data, req, entry, p) for p in parts)
        groups[(*label, str(row.rate))].append((entry, seconds, earned))
    item_type = "Service"
    for key, members in groups.items():
        rate = int(key[-1])
        if kind == "DETAILED":
            first = members[0][0]
            description = " - ".join(
                _key(data, req, first, p) for p in parts if _key(data, req, first, p)
            )
        elif kind == "SINGLE_ITEM":
            description = "Time"
        else:
            description = " - ".join(p for p in key[:-1] if p) or "Time"
        seconds = sum(m[1] for m in members)
        ids = [m[0].id for m in members]
        invoice.items.append(
            Item(
                order=len(invoice.items) + 1,
                description=description or "Time",
                item_type=item_type,
                quantity=round(seconds / 36),
                unit_price=rate * 100,
                import_type="TIME_ENTRY_IMPORT",
                time_entry_ids=ids,
                imported_amount=sum(m[2] for m in members),
            )
        )
        _mark(data, books, ids, invoice.id)
    return _overview(req, invoice)


# --- payments -------------------------------------------------------------------------------------


def _settle(invoice: Invoice) -> None:
    """The status a payment made or took away leaves (VOID and UNSENT stay)."""
    sums = totals(invoice)
    if invoice.status in ("VOID", "UNSENT") and sums.paid == 0:
        return
    if sums.paid >= sums.amount > 0:
        invoice.status = "PAID"
    elif sums.paid > 0:
        invoice.status = "PARTIALLY_PAID"
    elif invoice.status in ("PAID", "PARTIALLY_PAID"):
        invoice.status = "SENT"


@route("GET", _ONE + "/payments")
def list_payments(req: Request) -> Reply:
    """The invoice's payments, oldest first, paged in the query (a bare list)."""
    _data, books = _open(req)
    invoice = _find(req, books)
    page, size = page_params(req)
    found = sorted(invoice.payments, key=lambda p: (p.date, p.id))
    start = (page - 1) * size
    chunk = [payment_dto(p) for p in found[start : start + size]]
    return Reply(200, chunk, last_page_header(start + size >= len(found)))


@route("POST", _ONE + "/payments")
def add_payment(req: Request) -> Reply:
    """Record a payment (cents, at most the balance); the status follows (201)."""
    _data, books = _open(req)
    invoice = _find(req, books)
    if invoice.status == "VOID":
        raise ApiError(400, "A void invoice can't be paid", 501)
    body = req.json_object()
    amount = _required(body_int(body, "amount"), "amount")
    if amount <= 0:
        raise ApiError(400, "Payment amount must be greater than 0", 501)
    if amount > totals(invoice).balance:
        raise ApiError(400, "Payment amount can't be greater than the invoice balance", 501)
    when = body_instant(body, "paymentDate") or req.state.now()
    author = req.user.name or req.user.email
    invoice.payments.append(
        Payment(req.state.new_id(), amount, when, body_str(body, "note") or "", author)
    )
    _settle(invoice)
    return _overview(req, invoice, 201)


@route("DELETE", _ONE + "/payments/{paymentId}")
def delete_payment(req: Request) -> Reply:
    """Take a payment back; the status follows."""
    _data, books = _open(req)
    invoice = _find(req, books)
    kept = [p for p in invoice.payments if p.id != req.params["paymentId"]]
    if len(kept) == len(invoice.payments):
        raise not_in_workspace("Payment")
    invoice.payments = kept
    _settle(invoice)
    return _overview(req, invoice)


# --- export ---------------------------------------------------------------------------------------


def _money(cents: int, currency: str) -> str:
    return f"{cents / 100:,.2f} {currency}"


@route("GET", _ONE + "/export")
def export_invoice(req: Request) -> Reply:
    """The invoice as a PDF (``userLocale`` required, as the spec says)."""
    data, books = _open(req)
    invoice = _find(req, books)
    if not req.first("userLocale"):
        raise ApiError(
            400,
            "Required request parameter 'userLocale' for method parameter type String is not "
            "present",
            3000,
        )
    sums = totals(invoice)
    cur = invoice.currency
    client = data.clients.get(invoice.client_id)
    rows: list[list[str | int | float]] = [
        [
            i.description,
            f"{i.quantity / 100:.2f}",
            _money(round(i.unit_price / 100), cur),
            _money(i.amount, cur),
        ]
        for i in invoice.items
    ]
    rows += [
        ["", "", "Subtotal", _money(sums.subtotal, cur)],
        ["", "", "Discount", _money(sums.discount, cur)],
        ["", "", "Tax", _money(sums.tax + sums.tax2, cur)],
        ["", "", "Total", _money(sums.amount, cur)],
        ["", "", "Paid", _money(sums.paid, cur)],
        ["", "", "Amount due", _money(sums.balance, cur)],
    ]
    title = f"Invoice {invoice.number} - {data.workspace.name} to {client.name if client else ''}"
    table = Table(title, ("Description", "Quantity", "Unit price", "Amount"), rows)
    content, kind = export_file(table, "PDF")
    assert kind == CONTENT_TYPES["PDF"]
    return Reply(
        200,
        content,
        {
            "Content-Type": kind,
            "Content-Disposition": f'attachment; filename="invoice-{invoice.id}.pdf"',
        },
    )


# --- invoiced time --------------------------------------------------------------------------------


@route("PATCH", "/v1/workspaces/{workspaceId}/time-entries/invoiced")
def mark_invoiced(req: Request) -> Reply:
    """Mark entries invoiced (or not) by hand; every id must be the workspace's. 200, no body."""
    data, books = _open(req)
    body = req.json_object()
    ids = body_str_list(body, "timeEntryIds")
    if not ids:
        raise ApiError(400, "Field 'timeEntryIds' must not be empty", 501)
    invoiced = _required(body_bool(body, "invoiced"), "invoiced")
    for entry_id in ids:
        if entry_id not in data.entries:
            raise not_in_workspace("Time entry")
    _mark(data, books, ids, "" if invoiced else None)
    req.state.touch()
    return Reply(200)
