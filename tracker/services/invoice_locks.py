"""Which of my entries are on an invoice, and the lock that puts on them.

Imported time is invoiced on Clockify (its entries read back ``isLocked``), and changing an
invoiced entry here would make the invoice and the time disagree. :mod:`tracker.services.
invoices` records, for each invoice it reads or changes, the Clockify ids of the entries its
lines were imported from, in the store's report cache under ``invoices:invoiced:<workspace>``.
This module only reads that record, with no network and no API import, so the today window,
the timesheet and every edit can consult it, as :mod:`tracker.services.approval_locks` does for
approved days. What was never read here is not known: Clockify refuses the change then, and the
entry is parked with its message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.store import Store
from tracker.store.db import StoreConnection
from tracker.store.report_cache import ReportCache

__all__ = ["KEY_PREFIX", "forget_invoice", "invoiced", "invoiced_reason", "remember_invoice"]

KEY_PREFIX = "invoices:invoiced:"
"""The report-cache key prefix of the invoiced entries (cleared with the cache on logout)."""


def _key(workspace_id: str) -> str:
    return f"{KEY_PREFIX}{workspace_id}"


def _read(conn: StoreConnection, workspace_id: str) -> dict[str, Any]:
    found = ReportCache(conn).get(_key(workspace_id))
    data = dict(found.data) if found is not None else {}
    by_invoice = data.get("by_invoice")
    return {"by_invoice": dict(by_invoice) if isinstance(by_invoice, dict) else {}}


def _write(conn: StoreConnection, workspace_id: str, data: dict[str, Any], at: float) -> None:
    ReportCache(conn).put(_key(workspace_id), workspace_id, data, at)


def remember_invoice(
    conn: StoreConnection,
    workspace_id: str,
    invoice: tuple[str, str],
    entry_ids: Iterable[str],
    at: float,
) -> None:
    """Record the entries the invoice (its id and number) holds now, replacing what it held
    before."""
    invoice_id, number = invoice
    data = _read(conn, workspace_id)
    ids = sorted(set(entry_ids))
    if ids:
        data["by_invoice"][invoice_id] = {"number": number, "entries": ids}
    else:
        data["by_invoice"].pop(invoice_id, None)
    _write(conn, workspace_id, data, at)


def forget_invoice(conn: StoreConnection, workspace_id: str, invoice_id: str, at: float) -> None:
    """The invoice is gone: its entries are no longer invoiced."""
    data = _read(conn, workspace_id)
    if data["by_invoice"].pop(invoice_id, None) is not None:
        _write(conn, workspace_id, data, at)


def invoiced(conn: StoreConnection, workspace_id: str) -> dict[str, str]:
    """Clockify entry id → the number of the invoice that holds it."""
    found: dict[str, str] = {}
    for record in _read(conn, workspace_id)["by_invoice"].values():
        if not isinstance(record, dict):
            continue
        number = str(record.get("number") or "")
        for entry_id in record.get("entries") or ():
            if isinstance(entry_id, str):
                found[entry_id] = number
    return found


def invoiced_reason(
    store: Store, workspace_id: str, entry_id: str, known: dict[str, str] | None = None
) -> str | None:
    """Why the entry (a local id) cannot change: it is on an invoice; ``None`` when it is
    not (as last read here). ``known`` is :func:`invoiced`, when the caller asks for many."""
    row = store.entries.get(entry_id)
    if row is None or row.server_id is None:
        return None
    found = invoiced(store.conn, workspace_id) if known is None else known
    number = found.get(row.server_id)
    if number is None:
        return None
    return (
        f"This entry is invoiced (invoice {number}), so its time is locked; take it off the "
        "invoice first."
    )
