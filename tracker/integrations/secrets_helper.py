"""The OS keyring, asked from a short-lived process of its own, as git's and Docker's
credential helpers do.

On Linux the keyring is the Secret Service, and reading one key there loads keyring,
secretstorage, jeepney and cryptography: about 11 MiB that the tray app would otherwise carry
for its whole life to read a key once at start. The app runs this helper for each keyring call
instead (``python -m tracker --keyring-helper get ACCOUNT``, or the bundle's executable with the
same words). The key travels only through the pipes (on stdin for ``set``, on stdout for
``get``), never on the command line, in the environment or in a log; the helper picks its
backend with :func:`~tracker.integrations.secrets.choose_secret_store`, the same keyring API
and refusals as in-process, so every backend keyring supports works the same way here.

Windows and macOS keep the keyring in the app: their backends are a few ctypes calls, and the
Windows app has no console streams to read a helper's answer through.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from tracker.integrations.secrets import (
    ENV_VAR,
    EnvSecretStore,
    SecretStore,
    SecretStoreChoice,
    SecretStoreError,
    choose_secret_store,
)

__all__ = [
    "HELPER_WORD",
    "HelperSecretStore",
    "choose_app_secret_store",
    "helper_command",
    "main",
    "uses_helper",
]

HELPER_WORD = "--keyring-helper"
"""The first word that makes ``tracker`` (or ``python -m tracker``) run this helper."""

DESCRIBE_TIMEOUT = 60.0
"""Seconds to find the keyring (no person involved: a D-Bus round trip or two)."""

CALL_TIMEOUT = 300.0
"""Seconds one read or write may take: the keyring may first ask the person to unlock it."""

_OPS = ("get", "set", "delete")


def uses_helper(platform: str | None = None) -> bool:
    """Whether the app reads the keyring through the helper here: everywhere but Windows and
    macOS (see the module's note)."""
    name = sys.platform if platform is None else platform
    return not name.startswith(("win", "darwin"))


def helper_command() -> list[str]:
    """How this program runs the helper: the bundle's own executable when frozen, else this
    interpreter running ``tracker``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, HELPER_WORD]
    return [sys.executable, "-m", "tracker", HELPER_WORD]


class HelperSecretStore:
    """A :class:`~tracker.integrations.secrets.SecretStore` whose every call runs the helper.

    Args:
        name: the backend's description, as the helper reported it (for diagnostics).
        command: how to run the helper (:func:`helper_command`).
    """

    def __init__(self, name: str, command: Sequence[str] | None = None) -> None:
        self._name = name
        self._command = list(command or helper_command())

    def get(self, account: str) -> str | None:
        reply = _ask(self._command, ["get", account], "", CALL_TIMEOUT)
        key = reply.get("key")
        return key if isinstance(key, str) and key else None

    def set(self, account: str, api_key: str) -> None:
        _ask(self._command, ["set", account], api_key, CALL_TIMEOUT)

    def delete(self, account: str) -> None:
        _ask(self._command, ["delete", account], "", CALL_TIMEOUT)

    def backend_name(self) -> str:
        return self._name


def choose_app_secret_store(
    environ: Mapping[str, str] | None = None,
    *,
    platform: str | None = None,
    command: Sequence[str] | None = None,
) -> SecretStoreChoice:
    """:func:`~tracker.integrations.secrets.choose_secret_store` for the long-running app:
    ``CLOCKIFY_API_KEY`` when set; else, where :func:`uses_helper`, the keyring the helper
    finds (asked once, in a process of its own); else the keyring in this process."""
    env = os.environ if environ is None else environ
    if env.get(ENV_VAR, "").strip():
        return SecretStoreChoice(EnvSecretStore(env), f"{ENV_VAR} is set")
    if not uses_helper(platform):
        return choose_secret_store(env)
    command = list(command or helper_command())
    try:
        found = _ask(command, ["describe"], "", DESCRIBE_TIMEOUT)
    except SecretStoreError as exc:
        return SecretStoreChoice(None, str(exc))
    name, reason = found.get("name"), str(found.get("reason") or "")
    if isinstance(name, str) and name:
        return SecretStoreChoice(HelperSecretStore(name, command), reason or name)
    return SecretStoreChoice(None, reason or "no keyring was found")


def _ask(command: Sequence[str], words: list[str], key: str, timeout: float) -> dict[str, Any]:
    """Run the helper once; its answer, or :class:`SecretStoreError` saying what failed."""
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    try:
        done = subprocess.run(  # noqa: S603 - our own program, fixed words
            [*command, *words],
            input=key,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SecretStoreError(f"the keyring did not answer within {timeout:.0f} s") from None
    except OSError as exc:
        raise SecretStoreError(f"the keyring helper could not be started: {exc}") from None
    try:
        reply = json.loads(done.stdout)
    except ValueError:
        reply = None
    if done.returncode != 0 or not isinstance(reply, dict):
        lines = done.stderr.strip().splitlines()
        why = lines[-1] if lines else f"exit code {done.returncode}"
        raise SecretStoreError(f"the keyring helper failed: {why}")
    if "error" in reply:
        raise SecretStoreError(str(reply["error"]))
    return reply


# --- the helper's own side ------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Answer one request (``describe``, ``get ACCOUNT``, ``set ACCOUNT`` with the key on
    stdin, ``delete ACCOUNT``) with one JSON object on stdout; 2 for words it does not know."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words == ["describe"]:
        choice = choose_secret_store(environ={})
        name = choice.store.backend_name() if choice.store is not None else None
        return _answer({"name": name, "reason": choice.reason})
    if len(words) != 2 or words[0] not in _OPS:
        print(f"usage: {HELPER_WORD} describe | get|set|delete ACCOUNT", file=sys.stderr)
        return 2
    op, account = words
    choice = choose_secret_store(environ={})
    store: SecretStore | None = choice.store
    if store is None:
        return _answer({"error": choice.reason})
    try:
        if op == "get":
            return _answer({"key": store.get(account)})
        if op == "set":
            store.set(account, sys.stdin.read())
        else:
            store.delete(account)
    except SecretStoreError as exc:
        return _answer({"error": str(exc)})
    return _answer({})


def _answer(reply: Mapping[str, Any]) -> int:
    sys.stdout.write(json.dumps(reply))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
