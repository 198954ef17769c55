"""Key stores that behave like a slow or locked OS keyring, for tests of who waits on it."""

from __future__ import annotations

import threading

from tracker.integrations.secrets import MemorySecretStore, SecretStore, key_account
from tracker.store import Store

__all__ = ["SlowKeyring", "keep_key"]


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


def keep_key(secrets: SecretStore, store: Store, api_url: str, user_id: str, key: str) -> None:
    """Leave ``store`` and ``secrets`` as a login does: the account known (its id and server;
    the first round reads the rest), the key kept under that account's own name."""
    account = store.meta.account() or {}
    store.meta.set_account({**account, "user_id": user_id, "api_url": api_url})
    secrets.set(key_account(api_url, user_id), key)
