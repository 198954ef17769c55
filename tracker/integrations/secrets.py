"""Where the Clockify API key lives: the OS keyring, or the ``CLOCKIFY_API_KEY`` variable.

The key must never land in a file we write. So the chooser refuses keyring backends that
store secrets in files or nowhere (``keyrings.alt``, keyring's ``fail`` and ``null``
backends, anything keyring itself does not recommend) and reports why, leaving the app to run
in local-only mode or to ask for the environment variable; it never falls back to plain text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring is imported where the OS keyring is used ("see the imports above"), not with this
# module: it and the entry-point machinery it loads cost about 2 MiB of the app's memory that
# a key from CLOCKIFY_API_KEY, or a local-only app, never needs.

SERVICE = "tracker"
"""Service name of our entries in the OS keyring."""

LEGACY_ACCOUNT = "default"
"""The one name every key was kept under before keys were kept per server and account.

One shared name let a fresh data folder (``TRACKER_HOME``) pick up, and send to its own
server, the key another folder kept for another server. :func:`find_key` still reads it, but
only as a key to confirm: its owner must be this folder's account on this folder's server
before it is used and moved (:func:`adopt_legacy`)."""

ENV_VAR = "CLOCKIFY_API_KEY"


_KEY_CHARACTERS = re.compile(r"[\x21-\x7e]+", re.ASCII)


def api_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be a Clockify API key, or ``None`` when it may be one.

    Clockify's keys are letters, digits and a little punctuation. Anything else (a space, a
    control character, a letter beyond ASCII from a wrong paste) cannot even be sent in an
    HTTP header, so it is refused before any request. The message never quotes the key.
    """
    if _KEY_CHARACTERS.fullmatch(key):
        return None
    return (
        "The API key contains spaces, control characters or letters beyond ASCII, which a "
        "Clockify API key never has"
    )


def key_account(api_url: str, user_id: str) -> str:
    """The keyring account name of the key ``user_id`` uses on the server at ``api_url``.

    Keyed by both, so a data folder finds only the key of its own account on its own server:
    a key is never sent to a server it was not given for.
    """
    return f"{user_id}@{api_url.rstrip('/')}"


def key_account_of(account: Mapping[str, Any] | None, api_url: str) -> str | None:
    """:func:`key_account` for a store's connected ``account`` (``None``: local-only, so no
    key belongs to this folder)."""
    user_id = account.get("user_id") if account else None
    if not isinstance(user_id, str) or not user_id:
        return None
    return key_account(api_url, user_id)


@dataclass(frozen=True)
class FoundKey:
    """What :func:`find_key` found.

    Attributes:
        key: the key, or ``None``.
        legacy: the key is the old shared entry's: use it only once its owner was confirmed
            to be this folder's account on this folder's server, then :func:`adopt_legacy`.
    """

    key: str | None
    legacy: bool = False


def find_key(secrets: SecretStore, name: str | None, *, legacy_ok: bool = False) -> FoundKey:
    """The key kept under ``name`` (from :func:`key_account_of`), else, when ``legacy_ok``
    (see :func:`legacy_may_be_ours`), the old shared entry to confirm; nothing when ``name``
    is ``None`` (no account: nothing is ours).

    Raises:
        SecretStoreError: the keyring could not be read.
    """
    if isinstance(secrets, EnvSecretStore):
        return FoundKey(secrets.get(name or LEGACY_ACCOUNT))  # the person's own choice
    if name is None:
        return FoundKey(None)
    key = secrets.get(name)
    if key or not legacy_ok:
        return FoundKey(key or None)
    legacy = secrets.get(LEGACY_ACCOUNT)
    return FoundKey(legacy, legacy=True) if legacy else FoundKey(None)


def legacy_may_be_ours(account: Mapping[str, Any] | None, api_url: str) -> bool:
    """Whether the old shared entry may be this folder's key, worth one request to confirm:
    only when the account was connected on the server chosen now, so the old key is never
    sent to a server this folder was not connected to."""
    recorded = account.get("api_url") if account else None
    return isinstance(recorded, str) and recorded.rstrip("/") == api_url.rstrip("/")


def adopt_legacy(secrets: SecretStore, name: str, key: str) -> None:
    """Keep ``key`` (confirmed as this account's) under ``name`` and drop the old entry.

    Written first, removed after, so a failure in between leaves the key findable; the old
    entry is removed only while it still holds this very key.
    """
    secrets.set(name, key)
    if secrets.get(LEGACY_ACCOUNT) == key:
        secrets.delete(LEGACY_ACCOUNT)


class SecretStoreError(Exception):
    """The store could not read or write the key (locked keyring, D-Bus gone, read-only)."""


class SecretStore(Protocol):
    """Keeps one API key per account name."""

    def get(self, account: str) -> str | None:
        """The stored key, or ``None`` when there is none."""
        ...

    def set(self, account: str, api_key: str) -> None:
        """Store or replace the key."""
        ...

    def delete(self, account: str) -> None:
        """Forget the key; forgetting a missing key is not an error."""
        ...

    def backend_name(self) -> str:
        """Human-readable description for diagnostics (never contains the key)."""
        ...


