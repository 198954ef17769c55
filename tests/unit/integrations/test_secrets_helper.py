"""The app reads the OS keyring through a short-lived helper process, so keyring and its
backend's libraries (secretstorage, cryptography: about 11 MiB on Linux) never load into it.

The helper runs for real here (``python -m tracker --keyring-helper``) against a keyring
backend that keeps keys in a file (tests/helpers/keyrings.py); tests/desktop runs it against
the real Secret Service.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.keyrings import FILE_KEYRING
from tracker.integrations.secrets import ENV_VAR, EnvSecretStore, SecretStoreError
from tracker.integrations.secrets_helper import (
    HelperSecretStore,
    choose_app_secret_store,
    main,
)

KEY = "Zm9vYmFyLWtleS0xMjM0NTY3ODkwYWJjZGVm"


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The helper's keyring: a file every process shares (helpers inherit the environment)."""
    path = tmp_path / "keyring.json"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.helpers.keyrings.FileKeyring")
    monkeypatch.setenv(FILE_KEYRING, str(path))
    return path


def test_the_app_keeps_and_reads_keys_without_loading_keyring(file_keyring: Path) -> None:
    probe = (
        "import sys\n"
        "from tracker.integrations.secrets_helper import choose_app_secret_store\n"
        "choice = choose_app_secret_store(environ={})\n"
        "store = choice.store\n"
        "assert store is not None, choice.reason\n"
        "print(store.backend_name())\n"
        "store.set('u1@https://api.example', sys.stdin.read())\n"
        "print(store.get('u1@https://api.example'))\n"
        "store.delete('u1@https://api.example')\n"
        "store.delete('u1@https://api.example')  # a missing key is not an error\n"
        "print(store.get('u1@https://api.example'))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'keyring', 'jaraco'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        input=KEY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    name, kept, after, loaded = done.stdout.splitlines()
    assert "FileKeyring" in name
    assert kept == KEY
    assert after == "None"
    assert loaded == "[]"


def test_the_key_travels_only_through_the_pipes(file_keyring: Path) -> None:
    """Never on a command line (any process lists them) nor in an environment."""
    store = choose_app_secret_store(environ={}).store
    assert isinstance(store, HelperSecretStore)
    store.set("u1@https://api.example", KEY)
    assert store.get("u1@https://api.example") == KEY
    seen = json.loads(file_keyring.read_text())["seen"]
    assert len(seen) == 2
    for call in seen:
        assert KEY not in " ".join(call["argv"])
        assert all(KEY not in value for value in call["environ"].values())


def test_no_safe_keyring_is_reported_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    choice = choose_app_secret_store(environ={})
    assert choice.store is None
    assert "no secure keyring available" in choice.reason
    assert ENV_VAR in choice.reason  # the way out


def test_a_failing_helper_is_a_clear_error_not_a_traceback() -> None:
    broken = [sys.executable, "-c", "raise SystemExit('the session bus is gone')"]
    store = HelperSecretStore("OS keyring", broken)
    with pytest.raises(SecretStoreError, match="the keyring helper failed: the session bus"):
        store.get("u1@https://api.example")
    choice = choose_app_secret_store(environ={}, command=broken)
    assert choice.store is None
    assert "the session bus is gone" in choice.reason


def test_a_keyring_error_comes_back_as_its_message(file_keyring: Path) -> None:
    file_keyring.mkdir()  # the backend cannot read its file: an OSError, as D-Bus gives
    store = HelperSecretStore("OS keyring")
    with pytest.raises(SecretStoreError, match=r"cannot read from OS keyring: .*Is a directory"):
        store.get("u1@https://api.example")


def test_a_key_from_the_environment_starts_no_helper() -> None:
    nowhere = ["/nonexistent/tracker"]
    choice = choose_app_secret_store({ENV_VAR: KEY}, command=nowhere)
    assert isinstance(choice.store, EnvSecretStore)


def test_windows_and_macos_keep_the_keyring_in_the_app() -> None:
    nowhere = ["/nonexistent/tracker"]
    for platform in ("win32", "darwin"):
        choice = choose_app_secret_store({}, platform=platform, command=nowhere)
        assert "helper" not in choice.reason  # asked in this process (the tests' fail keyring)


def test_the_helper_refuses_words_it_does_not_know(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["get"]) == 2
    assert main(["read", "u1@https://api.example"]) == 2
    assert capsys.readouterr().out == ""  # nothing the app could mistake for an answer


def test_the_tray_app_chooses_the_helper(file_keyring: Path) -> None:
    from tracker.app import _choose_secrets

    assert isinstance(_choose_secrets(), HelperSecretStore)
