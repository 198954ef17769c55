"""Key stores that behave like a slow or locked OS keyring, for tests of who waits on it."""

from __future__ import annotations

import threading

from tracker.integrations.secrets import MemorySecretStore

__all__ = ["SlowKeyring"]


class SlowKeyring(MemorySecretStore):
    """A keyring that takes its time to keep a key (a locked one asks the person first):
    ``asked`` is set when a key arrives, and it is kept once ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = threading.Event()
        self.release = threading.Event()

    def set(self, account: str, api_key: str) -> None:
        self.asked.set()
        self.release.wait(10)
        super().set(account, api_key)
