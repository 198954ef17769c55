"""The real ``tracker`` command against a hostile server: a clear message and exit 1, in time.

Runs ``python -m tracker`` as a process with the real defaults (the 30 s request deadline),
so the trickle case is slow by design.
"""

from __future__ import annotations

import time

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.unit.cli.conftest import run_tracker
from tracker.api import REQUEST_DEADLINE

STARTUP = 10.0  # a cold interpreter importing httpx and pydantic on a busy 2-core machine


@pytest.mark.slow
def test_check_against_a_trickling_server_ends_at_the_deadline(clockify: FakeClockify) -> None:
    clockify.add_fault(Fault(kind="trickle", delay=2.0, times=None))
    env = {"CLOCKIFY_API_KEY": clockify.api_key, "TRACKER_API_URL": clockify.base_url}
    began = time.monotonic()
    checked = run_tracker("check", env=env)
    took = time.monotonic() - began
    assert checked.code == 1, checked.err
    assert checked.out == ""
    assert checked.err.startswith("tracker: Clockify (127.0.0.1) did not finish answering GET")
    assert f"within {REQUEST_DEADLINE:g} s" in checked.err
    assert "Traceback" not in checked.err
    assert REQUEST_DEADLINE <= took < REQUEST_DEADLINE + STARTUP
    assert len(clockify.exchanges) == 1  # not retried: one deadline, not four


@pytest.mark.parametrize(
    "argv", [("check",), ("doctor", "--online"), ("sync",)], ids=["check", "doctor", "sync"]
)
def test_plain_http_to_another_machine_is_refused(argv: tuple[str, ...]) -> None:
    # 192.0.2.0/24 is reserved for documentation (RFC 5737): no name lookup, routed nowhere.
    env = {"CLOCKIFY_API_KEY": "k" * 48, "TRACKER_API_URL": "http://192.0.2.10/api"}
    refused = run_tracker(*argv, env=env)
    assert refused.code == 1, refused.out + refused.err
    assert "TRACKER_API_URL: http://192.0.2.10/api uses plain http" in refused.err
    assert "API key unencrypted" in refused.err
    assert "TRACKER_ALLOW_INSECURE_HTTP=1" in refused.err
    assert "Traceback" not in refused.err
    assert "k" * 48 not in refused.out + refused.err
