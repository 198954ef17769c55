"""The Invoices page in the real app on a real X server, against the Clockify test server:
Alex (the owner) has invoiced last month's billable time of a client from the CLI, opens the
Workspace window's Invoices page and sees the invoice with its lines and totals. Light, dark,
and at scale 2.

Then today's billable time is invoiced from the CLI, and the today window and the timesheet
show it locked.

Screenshots in ``TRACKER_SCREENSHOTS``: ``invoices-page-*``, ``invoiced-today-*`` and
``invoiced-week-*``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.desktop.apps import app_for, cli, page_key
from tests.desktop.harness import key, screenshot, wait_for
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.context import Context
from tracker.services.invoices import Invoices
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _time_last_month(server: FakeClockify) -> None:
    state, ws = server.state, server.workspace_id
    client = state.add_client(ws, "Acme Test", currency_code="EUR")
    rate = {"amount": 12000, "currency": "EUR"}
    site = state.add_project(ws, "Acme Site", client_id=client.id, hourly_rate=rate)
    support = state.add_project(ws, "Acme Support", client_id=client.id)
    now = datetime.fromtimestamp(state.now(), UTC)
    day = (now.replace(day=1) - timedelta(days=1)).replace(day=10, hour=9, minute=0, second=0)
    owner = server.users[0].user_id
    for offset, (project, hours) in enumerate(((site, 2.5), (support, 1.25), (site, 3))):
        start = int((day + timedelta(days=offset)).timestamp())
        state.add_entry(
            ws, owner, start, start + int(hours * 3600), project_id=project.id, billable=True
        )


def _kept(home: Path, invoice_id: str) -> bool:
    with Store(home / STORE_FILE) as store:
        return Invoices(Context(store)).kept_detail(invoice_id) is not None


@pytest.mark.parametrize(
    ("look", "scale"),
    [("light", "1"), ("dark", "1"), ("light", "2")],
    ids=["light", "dark", "scale2"],
)
def test_the_invoices_page_shows_an_invoice_of_tracked_time(
    tray: None, tmp_path: Path, clockify: FakeClockify, look: str, scale: str
) -> None:
    suffix = look if scale == "1" else f"{look}-scale{scale}"
    _time_last_month(clockify)
    app = app_for(tmp_path / "alex", clockify, look=look, scale=scale)
    made = json.loads(cli(app, "invoice", "create", "Acme Test", "--number", "2026-041",
                          "--json"))  # fmt: skip
    cli(app, "invoice", "import-time", "2026-041", "last-month")
    cli(app, "invoice", "status", "2026-041", "sent")

    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        key(page_key("Invoices"))
        served = len(clockify.exchanges)
        key("F5")
        wait_for(
            lambda: any("/invoices" in e.path for e in clockify.exchanges[served:]),
            timeout=20,
            what="the invoices read",
        )
        wait_for(lambda: _kept(app.home, made["id"]), timeout=20, what="the invoice kept")
        screenshot(f"invoices-page-{suffix}", settle=1.5)
    finally:
        code = app.stop()
        assert code == 0, app.output()


@pytest.mark.parametrize(
    ("look", "scale"),
    [("light", "1"), ("dark", "1"), ("light", "2")],
    ids=["light", "dark", "scale2"],
)
def test_invoiced_time_is_locked_in_the_today_window_and_the_timesheet(
    tray: None, tmp_path: Path, clockify: FakeClockify, look: str, scale: str
) -> None:
    suffix = look if scale == "1" else f"{look}-scale{scale}"
    state, ws = clockify.state, clockify.workspace_id
    client = state.add_client(ws, "Acme Test", currency_code="EUR")
    rate = {"amount": 12000, "currency": "EUR"}
    state.add_project(ws, "Acme Site", client_id=client.id, hourly_rate=rate)
    app = app_for(tmp_path / "alex", clockify, look=look, scale=scale)
    cli(app, "sync")
    cli(app, "add", "8:00", "8:45", "Invoiced design work", "-p", "Acme Site", "--billable")
    cli(app, "sync")
    cli(app, "invoice", "create", "Acme Test", "--number", "2026-042")
    cli(app, "invoice", "import-time", "2026-042", "--from", "today", "--to", "today")

    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("today")
        wait_for(lambda: app.probe()["today"], what="the today window")
        screenshot(f"invoiced-today-{suffix}", settle=1.0)
        key("ctrl+w")
        wait_for(lambda: app.probe()["week"], what="the timesheet")
        screenshot(f"invoiced-week-{suffix}", settle=1.0)
    finally:
        code = app.stop()
        assert code == 0, app.output()
