"""A stand-in for the sync worker where a test of the Settings dialog never reaches Clockify."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tracker.api import Servers

__all__ = ["OfflineWorker"]


class OfflineWorker:
    """The dialog's worker contract (:class:`tracker.ui.settings.AccountChecker`) for tests
    that never check a key: a call or a connect fails the test, since none is expected."""

    def __init__(self) -> None:
        self.account_changes = 0

    def call(self, make: Callable[[], Awaitable[Any]], done: Callable[[Any], None]) -> None:
        del make, done
        raise AssertionError("no call to the worker was expected")

    def connect_account(self, key: str, servers: Servers, done: Callable[[Any], None]) -> None:
        del key, servers, done
        raise AssertionError("no account check was expected")

    def account_changed(self) -> None:
        self.account_changes += 1
