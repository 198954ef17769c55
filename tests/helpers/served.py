"""What the Clockify test server holds and what reached it, as the tests ask it.

A seeded person's id and key, and how many requests of a kind the server answered: the
second is how a test proves a change whose answer was lost was read back, not sent twice.
"""

from __future__ import annotations

import socket

from tests.fakeclockify import FakeClockify

__all__ = ["closed_port", "person_of", "sent", "sent_to"]


def closed_port() -> int:
    """A loopback port nothing listens on: a client pointed there cannot reach Clockify."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def person_of(server: FakeClockify, name: str) -> tuple[str, str]:
    """(user id, API key) of the seeded person called ``name``."""
    found = next(u for u in server.users if u.name == name)
    return found.user_id, found.api_key


def sent(server: FakeClockify, method: str, ending: str) -> int:
    """How many ``method`` requests to a path ending in ``ending`` the server answered."""
    return sum(1 for e in server.exchanges if e.method == method and e.path.endswith(ending))


def sent_to(server: FakeClockify, method: str, part: str) -> int:
    """How many ``method`` requests to a path holding ``part`` the server answered."""
    return sum(1 for e in server.exchanges if e.method == method and part in e.path)
