"""The invoices client against the test server, over loopback, contract-checked: every
operation, as the owner, an admin and a member, on paid and Free plans, with Clockify's
refusals and a create whose answer is lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tracker.api import (
    BadRequestError,
    ClockifyClient,
    ClockifyError,
    ForbiddenError,
    RateLimits,
    RequestBudget,
    Servers,
    TransportError,
)
from tracker.api.models.invoices import (
    InvoiceCreate,
    InvoiceFilter,
    InvoiceUpdate,
    ItemCreate,
    PaymentCreate,
    SettingsUpdate,
    TimeImport,
)

from .conftest import FAST_RETRY, run

Make = Callable[..., ClockifyClient]

RATE = 12000
"""The test project's rate: 120.00 an hour, in cents."""


class Setup:
    """A client with one rated project and billable time 40 days ago on the test server."""

    def __init__(self, server: FakeClockify) -> None:
        state, ws = server.state, server.workspace_id
        self.ws = ws
        self.client_id = state.add_client(ws, "Acme Test", currency_code="EUR").id
        project = state.add_project(
            ws,
            "Acme Site",
            client_id=self.client_id,
            hourly_rate={"amount": RATE, "currency": "EUR"},
        )
        other = state.add_project(ws, "Acme Other", client_id=self.client_id)
        owner = server.users[0].user_id
        day = datetime.fromtimestamp(state.now(), UTC).replace(
            hour=0, minute=0, second=0, microsecond=0
        ) - timedelta(days=40)
        self.start = day
        self.end = day + timedelta(days=1)
        at = int((day + timedelta(hours=9)).timestamp())
        billable = {"project_id": project.id, "billable": True}
        self.entries = [
            state.add_entry(ws, owner, at, at + 5400, description="Design", **billable).id,
            state.add_entry(ws, owner, at + 7200, at + 8100, description="Copy", **billable).id,
        ]
        state.add_entry(ws, owner, at + 9000, at + 9900, project_id=project.id, billable=False)
        state.add_entry(ws, owner, at + 90000, at + 93600, **billable)  # the next day
        self.other = state.add_entry(
            ws, owner, at + 10000, at + 13600, project_id=other.id, billable=True
        ).id
        self.earned = round(6300 * RATE / 3600)

    def create(self, number: str = "2026-001") -> InvoiceCreate:
        return InvoiceCreate(
            client_id=self.client_id,
            currency="EUR",
            number=number,
            issued_date=self.end,
            due_date=self.end + timedelta(days=30),
        )

    def period(self, **options: object) -> TimeImport:
        return TimeImport.model_validate({"from": self.start, "to": self.end, **options})


@pytest.fixture
def setup(clockify: FakeClockify) -> Setup:
    return Setup(clockify)


