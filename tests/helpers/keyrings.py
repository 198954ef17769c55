"""Key stores that behave like a slow or locked OS keyring, for tests of who waits on it."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Any, ClassVar

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from tracker.integrations.secrets import MemorySecretStore, SecretStore, key_account
from tracker.store import Store

__all__ = ["FILE_KEYRING", "FileKeyring", "SlowKeyring", "keep_key"]

FILE_KEYRING = "TRACKER_TEST_KEYRING_FILE"
"""The environment variable naming :class:`FileKeyring`'s file."""


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


class FileKeyring(KeyringBackend):
    """A keyring backend that every process sees alike (a JSON file named by
    :data:`FILE_KEYRING`), for tests of the keyring helper outside a desktop session. Each
    call also records the command line and environment of the process that made it, so a
    test can check that a key never travelled there. Selected with ``PYTHON_KEYRING_BACKEND=
    tests.helpers.keyrings.FileKeyring``; the real Secret Service is tested in tests/desktop."""

    priority: ClassVar[float] = 1

    def get_password(self, service: str, username: str) -> str | None:
        found = self._visit()["keys"].get(f"{service}/{username}")
        return found if isinstance(found, str) else None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._visit({f"{service}/{username}": password})

    def delete_password(self, service: str, username: str) -> None:
        if f"{service}/{username}" not in self._visit()["keys"]:
            raise PasswordDeleteError("not found")
        self._visit({f"{service}/{username}": None})

    def _visit(self, changes: dict[str, str | None] | None = None) -> dict[str, Any]:
        """The file's contents after recording this call (and applying ``changes``)."""
        path = Path(os.environ[FILE_KEYRING])
        data: dict[str, Any] = (
            json.loads(path.read_text()) if path.exists() else {"keys": {}, "seen": []}
        )
        data["seen"].append({"argv": sys.argv, "environ": dict(os.environ)})
        for name, value in (changes or {}).items():
            if value is None:
                data["keys"].pop(name, None)
            else:
                data["keys"][name] = value
        path.write_text(json.dumps(data))
        return data
