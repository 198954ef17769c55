"""Where the store and the logs live: ``TRACKER_HOME`` first, else the platform's folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from tracker.integrations.paths import STORE_FILE, log_dir, store_path


def test_tracker_home_holds_the_store_and_the_logs(tmp_path: Path) -> None:
    env = {"TRACKER_HOME": f"  {tmp_path}  "}
    assert store_path(env) == tmp_path / STORE_FILE
    assert log_dir(env) == tmp_path / "logs"


def test_tracker_home_may_start_with_a_tilde() -> None:
    env = {"TRACKER_HOME": "~/tracker-data"}
    assert store_path(env) == Path.home() / "tracker-data" / STORE_FILE


def test_without_tracker_home_the_platform_folders() -> None:
    for env in ({}, {"TRACKER_HOME": "   "}):
        assert store_path(env) == platformdirs.user_data_path("tracker", False) / STORE_FILE
        assert log_dir(env) == platformdirs.user_log_path("tracker", False)


def test_the_environment_is_read_on_each_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "a"))
    assert store_path() == tmp_path / "a" / STORE_FILE
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "b"))
    assert log_dir() == tmp_path / "b" / "logs"


def test_importing_it_loads_neither_qt_nor_platformdirs() -> None:
    code = (
        "import sys; import tracker.integrations.paths; "
        "assert not any(m.startswith(('PySide6', 'platformdirs')) for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
