"""The secret-store chooser never hands the API key to a plain-text or failing backend."""

from __future__ import annotations

import subprocess
import sys
from typing import ClassVar

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError

from tracker.integrations.secrets import (
    ENV_VAR,
    LEGACY_ACCOUNT,
    SERVICE,
    EnvSecretStore,
    FoundKey,
    KeyringSecretStore,
    MemorySecretStore,
    SecretStore,
    SecretStoreError,
    adopt_legacy,
    choose_secret_store,
    find_key,
    key_account,
    key_account_of,
    legacy_may_be_ours,
    refusal,
)


class DictKeyring(KeyringBackend):
    """A recommended backend that keeps passwords in a dict."""

    priority: ClassVar[float] = 5

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.saved.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class PlaintextKeyring(DictKeyring):
    """Looks like keyrings.alt's file backend, which must be refused."""

    priority: ClassVar[float] = 0.5


PlaintextKeyring.__module__ = "keyrings.alt.file"


class WeakKeyring(DictKeyring):
    priority: ClassVar[float] = 0.2


class BrokenKeyring(DictKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("collection is locked")


def chain_of(*backends: KeyringBackend) -> chainer.ChainerBackend:
    members = list(backends)

    class Chain(chainer.ChainerBackend):
        @property
        def backends(self) -> list[KeyringBackend]:
            return members

    _unregister(Chain)
    return Chain()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated


def _unregister(*classes: type[KeyringBackend]) -> None:
    """keyring registers every backend class it sees; these test doubles must never become
    the process's keyring (the desktop tests, collected in the same session, use the real
    Secret Service)."""
    for cls in classes:
        KeyringBackend._classes.discard(cls)


_unregister(DictKeyring, PlaintextKeyring, WeakKeyring, BrokenKeyring)


def test_memory_store_round_trip() -> None:
    store: SecretStore = MemorySecretStore()
    assert store.get("me") is None
    store.set("me", "k1")
    store.set("me", "k2")
    assert store.get("me") == "k2"
    store.delete("me")
    store.delete("me")
    assert store.get("me") is None
    assert "memory" in store.backend_name()


def test_env_store_reads_the_variable_and_is_read_only() -> None:
    store = EnvSecretStore({ENV_VAR: " secret \n"})
    assert store.get("any account") == "secret"
    assert EnvSecretStore({ENV_VAR: "  "}).get("a") is None
    with pytest.raises(SecretStoreError, match=ENV_VAR):
        store.set("a", "other")
    with pytest.raises(SecretStoreError, match=ENV_VAR):
        store.delete("a")
    assert ENV_VAR in store.backend_name()
    assert "secret" not in store.backend_name()


def test_env_store_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "from-env")
    assert EnvSecretStore().get("a") == "from-env"


def test_keyring_store_uses_the_tracker_service_name() -> None:
    backend = DictKeyring()
    store = KeyringSecretStore(backend)
    store.set("me@example.com", "k")
    assert backend.saved == {(SERVICE, "me@example.com"): "k"}
    store.delete("me@example.com")
    store.delete("me@example.com")  # missing: not an error
    assert store.get("me@example.com") is None
    assert "DictKeyring" in store.backend_name()


def test_keyring_store_turns_backend_failures_into_its_own_error() -> None:
    store = KeyringSecretStore(BrokenKeyring())
    with pytest.raises(SecretStoreError, match="locked"):
        store.get("me")
    with pytest.raises(SecretStoreError, match="locked"):
        store.delete("me")


def test_environment_variable_wins_over_the_keyring() -> None:
    choice = choose_secret_store({ENV_VAR: "k"}, DictKeyring())
    assert isinstance(choice.store, EnvSecretStore)
    assert ENV_VAR in choice.reason


def test_recommended_keyring_is_chosen() -> None:
    backend = DictKeyring()
    choice = choose_secret_store({}, backend)
    assert isinstance(choice.store, KeyringSecretStore)
    assert choice.store.backend is backend


