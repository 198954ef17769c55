"""Driving the real app on a real X server: a tray host, xdotool input, screenshots.

The app runs as a subprocess, exactly as a person starts it; the test reads its state through
the single-instance channel (the ``probe`` message) and talks to it with the X server's input
only, so what passes here is what a person can do.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from tracker.integrations.instance import address, send
from tracker.integrations.paths import STORE_FILE

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("TRACKER_SCREENSHOTS") or REPO / "artifacts" / "screenshots")


def wait_for(
    condition: Callable[[], T | None],
    *,
    timeout: float = 10.0,
    interval: float = 0.05,
    what: str = "",
) -> T:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(interval)


def xdotool(*args: str) -> str:
    """Run one xdotool command and return what it printed."""
    done = subprocess.run(
        ["xdotool", *args], check=True, capture_output=True, text=True, timeout=10
    )
    return done.stdout.strip()


def click(x: int, y: int, button: int = 1) -> None:
    """Move the pointer to (x, y) and click ``button`` (1 left, 2 middle, 3 right)."""
    # Not ``--sync``: it waits for a motion event, and none comes when the pointer is there.
    xdotool("mousemove", str(x), str(y), "click", str(button))


def key(*keys: str) -> None:
    """Press keys (``ctrl+n``, ``Return``) on whatever window has the focus."""
    xdotool("key", "--delay", "30", *keys)


def type_text(text: str) -> None:
    """Type text into the focused widget."""
    xdotool("type", "--delay", "15", text)


def screenshot(name: str, settle: float = 0.5) -> Path:
    """Save the whole screen as ``<SHOTS>/<name>.png``.

    ``settle`` lets the last repaints reach the screen (the tray host redraws an embedded icon
    on its own schedule); the state itself was already checked through the probe.
    """
    SHOTS.mkdir(parents=True, exist_ok=True)
    time.sleep(settle)
    path = SHOTS / f"{name}.png"
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=20)
    return path


@contextmanager
def tray_host(attempts: int = 3) -> Iterator[subprocess.Popen[bytes]]:
    """A real system tray (trayer) docked at the top right of the screen.

    Started again when it exits at once: a tray host that has just quit may still own the
    tray selection until the X server notices, and the new one then gives up.
    """
    for attempt in range(attempts):
        proc = start_trayer()
        if proc.poll() is None:
            break
        if attempt == attempts - 1:
            raise AssertionError(f"trayer exited with {proc.returncode}, {attempts} times")
        time.sleep(0.5)
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def start_trayer() -> subprocess.Popen[bytes]:
    """Start trayer and wait until its window exists (or it has exited at once)."""
    proc = subprocess.Popen(
        [
            "trayer",
            "--edge", "top",
            "--align", "right",
            "--widthtype", "request",
            "--height", "32",
            "--SetDockType", "true",
            "--transparent", "false",
            "--tint", "0x2b2b2b",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for(
        lambda: _has_window("--class", "trayer") or proc.poll() is not None,
        what="trayer's window",
    )
    return proc


def _has_window(*query: str) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", *query], check=False, capture_output=True, text=True
    )
    return bool(found.stdout.strip())


class AppProcess:
    """``python -m tracker gui`` with its own ``TRACKER_HOME``, and a way to ask it things."""

    def __init__(self, home: Path, env: Mapping[str, str]) -> None:
        self.home = home
        self.env = {**os.environ, **env, "TRACKER_HOME": str(home)}
        self.channel = address(home / STORE_FILE)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = home / "app-output.txt"

    def start(self) -> None:
        """Start the app and wait until its tray icon is docked and settled."""
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tracker", "gui"],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: self._tray_docked() or self._died(), timeout=20, what="a docked tray")
        if self._died():
            raise AssertionError(f"the app exited early:\n{self.output()}")
        time.sleep(0.5)  # docking settles after the geometry appears (TESTING.md)

    def ask(self, message: str, timeout: float = 5.0) -> dict[str, Any]:
        """Send one message over the single-instance channel and decode the JSON reply."""
        reply = send(self.channel, message, timeout=timeout)
        if reply is None:
            raise AssertionError(f"the app did not answer {message!r}:\n{self.output()}")
        data: dict[str, Any] = json.loads(reply)
        return data

    def probe(self) -> dict[str, Any]:
        """The app's visible state: tray geometry, open windows, running entry."""
        return self.ask("probe")

    def tray_center(self) -> tuple[int, int]:
        """Where to click on the tray icon."""
        x, y, w, h = self.probe()["tray"]
        return x + w // 2, y + h // 2

    def output(self) -> str:
        """What the app printed (logs at warning and above)."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> int:
        """SIGTERM, as a session logout does; returns the exit code."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def _died(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None

    def _tray_docked(self) -> bool:
        reply = send(self.channel, "probe", timeout=1.0)
        if not reply:  # no app yet, or one too busy to answer within the second: not yet
            return False
        tray = json.loads(reply).get("tray")
        return bool(tray) and tray[2] > 0 and tray[3] > 0


def have_tools() -> str | None:
    """Which required program is missing, if any."""
    for tool in ("xdotool", "trayer", "import"):
        if shutil.which(tool) is None:
            return tool
    return None
