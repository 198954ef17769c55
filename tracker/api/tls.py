"""The certificate authorities every Clockify connection is checked against, set up once.

httpx gives each client a context with certifi's whole bundle loaded (about 150 authorities,
0.9 MiB of the app's memory). Where the system keeps its authorities in a hashed folder
(Debian, Ubuntu, Arch, openSUSE: ``/etc/ssl/certs``, kept current by the system), OpenSSL
reads from it only the authority a server's chain names, when a connection needs it. Elsewhere
(Windows, macOS, a system with one bundle file only) certifi's bundle is used, as httpx would.
``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` still win, as they do in httpx. One context serves every
client of the process: an account change or a key check does not load the authorities again.
"""

from __future__ import annotations

import functools
import os
import re
import ssl

__all__ = ["tls_context"]

_HASHED = re.compile(r"[0-9a-f]{8}\.[0-9]+")
"""How OpenSSL names an authority in a hashed folder (its subject's hash, a counter)."""


def tls_context() -> ssl.SSLContext | bool:
    """What to pass as httpx's ``verify``: the shared context, or ``True`` when the person
    named the authorities in ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` (httpx reads those)."""
    if os.environ.get("SSL_CERT_FILE") or os.environ.get("SSL_CERT_DIR"):
        return True
    return _shared_context()


@functools.cache
def _shared_context() -> ssl.SSLContext:
    folder = _hashed_folder()
    if folder is not None:
        return ssl.create_default_context(capath=folder)
    import certifi  # noqa: PLC0415 - only where the system has no hashed folder

    return ssl.create_default_context(cafile=certifi.where())


def _hashed_folder() -> str | None:
    """The system OpenSSL's folder of authorities named by hash, if it has one in use."""
    paths = ssl.get_default_verify_paths()
    for folder in (paths.capath, paths.openssl_capath):
        if folder and os.path.isdir(folder):
            with os.scandir(folder) as entries:
                if any(_HASHED.fullmatch(entry.name) for entry in entries):
                    return folder
    return None
