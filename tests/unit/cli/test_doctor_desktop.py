"""``tracker doctor`` names where start at login is kept (and whether it is on) and which
notification backend the app would use."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.cli.conftest import Cli
from tracker.integrations.autostart.xdg import XdgAutostart


def test_doctor_reports_autostart_and_notifications(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    entry = config / "autostart" / "tracker.desktop"
    text = cli("doctor").out
    assert f"Autostart    XDG autostart ({entry}, off)" in text
    assert "Notify       tray (no D-Bus session bus" in text
    XdgAutostart().enable(["tracker"])
    data = cli("doctor", "--json").json()
    assert data["autostart"] == f"XDG autostart ({entry}, on)"
    assert data["notifications"].startswith("tray (")
