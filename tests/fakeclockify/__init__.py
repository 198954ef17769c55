"""A faithful Clockify test server on a real loopback socket, shared by the whole test suite.

It reproduces the live API's observed behaviour (``shared/clockify-api/FACTS.md``) rather than
the spec's idealised one, so client code meets real quirks, real HTTP and injected faults::

    with FakeClockify() as server:
        httpx.get(f"{server.base_url}/v1/user", headers={"X-Api-Key": server.api_key})
"""

from __future__ import annotations

from tests.fakeclockify.model import Exchange, Fault
from tests.fakeclockify.server import FakeClockify

__all__ = ["Exchange", "FakeClockify", "Fault"]
