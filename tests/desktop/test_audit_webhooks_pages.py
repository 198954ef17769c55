"""The Audit log and Webhooks pages in the real app on a real X server, against the Clockify
test server on an Enterprise plan: Alex (the owner) has made a project and a webhook from the
CLI, opens the Workspace window, reads the audit log with F5 (the project and the seeded
imports shown), and opens the Webhooks page with its note that this app cannot receive
webhooks. Light, dark, and at scale 2.

Screenshots in ``TRACKER_SCREENSHOTS``: ``audit-log-*`` (the events read) and
``webhooks-*`` (the list with the note).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop.apps import app_for, cli, page_key
from tests.desktop.harness import key, screenshot, wait_for
from tests.fakeclockify import FakeClockify
from tracker.integrations.paths import STORE_FILE
from tracker.services.context import Context
from tracker.services.webhooks import Webhooks
from tracker.store import Store

pytestmark = pytest.mark.desktop("display", "cmd:xdotool", "cmd:trayer", "cmd:import")


def _kept_webhooks(home: Path) -> int:
    with Store(home / STORE_FILE) as store:
        view = Webhooks(Context(store)).kept_view()
        return 0 if view is None else len(view.webhooks)


@pytest.mark.parametrize(
    ("look", "scale"),
    [("light", "1"), ("dark", "1"), ("light", "2")],
    ids=["light", "dark", "scale2"],
)
def test_reading_the_audit_log_and_seeing_the_webhooks(
    tray: None,
    tmp_path: Path,
    clockify_factory: Callable[..., FakeClockify],
    look: str,
    scale: str,
) -> None:
    suffix = look if scale == "1" else f"{look}-scale{scale}"
    server = clockify_factory(seed="demo", plan="ENTERPRISE")
    audit = {"TRACKER_AUDIT_URL": server.audit_url}
    app = app_for(tmp_path / "alex", server, look=look, scale=scale, env=audit)
    cli(app, "projects", "add", "Audit trail")
    cli(app, "sync")
    cli(app, "webhooks", "add", "https://hooks.example.com/in", "--event", "new-project")

    app.start()
    try:
        wait_for(lambda: app.probe()["sync"] == "synced", timeout=30, what="the first sync")
        app.ask("workspace")
        key(page_key("Audit log"))
        served = len(server.exchanges)
        key("F5")
        wait_for(
            lambda: any(e.path.endswith("/audit-log") for e in server.exchanges[served:]),
            timeout=20,
            what="the audit log read",
        )
        screenshot(f"audit-log-{suffix}", settle=1.5)

        key(page_key("Webhooks"))
        wait_for(lambda: _kept_webhooks(app.home) == 1, timeout=20, what="the webhooks listed")
        screenshot(f"webhooks-{suffix}", settle=1.0)
    finally:
        code = app.stop()
        assert code == 0, app.output()
