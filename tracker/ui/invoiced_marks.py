"""Invoiced entries as the today window shows them: locked like an approved day's, with the
reason (the entry services' own check, :func:`tracker.services.invoice_locks.invoiced_reason`,
read from what this computer last read of the invoices, with no request)."""

from __future__ import annotations

from collections.abc import Iterable

from tracker.bridge.controller import Controller
from tracker.services.invoice_locks import invoiced, invoiced_reason

__all__ = ["invoiced_locks"]


def invoiced_locks(controller: Controller, entry_ids: Iterable[str]) -> dict[str, str]:
    """The invoiced entries among ``entry_ids`` (local ids), each with why it is locked."""
    context = controller.tracker.context
    known = invoiced(context.store.conn, context.workspace_id)
    if not known:
        return {}
    found = {}
    for entry_id in entry_ids:
        reason = invoiced_reason(context.store, context.workspace_id, entry_id, known)
        if reason is not None:
            found[entry_id] = reason
    return found
