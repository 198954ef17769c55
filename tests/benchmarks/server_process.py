"""Run the Clockify test server in its own process, so it does not share our GIL."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class ServerInfo:
    """What ``python -m tests.fakeclockify`` prints when it is ready."""

    base_url: str
    reports_url: str
    api_key: str


@contextmanager
def server_process(*args: str) -> Iterator[ServerInfo]:
    """Start the test server with ``args`` and stop it on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakeclockify", "--log-level", "WARNING", *args],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the test server exited before it was ready")
        info = json.loads(line)
        yield ServerInfo(info["base_url"], info["reports_url"], info["api_key"])
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
