"""The API key really round-trips through a Secret Service (gnome-keyring in a private D-Bus).

``tests/run`` starts a D-Bus session with an unlocked gnome-keyring and a throwaway HOME, so
this never touches the keyring of the person running the suite.
"""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from keyring.backends import SecretService

from tracker.integrations.secrets import KeyringSecretStore, choose_secret_store

pytestmark = pytest.mark.desktop("secret-service")


def test_api_key_round_trip_through_the_secret_service() -> None:
    choice = choose_secret_store(environ={})
    assert choice.store is not None, choice.reason
    store = choice.store
    assert isinstance(store, KeyringSecretStore)
    assert isinstance(store.backend, SecretService.Keyring), store.backend_name()
    assert "SecretService" in store.backend_name()

    account = f"desktop-test-{uuid.uuid4().hex}@example.com"
    assert store.get(account) is None
    try:
        store.set(account, "first-key")
        assert store.get(account) == "first-key"
        store.set(account, "second-key")
        assert store.get(account) == "second-key"
    finally:
        store.delete(account)
    assert store.get(account) is None
    store.delete(account)  # deleting a missing key is not an error


def test_a_second_process_sees_the_stored_key() -> None:
    """The key is really in the Secret Service, not in this process's memory."""
    choice = choose_secret_store(environ={})
    assert isinstance(choice.store, KeyringSecretStore), choice.reason
    account = f"desktop-test-{uuid.uuid4().hex}@example.com"
    choice.store.set(account, "shared-key")
    try:
        code = (
            "import sys; from tracker.integrations.secrets import choose_secret_store as c; "
            "s = c(environ={}).store; print(s.get(sys.argv[1]) if s else 'NO STORE')"
        )
        result = subprocess.run(
            [sys.executable, "-c", code, account],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert result.stdout.strip() == "shared-key", result.stderr
    finally:
        choice.store.delete(account)


def test_the_app_uses_the_secret_service_through_its_helper() -> None:
    """The tray app asks a short-lived helper, so the Secret Service's libraries (keyring,
    secretstorage, cryptography: about 11 MiB) never load into it; the keys are the same."""
    choice = choose_secret_store(environ={})
    assert isinstance(choice.store, KeyringSecretStore), choice.reason
    account = f"desktop-test-{uuid.uuid4().hex}@example.com"
    choice.store.set(account, "planted-key")
    probe = (
        "import sys\n"
        "from tracker.integrations.secrets_helper import choose_app_secret_store\n"
        "choice = choose_app_secret_store(environ={})\n"
        "store = choice.store\n"
        "assert store is not None, choice.reason\n"
        "print(store.backend_name())\n"
        "print(store.get(sys.argv[1]))\n"
        "store.set(sys.argv[1], 'replaced-key')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}\n"
        "             & {'keyring', 'secretstorage', 'cryptography'}))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe, account],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        name, read, loaded = done.stdout.splitlines()
        assert "SecretService" in name
        assert read == "planted-key"
        assert loaded == "[]"
        assert choice.store.get(account) == "replaced-key"
    finally:
        choice.store.delete(account)
