"""The tray app where Qt cannot show anything: one sentence saying what is missing and exit
code 1, never Qt's "could not load the platform plugin" abort with a core dump."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tracker.integrations.display import debian_package, display_problem, missing_library


def _app(home: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")
    }
    return subprocess.run(
        [sys.executable, "-m", "tracker"],
        env={**clean, "TRACKER_HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_a_display_the_app_points_at_the_cli(tmp_path: Path) -> None:
    done = _app(tmp_path, {})
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("tracker: no graphical display here (DISPLAY is not set)")
    assert "`tracker start" in lines[0]
    assert "platform plugin" not in done.stderr


def test_a_missing_x11_library_is_named_with_its_package(tmp_path: Path) -> None:
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "libxcb-cursor.so.0").write_bytes(b"")  # found first, and not a library
    done = _app(
        tmp_path,
        {"DISPLAY": ":97", "QT_QPA_PLATFORM": "xcb", "LD_LIBRARY_PATH": str(broken)},
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "libxcb-cursor.so.0" in lines[0]
    assert "sudo apt install libxcb-cursor0" in lines[0]


def test_offscreen_and_other_platforms_are_left_to_qt(tmp_path: Path) -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, tmp_path) is None
    assert display_problem({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, None) is None
    assert display_problem({"QT_QPA_PLATFORM": "wayland"}, None) is not None


def test_debian_names_follow_the_policy() -> None:
    assert debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package("libEGL.so.1") == "libegl1"
    assert debian_package("libdbus-1.so.3") == "libdbus-1-3"
    text = missing_library("libEGL.so.1: cannot open shared object file: No such file", "Qt")
    assert "libegl1" in text


def test_a_library_qt_itself_needs_is_named_without_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "libEGL.so.1").write_bytes(b"")  # QtGui links it: the import itself fails
    done = _app(tmp_path, {"LD_LIBRARY_PATH": str(broken)})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "sudo apt install libegl1" in lines[0]
