"""The invoices service against the test server with a real store: invoices kept with their
time, an import that adds nothing twice, and creates, imports and payments never sent twice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.helpers.clock import FakeClock
from tests.helpers.served import sent
from tracker.api import ClockifyClient
from tracker.services.admin_base import FRESH_SECONDS, AdminError, AdminOffline, AdminUnclear
from tracker.services.context import Context
from tracker.services.invoice_locks import invoiced
from tracker.services.invoices import Invoices, money
from tracker.store import Store

from .conftest import run
from .test_invoices import Setup

Make = Callable[..., ClockifyClient]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock.starting_now()


@pytest.fixture
def setup(clockify: FakeClockify) -> Setup:
    return Setup(clockify)


def context_of(
    store: Store, server: FakeClockify, clock: FakeClock, role: str = "OWNER"
) -> Context:
    person = next(u for u in server.users if u.role == role)
    store.meta.set_account({"user_id": person.user_id, "name": person.name, "email": "x@e.com"})
    store.meta.set_workspace_id(server.workspace_id)
    return Context(store, clock)


def test_an_invoice_of_a_period_imports_its_time_once_and_is_kept(  # noqa: PLR0917 - fixtures
    clockify: FakeClockify,
    make_client: Make,
    store: Store,
    clock: FakeClock,
    setup: Setup,
    tmp_path: Path,
) -> None:
    context = context_of(store, clockify, clock)
    day = setup.start.date()

    async def go() -> None:
        async with make_client() as api:
            service = Invoices(context, api)
            made = await service.create(setup.client_id, "2026-001", day, day, "eur")
            assert made.currency == "EUR"
            imported = await service.import_time(made.id, day, day)
            assert (imported.lines, imported.entries) == (2, 3)
            site = next(i for i in imported.invoice.items if i.description == "Acme Site")
            assert site.amount == setup.earned
            locked = invoiced(store.conn, setup.ws)
            assert set(locked) == {*setup.entries, setup.other}
            assert set(locked.values()) == {"2026-001"}
            again = await service.import_time(made.id, day, day)
            assert (again.lines, again.entries) == (0, 0)
            assert again.invoice.amount == imported.invoice.amount

            listing = await service.list()
            assert [i.number for i in listing.invoices] == ["2026-001"]
            assert service.next_number(2026) == "2026-002"
            assert service.find("2026-001").id == made.id
            assert service.find(made.id[-6:]).id == made.id
            asked = len(clockify.exchanges)
            clock.advance(seconds=FRESH_SECONDS - 1)
            assert (await service.list()).as_of == listing.as_of
            assert len(clockify.exchanges) == asked  # kept while fresh

            sent_ = await service.set_status(made.id, "sent")
            assert sent_.status == "SENT"
            paid = await service.pay(made.id, sent_.amount, note="bank transfer")
            assert (paid.status, paid.balance) == ("PAID", 0)
            pdf = tmp_path / "inv.pdf"
            assert await service.export(made.id, pdf) == pdf.stat().st_size
            assert pdf.read_bytes().startswith(b"%PDF")

        offline = Invoices(context, None)
        kept = await offline.show(made.id)
        assert kept.invoice.status == "PAID"
        assert [p.note for p in kept.payments] == ["bank transfer"]
        assert (await offline.list()).invoices[0].number == "2026-001"
        with pytest.raises(AdminOffline, match="not connected"):
            await offline.set_status(made.id, "VOID")

    run(go())
    assert money(123456, "EUR") == "1,234.56 EUR"


def test_a_create_whose_answer_was_lost_is_found_not_sent_again(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock, setup: Setup
) -> None:
    context = context_of(store, clockify, clock)
    day = setup.start.date()
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/invoices$"))

    async def go() -> None:
        async with make_client() as api:
            made = await Invoices(context, api).create(setup.client_id, "7", day, day, "EUR")
            assert made.number == "7"

    run(go())
    assert sent(clockify, "POST", "/invoices") == 1


def test_a_create_not_found_is_held_back_until_the_horizon(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock, setup: Setup
) -> None:
    context = context_of(store, clockify, clock)
    day = setup.start.date()
    clockify.add_fault(Fault(kind="drop_before_commit", method="POST", path="/invoices$"))

    async def go() -> None:
        async with make_client() as api:
            service = Invoices(context, api)
            with pytest.raises(AdminUnclear, match="read back"):
                await service.create(setup.client_id, "7", day, day, "EUR")
            with pytest.raises(AdminUnclear, match="not sent again before"):
                await service.create(setup.client_id, "7", day, day, "EUR")
            assert sent(clockify, "POST", "/invoices") == 1
            clock.advance(minutes=16)
            made = await service.create(setup.client_id, "7", day, day, "EUR")
            assert made.number == "7"

    run(go())
    assert sent(clockify, "POST", "/invoices") == 2


def test_an_import_or_payment_whose_answer_was_lost_counts_once(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock, setup: Setup
) -> None:
    context = context_of(store, clockify, clock)
    day = setup.start.date()

    async def go() -> None:
        async with make_client() as api:
            service = Invoices(context, api)
            made = await service.create(setup.client_id, "9", day, day, "EUR")
            clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/import$"))
            imported = await service.import_time(made.id, day, day)
            assert imported.entries == 3
            await service.set_status(made.id, "SENT")
            clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/payments$"))
            paid = await service.pay(made.id, 100)
            assert paid.paid == 100
            assert paid.status == "PARTIALLY_PAID"
            assert len(invoiced(store.conn, setup.ws)) == 3
            await service.delete(made.id)
            assert invoiced(store.conn, setup.ws) == {}  # its time is free again

    run(go())
    assert sent(clockify, "POST", "/items/import") == 1
    assert sent(clockify, "POST", "/payments") == 1


def test_a_member_is_told_in_one_sentence(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock, setup: Setup
) -> None:
    context = context_of(store, clockify, clock, "MEMBER")

    async def go() -> None:
        async with make_client(api_key=clockify.key_for("MEMBER")) as api:
            with pytest.raises(AdminError, match="does not let you read the invoices"):
                await Invoices(context, api).list()

    run(go())


def _landed(server: FakeClockify, method: str, ending: str) -> None:
    """Wait until the late change's exchange is logged (it was committed before)."""
    server.wait_for(lambda log: any(e.method == method and e.path.endswith(ending) for e in log))