def test_an_owner_invoices_tracked_time_end_to_end(
    clockify: FakeClockify, make_client: Make, setup: Setup, tmp_path: Path
) -> None:
    ws = setup.ws

    async def go() -> None:
        async with make_client() as api:
            made = await api.invoices.create(ws, setup.create())
            assert made.number == "2026-001"
            assert made.client_id == setup.client_id
            invoice = await api.invoices.import_time(
                ws, made.id, setup.period(project_filter={"ids": [], "contains": "CONTAINS"})
            )
            # Grouped by project: one line per project (the other project's hour is its own).
            lines = {i.description: i for i in invoice.items}
            site = lines["Acme Site"]
            assert site.quantity == 175  # 1.75 h
            assert site.unit_price == RATE * 100
            assert site.amount == setup.earned == 21000
            assert set(site.time_entry_ids) == set(setup.entries)
            assert invoice.subtotal == invoice.amount == setup.earned + lines["Acme Other"].amount
            assert invoice.contains_imported_times is True
            entry = clockify.state.time_entry(ws, setup.entries[0])
            assert entry is not None
            assert entry["isLocked"] is True

            again = await api.invoices.import_time(ws, made.id, setup.period())
            assert [i.amount for i in again.items] == [i.amount for i in invoice.items]

            typed = await api.invoices.add_item(
                ws,
                made.id,
                ItemCreate(
                    description="Hosting", item_type="Product", quantity=200, unit_price=2500_00
                ),
            )
            assert typed.items[-1].amount == 5000
            assert typed.amount == invoice.amount + 5000
            removed = await api.invoices.remove_item(ws, made.id, len(typed.items))
            assert removed.amount == invoice.amount

            changed = await api.invoices.update(
                ws,
                made.id,
                InvoiceUpdate(
                    currency="EUR",
                    number="2026-001",
                    issued_date=setup.end,
                    due_date=setup.end + timedelta(days=14),
                    subject="Acme site, last month",
                ),
            )
            assert changed.subject == "Acme site, last month"
            assert changed.tax == 0

            await api.invoices.set_status(ws, made.id, "SENT")
            half = changed.amount // 2
            paid = await api.invoices.add_payment(
                ws, made.id, PaymentCreate(amount=half, note="first half")
            )
            assert paid.status == "PARTIALLY_PAID"
            assert paid.balance == changed.amount - half
            payments = await api.invoices.payments(ws, made.id)
            assert [p.amount for p in payments] == [half]
            back = await api.invoices.delete_payment(ws, made.id, payments[0].id)
            assert back.status == "SENT"
            done = await api.invoices.add_payment(ws, made.id, PaymentCreate(amount=changed.amount))
            assert done.status == "PAID"
            assert done.balance == 0

            listed = await api.invoices.list(ws, statuses=["PAID"])
            assert [i.id for i in listed] == [made.id]
            assert listed[0].amount == changed.amount
            assert await api.invoices.list(ws, statuses=["UNSENT"]) == []
            found = await api.invoices.search(
                ws, InvoiceFilter(invoice_number="2026", statuses=["PAID"], page_size=1)
            )
            assert [i.number for i in found] == ["2026-001"]

            copy = await api.invoices.duplicate(ws, made.id)
            assert copy.number == "2026-002"
            assert copy.status == "UNSENT"
            assert copy.paid == 0
            assert copy.imported_entry_ids == set()

            pdf = tmp_path / "invoice.pdf"
            size = await api.invoices.export(ws, made.id, pdf)
            data = pdf.read_bytes()
            assert size == len(data)
            assert data.startswith(b"%PDF-")
            assert b"2026-001" in data
            assert data.rstrip().endswith(b"%%EOF")
            assert [p.name for p in pdf.parent.glob("*")] == ["invoice.pdf"]

            await api.invoices.delete(ws, made.id)
            remaining = await api.invoices.list(ws)
            assert [i.id for i in remaining] == [copy.id]
            entry = clockify.state.time_entry(ws, setup.entries[0])
            assert entry is not None
            assert entry["isLocked"] is False

    run(go())


def test_marking_time_invoiced_and_the_settings(
    clockify: FakeClockify, make_client: Make, setup: Setup
) -> None:
    ws = setup.ws
    admin_key = clockify.key_for("ADMIN")

    async def go() -> None:
        async with make_client(api_key=admin_key) as api:
            await api.invoices.mark_invoiced(ws, [setup.other])
            made = await api.invoices.create(ws, setup.create())
            invoice = await api.invoices.import_time(
                ws,
                made.id,
                setup.period(
                    time_entry_group_type="DETAILED",
                    time_entry_fields_for_detailed_group=["DESCRIPTION"],
                ),
            )
            # The hour marked by hand is not imported; each entry is its own line.
            assert sorted(i.description for i in invoice.items) == ["Copy", "Design"]
            await api.invoices.mark_invoiced(ws, [setup.other], invoiced=False)

            settings = await api.invoices.settings(ws)
            labels = {k: v for k, v in settings.labels.items() if k != "totalAmount"}
            labels["totalAmountDue"] = "Amount due"
            labels["billTo"] = "Client"
            await api.invoices.update_settings(
                ws,
                SettingsUpdate(
                    labels=labels,
                    defaults={"notes": "Thank you", "subject": "Services", "dueDays": 14},
                ),
            )
            again = await api.invoices.settings(ws)
            assert again.labels["billTo"] == "Client"
            assert again.defaults["notes"] == "Thank you"
            second = await api.invoices.create(ws, setup.create("2026-010"))
            assert (await api.invoices.get(ws, second.id)).note == "Thank you"

    run(go())


