"""What loading the client costs: httpx's command-line client stays out of the process."""

from __future__ import annotations

import subprocess
import sys


def test_the_client_does_not_load_httpx_command_line_dependencies() -> None:
    # click, rich and pygments are installed here (developer tools need them), which is
    # exactly when httpx would import them (about 10 MiB) for a client the app never runs.
    code = (
        "import sys, tracker.api.client, httpx;"
        "print(sorted(m for m in ('click', 'rich', 'pygments') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_httpx_still_has_its_main_name() -> None:
    # httpx defines a stub ``main`` when its command-line client cannot load.
    code = "import tracker.api.client, httpx; print(callable(httpx.main))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "True"
