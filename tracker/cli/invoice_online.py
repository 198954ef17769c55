"""How the ``tracker invoice`` actions reach Clockify: the checks made before any request,
the invoices service with a client (Clockify's refusal as one sentence), an invoice named by
its number, and an invoice as JSON and money as text, shared by the reading and changing
actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker.cli.admin_verbs import require_admin_account, run_online
from tracker.cli.runtime import Runtime, UserError

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.api.models.invoices import Invoice, InvoiceSummary
    from tracker.services.invoices import Invoices

__all__ = ["NOT_ADMIN", "detail_json", "money", "named", "online", "require", "service"]

NOT_ADMIN = "Only the workspace's owner and admins invoice on Clockify."


def require(rt: Runtime) -> None:
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
        raise UserError(NOT_ADMIN)


def service(rt: Runtime, api: ClockifyClient | None) -> Invoices:
    from tracker.services.invoices import Invoices  # noqa: PLC0415

    return Invoices(rt.context, api)


def online(rt: Runtime, work: Any) -> Any:
    """Run ``work(service)`` with a client; Clockify's refusal as one sentence."""

    async def go(api: ClockifyClient | None) -> Any:
        return await work(service(rt, api))

    return run_online(rt, go)


def named(rt: Runtime, text: str) -> InvoiceSummary:
    """The invoice ``text`` names among those read last; the list is read again once when
    none fits (a new invoice, or never read here)."""
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    kept = service(rt, None)
    try:
        return kept.find(text)
    except AdminError:
        pass
    online(rt, lambda s: s.list(refresh=True))
    try:
        return kept.find(text)
    except AdminError as exc:
        raise UserError(exc.message) from exc


def money(cents: int, currency: str = "") -> str:
    from tracker.services.invoices import money  # noqa: PLC0415

    return money(cents, currency)


def detail_json(invoice: Invoice, payments: Any = ()) -> dict[str, Any]:
    data = invoice.model_dump(mode="json")
    data["payments"] = [p.model_dump(mode="json") for p in payments]
    return data
