"""A workspace change that landed but that the person was never told about (the command was
killed after Clockify answered, before it printed) is not made a second time by running the
same command again; ``--again`` still makes it once more, and the desktop pages (which show
the answer at once) are never refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from tests.fakeclockify import FakeClockify
from tests.fakeclockify.invoices import invoice_book
from tests.helpers.clock import FakeClock
from tests.helpers.served import sent
from tracker.api import ClockifyClient
from tracker.services.admin_base import AdminDone
from tracker.services.context import Context
from tracker.services.invoices import Invoices
from tracker.services.telling import LANDED_SECONDS, telling
from tracker.store import Store

from .conftest import run
from .test_invoices import Setup
from .test_invoices_service import context_of

Make = Callable[..., ClockifyClient]
Change = Callable[[Invoices, str], Awaitable[object]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock.starting_now()


@pytest.fixture
def setup(clockify: FakeClockify) -> Setup:
    return Setup(clockify)


def _with(make_client: Make, context: Context, change: Change, invoice_id: str) -> None:
    """``change`` run once by a fresh service, as a new process would."""

    async def go() -> None:
        async with make_client() as api:
            await change(Invoices(context, api), invoice_id)

    run(go())


def _invoice(make_client: Make, context: Context, setup: Setup) -> str:
    async def go() -> str:
        async with make_client() as api:
            day = setup.start.date()
            service = Invoices(context, api)
            made = await service.create(setup.client_id, "2026-050", day, day)
            await service.add_item(made.id, "Design", 10.0, 100_000)  # room for payments
            return made.id

    return run(go())


async def _pay(service: Invoices, invoice_id: str) -> object:
    return await service.pay(invoice_id, 1000)


async def _line(service: Invoices, invoice_id: str) -> object:
    return await service.add_item(invoice_id, "Hosting", 1.0, 2500)


CHANGES = [pytest.param(_pay, "/payments", id="pay"), pytest.param(_line, "/items", id="line")]


@pytest.mark.parametrize(("change", "ending"), CHANGES)
def test_a_change_killed_before_it_was_told_is_not_made_again(  # noqa: PLR0917 - fixtures
    clockify: FakeClockify,
    make_client: Make,
    store: Store,
    clock: FakeClock,
    setup: Setup,
    change: Change,
    ending: str,
) -> None:
    context = context_of(store, clockify, clock)
    invoice_id = _invoice(make_client, context, setup)
    first = sent(clockify, "POST", ending)
    with telling():  # answered, then killed before it printed: never told
        _with(make_client, context, change, invoice_id)
    assert sent(clockify, "POST", ending) == first + 1

    clock.advance(seconds=60)
    with telling() as rerun, pytest.raises(AdminDone, match=r"already done at \d\d:\d\d"):
        _with(make_client, context, change, invoice_id)
    assert rerun.already
    assert sent(clockify, "POST", ending) == first + 1

    with telling(again=True) as again:  # a person who really wants a second one
        _with(make_client, context, change, invoice_id)
        again.told()
    assert sent(clockify, "POST", ending) == first + 2
    with telling() as told:  # the last one was told: the next identical one is made
        _with(make_client, context, change, invoice_id)
    assert sent(clockify, "POST", ending) == first + 3
    assert told.landed  # not told yet: kept until LANDED_SECONDS pass
    clock.advance(seconds=LANDED_SECONDS + 1)
    with telling():
        _with(make_client, context, change, invoice_id)
    assert sent(clockify, "POST", ending) == first + 4


def test_a_page_change_is_never_kept_nor_refused(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock, setup: Setup
) -> None:
    context = context_of(store, clockify, clock)
    invoice_id = _invoice(make_client, context, setup)
    for _ in range(2):  # outside a command (the worker of the desktop pages)
        _with(make_client, context, _pay, invoice_id)
    assert sent(clockify, "POST", "/payments") == 2
    marks = store.conn.execute("SELECT key FROM meta WHERE key LIKE 'admin_inflight:%'")
    assert marks.fetchall() == []


def test_an_invoice_created_under_the_next_number_is_not_created_again(
    clockify: FakeClockify, make_client: Make, store: Store, clock: FakeClock, setup: Setup
) -> None:
    """``tracker invoice create CLIENT`` picks the next number; run again after a kill it
    would pick the one after and make a second invoice, unless it asks for the untold one."""
    context = context_of(store, clockify, clock)
    day = setup.start.date()

    async def create(service: Invoices, client_id: str) -> object:
        await service.list()
        number = service.next_number(day.year, client_id)
        return await service.create(client_id, number, day, day)

    with telling():  # answered, then killed before it printed
        _with(make_client, context, create, setup.client_id)
    assert sent(clockify, "POST", "/invoices") == 1
    with telling(), pytest.raises(AdminDone, match="already done"):
        _with(make_client, context, create, setup.client_id)
    assert sent(clockify, "POST", "/invoices") == 1
    with telling(again=True) as again:
        _with(make_client, context, create, setup.client_id)
        again.told()
    with clockify.state.lock:
        data = clockify.state.workspaces[clockify.workspace_id]
        numbers = sorted(i.number for i in invoice_book(data).invoices.values())
    assert sent(clockify, "POST", "/invoices") == 2
    assert numbers == [f"{day.year}-001", f"{day.year}-002"]  # a second one, numbered anew
