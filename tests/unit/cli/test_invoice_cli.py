"""``tracker invoice`` against the test server, end to end: billable time tracked on a
client's project becomes an invoice whose total is the report's billable amount of that time;
it is sent, paid and exported as a PDF that opens; importing again adds nothing twice. A member
and a Free workspace are told in one sentence."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import Cli, Person, ok, people_of

RATE = 12000


def last_month_day(cli: Cli) -> date:
    today = cli.now.astimezone(ZoneInfo("Europe/Berlin")).date()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=10)


def test_billable_time_becomes_an_invoice_that_is_sent_paid_and_exported(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person], tmp_path: Path
) -> None:
    state, ws = clockify.state, clockify.workspace_id
    client = state.add_client(ws, "Acme Test", currency_code="EUR")
    state.add_project(
        ws, "Acme Site", client_id=client.id, hourly_rate={"amount": RATE, "currency": "EUR"}
    )
    alex = people("Alex Morgan")
    ok(alex("sync"))
    day = last_month_day(cli).isoformat()
    ok(alex("add", f"{day} 9:00", f"{day} 10:30", "Design", "-p", "Acme Site", "--billable"))
    ok(alex("add", f"{day} 11:00", f"{day} 11:45", "Copy", "-p", "Acme Site", "--billable"))
    ok(alex("add", f"{day} 13:00", f"{day} 14:00", "Internal", "-p", "Acme Site", "--no-billable"))
    ok(alex("sync"))

    made = ok(alex("invoice", "create", "Acme Test", "--json")).json()
    number = made["number"]
    assert made["currency"] == "EUR"
    imported = ok(alex("invoice", "import-time", number, "last-month", "--json")).json()
    assert imported["entries_added"] == 2
    total = imported["invoice"]["amount"]
    report = ok(
        alex("report", "last-month", "--client", "Acme Test", "--billable", "--json")
    ).json()
    assert total == report["amount"] == round(8100 * RATE / 3600)

    shown = ok(alex("invoice", "show", number))
    assert "Acme Site" in shown.out
    assert "270.00 EUR" in shown.out
    ok(alex("invoice", "status", number, "sent"))
    paid = ok(alex("invoice", "pay", number, "--note", "bank transfer", "--json")).json()
    assert (paid["status"], paid["balance"], paid["paid"]) == ("PAID", 0, total)
    listed = ok(alex("invoice", "list", "--status", "paid", "--json")).json()
    assert [i["number"] for i in listed["invoices"]] == [number]

    pdf = tmp_path / "invoice.pdf"
    ok(alex("invoice", "export", number, str(pdf)))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/Type /Catalog" in data
    assert b"xref" in data
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
        assert number in text
        assert "270.00 EUR" in text

    again = ok(alex("invoice", "import-time", number, "last-month", "--json")).json()
    assert (again["entries_added"], again["lines_added"]) == (0, 0)
    assert again["invoice"]["amount"] == total
    assert "nothing was added" in ok(alex("invoice", "import-time", number)).out


def test_destructive_actions_ask_and_lines_come_and_go(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    state, ws = clockify.state, clockify.workspace_id
    state.add_client(ws, "Acme Test", currency_code="EUR")
    alex = people("Alex Morgan")
    ok(alex("sync"))
    number = ok(alex("invoice", "create", "Acme Test", "--number", "A-7", "--json")).json()[
        "number"
    ]
    assert number == "A-7"
    line = ok(
        alex(
            "invoice",
            "add-item",
            number,
            "Hosting",
            "--quantity",
            "2",
            "--price",
            "25.50",
            "--json",
        )
    ).json()
    assert line["amount"] == 5100
    refused = alex("invoice", "remove-item", number, "1")
    assert refused.code == 1
    assert "--yes" in refused.err
    dry = ok(alex("invoice", "remove-item", number, "1", "--dry-run"))
    assert "dry run" in dry.out
    assert ok(alex("invoice", "remove-item", number, "1", "--yes", "--json")).json()["amount"] == 0
    copy = ok(alex("invoice", "duplicate", number, "--json")).json()
    assert copy["number"] == "A-8"
    assert alex("invoice", "delete", "A-8").code == 1
    ok(alex("invoice", "delete", "A-8", "--yes"))
    assert [i["number"] for i in ok(alex("invoice", "list", "--json")).json()["invoices"]] == [
        "A-7"
    ]
    unknown = alex("invoice", "show", "NOPE-1")
    assert unknown.code == 1
    assert "No invoice" in unknown.err
    bad = alex("invoice", "pay", number, "ten")
    assert bad.code == 1
    assert "as a number" in bad.err


def test_a_member_and_a_free_workspace_are_told_in_one_sentence(
    cli: Cli,
    clockify_factory: Callable[..., FakeClockify],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    server = clockify_factory(seed="demo")
    (tmp_path / "paid").mkdir()
    priya = people_of(cli, server, monkeypatch, tmp_path / "paid")("Priya Shah")
    refused = priya("invoice", "list")
    assert refused.code == 1
    assert "owner and admins" in refused.err or "does not let you" in refused.err
    assert "Traceback" not in refused.err
    free = clockify_factory(seed="demo", plan="FREE")
    (tmp_path / "free").mkdir()
    alex = people_of(cli, free, monkeypatch, tmp_path / "free")("Alex Morgan")
    told = alex("invoice", "list")
    assert told.code == 1
    assert "no invoicing" in told.err or "plan" in told.err


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--quantity", "0.004", "hundredths"),
        ("--quantity", "1.005", "hundredths"),
        ("--price", "12.345", "cents"),
        ("--price", "0.001", "cents"),
    ],
)
def test_a_line_finer_than_clockify_keeps_is_refused_not_rounded(  # noqa: PLR0917 - fixtures
    cli: Cli,
    clockify: FakeClockify,
    people: Callable[[str], Person],
    option: str,
    value: str,
    says: str,
) -> None:
    """Quantities are kept in hundredths and prices in cents: 0.004 h must not become a line
    of 0, nor 12.345 a price of 12.34, without a word."""
    state, ws = clockify.state, clockify.workspace_id
    state.add_client(ws, "Acme Test", currency_code="EUR")
    alex = people("Alex Morgan")
    ok(alex("sync"))
    ok(alex("invoice", "create", "Acme Test", "--number", "R-1"))
    values = {"--quantity": "1", "--price": "10", option: value}
    asked = len(clockify.exchanges)
    result = alex("invoice", "add-item", "R-1", "Odd", *[w for kv in values.items() for w in kv])
    assert result.code == 1, result.out
    assert says in result.err
    assert "Traceback" not in result.err
    assert not [e for e in clockify.exchanges[asked:] if e.method == "POST"]
