"""One piece of work with a fresh Clockify client on a fresh event loop.

The CLI has no event loop of its own: each verb opens a client, does its work and closes
it. Every service area says "Clockify cannot be reached" with its own error class (so its
callers keep catching what they already catch); this is the one place that does it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from tracker.api import ClockifyClient, ClockifyError

__all__ = ["run_with_client"]

T = TypeVar("T")


def run_with_client(
    connect: Callable[[], ClockifyClient],
    work: Callable[[ClockifyClient], Awaitable[T]],
    offline: Callable[[str], Exception],
) -> T:
    """Run ``work`` with the client ``connect`` opens, on a fresh event loop.

    Raises:
        Exception: ``offline(message)`` when opening or closing the client failed; the
            message is one plain line (server text with a newline must not forge a line).
    """

    async def go() -> T:
        async with connect() as api:
            return await work(api)

    try:
        return asyncio.run(go())
    except ClockifyError as exc:
        said = " ".join(str(exc.message).split())[:300]
        raise offline(f"Clockify cannot be reached: {said}") from exc
