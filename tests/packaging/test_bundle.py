"""The Linux bundle as it ships: built once per session by ``packaging/build.py``, run on a
real X server with a tray host, called from the command line, and packed by ``installer.nsi``.

The build takes 30-60 s, so one session fixture makes it (into a temporary folder, leaving
``dist/`` alone) and every test here reads that one bundle. ``-m "not desktop"`` skips the
module without building anything.
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import in_ci
from tests.desktop.harness import tray_host, wait_for
from tracker.integrations.instance import address, send
from tracker.integrations.paths import STORE_FILE

pytestmark = [
    pytest.mark.desktop("display", "cmd:makensis", "cmd:trayer", "cmd:xdotool"),
    pytest.mark.slow,
    # The first test to ask for the bundle pays for the build.
    pytest.mark.timeout(900),
]

REPO = Path(__file__).resolve().parents[2]
APP_ID = "io.github.tracker.Tracker"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
SIZE_BUDGET_MIB = 190
"""The trimmed bundle is about 165 MiB; far above that, something untrimmed crept back in."""


@dataclass(frozen=True)
class Built:
    bundle: Path
    installer: Path
    log: str

    @property
    def program(self) -> Path:
        return self.bundle / "tracker"

    @property
    def internal(self) -> Path:
        return self.bundle / "_internal"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``packaging/build.py --fast-installer`` into a temporary folder, once per session."""
    if importlib.util.find_spec("PyInstaller") is None:
        message = f"PyInstaller is not installed: {sys.executable} -m pip install -e '.[package]'"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("package")
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_HOME", "CLOCKIFY_API_KEY")}
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "packaging" / "build.py"),
            "--fast-installer",
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, f"packaging/build.py failed:\n{log}"
    dist = out / "dist"
    return Built(dist / "tracker", dist / f"tracker-{VERSION}-setup.exe", log)


def bundle_env(home: Path) -> dict[str, str]:
    """The bundle on the real X server, with its own store and none of the test venv's paths."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CLOCKIFY_API_KEY", "PYTHONPATH", "VIRTUAL_ENV", "TRACKER_RESOURCES")
    }
    env.update(
        TRACKER_HOME=str(home), QT_QPA_PLATFORM="xcb", TRACKER_API_URL="http://127.0.0.1:9/api"
    )
    return env


@pytest.fixture(scope="module")
def tray() -> Iterator[None]:
    """One tray host for the module. Started again if the first one exits at once: a tray
    host that just quit may still own the tray selection until the X server notices."""
    for attempt in range(3):
        try:
            host = tray_host()
            host.__enter__()
        except AssertionError:
            if attempt == 2:
                raise
            time.sleep(0.5)
        else:
            break
    try:
        yield
    finally:
        host.__exit__(None, None, None)


def problems(output: str) -> list[str]:
    """Lines that say the bundle is missing something (a module, a Qt plugin, a resource)."""
    signs = ("Traceback", "ModuleNotFoundError", "qt.qpa.plugin", "Cannot load library", "ERROR")
    return [line for line in output.splitlines() if any(sign in line for sign in signs)]


# --- the program ------------------------------------------------------------------------------


def test_the_bundle_starts_and_shows_its_tray_icon(
    built: Built, tray: None, tmp_path: Path
) -> None:
    done = subprocess.run(
        [str(built.program), "gui", "--exit-when-ready"],
        env=bundle_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "ready in" in done.stdout, output
    assert not problems(output), output


def test_the_bundles_tray_icon_docks_in_the_tray_host_and_quits_on_sigterm(
    built: Built, tray: None, tmp_path: Path
) -> None:
    channel = address(tmp_path / STORE_FILE)
    log = tmp_path / "output.txt"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(built.program)], env=bundle_env(tmp_path), stdout=out, stderr=subprocess.STDOUT
        )
    try:

        def docked() -> list[int] | None:
            if proc.poll() is not None:
                raise AssertionError(f"the bundle exited {proc.returncode}:\n{log.read_text()}")
            reply = send(channel, "probe", timeout=1.0)
            tray_geometry = json.loads(reply).get("tray") if reply else None
            return tray_geometry if tray_geometry and tray_geometry[2] > 0 else None

        x, y, w, h = wait_for(docked, timeout=30, what="the bundle's docked tray icon")
        assert 0 < w <= 64, (x, y, w, h)
        assert 0 < h <= 64, (x, y, w, h)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=15)
    output = log.read_text(errors="replace")
    assert code == 0, output
    assert not problems(output), output


def test_the_bundles_command_line_answers_with_json(built: Built, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(built.program), "status", "--json"],
        env=bundle_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    status = json.loads(done.stdout)
    assert status["running"] is None
    assert status["workspace_id"] == "local"
    version = subprocess.run(
        [str(built.program), "--version"], capture_output=True, text=True, timeout=30, check=True
    )
    assert VERSION in version.stdout


# --- what is in it ----------------------------------------------------------------------------


def test_the_bundle_is_trimmed(built: Built) -> None:
    qt = built.internal / "PySide6" / "Qt"
    plugins = {path.name for path in (qt / "plugins").rglob("*.so")}
    assert "libqxcb.so" in plugins
    assert "libqsvgicon.so" in plugins
    assert "libqsvg.so" in plugins
    assert "libqgtk3.so" not in plugins
    assert not {name for name in plugins if "wayland" in name or "eglfs" in name}
    assert not (qt / "translations").exists()
    assert not (built.internal / "libgtk-3.so.0").exists()
    assert not (built.internal / "tkinter").exists()
    assert (built.internal / "resources" / "tracker.svg").is_file()
    assert (built.internal / "resources" / "icons" / "tray-running.svg").is_file()
    size = sum(p.lstat().st_size for p in built.bundle.rglob("*") if p.is_file())
    assert size < SIZE_BUDGET_MIB * 2**20, f"bundle is {size / 2**20:.0f} MiB"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_linux_desktop_files_and_icons_are_in_share(built: Built) -> None:
    share = built.bundle / "share"
    desktop = share / "applications" / f"{APP_ID}.desktop"
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment, method-assign]
    entry.read(desktop, encoding="utf-8")
    assert entry["Desktop Entry"]["Icon"] == APP_ID
    assert entry["Desktop Entry"]["Exec"].split()[0] == built.program.name
    for size in HICOLOR_SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(icon) == (size, size)
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()

    component = ET.parse(metainfo).getroot()
    assert component.findtext("id") == APP_ID
    assert component.find("launchable").text == desktop.name  # type: ignore[union-attr]
    newest = component.find("releases/release")
    assert newest is not None
    assert newest.get("version") == VERSION, "add a <release> for this version to the metainfo"
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(desktop)], check=True, timeout=30)
    if shutil.which("appstreamcli"):
        subprocess.run(
            ["appstreamcli", "validate", "--no-net", str(metainfo)],
            check=True,
            timeout=60,
            capture_output=True,
        )


# --- the Windows installer ----------------------------------------------------------------------


def test_installer_nsi_compiles_into_a_windows_installer(built: Built) -> None:
    head = built.installer.read_bytes()[:2]
    assert head == b"MZ"
    assert "installer:" in built.log


def test_installer_nsi_refuses_to_compile_without_a_version(tmp_path: Path) -> None:
    done = subprocess.run(
        ["makensis", "-V1", f"-DBUNDLE_DIR={tmp_path}", str(REPO / "installer.nsi")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "VERSION is not set" in done.stdout + done.stderr