@pytest.mark.parametrize(
    ("backend", "why"),
    [
        (fail.Keyring(), "no usable OS keyring"),
        (null.Keyring(), "disabled"),
        (PlaintextKeyring(), "keyrings.alt"),
        (WeakKeyring(), "does not recommend"),
    ],
)
def test_unsafe_backends_are_refused_with_a_reason(backend: KeyringBackend, why: str) -> None:
    assert why in (refusal(backend) or "")
    choice = choose_secret_store({}, backend)
    assert choice.store is None
    assert why in choice.reason
    assert ENV_VAR in choice.reason


def test_chain_is_unwrapped_so_plaintext_members_never_get_the_key() -> None:
    safe = DictKeyring()
    choice = choose_secret_store({}, chain_of(PlaintextKeyring(), safe))
    assert isinstance(choice.store, KeyringSecretStore)
    assert choice.store.backend is safe


def test_chain_of_only_unsafe_backends_gives_no_store() -> None:
    choice = choose_secret_store({}, chain_of(PlaintextKeyring(), WeakKeyring()))
    assert choice.store is None
    assert "keyrings.alt" in choice.reason


def test_default_backend_in_tests_is_the_failing_one() -> None:
    # tests/conftest.py keeps the machine's keyring out of non-desktop tests.
    assert isinstance(keyring.get_keyring(), fail.Keyring)
    choice = choose_secret_store({})
    assert choice.store is None
    assert "no secure keyring" in choice.reason


def test_keys_are_named_by_server_and_account() -> None:
    assert key_account("https://api.clockify.me/api/", "u1") == "u1@https://api.clockify.me/api"
    assert key_account_of(None, "https://a") is None
    assert key_account_of({"name": "no id"}, "https://a") is None
    assert key_account_of({"user_id": "u1"}, "https://a") == "u1@https://a"


def test_a_folder_without_an_account_finds_no_key() -> None:
    secrets = MemorySecretStore()
    secrets.set(LEGACY_ACCOUNT, "old-key-123")
    assert find_key(secrets, None) == FoundKey(None)
    assert find_key(secrets, "u1@https://a") == FoundKey(None)  # not on this server
    assert find_key(secrets, "u1@https://a", legacy_ok=True) == FoundKey("old-key-123", legacy=True)
    secrets.set("u1@https://a", "own-key-456")
    assert find_key(secrets, "u1@https://a") == FoundKey("own-key-456")
    env = EnvSecretStore({ENV_VAR: "env-key-789"})
    assert find_key(env, None) == FoundKey("env-key-789")


def test_the_old_entry_is_tried_only_on_the_server_the_account_was_connected_on() -> None:
    account = {"user_id": "u1", "api_url": "https://api.clockify.me/api"}
    assert legacy_may_be_ours(account, "https://api.clockify.me/api/")
    assert not legacy_may_be_ours(account, "https://eu.api.clockify.me/api")
    assert not legacy_may_be_ours({"user_id": "u1"}, "https://api.clockify.me/api")
    assert not legacy_may_be_ours(None, "https://api.clockify.me/api")


def test_adopting_moves_the_old_entry_only_while_it_holds_that_key() -> None:
    secrets = MemorySecretStore()
    secrets.set(LEGACY_ACCOUNT, "old-key-123")
    adopt_legacy(secrets, "u1@https://a", "old-key-123")
    assert secrets.accounts() == ["u1@https://a"]
    secrets.set(LEGACY_ACCOUNT, "another-key-456")  # a login elsewhere meanwhile
    adopt_legacy(secrets, "u2@https://b", "old-key-123")
    assert secrets.get(LEGACY_ACCOUNT) == "another-key-456"


def test_a_key_from_the_environment_never_loads_keyring() -> None:
    """keyring and its entry-point machinery (about 2 MiB) load only for the OS keyring."""
    probe = (
        "import sys\n"
        "from tracker.integrations.secrets import ENV_VAR, EnvSecretStore, choose_secret_store\n"
        "choice = choose_secret_store({ENV_VAR: 'k' * 48})\n"
        "assert isinstance(choice.store, EnvSecretStore)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'keyring'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