class MemorySecretStore:
    """Keeps keys in memory only: for tests and for a session that must not persist a key."""

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def get(self, account: str) -> str | None:
        return self._keys.get(account)

    def set(self, account: str, api_key: str) -> None:
        self._keys[account] = api_key

    def delete(self, account: str) -> None:
        self._keys.pop(account, None)

    def backend_name(self) -> str:
        return "memory (not persisted)"

    def accounts(self) -> list[str]:
        """The account names that hold a key (tests check what was kept, and under what)."""
        return sorted(self._keys)


class EnvSecretStore:
    """Reads the key from ``CLOCKIFY_API_KEY``: read-only, the same key for every account."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def get(self, account: str) -> str | None:  # noqa: ARG002 - one key for all accounts
        value = self._environ.get(ENV_VAR, "").strip()
        return value or None

    def set(self, account: str, api_key: str) -> None:  # noqa: ARG002 - read-only
        raise SecretStoreError(f"the API key comes from {ENV_VAR}; change it there")

    def delete(self, account: str) -> None:  # noqa: ARG002 - read-only
        raise SecretStoreError(f"the API key comes from {ENV_VAR}; unset it there")

    def backend_name(self) -> str:
        return f"environment variable {ENV_VAR}"


class KeyringSecretStore:
    """Keeps the key in the OS keyring through one chosen ``keyring`` backend."""

    def __init__(self, backend: KeyringBackend) -> None:
        from keyring.errors import KeyringError  # noqa: PLC0415 - see the imports above

        self.backend = backend
        self._failures = (KeyringError, RuntimeError, OSError)

    def get(self, account: str) -> str | None:
        try:
            return self.backend.get_password(SERVICE, account)
        except self._failures as exc:
            raise SecretStoreError(f"cannot read from {self.backend_name()}: {exc}") from exc

    def set(self, account: str, api_key: str) -> None:
        try:
            self.backend.set_password(SERVICE, account, api_key)
        except self._failures as exc:
            raise SecretStoreError(f"cannot write to {self.backend_name()}: {exc}") from exc

    def delete(self, account: str) -> None:
        from keyring.errors import PasswordDeleteError  # noqa: PLC0415 - loaded with the store

        try:
            self.backend.delete_password(SERVICE, account)
        except PasswordDeleteError:
            return
        except self._failures as exc:
            raise SecretStoreError(
                f"cannot remove the key from {self.backend_name()}: {exc}"
            ) from exc

    def backend_name(self) -> str:
        kind = type(self.backend)
        return f"OS keyring: {kind.name} ({kind.__module__}.{kind.__qualname__})"


@dataclass(frozen=True)
class SecretStoreChoice:
    """The store to use, or ``None`` with the reason there is no safe one."""

    store: SecretStore | None
    reason: str


def refusal(backend: KeyringBackend) -> str | None:
    """Why ``backend`` must not hold the API key, or ``None`` when it is safe to use."""
    from keyring.backends import fail, null  # noqa: PLC0415 - see the imports above

    kind = type(backend)
    if isinstance(backend, fail.Keyring):
        return "keyring found no usable OS keyring"
    if isinstance(backend, null.Keyring):
        return "keyring is disabled"
    if kind.__module__.split(".")[0] == "keyrings":
        return "keyrings.alt keeps secrets in files, not in the OS keyring"
    try:
        priority = float(kind.priority)
    except Exception as exc:  # keyring probes the OS here and reports any failure by raising
        return f"not usable here: {exc}"
    if priority < 1:
        return "keyring does not recommend it (priority below 1)"
    return None


def _candidates(backend: KeyringBackend) -> list[KeyringBackend]:
    from keyring.backends import chainer  # noqa: PLC0415 - see the imports above

    if isinstance(backend, chainer.ChainerBackend):
        chained: list[KeyringBackend] = list(backend.backends)
        return chained
    return [backend]


def choose_secret_store(
    environ: Mapping[str, str] | None = None, backend: KeyringBackend | None = None
) -> SecretStoreChoice:
    """Pick ``CLOCKIFY_API_KEY`` when set, else the best safe OS keyring, else nothing.

    ``backend`` defaults to keyring's own choice; a chain of backends is unwrapped so that a
    plain-text member can never receive the key.
    """
    env = os.environ if environ is None else environ
    if env.get(ENV_VAR, "").strip():
        return SecretStoreChoice(EnvSecretStore(env), f"{ENV_VAR} is set")
    import keyring  # noqa: PLC0415 - see the imports above

    candidates = _candidates(keyring.get_keyring() if backend is None else backend)
    refused = {id(b): refusal(b) for b in candidates}
    usable = [b for b in candidates if refused[id(b)] is None]
    if usable:
        best = max(usable, key=lambda b: float(type(b).priority))
        store = KeyringSecretStore(best)
        return SecretStoreChoice(store, store.backend_name())
    reasons = "; ".join(f"{type(b).name}: {refused[id(b)]}" for b in candidates)
    return SecretStoreChoice(
        None,
        f"no secure keyring available ({reasons or 'no backend'}); "
        f"set {ENV_VAR} or install a Secret Service such as gnome-keyring",
    )