def test_a_line_or_payment_that_landed_late_is_not_sent_again_on_the_next_try(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock, setup: Setup
) -> None:
    """A ``delay`` outlives the client's timeout: the first try says unclear, the change lands
    afterwards; the person's second try finds it instead of adding it twice."""
    context = context_of(store, clockify, clock)
    day = setup.start.date()

    async def go() -> None:
        async with make_client(timeout=httpx.Timeout(0.5)) as api:
            service = Invoices(context, api)
            made = await service.create(setup.client_id, "11", day, day, "EUR")
            clockify.add_fault(Fault(kind="delay", delay=1.0, method="POST", path="/items$"))
            with pytest.raises(AdminUnclear):
                await service.add_item(made.id, "Hosting", 1, 5000)
            _landed(clockify, "POST", "/items")
            again = await service.add_item(made.id, "Hosting", 1, 5000)
            assert [i.description for i in again.items] == ["Hosting"]

            await service.set_status(made.id, "SENT")
            clockify.add_fault(Fault(kind="delay", delay=1.0, method="POST", path="/payments$"))
            with pytest.raises(AdminUnclear):
                await service.pay(made.id, 1000)
            _landed(clockify, "POST", "/payments")
            paid = await service.pay(made.id, 1000)
            assert paid.paid == 1000

            second = await service.add_item(made.id, "Domain", 1, 1500)
            clockify.add_fault(Fault(kind="delay", delay=1.0, method="DELETE", path="/items/1$"))
            with pytest.raises(AdminUnclear):
                await service.remove_item(made.id, 1)
            _landed(clockify, "DELETE", "/items/1")
            left = await service.remove_item(made.id, 1)
            assert [i.description for i in left.items] == ["Domain"]
            assert len(second.items) == 2

    run(go())
    assert sent(clockify, "POST", "/items") == 2
    assert sent(clockify, "POST", "/payments") == 1
    assert sent(clockify, "DELETE", "/items/1") == 1


def test_a_delete_whose_answer_was_lost_frees_the_invoiced_time(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock, setup: Setup
) -> None:
    context = context_of(store, clockify, clock)
    day = setup.start.date()

    async def go() -> None:
        async with make_client() as api:
            service = Invoices(context, api)
            made = await service.create(setup.client_id, "12", day, day, "EUR")
            await service.import_time(made.id, day, day)
            assert len(invoiced(store.conn, setup.ws)) == 3
            clockify.add_fault(
                Fault(kind="drop_after_commit", method="DELETE", path=f"/invoices/{made.id}$")
            )
            await service.delete(made.id)
            assert invoiced(store.conn, setup.ws) == {}
            assert made.id not in {i.id for i in (await service.list()).invoices}

    run(go())


def test_a_duplicate_or_import_that_landed_late_is_found_on_the_next_try(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock, setup: Setup
) -> None:
    """The next try compares with what was there before the first: the late copy is the
    answer (not held back as unclear, then copied again after the horizon)."""
    context = context_of(store, clockify, clock)
    day = setup.start.date()

    async def go() -> None:
        async with make_client(timeout=httpx.Timeout(0.5)) as api:
            service = Invoices(context, api)
            made = await service.create(setup.client_id, "21", day, day, "EUR")
            clockify.add_fault(Fault(kind="delay", delay=1.0, method="POST", path="/duplicate$"))
            with pytest.raises(AdminUnclear):
                await service.duplicate(made.id)
            _landed(clockify, "POST", "/duplicate")
            copy = await service.duplicate(made.id)
            assert copy.id != made.id
            clock.advance(minutes=16)
            numbers = [i.number for i in (await service.list(refresh=True)).invoices]
            assert len(numbers) == 2

            clockify.add_fault(Fault(kind="delay", delay=1.0, method="POST", path="/import$"))
            with pytest.raises(AdminUnclear):
                await service.import_time(made.id, day, day)
            _landed(clockify, "POST", "/items/import")
            imported = await service.import_time(made.id, day, day)
            assert imported.entries == 3

    run(go())
    assert sent(clockify, "POST", "/duplicate") == 1
    assert sent(clockify, "POST", "/items/import") == 1