def test_clockify_refusals(clockify: FakeClockify, make_client: Make, setup: Setup) -> None:
    ws = setup.ws
    member_key = clockify.key_for("MEMBER")
    manager_key = clockify.key_for("MANAGER")

    async def go() -> None:
        async with make_client() as api:
            made = await api.invoices.create(ws, setup.create())
            with pytest.raises(BadRequestError, match="already exists"):
                await api.invoices.create(ws, setup.create())
            with pytest.raises(BadRequestError, match="Client doesn't belong"):
                await api.invoices.create(
                    ws, setup.create("X-1").model_copy(update={"client_id": "a" * 24})
                )
            with pytest.raises(BadRequestError, match="Invoice doesn't belong"):
                await api.invoices.get(ws, "b" * 24)
            await api.invoices.add_item(
                ws,
                made.id,
                ItemCreate(description="x", item_type="S", quantity=100, unit_price=100),
            )
            with pytest.raises(BadRequestError, match="before it is paid"):
                await api.invoices.set_status(ws, made.id, "PAID")
            with pytest.raises(BadRequestError, match="greater than the invoice balance"):
                await api.invoices.add_payment(ws, made.id, PaymentCreate(amount=2))
            with pytest.raises(BadRequestError, match="item doesn't exist"):
                await api.invoices.remove_item(ws, made.id, 3)
            with pytest.raises(BadRequestError, match="Quantity"):
                await api.invoices.add_item(
                    ws,
                    made.id,
                    ItemCreate(description="x", item_type="S", quantity=0, unit_price=1),
                )
        for key in (member_key, manager_key):
            async with make_client(api_key=key) as other:
                with pytest.raises(ForbiddenError):
                    await other.invoices.list(ws)
                with pytest.raises(ForbiddenError):
                    await other.invoices.create(ws, setup.create("2026-099"))

    run(go())


def test_a_free_workspace_has_no_invoices(
    clockify_factory: Callable[..., FakeClockify], make_client: Make
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")

    async def go() -> None:
        async with ClockifyClient(
            server.api_key,
            servers=Servers.custom(server.base_url, server.reports_url),
            retry=FAST_RETRY,
            budget=RequestBudget(RateLimits()),
        ) as api:
            with pytest.raises(ForbiddenError):
                await api.invoices.list(server.workspace_id)

    run(go())


def test_a_create_whose_answer_is_lost_is_not_resent(
    clockify: FakeClockify, make_client: Make, setup: Setup
) -> None:
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/invoices$"))

    async def go() -> None:
        async with make_client() as api:
            with pytest.raises(TransportError) as caught:
                await api.invoices.create(setup.ws, setup.create())
            assert caught.value.maybe_committed
            listed = await api.invoices.list(setup.ws)
            assert [i.number for i in listed] == ["2026-001"]

    run(go())


def test_an_export_that_fails_leaves_no_file(
    clockify: FakeClockify, make_client: Make, setup: Setup, tmp_path: Path
) -> None:
    pdf = tmp_path / "invoice.pdf"

    async def go() -> None:
        async with make_client() as api:
            made = await api.invoices.create(setup.ws, setup.create())
            clockify.add_fault(Fault(kind="status", status=503, method="GET", path="/export$"))
            with pytest.raises(ClockifyError):
                await api.invoices.export(setup.ws, made.id, pdf)

    run(go())
    assert list(tmp_path.iterdir()) == []
