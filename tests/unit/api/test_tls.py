"""Every Clockify connection checks certificates against one context, which loads no
certificate authority before a connection needs it where the system keeps them by hash."""

from __future__ import annotations

import ssl
import subprocess
import sys

import pytest

from tracker.api.tls import tls_context

HASHED_FOLDER = ssl.get_default_verify_paths().capath
needs_hashed_folder = pytest.mark.skipif(
    sys.platform != "linux" or not HASHED_FOLDER,
    reason="the system OpenSSL keeps no hashed folder of authorities here",
)


@pytest.fixture
def no_person_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither SSL_CERT_FILE nor SSL_CERT_DIR: the app chooses the authorities."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


@needs_hashed_folder
@pytest.mark.usefixtures("no_person_choice")
def test_the_authorities_are_read_when_a_connection_needs_them() -> None:
    # certifi's bundle, loaded up front into every client, was 117 authorities (1.1 MiB).
    context = tls_context()
    assert isinstance(context, ssl.SSLContext)
    assert context.cert_store_stats()["x509_ca"] == 0
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


@pytest.mark.usefixtures("no_person_choice")
def test_every_client_of_the_process_shares_one_context() -> None:
    code = (
        "import ssl\n"
        "made = []\n"
        "real = ssl.create_default_context\n"
        "def counted(*args, **kwargs):\n"
        "    made.append(1)\n"
        "    return real(*args, **kwargs)\n"
        "ssl.create_default_context = counted\n"
        "from tracker.api.client import ClockifyClient\n"
        "first, second = ClockifyClient('k' * 48), ClockifyClient('k' * 48)\n"
        "print(len(made))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_the_persons_own_authorities_still_win(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in httpx (and curl): SSL_CERT_FILE or SSL_CERT_DIR name what to trust."""
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt")
    assert tls_context() is True
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", "/etc/ssl/certs")
    assert tls_context() is True
