"""What every desktop test module shares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.desktop.harness import tray_host


@pytest.fixture
def tray() -> Iterator[None]:
    """A system tray host (trayer) on the test's X server, for as long as the test runs."""
    with tray_host():
        yield
